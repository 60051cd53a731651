"""Rust import resolution: ``use`` paths, ``extern crate`` and ``mod x;`` to files.

Crates. A directory holding ``lib.rs`` or ``main.rs`` is a crate's source root (``src/`` of a
package, ``src/bin/x/``); ``src/bin/x.rs`` and files outside any source root (``tests/*.rs``,
``build.rs``, ``examples/*.rs``) are crate roots of their own. A crate's name comes from the
package's ``Cargo.toml`` (``[lib] name``, else ``[package] name`` with ``-`` -> ``_``), and its
dependencies decide whether an unknown first path segment is another crate or a local item.

Module tree. Within a source root ``S``: ``S/a.rs`` and ``S/a/mod.rs`` are module ``a``,
``S/a/b.rs`` is ``a::b``. A path resolves to the *deepest* module file it names: items and
inline modules live inside the file of their nearest file module, so ``crate::a::b::Item``
resolves to ``a/b.rs`` (or ``a.rs`` when ``b`` is inline or an item there).

Rules, in order, for the first path segment:
- ``crate`` -> from the crate root (``rust:crate``); ``self`` / ``super`` -> from the importer's
  module (``rust:self`` / ``rust:super``; the extractor has already rebased paths written inside
  inline modules onto the file's module);
- ``::x`` or a crate name -> the crate ``x``: ``lib.rs`` of a crate in the repository
  (``rust:workspace-crate``), else external package ``x`` (``std``/``core``/``alloc`` included);
- otherwise (2018 uniform paths) a child module of the importer's module (``rust:module``), a
  module of the crate root as 2015 paths are (``rust:crate``), another crate of the repository,
  a dependency or the standard library (external), and when the package's Cargo.toml is known and
  names no such dependency, an item of the current module (2018+) or crate root (2015)
  (``rust:local-item``). Without a readable Cargo.toml such a name counts as an external crate.

``mod x;`` (a side-effect import) resolves to ``x.rs`` or ``x/mod.rs`` in the importer's module
directory: the importer's directory for ``mod.rs``, ``lib.rs``, ``main.rs`` and crate roots, else
the directory named after the importer (``a.rs`` declares ``a/x.rs``) (``rust:mod``). A module
path attribute (``#[path = "p.rs"]``) is taken relative to the importer's directory
(``rust:path-attr``).
"""

from __future__ import annotations

import posixpath
import tomllib
from dataclasses import dataclass

from ..model import Import
from .base import RepoContext

STD_CRATES = frozenset({"std", "core", "alloc", "proc_macro", "test"})
_ROOT_NAMES = ("lib.rs", "main.rs")


@dataclass(frozen=True)
class _Crate:
    base: str
    """Directory that module paths are relative to ('' for the repository root)."""
    root: str
    """The crate root file."""
    package: str | None
    """Directory of the Cargo.toml this crate belongs to, when known."""


@dataclass(frozen=True)
class _Package:
    edition: str
    dependencies: frozenset[str]


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p)


class RustResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.files = frozenset(f for f in ctx.files if f.endswith(".rs"))
        self.ctx = ctx
        self.source_roots: dict[str, str] = {}
        """Source-root directory -> its root file (lib.rs preferred over main.rs)."""
        for f in sorted(self.files):
            d, name = posixpath.split(f)
            if name in _ROOT_NAMES and (d not in self.source_roots or name == "lib.rs"):
                self.source_roots[d] = f
        self.packages: dict[str, _Package | None] = {}
        self.crates_by_name: dict[str, str] = {}
        """Crate name -> root file, for the crates whose Cargo.toml is readable."""
        for d, root in sorted(self.source_roots.items()):
            pkg_dir = posixpath.dirname(d) if posixpath.basename(d) == "src" else d
            meta = self._cargo(pkg_dir)
            if meta is None or posixpath.basename(root) != "lib.rs":
                continue
            self.crates_by_name.setdefault(meta[0], root)
        self._crate_cache: dict[str, _Crate] = {}

    # -- Cargo.toml -------------------------------------------------------------------------

    def _cargo(self, pkg_dir: str) -> tuple[str, _Package] | None:
        raw = self.ctx.read(_join(pkg_dir, "Cargo.toml"))
        if raw is None:
            self.packages[pkg_dir] = None
            return None
        try:
            data = tomllib.loads(raw.decode("utf-8", "replace"))
        except tomllib.TOMLDecodeError:
            self.packages[pkg_dir] = None
            return None
        package = data.get("package")
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            self.packages[pkg_dir] = None
            return None
        deps: set[str] = set()
        tables = [data]
        target = data.get("target")
        if isinstance(target, dict):
            tables.extend(t for t in target.values() if isinstance(t, dict))
        for table in tables:
            for key in ("dependencies", "dev-dependencies", "build-dependencies"):
                section = table.get(key)
                if isinstance(section, dict):
                    deps.update(str(k).replace("-", "_") for k in section)
        edition = package.get("edition")
        info = _Package(edition=edition if isinstance(edition, str) else "2015", dependencies=frozenset(deps))
        self.packages[pkg_dir] = info
        lib = data.get("lib")
        lib_name = lib.get("name") if isinstance(lib, dict) else None
        name = lib_name if isinstance(lib_name, str) else package["name"].replace("-", "_")
        return name, info

    # -- module tree ------------------------------------------------------------------------

    def _crate_of(self, path: str) -> _Crate:
        cached = self._crate_cache.get(path)
        if cached is not None:
            return cached
        crate = _Crate(base=posixpath.dirname(path), root=path, package=None)
        d = posixpath.dirname(path)
        if d in self.source_roots and posixpath.basename(path) in _ROOT_NAMES:
            src_dir = posixpath.dirname(path)
            pkg = posixpath.dirname(src_dir) if posixpath.basename(src_dir) == "src" else src_dir
            crate = _Crate(base=src_dir, root=path, package=pkg if pkg in self.packages else None)
            self._crate_cache[path] = crate
            return crate
        while True:
            root = self.source_roots.get(d)
            if root is not None:
                rel = path[len(d) + 1 :] if d else path
                if not (rel.startswith("bin/") and rel.count("/") == 1):
                    pkg = posixpath.dirname(d) if posixpath.basename(d) == "src" else d
                    crate = _Crate(base=d, root=root, package=pkg if pkg in self.packages else None)
                break
            if not d:
                break
            d = posixpath.dirname(d)
        if crate.root == path and crate.package is None:
            crate = _Crate(base=crate.base, root=crate.root, package=self._nearest_package(posixpath.dirname(path)))
        self._crate_cache[path] = crate
        return crate

    def _nearest_package(self, directory: str) -> str | None:
        """The closest enclosing directory with a Cargo.toml (tests/, examples/, src/bin/)."""
        while True:
            if directory not in self.packages:
                self._cargo(directory)
            if self.packages[directory] is not None:
                return directory
            if not directory:
                return None
            directory = posixpath.dirname(directory)

    def _module_path(self, path: str, crate: _Crate) -> list[str]:
        if path == crate.root:
            return []
        rel = path[len(crate.base) + 1 :] if crate.base else path
        parts = rel.removesuffix(".rs").split("/")
        if parts[-1] == "mod":
            parts.pop()
        return parts

    def _module_file(self, crate: _Crate, segments: list[str]) -> str | None:
        if not segments:
            return crate.root
        stem = _join(crate.base, *segments)
        if stem + ".rs" in self.files:
            return stem + ".rs"
        if stem + "/mod.rs" in self.files:
            return stem + "/mod.rs"
        return None

    def _deepest(self, crate: _Crate, base: list[str], rest: list[str]) -> str | None:
        for i in range(len(rest), -1, -1):
            found = self._module_file(crate, base + rest[:i])
            if found is not None:
                return found
        return None

    # -- resolution -------------------------------------------------------------------------

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        if imp.kind == "side_effect":
            return self._mod_decl(importer, imp.module)
        segments = imp.module.split("::")
        if imp.name is not None:
            segments.append(imp.name)
        if not segments or segments == [""]:
            return None, None, "unresolved"
        crate = self._crate_of(importer)
        first = segments[0]
        if first == "crate":
            target = self._deepest(crate, [], segments[1:])
            return (target, None, "rust:crate") if target else (None, None, "unresolved")
        if first in ("self", "super"):
            here = self._module_path(importer, crate)
            ups = 0
            while ups < len(segments) and segments[ups] == "super":
                ups += 1
            if ups > len(here):
                return None, None, "unresolved"
            rest = segments[1:] if first == "self" else segments[ups:]
            base = here if first == "self" else here[: len(here) - ups]
            target = self._deepest(crate, base, rest)
            return (target, None, f"rust:{first}") if target else (None, None, "unresolved")
        if first == "":
            return self._other_crate(segments[1:])
        return self._bare(importer, crate, segments)

    def _other_crate(self, segments: list[str]) -> tuple[str | None, str | None, str]:
        if not segments:
            return None, None, "unresolved"
        root = self.crates_by_name.get(segments[0])
        if root is not None:
            other = self._crate_of(root)
            return self._deepest(other, [], segments[1:]), None, "rust:workspace-crate"
        return None, segments[0], "external"

    def _bare(self, importer: str, crate: _Crate, segments: list[str]) -> tuple[str | None, str | None, str]:
        first = segments[0]
        here = self._module_path(importer, crate)
        if self._module_file(crate, [*here, first]) is not None:
            return self._deepest(crate, here, segments), None, "rust:module"
        if here and self._module_file(crate, [first]) is not None:
            return self._deepest(crate, [], segments), None, "rust:crate"
        if first in self.crates_by_name and self.crates_by_name[first] != crate.root:
            return self._other_crate(segments)
        package = self.packages.get(crate.package) if crate.package is not None else None
        if first in STD_CRATES or package is None or first in package.dependencies:
            return None, first, "external"
        local = importer if package.edition != "2015" else crate.root
        return local, None, "rust:local-item"

    def _mod_decl(self, importer: str, module: str) -> tuple[str | None, str | None, str]:
        directory = posixpath.dirname(importer)
        if module.endswith(".rs") or "/" in module:
            target = posixpath.normpath(_join(directory, module))
            return (target, None, "rust:path-attr") if target in self.files else (None, None, "unresolved")
        name = posixpath.basename(importer)
        crate = self._crate_of(importer)
        if name not in ("mod.rs", *_ROOT_NAMES) and importer != crate.root:
            directory = _join(directory, name.removesuffix(".rs"))
        stem = _join(directory, *module.split("::"))
        for candidate in (stem + ".rs", stem + "/mod.rs"):
            if candidate in self.files:
                return candidate, None, "rust:mod"
        return None, None, "unresolved"


def make_resolver(ctx: RepoContext) -> RustResolver:
    return RustResolver(ctx)
