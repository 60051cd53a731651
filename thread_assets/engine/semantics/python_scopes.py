"""Python scopes as the interpreter builds them, collected in one query pass over the tree.

A scope records every name bound anywhere in it (Python decides local-ness per function, not per
statement) with the expressions it is given, left unevaluated: evaluation
(:mod:`.python_eval`) happens once every scope is known, so a use before the assignment in the
text, a closure reading a later binding, or a call site further down all see the same facts.
Class bodies are scopes that nested functions skip, as in the language.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from tree_sitter import Node, QueryCursor

from ..extract.common import Source, compiled_query, field_id
from ..extract.python import matches_for
from ..model import Call, Ref, Symbol
from ..parse import language_object

ScopeKind = Literal["module", "class", "function", "lambda", "comprehension"]
ValKind = Literal["expr", "elem", "ann", "inst", "refs", "deco", "param"]


@dataclass(eq=False, slots=True)
class Val:
    """One value given to a name: an expression (``expr``), an element of an iterable or
    container (``elem``), an instance of an annotated type (``ann``), of a caught exception class
    (``inst``), ready Refs (``refs``), a decorated definition (``deco``) or the annotation and
    default of parameter ``symbol`` of the function ``node`` (``param``), evaluated in ``scope``."""

    kind: ValKind
    node: Node | None
    scope: Scope
    refs: tuple[Ref, ...] = ()
    symbol: str | None = None


@dataclass(eq=False, slots=True)
class Param:
    name: str
    kind: Literal["positional", "keyword_only", "variadic", "keyword_variadic"]


@dataclass(eq=False, slots=True)
class Scope:
    kind: ScopeKind
    start: int
    end: int
    parent: Scope | None
    symbol: str | None = None
    """Local id of the function or class symbol this scope is the body of."""
    bound: set[str] = field(default_factory=set)
    names: dict[str, list[Val]] = field(default_factory=dict)
    elems: dict[str, list[Val]] = field(default_factory=dict)
    defs: dict[str, str] = field(default_factory=dict)
    """Nested ``def``/``class`` name -> symbol id."""
    decorated: dict[str, Val] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    returns: list[Val] = field(default_factory=list)
    cls: str | None = None
    """For a method: its class's symbol id."""
    receiver: str | None = None
    classmethod: bool = False
    staticmethod: bool = False
    generator: bool = False
    abstract: bool = False
    """A method left to subclasses: ``@abstractmethod``, or a body of ``pass``, ``...``,
    docstrings and ``raise NotImplementedError``."""
    wildcard: bool = False
    """Module only: ``from m import *`` somewhere, so an unbound name may come from it."""

    def add(self, name: str, val: Val) -> None:
        self.bound.add(name)
        self.names.setdefault(name, []).append(val)

    def add_elem(self, name: str, val: Val) -> None:
        self.elems.setdefault(name, []).append(val)


@dataclass(eq=False, slots=True)
class AttrAssign:
    """``obj.attr = value`` (``elem``: ``obj.attr[k] = value`` or ``obj.attr.append(value)``)."""

    obj: Node
    attr: str
    val: Val
    elem: bool


@dataclass(eq=False, slots=True)
class Decorator:
    expr: Node
    scope: Scope
    target: str | None
    """Symbol id of the decorated definition."""


@dataclass(slots=True)
class Collected:
    module: Scope
    root: Node | None = None
    calls: tuple[Call, ...] = ()
    call_scopes: list[Scope] = field(default_factory=list)
    """The scope of each of ``calls`` (same order)."""
    scopes_by_start: list[Scope] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    scopes: dict[str, Scope] = field(default_factory=dict)
    """Function and class scopes by symbol id."""
    symbols: dict[str, Symbol] = field(default_factory=dict)
    attr_assigns: list[AttrAssign] = field(default_factory=list)
    elem_assigns: list[tuple[Node, Val]] = field(default_factory=list)
    """``name[k] = value`` / ``name.append(value)`` with ``name`` resolved later in ``val.scope``."""
    nonlocal_assigns: list[tuple[str, Val]] = field(default_factory=list)
    decorators: list[Decorator] = field(default_factory=list)
    raises: list[tuple[Node, Scope]] = field(default_factory=list)
    comprehensions: dict[int, Scope] = field(default_factory=dict)
    lambdas: dict[int, str] = field(default_factory=dict)
    """Start byte of a lambda that is a symbol (``name = lambda: ...``) -> its id."""
    class_nodes: list[tuple[Node, str]] = field(default_factory=list)

    def scope_for(self, pos: int) -> Scope:
        """The innermost scope around byte ``pos``: the last scope starting at or before it,
        or the first of its parents that still contains it."""
        i = bisect_right(self.starts, pos) - 1
        s: Scope | None = self.scopes_by_start[i] if i >= 0 else self.module
        while s is not None and not (s.start <= pos < s.end):
            s = s.parent
        return s if s is not None else self.module

    def call_node(self, call: Call) -> Node | None:
        """The tree's node of an extracted call (looked up on demand: most callees are read
        off their text)."""
        if self.root is None:
            return None
        loc = call.location
        node: Node | None = self.root.descendant_for_byte_range(loc.start_byte, loc.end_byte)
        while node is not None and node.type != "call":
            node = node.parent
            if node is not None and (node.start_byte != loc.start_byte or node.end_byte != loc.end_byte):
                return None
        return node


_QUERY = """
(function_definition) @function
(class_definition) @class
(lambda) @lambda
(list_comprehension) @comprehension
(set_comprehension) @comprehension
(dictionary_comprehension) @comprehension
(generator_expression) @comprehension
(decorated_definition) @decorated
(assignment) @assign
(augmented_assignment) @augassign
(named_expression) @walrus
(for_statement) @for
(for_in_clause) @for
(with_item) @with
(except_clause) @except
(global_statement) @global
(nonlocal_statement) @nonlocal
(import_statement) @import
(import_from_statement) @import_from
(return_statement) @return
(yield) @yield
(raise_statement) @raise
"""
"""The patterns this pass needs; the extractor's query (``queries/python/tags.scm``) holds them
all under the same capture names, so its matches are reused when it ran on the same tree."""
_QUERY_NAMES = tuple(re.findall(r"@(\w+)", _QUERY))
"""Capture name per pattern index (one pattern per line)."""

_LANGUAGE = language_object("python")
FIELD_ARGUMENTS = field_id(_LANGUAGE, "arguments")
FIELD_ATTRIBUTE = field_id(_LANGUAGE, "attribute")
FIELD_FUNCTION = field_id(_LANGUAGE, "function")
FIELD_NAME = field_id(_LANGUAGE, "name")
FIELD_VALUE = field_id(_LANGUAGE, "value")
FIELD_OBJECT = field_id(_LANGUAGE, "object")
FIELD_LEFT = field_id(_LANGUAGE, "left")
FIELD_RIGHT = field_id(_LANGUAGE, "right")
FIELD_BODY = field_id(_LANGUAGE, "body")
FIELD_TYPE = field_id(_LANGUAGE, "type")
FIELD_SUPERCLASSES = field_id(_LANGUAGE, "superclasses")
FIELD_DEFINITION = field_id(_LANGUAGE, "definition")
FIELD_ALIAS = field_id(_LANGUAGE, "alias")
FIELD_PARAMETERS = field_id(_LANGUAGE, "parameters")
FIELD_RETURN_TYPE = field_id(_LANGUAGE, "return_type")
_PARAM_KINDS: dict[str, Literal["positional", "keyword_only", "variadic", "keyword_variadic"]] = {
    "positional": "positional",
    "positional_only": "positional",
    "receiver": "positional",
    "optional": "positional",
    "keyword_only": "keyword_only",
    "variadic": "variadic",
    "keyword_variadic": "keyword_variadic",
}
_CONTAINERS = frozenset({"list", "tuple", "set", "expression_list", "pattern_list", "tuple_pattern", "list_pattern"})
_MUTATORS = frozenset({"append", "add", "insert", "appendleft", "extend", "update", "setdefault"})
_KEYED = frozenset({"sorted", "min", "max", "groupby", "nsmallest", "nlargest"})
_CALLABLE_KINDS = frozenset({"function", "method", "property", "class"})
INFINITY = 1 << 62


def literal_elements(node: Node) -> list[Node] | None:
    """The element expressions of a list/tuple/set/dict literal (dict: the values), or None."""
    t = node.type
    if t in _CONTAINERS:
        return [c for c in node.named_children if c.type != "comment"]
    if t == "dictionary":
        out = []
        for c in node.named_children:
            if c.type == "pair":
                value = c.child_by_field_id(FIELD_VALUE)
                if value is not None:
                    out.append(value)
            elif c.type == "dictionary_splat":
                out.append(c)
        return out
    if t == "parenthesized_expression" and node.named_child_count == 1:
        return literal_elements(node.named_children[0])
    return None


class _Collector:
    def __init__(self, root: Node, src: Source, symbols: tuple[Symbol, ...]) -> None:
        self.src = src
        self.module = Scope("module", 0, INFINITY, None)
        self.out = Collected(self.module)
        self.stack: list[Scope] = [self.module]
        self.by_start: dict[int, Symbol] = {}
        self.decorated: dict[int, Node] = {}
        for s in symbols:
            self.out.symbols[s.id] = s
            if s.kind in _CALLABLE_KINDS:
                self.by_start.setdefault(s.location.start_byte, s)

    def text(self, node: Node | None) -> str:
        return self.src.text(node)

    def scope_at(self, pos: int) -> Scope:
        stack = self.stack
        while len(stack) > 1 and stack[-1].end <= pos:
            stack.pop()
        for scope in reversed(stack):
            if scope.start <= pos < scope.end:
                return scope
        return self.module

    def run(self, root: Node) -> Collected:
        shared = matches_for(self.src)
        if shared is not None:
            matches, names = shared
        else:
            matches, names = QueryCursor(compiled_query(_LANGUAGE, _QUERY)).matches(root), _QUERY_NAMES
        handlers: dict[str, Callable[[Node, Scope], None]] = {
            "function": self.definition,
            "class": self.class_definition,
            "lambda": self.lambda_,
            "comprehension": self.comprehension,
            "decorated": self.decorated_definition,
            "assign": self.assignment,
            "augassign": self.augmented,
            "walrus": self.walrus,
            "for": self.for_,
            "with": self.with_,
            "except": self.except_,
            "global": self.global_,
            "nonlocal": self.nonlocal_,
            "import": self.import_,
            "import_from": self.import_,
            "return": self.return_,
            "yield": self.yield_,
            "raise": self.raise_,
        }
        table = [handlers.get(name) for name in names]
        # One-node patterns complete as the cursor enters their node: document order, outer
        # first. Sorted only if error recovery ever breaks that.
        items: list[tuple[int, int, Callable[[Node, Scope], None], Node]] = []
        last = -1
        ordered = True
        for pattern, caps in matches:
            handler = table[pattern]
            if handler is None:
                continue
            node = caps[names[pattern]][0]
            start = node.start_byte
            if start < last:
                ordered = False
            last = start
            items.append((start, -node.end_byte, handler, node))
        if not ordered:
            items.sort(key=lambda c: (c[0], c[1]))
        scope_at = self.scope_at
        for start, _, handler, node in items:
            handler(node, scope_at(start))
        return self.out

    def push(self, scope: Scope) -> None:
        self.stack.append(scope)
        self.out.scopes_by_start.append(scope)

    # -- binding helpers --------------------------------------------------------------------
    def bind(self, scope: Scope, name: str, val: Val) -> None:
        if name in scope.globals:
            self.module.add(name, val)
        elif name in scope.nonlocals:
            self.out.nonlocal_assigns.append((name, val))
        else:
            scope.add(name, val)

    def bind_target(self, target: Node, value: Node | None, scope: Scope, elem: bool) -> None:
        """Bind an assignment target (name, unpacking pattern, attribute, subscript) to ``value``."""
        t = target.type
        if t == "identifier":
            name = self.text(target)
            if value is None:
                scope.bound.add(name)
                return
            self.bind(scope, name, Val("elem" if elem else "expr", value, scope))
            if not elem:
                self.container(scope, name, value)
        elif t in _CONTAINERS:
            parts = [c for c in target.named_children if c.type != "comment"]
            values = literal_elements(value) if value is not None and not elem else None
            if values is not None and len(values) == len(parts) and value is not None and value.type != "dictionary":
                for part, v in zip(parts, values, strict=True):
                    self.bind_target(part, v, scope, False)
            else:
                for part in parts:
                    self.bind_target(part, value, scope, True)
        elif t in ("list_splat_pattern", "parenthesized_expression") and target.named_child_count:
            self.bind_target(target.named_children[0], value, scope, True)
        elif t == "attribute" and value is not None:
            obj, attr = target.child_by_field_id(FIELD_OBJECT), target.child_by_field_id(FIELD_ATTRIBUTE)
            if obj is not None and attr is not None:
                val = Val("elem" if elem else "expr", value, scope)
                self.out.attr_assigns.append(AttrAssign(obj, self.text(attr), val, False))
                for element in literal_elements(value) or () if not elem else ():
                    self.out.attr_assigns.append(AttrAssign(obj, self.text(attr), Val("expr", element, scope), True))
        elif t == "subscript" and value is not None:
            container = target.child_by_field_id(FIELD_VALUE)
            if container is not None:
                self.elem_assign(container, Val("elem" if elem else "expr", value, scope))

    def container(self, scope: Scope, name: str, value: Node) -> None:
        """A container literal (or ``dict(k=v)``) bound to ``name``: its elements are ``name[]``."""
        elements = literal_elements(value)
        if elements is None and value.type == "call" and self.text(value.child_by_field_id(FIELD_FUNCTION)) == "dict":
            args = value.child_by_field_id(FIELD_ARGUMENTS)
            values = [a.child_by_field_id(FIELD_VALUE) for a in args.named_children] if args else []
            elements = [v for v in values if v is not None]
        for element in elements or ():
            if element is not None:
                kind: ValKind = "elem" if element.type in ("list_splat", "dictionary_splat") else "expr"
                inner = element.named_children[0] if kind == "elem" and element.named_child_count else element
                target = self.module if name in scope.globals else scope
                target.add_elem(name, Val(kind, inner, scope))

    def elem_assign(self, container: Node, val: Val) -> None:
        if container.type == "identifier":
            self.out.elem_assigns.append((container, val))
        elif container.type == "attribute":
            obj, attr = container.child_by_field_id(FIELD_OBJECT), container.child_by_field_id(FIELD_ATTRIBUTE)
            if obj is not None and attr is not None:
                self.out.attr_assigns.append(AttrAssign(obj, self.text(attr), val, True))

    def function_scope(self, scope: Scope) -> Scope | None:
        s: Scope | None = scope
        while s is not None and s.kind in ("lambda", "comprehension"):
            s = s.parent
        return s if s is not None and s.kind == "function" else None

    # -- handlers ---------------------------------------------------------------------------
    def decorated_definition(self, node: Node, scope: Scope) -> None:
        definition = node.child_by_field_id(FIELD_DEFINITION)
        if definition is not None:
            self.decorated[definition.start_byte] = node

    def definition(self, node: Node, scope: Scope) -> None:
        name_node, body = node.child_by_field_id(FIELD_NAME), node.child_by_field_id(FIELD_BODY)
        if name_node is None:
            return
        name = self.text(name_node)
        symbol = self.by_start.get(node.start_byte)
        sid = symbol.id if symbol is not None else None
        start = body.start_byte if body is not None else node.end_byte
        fscope = Scope("function", start, node.end_byte, scope, symbol=sid)
        decorators = self.decorators_of(node, scope, sid)
        names = symbol.decorators if symbol is not None else ()
        if scope.kind == "class" and scope.symbol is not None:
            fscope.abstract = any(d.endswith("abstractmethod") for d in names) or _stub(body, self.src)
            fscope.cls = scope.symbol
            fscope.staticmethod = "staticmethod" in names
            fscope.classmethod = "classmethod" in names or name in ("__new__", "__init_subclass__", "__class_getitem__")
        if symbol is not None:
            self.symbol_parameters(symbol, node, fscope, scope)
        else:
            self.parameters(node.child_by_field_id(FIELD_PARAMETERS), fscope, scope)
        returns = node.child_by_field_id(FIELD_RETURN_TYPE)
        if returns is not None:
            fscope.returns.append(Val("ann", returns, scope))
        self.bind_definition(scope, name, sid, decorators, node)
        if sid is not None:
            self.out.scopes.setdefault(sid, fscope)
        self.push(fscope)

    def class_definition(self, node: Node, scope: Scope) -> None:
        name_node, body = node.child_by_field_id(FIELD_NAME), node.child_by_field_id(FIELD_BODY)
        if name_node is None:
            return
        symbol = self.by_start.get(node.start_byte)
        sid = symbol.id if symbol is not None else None
        start = body.start_byte if body is not None else node.end_byte
        cscope = Scope("class", start, node.end_byte, scope, symbol=sid)
        decorators = self.decorators_of(node, scope, sid)
        self.bind_definition(scope, self.text(name_node), sid, decorators, node)
        if sid is not None:
            self.out.scopes.setdefault(sid, cscope)
            self.out.class_nodes.append((node, sid))
        self.push(cscope)

    def decorators_of(self, node: Node, scope: Scope, sid: str | None) -> list[Decorator]:
        decorated = self.decorated.get(node.start_byte)
        if decorated is None:
            return []
        out = []
        for d in decorated.named_children:
            if d.type == "decorator" and d.named_child_count:
                out.append(Decorator(d.named_children[0], scope, sid))
        self.out.decorators.extend(out)
        return out

    def bind_definition(
        self, scope: Scope, name: str, sid: str | None, decorators: list[Decorator], node: Node
    ) -> None:
        target = self.module if name in scope.globals else scope
        target.bound.add(name)
        if sid is None:
            return
        if decorators:
            target.decorated[name] = Val("deco", node, scope, symbol=sid)
        target.defs.setdefault(name, sid)

    def symbol_parameters(self, symbol: Symbol, node: Node, fscope: Scope, outer: Scope) -> None:
        """Parameters as the extractor read them; annotations and defaults are looked up in the
        tree only if a use of the parameter is ever evaluated (``param`` values)."""
        params = fscope.params
        for p in symbol.parameters:
            kind = _PARAM_KINDS[p.kind]
            params.append(Param(p.name, kind))
            fscope.bound.add(p.name)
            if p.kind == "receiver" and fscope.cls is not None:
                fscope.receiver = p.name
                ops: tuple[str, ...] = () if fscope.classmethod else ("new",)
                fscope.add(p.name, Val("refs", None, outer, refs=(Ref(f"s:{fscope.cls}", ops),)))
            elif kind in ("variadic", "keyword_variadic"):
                packed = Ref("b:tuple" if kind == "variadic" else "b:dict", ("()",))
                fscope.add(p.name, Val("refs", None, outer, refs=(packed,)))
            elif p.type is not None or p.default is not None:
                fscope.add(p.name, Val("param", node, outer, symbol=p.name))

    def parameters(self, node: Node | None, fscope: Scope, outer: Scope) -> None:
        if node is None:
            return
        first = True
        for child in node.named_children:
            t = child.type
            if t in ("comment", "positional_separator"):
                continue
            if t == "keyword_separator":
                fscope.params.append(Param("*", "variadic"))
                continue
            inner, ptype, default = child, None, None
            if t in ("typed_parameter", "typed_default_parameter", "default_parameter"):
                ptype = child.child_by_field_id(FIELD_TYPE)
                default = child.child_by_field_id(FIELD_VALUE)
                inner = child.child_by_field_id(FIELD_NAME) or child.named_children[0]
            kind: Literal["positional", "keyword_only", "variadic", "keyword_variadic"] = "positional"
            if inner.type == "list_splat_pattern":
                kind = "variadic"
            elif inner.type == "dictionary_splat_pattern":
                kind = "keyword_variadic"
            elif any(p.kind == "variadic" for p in fscope.params):
                kind = "keyword_only"
            name = self.text(inner).lstrip("*").strip()
            fscope.params.append(Param(name, kind))
            fscope.bound.add(name)
            if first and fscope.cls is not None and not fscope.staticmethod and kind == "positional":
                fscope.receiver = name
                ops: tuple[str, ...] = () if fscope.classmethod else ("new",)
                fscope.add(name, Val("refs", None, outer, refs=(Ref(f"s:{fscope.cls}", ops),)))
            first = False
            if kind in ("variadic", "keyword_variadic"):
                packed = Ref("b:tuple" if kind == "variadic" else "b:dict", ("()",))
                fscope.add(name, Val("refs", None, outer, refs=(packed,)))
            elif ptype is not None:
                fscope.add(name, Val("ann", ptype, outer))
            if default is not None:
                fscope.add(name, Val("expr", default, outer))

    def lambda_(self, node: Node, scope: Scope) -> None:
        body = node.child_by_field_id(FIELD_BODY)
        lscope = Scope("lambda", body.start_byte if body is not None else node.end_byte, node.end_byte, scope)
        self.parameters(node.child_by_field_id(FIELD_PARAMETERS), lscope, scope)
        iterable = self.iterated_by(node)
        if iterable is not None and lscope.params:
            lscope.add(lscope.params[0].name, Val("elem", iterable, scope))
        symbol = self.by_start.get(node.start_byte)
        parent = node.parent
        if symbol is None and parent is not None and parent.type == "assignment":
            symbol = self.by_start.get(parent.start_byte)  # ``name = lambda ...``
        if symbol is not None and body is not None:
            self.out.lambdas[node.start_byte] = symbol.id
            lscope.symbol = symbol.id
            lscope.returns.append(Val("expr", body, lscope))
            self.out.scopes.setdefault(symbol.id, lscope)
        self.push(lscope)

    def iterated_by(self, node: Node) -> Node | None:
        """The iterable whose elements a lambda receives: ``sorted(xs, key=lambda x: ...)``,
        ``map(lambda x: ..., xs)``, ``xs.sort(key=lambda x: ...)``."""
        parent = node.parent
        key = parent if parent is not None and parent.type == "keyword_argument" else None
        args = key.parent if key is not None else parent
        if args is None or args.type != "argument_list" or args.parent is None:
            return None
        fn = args.parent.child_by_field_id(FIELD_FUNCTION)
        if fn is None:
            return None
        positional = [a for a in args.named_children if a.type not in ("comment", "keyword_argument")]
        name = self.text(fn).rsplit(".", 1)[-1]
        if key is not None and self.text(key.child_by_field_id(FIELD_NAME)) == "key":
            if fn.type == "attribute" and name == "sort":
                return fn.child_by_field_id(FIELD_OBJECT)
            return positional[0] if positional and name in _KEYED else None
        if key is None and name in ("map", "filter") and len(positional) > 1 and positional[0] == node:
            return positional[1]
        return None

    def comprehension(self, node: Node, scope: Scope) -> None:
        cscope = Scope("comprehension", node.start_byte, node.end_byte, scope)
        self.out.comprehensions[node.start_byte] = cscope
        self.push(cscope)

    def assignment(self, node: Node, scope: Scope) -> None:
        left = node.child_by_field_id(FIELD_LEFT)
        if left is None:
            return
        right = node.child_by_field_id(FIELD_RIGHT)
        while right is not None and right.type == "assignment":
            right = right.child_by_field_id(FIELD_RIGHT)
        annotation = node.child_by_field_id(FIELD_TYPE)
        if annotation is not None and left.type == "identifier":
            self.bind(scope, self.text(left), Val("ann", annotation, scope))
        elif annotation is not None and left.type == "attribute":
            obj, attr = left.child_by_field_id(FIELD_OBJECT), left.child_by_field_id(FIELD_ATTRIBUTE)
            if obj is not None and attr is not None:
                self.out.attr_assigns.append(AttrAssign(obj, self.text(attr), Val("ann", annotation, scope), False))
        if right is not None or left.type == "identifier":
            self.bind_target(left, right, scope, False)

    def augmented(self, node: Node, scope: Scope) -> None:
        left, right = node.child_by_field_id(FIELD_LEFT), node.child_by_field_id(FIELD_RIGHT)
        if left is None or right is None:
            return
        for element in literal_elements(right) or ():
            self.elem_assign(left, Val("expr", element, scope))

    def walrus(self, node: Node, scope: Scope) -> None:
        name, value = node.child_by_field_id(FIELD_NAME), node.child_by_field_id(FIELD_VALUE)
        if name is not None and value is not None:
            # PEP 572: a comprehension's walrus binds in the enclosing function.
            while scope.kind == "comprehension" and scope.parent is not None:
                scope = scope.parent
            self.bind_target(name, value, scope, False)

    def for_(self, node: Node, scope: Scope) -> None:
        left, right = node.child_by_field_id(FIELD_LEFT), node.child_by_field_id(FIELD_RIGHT)
        if left is not None and right is not None:
            self.bind_target(left, right, scope, True)

    def with_(self, node: Node, scope: Scope) -> None:
        value = node.child_by_field_id(FIELD_VALUE)
        if value is None or value.type != "as_pattern" or not value.named_child_count:
            return
        alias = value.child_by_field_id(FIELD_ALIAS)
        if alias is not None and alias.named_child_count:
            self.bind_target(alias.named_children[0], value.named_children[0], scope, False)

    def except_(self, node: Node, scope: Scope) -> None:
        value = node.child_by_field_id(FIELD_VALUE)
        if value is None or value.type != "as_pattern" or not value.named_child_count:
            return
        alias = value.child_by_field_id(FIELD_ALIAS)
        if alias is not None and alias.named_child_count and alias.named_children[0].type == "identifier":
            self.bind(scope, self.text(alias.named_children[0]), Val("inst", value.named_children[0], scope))

    def global_(self, node: Node, scope: Scope) -> None:
        for child in node.named_children:
            if child.type == "identifier":
                scope.globals.add(self.text(child))
                self.module.bound.add(self.text(child))

    def nonlocal_(self, node: Node, scope: Scope) -> None:
        for child in node.named_children:
            if child.type == "identifier":
                scope.nonlocals.add(self.text(child))

    def import_(self, node: Node, scope: Scope) -> None:
        if any(c.type == "wildcard_import" for c in node.named_children):
            self.module.wildcard = True
            return
        from_import = node.type == "import_from_statement"
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                bound = self.text(child.child_by_field_id(FIELD_ALIAS))
            else:
                text = self.text(child)
                bound = text if from_import else text.split(".", 1)[0].strip()
            if scope is self.module:
                scope.bound.add(bound)
            else:
                self.bind(scope, bound, Val("refs", None, scope, refs=(Ref(f"n:{bound}"),)))

    def return_(self, node: Node, scope: Scope) -> None:
        fscope = self.function_scope(scope)
        if fscope is not None and node.named_child_count:
            fscope.returns.append(Val("expr", node.named_children[0], scope))

    def yield_(self, node: Node, scope: Scope) -> None:
        fscope = self.function_scope(scope)
        if fscope is None or not node.named_child_count:
            return
        fscope.generator = True
        delegated = any(c.type == "from" for c in node.children)
        fscope.returns.append(Val("elem" if delegated else "expr", node.named_children[0], scope))

    def finish(self, root: Node, calls: tuple[Call, ...]) -> None:
        """Index the scopes by start, give each call its scope, read container mutations."""
        out = self.out
        out.root = root
        out.scopes_by_start.sort(key=lambda sc: (sc.start, -sc.end))
        out.starts = [sc.start for sc in out.scopes_by_start]
        out.calls = calls
        scope_for = out.scope_for
        out.call_scopes = [scope_for(c.location.start_byte) for c in calls]
        for call, scope in zip(calls, out.call_scopes, strict=True):
            if call.name in _MUTATORS and call.receiver is not None:
                node = out.call_node(call)
                if node is not None:
                    self.mutation(node, scope)

    def mutation(self, node: Node, scope: Scope) -> None:
        fn = node.child_by_field_id(FIELD_FUNCTION)
        if fn is None or fn.type != "attribute":
            return
        attr = fn.child_by_field_id(FIELD_ATTRIBUTE)
        obj = fn.child_by_field_id(FIELD_OBJECT)
        if attr is None or obj is None or self.text(attr) not in _MUTATORS:
            return
        args = node.child_by_field_id(FIELD_ARGUMENTS)
        if args is None:
            return
        method = self.text(attr)
        positional = [a for a in args.named_children if a.type not in ("comment", "keyword_argument")]
        if method in ("extend", "update"):
            for arg in positional[:1]:
                for element in literal_elements(arg) or ():
                    self.elem_assign(obj, Val("expr", element, scope))
                if literal_elements(arg) is None:
                    self.elem_assign(obj, Val("elem", arg, scope))
            for kw in args.named_children:
                value = kw.child_by_field_id(FIELD_VALUE) if kw.type == "keyword_argument" else None
                if value is not None:
                    self.elem_assign(obj, Val("expr", value, scope))
        elif positional:
            self.elem_assign(obj, Val("expr", positional[-1], scope))

    def raise_(self, node: Node, scope: Scope) -> None:
        if node.named_child_count:
            exc = node.named_children[0]
            if exc.type in ("identifier", "attribute"):
                self.out.raises.append((exc, scope))


def _stub(body: Node | None, src: Source) -> bool:
    if body is None:
        return False
    for stmt in body.named_children:
        t = stmt.type
        if t in ("pass_statement", "comment"):
            continue
        if t == "expression_statement" and stmt.named_child_count == 1:
            if stmt.named_children[0].type in ("ellipsis", "string"):
                continue
        if t == "raise_statement" and b"NotImplementedError" in src.data[stmt.start_byte : stmt.end_byte]:
            continue
        return False
    return True


def collect(root: Node, src: Source, symbols: tuple[Symbol, ...], calls: tuple[Call, ...]) -> Collected:
    """Every scope of the file with its bindings, calls, decorators and assignments to attributes."""
    collector = _Collector(root, src, symbols)
    collector.run(root)
    collector.finish(root, calls)
    return collector.out
