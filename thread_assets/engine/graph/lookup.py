"""Name lookup over many files' analyses: per-file tables, imports followed to their targets,
Go packages merged, re-exports and wildcard imports followed.

Both call resolution strategies use it: the name-based one (``calls``) and the evaluation of
semantic targets (``evaluate``). Every file's tables are built at most once, on first use; every
file looked at is recorded in ``Lookup.reads`` so the incremental graph step knows what a file's
call edges were derived from.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import msgspec

from ..model import Binding, FileAnalysis, Import, Symbol, TypeRelation
from ..resolve.base import Resolution

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
    binding_path: dict[tuple[str | None, str], str] = field(default_factory=dict)
    """For a merged Go package index only: the file each ``top`` / ``by_qname`` entry comes from."""
    star_targets: list[str] = field(default_factory=list)
    """Repository files this file re-exports wholesale (``from .widgets import *``,
    ``export * from "./widgets"``)."""
    overridable: set[str] = field(default_factory=set)
    """Local ids of Python functions that raise NotImplementedError: hooks meant to be overridden,
    which a call dispatches from like an abstract method."""
    submodules: dict[str, str] = field(default_factory=dict)
    """Rust ``mod name;`` declarations: the module's name -> its file."""
    reexports: dict[str, _Binding] = field(default_factory=dict)
    """Names this file re-exports without binding them (``export { x as y } from "./m"``: ``y``;
    ``export * as ns from "./m"``: ``ns``, the module)."""
    bindings: dict[tuple[str | None, str], Binding] = field(default_factory=dict)
    """(scope, name) -> what the name holds (see ``model.Binding``)."""
    relations: dict[str, list[TypeRelation]] = field(default_factory=dict)
    """Local type id (or, for a type defined elsewhere, its name as written) -> its relations."""


def overridable_hooks(analysis: FileAnalysis) -> set[str]:
    """See ``_FileIndex.overridable`` (the Python pass records ``raise X`` as a call to X)."""
    if analysis.language != "python":
        return set()
    return {c.caller for c in analysis.calls if c.name == "NotImplementedError" and c.caller is not None}


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
        if sym.parent is None and sym.kind not in ("method", "impl") and _better(sym, fi.top.get(sym.name)):
            fi.top[sym.name] = sym
        qname = sym.qualified_name
        if qname in aliases or _better(sym, fi.by_qname.get(qname)):
            fi.by_qname[qname] = sym  # an inherent member beats a trait member of the same name
            aliases.discard(qname)
        plain = _without_trait_segments(qname)
        if plain != qname and plain not in fi.by_qname:
            fi.by_qname[plain] = sym
            aliases.add(plain)
    fi.overridable = overridable_hooks(analysis)
    for vb in analysis.bindings:
        vkey = (vb.scope, vb.name)
        old_vb = fi.bindings.get(vkey)
        fi.bindings[vkey] = (
            vb if old_vb is None else Binding(scope=vb.scope, name=vb.name, values=old_vb.values + vb.values)
        )
    for rel in analysis.relations:
        fi.relations.setdefault(rel.type if rel.type is not None else rel.type_name, []).append(rel)
    for i, imp in enumerate(analysis.imports):
        target = targets.get((analysis.path, i))
        if imp.bound is None:
            # C and C++: what an included header declares is visible as if defined here
            included = analysis.language in ("c", "cpp") and imp.kind in ("relative", "system", "absolute")
            if analysis.language == "rust" and imp.kind == "side_effect" and target is not None:
                fi.submodules.setdefault(imp.module, target)
            wholesale = (
                imp.kind == "wildcard"
                or included
                or (imp.kind == "reexport" and imp.name is None and imp.alias is None)
            )
            if wholesale:
                if target is not None and target not in fi.star_targets:
                    fi.star_targets.append(target)
            elif imp.kind == "reexport" and (imp.alias or imp.name):
                name = imp.alias or imp.name
                assert name is not None
                spec = imp if imp.name is not None else msgspec.structs.replace(imp, name="*")
                fi.reexports.setdefault(name, _Binding(spec, target))
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


def _weight(fi: _FileIndex) -> int:
    return 1 + len(fi.symbols) + len(fi.bindings)


_Found = tuple[str, Symbol | None] | None
"""(path, symbol) of a call target; symbol None when a whole module is called."""


class Lookup:
    def __init__(
        self,
        analyses: Mapping[str, FileAnalysis],
        resolutions: Iterable[Resolution],
        *,
        max_symbols: int | None = None,
    ) -> None:
        """``max_symbols``: keep files' tables holding at most this many symbols and bindings,
        least recently used dropped first (rebuilt on the next use), so a walk over a whole large
        repository holds the tables of the files it is near, not of every file it has seen."""
        self.analyses = analyses
        self.targets = {(r.importer, r.index): r.target for r in resolutions}
        self.max_symbols = max_symbols
        self._indexes: OrderedDict[str, _FileIndex] = OrderedDict()
        self._weight = 0
        self._dirs: dict[str, list[str]] | None = None
        self._packages: dict[tuple[str, bool, str], _FileIndex] = {}
        self._package_files: dict[tuple[str, bool, str], list[str]] = {}
        self.reads: set[str] = set()
        """Paths looked at since the caller last cleared it."""

    def index(self, path: str) -> _FileIndex | None:
        self.reads.add(path)
        fi = self._indexes.get(path)
        if fi is None:
            analysis = self.analyses.get(path)
            if analysis is None:
                return None
            fi = self._indexes[path] = _build_index(analysis, self.targets)
            if self.max_symbols is not None:
                self._weight += _weight(fi)
                while self._weight > self.max_symbols and len(self._indexes) > 1:
                    _, dropped = self._indexes.popitem(last=False)
                    self._weight -= _weight(dropped)
        elif self.max_symbols is not None:
            self._indexes.move_to_end(path)
        return fi

    def _package(self, directory: str, tests: bool, language: str = "go") -> _FileIndex:
        """One Go (or Java) package's files merged (first definition in path order wins): Go
        imports name a package, not a file, and a type's methods are often spread over several
        files; a Java class sees the other classes of its package without an import."""
        key = (directory, tests, language)
        pkg = self._packages.get(key)
        if pkg is not None:
            self.reads.update(self._package_files[key])
        else:
            if self._dirs is None:
                self._dirs = {}
                for p in sorted(self.analyses):
                    self._dirs.setdefault(p.rpartition("/")[0], []).append(p)
            pkg = self._packages[key] = _FileIndex(directory, language)
            suffix = ".go" if language == "go" else ".java"
            self._package_files[key] = []
            for p in self._dirs.get(directory, []):
                if p.endswith(suffix) and (tests or not p.endswith("_test.go")):
                    self._package_files[key].append(p)
                    fi = self.index(p)
                    assert fi is not None
                    for bkey, b in fi.bindings.items():
                        if bkey not in pkg.bindings:
                            pkg.bindings[bkey] = b
                            pkg.binding_path[bkey] = p
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

    def package_of_target(self, target: str) -> _FileIndex | None:
        """A Go import target that names a directory: its package."""
        self.reads.add(target)
        return self._go_package_of(target) if target not in self.analyses else None

    def package_of(self, path: str) -> _FileIndex | None:
        """The merged package of a Go or Java file (for names its file does not define)."""
        fi = self.index(path)
        if fi is None:
            return None
        if fi.language == "go":
            return self._go_package_of(path)
        if fi.language == "java":
            return self._package(path.rpartition("/")[0], tests=True, language="java")
        return None

    def directory_files(self, directory: str) -> list[str]:
        if self._dirs is None:
            self._dirs = {}
            for p in sorted(self.analyses):
                self._dirs.setdefault(p.rpartition("/")[0], []).append(p)
        return self._dirs.get(directory, [])
