"""Python values as Refs: what an expression may evaluate to, as far as the file tells.

Flow-insensitive: a name holds the union of everything any statement of its scope gives it. Names
bound at module level are left to the graph step (``n:NAME``), which sees symbols, module
bindings and imports across files; everything local is followed here, down to module names,
symbols of this file (``s:ID``) and builtins (``b:NAME``). A parameter holds its annotation's
instances, its default, and the arguments passed at the calls of its function made in this file
(positional and keyword), which is how a function passed to ``apply(f)`` reaches ``f()``.
Cycles (``x = x.next``) end in the empty set.
"""

from __future__ import annotations

from tree_sitter import Node

from ..extract.common import Source
from ..model import Call, CallReason, Ref
from .python_builtins import BUILTINS
from .python_scopes import (
    FIELD_ARGUMENTS,
    FIELD_ATTRIBUTE,
    FIELD_BODY,
    FIELD_FUNCTION,
    FIELD_LEFT,
    FIELD_NAME,
    FIELD_OBJECT,
    FIELD_PARAMETERS,
    FIELD_RIGHT,
    FIELD_SUPERCLASSES,
    FIELD_TYPE,
    FIELD_VALUE,
    Collected,
    Decorator,
    Scope,
    Val,
    literal_elements,
)

DYNAMIC_GETATTR = Ref("d:getattr")
"""``getattr(obj, name)`` with a computed name: a value chosen at run time (see ``model.Ref``)."""
MAX_REFS = 16
MAX_SITES = 24
"""Calls looked at per function for the values of its parameters (the first in the file)."""
_LITERALS = {
    "string": "str",
    "concatenated_string": "str",
    "integer": "int",
    "float": "float",
    "true": "bool",
    "false": "bool",
    "list": "list",
    "list_comprehension": "list",
    "dictionary": "dict",
    "dictionary_comprehension": "dict",
    "set": "set",
    "set_comprehension": "set",
    "tuple": "tuple",
}
_TYPE_WRAPPERS = frozenset({"Optional", "Union", "Annotated", "Final", "ClassVar", "Required", "NotRequired"})
_UNTYPED = frozenset({"Any", "object", "Callable", "Self", "None", "NoReturn", "Never"})
"""Annotations that say nothing about which definition a call reaches."""
_ELEMENT_FUNCTIONS = {"enumerate": 0, "sorted": 0, "reversed": 0, "list": 0, "tuple": 0, "set": 0, "iter": 0}
_VIEWS = frozenset({"values", "items", "keys", "copy"})

# (symbol id, receiver offset, positional args, keyword args, scope of the call)
Site = tuple[str, int, list[Node | tuple[Ref, ...]], dict[str, Node], Scope]


def _is_property(decorator: str) -> bool:
    return decorator in ("property", "cached_property", "functools.cached_property") or decorator.endswith(
        (".setter", ".getter", ".deleter")
    )


def add_op(ref: Ref, op: str) -> Ref:
    return Ref(ref.base, (*ref.ops, op))


def element_ref(ref: Ref) -> Ref | None:
    """``n:x`` -> ``n:x[]``, ``... .x`` -> ``... .x[]``; None when no container name exists."""
    if not ref.ops:
        return Ref(ref.base + "[]") if ref.base.startswith("n:") and not ref.base.endswith("[]") else None
    last = ref.ops[-1]
    if last.startswith(".") and not last.endswith("[]"):
        return Ref(ref.base, (*ref.ops[:-1], last + "[]"))
    return None


def _classes_of(instances: list[Ref]) -> list[Ref]:
    """``type(x)`` / ``x.__class__``: the class of each instance (``C ()`` / ``C new`` -> ``C``)."""
    return [Ref(r.base, r.ops[:-1]) for r in instances if r.ops and r.ops[-1] in ("()", "new")]


def _unique(refs: list[Ref]) -> list[Ref]:
    seen: dict[Ref, None] = {}
    for r in refs:
        seen.setdefault(r, None)
        if len(seen) >= MAX_REFS:
            break
    return list(seen)


class Evaluator:
    def __init__(self, data: Collected, src: Source) -> None:
        self.data = data
        self.src = src
        self.module = data.module
        self.memo: dict[tuple[int, str], list[Ref]] = {}
        self.busy: set[tuple[int, str]] = set()
        self.dynamic = False
        self.sites: dict[str, list[Site]] = {}
        self.by_name: dict[str, list[tuple[Call, Scope]]] | None = None
        self.decorators_by_name: dict[str, list[Decorator]] | None = None
        self.alias_map: dict[str, list[str]] | None = None
        self.param_calls: list[tuple[Call, Scope]] | None = None
        self.building: set[str] = set()
        """Functions whose call sites are being read: their parameters hold nothing meanwhile."""
        self.blind = 0
        """Above 0 while only asking which function a callee is: no parameter holds anything."""
        self.children: dict[str, list[str]] | None = None
        self.assigned: set[tuple[str, str]] | None = None
        self.descendants: dict[str, list[str]] = {}
        self.override_memo: dict[tuple[str, str, bool], list[Ref]] = {}
        self.callees: dict[tuple[int, str], tuple[tuple[Ref, ...], CallReason | None] | None] = {}
        self.owners: dict[tuple[int, str], Scope | None] = {}

    def text(self, node: Node | None) -> str:
        return self.src.text(node)

    # -- names ------------------------------------------------------------------------------
    def resolve(self, name: str, scope: Scope) -> Scope | None:
        """The scope that binds ``name`` as seen from ``scope`` (class bodies are skipped from
        inside nested scopes); None for a name bound nowhere in the file."""
        key = (id(scope), name)
        if key in self.owners:
            return self.owners[key]
        s: Scope | None = scope
        first = True
        found: Scope | None = None
        while s is not None:
            if s.kind == "class" and not first:
                s = s.parent
                continue
            if name in s.globals:
                found = self.module
                break
            if name in s.bound and name not in s.nonlocals:
                found = s
                break
            first = False
            s = s.parent
        self.owners[key] = found
        return found

    def name(self, name: str, scope: Scope) -> list[Ref]:
        owner = self.resolve(name, scope)
        if owner is None:
            if name in BUILTINS:
                return [Ref(f"b:{name}")]
            return [Ref(f"n:{name}")]
        if owner.kind == "module":
            deco = owner.decorated.get(name)
            return self.val(deco) if deco is not None else [Ref(f"n:{name}")]
        key = (id(owner), name)
        memo = self.memo.get(key)
        if memo is not None:
            return memo
        if key in self.busy:
            return []
        self.busy.add(key)
        try:
            out: list[Ref] = []
            deco = owner.decorated.get(name)
            if deco is not None:
                out += self.val(deco)
            elif name in owner.defs:
                out.append(Ref(f"s:{owner.defs[name]}"))
            for v in owner.names.get(name, ()):
                out += self.val(v)
            if owner.symbol is not None and name != owner.receiver and any(p.name == name for p in owner.params):
                out += self.argument_values(owner, name)
            out = _unique(out)
        finally:
            self.busy.discard(key)
        self.memo[key] = out
        return out

    def elements_of_name(self, name: str, scope: Scope) -> list[Ref]:
        owner = self.resolve(name, scope)
        if owner is None or owner.kind == "module":
            return [Ref(f"n:{name}[]")]
        key = (id(owner), name + "[]")
        memo = self.memo.get(key)
        if memo is not None:
            return memo
        if key in self.busy:
            return []
        self.busy.add(key)
        try:
            out: list[Ref] = []
            for v in owner.elems.get(name, ()):
                out += self.val(v)
            for v in owner.names.get(name, ()):
                if v.kind == "expr" and v.node is not None and literal_elements(v.node) is None:
                    out += self.elements(v.node, v.scope)
            if owner.symbol is not None and any(p.name == name for p in owner.params):
                out += self.argument_values(owner, name, elements=True)
            out = _unique(out)
        finally:
            self.busy.discard(key)
        self.memo[key] = out
        return out

    def val(self, v: Val) -> list[Ref]:
        kind = v.kind
        if kind == "refs":
            return list(v.refs)
        if kind == "deco":
            return self.decorated(v)
        node = v.node
        if node is None:
            return []
        if kind == "expr":
            return self.expr(node, v.scope)
        if kind == "elem":
            return self.elements(node, v.scope)
        if kind == "ann":
            return self.annotation(node, v.scope)
        if kind == "param":
            return self.parameter(node, v.symbol or "", v.scope)
        return [add_op(r, "new") for r in self.types(node, v.scope)]  # inst

    def parameter(self, fn: Node, name: str, scope: Scope) -> list[Ref]:
        """The annotation's instances and the default of parameter ``name`` of def ``fn``."""
        params = fn.child_by_field_id(FIELD_PARAMETERS)
        for child in params.named_children if params is not None else ():
            if child.type not in ("typed_parameter", "typed_default_parameter", "default_parameter"):
                continue
            inner = child.child_by_field_id(FIELD_NAME) or child.named_children[0]
            if self.text(inner).lstrip("*").strip() != name:
                continue
            out: list[Ref] = []
            ptype, default = child.child_by_field_id(FIELD_TYPE), child.child_by_field_id(FIELD_VALUE)
            if ptype is not None:
                out += self.annotation(ptype, scope)
            if default is not None:
                out += self.expr(default, scope)
            return out
        return []

    # -- expressions ------------------------------------------------------------------------
    def expr(self, node: Node, scope: Scope) -> list[Ref]:
        t = node.type
        if t == "identifier":
            return self.name(self.text(node), scope)
        if t == "attribute":
            obj, attr = node.child_by_field_id(FIELD_OBJECT), node.child_by_field_id(FIELD_ATTRIBUTE)
            if obj is None or attr is None:
                return []
            op = "." + self.text(attr)
            if op == ".__class__":
                return _classes_of(self.expr(obj, scope))
            out = self.members(self.expr(obj, scope), op[1:])
            if obj.type == "identifier":
                out += self.overrides(self.text(obj), scope, self.text(attr))
            return out
        if t == "call":
            return self.call_value(node, scope)
        if t == "subscript":
            value = node.child_by_field_id(FIELD_VALUE)
            return self.elements(value, scope) if value is not None else []
        if t in ("parenthesized_expression", "await") and node.named_child_count:
            return self.expr(node.named_children[-1], scope)
        if t == "conditional_expression" and node.named_child_count >= 3:
            return _unique(self.expr(node.named_children[0], scope) + self.expr(node.named_children[2], scope))
        if t == "boolean_operator":
            left, right = node.child_by_field_id(FIELD_LEFT), node.child_by_field_id(FIELD_RIGHT)
            return _unique((self.expr(left, scope) if left else []) + (self.expr(right, scope) if right else []))
        if t == "named_expression":
            value = node.child_by_field_id(FIELD_VALUE)
            return self.expr(value, scope) if value is not None else []
        if t == "lambda":
            sid = self.data.lambdas.get(node.start_byte)
            return [Ref(f"s:{sid}")] if sid is not None else []
        literal = _LITERALS.get(t)
        if literal is not None:
            return [Ref(f"b:{literal}", ("()",))]
        return []

    def members(self, objects: list[Ref], attr: str) -> list[Ref]:
        """``.attr`` of each object; on an instance of a class of this file whose ``attr`` is a
        decorated method, what the decoration made of it: a property's getter result, or what a
        decorator of this file returned (``@cached def load`` -> the wrapper)."""
        out = []
        for r in objects:
            sid = self.symbol_of(r.base) if r.ops in (("new",), ("()",)) else None
            cls = self.data.scopes.get(sid) if sid is not None else None
            deco = cls.decorated.get(attr) if cls is not None and cls.kind == "class" else None
            if deco is None or deco.symbol is None:
                out.append(add_op(r, "." + attr))
            elif any(_is_property(self.text(d.expr)) for d in self.data.decorators if d.target == deco.symbol):
                out.append(Ref(f"s:{deco.symbol}", ("()",)))
            else:
                made = self.val(deco)
                out += [add_op(r, "." + attr)] if made == [Ref(f"s:{deco.symbol}")] else made
        return out

    def overrides(self, name: str, scope: Scope, attr: str) -> list[Ref]:
        """``self.attr`` in a method of class C may be a subclass's when C leaves ``attr`` to
        them (C does not define it, or defines it abstract: ``@abstractmethod``, a body of
        ``pass``, ``...`` or ``raise NotImplementedError``): C's subclasses in this file that
        define or assign it (a mixin calling what the class it is mixed into provides, a
        template method calling its hooks)."""
        owner = self.resolve(name, scope)
        if owner is None or owner.cls is None or owner.receiver != name:
            return []
        key = (owner.cls, attr, owner.classmethod)
        cached = self.override_memo.get(key)
        if cached is None:
            cached = []
            own = self.data.scopes.get(f"{owner.cls}.{attr}")
            if own is None or own.abstract:
                ops: tuple[str, ...] = (f".{attr}",) if owner.classmethod else ("new", f".{attr}")
                subs = [sub for sub in self.subclasses(owner.cls) if self.defines(sub, attr)]
                cached = [Ref(f"s:{sub}", ops) for sub in subs[:MAX_REFS]]
            self.override_memo[key] = cached
        return cached

    def subclasses(self, cls: str) -> list[str]:
        if self.children is None:
            by_name: dict[str, list[str]] = {}
            for _, sid in self.data.class_nodes:
                by_name.setdefault(sid.rsplit(".", 1)[-1], []).append(sid)
            self.children = {}
            for node, sid in self.data.class_nodes:
                bases = node.child_by_field_id(FIELD_SUPERCLASSES)
                for base in bases.named_children if bases is not None else ():
                    while base.type == "subscript" and base.child_by_field_id(FIELD_VALUE) is not None:
                        base = base.child_by_field_id(FIELD_VALUE)  # type: ignore[assignment]
                    if base.type in ("identifier", "attribute"):
                        for parent in by_name.get(self.text(base).rsplit(".", 1)[-1], ()):
                            self.children.setdefault(parent, []).append(sid)
        cached = self.descendants.get(cls)
        if cached is not None:
            return cached
        out: list[str] = []
        todo = list(self.children.get(cls, ()))
        while todo:
            sub = todo.pop()
            if sub not in out and sub != cls:
                out.append(sub)
                todo += self.children.get(sub, ())
        self.descendants[cls] = out
        return out

    def defines(self, cls: str, attr: str) -> bool:
        scope = self.data.scopes.get(cls)
        if scope is None:
            return False
        if attr in scope.defs or attr in scope.names:
            return True
        if self.assigned is None:
            self.assigned = set()
            for a in self.data.attr_assigns:
                owner = self.resolve(self.text(a.obj), a.val.scope) if a.obj.type == "identifier" else None
                if owner is not None and owner.cls is not None and owner.receiver == self.text(a.obj):
                    self.assigned.add((owner.cls, a.attr))
        return (cls, attr) in self.assigned

    def call_elements(self, node: Node, fn: Node, scope: Scope) -> list[Ref]:
        """The elements of what a call of a function of this file returns: what a generator
        yields, the elements of a returned literal (``return a, b``) or container."""
        self.blind += 1
        saved, self.memo = self.memo, {}
        try:
            targets = self.callee_functions(fn, scope)
        finally:
            self.blind -= 1
            self.memo = saved
        out: list[Ref] = []
        for sid, _ in targets:
            target = self.data.scopes.get(sid)
            key = (id(target), "return[]")
            if target is None or target.kind == "class" or key in self.busy:
                continue
            if target.generator:
                out += self.expr(node, scope)
                continue
            self.busy.add(key)
            try:
                for v in target.returns:
                    if v.kind == "expr" and v.node is not None:
                        out += self.elements(v.node, v.scope)
            finally:
                self.busy.discard(key)
        return _unique(out)

    def call_value(self, node: Node, scope: Scope) -> list[Ref]:
        """What a call expression returns (the callee's ``()``), with the builtins that only
        pass a value through (``getattr`` with a literal name, ``super()``) read through."""
        fn = node.child_by_field_id(FIELD_FUNCTION)
        if fn is None:
            return []
        args = node.child_by_field_id(FIELD_ARGUMENTS)
        positional = [a for a in args.named_children if a.type not in ("comment", "keyword_argument")] if args else []
        if fn.type == "identifier":
            name = self.text(fn)
            if name in BUILTINS and self.resolve(name, scope) is None:
                return self.builtin_value(name, positional, scope)
        elif fn.type == "attribute":
            attr = fn.child_by_field_id(FIELD_ATTRIBUTE)
            obj = fn.child_by_field_id(FIELD_OBJECT)
            method = self.text(attr)
            if obj is not None and method in ("get", "pop") and self.is_container(obj, scope):
                return self.elements(obj, scope)
            if method == "partial" and positional:
                return self.expr(positional[0], scope)
        if fn.type == "identifier" and self.text(fn) == "partial" and positional:
            return self.expr(positional[0], scope)
        return [add_op(r, "()") for r in self.expr(fn, scope)]

    def builtin_value(self, name: str, positional: list[Node], scope: Scope) -> list[Ref]:
        if name == "super":
            return self.super_refs(scope)
        if name == "getattr" and len(positional) >= 2:
            attr = positional[1]
            if (
                attr.type == "string"
                and attr.named_child_count == 3
                and attr.named_children[1].type == "string_content"
            ):
                op = "." + self.text(attr.named_children[1])
                out = [add_op(r, op) for r in self.expr(positional[0], scope)]
                if len(positional) > 2:
                    out += self.expr(positional[2], scope)
                return out
            self.dynamic = True
            return [DYNAMIC_GETATTR]  # an attribute named at run time: other files see it as such
        if name == "next" and positional:
            return self.elements(positional[0], scope)
        if name == "type" and len(positional) == 1:
            return _classes_of(self.expr(positional[0], scope))
        if name in _ELEMENT_FUNCTIONS:
            return [Ref(f"b:{name}", ("()",))]
        if name in ("staticmethod", "classmethod", "property") and positional:
            return self.expr(positional[0], scope)
        return [Ref(f"b:{name}", ("()",))]

    def super_refs(self, scope: Scope) -> list[Ref]:
        s: Scope | None = scope
        while s is not None and s.cls is None:
            s = s.parent
        if s is None or s.cls is None:
            return []
        return [Ref(f"s:{s.cls}", ("super",) if s.classmethod else ("new", "super"))]

    def is_container(self, node: Node, scope: Scope) -> bool:
        if node.type != "identifier":
            return False
        name = self.text(node)
        owner = self.resolve(name, scope)
        if owner is None:
            return False
        if name in owner.elems:
            return True
        return any(v.node is not None and literal_elements(v.node) is not None for v in owner.names.get(name, ()))

    def elements(self, node: Node, scope: Scope) -> list[Ref]:
        """What iterating over, or subscripting, ``node`` gives."""
        items = literal_elements(node)
        if items is not None:
            out: list[Ref] = []
            for item in items:
                if item.type in ("list_splat", "dictionary_splat") and item.named_child_count:
                    out += self.elements(item.named_children[0], scope)
                else:
                    out += self.expr(item, scope)
            return _unique(out)
        t = node.type
        if t == "identifier":
            return self.elements_of_name(self.text(node), scope)
        if t == "attribute":
            obj, attr = node.child_by_field_id(FIELD_OBJECT), node.child_by_field_id(FIELD_ATTRIBUTE)
            if obj is None or attr is None:
                return []
            op = "." + self.text(attr) + "[]"
            return [add_op(r, op) for r in self.expr(obj, scope)]
        if t == "call":
            fn = node.child_by_field_id(FIELD_FUNCTION)
            args = node.child_by_field_id(FIELD_ARGUMENTS)
            positional = (
                [a for a in args.named_children if a.type not in ("comment", "keyword_argument")] if args else []
            )
            if fn is not None and fn.type == "attribute":
                obj = fn.child_by_field_id(FIELD_OBJECT)
                if obj is not None and self.text(fn.child_by_field_id(FIELD_ATTRIBUTE)) in _VIEWS:
                    return self.elements(obj, scope)
            if fn is not None and fn.type == "identifier":
                name = self.text(fn)
                if name in _ELEMENT_FUNCTIONS and positional and self.resolve(name, scope) is None:
                    return self.elements(positional[_ELEMENT_FUNCTIONS[name]], scope)
                if name == "filter" and len(positional) > 1 and self.resolve(name, scope) is None:
                    return self.elements(positional[1], scope)
            # A generator of this file: its ``return`` binding lists what it yields. What other
            # functions return is a container whose elements no binding names.
            return self.call_elements(node, fn, scope) if fn is not None else []
        if t in ("list_comprehension", "set_comprehension", "generator_expression"):
            body = node.child_by_field_id(FIELD_BODY)
            inner = self.data.comprehensions.get(node.start_byte, scope)
            return self.expr(body, inner) if body is not None else []
        if t == "parenthesized_expression" and node.named_child_count:
            return self.elements(node.named_children[-1], scope)
        if t == "await" and node.named_child_count:
            return self.elements(node.named_children[-1], scope)
        return []

    # -- types ------------------------------------------------------------------------------
    def annotation(self, node: Node, scope: Scope) -> list[Ref]:
        return [add_op(r, "new") for r in self.types(node, scope)]

    def types(self, node: Node, scope: Scope) -> list[Ref]:
        """The classes a type expression names: ``Optional[A]`` / ``A | None`` -> A, ``Union[A,
        B]`` -> A and B, ``List[A]`` -> List (generic arguments removed), ``"A"`` -> A."""
        t = node.type
        if t in ("type", "parenthesized_expression") and node.named_child_count:
            return self.types(node.named_children[0], scope)
        if t in ("tuple", "expression_list"):
            return _unique([r for c in node.named_children for r in self.types(c, scope)])
        if t in ("identifier", "attribute"):
            if self.text(node).rsplit(".", 1)[-1] in _UNTYPED:
                return []
            return [r for r in self.expr(node, scope) if not r.ops or r.ops[-1].startswith(".")]
        if t == "binary_operator":
            left, right = node.child_by_field_id(FIELD_LEFT), node.child_by_field_id(FIELD_RIGHT)
            return _unique((self.types(left, scope) if left else []) + (self.types(right, scope) if right else []))
        if t in ("generic_type", "subscript"):
            head = node.child_by_field_id(FIELD_VALUE) if t == "subscript" else node.named_children[0]
            if head is None:
                return []
            name = self.text(head).rsplit(".", 1)[-1]
            if name in _TYPE_WRAPPERS:
                args = node.named_children[1:] if t == "generic_type" else node.children_by_field_name("subscript")
                first_only = name in ("Annotated", "Final", "ClassVar", "Required", "NotRequired")
                out: list[Ref] = []
                for a in args[:1] if first_only else args:
                    if a.type == "type_parameter":
                        parts = [c for c in a.named_children if c.type != "comment"]
                        out += [r for p in (parts[:1] if first_only else parts) for r in self.types(p, scope)]
                    else:
                        out += self.types(a, scope)
                return _unique(out)
            return self.types(head, scope)
        if t == "string" and node.named_child_count == 3:
            dotted = self.text(node.named_children[1]).strip().split(".")
            if all(part.isidentifier() for part in dotted):
                refs = self.name(dotted[0], scope)
                for part in dotted[1:]:
                    refs = [add_op(r, "." + part) for r in refs]
                return refs
        return []

    # -- definitions ------------------------------------------------------------------------
    def decorated(self, v: Val) -> list[Ref]:
        """A decorated definition's value: each decorator defined in this file is applied (the
        name holds what the decorator returns); one that returns its argument unchanged, or
        one that is imported or built in, leaves the function itself."""
        assert v.node is not None and v.symbol is not None
        decorators = [d for d in self.data.decorators if d.target == v.symbol]
        if any(_is_property(self.text(d.expr)) for d in decorators):
            return [Ref("b:property", ("()",))]
        return self.applied(v.symbol, decorators)

    def applied(self, symbol: str, decorators: list[Decorator]) -> list[Ref]:
        """What ``decorators`` (outermost first) make of the definition ``symbol``."""
        value = [Ref(f"s:{symbol}")]
        for d in reversed(decorators):
            refs = self.expr(d.expr, d.scope)
            if not refs or not all(self.defined_here(r) for r in refs):
                continue
            if all(self.is_identity(r) for r in refs):
                continue
            value = [add_op(r, "()") for r in refs]
        return value

    def defined_here(self, ref: Ref) -> bool:
        """A function or class of this file, or the result of calling one (a decorator factory)."""
        if ref.ops not in ((), ("()",)):
            return False
        if ref.base.startswith("s:"):
            return True
        return ref.base.startswith("n:") and ref.base[2:] in self.module.defs

    def is_identity(self, ref: Ref) -> bool:
        sid = ref.base[2:] if ref.base.startswith("s:") else self.module.defs.get(ref.base[2:])
        if sid is None:
            return False
        if ref.ops == ("()",):
            scope = self.data.scopes.get(sid)
            if scope is None or not scope.returns:
                return False
            inner = [r for v in scope.returns for r in self.val(v)]
            return bool(inner) and all(r.base.startswith("s:") and not r.ops and self.is_identity(r) for r in inner)
        scope = self.data.scopes.get(sid)
        if scope is None or scope.kind != "function" or not scope.params or not scope.returns:
            return False
        first = scope.params[0].name
        return all(
            v.kind == "expr" and v.node is not None and v.node.type == "identifier" and self.text(v.node) == first
            for v in scope.returns
        )

    # -- higher-order: arguments of this file's calls ---------------------------------------
    def argument_values(self, fscope: Scope, name: str, elements: bool = False) -> list[Ref]:
        """What the calls of ``fscope``'s function in this file pass for parameter ``name``
        (with ``elements``: the elements of what they pass)."""
        if fscope.symbol is None or self.blind or fscope.symbol in self.building:
            return []
        sites = self.call_sites(fscope.symbol)
        index = next(i for i, p in enumerate(fscope.params) if p.name == name)
        param = fscope.params[index]
        out: list[Ref] = []
        if param.kind in ("variadic", "keyword_variadic"):
            if not elements:
                return []
            named = {p.name for p in fscope.params}
            for _, offset, positional, keywords, scope in sites:
                if param.kind == "keyword_variadic":
                    out += [r for k, node in keywords.items() if k not in named for r in self.expr(node, scope)]
                    continue
                for arg in positional[max(index - offset, 0) :]:
                    out += list(arg) if isinstance(arg, tuple) else self.expr(arg, scope)
            return out
        for _, offset, positional, keywords, scope in sites:
            i = index - offset
            if param.kind == "positional" and 0 <= i < len(positional):
                arg = positional[i]
                if isinstance(arg, tuple):
                    out += [] if elements else list(arg)
                else:
                    out += self.elements(arg, scope) if elements else self.expr(arg, scope)
            node = keywords.get(name)
            if node is not None:
                out += self.elements(node, scope) if elements else self.expr(node, scope)
        return out

    def call_sites(self, sid: str) -> list[Site]:
        """The calls of this file that may call function ``sid``: only calls whose callee ends
        in its name (its class's name for ``__init__``) are evaluated, and decorators."""
        sites = self.sites.get(sid)
        if sites is not None:
            return sites
        self.sites[sid] = sites = []
        parts = sid.split(".")
        name = parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]
        if self.by_name is None:
            self.by_name = {}
            for call, scope in zip(self.data.calls, self.data.call_scopes, strict=True):
                self.by_name.setdefault(call.name, []).append((call, scope))
        self.building.add(sid)
        saved, self.memo = self.memo, {}
        try:
            candidates = [c for n in (name, *self.aliases().get(name, ())) for c in self.by_name.get(n, ())]
            for call, scope in (candidates[:MAX_SITES] + self.parameter_calls())[: 2 * MAX_SITES]:
                node = self.data.call_node(call)
                if node is None:
                    continue
                fn = node.child_by_field_id(FIELD_FUNCTION)
                args = node.child_by_field_id(FIELD_ARGUMENTS)
                if fn is None or args is None or args.type != "argument_list":
                    continue
                for target, offset in self.callee_functions(fn, scope):
                    if target == sid:
                        positional, keywords = self.arguments(args)
                        sites.append((sid, offset, positional, keywords, scope))
            if self.decorators_by_name is None:
                self.decorators_by_name = {}
                for d in self.data.decorators:
                    if d.target is not None:
                        last = "()" if d.expr.type == "call" else self.text(d.expr).rsplit(".", 1)[-1]
                        self.decorators_by_name.setdefault(last, []).append(d)
            by_name = self.decorators_by_name
            for d in by_name.get(name, []) + by_name.get("()", []):
                for target, offset in self.callee_functions(d.expr, d.scope):
                    if target == sid and d.target is not None:
                        stack = [x for x in self.data.decorators if x.target == d.target]
                        inner = self.applied(d.target, stack[stack.index(d) + 1 :])
                        sites.append((sid, offset, [tuple(inner)], {}, d.scope))
        finally:
            self.building.discard(sid)
            self.memo = saved
        return sites

    def aliases(self) -> dict[str, list[str]]:
        """Name -> the names bound to it in some scope of the file (``c = func``)."""
        if self.alias_map is None:
            self.alias_map = {}
            scopes = [self.module, *self.data.scopes.values()]
            for scope in scopes:
                for name, vals in scope.names.items():
                    for v in vals:
                        if v.kind == "expr" and v.node is not None and v.node.type == "identifier":
                            self.alias_map.setdefault(self.text(v.node), []).append(name)
        return self.alias_map

    def parameter_calls(self) -> list[tuple[Call, Scope]]:
        """Calls of a parameter (``fn()`` in ``def apply(fn)``): they may call any function."""
        if self.param_calls is None:
            self.param_calls = []
            for call, scope in zip(self.data.calls, self.data.call_scopes, strict=True):
                if call.receiver is None and call.name == call.callee:
                    owner = self.resolve(call.name, scope)
                    if owner is not None and any(p.name == call.name for p in owner.params):
                        self.param_calls.append((call, scope))
        return self.param_calls[:MAX_SITES]

    def arguments(self, args: Node) -> tuple[list[Node | tuple[Ref, ...]], dict[str, Node]]:
        positional: list[Node | tuple[Ref, ...]] = []
        keywords: dict[str, Node] = {}
        spread = False
        for a in args.named_children:
            t = a.type
            if t == "keyword_argument":
                key, value = a.child_by_field_id(FIELD_NAME), a.child_by_field_id(FIELD_VALUE)
                if key is not None and value is not None:
                    keywords[self.text(key)] = value
            elif t in ("list_splat", "dictionary_splat"):
                spread = True
            elif t != "comment" and not spread:
                positional.append(a)
        return positional, keywords

    def callee_functions(self, fn: Node, scope: Scope) -> list[tuple[str, int]]:
        """The functions of this file a callee names, with how many leading parameters the call
        fills implicitly (1 for a bound method or a constructor's ``self``)."""
        out: list[tuple[str, int]] = []
        for ref in self.in_file(self.expr(fn, scope), 3):
            sid = self.symbol_of(ref.base)
            if sid is None:
                continue
            ops = ref.ops
            if not ops:
                target = self.data.scopes.get(sid)
                if target is not None and target.kind == "class":
                    init = self.data.scopes.get(f"{sid}.__init__")
                    if init is not None:
                        out.append((f"{sid}.__init__", 1))
                elif target is not None:
                    out.append((sid, 0))
            elif len(ops) <= 2 and ops[-1].startswith(".") and ops[:-1] in ((), ("new",), ("()",)):
                method = self.data.scopes.get(f"{sid}.{ops[-1][1:]}")
                if method is None or method.kind != "function":
                    continue
                bound = ops[:-1] != () or method.classmethod
                out.append((f"{sid}.{ops[-1][1:]}", 1 if bound and not method.staticmethod else 0))
        return out

    def in_file(self, refs: list[Ref], depth: int) -> list[Ref]:
        """Refs with module variables of this file and results of its functions replaced by
        what they hold, so that ``r = Runner(); r.execute(job)`` is a call of ``Runner.execute``."""
        if depth <= 0:
            return refs
        out: list[Ref] = []
        for ref in refs:
            name = ref.base[2:]
            if ref.base.startswith("n:") and name in self.module.names and name not in self.module.defs:
                key = (0, ref.base)
                if key in self.busy:
                    continue
                self.busy.add(key)
                try:
                    held = [r for v in self.module.names[name] for r in self.val(v) if r.base != ref.base]
                finally:
                    self.busy.discard(key)
                out += self.in_file([Ref(r.base, r.ops + ref.ops) for r in held], depth - 1)
                continue
            sid = self.symbol_of(ref.base)
            target = self.data.scopes.get(sid) if sid is not None else None
            if ref.ops[:1] == ("()",) and target is not None and target.kind != "class":
                key = (id(target), "return")
                if key in self.busy:
                    continue
                self.busy.add(key)
                try:
                    held = [r for v in target.returns for r in self.val(v)]
                finally:
                    self.busy.discard(key)
                out += self.in_file([Ref(r.base, r.ops + ref.ops[1:]) for r in held], depth - 1)
                continue
            out.append(ref)
        return _unique(out)

    def symbol_of(self, base: str) -> str | None:
        if base.startswith("s:"):
            return base[2:]
        if base.startswith("n:"):
            return self.module.defs.get(base[2:])
        return None
