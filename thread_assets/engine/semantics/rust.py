"""Rust: what each call may reach, from the file's scopes, declared types and impl blocks.

One query pass collects the nodes that open scopes (functions, closures, blocks, match arms,
``if let``/``while let``/``for``), the declarations (``let``, items), the calls and macro
invocations; they are swept once in byte order with a stack of open scopes, so a call sees the
names bound before it in the blocks around it (``let x = x.parse()`` reads the outer ``x``; a
parameter shadows a function of the module).

Values are flow-insensitive :class:`~thread_assets.engine.model.Ref` lists (see
:mod:`.rust_types` for the standard wrappers): a declared type is an instance of it (``&mut
Foo`` -> ``Ref("s:Foo", ("new",))``), ``Foo::new()`` holds ``new``'s result (its ``return``
binding: the declared type, ``Self`` being the impl's type), ``Foo { .. }`` is a ``Foo``,
``self`` is the impl's type (the trait itself in a trait's default method, so that the call
dispatches), a generic parameter bounded by a trait (``T: Shape``, ``impl Shape``, ``dyn Shape``)
is that trait. ``?``, ``unwrap()``, ``expect()`` on an ``Option``/``Result`` the file declares
give what it holds; a function returning ``Option<Foo>``/``Result<Foo, E>`` is bound to ``Foo``.
Calls become:

- ``x.m()`` -> the type of ``x`` ``.m`` (methods of trait impls and inherited trait defaults
  are the graph step's, through ``impl`` relations; a trait's methods dispatch);
- ``Foo::f()``, ``Self::f()``, ``module::f()`` -> the type's or module's member; ``T::f()`` on a
  bounded generic -> the trait's; ``Vec::new()``, ``String::from()`` -> external (``std::vec``);
- ``f()`` -> a local holding a function, a nested item, else the module's ``f``; a closure
  called, or a value of unknown type -> ``unknown``;
- ``name!()`` -> a ``macro_rules!`` of the file, else the standard macros ``builtin``, else by
  name; calls read inside macro arguments are resolved from their text in the same scopes.

Paths from the crate root (``crate::a::f()``) or out of the file (``super::f()`` at the
file's top) are left to the name-based resolution. Bindings: struct fields by declared type
(``field[]`` for the elements of a collection), module ``static``/``const`` items, and each
function's declared result (``return``). Relations: ``impl Trait for Type`` (``impl``) and
supertraits (``supertrait``).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Callable

from msgspec.structs import replace
from tree_sitter import Node

from ..extract.common import Source, captures
from ..model import Binding, Call, CallReason, Import, Ref, Symbol, TypeRelation
from ..parse import language_object, parser_for
from .rust_types import (
    BUILTIN_FUNCTIONS,
    CLOSURE,
    KEEP,
    LOCKS,
    MACROS,
    MAPS,
    NOTHING,
    OPTION_METHODS,
    OPTIONS,
    PRIMITIVES,
    SELF_RESULT,
    SEQUENCES,
    STD_TYPES,
    TRANSPARENT,
    UNWRAP,
    Refs,
    Val,
    std_ref,
)

_QUERY = """
[(function_item) (function_signature_item) (closure_expression)] @func
[(impl_item) (trait_item) (mod_item)] @item
[(block) (match_arm) (for_expression)] @scope
(if_expression condition: [(let_condition) (let_chain)]) @scope
(while_expression condition: [(let_condition) (let_chain)]) @scope
(let_declaration) @let
(let_condition) @letc
(call_expression) @call
(macro_invocation) @macro
[(struct_item) (union_item) (enum_item)] @type
(static_item) @static
(const_item) @static
[(attribute_item) (inner_attribute_item)] @attr
"""
_ORDER = {"item": 0, "func": 0, "scope": 0, "type": 1, "let": 1, "letc": 1, "static": 1, "macro": 2, "call": 2}
_MAX_DEPTH = 80
_GENERIC = re.compile(r"<[^<>]*>")
_CHAIN = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|self)(?:(?:\.|::)[A-Za-z_][A-Za-z0-9_]*)*$")
_TYPE_KINDS = frozenset({"struct", "enum", "union", "trait", "type_alias"})
_ELEMENT_TAKERS = frozenset(
    {
        "map",
        "for_each",
        "filter",
        "filter_map",
        "flat_map",
        "any",
        "all",
        "find",
        "position",
        "inspect",
        "take_while",
        "skip_while",
        "and_then",
        "map_or",
        "map_or_else",
        "is_some_and",
        "retain",
        "max_by_key",
        "min_by_key",
        "sort_by_key",
    }
)
"""Methods of iterators, collections and options whose closure takes one element."""


def _strip_generics(text: str) -> str:
    prev = None
    while prev != text:
        prev, text = text, _GENERIC.sub("", text)
    return "".join(text.split()).replace("::::", "::").removesuffix("::")


def _with(refs: Refs, *ops: str) -> Refs:
    return tuple(Ref(r.base, r.ops + ops) for r in refs)


def _new(refs: Refs) -> Refs:
    return _with(refs, "new")


class _Frame:
    __slots__ = ("end", "inline", "module", "self_refs", "self_type", "types", "vars")

    def __init__(self, end: int) -> None:
        self.end = end
        self.vars: dict[str, Val | _Lazy] = {}
        self.types: dict[str, Refs] = {}
        """Generic parameters: name -> the traits bounding it (empty: nothing known)."""
        self.self_refs: Refs | None = None
        """In an impl or trait: what ``Self`` names (the type itself, not an instance)."""
        self.self_type: str | None = None
        """Local id of the impl's type when the file defines it."""
        self.module: str | None = None
        """In an inline module: its qualified name (its items are looked up there first)."""
        self.inline = False
        """An inline ``mod x { }`` (what ``super::`` steps out of)."""


class _Lazy:
    """A local's value, worked out on first use (most locals are never a receiver or a callee)
    in the scopes of its declaration."""

    __slots__ = ("_compute", "_val")

    def __init__(self, compute: Callable[[], Val]) -> None:
        self._compute: Callable[[], Val] | None = compute
        self._val: Val | None = None

    def force(self) -> Val:
        if self._val is None:
            compute, self._compute = self._compute, None
            self._val = NOTHING  # a value that reads itself (``let x = x.next()`` gone wrong) is nothing
            if compute is not None:
                self._val = compute()
        return self._val


Bound = Val | _Lazy


def semantics(
    root: Node,
    src: Source,
    language: str,
    symbols: tuple[Symbol, ...],
    imports: tuple[Import, ...],
    calls: tuple[Call, ...],
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    found = captures(language_object(language), _QUERY, root)
    return _RustPass(src, symbols, imports, found).run(calls)


class _RustPass:
    def __init__(
        self, src: Source, symbols: tuple[Symbol, ...], imports: tuple[Import, ...], found: dict[str, list[Node]]
    ) -> None:
        self.data = src.data
        self.found = found
        self.by_range: dict[tuple[int, int], Symbol] = {}
        self.by_qname: dict[str, Symbol] = {}
        for s in symbols:
            self.by_range.setdefault((s.location.start_byte, s.location.end_byte), s)
            if s.kind != "impl":
                self.by_qname.setdefault(s.qualified_name, s)
        self.top_names = {s.name for s in symbols if s.parent is None and s.kind != "impl"}
        self.imported = {i.bound for i in imports if i.bound}
        self.fields: dict[str, dict[str, Node]] = {}
        """Struct local id -> field name -> declared type node (for ``self.field`` in the file)."""
        self.stack: list[_Frame] = []
        self.pending: list[tuple[int, int, _Frame, str, Val | _Lazy]] = []
        self.seq = 0
        self.memo: dict[int, Val] = {}
        self.relations: list[TypeRelation] = []
        self.bindings: list[tuple[int, Binding]] = []
        self.results: dict[tuple[int, int], tuple[Refs, CallReason | None]] = {}
        self.call_starts: set[int] = set()
        self.attributes: list[tuple[int, int]] = []
        self.hof: dict[tuple[str, int], list[Ref]] = {}
        """(function id, parameter index) -> the functions of the file the file's calls pass there."""
        self.macro_ranges: list[tuple[int, int, list[_Frame]]] = []
        self.macro_starts: list[int] = []
        self.token_starts: list[int] = []
        """Where the calls the extractor read from macro tokens start (no node of their own)."""
        """Macro invocations with the scopes around them, for the calls read from their tokens."""

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # ---- driver ------------------------------------------------------------------------------
    def run(self, calls: tuple[Call, ...]) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
        self.stack = [_Frame(end=1 << 62)]
        self.call_starts = {n.start_byte for n in self.found.get("call", ())}
        macro_nodes = {(n.start_byte, n.end_byte) for n in self.found.get("macro", ())}
        self.token_starts = sorted(
            c.location.start_byte
            for c in calls
            if c.location.start_byte not in self.call_starts
            and (c.location.start_byte, c.location.end_byte) not in macro_nodes
        )
        self._sweep()
        self.macro_starts = [lo for lo, _, _ in self.macro_ranges]
        out = list(calls)
        for i, call in enumerate(calls):
            got = self.results.get((call.location.start_byte, call.location.end_byte))
            if got is None and call.location.start_byte not in self.call_starts:
                got = self._token_call(call)
                if got is None and self._in_attribute(call.location.start_byte):
                    got = ((), "builtin")  # cfg(any(...)), derive(...): not calls
            if got is not None:
                targets, reason = got
                if targets or reason is not None:
                    out[i] = replace(call, targets=targets, reason=reason)
        self.bindings.sort(key=lambda b: b[0])
        return tuple(out), tuple(self.relations), tuple(b for _, b in self.bindings)

    def _passed_functions(self) -> None:
        """``apply(double, 3)``: a function of the file named bare as argument J of a call of
        another function of the file is what that function's parameter J holds (parameters
        typed ``fn(..)``, ``impl Fn(..)`` or a generic ``F: Fn(..)`` say nothing themselves)."""
        top_fns = {s.name: s.id for s in self.by_range.values() if s.kind == "function" and s.parent is None}
        if not top_fns:
            return
        for call in self.found.get("call", ()):
            fn = call.child_by_field_name("function")
            args = call.child_by_field_name("arguments")
            if fn is None or args is None or fn.type != "identifier":
                continue
            callee = top_fns.get(self.text(fn))
            if callee is None:
                continue
            for j, arg in enumerate(c for c in args.named_children if c.type not in ("line_comment", "block_comment")):
                if arg.type == "reference_expression":
                    arg = arg.child_by_field_name("value") or arg
                if arg.type == "identifier":
                    target = top_fns.get(self.text(arg))
                    if target is not None:
                        refs = self.hof.setdefault((callee, j), [])
                        if Ref(f"s:{target}") not in refs:
                            refs.append(Ref(f"s:{target}"))

    def _sweep(self) -> None:
        self._passed_functions()
        events: list[tuple[int, int, int, str, Node]] = []
        self.attributes = sorted((n.start_byte, n.end_byte) for n in self.found.pop("attr", ()))
        for cap, nodes in self.found.items():
            order = _ORDER[cap]
            for n in nodes:
                events.append((n.start_byte, -n.end_byte, order, cap, n))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        stack = self.stack
        for start, _, _, cap, node in events:
            if self.pending and self.pending[0][0] <= start:
                self._activate(start)
            while len(stack) > 1 and stack[-1].end <= start:
                stack.pop()
            if cap == "call":
                key = (node.start_byte, node.end_byte)
                if key not in self.results:
                    targets, reason, _ = self._call(node, 0)
                    self.results[key] = (targets, reason)
            elif cap == "macro":
                self._macro(node)
            elif cap == "func":
                self._function(node)
            elif cap == "item":
                self._item(node)
            elif cap == "scope":
                self._scope(node)
            elif cap == "let":
                self._let(node)
            elif cap == "letc":
                self._let_condition(node)
            elif cap == "type":
                self._type_item(node)
            elif cap == "static":
                self._static(node)

    def _in_attribute(self, at: int) -> bool:
        i = bisect_right(self.attributes, (at, 1 << 62)) - 1
        return i >= 0 and self.attributes[i][0] <= at < self.attributes[i][1]

    def _activate(self, position: int) -> None:
        pending = self.pending
        while pending and pending[0][0] <= position:
            _, _, frame, name, val = heapq.heappop(pending)
            frame.vars[name] = val

    def _declare_at(self, at: int, frame: _Frame, name: str, val: Val | _Lazy) -> None:
        if name and name != "_":
            self.seq += 1
            heapq.heappush(self.pending, (at, self.seq, frame, name, val))

    # ---- items -------------------------------------------------------------------------------
    def _item(self, node: Node) -> None:
        frame = _Frame(end=node.end_byte)
        self.stack.append(frame)
        if node.type == "mod_item":
            sym = self.by_range.get((node.start_byte, node.end_byte))
            if sym is not None and node.child_by_field_name("body") is not None:
                frame.module = sym.qualified_name
                frame.inline = True
            return
        self._generics(node, frame)
        if node.type == "trait_item":
            sym = self.by_range.get((node.start_byte, node.end_byte))
            if sym is None:
                return
            frame.self_refs = (Ref(f"s:{sym.id}"),)
            frame.self_type = sym.id
            bounds = node.child_by_field_name("bounds")
            for b in bounds.named_children if bounds is not None else ():
                self._relation(sym.id, sym.name, b, "supertrait")
            return
        tnode = node.child_by_field_name("type")
        refs, local = self._type_path(tnode)
        frame.self_refs = refs
        frame.self_type = local
        trait = node.child_by_field_name("trait")
        if trait is not None and not any(c.type == "!" for c in node.children):
            named = _named(tnode)
            self._relation(local, _strip_generics(self.text(named if named is not None else tnode)), trait, "impl")

    def _relation(self, type_id: str | None, type_name: str, base: Node, kind: str) -> None:
        if base.type in ("lifetime", "line_comment", "block_comment", "removed_trait_bound"):
            return
        if base.type == "higher_ranked_trait_bound":
            base = base.child_by_field_name("type") or base
        text = _strip_generics(self.text(base))
        if not text or text.startswith("?") or text in ("Sized", "Send", "Sync", "Copy", "Unpin", "'static"):
            return
        self.relations.append(
            TypeRelation(type=type_id, type_name=type_name, base=text, kind=kind, location=Source.loc(base))  # type: ignore[arg-type]
        )

    def _self_frame(self) -> _Frame | None:
        for frame in reversed(self.stack):
            if frame.self_refs is not None:
                return frame
        return None

    def _generics(self, node: Node, frame: _Frame) -> None:
        tps = node.child_by_field_name("type_parameters")
        for tp in tps.named_children if tps is not None else ():
            if tp.type in ("type_parameter", "constrained_type_parameter", "optional_type_parameter"):
                name = tp.child_by_field_name("name") or tp.child_by_field_name("left")
                if name is None:
                    name = next((c for c in tp.named_children if c.type == "type_identifier"), None)
                if name is None:
                    continue
                frame.types[self.text(name)] = self._bounds(tp.child_by_field_name("bounds"))
        for child in node.children:
            if child.type == "where_clause":
                for pred in child.named_children:
                    left = pred.child_by_field_name("left")
                    if pred.type == "where_predicate" and left is not None and left.type == "type_identifier":
                        param = self.text(left)
                        frame.types[param] = frame.types.get(param, ()) + self._bounds(
                            pred.child_by_field_name("bounds")
                        )

    def _bounds(self, bounds: Node | None) -> Refs:
        out: list[Ref] = []
        for b in bounds.named_children if bounds is not None else ():
            if b.type in ("type_identifier", "scoped_type_identifier", "generic_type"):
                name = _strip_generics(self.text(b))
                if name in ("Sized", "Send", "Sync", "Copy", "Clone", "Debug", "Default", "Unpin"):
                    continue
                refs, _ = self._type_path(b)
                out.extend(refs)
        return tuple(out)

    def _function(self, node: Node) -> None:
        frame = _Frame(end=node.end_byte)
        self.stack.append(frame)
        if node.type == "closure_expression":
            params = node.child_by_field_name("parameters")
            body = node.child_by_field_name("body")
            at = body.start_byte if body is not None else node.end_byte
            element = self._iterated(node)
            for i, p in enumerate(params.named_children if params is not None else ()):
                given = element if i == 0 else NOTHING
                if p.type == "parameter":
                    tnode = p.child_by_field_name("type")
                    val = self._declared(tnode) if tnode is not None else given
                    self._bind_pattern(p.child_by_field_name("pattern"), val, frame, at)
                else:
                    self._bind_pattern(p, given, frame, at)
            return
        self._generics(node, frame)
        sym = self.by_range.get((node.start_byte, node.end_byte))
        if sym is not None:
            frame.module = sym.qualified_name
        body = node.child_by_field_name("body")
        at = body.start_byte if body is not None else node.end_byte
        ret = node.child_by_field_name("return_type")
        if sym is not None and ret is not None:
            val = self._declared(ret)
            values = val.inner if self._is_option(ret) else val.refs
            if values:
                self.bindings.append((node.start_byte, Binding(scope=sym.id, name="return", values=values)))
        params = node.child_by_field_name("parameters")
        index = 0
        for p in params.named_children if params is not None else ():
            if p.type == "parameter":
                index += 1
            if p.type == "self_parameter":
                owner = self._self_frame()
                refs = _new(owner.self_refs) if owner is not None and owner.self_refs else ()
                self._declare_at(at, frame, "self", Val(refs))
            elif p.type == "parameter":
                pattern = p.child_by_field_name("pattern")
                tnode = p.child_by_field_name("type")
                if pattern is not None and pattern.type == "self":
                    owner = self._self_frame()
                    refs = _new(owner.self_refs) if owner is not None and owner.self_refs else ()
                    self._declare_at(at, frame, "self", Val(refs))
                else:
                    passed = self.hof.get((sym.id, index - 1)) if sym is not None else None
                    self._bind_pattern(pattern, self._later(_bound_param(self, tnode, passed)), frame, at)

    def _param(self, tnode: Node | None, passed: list[Ref] | None) -> Val:
        val = self._declared(tnode)
        if passed and not val.refs:
            val = Val(tuple(passed))
        return val

    def _iterated(self, closure: Node) -> Val:
        """``items.iter().map(|x| ...)``, ``opt.map(|x| ...)``: a closure given to a method of a
        collection or option the file declares takes its elements."""
        args = closure.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        fn = call.child_by_field_name("function") if call is not None else None
        if fn is None or fn.type != "field_expression" or call is None:
            return NOTHING
        value = fn.child_by_field_name("value")
        name = self.text(fn.child_by_field_name("field"))
        if value is None or name not in _ELEMENT_TAKERS:
            return NOTHING
        recv = self._eval(value, 0)
        return Val(recv.inner) if recv.inner else NOTHING

    def _is_option(self, tnode: Node) -> bool:
        base = _named(tnode)
        if base is not None and base.type == "generic_type":
            head = _strip_generics(self.text(base.child_by_field_name("type"))).rpartition("::")[2]
            return head in OPTIONS
        return False

    def _type_item(self, node: Node) -> None:
        sym = self.by_range.get((node.start_byte, node.end_byte))
        if sym is None or node.type == "enum_item":
            return
        body = node.child_by_field_name("body")
        if body is None or body.type not in ("field_declaration_list", "ordered_field_declaration_list"):
            return
        frame = _Frame(end=node.end_byte)
        self._generics(node, frame)
        self.stack.append(frame)
        try:
            own: dict[str, Node] = {}
            fields: list[tuple[str, Node, Node]] = []
            if body.type == "ordered_field_declaration_list":  # struct W(Inner, pub Other): self.0, self.1
                types = body.children_by_field_name("type")
                fields = [(str(i), t, t) for i, t in enumerate(types)]
            for fd in body.named_children:
                if fd.type != "field_declaration":
                    continue
                name = fd.child_by_field_name("name")
                tnode = fd.child_by_field_name("type")
                if name is not None and tnode is not None:
                    fields.append((self.text(name), tnode, fd))
            for fname, tnode, fd in fields:
                own[fname] = tnode
                val = self._declared(tnode)
                if val.refs and not self._wrapper(tnode):
                    self.bindings.append((fd.start_byte, Binding(scope=sym.id, name=fname, values=val.refs)))
                elif val.inner:
                    key = fname if self._is_option(tnode) or self._lock(tnode) else f"{fname}[]"
                    self.bindings.append((fd.start_byte, Binding(scope=sym.id, name=key, values=val.inner)))
            self.fields[sym.id] = own
        finally:
            self.stack.pop()

    def _static(self, node: Node) -> None:
        sym = self.by_range.get((node.start_byte, node.end_byte))
        tnode = node.child_by_field_name("type")
        if sym is None or sym.parent is not None or tnode is None:
            return
        val = self._declared(tnode)
        values = val.refs if not self._wrapper(tnode) else val.inner
        if values:
            self.bindings.append((node.start_byte, Binding(scope=None, name=sym.name, values=values)))

    def _wrapper(self, tnode: Node) -> bool:
        base = _named(tnode)
        if base is None or base.type != "generic_type":
            return False
        head = _strip_generics(self.text(base.child_by_field_name("type"))).rpartition("::")[2]
        return head in OPTIONS or head in SEQUENCES or head in MAPS or head in LOCKS

    def _lock(self, tnode: Node) -> bool:
        base = _named(tnode)
        if base is None or base.type != "generic_type":
            return False
        return _strip_generics(self.text(base.child_by_field_name("type"))).rpartition("::")[2] in LOCKS

    # ---- scopes ------------------------------------------------------------------------------
    def _scope(self, node: Node) -> None:
        frame = _Frame(end=node.end_byte)
        self.stack.append(frame)
        if node.type == "match_arm":
            pattern = node.child_by_field_name("pattern")
            match = node.parent.parent if node.parent is not None else None
            value = match.child_by_field_name("value") if match is not None else None
            val = self._eval(value, 0) if value is not None else NOTHING
            if pattern is not None:
                inner = next((c for c in pattern.named_children if c.type != "condition"), None)
                self._bind_pattern(inner, val, frame, pattern.end_byte)
        elif node.type == "for_expression":
            pattern = node.child_by_field_name("pattern")
            value = node.child_by_field_name("value")
            val = self._eval(value, 0) if value is not None else NOTHING
            body = node.child_by_field_name("body")
            at = body.start_byte if body is not None else node.end_byte
            self._bind_pattern(pattern, Val(val.inner) if val.inner else NOTHING, frame, at)

    def _let(self, node: Node) -> None:
        pattern = node.child_by_field_name("pattern")
        if pattern is not None and pattern.type == "identifier":
            self._bind_pattern(pattern, self._later(lambda: self._let_value(node)), self.stack[-1], node.end_byte)
        else:
            self._bind_pattern(pattern, self._let_value(node), self.stack[-1], node.end_byte)

    def _let_value(self, node: Node) -> Val:
        tnode = node.child_by_field_name("type")
        value = node.child_by_field_name("value")
        if tnode is not None:
            val = self._declared(tnode)
            if value is not None and not val.inner:  # Vec<fn()>: the elements come from the value
                given = self._eval(value, 0)
                if given.inner:
                    val = Val(val.refs or given.refs, given.inner)
        elif value is not None:
            val = self._eval(value, 0)
        else:
            val = NOTHING
        return val

    def _let_condition(self, node: Node) -> None:
        """``if let Some(x) = opt``: ``x`` is bound in the ``if`` (its frame is the innermost)."""
        value = node.child_by_field_name("value")
        val = self._eval(value, 0) if value is not None else NOTHING
        self._bind_pattern(node.child_by_field_name("pattern"), val, self.stack[-1], node.end_byte)

    def _bind_pattern(self, pattern: Node | None, val: Val | _Lazy, frame: _Frame, at: int) -> None:
        if pattern is None:
            return
        t = pattern.type
        if t == "identifier":
            name = self.text(pattern)
            if not name[:1].isupper():
                self._declare_at(at, frame, name, val)
            return
        if t in ("mut_pattern", "ref_pattern", "reference_pattern", "match_pattern"):
            inner = next((c for c in pattern.named_children if c.type not in ("mutable_specifier", "condition")), None)
            self._bind_pattern(inner, val, frame, at)
            return
        if isinstance(val, _Lazy):
            val = val.force()
        if t == "captured_pattern":
            kids = pattern.named_children
            if kids:
                self._bind_pattern(kids[0], val, frame, at)
                for k in kids[1:]:
                    self._bind_pattern(k, NOTHING, frame, at)
            return
        if t == "tuple_struct_pattern":
            head = self.text(pattern.child_by_field_name("type"))
            kids = [c for c in pattern.named_children if c != pattern.child_by_field_name("type")]
            sub = Val(val.inner) if head in ("Some", "Ok") and val.inner else NOTHING
            for k in kids:
                self._bind_pattern(k, sub if len(kids) == 1 else NOTHING, frame, at)
            return
        if t == "shorthand_field_identifier":
            self._declare_at(at, frame, self.text(pattern), NOTHING)
            return
        skip = pattern.child_by_field_name("type") if t in ("struct_pattern", "tuple_struct_pattern") else None
        for c in pattern.named_children:
            if skip is not None and c == skip:
                continue
            if c.type == "field_pattern":
                inner = c.child_by_field_name("pattern")
                if inner is not None:
                    self._bind_pattern(inner, NOTHING, frame, at)
                else:
                    field = c.child_by_field_name("name")
                    if field is not None:
                        self._declare_at(at, frame, self.text(field), NOTHING)
            elif c.type not in ("scoped_identifier", "type_identifier"):
                self._bind_pattern(c, NOTHING, frame, at)

    # ---- types -------------------------------------------------------------------------------
    def _lookup_local(self, name: str) -> Val | None:
        for frame in reversed(self.stack):
            v = frame.vars.get(name)
            if v is not None:
                return v.force() if isinstance(v, _Lazy) else v
        return None

    def _later(self, compute: Callable[[], Val]) -> _Lazy:
        """``compute`` on first use, in the scopes open now (the innermost one as it is now)."""
        top = self.stack[-1]
        frozen = _Frame(top.end)
        frozen.vars = dict(top.vars)
        frozen.types = top.types
        frozen.self_refs = top.self_refs
        frozen.self_type = top.self_type
        frozen.module = top.module
        frozen.inline = top.inline
        snapshot = [*self.stack[:-1], frozen]

        def thunk() -> Val:
            current, self.stack = self.stack, snapshot
            try:
                return compute()
            finally:
                self.stack = current

        return _Lazy(thunk)

    def _generic(self, name: str) -> Refs | None:
        for frame in reversed(self.stack):
            if name in frame.types:
                return frame.types[name]
        return None

    def _item_ref(self, name: str) -> Ref | None:
        """An item of the file named from here: in the enclosing functions and modules, then at
        the top; None when the file does not define it."""
        for frame in reversed(self.stack):
            if frame.module is not None:
                sym = self.by_qname.get(f"{frame.module}.{name}")
                if sym is not None and sym.kind != "method":
                    return Ref(f"s:{sym.id}")
        if name in self.top_names:
            sym = self.by_qname.get(name)
            if sym is not None:
                return Ref(f"s:{sym.id}")
        return None

    def _name_ref(self, name: str) -> Ref:
        return self._item_ref(name) or Ref(f"n:{name}")

    def _type_path(self, tnode: Node | None) -> tuple[Refs, str | None]:
        """A named type as Refs to the type itself (not an instance), and its local id when the
        file defines it."""
        node = _named(tnode)
        if node is None:
            return (), None
        if node.type == "generic_type":
            node = node.child_by_field_name("type") or node
        text = _strip_generics(self.text(node))
        if not text:
            return (), None
        parts = text.split("::")
        head = parts[0]
        if head == "Self":
            owner = self._self_frame()
            if owner is None or not owner.self_refs:
                return (), None
            return _with(owner.self_refs, *(f".{p}" for p in parts[1:])), owner.self_type if len(parts) == 1 else None
        if head in ("crate", "super"):
            return (), None
        if head == "self" and len(parts) > 1:
            parts = parts[1:]
            head = parts[0]
        if len(parts) == 1:
            bound = self._generic(head)
            if bound is not None:
                return bound, None
            if head in PRIMITIVES:
                return (), None
        ref = self._item_ref(head)
        if ref is not None:
            local = ref.base[2:] if len(parts) == 1 else None
            return (Ref(ref.base, tuple(f".{p}" for p in parts[1:])),), local
        if len(parts) == 1 and head not in self.imported and head not in self.top_names:
            std = std_ref(head)
            if std is not None:
                return (std,), None
            module = STD_TYPES.get(head)
            if module is not None and head in ("Rc", "Arc"):
                return (Ref(f"x:{module}", (f".{head}",)),), None
        return (Ref(f"n:{head}", tuple(f".{p}" for p in parts[1:])),), None

    def _declared(self, tnode: Node | None) -> Val:
        """An instance of a declared type, through references and smart pointers; a standard
        wrapper or collection keeps what it holds in ``inner``."""
        node = tnode
        for _ in range(8):
            if node is None:
                return NOTHING
            t = node.type
            if t in ("reference_type", "pointer_type"):
                node = node.child_by_field_name("type")
                continue
            if t in ("dynamic_type", "abstract_type"):
                node = node.child_by_field_name("trait")
                continue
            if t == "bounded_type":
                node = next((c for c in node.named_children if c.type != "lifetime"), None)
                continue
            if t in ("array_type", "slice_type"):  # [T; N], [T]
                elem = self._declared(node.child_by_field_name("element"))
                return Val((), elem.refs)
            if t == "generic_type":
                head = _strip_generics(self.text(node.child_by_field_name("type"))).rpartition("::")[2]
                args = node.child_by_field_name("type_arguments")
                targs = (
                    [c for c in args.named_children if c.type not in ("lifetime", "line_comment", "block_comment")]
                    if args is not None
                    else []
                )
                if head in TRANSPARENT and targs and head not in self.top_names:
                    node = targs[0]
                    continue
                if (head in OPTIONS or head in SEQUENCES or head in LOCKS) and targs and head not in self.top_names:
                    outer, _ = self._type_path(node)
                    return Val(_new(outer), self._declared(targs[0]).refs)
                if head in MAPS and len(targs) >= 2 and head not in self.top_names:
                    outer, _ = self._type_path(node)
                    return Val(_new(outer), self._declared(targs[1]).refs)
            if t == "primitive_type":
                return Val((Ref(f"b:{self.text(node)}"),))
            if t in ("type_identifier", "scoped_type_identifier", "generic_type"):
                refs, _ = self._type_path(node)
                if t == "type_identifier" and self._generic(self.text(node)) is not None:
                    return Val(_new(refs)) if refs else NOTHING
                return Val(_new(refs))
            return NOTHING
        return NOTHING

    # ---- values ------------------------------------------------------------------------------
    def _eval(self, node: Node, depth: int) -> Val:
        got = self.memo.get(node.id)
        if got is not None:
            return got
        if depth > _MAX_DEPTH:
            return NOTHING
        val = self._eval_uncached(node, depth + 1)
        self.memo[node.id] = val
        return val

    def _eval_uncached(self, node: Node, depth: int) -> Val:
        t = node.type
        if t == "identifier":
            name = self.text(node)
            local = self._lookup_local(name)
            if local is not None:
                return local
            return Val((self._name_ref(name),))
        if t == "self":
            local = self._lookup_local("self")
            return local if local is not None else NOTHING
        if t == "field_expression":
            value = node.child_by_field_name("value")
            field = node.child_by_field_name("field")
            if value is None or field is None:
                return NOTHING
            return self._field(self._eval(value, depth), self.text(field))
        if t == "call_expression":
            _, _, result = self._call(node, depth)
            return result
        if t == "struct_expression":
            tname = node.child_by_field_name("name")
            variant = self.by_qname.get(_strip_generics(self.text(tname)).replace("::", "."))
            if variant is not None and variant.kind == "enum_member" and variant.parent is not None:
                return Val((Ref(f"s:{variant.parent}", ("new",)),))  # Shape::Circle { .. } is a Shape
            refs, _ = self._type_path(tname)
            return Val(_new(refs))
        if t in ("reference_expression", "parenthesized_expression", "await_expression", "unary_expression"):
            inner = node.child_by_field_name("value") or next(
                (
                    c
                    for c in node.named_children
                    if c.type not in ("mutable_specifier", "line_comment", "block_comment")
                ),
                None,
            )
            return self._eval(inner, depth) if inner is not None else NOTHING
        if t == "try_expression":
            inner = next((c for c in node.named_children if c.type not in ("line_comment", "block_comment")), None)
            val = self._eval(inner, depth) if inner is not None else NOTHING
            return Val(val.inner) if val.inner else Val(val.refs) if not _external(val.refs) else NOTHING
        if t == "index_expression":
            inner = node.named_children[0] if node.named_child_count else None
            val = self._eval(inner, depth) if inner is not None else NOTHING
            if not val.inner and val.refs and all(r.base.startswith("b:") for r in val.refs):
                return val  # &s[1..]: a str again
            return Val(val.inner)
        if t == "type_cast_expression":
            return self._declared(node.child_by_field_name("type"))
        if t == "closure_expression":
            return CLOSURE
        if t in ("string_literal", "raw_string_literal"):
            return Val((Ref("b:str"),))
        if t in ("integer_literal", "float_literal", "boolean_literal", "char_literal"):
            return Val((Ref("b:" + t.partition("_")[0]),))
        if t == "scoped_identifier":  # a path used as a value: an associated function or constant
            path = self._path(node)
            return Val(path) if path is not None else NOTHING
        if t == "macro_invocation":
            macro = self.text(node.child_by_field_name("macro"))
            if macro == "format":
                return Val((Ref("x:std::string", (".String", "new")),))
            if macro == "vec":
                return Val((Ref("x:std::vec", (".Vec", "new")),), self._vec_elements(node))
            return NOTHING
        if t == "array_expression":
            return Val((), self._elements(node, depth))
        return NOTHING

    def _elements(self, array: Node, depth: int) -> Refs:
        out: list[Ref] = []
        for c in array.named_children:
            if c.type not in ("line_comment", "block_comment", "attribute_item"):
                out.extend(r for r in self._eval(c, depth).refs if r not in out)
        return tuple(out)

    def _vec_elements(self, node: Node) -> Refs:
        """``vec![double, triple]``: the macro's tokens read as an array, in the scopes here."""
        tree = node.named_children[-1] if node.named_child_count else None
        if tree is None or tree.type != "token_tree" or tree.end_byte - tree.start_byte > 2000:
            return ()
        body = self.data[tree.start_byte + 1 : tree.end_byte - 1]
        if b"$" in body or b";" in body or not body.strip():
            return ()
        text = b"fn _t() { [" + body + b"]; }"
        parsed = parser_for("rust").parse(text)
        fn = parsed.root_node.named_children[0] if parsed.root_node.named_child_count else None
        block = fn.child_by_field_name("body") if fn is not None else None
        stmt = block.named_children[0] if block is not None and block.named_child_count else None
        array = stmt.named_children[0] if stmt is not None and stmt.named_child_count else None
        if array is None or array.type != "array_expression" or array.has_error:
            return ()
        saved = (self.data, self.memo, self.results)
        self.data, self.memo, self.results = text, {}, {}
        try:
            return self._elements(array, 1)
        finally:
            self.data, self.memo, self.results = saved

    def _field(self, owner: Val, name: str) -> Val:
        if not owner.refs:
            return NOTHING
        if len(owner.refs) == 1:
            r = owner.refs[0]
            if r.base.startswith("s:") and r.ops == ("new",):
                tnode = self.fields.get(r.base[2:], {}).get(name)
                if tnode is not None:
                    return self._declared(tnode)
        refs = tuple(r for r in owner.refs if not r.base.startswith(("b:", "x:")))
        return Val(_with(refs, f".{name}")) if refs else NOTHING

    def _path(self, node: Node) -> Refs | None:
        """``a::b::f`` as Refs, or None when the file cannot name it (``crate::``, ``super::``)."""
        path = node.child_by_field_name("path")
        name = self.text(node.child_by_field_name("name"))
        if path is None:
            return None  # ::f
        if path.type == "bracketed_type":
            q = next((c for c in path.named_children if c.type == "qualified_type"), None)
            target = (
                q.child_by_field_name("alias")
                if q is not None
                else path.named_children[0]
                if path.named_child_count
                else None
            )
            refs, _ = self._type_path(target)
            return _with(refs, f".{name}") if refs else None
        text = _strip_generics(self.text(path))
        parts = text.split("::")
        if not parts[0] and len(parts) > 1 and parts[1] in ("std", "core", "alloc"):  # ::std::x::f
            return (Ref(f"x:{'::'.join(parts[1:])}", (f".{name}",)),)
        head = parts[0]
        if head == "super":
            return self._super_path([*parts, name])
        if head == "crate" or not head:
            return None
        if head in PRIMITIVES and len(parts) == 1 and head not in self.top_names and self._generic(head) is None:
            return (Ref(f"x:std::{head}", (f".{name}",)),)  # str::from_utf8, u32::max_value
        if head == "self":
            if len(parts) == 1:
                return (self._name_ref(name),)
            parts = parts[1:]
            head = parts[0]
        rest = (*tuple(f".{p}" for p in parts[1:]), f".{name}")
        if head == "Self":
            owner = self._self_frame()
            if owner is None or not owner.self_refs:
                return None
            return _with(owner.self_refs, *rest)
        if len(parts) == 1 and self._lookup_local(head) is None:
            bound = self._generic(head)
            if bound is not None:
                return _with(bound, *rest)
        ref = self._item_ref(head)
        if ref is None and head not in self.imported and head not in self.top_names:
            std = std_ref(head)
            if std is not None:
                return _with((std,), *rest)
            module = STD_TYPES.get(head)
            if module is not None:
                return (Ref(f"x:{module}", (f".{head}", *rest)),)
            if head in ("std", "core", "alloc"):
                return (Ref(f"x:{'::'.join(parts)}", (f".{name}",)),)
        base = ref or Ref(f"n:{head}")
        return (Ref(base.base, base.ops + rest),)

    def _super_path(self, parts: list[str]) -> Refs | None:
        """``super::f()`` inside an inline module of the file: ``f`` of the module around it (the
        file's top for ``mod tests { }``); None when it leaves the file."""
        ups = 0
        while ups < len(parts) and parts[ups] == "super":
            ups += 1
        inline = [f.module for f in self.stack if f.inline and f.module is not None]
        rest = parts[ups:]
        if ups > len(inline) or not rest:
            return None
        outer = inline[-ups - 1] if ups < len(inline) else None
        sym = self.by_qname.get(f"{outer}.{rest[0]}" if outer else rest[0])
        if sym is not None and sym.kind != "method" and (outer or sym.parent is None):
            return (Ref(f"s:{sym.id}", tuple(f".{p}" for p in rest[1:])),)
        if outer is None:
            return (Ref(f"n:{rest[0]}", tuple(f".{p}" for p in rest[1:])),)
        return None

    # ---- calls -------------------------------------------------------------------------------
    def _call(self, node: Node, depth: int) -> tuple[Refs, CallReason | None, Val]:
        key = (node.start_byte, node.end_byte)
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is not None and fn.type == "generic_function":
            fn = fn.child_by_field_name("function") or fn
        while fn is not None and fn.type == "parenthesized_expression":
            fn = next((c for c in fn.named_children if c.type not in ("line_comment", "block_comment")), None)
        targets: Refs = ()
        reason: CallReason | None = None
        result = NOTHING
        if fn is None:
            reason = "unknown"
        elif fn.type == "identifier":
            name = self.text(fn)
            local = self._lookup_local(name)
            if local is not None:
                if local.closure or not local.refs:
                    reason = "unknown"
                else:
                    targets = local.refs
                    result = Val(_with(targets, "()"))
            elif name in BUILTIN_FUNCTIONS and name not in self.top_names and name not in self.imported:
                reason = "builtin"
                first = _first_arg(args)
                if name in ("Some", "Ok") and first is not None:
                    inner = self._eval(first, depth)
                    module, tname = ("option", "Option") if name == "Some" else ("result", "Result")
                    result = Val((Ref(f"x:std::{module}", (f".{tname}", "new")),), inner.refs)
            else:
                targets = (self._name_ref(name),)
                result = Val(_with(targets, "()"))
        elif fn.type == "scoped_identifier":
            path = self._path(fn)
            name = self.text(fn.child_by_field_name("name"))
            if path is None:
                return (), None, NOTHING
            targets = path
            if all(r.base.startswith("x:") for r in path):
                head = _strip_generics(self.text(fn.child_by_field_name("path"))).rpartition("::")[2]
                first = _first_arg(args)
                if head in TRANSPARENT and name in ("new", "from", "pin") and first is not None:
                    result = self._eval(first, depth)
                elif head in LOCKS and name == "new" and first is not None:
                    result = Val(_new((Ref(path[0].base, path[0].ops[:-1]),)), self._eval(first, depth).refs)
                else:
                    result = Val(_with(path, "()"))
            else:
                result = Val(_with(path, "()"))
        elif fn.type == "field_expression":
            value = fn.child_by_field_name("value")
            name = self.text(fn.child_by_field_name("field"))
            recv = self._eval(value, depth) if value is not None else NOTHING
            targets, reason, result = self._method(recv, name)
        elif fn.type == "closure_expression":
            reason = "unknown"
        else:
            val = self._eval(fn, depth)
            if val.refs and not val.closure:
                targets = val.refs
                result = Val(_with(targets, "()"))
            else:
                reason = "unknown"
        if targets and all(r.base.startswith("b:") for r in targets):
            targets, reason = (), "builtin"
        self.results[key] = (targets, reason)
        return targets, reason, result

    def _method(self, recv: Val, name: str) -> tuple[Refs, CallReason | None, Val]:
        if recv.closure:
            return (), "unknown", NOTHING
        if not recv.refs:
            if recv.inner:  # a slice or array: its methods are the standard library's
                if name in KEEP:
                    return (Ref("x:std::slice", (f".{name}",)),), None, recv
                return (Ref("x:std::slice", (f".{name}",)),), None, Val((Ref("x:std::iter", (".Iterator", "new")),))
            return (), "unknown", NOTHING
        targets = _with(recv.refs, f".{name}")
        if recv.inner:
            if name in UNWRAP:
                return targets, None, Val(recv.inner)
            if name in KEEP:
                return targets, None, recv
            if name in ("get", "get_mut", "first", "last", "pop", "front", "back", "next", "find", "remove"):
                return targets, None, Val((Ref("x:std::option", (".Option", "new")),), recv.inner)
            return targets, None, Val(_with(targets, "()"))
        result = _with(targets, "()")
        if not _external(recv.refs) and (name in UNWRAP or name in SELF_RESULT):
            result = recv.refs + result  # results are bound unwrapped; derived Clone gives Self
        wrapper = OPTION_METHODS.get(name)
        if wrapper is not None and not _external(recv.refs) and any("()" in r.ops for r in recv.refs):
            # a result bound unwrapped (-> Option<Foo> is bound to Foo): a method of the option
            # itself is the standard library's, unless Foo has one of that name
            targets = (*targets, Ref(f"x:std::{wrapper.lower()}", (f".{wrapper}", f".{name}")))
        return targets, None, Val(result)

    def _macro(self, node: Node) -> None:
        macro = node.child_by_field_name("macro")
        key = (node.start_byte, node.end_byte)
        if macro is None:
            return
        if macro.type == "identifier":
            name = self.text(macro)
            ref = self._item_ref(name)
            if ref is not None:
                self.results[key] = ((ref,), None)
            elif name in MACROS and name not in self.imported:
                self.results[key] = ((), "builtin")
            else:
                self.results[key] = ((Ref(f"n:{name}"),), None)
        else:
            path = _strip_generics(self.text(macro.child_by_field_name("path")))
            if path.split("::")[0] in ("std", "core", "alloc"):
                self.results[key] = ((), "builtin")
        i = bisect_right(self.token_starts, node.start_byte)
        if i < len(self.token_starts) and self.token_starts[i] < node.end_byte:  # calls read from its tokens
            self.macro_ranges.append((node.start_byte, node.end_byte, self._snapshot()))

    def _snapshot(self) -> list[_Frame]:
        out = []
        for frame in self.stack:
            copy = _Frame(frame.end)
            copy.vars = dict(frame.vars)
            copy.types = frame.types
            copy.self_refs = frame.self_refs
            copy.self_type = frame.self_type
            copy.module = frame.module
            copy.inline = frame.inline
            out.append(copy)
        return out

    def _token_call(self, call: Call) -> tuple[Refs, CallReason | None] | None:
        """A call the extractor read from macro tokens (``println!("{}", self.name())``):
        resolved from its text in the scopes around the macro."""
        start = call.location.start_byte
        frames = None
        i = bisect_right(self.macro_starts, start) - 1
        while i >= 0:  # the innermost macro around the call: the last one starting before it that holds it
            _, hi, snap = self.macro_ranges[i]
            if start < hi:
                frames = snap
                break
            i -= 1
        if frames is None:
            return None
        callee = "".join(call.callee.split())
        if call.call_type == "macro":
            if "::" in callee:
                return ((), "builtin") if callee.split("::")[0] in ("std", "core", "alloc") else None
            saved, self.stack = self.stack, frames
            try:
                ref = self._item_ref(call.name)
            finally:
                self.stack = saved
            if ref is not None:
                return (ref,), None
            return ((), "builtin") if call.name in MACROS and call.name not in self.imported else None
        saved, self.stack = self.stack, frames
        try:
            return self._text_call(callee) if _CHAIN.match(callee) else self._reparsed_call(callee)
        finally:
            self.stack = saved

    def _reparsed_call(self, callee: str) -> tuple[Refs, CallReason | None] | None:
        """A callee with calls or literals in it (``parser("x").parse``): parsed on its own as
        ``fn _() { CALLEE(); }`` and evaluated like a call of the file, in the macro's scopes."""
        if "$" in callee or len(callee) > 400:
            return None
        text = f"fn _t() {{ {callee}(); }}".encode()
        tree = parser_for("rust").parse(text)
        fn = tree.root_node.named_children[0] if tree.root_node.named_child_count else None
        body = fn.child_by_field_name("body") if fn is not None else None
        stmt = body.named_children[0] if body is not None and body.named_child_count else None
        node = stmt.named_children[0] if stmt is not None and stmt.named_child_count else None
        if node is None or node.type != "call_expression" or node.has_error:
            return None
        saved = (self.data, self.memo, self.results)
        self.data, self.memo, self.results = text, {}, {}
        try:
            targets, reason, _ = self._call(node, 0)
        finally:
            self.data, self.memo, self.results = saved
        return targets, reason

    def _text_call(self, callee: str) -> tuple[Refs, CallReason | None] | None:
        if "::" in callee:
            if "." in callee:
                return None
            parts = callee.split("::")
            if parts[0] in ("crate", "super"):
                return None
            head = parts[0]
            rest = tuple(f".{p}" for p in parts[1:])
            if head == "Self":
                owner = self._self_frame()
                if owner is None or not owner.self_refs:
                    return None
                return _with(owner.self_refs, *rest), None
            ref = self._item_ref(head)
            if ref is None and head not in self.imported and head not in self.top_names:
                std = std_ref(head)
                if std is not None:
                    return _with((std,), *rest), None
            base = ref or Ref(f"n:{head}")
            return (Ref(base.base, base.ops + rest),), None
        parts = callee.split(".")
        head = parts[0]
        local = self._lookup_local(head)
        if len(parts) == 1:
            if local is not None:
                return (local.refs, None) if local.refs and not local.closure else ((), "unknown")
            if head in BUILTIN_FUNCTIONS and head not in self.top_names:
                return (), "builtin"
            return (self._name_ref(head),), None
        if local is None:
            return None
        val = local
        for p in parts[1:-1]:
            val = self._field(val, p)
        targets, reason, _ = self._method(val, parts[-1])
        return targets, reason


def _bound_param(p: _RustPass, tnode: Node | None, passed: list[Ref] | None) -> Callable[[], Val]:
    return lambda: p._param(tnode, passed)


def _named(tnode: Node | None) -> Node | None:
    """The named type inside references, pointers, ``dyn``/``impl`` and bounds."""
    node = tnode
    for _ in range(8):
        if node is None:
            return None
        t = node.type
        if t in ("reference_type", "pointer_type"):
            node = node.child_by_field_name("type")
        elif t in ("dynamic_type", "abstract_type"):
            node = node.child_by_field_name("trait")
        elif t == "bounded_type":
            node = next((c for c in node.named_children if c.type != "lifetime"), None)
        elif t in ("type_identifier", "scoped_type_identifier", "generic_type", "scoped_identifier"):
            return node
        else:
            return None
    return None


def _first_arg(args: Node | None) -> Node | None:
    if args is None:
        return None
    return next(
        (c for c in args.named_children if c.type not in ("line_comment", "block_comment", "attribute_item")), None
    )


def _external(refs: Refs) -> bool:
    return bool(refs) and all(r.base.startswith(("x:", "b:")) for r in refs)
