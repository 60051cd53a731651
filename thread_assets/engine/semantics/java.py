"""Java: what each call may reach, from the file's scopes and declared types.

One query pass collects the nodes that open scopes (types, anonymous class bodies, methods,
lambdas, blocks, ``for``/``catch``/``try``/``switch`` parts), the declarations that bind names
(fields, locals, parameters, ``for``/``catch``/resource variables, ``instanceof`` and ``case``
patterns) and the calls; they are swept once in byte order with a stack of open scopes, so a
call sees exactly the names declared before it in the blocks around it.

What a name holds is its declared type (``var x = new Foo()`` takes the initializer's), as a
:class:`~thread_assets.engine.model.Ref`: flow-insensitive, since Java's static types do not
change. Calls become:

- ``m()`` -> the class that declares ``m`` among the lexically enclosing classes of this file
  (``Ref("s:C", ("new", ".m"))``), else the innermost class through its hierarchy;
- ``x.m()`` -> ``x``'s type ``.m`` (an interface type lets the graph step add dispatch edges);
  ``Type.m()`` -> the type ``.m``; ``super.m()`` -> ``("new", "super", ".m")``;
- ``new Foo()`` / ``this(...)`` -> the class (the graph step picks its constructor),
  ``super(...)`` -> the superclass as written;
- ``java.lang`` types the file does not shadow (``System.out.println``, ``String.valueOf``) ->
  ``builtin``; ``Method.invoke`` / ``Class.newInstance`` -> ``dynamic``; a receiver of unknown
  type (an untyped lambda parameter) -> ``unknown``.

Bindings: fields (``Binding(scope=class, name=field)``, elements of arrays and one-argument
generics as ``field[]``), enum constants, record components and methods' declared return types
(``return``). Relations: ``extends`` / ``implements`` as written, generic arguments removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from msgspec.structs import replace
from tree_sitter import Node

from ..extract.common import Source, captures
from ..model import Binding, Call, CallReason, Import, Ref, Symbol, TypeRelation
from ..parse import language_object
from .java_types import (
    ENUM_METHODS,
    ENUM_ONLY_METHODS,
    ENUM_STATIC_METHODS,
    JAVA_LANG,
    OBJECT_METHODS,
    PRIMITIVE_TYPES,
    REFLECTIVE_CALLS,
    element_type,
    strip_type,
    type_segments,
)
from .lazy import LazyVar, Values
from .refs import builtins_bare as _out
from .refs import with_ops as _with

_QUERY = """
[(class_declaration) (interface_declaration) (enum_declaration) (record_declaration)
 (annotation_type_declaration)] @type
(object_creation_expression (class_body) @anon)
(enum_constant body: (class_body) @anon)
[(method_declaration) (constructor_declaration) (compact_constructor_declaration)] @method
(lambda_expression) @lambda
[(block) (constructor_body) (for_statement) (enhanced_for_statement) (catch_clause)
 (try_with_resources_statement) (switch_block_statement_group) (switch_rule)] @scope
[(field_declaration) (constant_declaration)] @field
(local_variable_declaration) @local
(enhanced_for_statement) @foreach
(catch_formal_parameter) @catch
(resource) @resource
(instanceof_expression) @instanceof
(type_pattern) @pattern
[(method_invocation) (object_creation_expression) (explicit_constructor_invocation)] @call
"""
# Events at one position: scopes open before the declarations in them, declarations before calls.
_ORDER = {
    "type": 0,
    "anon": 0,
    "method": 0,
    "lambda": 0,
    "scope": 0,
    "local": 1,
    "foreach": 1,
    "catch": 1,
    "resource": 1,
    "instanceof": 1,
    "pattern": 1,
    "call": 2,
    "field": 3,
}
_TYPE_KINDS = frozenset({"class", "interface", "enum"})
_JDK_ROOTS = frozenset({"java", "javax", "jdk", "sun"})
_ELEMENT_CALLBACKS = frozenset(
    {"forEach", "removeIf", "ifPresent", "ifPresentOrElse", "replaceAll", "computeIfPresent"}
)
_FINAL_OBJECT_METHODS = frozenset({"getClass", "notify", "notifyAll", "wait"})
"""``java.lang.Object``'s final methods: no class can define its own, so a call is the JDK's
unless the file declares an overload of the name (``wait(String)``)."""
_MAX_DEPTH = 120
"""Receiver chains deeper than this (generated builder code) are left unknown rather than risk
Python's recursion limit."""


@cache
def _query_text() -> str:
    return _QUERY


_Var = LazyVar


@dataclass(slots=True, eq=False)
class _Class:
    id: str | None
    """Local symbol id; None for an anonymous class body."""
    name: str
    kind: str
    node: Node
    base: Values = ()
    """An anonymous class's instance: its base type with ``new``."""
    outer: _Class | None = None
    methods: set[str] = field(default_factory=set)
    fields: dict[str, _Var] = field(default_factory=dict)
    nested: dict[str, str] = field(default_factory=dict)
    tparams: dict[str, Ref] = field(default_factory=dict)
    superclass: Ref | None = None
    static: bool = False
    """A static member class, interface, enum or record: no enclosing instance to call on."""

    def instance(self) -> Values:
        return (Ref(f"s:{self.id}", ("new",)),) if self.id is not None else self.base


@dataclass(slots=True, eq=False)
class _Frame:
    end: int
    cls: _Class | None = None
    vars: dict[str, _Var] = field(default_factory=dict)
    tparams: dict[str, Ref] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)


def semantics(
    root: Node,
    src: Source,
    language: str,
    symbols: tuple[Symbol, ...],
    imports: tuple[Import, ...],
    calls: tuple[Call, ...],
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    found = captures(language_object(language), _query_text(), root)
    return _JavaPass(src, symbols, imports, found).run(calls)


_LITERAL_TYPES = {
    "decimal_integer_literal": "int",
    "hex_integer_literal": "int",
    "string_literal": "String",
    "text_block": "String",
    "true": "boolean",
    "false": "boolean",
    "character_literal": "char",
    "decimal_floating_point_literal": "double",
}


def _simple_type(text: str | None) -> str:
    """``java.util.List<Class<?>>`` -> ``List``; ``final Foo`` -> ``Foo``; arrays keep ``[]``."""
    if not text:
        return ""
    base = text.split("<", 1)[0].split()[-1] if text.split("<", 1)[0].split() else text
    dims = "[]" * text.count("[]")
    return base.rpartition(".")[2] + dims


class _JavaPass:
    def __init__(
        self, src: Source, symbols: tuple[Symbol, ...], imports: tuple[Import, ...], found: dict[str, list[Node]]
    ) -> None:
        self.data = src.data
        self.found = found
        self.symbols = symbols
        self.imported = {i.bound for i in imports if i.bound}
        self.static_star = [
            i.module for i in imports if i.kind == "wildcard" and i.module.rpartition(".")[2][:1].isupper()
        ]
        """Classes whose static members ``import static a.B.*`` brings in."""
        self.reflect = any(i.module.startswith(("java.lang.reflect", "java.lang.invoke")) for i in imports)
        self.by_end: dict[int, Symbol] = {}
        for s in symbols:
            if s.kind in _TYPE_KINDS or s.kind == "method":
                self.by_end.setdefault(s.location.end_byte, s)
        self.classes: dict[int, _Class] = {}
        """Node id of a type declaration or anonymous class body -> its class."""
        self.top_types: dict[str, str] = {}
        self.type_ids = {s.id for s in symbols if s.kind in _TYPE_KINDS}
        self.method_names = {s.name for s in symbols if s.kind == "method"}
        self.enums = {s.id for s in symbols if s.kind == "enum"}
        self.nested_names: dict[str, str] = {}
        """Member classes (nested in classes, not in methods): local id -> qualified name, the
        name a relation uses for them so that it resolves from the file's top level."""
        self.stack: list[_Frame] = []
        self.memo: dict[int, Values] = {}
        self.calls_memo: dict[int, tuple[Values, CallReason | None]] = {}
        self.overloaded: dict[tuple[str, str], list[tuple[str, int, int, tuple[str, ...]]]] = {}
        """(class id, member name) -> (symbol id, fewest and most arguments, simple names of the
        fixed parameters' types) of each overload."""
        self.relations: list[TypeRelation] = []
        self.bindings: list[tuple[int, Binding]] = []

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # ---- the file's classes, before any body is read ---------------------------------------
    def run(self, calls: tuple[Call, ...]) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
        self._classes()
        results = self._sweep()
        out = list(calls)
        for i, call in enumerate(calls):
            got = results.get((call.location.start_byte, call.location.end_byte))
            if got is not None:
                targets, reason = got
                out[i] = replace(call, targets=_out(targets), reason=reason)
        self.bindings.sort(key=lambda b: b[0])
        return tuple(out), tuple(self.relations), tuple(b for _, b in self.bindings)

    def _classes(self) -> None:
        members: dict[str, list[Symbol]] = {}
        for s in self.symbols:
            if s.parent is not None:
                members.setdefault(s.parent, []).append(s)
        for node in self.found.get("type", ()):
            sym = self.by_end.get(node.end_byte)
            if sym is None or sym.kind not in _TYPE_KINDS:
                continue
            cls = _Class(sym.id, sym.name, node.type, node)
            cls.static = sym.parent is None or node.type != "class_declaration" or "static " in sym.signature
            for m in members.get(sym.id, ()):
                if m.kind == "method":
                    cls.methods.add(m.name)
                    if m.id.endswith(")"):
                        variadic = any(p.kind == "variadic" for p in m.parameters)
                        n = len(m.parameters)
                        low, high = (n - 1, 1 << 30) if variadic else (n, n)
                        types = tuple(_simple_type(p.type) for p in m.parameters if p.kind != "variadic")
                        self.overloaded.setdefault((sym.id, m.name), []).append((m.id, low, high, types))
                elif m.kind in _TYPE_KINDS:
                    cls.nested[m.name] = m.id
            self.classes[node.id] = cls
            if sym.parent is None:
                self.top_types.setdefault(sym.name, sym.id)
            elif "." in sym.qualified_name and sym.parent in self.type_ids:
                self.nested_names[sym.id] = sym.qualified_name
        for body in self.found.get("anon", ()):
            owner = body.parent
            cls = _Class(None, "", "anonymous", body)
            cls.methods = {
                self.text(c.child_by_field_name("name")) for c in body.named_children if c.type == "method_declaration"
            }
            self.classes[body.id] = cls
        for cls in self.classes.values():
            cls.outer = self._enclosing_class(cls.node)
        # type parameters and bases need the outer classes, so a second round
        for cls in self.classes.values():
            chain = self._chain(cls)
            if cls.id is None:
                owner = cls.node.parent
                if owner is not None and owner.type == "enum_constant":
                    enum = cls.outer
                    cls.base = enum.instance() if enum is not None else ()
                else:
                    t = self._type_ref(owner.child_by_field_name("type") if owner is not None else None, chain)
                    cls.base = (Ref(t.base, (*t.ops, "new")),) if t is not None else ()
                continue
            tps = cls.node.child_by_field_name("type_parameters")
            if tps is not None:
                cls.tparams = self._tparams(tps, chain)
                chain = self._chain(cls)
            self._relations(cls, chain)
        for node in self.found.get("field", ()):
            self._field(node)
        for cls in self.classes.values():
            if cls.kind == "record_declaration":
                self._record_components(cls)
            elif cls.kind == "enum_declaration":
                self._enum_constants(cls)

    def _enclosing_class(self, node: Node) -> _Class | None:
        cur = node.parent
        while cur is not None:
            found = self.classes.get(cur.id)
            if found is not None:
                return found
            cur = cur.parent
        return None

    @staticmethod
    def _chain(cls: _Class | None) -> list[_Frame]:
        """Frames standing for a class and its lexical outers (outermost first), for resolving
        type names outside the sweep."""
        out: list[_Frame] = []
        while cls is not None:
            out.append(_Frame(end=cls.node.end_byte, cls=cls))
            cls = cls.outer
        out.reverse()
        return out

    def _tparams(self, tps: Node, frames: list[_Frame]) -> dict[str, Ref]:
        out: dict[str, Ref] = {}
        for tp in tps.named_children:
            if tp.type != "type_parameter":
                continue
            name_node = next((c for c in tp.named_children if c.type in ("type_identifier", "identifier")), None)
            if name_node is None:
                continue
            bound = next((c for c in tp.named_children if c.type == "type_bound"), None)
            first = next((c for c in bound.named_children), None) if bound is not None else None
            ref = self._type_ref(first, frames) if first is not None else None
            out[self.text(name_node)] = ref if ref is not None else Ref("b:Object")
        return out

    def _relations(self, cls: _Class, frames: list[_Frame]) -> None:
        assert cls.id is not None
        node = cls.node
        groups: list[tuple[str, Node]] = []
        sup = node.child_by_field_name("superclass")
        if sup is not None:
            groups.extend(("extends", c) for c in sup.named_children)
        for child in node.named_children:
            if child.type in ("super_interfaces", "extends_interfaces"):
                kind = "implements" if child.type == "super_interfaces" else "extends"
                for tl in child.named_children:
                    groups.extend((kind, c) for c in (tl.named_children if tl.type == "type_list" else [tl]))
        for kind, tnode in groups:
            stripped = strip_type(tnode)
            if stripped is None:
                continue
            segs = type_segments(stripped, self.data)
            if not segs:
                continue
            head = self._type_name(segs[0], frames)
            if head is not None and head.base.startswith("s:") and head.base[2:] in self.nested_names:
                segs = [*self.nested_names[head.base[2:]].split("."), *segs[1:]]  # a member class: Outer.Base
            self.relations.append(
                TypeRelation(
                    type=cls.id,
                    type_name=cls.name,
                    base=".".join(segs),
                    kind=kind,  # type: ignore[arg-type]
                    location=Source.loc(tnode),
                )
            )
            if kind == "extends" and cls.kind == "class_declaration":
                cls.superclass = self._type_ref(tnode, frames)

    def _declared(self, tnode: Node | None, frames: list[_Frame], dims: bool = False) -> _Var:
        """What a variable declared with this type holds: an instance of it, and for arrays and
        one-argument generics the elements' type."""
        if tnode is None:
            return _Var(())
        if dims or tnode.type == "array_type":
            elem = tnode.child_by_field_name("element") if tnode.type == "array_type" and not dims else tnode
            eref = self._type_ref(elem, frames)
            return _Var((), (Ref(eref.base, (*eref.ops, "new")),) if eref is not None else ())
        ref = self._type_ref(tnode, frames)
        values = (Ref(ref.base, (*ref.ops, "new")),) if ref is not None else ()
        elem_node = element_type(tnode)
        inner = self._type_ref(elem_node, frames) if elem_node is not None else None
        return _Var(values, (Ref(inner.base, (*inner.ops, "new")),) if inner is not None else ())

    def _exposed(self, tnode: Node | None, frames: list[_Frame], var: _Var) -> _Var:
        """What a field or a result says to code outside its class: an unbounded type parameter
        (``T``, the elements of ``List<T>``) is ``Object`` inside the generic code, but the reader
        has a ``T`` of its own (``Repo<User>.find()`` is a ``User``), which no binding can say; so
        that part is left out rather than recorded as a builtin ``Object``."""
        node = strip_type(tnode)
        elem = element_type(tnode)
        if node is not None and node.type == "array_type":
            elem = node.child_by_field_name("element")
            node = None
        values = () if self._type_parameter(node, frames) else var.values
        elems = () if self._type_parameter(strip_type(elem), frames) else var.elems
        return var if (values, elems) == (var.values, var.elems) else _Var(values, elems)

    def _type_parameter(self, node: Node | None, frames: list[_Frame]) -> bool:
        if node is None or node.type != "type_identifier":
            return False
        name = self.text(node)
        return name != "Object" and self._type_name(name, frames) == Ref("b:Object")

    def _bind(self, at: int, scope: str, name: str, var: _Var) -> None:
        if var.values:
            self.bindings.append((at, Binding(scope=scope, name=name, values=_out(var.values))))
        if var.elems:
            self.bindings.append((at, Binding(scope=scope, name=f"{name}[]", values=_out(var.elems))))

    def _field(self, node: Node) -> None:
        cls = self._enclosing_class(node)
        if cls is None:
            return
        frames = self._chain(cls)
        tnode = node.child_by_field_name("type")
        for decl in node.children_by_field_name("declarator"):
            name = self.text(decl.child_by_field_name("name"))
            var = self._declared(tnode, frames, dims=decl.child_by_field_name("dimensions") is not None)
            cls.fields[name] = var
            if cls.id is not None:
                self._bind(decl.start_byte, cls.id, name, self._exposed(tnode, frames, var))

    def _record_components(self, cls: _Class) -> None:
        assert cls.id is not None
        frames = self._chain(cls)
        params = cls.node.child_by_field_name("parameters")
        for p in params.named_children if params is not None else ():
            if p.type != "formal_parameter":
                continue
            name = self.text(p.child_by_field_name("name"))
            var = self._declared(p.child_by_field_name("type"), frames)
            cls.fields[name] = var
            self._bind(p.start_byte, cls.id, name, var)

    def _enum_constants(self, cls: _Class) -> None:
        assert cls.id is not None
        body = cls.node.child_by_field_name("body")
        for c in body.named_children if body is not None else ():
            if c.type == "enum_constant":
                name = self.text(c.child_by_field_name("name"))
                var = _Var(cls.instance())
                cls.fields[name] = var
                self._bind(c.start_byte, cls.id, name, var)

    # ---- type names --------------------------------------------------------------------------
    def _type_name(self, name: str, frames: list[_Frame]) -> Ref | None:
        """A simple type name as Java resolves it: type parameters, local and member classes of
        the enclosing classes, the file's top-level types, imports, then ``java.lang`` and the
        package (left to the graph step). A type parameter stands for its bound."""
        for frame in reversed(frames):
            if name in frame.tparams:
                return frame.tparams[name]
            if name in frame.types:
                return Ref(f"s:{frame.types[name]}")
            cls = frame.cls
            if cls is not None:
                if name in cls.tparams:
                    return cls.tparams[name]
                if cls.id is not None and cls.name == name:
                    return Ref(f"s:{cls.id}")
                if name in cls.nested:
                    return Ref(f"s:{cls.nested[name]}")
        if name in self.top_types:
            return Ref(f"s:{self.top_types[name]}")
        if name in self.imported:
            return Ref(f"n:{name}")
        if name in JAVA_LANG:
            return Ref(f"b:{name}")
        return Ref(f"n:{name}")

    def _known_type(self, name: str, frames: list[_Frame]) -> Ref | None:
        """The type an identifier in expression position names, when it is not a variable."""
        ref = self._type_name(name, frames)
        if ref is None:
            return None
        if ref.base.startswith("n:") and name not in self.imported:
            # Same-package type or an inherited field: CamelCase reads as a type, LOUD_CASE as a constant.
            if not name[:1].isupper() or (name.isupper() and len(name) > 1):
                return None
        return ref

    def _type_ref(self, tnode: Node | None, frames: list[_Frame]) -> Ref | None:
        node = strip_type(tnode)
        if node is None or node.type in PRIMITIVE_TYPES or node.type == "array_type":
            return None
        segs = type_segments(node, self.data)
        if not segs or segs[0] == "var":
            return None
        head = self._type_name(segs[0], frames)
        if head is None:
            return None
        if len(segs) == 1:
            return head
        if head.base.startswith("b:") or (head.base.startswith("n:") and not segs[0][:1].isupper()):
            package = [x for x in segs[:-1] if not x[:1].isupper()]
            if segs[0] in _JDK_ROOTS and len(package) >= 2:  # java.util.List: the JDK's
                return Ref(f"x:{'.'.join(package)}", tuple(f".{x}" for x in segs[len(package) :]))
            head = Ref(f"n:{segs[0]}")  # a package name: com.acme.Widget
        return Ref(head.base, head.ops + tuple(f".{s}" for s in segs[1:]))

    # ---- the sweep ---------------------------------------------------------------------------
    def _sweep(self) -> dict[tuple[int, int], tuple[tuple[Ref, ...], CallReason | None]]:
        events: list[tuple[int, int, int, str, Node]] = []
        for cap, nodes in self.found.items():
            order = _ORDER[cap]
            if cap == "field":
                continue
            for n in nodes:
                events.append((n.start_byte, -n.end_byte, order, cap, n))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        self.stack = [_Frame(end=1 << 62)]
        results: dict[tuple[int, int], tuple[tuple[Ref, ...], CallReason | None]] = {}
        for start, _, _, cap, node in events:
            stack = self.stack
            while len(stack) > 1 and stack[-1].end <= start:
                stack.pop()
            if cap == "call":
                results[(node.start_byte, node.end_byte)] = self._call(node)
            elif cap == "type" or cap == "anon":
                cls = self.classes.get(node.id)
                if cls is not None and cls.id is not None and cap == "type":
                    if len(stack) > 1 and stack[-1].cls is None:
                        stack[-1].types[cls.name] = cls.id  # a local class
                stack.append(_Frame(end=node.end_byte, cls=cls))
            elif cap == "method":
                self._method(node)
            elif cap == "lambda":
                self._lambda(node)
            elif cap == "scope":
                stack.append(_Frame(end=node.end_byte))
            else:
                self._declaration(cap, node)
        return results

    def _declare(self, name: str, var: _Var) -> None:
        if name:
            self.stack[-1].vars[name] = var

    def _method(self, node: Node) -> None:
        frame = _Frame(end=node.end_byte)
        tps = node.child_by_field_name("type_parameters")
        if tps is not None:
            frame.tparams = self._tparams(tps, self.stack)
        self.stack.append(frame)
        sym = self.by_end.get(node.end_byte)
        if sym is not None and sym.kind == "method":
            rtype = node.child_by_field_name("type")
            if rtype is not None:
                ret = self._declared(rtype, self.stack, dims=node.child_by_field_name("dimensions") is not None)
                ret = self._exposed(rtype, self.stack, ret)
                if ret.values:
                    self.bindings.append(
                        (node.start_byte, Binding(scope=sym.id, name="return", values=_out(ret.values)))
                    )
        self._parameters(node.child_by_field_name("parameters"))

    def _later(self, compute: Callable[[], tuple[Values, Values]]) -> _Var:
        """A variable whose value is computed on first use, in the scopes open now."""
        snapshot = self.stack[:]

        def thunk() -> tuple[Values, Values]:
            current, self.stack = self.stack, snapshot
            try:
                return compute()
            finally:
                self.stack = current

        return _Var(thunk=thunk)

    def _lazy_declared(self, tnode: Node | None, dims: bool = False) -> _Var:
        if tnode is None:
            return _Var()

        def compute() -> tuple[Values, Values]:
            # Type names are read in the scopes of the use: the declaration's and maybe inner
            # ones, where only a type parameter of an inner generic method (rare) could give the
            # name another meaning; javac rejects a local class shadowing another.
            var = self._declared(tnode, self.stack, dims=dims)
            return var.values, var.elems

        return _Var(thunk=compute)

    def _parameters(self, plist: Node | None) -> None:
        if plist is None:
            return
        for p in plist.named_children:
            if p.type == "formal_parameter":
                dims = p.child_by_field_name("dimensions") is not None
                var = self._lazy_declared(p.child_by_field_name("type"), dims)
                self._declare(self.text(p.child_by_field_name("name")), var)
            elif p.type == "spread_parameter":
                tnode = next((c for c in p.named_children if c.type not in ("modifiers", "variable_declarator")), None)
                decl = next((c for c in p.named_children if c.type == "variable_declarator"), None)
                if decl is not None:
                    var = self._lazy_declared(tnode, True)
                    self._declare(self.text(decl.child_by_field_name("name")), var)
            elif p.type == "identifier":
                self._declare(self.text(p), _Var(()))

    def _lambda(self, node: Node) -> None:
        elems = self._iterated(node)
        self.stack.append(_Frame(end=node.end_byte))
        params = node.child_by_field_name("parameters")
        if params is None:
            return
        if params.type == "identifier":
            self._declare(self.text(params), _Var(elems))
        elif params.type == "inferred_parameters":
            names = [self.text(c) for c in params.named_children if c.type == "identifier"]
            for i, name in enumerate(names):
                self._declare(name, _Var(elems if i == len(names) - 1 else ()))  # map.forEach((k, v) -> ...)
        else:
            self._parameters(params)

    def _iterated(self, node: Node) -> Values:
        """The elements a lambda is handed when it is the argument of ``xs.forEach(...)`` (or
        ``removeIf``, ``ifPresent``...) on a collection whose element type the file knows."""
        args = node.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        if call is None or call.type != "method_invocation":
            return ()
        if self.text(call.child_by_field_name("name")) not in _ELEMENT_CALLBACKS:
            return ()
        receiver = call.child_by_field_name("object")
        return self._elems(receiver, 0) if receiver is not None else ()

    def _declaration(self, cap: str, node: Node) -> None:
        frames = self.stack
        if cap == "local":
            tnode = node.child_by_field_name("type")
            inferred = tnode is not None and self.text(tnode) == "var"
            for decl in node.children_by_field_name("declarator"):
                name = self.text(decl.child_by_field_name("name"))
                value = decl.child_by_field_name("value")
                if inferred:
                    var = self._later(lambda v=value: (self._eval(v, 0) if v is not None else (), ()))  # type: ignore[misc]
                else:
                    var = self._lazy_declared(tnode, decl.child_by_field_name("dimensions") is not None)
                self._declare(name, var)
        elif cap == "foreach":
            tnode = node.child_by_field_name("type")
            name_node = node.child_by_field_name("name")
            if name_node is None:
                return
            if tnode is not None and self.text(tnode) == "var":
                value = node.child_by_field_name("value")
                self._declare(self.text(name_node), _Var(self._elems(value, 0) if value is not None else ()))
            else:
                dims = node.child_by_field_name("dimensions") is not None
                self._declare(self.text(name_node), self._declared(tnode, frames, dims=dims))
        elif cap == "catch":
            types: list[Ref] = []
            for c in node.named_children:
                if c.type == "catch_type":
                    for t in c.named_children:
                        ref = self._type_ref(t, frames)
                        if ref is not None:
                            types.append(Ref(ref.base, (*ref.ops, "new")))
            self._declare(self.text(node.child_by_field_name("name")), _Var(tuple(types)))
        elif cap == "resource":
            name_node = node.child_by_field_name("name")
            if name_node is None:
                return
            tnode = node.child_by_field_name("type")
            if tnode is not None and self.text(tnode) == "var":
                value = node.child_by_field_name("value")
                self._declare(self.text(name_node), _Var(self._eval(value, 0) if value is not None else ()))
            else:
                self._declare(self.text(name_node), self._declared(tnode, frames))
        elif cap == "instanceof":
            name_node = node.child_by_field_name("name")
            if name_node is not None:
                self._declare(self.text(name_node), self._declared(node.child_by_field_name("right"), frames))
        elif cap == "pattern":
            named = node.named_children
            if len(named) >= 2 and named[-1].type == "identifier":
                self._declare(self.text(named[-1]), self._declared(named[0], frames))

    # ---- values ------------------------------------------------------------------------------
    def _this(self) -> Values:
        for frame in reversed(self.stack):
            if frame.cls is not None:
                return frame.cls.instance()
        return ()

    def _innermost_class(self) -> _Class | None:
        return next((f.cls for f in reversed(self.stack) if f.cls is not None), None)

    def _variable(self, name: str) -> _Var | None:
        """A local, parameter or field of a lexically enclosing class of this file."""
        for frame in reversed(self.stack):
            var = frame.vars.get(name)
            if var is not None:
                return var
            cls = frame.cls
            if cls is not None:
                var = cls.fields.get(name)
                if var is not None:
                    return var
        return None

    def _name(self, name: str) -> Values:
        var = self._variable(name)
        if var is not None:
            return var.values
        if name in self.imported:  # import static a.B.FIELD
            return (Ref(f"n:{name}"),)
        return _with(self._this(), f".{name}")  # inherited field

    def _eval(self, node: Node, depth: int) -> Values:
        got = self.memo.get(node.id)
        if got is not None:
            return got
        if depth > _MAX_DEPTH:
            return ()
        values = self._eval_uncached(node, depth + 1)
        self.memo[node.id] = values
        return values

    def _eval_uncached(self, node: Node, depth: int) -> Values:
        t = node.type
        if t == "identifier":
            return self._name(self.text(node))
        if t == "this":
            return self._this()
        if t == "field_access":
            return self._field_access(node, depth)
        if t == "method_invocation":
            made = self._enum_factory(node)
            if made is not None and self.text(node.child_by_field_name("name")) == "valueOf":
                return made
            targets, _ = self._call_raw(node, depth)
            return _with(targets, "()")
        if t == "object_creation_expression":
            ctor, _ = self._new(node, depth)
            body = next((c for c in node.named_children if c.type == "class_body"), None)
            if body is not None and not ctor:
                return self.classes[body.id].base if body.id in self.classes else ()
            return _with(ctor, "new")
        if t == "parenthesized_expression":
            inner = next((c for c in node.named_children if "comment" not in c.type), None)
            return self._eval(inner, depth) if inner is not None else ()
        if t == "cast_expression":
            return self._declared(node.child_by_field_name("type"), self.stack).values
        if t == "ternary_expression":
            out: list[Ref] = []
            for f in ("consequence", "alternative"):
                sub = node.child_by_field_name(f)
                if sub is not None:
                    out.extend(v for v in self._eval(sub, depth) if v not in out)
            return tuple(out)
        if t == "assignment_expression":
            right = node.child_by_field_name("right")
            return self._eval(right, depth) if right is not None else ()
        if t == "array_access":
            array = node.child_by_field_name("array")
            return self._elems(array, depth) if array is not None else ()
        if t == "string_literal" or t == "text_block":
            return (Ref("b:String", ("new",)),)
        if t == "class_literal":
            return (Ref("b:Class", ("new",)),)
        return ()

    def _enum_factory(self, node: Node) -> Values | None:
        """``E.valueOf(s)`` is an ``E``, ``E.values()`` an array of them, for ``E`` a type."""
        obj = node.child_by_field_name("object")
        if obj is None or obj.type not in ("identifier", "field_access"):
            return None
        if self.text(node.child_by_field_name("name")) not in ENUM_STATIC_METHODS:
            return None
        static = self._static_type(self.text(obj)) if obj.type == "identifier" else None
        if static is None or static.base.startswith("b:"):
            return None
        return (Ref(static.base, (*static.ops, "new")),)

    def _elems(self, node: Node, depth: int) -> Values:
        """Elements of an array or collection expression (``for (var x : xs)``, ``xs[i]``)."""
        if node.type == "method_invocation" and self.text(node.child_by_field_name("name")) == "values":
            made = self._enum_factory(node)
            if made is not None:
                return made
        if node.type == "identifier":
            var = self._variable(self.text(node))
            if var is not None:
                return var.elems
            return _with(self._this(), f".{self.text(node)}[]")
        if node.type == "field_access":
            obj = node.child_by_field_name("object")
            name = self.text(node.child_by_field_name("field"))
            if obj is not None and obj.type == "this":
                cls = self._innermost_class()
                if cls is not None and name in cls.fields:
                    return cls.fields[name].elems
            return _with(self._eval(obj, depth) if obj is not None else (), f".{name}[]")
        return ()

    def _field_access(self, node: Node, depth: int) -> Values:
        obj = node.child_by_field_name("object")
        name = self.text(node.child_by_field_name("field"))
        if obj is None:
            return ()
        if name == "this":  # Outer.this
            ref = self._type_name(self.text(obj), self.stack)
            return (Ref(ref.base, (*ref.ops, "new")),) if ref is not None else ()
        if obj.type == "super":
            return _with(self._this(), "super", f".{name}")
        if obj.type == "this":
            cls = self._innermost_class()
            if cls is not None and name in cls.fields:
                return cls.fields[name].values
            return _with(self._this(), f".{name}")
        if obj.type == "identifier":
            static = self._static_type(self.text(obj))
            if static is not None:
                return (Ref(static.base, (*static.ops, f".{name}")),)
        elif obj.type == "field_access":
            jdk = self._jdk_path(node)
            if jdk is not None:
                return (jdk,)
        return _with(self._eval(obj, depth), f".{name}")

    def _jdk_path(self, node: Node) -> Ref | None:
        """``java.lang.management.ManagementFactory`` written in full in an expression: the JDK's
        (``java.lang`` types builtin), unless ``java`` is a variable here."""
        parts: list[str] = []
        cur: Node | None = node
        while cur is not None and cur.type == "field_access":
            parts.append(self.text(cur.child_by_field_name("field")))
            cur = cur.child_by_field_name("object")
        if cur is None or cur.type != "identifier":
            return None
        parts.append(self.text(cur))
        parts.reverse()
        if parts[0] not in _JDK_ROOTS or self._variable(parts[0]) is not None:
            return None
        package = [x for x in parts if x[:1].islower()]
        if len(package) < 2 or len(package) == len(parts) or parts[: len(package)] != package:
            return None
        rest = parts[len(package) :]
        if package == ["java", "lang"] and rest[0] in JAVA_LANG:
            return Ref(f"b:{rest[0]}")
        return Ref(f"x:{'.'.join(package)}", tuple(f".{x}" for x in rest))

    def _static_type(self, name: str) -> Ref | None:
        """The type an identifier names when it is not a variable (``Color.RED``, ``Math.max``)."""
        if self._variable(name) is not None:
            return None
        return self._known_type(name, self.stack)

    # ---- calls -------------------------------------------------------------------------------
    def _call(self, node: Node) -> tuple[Values, CallReason | None]:
        targets, reason = self._call_raw(node, 0)
        if targets and all(r.base.startswith("b:") for r in targets):
            return (), "builtin"
        if not targets and reason is None:
            reason = "unknown"
        return self._overloads(node, targets), reason

    def _call_raw(self, node: Node, depth: int) -> tuple[Values, CallReason | None]:
        got = self.calls_memo.get(node.id)
        if got is None:
            t = node.type
            if t == "method_invocation":
                got = self._invocation(node, depth)
            elif t == "object_creation_expression":
                got = self._new(node, depth)
            else:
                got = self._explicit_ctor(node)
            self.calls_memo[node.id] = got
        return got

    def _overloads(self, node: Node, targets: Values) -> Values:
        """A constructor or method of a class of this file that is overloaded: the overloads
        whose parameter count fits the call's arguments, and among those the ones whose parameter
        types are the arguments' known types, named by their symbol ids (the graph step would
        otherwise take the first one). Subtyping is not weighed: without an exact match every
        overload of the right arity stays."""
        if not self.overloaded:
            return targets
        arg_nodes: list[Node] | None = None
        arg_types: list[str | None] | None = None
        out: list[Ref] = []
        for ref in targets:
            key: tuple[str, str] | None = None
            ops = ref.ops
            if ref.base.startswith("s:"):
                cls_id = ref.base[2:]
                if not ops and node.type != "method_invocation":
                    key = (cls_id, cls_id.rpartition(".")[2])
                elif ops and ops in (("new", ops[-1]), (ops[-1],)) and ops[-1].startswith("."):
                    key = (cls_id, ops[-1][1:])
            overloads = self.overloaded.get(key) if key is not None else None
            if not overloads:
                out.append(ref)
                continue
            if arg_nodes is None:
                args = node.child_by_field_name("arguments")
                arg_nodes = [c for c in args.named_children if "comment" not in c.type] if args is not None else []
            count = len(arg_nodes)
            fits = [o for o in overloads if o[1] <= count <= o[2]]
            if len(fits) > 1:
                if arg_types is None:
                    arg_types = [self._arg_type(a) for a in arg_nodes]
                exact = [o for o in fits if all(t is None or t == p for t, p in zip(arg_types, o[3], strict=False))]
                fits = exact or fits
            if fits:
                out.extend(Ref(f"s:{o[0]}") for o in fits)
            else:
                out.append(ref)
        return tuple(out)

    def _arg_type(self, node: Node) -> str | None:
        """The simple type name of an argument, when the file tells it (a literal, a variable of a
        declared type, ``new Foo()``)."""
        literal = _LITERAL_TYPES.get(node.type)
        if literal is not None:
            return literal
        values = self._eval(node, 0)
        if len(values) != 1 or values[0].ops[-1:] != ("new",):
            return None
        ref = values[0]
        return ref.ops[-2][1:] if len(ref.ops) >= 2 else ref.base[2:].rpartition(".")[2]

    def _invocation(self, node: Node, depth: int) -> tuple[Values, CallReason | None]:
        name = self.text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        op = f".{name}"
        if name in _FINAL_OBJECT_METHODS and name not in self.method_names:
            return (Ref("b:Object", ("new", op)),), None
        if obj is None:
            return self._implicit_this(name), None
        if obj.type == "super":
            return _with(self._this(), "super", op), None
        if obj.type == "identifier":
            static = self._static_type(self.text(obj))
            if static is not None:
                return self._inherent((Ref(static.base, (*static.ops, op)),), name, node), None
        receiver = self._eval(obj, depth)
        if name in REFLECTIVE_CALLS and self._reflective(name, receiver):
            return (), "dynamic"
        return self._inherent(_with(receiver, op), name, node), None

    def _inherent(self, targets: Values, name: str, node: Node) -> Values:
        """Methods every class has (``toString``, ``equals``...; ``values()`` and ``ordinal()``
        of this file's enums): the JDK's as an alternative, which the graph step reports only when
        the class and its bases in the repository do not define them."""
        if not targets:  # a receiver of unknown type still has Object's methods
            return (Ref("b:Object"),) if name in OBJECT_METHODS and node is not None else targets
        if name in OBJECT_METHODS:
            return (*targets, Ref("b:Object"))
        static = any("new" not in r.ops for r in targets)  # Color.values(), not map.values()
        anywhere = name in ENUM_ONLY_METHODS and (name not in ENUM_STATIC_METHODS or static)
        if name in ENUM_METHODS and (
            anywhere or any(r.base[2:] in self.enums for r in targets if r.base.startswith("s:"))
        ):
            return (*targets, Ref("b:Enum"))
        return targets

    def _implicit_this(self, name: str) -> Values:
        for frame in reversed(self.stack):
            cls = frame.cls
            if cls is not None and name in cls.methods:
                return _with(cls.instance(), f".{name}") if cls.id is not None else ()
        if name in self.imported:  # import static a.B.m
            return (Ref(f"n:{name}"),)
        # Inherited: from the innermost class's bases, or (an inner, local or anonymous class)
        # from an enclosing class's; the file cannot tell which, the graph step can.
        out: list[Ref] = []
        cls = self._innermost_class()
        while cls is not None:
            out.extend(_with(cls.instance(), f".{name}"))
            if cls.static:
                break
            cls = cls.outer
        # ... or brought by ``import static a.B.*``: offered as the class's member, which the
        # graph step reports (as external) only when no class of the hierarchy defines it.
        out.extend(Ref(f"x:{module}", (f".{name}",)) for module in self.static_star)
        return self._inherent(tuple(out), name, None)  # type: ignore[arg-type]

    def _reflective(self, name: str, receiver: Values) -> bool:
        kinds = REFLECTIVE_CALLS[name]
        if not receiver:
            return self.reflect
        for ref in receiver:
            ops = ref.ops
            if ops == ("new",) and ref.base[2:] in kinds:
                return True
            if len(ops) >= 2 and ops[-1] == "()":
                made = ops[-2]
                if made in (".getMethod", ".getDeclaredMethod") and "Method" in kinds:
                    return True
                if made in (".getConstructor", ".getDeclaredConstructor") and "Constructor" in kinds:
                    return True
                if made in (".forName", ".getClass") and "Class" in kinds:
                    return True
        return False

    def _new(self, node: Node, depth: int) -> tuple[Values, CallReason | None]:
        tnode = node.child_by_field_name("type")
        first = node.children[0] if node.children else None
        if first is not None and first.type != "new" and "comment" not in first.type and tnode is not None:
            # outer.new Inner(): Inner is a member class of outer's type
            stripped = strip_type(tnode)
            name = self.text(stripped)
            for frame in reversed(self.stack):
                cls = frame.cls
                if cls is not None and name in cls.nested:
                    return (Ref(f"s:{cls.nested[name]}"),), None
            return _with(self._eval(first, depth), f".{name}"), None
        ref = self._type_ref(tnode, self.stack)
        return ((ref,) if ref is not None else ()), None

    def _explicit_ctor(self, node: Node) -> tuple[Values, CallReason | None]:
        keyword = node.child_by_field_name("constructor")
        cls = self._innermost_class()
        if cls is None or cls.id is None or keyword is None:
            return (), "unknown"
        if keyword.type == "this":
            return (Ref(f"s:{cls.id}"),), None
        if cls.superclass is not None:
            return (cls.superclass,), None
        return (), "builtin"  # Object(), Enum(), Record()
