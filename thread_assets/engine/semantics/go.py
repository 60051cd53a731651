"""Go: what each call may reach, from the file's scopes and declared types.

One query pass collects the nodes that open scopes (functions, methods, function literals,
blocks, ``if``/``for``/``switch``/``select`` statements and their cases), the declarations that
bind names (``:=``, ``var``, ``range``, type-switch guards, local types) and the calls; they are
swept once in byte order with a stack of open scopes, so a call sees exactly the names declared
before it in the blocks around it, and a local shadows a package-level name or an import.

Values are flow-insensitive :class:`~thread_assets.engine.model.Ref` lists: a declared type is an
instance of it (pointers stripped, ``Ref("n:Server", ("new",))``), ``x := NewServer()`` holds
``NewServer``'s result (its ``return`` binding: the declared first result), ``&Server{}`` and
``pkg.T{}`` are instances, ``f := helper`` holds the function, ``g := s.start`` the method value.
Calls become:

- ``s.start()`` on a receiver, parameter or local -> its type ``.start`` (promoted methods of
  embedded structs and interface dispatch are the graph step's, through ``embeds`` relations);
- ``pkg.F()`` -> ``Ref("n:pkg", (".F",))`` (the import; ``fmt.Println`` ends external);
- ``F()`` -> ``n:F`` (this file or another file of the package);
- ``len``/``append``/``make``/``new``/``panic``... and conversions to predeclared types ->
  ``builtin`` unless the file shadows them; a function literal called in place, or a value whose
  type the file cannot tell (a ``func`` parameter) -> ``unknown``.

Bindings: struct fields by declared type (``field[]`` for the elements of slices and maps),
embedded fields, package-level variables, and the declared first result of each function and
method (``return``). Relations: struct and interface embedding (``embeds``), as written.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from msgspec.structs import replace
from tree_sitter import Node

from ..extract.common import Source, captures
from ..model import Binding, Call, CallReason, Import, Ref, Symbol, TypeRelation
from ..parse import language_object
from .go_types import BUILTIN_FUNCTIONS, BUILTIN_TYPES, element_type, named_type
from .lazy import LazyVar, Values
from .refs import builtins_bare as _out
from .refs import with_ops as _with

_QUERY = """
[(function_declaration) (method_declaration)] @func
(func_literal) @lit
[(block) (if_statement) (for_statement) (expression_switch_statement) (type_switch_statement)
 (select_statement) (expression_case) (default_case) (communication_case)] @scope
(type_case) @tcase
(short_var_declaration) @short
(assignment_statement) @assign
(var_declaration) @var
(range_clause) @range
(type_declaration) @tdecl
(call_expression) @call
(type_conversion_expression type: (generic_type)) @call
"""
# Events at one position: scopes open before the declarations in them, declarations before calls.
_ORDER = {
    "func": 0,
    "lit": 0,
    "scope": 0,
    "tcase": 0,
    "short": 1,
    "var": 1,
    "range": 1,
    "tdecl": 1,
    "assign": 1,
    "call": 2,
}
_MAX_DEPTH = 120
"""Receiver chains deeper than this (generated code) are left unknown rather than risk Python's
recursion limit."""


_Var = LazyVar
_NOTHING = _Var()
_ERROR = _Var((Ref("b:error", ("new",)),))
"""``v, err := f()``: by Go's convention the last result, named so, is an ``error``."""


class _Frame:
    __slots__ = ("bounds", "end", "types", "vars")

    def __init__(self, end: int) -> None:
        self.end = end
        self.vars: dict[str, _Var] = {}
        self.types: set[str] = set()
        """Local type names and type parameters: they shadow package-level types."""
        self.bounds: dict[str, Ref] = {}
        """Type parameters constrained by one named interface (``T fmt.Stringer``): its methods
        are what a ``T`` value can call."""


def semantics(
    root: Node,
    src: Source,
    language: str,
    symbols: tuple[Symbol, ...],
    imports: tuple[Import, ...],
    calls: tuple[Call, ...],
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    found = captures(language_object(language), _QUERY, root)
    return _GoPass(src, symbols, imports, found).run(root, calls)


def _instance(ref: Ref | None) -> Values:
    return (Ref(ref.base, (*ref.ops, "new")),) if ref is not None else ()


class _GoPass:
    def __init__(
        self, src: Source, symbols: tuple[Symbol, ...], imports: tuple[Import, ...], found: dict[str, list[Node]]
    ) -> None:
        self.data = src.data
        self.found = found
        self.by_end: dict[int, Symbol] = {}
        self.top: set[str] = set()
        self.top_vars: set[str] = set()
        self.own_types: set[str] = set()
        self.results: dict[str, Node] = {}
        """Functions and methods of this file whose first result is a slice, array, map or
        channel: local id -> that result's type."""
        self.own_elements: dict[str, Node] = {}
        """Types of this file defined as a slice, array, map or channel: name -> element type."""
        self.own: dict[str, str] = {}
        """Top-level functions and types of this file: name -> local id."""
        for s in symbols:
            if s.kind in ("function", "method", "struct", "interface", "type_alias"):
                self.by_end.setdefault(s.location.end_byte, s)
            if s.parent is None and s.kind != "method":
                self.top.add(s.name)
                if s.kind == "variable":
                    self.top_vars.add(s.name)
                elif s.kind in ("function", "struct", "interface", "type_alias"):
                    self.own.setdefault(s.name, s.id)
                    if s.kind != "function":
                        self.own_types.add(s.id)
        self.packages = {i.bound for i in imports if i.bound}
        self.stack: list[_Frame] = []
        self.pending: list[tuple[int, int, _Frame, str, _Var]] = []
        """Declarations not in scope yet: (end of the declaration, order, frame, name, value)."""
        self.pending_seq = 0
        self.memo: dict[int, Values] = {}
        self.relations: list[TypeRelation] = []
        self.bindings: list[tuple[int, Binding]] = []

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def run(
        self, root: Node, calls: tuple[Call, ...]
    ) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
        self.stack = [_Frame(end=1 << 62)]
        types = [
            spec
            for node in root.named_children
            if node.type == "type_declaration"
            for spec in node.named_children
            if spec.type == "type_spec"
        ]
        for node in root.named_children:
            if node.type in ("function_declaration", "method_declaration"):
                sym = self.by_end.get(node.end_byte)
                result = node.child_by_field_name("result")
                if result is not None and result.type == "parameter_list":
                    head = next((c for c in result.named_children if c.type == "parameter_declaration"), None)
                    result = head.child_by_field_name("type") if head is not None else None
                if sym is not None and result is not None and element_type(result) is not None:
                    self.results.setdefault(sym.id, result)
        for spec in types:
            elem = element_type(spec.child_by_field_name("type"))
            name = spec.child_by_field_name("name")
            if elem is not None and name is not None:
                self.own_elements.setdefault(self.text(name), elem)
        for node in root.named_children:
            if node.type == "type_declaration":
                for spec in node.named_children:
                    if spec.type == "type_spec":
                        self._type_spec(spec)
            elif node.type == "var_declaration":
                self._package_vars(node)
        results = self._sweep()
        out = list(calls)
        for i, call in enumerate(calls):
            got = results.get((call.location.start_byte, call.location.end_byte))
            if got is not None:
                out[i] = replace(call, targets=_out(got[0]), reason=got[1])
        self.bindings.sort(key=lambda b: b[0])
        return tuple(out), tuple(self.relations), tuple(b for _, b in self.bindings)

    # ---- types -------------------------------------------------------------------------------
    def _type_ref(self, tnode: Node | None) -> Ref | None:
        """The named type as a Ref base (``n:Server``, ``n:http`` ``.Request``); None for what has
        no methods of its own and for names a local scope shadows."""
        node = named_type(tnode)
        if node is None:
            return None
        if node.type in ("qualified_type", "selector_expression"):
            pkg = node.child_by_field_name("package") or node.child_by_field_name("operand")
            name = node.child_by_field_name("name") or node.child_by_field_name("field")
            return Ref(f"n:{self.text(pkg)}", (f".{self.text(name)}",))
        tname = self.text(node)
        for frame in reversed(self.stack):
            if tname in frame.types:
                return frame.bounds.get(tname)  # a type parameter stands for its constraint
            if tname in frame.vars:
                return None
        if tname in BUILTIN_TYPES and tname not in self.top:
            return Ref("b:error") if tname == "error" else None
        return self._top_ref(tname)

    def _declared(self, tnode: Node | None) -> _Var:
        if tnode is None:
            return _Var(())
        elem = element_type(tnode)
        if elem is None:
            named = named_type(tnode)
            if named is not None and named.type == "type_identifier":
                elem = self.own_elements.get(self.text(named))  # type Tags []Tag
        return _Var(_instance(self._type_ref(tnode)), _instance(self._type_ref(elem)) if elem is not None else ())

    def _declared_pair(self, tnode: Node | None) -> tuple[Values, Values]:
        var = self._declared(tnode)
        return var.values, var.elems

    def _bind(self, at: int, scope: str | None, name: str, var: _Var) -> None:
        if var.values:
            self.bindings.append((at, Binding(scope=scope, name=name, values=_out(var.values))))
        if var.elems:
            self.bindings.append((at, Binding(scope=scope, name=f"{name}[]", values=_out(var.elems))))

    def _type_spec(self, spec: Node) -> None:
        sym = self.by_end.get(spec.end_byte)
        tnode = spec.child_by_field_name("type")
        if sym is None or tnode is None or sym.kind not in ("struct", "interface"):
            return
        frame = _Frame(end=spec.end_byte)  # type parameters shadow package-level types
        tps = spec.child_by_field_name("type_parameters")
        frame.types.update(self._type_parameters(tps))
        self._bounds(tps, frame)
        self.stack.append(frame)
        try:
            self._members(sym, tnode)
        finally:
            self.stack.pop()

    def _type_parameters(self, tps: Node | None) -> list[str]:
        if tps is None:
            return []
        return [self.text(n) for decl in tps.named_children for n in decl.children_by_field_name("name")]

    def _bounds(self, tps: Node | None, frame: _Frame) -> None:
        for decl in tps.named_children if tps is not None else ():
            constraint = decl.child_by_field_name("type")
            if constraint is not None and constraint.type == "type_constraint":
                named = [c for c in constraint.named_children if c.type != "comment"]
                constraint = named[0] if len(named) == 1 else None
            if constraint is None or constraint.type not in ("type_identifier", "qualified_type"):
                continue
            ref = self._type_ref(constraint)  # any, comparable: None
            if ref is not None:
                for n in decl.children_by_field_name("name"):
                    frame.bounds[self.text(n)] = ref

    def _members(self, sym: Symbol, tnode: Node) -> None:
        if sym.kind == "struct":
            body = next((c for c in tnode.named_children if c.type == "field_declaration_list"), None)
            for fd in body.named_children if body is not None else ():
                if fd.type != "field_declaration":
                    continue
                ftype = fd.child_by_field_name("type")
                names = fd.children_by_field_name("name")
                var = self._declared(ftype)
                if names:
                    for n in names:
                        self._bind(fd.start_byte, sym.id, self.text(n), var)
                    continue
                self._embeds(sym, ftype, fd)
                base = named_type(ftype)
                if base is not None:
                    last = base.child_by_field_name("name") if base.type == "qualified_type" else base
                    self._bind(fd.start_byte, sym.id, self.text(last), var)
        else:
            for elem in tnode.named_children:
                if elem.type == "type_elem":
                    for t in elem.named_children:
                        self._embeds(sym, t, t)

    def _embeds(self, sym: Symbol, tnode: Node | None, at: Node) -> None:
        base = named_type(tnode)
        if base is None:
            return
        text = "".join(self.text(base).split())
        self.relations.append(
            TypeRelation(type=sym.id, type_name=sym.name, base=text, kind="embeds", location=Source.loc(at))
        )

    def _package_vars(self, decl: Node) -> None:
        specs: list[Node] = []
        for child in decl.named_children:
            if child.type == "var_spec":
                specs.append(child)
            elif child.type == "var_spec_list":
                specs.extend(c for c in child.named_children if c.type == "var_spec")
        for spec in specs:
            for name, var in self._spec_vars(spec):
                self._bind(spec.start_byte, None, name, var)

    def _spec_vars(self, spec: Node) -> list[tuple[str, _Var]]:
        names = [self.text(n) for n in spec.children_by_field_name("name")]
        tnode = spec.child_by_field_name("type")
        if tnode is not None:
            var = self._declared(tnode)
            return [(n, var) for n in names if n != "_"]
        value = spec.child_by_field_name("value")
        rights = [c for c in value.named_children if c.type != "comment"] if value is not None else []
        return [(n, v) for n, v in zip(names, self._assigned(names, rights), strict=True) if n != "_"]

    def _assigned(self, names: list[str], rights: list[Node]) -> list[_Var]:
        """What each name gets from the right-hand expressions: pairwise, or all from one
        multi-valued expression (the first name gets the call's declared first result, the element
        of ``m[k]``, the type of ``x.(T)``; a last one named like ``err`` an ``error``)."""
        count = len(names)
        if len(rights) == count:
            return [self._var_of(r) for r in rights]
        if len(rights) == 1 and count > 1:
            last = _ERROR if names[-1] == "err" or names[-1].endswith(("Err", "Error")) else _NOTHING
            return [self._var_of(rights[0])] + [_NOTHING] * (count - 2) + [last]
        return [_NOTHING] * count

    def _var_of(self, node: Node) -> _Var:
        return self._later(lambda: (self._eval(node, 0), self._elems(node, 0)))

    def _later(self, compute: Callable[[], tuple[Values, Values]]) -> _Var:
        """A variable whose value is computed on first use, in the scopes open now."""
        if len(self.stack) == 1:  # package level: computed at once, before any sweep
            return _Var(*compute())
        top = self.stack[-1]
        frozen = _Frame(top.end)  # names declared from here on (``x := x.Next()``) are not seen
        frozen.vars = dict(top.vars)
        frozen.types = top.types
        frozen.bounds = top.bounds
        snapshot = [*self.stack[:-1], frozen]

        def thunk() -> tuple[Values, Values]:
            current, self.stack = self.stack, snapshot
            try:
                return compute()
            finally:
                self.stack = current

        return _Var(thunk=thunk)

    # ---- the sweep ---------------------------------------------------------------------------
    def _sweep(self) -> dict[tuple[int, int], tuple[Values, CallReason | None]]:
        events: list[tuple[int, int, int, str, Node]] = []
        for cap, nodes in self.found.items():
            order = _ORDER[cap]
            for n in nodes:
                events.append((n.start_byte, -n.end_byte, order, cap, n))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        results: dict[tuple[int, int], tuple[Values, CallReason | None]] = {}
        stack = self.stack
        pending = self.pending
        for start, _, _, cap, node in events:
            if pending and pending[0][0] <= start:
                self._activate(start)
            while len(stack) > 1 and stack[-1].end <= start:
                stack.pop()
            if cap == "call":
                targets, reason = self._call(node)
                if len(targets) == 1 and not targets[0].ops and targets[0].base[2:] in self.own_types:
                    targets, reason = (), "builtin"  # T(x) of a type of this file: a conversion
                elif targets and self._pointer_conversion(node):
                    targets, reason = (), "builtin"  # (*T)(x)
                results[(node.start_byte, node.end_byte)] = (targets, reason)
            elif cap == "func" or cap == "lit":
                self._function(node)
            elif cap == "scope":
                stack.append(_Frame(end=node.end_byte))
            elif cap == "tcase":
                self._type_case(node)
            elif len(stack) > 1:  # package-level declarations were read before the sweep
                self._declaration(cap, node)
        return results

    def _declare(self, name: str, var: _Var) -> None:
        if name and name != "_":
            self.stack[-1].vars[name] = var

    def _declare_after(self, node: Node, name: str, var: _Var) -> None:
        """A name a ``:=``, ``var`` or ``range`` declaration binds: in scope from the end of the
        declaration on (``x := x.Next()`` reads the outer ``x``)."""
        if name and name != "_":
            self.pending_seq += 1
            heapq.heappush(self.pending, (node.end_byte, self.pending_seq, self.stack[-1], name, var))

    def _activate(self, position: int) -> None:
        pending = self.pending
        while pending and pending[0][0] <= position:
            _, _, frame, name, var = heapq.heappop(pending)
            frame.vars[name] = var

    def _function(self, node: Node) -> None:
        frame = _Frame(end=node.end_byte)
        tps = node.child_by_field_name("type_parameters")
        frame.types.update(self._type_parameters(tps))
        self._bounds(tps, frame)
        recv = node.child_by_field_name("receiver")
        if recv is not None and b"[" in self.data[recv.start_byte : recv.end_byte]:  # func (s *Set[K]) ...
            for decl in recv.named_children:
                generic = decl.child_by_field_name("type")
                while generic is not None and generic.type in ("pointer_type", "parenthesized_type"):
                    generic = next((c for c in generic.named_children if c.type != "comment"), None)
                targs = generic.child_by_field_name("type_arguments") if generic is not None else None
                if targs is not None and generic is not None and generic.type == "generic_type":
                    frame.types.update(self.text(t) for t in targs.named_children if t.type != "comment")
        self.stack.append(frame)
        sym = self.by_end.get(node.end_byte) if node.type != "func_literal" else None
        result = node.child_by_field_name("result")
        if sym is not None and result is not None:
            first: Node | None = result
            if result.type == "parameter_list":
                head = next((c for c in result.named_children if c.type == "parameter_declaration"), None)
                first = head.child_by_field_name("type") if head is not None else None
            ret = self._declared(first)
            if ret.values:
                self.bindings.append((node.start_byte, Binding(scope=sym.id, name="return", values=_out(ret.values))))
        for fld in ("receiver", "parameters", "result"):
            plist = node.child_by_field_name(fld)
            if plist is None or plist.type != "parameter_list":
                continue
            for decl in plist.named_children:
                if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                    continue
                tnode = decl.child_by_field_name("type")
                if decl.type == "variadic_parameter_declaration":
                    var = self._later(lambda t=tnode: ((), self._declared(t).values))  # type: ignore[misc]
                else:
                    var = self._later(lambda t=tnode: self._declared_pair(t))  # type: ignore[misc]
                for n in decl.children_by_field_name("name"):
                    self._declare(self.text(n), var)

    def _type_case(self, node: Node) -> None:
        self.stack.append(_Frame(end=node.end_byte))
        switch = node.parent
        alias = switch.child_by_field_name("alias") if switch is not None else None
        if switch is None or alias is None:
            return
        name = next((self.text(c) for c in alias.named_children if c.type == "identifier"), "")
        types = [t for t in node.children_by_field_name("type")]
        if len(types) == 1:
            var = self._declared(types[0])
        else:  # several types, or default: the value keeps the switched expression's type
            value = switch.child_by_field_name("value")
            var = self._var_of(value) if value is not None else _Var(())
        self._declare(name, var)

    def _declaration(self, cap: str, node: Node) -> None:
        if cap == "short":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            names = [self.text(c) for c in left.named_children] if left is not None else []
            rights = [c for c in right.named_children if c.type != "comment"] if right is not None else []
            for name, var in zip(names, self._assigned(names, rights), strict=True):
                self._declare_after(node, name, var)
        elif cap == "var":
            for child in node.named_children:
                specs = [child] if child.type == "var_spec" else []
                if child.type == "var_spec_list":
                    specs = [c for c in child.named_children if c.type == "var_spec"]
                for spec in specs:
                    for name, var in self._spec_vars(spec):
                        self._declare_after(node, name, var)
        elif cap == "range":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None or not any(c.type == ":=" for c in node.children):
                return
            names = [self.text(c) for c in left.named_children]
            element = self._later(lambda: (self._elems(right, 0), ()))
            for i, name in enumerate(names):
                self._declare_after(node, name, element if i == 1 else _NOTHING)
        elif cap == "tdecl":
            for spec in node.named_children:
                name_node = spec.child_by_field_name("name")
                if name_node is not None:
                    self.stack[-1].types.add(self.text(name_node))
        elif cap == "assign":
            self._assignment(node)

    def _assignment(self, node: Node) -> None:
        """``s.hooks = append(s.hooks, f)``, ``s.handlers[k] = h``, ``registry[k] = f``: what a
        field of a type of this file, or a package variable, is given anywhere, as a binding
        (callbacks and registries), flow-insensitively."""
        op = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if op is None or left is None or right is None or self.data[op.start_byte : op.end_byte] != b"=":
            return
        lefts = [c for c in left.named_children if c.type != "comment"]
        rights = [c for c in right.named_children if c.type != "comment"]
        if len(lefts) != len(rights):
            return
        for target, value in zip(lefts, rights, strict=True):
            element = target.type == "index_expression"
            if element:
                target = target.child_by_field_name("operand") or target
            where = self._assignable(target)
            if where is None:
                continue
            scope, name = where
            if value.type == "call_expression" and self._appends_to(value, target):
                args = value.child_by_field_name("arguments")
                extra = [c for c in args.named_children if c.type != "comment"][1:] if args is not None else []
                values = tuple(v for a in extra for v in self._eval(a, 0))
                element = True
            else:
                values = self._eval(value, 0)
            values = tuple(v for v in values if not v.base.startswith("b:"))
            if values:
                key = f"{name}[]" if element else name
                self.bindings.append((node.start_byte, Binding(scope=scope, name=key, values=values)))

    def _assignable(self, target: Node) -> tuple[str | None, str] | None:
        """(scope, name) of a field of this file's type (``s.hooks`` with ``s`` one of its
        values) or of a package variable (``registry``), else None."""
        if target.type == "identifier":
            name = self.text(target)
            return (None, name) if self._local(name) is None and name in self.top_vars else None
        if target.type != "selector_expression":
            return None
        operand = target.child_by_field_name("operand")
        if operand is None or self._package(operand) is not None:
            return None
        owners = self._eval(operand, 0)
        if len(owners) != 1 or owners[0].ops != ("new",) or not owners[0].base.startswith("s:"):
            return None
        return owners[0].base[2:], self.text(target.child_by_field_name("field"))

    def _appends_to(self, call: Node, target: Node) -> bool:
        fn = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if fn is None or args is None or fn.type != "identifier" or self.text(fn) != "append":
            return False
        first = next((c for c in args.named_children if c.type != "comment"), None)
        return first is not None and self.text(first) == self.text(target)

    # ---- values ------------------------------------------------------------------------------
    def _local(self, name: str) -> _Var | None:
        for frame in reversed(self.stack):
            var = frame.vars.get(name)
            if var is not None:
                return var
            if name in frame.types:
                return _NOTHING
        return None

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
            name = self.text(node)
            var = self._local(name)
            if var is not None:
                return var.values
            if name in ("nil", "true", "false", "iota", "_"):
                return ()
            return (self._top_ref(name),)
        if t == "selector_expression":
            operand = node.child_by_field_name("operand")
            name = self.text(node.child_by_field_name("field"))
            if operand is None:
                return ()
            pkg = self._package(operand)
            if pkg is not None:
                return (Ref(f"n:{pkg}", (f".{name}",)),)
            return _with(self._eval(operand, depth), f".{name}")
        if t == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "identifier" and self._builtin(self.text(fn)):
                return self._builtin_result(node, depth)
            targets, _ = self._call(node, depth)
            return _with(targets, "()")
        if t == "composite_literal":
            return _instance(self._type_ref(node.child_by_field_name("type")))
        if t in ("unary_expression", "parenthesized_expression"):
            operand = node.child_by_field_name("operand") or next(
                (c for c in node.named_children if c.type != "comment"), None
            )
            if operand is None:
                return ()
            op = node.child_by_field_name("operator")
            if op is not None and self.text(op) == "<-":
                return self._elems(operand, depth)
            return self._eval(operand, depth)
        if t == "type_assertion_expression":
            return _instance(self._type_ref(node.child_by_field_name("type")))
        if t == "index_expression":
            operand = node.child_by_field_name("operand")
            return self._elems(operand, depth) if operand is not None else ()
        if t == "slice_expression":
            operand = node.child_by_field_name("operand")
            return self._eval(operand, depth) if operand is not None else ()
        if t == "type_conversion_expression":  # F[int](x) parses as one: the result of calling F
            targets, _ = self._call(node, depth)
            return _with(targets, "()")
        return ()

    def _builtin_result(self, node: Node, depth: int) -> Values:
        """``new(T)`` is a T; ``append(xs, ...)`` is xs again; the rest hold nothing callable."""
        fname = self.text(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        first = next((c for c in args.named_children if c.type != "comment"), None) if args is not None else None
        if first is None:
            return ()
        if fname == "new":
            return _instance(self._type_ref(first))
        if fname == "append":
            return self._eval(first, depth)
        return ()

    def _elems(self, node: Node, depth: int) -> Values:
        """Elements of a slice, array, map or channel expression (``range``, indexing, ``<-``)."""
        t = node.type
        if t == "identifier":
            name = self.text(node)
            var = self._local(name)
            if var is not None:
                return var.elems
            return (Ref(f"n:{name}[]"),)
        if t == "selector_expression":
            operand = node.child_by_field_name("operand")
            name = self.text(node.child_by_field_name("field"))
            if operand is None:
                return ()
            pkg = self._package(operand)
            if pkg is not None:
                return (Ref(f"n:{pkg}", (f".{name}[]",)),)
            return _with(self._eval(operand, depth), f".{name}[]")
        if t == "composite_literal":
            elem = element_type(node.child_by_field_name("type"))
            if elem is not None and named_type(elem) is not None:
                return _instance(self._type_ref(elem))
            out: list[Ref] = []
            body = node.child_by_field_name("body")
            for el in body.named_children if body is not None else ():
                value = el.child_by_field_name("value") if el.type == "keyed_element" else el
                if value is not None and value.type == "literal_element":
                    value = next((c for c in value.named_children if c.type != "comment"), None)
                if value is not None:
                    out.extend(v for v in self._eval(value, depth) if v not in out)
            return tuple(out)
        if t == "call_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            first = next((c for c in args.named_children if c.type != "comment"), None) if args is not None else None
            if fn is not None and first is not None and fn.type == "identifier" and self._builtin(self.text(fn)):
                if self.text(fn) == "make":
                    return self._declared(first).elems
                if self.text(fn) == "append":
                    return self._elems(first, depth)
                return ()
            return self._result_elems(node, depth)
        if t in ("parenthesized_expression", "unary_expression", "slice_expression"):
            operand = node.child_by_field_name("operand") or next(
                (c for c in node.named_children if c.type != "comment"), None
            )
            return self._elems(operand, depth) if operand is not None else ()
        return ()

    def _result_elems(self, call: Node, depth: int) -> Values:
        """Elements of what a function or method of this file returns (``for _, c := range
        cmd.Commands()``), from its declared first result."""
        if not self.results:
            return ()
        out: list[Ref] = []
        for ref in self._call(call, depth)[0]:
            if not ref.base.startswith("s:"):
                continue
            key = ref.base[2:] if not ref.ops else None
            if len(ref.ops) == 2 and ref.ops[0] == "new" and ref.ops[1].startswith("."):
                key = f"{ref.base[2:]}{ref.ops[1]}"
            result = self.results.get(key) if key is not None else None
            if result is not None:
                out.extend(v for v in self._declared(result).elems if v not in out)
        return tuple(out)

    def _package(self, operand: Node) -> str | None:
        """The imported package an operand names, unless a local shadows it."""
        if operand.type != "identifier":
            return None
        name = self.text(operand)
        if name in self.packages and self._local(name) is None:
            return name
        return None

    def _is_container(self, operand: Node | None) -> bool:
        """``xs[i](...)`` indexes a slice or map of functions unless ``xs`` names a generic
        function (``F[int](...)``): a local variable, a field or a package variable, not a type or
        function of the package."""
        if operand is None:
            return False
        if operand.type == "identifier":
            name = self.text(operand)
            return self._local(name) is not None or name in self.top_vars
        return operand.type in ("selector_expression", "index_expression", "call_expression") and (
            self._package(operand.child_by_field_name("operand") or operand) is None
        )

    def _pointer_conversion(self, node: Node) -> bool:
        fn = node.child_by_field_name("function")
        while fn is not None and fn.type == "parenthesized_expression":
            fn = next((c for c in fn.named_children if c.type != "comment"), None)
        if fn is None:
            return False
        if fn.type == "pointer_type":
            return True
        op = fn.child_by_field_name("operator") if fn.type == "unary_expression" else None
        return op is not None and self.data[op.start_byte : op.end_byte] == b"*"

    def _top_ref(self, name: str) -> Ref:
        """A package-level name: this file's own function or type by its symbol (another file of
        the package may define the same name under other build constraints), else the package's."""
        sid = self.own.get(name)
        return Ref(f"s:{sid}") if sid is not None else Ref(f"n:{name}")

    def _builtin(self, name: str) -> bool:
        return (
            (name in BUILTIN_FUNCTIONS or name in BUILTIN_TYPES) and name not in self.top and self._local(name) is None
        )

    # ---- calls -------------------------------------------------------------------------------
    def _call(self, node: Node, depth: int = 0) -> tuple[Values, CallReason | None]:
        if node.type == "type_conversion_expression":  # F[int](x): an explicitly instantiated generic call
            gtype = node.child_by_field_name("type")
            base = gtype.child_by_field_name("type") if gtype is not None else None
            ref = self._type_ref(base)
            return ((ref,), None) if ref is not None else ((), "unknown")
        fn = node.child_by_field_name("function")
        if fn is None:
            return (), "unknown"
        while fn.type in ("index_expression", "generic_type", "parenthesized_expression"):  # F[T](x), (f)(x)
            if fn.type == "index_expression" and self._is_container(fn.child_by_field_name("operand")):
                elems = self._elems(fn.child_by_field_name("operand"), depth)  # type: ignore[arg-type]
                return elems, None if elems else "unknown"
            if fn.type == "parenthesized_expression":
                inner = next((c for c in fn.named_children if c.type != "comment"), None)
            else:
                inner = fn.child_by_field_name("operand") or fn.child_by_field_name("type")
            if inner is None:
                break
            fn = inner
        t = fn.type
        if t == "identifier":
            name = self.text(fn)
            var = self._local(name)
            if var is not None:
                return var.values, None if var.values else "unknown"
            if name in BUILTIN_FUNCTIONS or name in BUILTIN_TYPES:
                if name not in self.top:
                    return (), "builtin"
            return (self._top_ref(name),), None
        if t == "func_literal":
            return (), "unknown"
        if t in ("type_identifier", "qualified_type", "pointer_type", "generic_type"):
            ref = self._type_ref(fn)
            return ((ref,), None) if ref is not None else ((), "builtin")
        targets = self._eval(fn, depth)
        if targets and all(r.base.startswith("b:") for r in targets):
            return (), "builtin"
        return targets, None if targets else "unknown"
