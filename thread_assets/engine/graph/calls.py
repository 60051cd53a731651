"""Call resolution: each extracted call to the definitions it may run, or to a verdict.

Two strategies, chosen per call:

- **semantic**: the call carries ``targets`` from its file's semantic pass (scopes, values and
  declared types, see ``engine.semantics``); they are evaluated across files (``evaluate``):
  imports and re-export chains, module bindings, function results, members through the class
  hierarchy, and interface/trait/abstract methods dispatched to every implementation. A call may
  get several edges (one per possible target; flow-insensitive).
- **by name** (languages without a semantic pass, or calls it did not understand): a call is
  resolved only through a binding the language makes visible at the call site: the caller's own
  class (``self``/``this``/``Self``/``cls``, a Go receiver, implicit ``this`` in Java/C++), a
  top-level definition of the same file, an import whose resolution names a repository file, or a
  type defined in the same file or imported. Nothing is ever matched by name across the
  repository.

Every call gets a verdict: a target that is a callable symbol (a function, method or macro; a
class stands for its constructor when it defines none), never a variable, field or constant; or a
``reason``: ``builtin``, ``external`` (with ``callee_module``), ``dynamic`` or ``unknown``.

Languages differ in what a "file" is: a Go import names a package, so a Go target (or caller)
stands for all non-test files of its directory; Rust trait-impl members (``Point.<Display>.fmt``)
are also reachable as ``Point.fmt``; methods never count as top-level names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

import msgspec

from ..model import Call, CallReason, CallType, FileAnalysis, Location, Symbol, global_symbol_id
from ..resolve.base import Resolution
from .builtins import is_builtin
from .evaluate import CALLABLE, TYPES, Evaluator, Obj, callee_module
from .lookup import (
    CLASS_LIKE,
    CONSTRUCTIBLE,
    IMPLICIT_THIS_LANGUAGES,
    MODULE_CALLER,
    NAMESPACE_LIKE,
    QUALIFIER_LIKE,
    SELF_RECEIVERS,
    Lookup,
    _Binding,
    _FileIndex,
    _Found,
    _without_trait_segments,
)

CallHow = Literal[
    "same_file",
    "same_package",
    "import",
    "self_method",
    "module_qualified",
    "type_qualified",
    "constructor",
    "local",
    "inferred",
    "inherited",
    "super",
    "dispatch",
    "unresolved",
]
"""How a call found its target:

- ``same_file``: a bare name defined at top level of the file (or in an enclosing namespace);
- ``same_package``: a Go bare name defined at top level of another file of the caller's package
  (the package's non-test files; a test file also sees the other test files), or a Java type of
  the caller's package;
- ``import``: a bare name bound by an import (re-exports and wildcard imports followed);
- ``self_method``: ``self.m()``/``this.m()``/``Self::m()``/``cls.m()``, a Go receiver, or an
  implicit-``this`` bare name in Java/C++, to a member of the caller's own type;
- ``module_qualified``: ``mod.f()`` where ``mod`` is an imported module (``utils.f``, Go
  ``pkg.F``, Rust ``module::f``) to a top-level symbol of the module's file;
- ``type_qualified``: ``Type.m()`` / ``ns::f()`` through a class, struct, trait or namespace
  defined in the file, imported, or reached as ``module.Type``;
- ``constructor``: the target is a constructor (``__init__``, ``constructor``) or a class without
  one (``Foo()``, ``new Foo``, ``models.User()``);
- ``local``: a function defined inside the caller (or another local scope of the file);
- ``inferred``: through a value or a declared type (``b = B(); b.m()``, ``doc: Document``);
- ``inherited``: a member found in a base class (``self.m()`` defined by a mixin);
- ``super``: ``super().m()`` / ``super.m()``;
- ``dispatch``: one implementation of an interface, trait or abstract method called through it,
  or (Python) of a member a class leaves to its subclasses: ``self.m()`` / ``super().m()`` where
  the class's own method resolution order has no ``m`` reaches each subclass's ``m``;
- ``unresolved``: no target (see ``reason``).
"""


class CallEdge(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    caller: str
    """Global id of the calling symbol, or ``path::<module>`` for file-level calls."""
    callee: str
    name: str
    call_type: CallType
    location: Location
    target: str | None
    """Global id of the called symbol (``path::<module>`` when a module itself is called), or None."""
    how: CallHow
    call_index: int = 0
    """The call's position among its file's calls (a call with several targets has several edges)."""
    receiver_type: str | None = None
    """Global id of the type whose member is called (``self.x.m()`` -> the class of ``x``), or
    the external type's dotted name."""
    callee_module: str | None = None
    """For a call into external code: the module it comes from (``os.path``, ``fmt``)."""
    reason: CallReason | None = None
    """Why there is no target: ``builtin``, ``external``, ``dynamic`` or ``unknown``."""
    dispatch: bool = False
    """One of several implementations an interface, trait or abstract method call may run."""


class HierarchyEdge(msgspec.Struct, frozen=True, kw_only=True):
    """One relation of a file's type hierarchy with its base resolved (``type_hierarchy``)."""

    path: str
    type: str | None
    """Global id of the type, or None for a relation on a type defined elsewhere (Rust impls)."""
    type_name: str
    base: str
    kind: str
    access: str | None
    target: str | None
    """Global id of the base type in the repository, or None."""
    module: str | None
    """For a base from external code: the module it comes from."""
    location: Location


def _enclosing_types(fi: _FileIndex, caller: Symbol | None) -> tuple[list[str], set[str]]:
    """Qualified names that may hold the caller's siblings, innermost first, and the caller's
    receiver parameter names (Go's ``s`` in ``func (s *Server) Start()``).

    Parent links give the class; a method's own qualified-name prefix covers methods whose type is
    not their parent (Rust impl blocks, Go receiver methods, C++ out-of-line definitions)."""
    prefixes: list[str] = []
    receivers: set[str] = set()
    sym = caller
    while sym is not None:
        receivers.update(p.name for p in sym.parameters if p.kind == "receiver")
        if sym.kind in CLASS_LIKE:
            if sym.qualified_name not in prefixes:
                prefixes.append(sym.qualified_name)
            break
        if sym.kind == "method" and "." in sym.qualified_name:
            prefix = _without_trait_segments(sym.qualified_name.rpartition(".")[0])
            if prefix not in prefixes:
                prefixes.append(prefix)
        sym = fi.symbols.get(sym.parent) if sym.parent is not None else None
    return prefixes, receivers


def _in_enclosing_namespaces(fi: _FileIndex, caller: Symbol | None, name: str) -> Symbol | None:
    sym = caller
    while sym is not None:
        if sym.kind in NAMESPACE_LIKE:
            found = fi.by_qname.get(f"{sym.qualified_name}.{name}")
            if found is not None:
                return found
        sym = fi.symbols.get(sym.parent) if sym.parent is not None else None
    return None


def _own_member(r: Lookup, fi: _FileIndex, caller: Symbol | None, name: str) -> tuple[str, Symbol] | None:
    for prefix in _enclosing_types(fi, caller)[0]:
        found = r.member(fi.path, prefix, name)
        if found is not None:
            return found
    return None


def _through_import(r: Lookup, b: _Binding, name: str) -> tuple[tuple[str, Symbol] | None, CallHow]:
    """``recv.name(...)`` where ``recv`` is bound by import ``b``."""
    if b.target is None:
        return None, "unresolved"
    imp = b.imp
    if imp.name is not None:
        if imp.name in ("default", "*"):
            return None, "unresolved"
        found = r.imported_symbol(b)
        if found is not None:
            path, sym = found
            if sym.kind in CLASS_LIKE:
                return r.member(path, sym.qualified_name, name), "type_qualified"
            return None, "unresolved"  # a method on an imported object of unknown type
    found = r.top_level(b.target, name)
    if found is not None:
        return found, "module_qualified"
    if imp.name is None and imp.bound is not None:
        # Java-style ``import a.b.Foo`` binds the type itself: ``Foo.bar()``.
        typ = r.top_level(b.target, imp.bound, follow=0)
        if typ is not None and typ[1].kind in CLASS_LIKE:
            return r.member(typ[0], typ[1].qualified_name, name), "type_qualified"
    return None, "unresolved"


def _resolve_one(
    r: Lookup, fi: _FileIndex, caller: Symbol | None, call_name: str, receiver: str | None
) -> tuple[_Found, CallHow]:
    if receiver is None:
        if fi.language in IMPLICIT_THIS_LANGUAGES:
            found = _own_member(r, fi, caller, call_name)
            if found is not None:
                return found, "self_method"
        sym = _in_enclosing_namespaces(fi, caller, call_name) or fi.top.get(call_name)
        if sym is not None:
            return (fi.path, sym), "same_file"
        found = r.in_package(fi, call_name)
        if found is not None:
            return found, "same_package"
        b = fi.bound.get(call_name)
        if b is None:
            return r.through_stars(fi, call_name, 1), "import"
        if b.target is None:
            return None, "unresolved"
        if b.imp.name is None:
            return (b.target, None), "import"
        return r.imported_symbol(b), "import"
    if "<" in receiver:
        receiver = _strip_generics(receiver)
    if receiver in SELF_RECEIVERS or (receiver.isidentifier() and receiver in _enclosing_types(fi, caller)[1]):
        return _own_member(r, fi, caller, call_name), "self_method"
    local_type = fi.by_qname.get(receiver.replace("::", "."))
    if local_type is not None and local_type.kind in QUALIFIER_LIKE:
        return r.member(fi.path, local_type.qualified_name, call_name), "type_qualified"
    b = fi.receivers.get(receiver)
    if b is not None:
        return _through_import(r, b, call_name)
    return _module_type_member(r, fi, receiver.replace("::", "."), call_name)


def _strip_generics(receiver: str) -> str:
    """``ContentSerializer::<E>`` -> ``ContentSerializer``, ``Vec::<u8>`` -> ``Vec``."""
    out: list[str] = []
    depth = 0
    for ch in receiver:
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out).replace("::::", "::").removesuffix("::")


def _module_type_member(r: Lookup, fi: _FileIndex, receiver: str, name: str) -> tuple[_Found, CallHow]:
    """``module.Type.name(...)``: a class reached through an imported module (``views.Index.as_view``)."""
    head, _, type_name = receiver.rpartition(".")
    b = fi.receivers.get(head) if head else None
    if b is None or b.target is None or (b.imp.name is not None and r.imported_symbol(b) is not None):
        return None, "unresolved"
    typ = r.top_level(b.target, type_name)
    if typ is None or typ[1].kind not in CLASS_LIKE:
        return None, "unresolved"
    return r.member(typ[0], typ[1].qualified_name, name), "type_qualified"


def _accepts(sym: Symbol, args: int) -> bool:
    """Whether ``sym`` can be called with ``args`` arguments (receivers not counted)."""
    params = [p for p in sym.parameters if p.kind != "receiver"]
    if any(p.kind in ("variadic", "keyword_variadic") for p in params):
        return args >= sum(1 for p in params if p.default is None and p.kind in ("positional", "positional_only"))
    required = sum(1 for p in params if p.default is None and p.kind not in ("optional", "keyword_only"))
    return required <= args <= len(params)


def _legacy_reason(fi: _FileIndex, call: Call) -> tuple[CallReason, str | None]:
    """A verdict for a call the name-based strategy could not resolve."""
    if call.receiver is None:
        if is_builtin(fi.language, call.name) and call.name not in fi.top and call.name not in fi.bound:
            return "builtin", None
        b = fi.bound.get(call.name)
        if b is not None and b.target is None:
            return "external", callee_module(f"{b.imp.module}.{b.imp.name or call.name}.x")
        return "unknown", None
    head = call.receiver.replace("::", ".").split(".")[0].split("(")[0].split("[")[0]
    b = fi.receivers.get(call.receiver) or fi.bound.get(head)
    if b is not None and b.target is None:
        dotted = f"{b.imp.module}.{b.imp.name}" if b.imp.name not in (None, "*", "default") else b.imp.module
        rest = call.receiver.replace("::", ".")[len(head) :] if call.receiver.startswith(head) else ""
        return "external", callee_module(f"{dotted}{rest}.{call.name}")
    if is_builtin(fi.language, head) and head not in fi.top and head not in fi.bound:
        return "builtin", None
    return "unknown", None


class _Edges:
    """Builds one file's edges."""

    def __init__(self, lookup: Lookup, evaluator: Evaluator) -> None:
        self.lookup = lookup
        self.evaluator = evaluator
        self._overloads: dict[tuple[str, str], list[Symbol]] = {}

    def overload(self, path: str, sym: Symbol, args: int) -> Symbol:
        """Of the definitions sharing ``sym``'s qualified name in its file (Java and C++
        overloads, TypeScript overload signatures), the first whose parameters accept ``args``
        arguments; ``sym`` when none does or there is no choice."""
        key = (path, sym.qualified_name)
        group = self._overloads.get(key)
        if group is None:
            fi = self.lookup.index(path)
            group = [] if fi is None else [s for s in fi.symbols.values() if s.qualified_name == sym.qualified_name]
            self._overloads[key] = group
        if len(group) < 2 or _accepts(sym, args):
            return sym
        return next((s for s in group if s.kind in CALLABLE and _accepts(s, args)), sym)

    def semantic(self, path: str, call: Call) -> list[tuple[str | None, str, str | None, str | None, str | None, bool]]:
        """(target, how, receiver_type, callee_module, reason, dispatch) per edge."""
        objs: list[Obj] = []
        for ref in call.targets:
            objs.extend(self.evaluator.evaluate(path, ref))
        out: list[tuple[str | None, str, str | None, str | None, str | None, bool]] = []
        seen: set[str] = set()
        externals: list[Obj] = []
        builtin = dynamic = False

        def add(p: str, sym: Symbol, how: str, recv: str | None, dispatch: bool = False) -> None:
            gid = global_symbol_id(p, sym.id)
            if gid not in seen:
                seen.add(gid)
                out.append((gid, how, recv, None, None, dispatch))

        for o in objs:
            if o.kind == "sym" and o.sym is not None:
                sym = o.sym
                if sym.kind in CALLABLE:
                    sym = self.overload(o.path, sym, call.arg_count)
                    add(o.path, sym, o.via, o.recv, dispatch=o.via == "dispatch")
                    # ``Base::m()`` / ``Base.m(self)`` / ``super().m()`` name one definition: no dispatch
                    if sym.kind == "method" and o.via not in ("type_qualified", "super"):
                        for p2, impl in self.evaluator.implementations(o.path, sym, o.recv):
                            add(p2, impl, "dispatch", o.recv, dispatch=True)
                elif sym.kind in CLASS_LIKE and sym.kind not in ("interface", "trait", "impl"):
                    ctor = self.evaluator.constructor(o.path, sym)
                    recv = global_symbol_id(o.path, sym.id)
                    if ctor is not None:
                        add(ctor[0], self.overload(ctor[0], ctor[1], call.arg_count), "constructor", recv)
                    else:
                        add(o.path, sym, "constructor", recv)
            elif o.kind == "inst" and o.sym is not None:
                for c in self.evaluator.member(o.path, o.sym, "__call__", 0, via="inferred", recv=o.recv):
                    if c.sym is not None and c.sym.kind in CALLABLE:
                        add(c.path, c.sym, "inferred", o.recv)
            elif o.kind == "ext":
                externals.append(o)
            elif o.kind == "builtin":
                builtin = True
            elif o.kind == "dynamic":
                dynamic = True
        if out:
            return out
        if externals:
            o = externals[0]
            return [(None, "unresolved", o.recv, callee_module(o.name), "external", False)]
        if builtin:
            return [(None, "unresolved", None, None, "builtin", False)]
        if dynamic:  # only code chosen at run time: nothing the repository can tell
            return [(None, "unresolved", None, None, "dynamic", False)]
        return [(None, "unresolved", None, None, call.reason or "unknown", False)]

    def by_name(self, fi: _FileIndex, call: Call) -> tuple[str | None, str, str | None, str | None, str | None, bool]:
        caller = fi.symbols.get(call.caller) if call.caller is not None else None
        found, how = _resolve_one(self.lookup, fi, caller, call.name, call.receiver)
        if found is None:
            reason, module = _legacy_reason(fi, call)
            return None, "unresolved", None, module, reason, False
        target_path, sym = found
        if sym is not None and sym.kind not in CALLABLE and sym.kind not in TYPES | NAMESPACE_LIKE:
            return None, "unresolved", None, None, "unknown", False  # never an edge to a variable
        target = global_symbol_id(target_path, MODULE_CALLER if sym is None else sym.id)
        if sym is not None and sym.kind in CONSTRUCTIBLE and how != "self_method":
            how = "constructor"
        return target, how, None, None, None, False


def resolve_calls(
    analyses: Mapping[str, FileAnalysis] | Iterable[FileAnalysis],
    resolutions: Iterable[Resolution],
    *,
    hierarchy: Iterable[HierarchyEdge] | None = None,
    reads: dict[str, list[str]] | None = None,
    paths: Iterable[str] | None = None,
    go_methods: Mapping[str, list[tuple[str, str]]] | None = None,
) -> list[CallEdge]:
    """Edges of every call of ``paths`` (default: every file), files in path order, calls in
    file order, several edges per call in target order.

    ``hierarchy``: the repository's resolved relations (for dispatch edges); computed from
    ``analyses`` when None. ``reads``: filled with the files each file's edges were derived
    from (plus ``<hierarchy>`` when they depend on some type's descendants)."""
    by_path = analyses if isinstance(analyses, Mapping) else {a.path: a for a in analyses}
    lookup = Lookup(by_path, resolutions)
    edges: list[CallEdge] = []
    for _, file_edges in resolve_calls_by_file(
        lookup, hierarchy=hierarchy, reads=reads, paths=paths, go_methods=go_methods
    ):
        edges += file_edges
    return edges


def resolve_calls_by_file(
    lookup: Lookup,
    *,
    hierarchy: Iterable[HierarchyEdge] | None = None,
    reads: dict[str, list[str]] | None = None,
    paths: Iterable[str] | None = None,
    go_methods: Mapping[str, list[tuple[str, str]]] | None = None,
) -> Iterator[tuple[str, list[CallEdge]]]:
    """:func:`resolve_calls` one file at a time, ``(path, its edges)`` for each file with calls:
    a whole repository's edges need not be held at once (the full graph build streams them into
    the store)."""
    by_path = lookup.analyses
    if hierarchy is None:
        hierarchy = resolve_hierarchy(by_path, lookup)
    hierarchy = list(hierarchy)
    if go_methods is None:
        go_methods = go_method_index(_go_methods(by_path))
    evaluator = Evaluator(lookup, children(hierarchy), elsewhere(hierarchy), go_methods)
    builder = _Edges(lookup, evaluator)
    for path in sorted(by_path if paths is None else paths):
        analysis = by_path.get(path)
        if analysis is None or not analysis.calls:
            continue
        edges: list[CallEdge] = []
        lookup.reads = set()
        fi = lookup.index(path)
        assert fi is not None
        for i, call in enumerate(analysis.calls):
            if call.targets or call.reason is not None:
                results = builder.semantic(path, call)
            else:
                results = [builder.by_name(fi, call)]
            caller = global_symbol_id(path, call.caller if call.caller is not None else MODULE_CALLER)
            for target, how, recv, module, reason, dispatch in results:
                edges.append(
                    CallEdge(
                        path=path,
                        caller=caller,
                        callee=call.callee,
                        name=call.name,
                        call_type=call.call_type,
                        location=call.location,
                        target=target,
                        how=how,  # type: ignore[arg-type]
                        call_index=i,
                        receiver_type=recv,
                        callee_module=module,
                        reason=reason,  # type: ignore[arg-type]
                        dispatch=dispatch,
                    )
                )
        if reads is not None:
            reads[path] = sorted(set(reads.get(path, ())) | (lookup.reads - {path}))
        yield path, edges


def resolve_hierarchy(
    analyses: Mapping[str, FileAnalysis],
    lookup: Lookup | Iterable[Resolution],
    *,
    paths: Iterable[str] | None = None,
    reads: dict[str, list[str]] | None = None,
) -> list[HierarchyEdge]:
    """Each relation of ``paths`` (default: every file) with its base resolved. ``reads``: the
    files each file's rows were derived from are added to its list."""
    lookup = lookup if isinstance(lookup, Lookup) else Lookup(analyses, lookup)
    evaluator = Evaluator(lookup)
    out: list[HierarchyEdge] = []
    for path in sorted(analyses if paths is None else paths):
        analysis = analyses.get(path)
        if analysis is None or not analysis.relations:
            continue
        lookup.reads = set()
        for rel in analysis.relations:
            fi = lookup.index(path)
            owner = fi.symbols.get(rel.type) if fi is not None and rel.type is not None else None
            found = evaluator.resolve_base(path, owner, rel.base)
            target = global_symbol_id(*_gid(found[0])) if found else None
            module = None if found else evaluator.external_base(path, rel.base)
            type_id = global_symbol_id(path, rel.type) if rel.type is not None else None
            if type_id is None:  # a Rust impl for a type of another module: that type, if found
                types = evaluator.resolve_type(path, rel.type_name)
                type_id = global_symbol_id(*_gid(types[0])) if types else None
            out.append(
                HierarchyEdge(
                    path=path,
                    type=type_id,
                    type_name=rel.type_name,
                    base=rel.base,
                    kind=rel.kind,
                    access=rel.access,
                    target=target,
                    module=module,
                    location=rel.location,
                )
            )
        if reads is not None:
            reads[path] = sorted(set(reads.get(path, ())) | (lookup.reads - {path}))
    return out


def _gid(found: tuple[str, Symbol]) -> tuple[str, str]:
    return found[0], found[1].id


def _go_methods(analyses: Mapping[str, FileAnalysis]) -> list[tuple[str, str]]:
    out = []
    for path, a in sorted(analyses.items()):
        if a.language != "go":
            continue
        kinds = {s.id: s.kind for s in a.symbols}
        out += [
            (path, s.qualified_name)
            for s in a.symbols
            if s.kind == "method" and (s.parent is None or kinds.get(s.parent) != "interface")
        ]
    return out


def go_method_index(methods: Iterable[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Method name -> (file, receiver type's qualified name) of every Go method: a Go type
    satisfies an interface by its method set, with no relation written anywhere, so dispatch
    through an interface matches method sets (``Evaluator.implementations``)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path, qname in methods:
        owner, _, name = qname.rpartition(".")
        if owner:
            out.setdefault(name, []).append((path, owner))
    return out


def children(hierarchy: Iterable[HierarchyEdge]) -> dict[str, list[tuple[str, str]]]:
    """Base global id -> (path, local id) of the types deriving from it (for dispatch)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for h in hierarchy:
        if h.target is None or h.type is None:
            continue
        path, _, local = h.type.partition("::")
        out.setdefault(h.target, []).append((path, local))
    return out


def elsewhere(hierarchy: Iterable[HierarchyEdge]) -> dict[str, list[tuple[str, str]]]:
    """Type global id -> (file, base global id) of its relations written in another file."""
    out: dict[str, list[tuple[str, str]]] = {}
    for h in hierarchy:
        if h.type is not None and h.target is not None and not h.type.startswith(h.path + "::"):
            out.setdefault(h.type, []).append((h.path, h.target))
    return out
