"""Call resolution: each extracted call to the symbol it most likely runs, or to nothing.

Precision over recall. A call is resolved only through a binding the language makes visible at the
call site: the caller's own class (``self``/``this``/``Self``/``cls``, a Go receiver, implicit
``this`` in Java/C++), a top-level definition of the same file, an import whose resolution names a
repository file, or a type defined in the same file or imported. Nothing is ever matched by name
across the repository: ``x.save()`` on an object of unknown type stays ``unresolved`` rather than
pointing at one of fifty ``save`` methods. Inheritance is not followed either (a ``self.m()``
defined only in a base class is unresolved): the model records no base classes.

Languages differ in what a "file" is: a Go import names a package, so a Go target (or caller)
stands for all non-test files of its directory; Rust trait-impl members (``Point.<Display>.fmt``)
are also reachable as ``Point.fmt``; methods never count as top-level names (a Go method defined
away from its type has no parent in its file).

Cost: every file's lookup tables are built at most once, on first use, and each call then costs
a few dict probes plus a walk up its caller's parents (bounded by nesting depth).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from ..model import CallType, FileAnalysis, Import, Location, Symbol, global_symbol_id
from ..resolve.base import Resolution

CallHow = Literal[
    "same_file",
    "same_package",
    "import",
    "self_method",
    "module_qualified",
    "type_qualified",
    "constructor",
    "unresolved",
]
"""How a call found its target:

- ``same_file``: a bare name defined at top level of the file (or in an enclosing namespace);
- ``same_package``: a Go bare name defined at top level of another file of the caller's package
  (the package's non-test files; a test file also sees the other test files);
- ``import``: a bare name bound by an import (one re-export or wildcard hop followed);
- ``self_method``: ``self.m()``/``this.m()``/``Self::m()``/``cls.m()``, a Go receiver, or an
  implicit-``this`` bare name in Java/C++, to a member of the caller's own type;
- ``module_qualified``: ``mod.f()`` where ``mod`` is an imported module (``utils.f``, Go
  ``pkg.F``, Rust ``module::f``) to a top-level symbol of the module's file;
- ``type_qualified``: ``Type.m()`` / ``ns::f()`` through a class, struct, trait or namespace
  defined in the file, imported, or reached as ``module.Type``;
- ``constructor``: any of the above when the target is a class or struct (``Foo()``, ``new Foo``,
  ``models.User()``);
- ``unresolved``: everything else (builtins, externals, methods on values of unknown type).
"""

MODULE_CALLER = "<module>"
"""Local id used for calls made at file level (and for a call that targets a whole module)."""

SELF_RECEIVERS = frozenset({"self", "this", "Self", "cls"})
IMPLICIT_THIS_LANGUAGES = frozenset({"java", "cpp", "c_sharp", "csharp", "kotlin", "scala"})
CLASS_LIKE = frozenset({"class", "struct", "impl", "interface", "trait", "enum", "union"})
CONSTRUCTIBLE = frozenset({"class", "struct"})
NAMESPACE_LIKE = frozenset({"namespace", "module"})
"""Scopes whose members a bare name reaches from inside (C++/C# namespaces, TS namespaces, Rust
inline ``mod``); class scopes are not among them (Python methods cannot call siblings bare)."""
QUALIFIER_LIKE = CLASS_LIKE | NAMESPACE_LIKE
_TYPE_KINDS = CLASS_LIKE - {"impl"} | {"type_alias"}

# When one name has several top-level definitions (a function rebound as a variable, an overload
# set), prefer what can be called, then types, then the rest; ties go to the first in the file.
_RANK = {"function": 0, "method": 0, "macro": 0, **{k: 1 for k in _TYPE_KINDS}}


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


@dataclass
class _Binding:
    imp: Import
    target: str | None


@dataclass
class _FileIndex:
    path: str
    language: str | None
    symbols: dict[str, Symbol] = field(default_factory=dict)
    top: dict[str, Symbol] = field(default_factory=dict)
    by_qname: dict[str, Symbol] = field(default_factory=dict)
    bound: dict[str, _Binding] = field(default_factory=dict)
    """Bare imported name -> its import (a repository target preferred over an external one)."""
    receivers: dict[str, _Binding] = field(default_factory=dict)
    """Receiver text that denotes an imported module or type: the bound name, or for Python's
    ``import a.b`` (which binds ``a`` but means ``a.b``) the dotted module text."""
    top_path: dict[str, str] = field(default_factory=dict)
    qname_path: dict[str, str] = field(default_factory=dict)
    """For a merged Go package index only: the file each ``top`` / ``by_qname`` entry comes from."""
    star_targets: list[str] = field(default_factory=list)
    """Repository files this file re-exports wholesale (``from .widgets import *``)."""


def _without_trait_segments(qname: str) -> str:
    """``Point.<Display>.fmt`` -> ``Point.fmt``: a Rust trait impl's member, as ``self.fmt()`` or
    ``Point::fmt`` names it."""
    if ".<" not in qname:
        return qname
    return ".".join(part for part in qname.split(".") if not (part.startswith("<") and part.endswith(">")))


def _better(new: Symbol, old: Symbol | None) -> bool:
    return old is None or _RANK.get(new.kind, 2) < _RANK.get(old.kind, 2)


def _build_index(analysis: FileAnalysis, targets: Mapping[tuple[str, int], str | None]) -> _FileIndex:
    fi = _FileIndex(analysis.path, analysis.language)
    aliases: set[str] = set()  # by_qname keys that only a trait member's plain name filled
    for sym in analysis.symbols:
        fi.symbols[sym.id] = sym
        if sym.parent is None and sym.kind != "method" and _better(sym, fi.top.get(sym.name)):
            fi.top[sym.name] = sym
        qname = sym.qualified_name
        if qname in aliases or _better(sym, fi.by_qname.get(qname)):
            fi.by_qname[qname] = sym  # an inherent member beats a trait member of the same name
            aliases.discard(qname)
        plain = _without_trait_segments(qname)
        if plain != qname and plain not in fi.by_qname:
            fi.by_qname[plain] = sym
            aliases.add(plain)
    for i, imp in enumerate(analysis.imports):
        target = targets.get((analysis.path, i))
        if imp.bound is None:
            if imp.kind == "wildcard" and target is not None and target not in fi.star_targets:
                fi.star_targets.append(target)
            continue
        binding = _Binding(imp, target)
        old = fi.bound.get(imp.bound)
        if old is None or (old.target is None and binding.target is not None):
            fi.bound[imp.bound] = binding
        key = imp.module if imp.alias is None and imp.module.startswith(imp.bound + ".") else imp.bound
        old = fi.receivers.get(key)
        if old is None or (old.target is None and binding.target is not None):
            fi.receivers[key] = binding
    return fi


_Found = tuple[str, Symbol | None] | None
"""(path, symbol) of a call target; symbol None when a whole module is called."""


class _Resolver:
    def __init__(self, analyses: Mapping[str, FileAnalysis], resolutions: Iterable[Resolution]) -> None:
        self.analyses = analyses
        self.targets = {(r.importer, r.index): r.target for r in resolutions}
        self._indexes: dict[str, _FileIndex] = {}
        self._dirs: dict[str, list[str]] | None = None
        self._packages: dict[tuple[str, bool], _FileIndex] = {}

    def index(self, path: str) -> _FileIndex | None:
        fi = self._indexes.get(path)
        if fi is None:
            analysis = self.analyses.get(path)
            if analysis is None:
                return None
            fi = self._indexes[path] = _build_index(analysis, self.targets)
        return fi

    def _package(self, directory: str, tests: bool) -> _FileIndex:
        """One Go package's files merged (first definition in path order wins): Go imports name
        a package, not a file, and a type's methods are often spread over several files."""
        key = (directory, tests)
        pkg = self._packages.get(key)
        if pkg is None:
            if self._dirs is None:
                self._dirs = {}
                for p in sorted(self.analyses):
                    self._dirs.setdefault(p.rpartition("/")[0], []).append(p)
            pkg = self._packages[key] = _FileIndex(directory, "go")
            for p in self._dirs.get(directory, []):
                if p.endswith(".go") and (tests or not p.endswith("_test.go")):
                    fi = self.index(p)
                    assert fi is not None
                    for name, sym in fi.top.items():
                        pkg.top.setdefault(name, sym)
                        pkg.top_path.setdefault(name, p)
                    for qname, sym in fi.by_qname.items():
                        pkg.by_qname.setdefault(qname, sym)
                        pkg.qname_path.setdefault(qname, p)
        return pkg

    def _go_package_of(self, target: str) -> _FileIndex | None:
        """The package a Go target stands for (a representative file or the directory), else None."""
        analysis = self.analyses.get(target)
        if analysis is None:
            return self._package(target.rstrip("/"), tests=False)
        if analysis.language == "go":
            return self._package(target.rpartition("/")[0], tests=target.endswith("_test.go"))
        return None

    def top_level(self, target: str, name: str, follow: int = 1) -> tuple[str, Symbol] | None:
        """Top-level ``name`` in ``target``, following one re-export (``from .x import f`` or
        ``from .x import *`` in an ``__init__.py``, ``export { f } from './x'``)."""
        pkg = self._go_package_of(target)
        if pkg is not None:
            sym = pkg.top.get(name)
            return None if sym is None else (pkg.top_path[name], sym)
        fi = self.index(target)
        assert fi is not None
        sym = fi.top.get(name)
        if sym is not None:
            return target, sym
        if follow > 0:
            b = fi.bound.get(name)
            if b is not None and b.target is not None and b.imp.name is not None:
                return self.top_level(b.target, b.imp.name, follow - 1)
            return self.through_stars(fi, name, follow - 1)
        return None

    def imported_symbol(self, b: _Binding) -> tuple[str, Symbol] | None:
        """The symbol ``from module import name`` binds: top-level in the target, or nested in
        the target along the module path's tail (Rust ``use self::content::Deserializer`` where
        ``content`` is an inline ``mod`` of the target file: ``content.Deserializer``)."""
        if b.target is None or b.imp.name is None:
            return None
        found = self.top_level(b.target, b.imp.name)
        if found is not None:
            return found
        fi = self.index(b.target)
        if fi is None:
            return None
        parts = [p for p in b.imp.module.replace("::", ".").replace("/", ".").split(".") if p]
        for k in range(len(parts)):
            sym = fi.by_qname.get(".".join([*parts[k:], b.imp.name]))
            if sym is not None:
                return b.target, sym
        return None

    def through_stars(self, fi: _FileIndex, name: str, follow: int) -> tuple[str, Symbol] | None:
        """``name`` brought in by a wildcard import of ``fi``; underscore names are not (Python's
        ``import *`` skips them without an ``__all__``)."""
        if name.startswith("_"):
            return None
        for star in fi.star_targets:
            found = self.top_level(star, name, follow)
            if found is not None:
                return found
        return None

    def member(self, path: str, type_qname: str, name: str) -> tuple[str, Symbol] | None:
        """``type_qname.name`` defined in ``path`` (for Go: in its package)."""
        key = f"{type_qname}.{name}"
        fi = self.index(path)
        sym = fi.by_qname.get(key) if fi is not None else None
        if sym is not None:
            return path, sym
        pkg = self._go_package_of(path)
        if pkg is not None:
            sym = pkg.by_qname.get(key)
            if sym is not None:
                return pkg.qname_path[key], sym
        return None

    def in_package(self, fi: _FileIndex, name: str) -> tuple[str, Symbol] | None:
        """A Go bare name defined in another file of the caller's package."""
        if fi.language != "go":
            return None
        pkg = self._go_package_of(fi.path)
        if pkg is None or name not in pkg.top:
            return None
        return pkg.top_path[name], pkg.top[name]


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


def _own_member(r: _Resolver, fi: _FileIndex, caller: Symbol | None, name: str) -> tuple[str, Symbol] | None:
    for prefix in _enclosing_types(fi, caller)[0]:
        found = r.member(fi.path, prefix, name)
        if found is not None:
            return found
    return None


def _through_import(r: _Resolver, b: _Binding, name: str) -> tuple[tuple[str, Symbol] | None, CallHow]:
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
    r: _Resolver, fi: _FileIndex, caller: Symbol | None, call_name: str, receiver: str | None
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


def _module_type_member(r: _Resolver, fi: _FileIndex, receiver: str, name: str) -> tuple[_Found, CallHow]:
    """``module.Type.name(...)``: a class reached through an imported module (``views.Index.as_view``)."""
    head, _, type_name = receiver.rpartition(".")
    b = fi.receivers.get(head) if head else None
    if b is None or b.target is None or (b.imp.name is not None and r.imported_symbol(b) is not None):
        return None, "unresolved"
    typ = r.top_level(b.target, type_name)
    if typ is None or typ[1].kind not in CLASS_LIKE:
        return None, "unresolved"
    return r.member(typ[0], typ[1].qualified_name, name), "type_qualified"


def resolve_calls(
    analyses: Mapping[str, FileAnalysis] | Iterable[FileAnalysis], resolutions: Iterable[Resolution]
) -> list[CallEdge]:
    """One CallEdge per extracted call, files in path order, calls in file order."""
    by_path = analyses if isinstance(analyses, Mapping) else {a.path: a for a in analyses}
    r = _Resolver(by_path, resolutions)
    edges: list[CallEdge] = []
    for path in sorted(by_path):
        analysis = by_path[path]
        if not analysis.calls:
            continue
        fi = r.index(path)
        assert fi is not None
        for call in analysis.calls:
            caller = fi.symbols.get(call.caller) if call.caller is not None else None
            found, how = _resolve_one(r, fi, caller, call.name, call.receiver)
            target = None
            if found is None:
                how = "unresolved"
            else:
                target_path, sym = found
                target = global_symbol_id(target_path, MODULE_CALLER if sym is None else sym.id)
                if sym is not None and sym.kind in CONSTRUCTIBLE and how != "self_method":
                    how = "constructor"
            edges.append(
                CallEdge(
                    path=path,
                    caller=global_symbol_id(path, call.caller if call.caller is not None else MODULE_CALLER),
                    callee=call.callee,
                    name=call.name,
                    call_type=call.call_type,
                    location=call.location,
                    target=target,
                    how=how,
                )
            )
    return edges
