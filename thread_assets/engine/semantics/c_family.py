"""C and C++: what each call may reach, from the file's scopes, declared types and classes.

One query pass collects functions and lambdas, the statements that open block scopes, the
declarations (locals, parameters, globals, fields), class bodies, namespaces and the calls; they
are swept once in byte order with a stack of open scopes, so a call sees the names declared
before it in the blocks around it, and a local or parameter shadows a global function.

Values are flow-insensitive :class:`~thread_assets.engine.model.Ref` lists: a declared type is an
instance of it with pointers, references, ``const`` and smart pointers stripped (``const Foo&``,
``Foo*``, ``std::unique_ptr<Foo>`` -> ``Ref("n:Foo", ("new",))``); ``auto x = Foo(...)``, ``new
Foo``, ``Foo{...}`` and ``std::make_unique<Foo>()`` are ``Foo``s; the standard containers keep
their element type for ``for (auto& x : v)`` and ``v[i]``. Calls become:

- ``x.m()`` / ``p->m()`` -> the type of ``x`` ``.m`` (members through the hierarchy and virtual
  dispatch are the graph step's, through ``extends`` relations);
- ``this->m()`` and a bare ``m()`` in a method naming a member of its class -> the class's
  member, also in out-of-line definitions ``void Foo::bar() {...}`` (whose class is ``Foo``);
- ``Base::m()``, ``ns::f()`` -> that class's or namespace's member; ``std::...`` -> external;
- ``f()`` -> a local (a function pointer: what it was given), a function of the enclosing
  namespaces of the file, else the name (and, under ``using namespace ns``, ``ns::f``); a
  lambda called -> ``unknown``;
- ``Foo f(1);`` and ``Foo f{1};`` declarations are constructor calls the extractor does not
  list: they are appended (in file order) as ``constructor`` calls of ``Foo``.

Bindings: fields and globals by declared type (``field[]`` for the elements of a standard
container), each function's declared result (``return``). Relations: C++ base specifiers
(``extends``, with ``access`` ``public``/``protected``/``private``, plus `` virtual``).
"""

from __future__ import annotations

from msgspec.structs import replace
from tree_sitter import Node

from ..extract.common import Source, captures
from ..model import Binding, Call, CallReason, Import, Ref, Symbol, TypeRelation
from ..parse import language_object
from .c_family_types import (
    CONTAINERS,
    MAKERS,
    MAPS,
    Refs,
    Val,
    declarator_name,
    strip_template_args,
)

_QUERY_C = """
(function_definition) @func
[(compound_statement) (for_statement) (if_statement) (while_statement) (switch_statement)] @scope
(declaration) @decl
(assignment_expression left: [(identifier) (field_expression)]) @assign
[(call_expression)] @call
[(struct_specifier body: (_)) (union_specifier body: (_))] @class
"""
_QUERY_CPP = """
[(function_definition) (lambda_expression)] @func
[(compound_statement) (for_statement) (for_range_loop) (if_statement) (while_statement)
 (switch_statement) (catch_clause)] @scope
(declaration) @decl
(assignment_expression left: [(identifier) (field_expression)]) @assign
[(call_expression) (new_expression)] @call
[(class_specifier body: (_)) (struct_specifier body: (_)) (union_specifier body: (_))] @class
(namespace_definition) @ns
"""
_ORDER = {"ns": 0, "class": 0, "func": 0, "scope": 0, "decl": 1, "assign": 1, "call": 2}
_MAX_DEPTH = 80
NOTHING = Val()
LAMBDA = Val(closure=True)
_CALLABLE_KINDS = frozenset({"function", "method", "macro"})
_CLASS_KINDS = frozenset({"class", "struct", "union"})
_VALUES = frozenset({"field", "variable", "constant", "enum_member"})
_NOT_TYPES = _VALUES | {"function", "method", "macro"}
_STD_TRANSPARENT = frozenset({"unique_ptr", "shared_ptr", "weak_ptr", "optional", "reference_wrapper", "atomic"})


def _with(refs: Refs, *ops: str) -> Refs:
    return tuple(Ref(r.base, r.ops + ops) for r in refs)


class _Args:
    """A call's argument count, counted only when an overload or a fit has to be decided."""

    __slots__ = ("_call", "_n")

    def __init__(self, call: Node | None, n: int | None = None) -> None:
        self._call = call
        self._n = n

    @property
    def n(self) -> int:
        if self._n is None:
            self._n = -1 if self._call is None else _arg_count(self._call)
        return self._n


_NO_ARGS = _Args(None)


class _Frame:
    __slots__ = ("end", "function", "namespace", "self_qn", "self_refs", "templates", "vars")

    def __init__(self, end: int, function: bool = False) -> None:
        self.end = end
        self.function = function
        """A function or lambda: declarations in it are locals."""
        self.vars: dict[str, Val] = {}
        self.templates: set[str] = set()
        self.self_refs: Refs | None = None
        """In a method (inline or out of line): the class itself, as Refs."""
        self.self_qn: str | None = None
        """The class's qualified name (``geo.Circle``), for members the file defines."""
        self.namespace: str | None = None
        """In a namespace, class or function: its qualified name, for the names defined in it."""


def semantics(
    root: Node,
    src: Source,
    language: str,
    symbols: tuple[Symbol, ...],
    imports: tuple[Import, ...],
    calls: tuple[Call, ...],
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    query = _QUERY_CPP if language == "cpp" else _QUERY_C
    found = captures(language_object(language), query, root)
    return _CPass(src, language, symbols, imports, found).run(calls)


class _CPass:
    def __init__(
        self,
        src: Source,
        language: str,
        symbols: tuple[Symbol, ...],
        imports: tuple[Import, ...],
        found: dict[str, list[Node]],
    ) -> None:
        self.data = src.data
        self.cpp = language == "cpp"
        self.found = found
        self.by_end: dict[int, list[Symbol]] = {}
        self.by_qname: dict[str, Symbol] = {}
        self.by_id = {s.id: s for s in symbols}
        self.overloads: dict[str, list[Symbol]] = {}
        """Qualified name -> every function or method of that name (overloads)."""
        for s in symbols:
            self.by_end.setdefault(s.location.end_byte, []).append(s)
            if s.kind in ("function", "method"):
                self.overloads.setdefault(s.qualified_name, []).append(s)
            old = self.by_qname.get(s.qualified_name)
            if old is None or (old.kind not in _CALLABLE_KINDS and s.kind in _CALLABLE_KINDS):
                self.by_qname[s.qualified_name] = s
        self.own_names = {s.name for s in symbols}
        self.globals: dict[str, Val] = {}
        """File-level variables of this file, as declared (a smart pointer keeps its methods)."""
        self.derived: set[str] = set()
        """Classes of the file with bases (whose members the file may not show)."""
        self.namespaces = [i.module.replace("::", ".") for i in imports if i.kind == "wildcard"]
        """``using namespace ns``: names may be ``ns``'s (std ones are external anyway)."""
        self.stack: list[_Frame] = []
        self.memo: dict[int, Val] = {}
        self.relations: list[TypeRelation] = []
        self.bindings: list[tuple[int, Binding]] = []
        self.results: dict[tuple[int, int], tuple[Refs, CallReason | None]] = {}
        self.extra: list[Call] = []
        self.hof: dict[tuple[str, int], list[Ref]] = {}
        """(function id, parameter index) -> the functions of the file the file's calls pass there."""
        self.callers: list[str | None] = []

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def _symbol(self, node: Node, kinds: frozenset[str]) -> Symbol | None:
        for s in self.by_end.get(node.end_byte, ()):
            if s.kind in kinds:
                return s
        parent = node.parent
        if parent is not None and parent.type == "template_declaration":
            for s in self.by_end.get(parent.end_byte, ()):
                if s.kind in kinds:
                    return s
        return None

    # ---- driver ------------------------------------------------------------------------------
    def run(self, calls: tuple[Call, ...]) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
        self.stack = [_Frame(end=1 << 62)]
        self._sweep()
        out = list(calls)
        for i, call in enumerate(calls):
            got = self.results.get((call.location.start_byte, call.location.end_byte))
            if got is not None and self._macro_list(call, got[0]):
                got = ((), "unknown")
            if got is not None and (got[0] or got[1] is not None):
                out[i] = replace(call, targets=got[0], reason=got[1])
        if self.extra:
            out.extend(self.extra)
            out.sort(key=lambda c: c.location.start_byte)
        self.bindings.sort(key=lambda b: b[0])
        return tuple(out), tuple(self.relations), tuple(b for _, b in self.bindings)

    def _passed_functions(self) -> None:
        """``apply(twice, 3)``: a function of the file named as argument J of a call of another
        function of the file is what that function's parameter J holds (a function pointer)."""
        top_fns = {s.name: s.id for ss in self.by_end.values() for s in ss if s.kind == "function" and s.parent is None}
        if not top_fns:
            return
        # in file order: the order of a query's captures is not fixed, and the order of the
        # values found here is the order of the call's targets
        for call in sorted(self.found.get("call", ()), key=lambda n: (n.start_byte, -n.end_byte)):
            fn = call.child_by_field_name("function")
            args = call.child_by_field_name("arguments")
            if fn is None or args is None or fn.type != "identifier":
                continue
            callee = top_fns.get(self.text(fn))
            if callee is None:
                continue
            for j, arg in enumerate(c for c in args.named_children if c.type != "comment"):
                if arg.type == "pointer_expression":
                    arg = arg.child_by_field_name("argument") or arg
                target = top_fns.get(self.text(arg)) if arg.type == "identifier" else None
                if target is not None:
                    refs = self.hof.setdefault((callee, j), [])
                    if Ref(f"s:{target}") not in refs:
                        refs.append(Ref(f"s:{target}"))

    def _sweep(self) -> None:
        self._passed_functions()
        events: list[tuple[int, int, int, int, str, Node]] = []
        seq = 0
        for cap, nodes in self.found.items():
            order = _ORDER[cap]
            for n in nodes:
                seq += 1
                events.append((n.start_byte, -n.end_byte, order, seq, cap, n))
        events.sort()
        stack = self.stack
        for start, _, _, _, cap, node in events:
            while len(stack) > 1 and stack[-1].end <= start:
                stack.pop()
            if cap == "call":
                key = (node.start_byte, node.end_byte)
                if key not in self.results:
                    self._call(node, 0)
            elif cap == "func":
                self._function(node)
            elif cap == "scope":
                self._scope(node)
            elif cap == "decl":
                self._declaration(node)
            elif cap == "assign":
                self._assign(node)
            elif cap == "class":
                self._class(node)
            elif cap == "ns":
                frame = _Frame(node.end_byte)
                sym = self._symbol(node, frozenset({"namespace"}))
                frame.namespace = sym.qualified_name if sym is not None else None
                stack.append(frame)

    # ---- scopes and declarations -------------------------------------------------------------
    def _caller(self) -> str | None:
        for frame in reversed(self.stack):
            if frame.function and frame.namespace is not None:
                sym = self.by_qname.get(frame.namespace)
                if sym is not None and sym.kind in ("function", "method"):
                    return sym.id
        return None

    def _function(self, node: Node) -> None:
        frame = _Frame(node.end_byte, function=True)
        self.stack.append(frame)
        if node.type == "lambda_expression":
            decl = node.child_by_field_name("declarator")
            params = decl.child_by_field_name("parameters") if decl is not None else None
            self._parameters(params, frame)
            return
        self._template_params(node, frame)
        sym = self._symbol(node, frozenset({"function", "method"}))
        fdecl = _function_declarator(node.child_by_field_name("declarator"))
        if sym is not None:
            frame.namespace = sym.qualified_name
            if sym.kind == "method" and "." in sym.qualified_name:
                cls_qn = sym.qualified_name.rpartition(".")[0]
                frame.self_qn = cls_qn
                frame.self_refs = (self._qname_ref(cls_qn),)
            values = _plain(self._declared(node.child_by_field_name("type"), depth=0))
            if values and not _builtin(values):
                self.bindings.append((node.start_byte, Binding(scope=sym.id, name="return", values=values)))
        if fdecl is not None:
            self._parameters(fdecl.child_by_field_name("parameters"), frame, sym)

    def _template_params(self, node: Node, frame: _Frame) -> None:
        """``template <typename T>``: T names no type of the repository (nor does a call of it)."""
        parent = node.parent
        if parent is None or parent.type != "template_declaration":
            return
        params = parent.child_by_field_name("parameters")
        for p in params.named_children if params is not None else ():
            for c in p.named_children:
                if c.type in ("type_identifier", "identifier"):
                    name = self.text(c)
                    frame.templates.add(name)
                    frame.vars[name] = NOTHING

    def _parameters(self, params: Node | None, frame: _Frame, owner: Symbol | None = None) -> None:
        index = -1
        for p in params.named_children if params is not None else ():
            if p.type not in ("parameter_declaration", "optional_parameter_declaration"):
                continue
            index += 1
            d = p.child_by_field_name("declarator")
            name = declarator_name(d, self.data)
            if name:
                val = self._typed(p.child_by_field_name("type"), d)
                passed = self.hof.get((owner.id, index)) if owner is not None else None
                if passed:
                    val = Val(_merge(val.refs, tuple(passed)), val.inner)
                frame.vars[name] = val

    def _scope(self, node: Node) -> None:
        frame = _Frame(node.end_byte)
        self.stack.append(frame)
        if node.type == "for_range_loop":
            d = node.child_by_field_name("declarator")
            name = declarator_name(d, self.data)
            right = node.child_by_field_name("right")
            tnode = node.child_by_field_name("type")
            if tnode is not None and tnode.type == "placeholder_type_specifier":
                val = Val(self._eval(right, 0).inner) if right is not None else NOTHING
            else:
                val = self._typed(tnode, d)
            if name:
                frame.vars[name] = val
        elif node.type == "catch_clause":
            params = node.child_by_field_name("parameters")
            self._parameters(params, frame)

    def _declaration(self, node: Node) -> None:
        tnode = node.child_by_field_name("type")
        in_function = any(f.function for f in self.stack)
        global_scope = not in_function and all(f.self_qn is None for f in self.stack)
        for d in node.children_by_field_name("declarator"):
            if _function_declarator(d) is not None and d.type != "init_declarator":
                continue  # a function declaration
            name = declarator_name(d, self.data)
            if not name:
                continue
            value = d.child_by_field_name("value") if d.type == "init_declarator" else None
            if tnode is not None and tnode.type == "placeholder_type_specifier":
                val = (
                    self._eval(value, 0)
                    if value is not None and value.type not in ("argument_list", "initializer_list")
                    else NOTHING
                )
            else:
                val = self._typed(tnode, d)
                if value is not None and value.type in _DESIGNATORS:
                    val = Val(_merge(val.refs, self._eval(value, 0).refs), val.inner)
            if value is not None and value.type == "initializer_list":
                self._struct_init(val, value)
            if value is not None and value.type in ("argument_list", "initializer_list") and self.cpp and in_function:
                self._construct(node, d, tnode, value)
            if in_function:
                self.stack[-1].vars[name] = val
            elif global_scope:
                self.globals[name] = val
                self._bind(node.start_byte, None, name, val)

    def _macro_list(self, call: Call, targets: Refs) -> bool:
        """``TEST_DECLARE(a) TEST_DECLARE(b) ...``: an X-macro list the grammar reads as one
        function declaration named like the macro, around calls of itself that no function of
        it makes; they call a macro the file does not show."""
        if len(targets) != 1 or targets[0].ops or not targets[0].base.startswith("s:"):
            return False
        sym = self.by_id.get(targets[0].base[2:])
        if sym is None or sym.kind != "function":
            return False
        at = call.location.start_byte
        return any(
            c.id != call.caller and c.location.start_byte <= at < c.location.end_byte
            for c in self.overloads.get(sym.qualified_name, [sym])
        )

    def _own_struct(self, val: Val) -> Symbol | None:
        """The struct or class of the file a value is an instance of (one only), else None."""
        if len(val.refs) != 1 or val.refs[0].ops != ("new",) or not val.refs[0].base.startswith("s:"):
            return None
        sym = self.by_id.get(val.refs[0].base[2:])
        return sym if sym is not None and sym.kind in _CLASS_KINDS else None

    def _field_values(self, owner: Symbol, field: str, value: Node, at: int) -> None:
        """A function stored in a field of a struct of the file (``.read = my_read``,
        ``ops->read = my_read``): every instance's field may hold it (flow-insensitive)."""
        if value.type not in _DESIGNATORS:
            return
        refs = tuple(r for r in self._eval(value, 0).refs if not r.ops and r.base[:2] in ("s:", "n:"))
        if refs:
            self.bindings.append((at, Binding(scope=owner.id, name=field, values=refs)))

    def _struct_init(self, val: Val, init: Node) -> None:
        """``struct ops o = { .read = r, w };``: designated and positional members."""
        owner = self._own_struct(val)
        if owner is None:
            return
        fields = sorted(
            (s for s in self.by_id.values() if s.parent == owner.id and s.kind == "field"),
            key=lambda s: s.location.start_byte,
        )
        position = 0
        for item in init.named_children:
            if item.type == "comment":
                continue
            if item.type == "initializer_pair":
                designator = item.child_by_field_name("designator")
                names = [c for c in designator.named_children if c.type == "field_identifier"] if designator else []
                value = item.child_by_field_name("value")
                if len(names) == 1 and value is not None:
                    field = self.text(names[0])
                    self._field_values(owner, field, value, item.start_byte)
                    position = next((i + 1 for i, f in enumerate(fields) if f.name == field), position + 1)
                continue
            if position < len(fields):
                self._field_values(owner, fields[position].name, item, item.start_byte)
            position += 1

    def _assign(self, node: Node) -> None:
        """``fp = other;``: a local function pointer holds every function it is given (from here
        on); ``p->cb = other;`` on a struct of the file: its field may hold it."""
        right = node.child_by_field_name("right")
        left = node.child_by_field_name("left")
        if right is None or left is None or right.type not in _DESIGNATORS:
            return
        if left.type == "field_expression":
            arg = left.child_by_field_name("argument")
            field = left.child_by_field_name("field")
            owner_val = self._eval(arg, 0) if arg is not None else NOTHING
            if owner_val.smart and _arrow(left):
                owner_val = Val(owner_val.inner)
            owner = self._own_struct(owner_val)
            if owner is not None and field is not None:
                self._field_values(owner, self.text(field), right, node.start_byte)
            return
        name = self.text(left)
        for frame in reversed(self.stack):
            old = frame.vars.get(name)
            if old is not None:
                frame.vars[name] = Val(_merge(old.refs, self._eval(right, 0).refs), old.inner)
                return

    def _construct(self, node: Node, d: Node, tnode: Node | None, args: Node) -> None:
        """``Foo f(1);`` / ``Foo f{1};``: the constructor call the extractor does not list."""
        if tnode is None or tnode.type not in ("type_identifier", "qualified_identifier", "template_type"):
            return
        refs = self._type_refs(tnode)
        if not refs:
            return
        text = strip_template_args(self.text(tnode))
        scope, _, name = text.rpartition("::")
        loc = Source.loc(d)
        count = sum(1 for c in args.named_children if c.type != "comment")
        given = _Args(None, count)
        targets: Refs = () if _builtin(refs) else self._constructors(refs, given)
        reason: CallReason | None = "builtin" if _builtin(refs) else None
        self.extra.append(
            Call(
                caller=self._caller(),
                callee=text,
                name=name,
                receiver=scope or None,
                call_type="constructor",
                arg_count=sum(1 for c in args.named_children if c.type != "comment"),
                location=loc,
                targets=targets,
                reason=reason,
            )
        )

    def _bind(self, at: int, scope: str | None, name: str, val: Val) -> None:
        if val.smart:  # the graph step reads a field's values as what ``->`` reaches
            val = Val(val.inner)
        if val.refs and not _builtin(val.refs):
            self.bindings.append((at, Binding(scope=scope, name=name, values=val.refs)))
        if val.inner and not _builtin(val.inner):
            self.bindings.append((at, Binding(scope=scope, name=f"{name}[]", values=val.inner)))

    def _class(self, node: Node) -> None:
        sym = self._symbol(node, _CLASS_KINDS)
        frame = _Frame(node.end_byte)
        self.stack.append(frame)
        self._template_params(node, frame)
        if sym is None:
            return
        frame.self_refs = (Ref(f"s:{sym.id}"),)
        frame.self_qn = sym.qualified_name
        frame.namespace = sym.qualified_name
        default = "private" if node.type == "class_specifier" else "public"
        for child in node.children:
            if child.type == "base_class_clause":
                self._bases(sym, child, default)
        body = node.child_by_field_name("body")
        for fd in body.named_children if body is not None else ():
            if fd.type != "field_declaration":
                continue
            tnode = fd.child_by_field_name("type")
            for d in fd.children_by_field_name("declarator"):
                fdecl = _function_declarator(d)
                if fdecl is not None:
                    self._method_result(sym, fdecl, tnode, fd)
                    continue
                name = declarator_name(d, self.data)
                if name:
                    self._bind(fd.start_byte, sym.id, name, self._typed(tnode, d))

    def _method_result(self, cls: Symbol, fdecl: Node, tnode: Node | None, at: Node) -> None:
        name = declarator_name(fdecl.child_by_field_name("declarator"), self.data)
        msym = self.by_qname.get(f"{cls.qualified_name}.{name}")
        if msym is None or msym.kind != "method" or msym.location.end_byte != at.end_byte:
            return
        values = _plain(self._declared(tnode, 0))
        if values and not _builtin(values):
            self.bindings.append((at.start_byte, Binding(scope=msym.id, name="return", values=values)))

    def _bases(self, sym: Symbol, clause: Node, default: str) -> None:
        access = default
        virtual = False
        for c in clause.children:
            t = c.type
            if t == "access_specifier":
                access = self.text(c)
            elif t == "virtual" or self.text(c) == "virtual":
                virtual = True
            elif t in ("type_identifier", "qualified_identifier", "template_type"):
                base = strip_template_args(self.text(c))
                self.derived.add(sym.qualified_name)
                self.relations.append(
                    TypeRelation(
                        type=sym.id,
                        type_name=sym.name,
                        base=base,
                        kind="extends",
                        access=f"{access} virtual" if virtual else access,
                        location=Source.loc(c),
                    )
                )
                access, virtual = default, False

    # ---- types -------------------------------------------------------------------------------
    def _qname_ref(self, qn: str) -> Ref:
        """A class or namespace by qualified name: this file's symbol, else the first segment
        looked up by name."""
        sym = self.by_qname.get(qn)
        if sym is not None:
            return Ref(f"s:{sym.id}")
        parts = qn.split(".")
        return Ref(f"n:{parts[0]}", tuple(f".{p}" for p in parts[1:]))

    def _scoped(self, name: str, types: bool = False) -> Ref | None:
        """A name defined by the file in the namespaces, classes and functions around here
        (``types``: only a type or namespace, as in a declaration or ``new``)."""
        skip = _NOT_TYPES if types else _VALUES
        for frame in reversed(self.stack) if self.cpp else ():
            ns = frame.namespace
            if ns is not None:
                parts = ns.split(".")
                while parts:
                    sym = self.by_qname.get(".".join([*parts, name]))
                    if sym is not None and sym.kind not in skip:
                        return Ref(f"s:{sym.id}")
                    parts.pop()
                break
        sym = self.by_qname.get(name)
        if sym is not None and (sym.parent is None or "." in name) and sym.kind not in skip:
            return Ref(f"s:{sym.id}")
        return None

    def _type_refs(self, tnode: Node | None) -> Refs:
        """The named type (the type itself, not an instance), pointers and templates stripped."""
        if tnode is None:
            return ()
        t = tnode.type
        if t in ("primitive_type", "sized_type_specifier"):
            return (Ref(f"b:{self.text(tnode).split()[-1]}"),)
        if t in ("struct_specifier", "union_specifier", "class_specifier", "enum_specifier"):
            tag = tnode.child_by_field_name("name")
            return self._type_refs(tag) if tag is not None else ()
        if t == "template_type":
            return self._type_refs(tnode.child_by_field_name("name"))
        if t == "type_identifier":
            name = self.text(tnode)
            ref = self._scoped(name, types=True)
            if ref is not None:
                return (ref,)
            if name in self.templates():
                return ()
            return (Ref(f"n:{name}"), *self._through_namespaces(name))
        if t == "qualified_identifier":
            text = strip_template_args(self.text(tnode))
            parts = [p for p in text.split("::")]
            if not parts[0]:
                parts = parts[1:]
            if not parts:
                return ()
            if parts[0] == "std":
                return (Ref("x:std", tuple(f".{p}" for p in parts[1:])),)
            whole = self._scoped(".".join(parts), types=True)
            if whole is not None:
                return (whole,)
            ref = self._scoped(parts[0], types=True)
            if ref is not None:
                return (Ref(ref.base, tuple(f".{p}" for p in parts[1:])),)
            return (Ref(f"n:{parts[0]}", tuple(f".{p}" for p in parts[1:])),)
        return ()

    def _declared(self, tnode: Node | None, depth: int) -> Val:
        """An instance of a declared type: smart pointers and ``optional`` seen through, standard
        containers keeping their element type."""
        if tnode is None or depth > 6:
            return NOTHING
        t = tnode.type
        if t == "placeholder_type_specifier":
            return NOTHING
        std = _std_template(tnode, self)
        if std is not None:
            name, args = std
            if name in _STD_TRANSPARENT and args:
                pointee = self._declared(args[0], depth + 1)
                return Val((Ref("x:std", (f".{name}", "new")),), pointee.refs, smart=True)
            if name in CONTAINERS and args:
                return Val((Ref("x:std", (f".{name}", "new")),), _plain(self._declared(args[0], depth + 1)))
            if name in MAPS and len(args) >= 2:
                return Val((Ref("x:std", (f".{name}", "new")),), _plain(self._declared(args[1], depth + 1)))
        if t == "type_descriptor":
            return self._declared(tnode.child_by_field_name("type"), depth + 1)
        refs = self._type_refs(tnode)
        if _builtin(refs):
            return Val(refs)
        return Val(_with(refs, "new"))

    def _typed(self, tnode: Node | None, d: Node | None) -> Val:
        """A declarator's value from the declared type: ``Foo *p[4]`` holds Foo elements."""
        val = self._declared(tnode, 0)
        cur = d
        while cur is not None:
            if cur.type == "array_declarator":
                return Val((), val.refs)
            if cur.type == "function_declarator":  # a function pointer: its values come by assignment
                return NOTHING
            if cur.type in (
                "pointer_declarator",
                "reference_declarator",
                "init_declarator",
                "parenthesized_declarator",
            ):
                nxt = cur.child_by_field_name("declarator")
                if nxt is None:
                    nxt = next((c for c in cur.named_children if c.type != "type_qualifier"), None)
                cur = nxt
                continue
            break
        return val

    # ---- values ------------------------------------------------------------------------------
    def _local(self, name: str) -> Val | None:
        for frame in reversed(self.stack):
            v = frame.vars.get(name)
            if v is not None:
                return v
        return None

    def _self(self) -> _Frame | None:
        for frame in reversed(self.stack):
            if frame.self_refs is not None:
                return frame
        return None

    def _eval(self, node: Node | None, depth: int) -> Val:
        if node is None:
            return NOTHING
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
            local = self._local(name)
            if local is not None:
                return local
            member = self._member(name)
            if member is not None:
                return Val(member)
            declared = self.globals.get(name)
            if declared is not None and declared.smart:
                return declared
            ref = self._scoped(name)
            return Val((ref if ref is not None else Ref(f"n:{name}"),))
        if t == "this":
            owner = self._self()
            return Val(_with(owner.self_refs, "new")) if owner is not None and owner.self_refs else NOTHING
        if t == "field_expression":
            arg = node.child_by_field_name("argument")
            field = node.child_by_field_name("field")
            if arg is None or field is None:
                return NOTHING
            owner_val = self._eval(arg, depth)
            if owner_val.smart and _arrow(node):
                owner_val = Val(owner_val.inner)
            refs = tuple(r for r in owner_val.refs if not r.base.startswith(("b:", "x:")))
            return Val(_with(refs, f".{self.text(field)}")) if refs else NOTHING
        if t == "call_expression":
            return self._call(node, depth)[2]
        if t == "new_expression":
            return Val(_with(self._type_refs(node.child_by_field_name("type")), "new"))
        if t == "compound_literal_expression":
            return self._declared(node.child_by_field_name("type"), 0)
        if t in ("pointer_expression", "parenthesized_expression", "cast_expression"):
            if t == "cast_expression":
                return self._declared(node.child_by_field_name("type"), 0)
            inner = node.child_by_field_name("argument") or next(
                (c for c in node.named_children if c.type != "comment"), None
            )
            val = self._eval(inner, depth)
            if val.smart and t == "pointer_expression" and self.data[node.start_byte : node.start_byte + 1] == b"*":
                return Val(val.inner)
            return val
        if t == "subscript_expression":
            arg = node.child_by_field_name("argument")
            val = self._eval(arg, depth)
            return Val(val.inner)
        if t == "qualified_identifier":
            refs = self._path(node)
            return Val(refs) if refs else NOTHING
        if t == "lambda_expression":
            return LAMBDA
        if t in ("string_literal", "raw_string_literal", "concatenated_string"):
            return Val((Ref("b:char"),))
        if t in ("number_literal", "char_literal", "true", "false"):
            return Val((Ref("b:int"),))
        return NOTHING

    def _overload(self, qname: str, args: _Args) -> Symbol | None:
        """The member ``qname`` of the file; of several overloads, the one the argument count
        fits when only one does (the graph step would take the first)."""
        sym = self.by_qname.get(qname)
        cands = self.overloads.get(qname, [])
        if sym is None or len(cands) < 2 or args.n < 0:
            return sym
        fit = [c for c in cands if self._fits(Ref(f"s:{c.id}"), args)]
        return fit[0] if len(fit) == 1 else sym

    def _constructors(self, refs: Refs, args: _Args) -> Refs:
        """A class of the file constructed with ``args`` arguments: its constructors that take
        them, when it has several (the graph step would take the first); else the class."""
        if len(refs) != 1 or refs[0].ops or not refs[0].base.startswith("s:"):
            return refs
        cls = self.by_id.get(refs[0].base[2:])
        if cls is None or cls.kind not in _CLASS_KINDS:
            return refs
        ctors = self.overloads.get(f"{cls.qualified_name}.{cls.name}", [])
        if len(ctors) < 2:
            return refs
        fit = [c for c in ctors if self._fits(Ref(f"s:{c.id}"), args)]
        if len(fit) > 1:  # a copy or move constructor is rarely what a call with arguments means
            fit = [c for c in fit if not _copies(c, cls.name)]
        return (Ref(f"s:{fit[0].id}"),) if len(fit) == 1 else refs

    def _method_overload(self, refs: Refs, name: str, args: _Args) -> Refs:
        """``x.m(a)`` on a class of the file defining several non-virtual ``m``: the one the
        argument count fits, as a symbol; else the member through the hierarchy."""
        out = _with(refs, f".{name}")
        if len(refs) != 1 or refs[0].ops != ("new",) or not refs[0].base.startswith("s:"):
            return out
        cls = self.by_id.get(refs[0].base[2:])
        if (
            cls is None
            or cls.kind not in _CLASS_KINDS
            or len(self.overloads.get(f"{cls.qualified_name}.{name}", [])) < 2
        ):
            return out
        sym = self._overload(f"{cls.qualified_name}.{name}", args)
        if sym is None or _virtual(sym):
            return out
        return (Ref(f"s:{sym.id}"),)

    def _member(self, name: str, args: _Args = _NO_ARGS) -> Refs | None:
        """A bare name in a method that its class defines (as the file shows it): implicit this."""
        owner = self._self()
        if owner is None or owner.self_qn is None or not self.cpp:
            return None
        sym = self._overload(f"{owner.self_qn}.{name}", args)
        if sym is None:
            return None
        if sym.kind in _CALLABLE_KINDS and sym.kind == "method" and not _virtual(sym):
            return (Ref(f"s:{sym.id}"),)
        return _with(owner.self_refs or (), "new", f".{name}")

    def _path(self, node: Node) -> Refs:
        text = strip_template_args(self.text(node))
        parts = [p for p in text.split("::")]
        if not parts[0]:
            parts = parts[1:]
        if len(parts) < 2:
            return (Ref(f"n:{parts[0]}"),) if parts else ()
        if parts[0] == "std":
            return (Ref("x:std", tuple(f".{p}" for p in parts[1:])),)
        owner = self._self()
        head = ".".join(parts[:-1])
        if owner is not None and owner.self_qn is not None:
            # Base::m() from a method: the member of that class (the hierarchy is the graph step's)
            sym = self.by_qname.get(f"{head}.{parts[-1]}") or self.by_qname.get(
                f"{owner.self_qn}.{text.replace('::', '.')}"
            )
            if sym is not None and sym.kind in _CALLABLE_KINDS:
                return (Ref(f"s:{sym.id}"),)
        whole = self._scoped(".".join(parts))
        if whole is not None:
            return (whole,)
        ref = self._scoped(parts[0])
        if ref is not None:
            return (Ref(ref.base, tuple(f".{p}" for p in parts[1:])),)
        return (Ref(f"n:{parts[0]}", tuple(f".{p}" for p in parts[1:])),)

    # ---- calls -------------------------------------------------------------------------------
    def _call(self, node: Node, depth: int) -> tuple[Refs, CallReason | None, Val]:
        key = (node.start_byte, node.end_byte)
        targets: Refs = ()
        reason: CallReason | None = None
        result = NOTHING
        if node.type == "new_expression":
            refs = self._type_refs(node.child_by_field_name("type"))
            if _builtin(refs):
                reason = "builtin"
            else:
                targets = self._constructors(refs, _Args(node))
                result = Val(_with(refs, "new"))
            self.results[key] = (targets, reason)
            return targets, reason, result
        fn = node.child_by_field_name("function")
        while fn is not None and fn.type == "parenthesized_expression":
            fn = next((c for c in fn.named_children if c.type != "comment"), None)
        if fn is not None and fn.type == "pointer_expression":  # (*fp)(x)
            fn = fn.child_by_field_name("argument")
        t = fn.type if fn is not None else ""
        if fn is None:
            reason = "unknown"
        elif t == "identifier":
            args = _Args(node)
            targets, reason = self._bare(self.text(fn), args)
            result = Val(_with(targets, "()"))
            if len(targets) == 1 and targets[0].base.startswith("s:") and not targets[0].ops:
                targets = self._constructors(targets, args)
        elif t == "template_function":
            name = self.text(fn.child_by_field_name("name"))
            targs = fn.child_by_field_name("arguments")
            first = next((c for c in targs.named_children if c.type != "comment"), None) if targs is not None else None
            if name in MAKERS or name.endswith("_cast"):
                reason = "builtin"
                result = self._declared(first, 0) if first is not None else NOTHING
            else:
                targets, reason = self._bare(name, _Args(node))
                result = Val(_with(targets, "()"))
        elif t == "qualified_identifier":
            text = strip_template_args(self.text(fn))
            last = text.rpartition("::")[2]
            if text.startswith("std::") and last in MAKERS:
                name_node = fn.child_by_field_name("name")
                targs = name_node.child_by_field_name("arguments") if name_node is not None else None
                first = (
                    next((c for c in targs.named_children if c.type != "comment"), None) if targs is not None else None
                )
                result = self._declared(first, 0) if first is not None else NOTHING
                if last in ("make_unique", "make_shared") and result.refs:
                    ptr = "unique_ptr" if last == "make_unique" else "shared_ptr"
                    result = Val((Ref("x:std", (f".{ptr}", "new")),), result.refs, smart=True)
                targets = (Ref("x:std", (f".{last}",)),)
            else:
                targets = self._path(fn)
                result = Val(_with(targets, "()"))
        elif t == "field_expression":
            arg = fn.child_by_field_name("argument")
            field = fn.child_by_field_name("field")
            recv = self._eval(arg, depth)
            if recv.smart and _arrow(fn):
                recv = Val(recv.inner)
            name = self.text(field)
            if field is not None and field.type == "template_method":
                name = self.text(field.child_by_field_name("name"))
            if recv.closure or not recv.refs:
                reason = "unknown"
            elif _builtin(recv.refs):
                reason = "builtin"
            else:
                targets = self._method_overload(recv.refs, name, _Args(node))
                if recv.inner and name in ("front", "back", "at", "top", "get", "value", "operator[]"):
                    result = Val(recv.inner)
                elif recv.inner and name in ("begin", "end", "find", "data"):
                    result = recv
                else:
                    result = Val(_with(targets, "()"))
        else:
            val = self._eval(fn, depth)
            if val.refs and not val.closure:
                targets = val.refs
                result = Val(_with(targets, "()"))
            else:
                reason = "unknown"
        if targets and _builtin(targets):
            targets, reason = (), "builtin"
        self.results[key] = (targets, reason)
        return targets, reason, result

    def _bare(self, name: str, args: _Args = _NO_ARGS) -> tuple[Refs, CallReason | None]:
        local = self._local(name)
        if local is not None:
            if local.closure or not local.refs:
                return (), "unknown"
            return local.refs, None
        member = self._member(name, args)
        if member is not None:
            return member, None
        ref = self._scoped(name)
        owner = self._self()
        whole = owner is not None and owner.self_qn in self.by_qname and owner.self_qn not in self.derived
        if owner is None or not owner.self_refs or not self.cpp or whole:
            if ref is not None:
                return (ref,), None
            return (Ref(f"n:{name}"), *self._through_namespaces(name)), None
        # In a method: a member the file does not show (declared in a header, inherited) comes
        # first in C++'s lookup; a free function of the file only when the arguments fit it.
        out = [Ref(owner.self_refs[0].base, (*owner.self_refs[0].ops, "new", f".{name}"))]
        if ref is not None:
            if self._fits(ref, args):
                out.append(ref)
        else:
            out.append(Ref(f"n:{name}"))
            out.extend(self._through_namespaces(name))
        return tuple(out), None

    def _fits(self, ref: Ref, args: _Args) -> bool:
        sym = self.by_id.get(ref.base[2:]) if ref.base.startswith("s:") and not ref.ops else None
        if sym is None or sym.kind not in ("function", "method") or args.n < 0:
            return True
        params = [p for p in sym.parameters if p.name != "void" and p.type != "void"]
        if any(p.kind == "variadic" for p in params):
            return True
        required = sum(1 for p in params if p.default is None)
        return required <= args.n <= len(params)

    def templates(self) -> set[str]:
        """Template parameters of the functions and classes around here."""
        out: set[str] = set()
        for frame in self.stack:
            out |= frame.templates
        return out

    def _through_namespaces(self, name: str) -> list[Ref]:
        """``ns::name`` for the namespaces around here (innermost first) and each ``using
        namespace ns`` of the file (``std`` is external anyway)."""
        out = []
        for frame in reversed(self.stack):
            if frame.namespace is not None:
                parts = frame.namespace.split(".")
                if frame.function:
                    parts.pop()  # the function itself; what is left are its class and namespaces
                while parts:
                    out.append(Ref(f"n:{parts[0]}", (*(f".{p}" for p in parts[1:]), f".{name}")))
                    parts.pop()
                break
        for ns in self.namespaces:
            if ns != "std":
                parts = ns.split(".")
                out.append(Ref(f"n:{parts[0]}", (*(f".{p}" for p in parts[1:]), f".{name}")))
        return out


def _arg_count(call: Node) -> int:
    args = call.child_by_field_name("arguments")
    return -1 if args is None else sum(1 for c in args.named_children if c.type != "comment")


def _function_declarator(d: Node | None) -> Node | None:
    cur = d
    while cur is not None:
        if cur.type == "function_declarator":
            return cur
        if cur.type in ("pointer_declarator", "reference_declarator", "attributed_declarator"):
            cur = cur.child_by_field_name("declarator") or next(
                (c for c in cur.named_children if c.type.endswith("declarator")), None
            )
            continue
        return None
    return None


def _std_template(tnode: Node, p: _CPass) -> tuple[str, list[Node]] | None:
    """``std::vector<Foo>`` -> ("vector", [Foo]); also ``vector<Foo>`` when the file defines no
    ``vector`` (``using namespace std``)."""
    if tnode.type == "template_type" and p.cpp:
        tname = p.text(tnode.child_by_field_name("name"))
        if (tname in CONTAINERS or tname in MAPS or tname in _STD_TRANSPARENT) and tname not in p.own_names:
            args = tnode.child_by_field_name("arguments")
            return tname, [c for c in args.named_children if c.type == "type_descriptor"] if args is not None else []
        return None
    if tnode.type != "qualified_identifier":
        return None
    scope = tnode.child_by_field_name("scope")
    name = tnode.child_by_field_name("name")
    if scope is None or name is None or p.text(scope) != "std" or name.type != "template_type":
        return None
    args = name.child_by_field_name("arguments")
    tname = p.text(name.child_by_field_name("name"))
    return tname, [c for c in args.named_children if c.type == "type_descriptor"] if args is not None else []


def _virtual(method: Symbol) -> bool:
    """Declared ``virtual``, ``override`` or pure (``= 0``): a call of it may run an override."""
    head = method.signature.split("(")[0].split()
    tail = method.signature.rpartition(")")[2].split()
    return (
        "virtual" in head or "override" in tail or "final" in tail or method.signature.replace(" ", "").endswith(")=0")
    )


def _copies(ctor: Symbol, cls: str) -> bool:
    """``Foo(const Foo &)`` / ``Foo(Foo &&)``."""
    return (
        len(ctor.parameters) == 1
        and strip_template_args(ctor.parameters[0].type or "").replace("const", "").strip(" &") == cls
    )


def _plain(val: Val) -> Refs:
    """What a value stands for where the graph step reads it: a smart pointer's pointee."""
    return val.inner if val.smart else val.refs


def _arrow(field_expression: Node) -> bool:
    op = field_expression.child_by_field_name("operator")
    return op is not None and op.type == "->"


_DESIGNATORS = frozenset({"identifier", "pointer_expression", "qualified_identifier"})
"""Initializers that may name a function (``handler h = add_one;``, ``= &twice``)."""


def _merge(a: Refs, b: Refs) -> Refs:
    return a + tuple(r for r in b if r not in a and not r.base.startswith("b:"))


def _builtin(refs: Refs) -> bool:
    for r in refs:
        if not r.base.startswith("b:"):
            return False
    return bool(refs)


def _external(refs: Refs) -> bool:
    return bool(refs) and all(r.base.startswith(("x:", "b:")) for r in refs)
