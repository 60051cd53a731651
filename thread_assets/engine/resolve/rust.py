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

from ..model import Import, Location
from .base import RepoContext
from .rust_exports import Exports, scan

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
    renames: dict[str, str]
    """Dependency key -> the crate it names (``json = { package = "serde_json" }``)."""


_MAX_REEXPORT_HOPS = 8


def _path_import(module: str, tail: list[str]) -> Import:
    """A ``use`` of ``module::tail...`` as the extractor would record it."""
    segments = [*module.split("::"), *tail]
    return Import(module="::".join(segments[:-1]), name=segments[-1], kind="absolute", location=_NOWHERE)


_NOWHERE = Location(start_line=0, start_col=0, end_line=0, end_col=0, start_byte=0, end_byte=0)


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
        self._exports_cache: dict[str, Exports] = {}
        self._own_imports: tuple[Import, ...] = ()
        self._current: str | None = None

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
        renames: dict[str, str] = {}
        tables = [data]
        target = data.get("target")
        if isinstance(target, dict):
            tables.extend(t for t in target.values() if isinstance(t, dict))
        for table in tables:
            for key in ("dependencies", "dev-dependencies", "build-dependencies"):
                section = table.get(key)
                if isinstance(section, dict):
                    for k, v in section.items():
                        key = str(k).replace("-", "_")
                        deps.add(key)
                        real = v.get("package") if isinstance(v, dict) else None
                        if isinstance(real, str):
                            renames[key] = real.replace("-", "_")
        edition = package.get("edition")
        info = _Package(
            edition=edition if isinstance(edition, str) else "2015", dependencies=frozenset(deps), renames=renames
        )
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
        found = self._deepest_at(crate, base, rest)
        return found[0] if found is not None else None

    def _deepest_at(self, crate: _Crate, base: list[str], rest: list[str]) -> tuple[str, list[str]] | None:
        """The deepest module file ``rest`` names below ``base``, and the segments left over
        (an item of that module and what follows it)."""
        for i in range(len(rest), -1, -1):
            found = self._module_file(crate, base + rest[:i])
            if found is not None:
                return found, rest[i:]
        return None

    # -- re-exports and extern crate renames ------------------------------------------------

    def _exports_of(self, path: str) -> Exports:
        """What another Rust file of the repository offers at its top level, read through
        ``ctx.read`` (so an incremental update knows this resolution depends on that file)."""
        found = self._exports_cache.get(path)
        if found is None:
            data = self.ctx.read(path)
            found = self._exports_cache[path] = scan(data or b"")
        return found

    def _follow(self, module_file: str, rest: list[str], depth: int) -> tuple[str | None, str | None, str] | None:
        """Where ``rest[0]``, an item named in ``module_file``, really lives when that module
        re-exports it (``pub use a::Foo;``, ``pub use a::Bar as Foo;``, or a glob ``pub use
        a::*;`` whose module defines or re-exports ``Foo``). An item the module defines itself
        stays there; the importer's own items are never followed (its file is not read)."""
        if not rest or depth > _MAX_REEXPORT_HOPS or module_file == self._current:
            return None
        name, tail = rest[0], rest[1:]
        exports = self._exports_of(module_file)
        if name in exports.defines:
            return None
        for bound, path in exports.reexports:
            if bound == name:
                found = self._resolve(module_file, _path_import(path, tail), depth + 1)
                if found[0] is not None and found[0] != module_file:
                    return found[0], None, "rust:reexport"
        for glob in exports.globs:
            found = self._resolve(module_file, _path_import(glob, [name, *tail]), depth + 1)
            target = found[0]
            if target is None or target == module_file:
                continue
            if found[2] == "rust:reexport" or name in self._exports_of(target).defines:
                return target, None, "rust:reexport"
        return None

    def _extern_alias(self, importer: str, crate: _Crate, name: str) -> str | None:
        """The crate an ``extern crate real as name;`` of the importer or of its crate root binds."""
        for i in self._own_imports if importer == self._current else ():
            if i.kind in ("absolute", "reexport") and i.alias == name and "::" not in i.module and i.name is None:
                return i.module
        if crate.root != importer:
            return self._exports_of(crate.root).extern_aliases.get(name)
        return None

    def begin_file(self, importer: str, imports: tuple[Import, ...]) -> None:
        """The importer's own imports, for the ``extern crate`` renames it declares and the
        items it re-exports (no need to read the file again)."""
        self._current = importer
        self._own_imports = imports

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        return self._resolve(importer, imp, 0)

    def _resolve(self, importer: str, imp: Import, depth: int) -> tuple[str | None, str | None, str]:
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
            return self._landed(self._deepest_at(crate, [], segments[1:]), "rust:crate", depth)
        if first in ("self", "super"):
            here = self._module_path(importer, crate)
            ups = 0
            while ups < len(segments) and segments[ups] == "super":
                ups += 1
            if ups > len(here):
                return None, None, "unresolved"
            rest = segments[1:] if first == "self" else segments[ups:]
            base = here if first == "self" else here[: len(here) - ups]
            return self._landed(self._deepest_at(crate, base, rest), f"rust:{first}", depth)
        if first == "":
            return self._other_crate(segments[1:], depth)
        return self._bare(importer, crate, segments, depth)

    def _landed(self, found: tuple[str, list[str]] | None, how: str, depth: int) -> tuple[str | None, str | None, str]:
        if found is None:
            return None, None, "unresolved"
        target, rest = found
        hopped = False
        for _ in range(_MAX_REEXPORT_HOPS * 4):  # modules whose file a #[path] attribute chooses
            moved = self._path_module(target, rest[0]) if rest else None
            if moved is None and hopped and rest:  # below such a module, its own child modules
                moved = self._child_module(target, rest[0])
            if moved is None:
                break
            target, rest, hopped = moved, rest[1:], True
        followed = self._follow(target, rest, depth) if rest else None
        return followed if followed is not None else (target, None, how)

    def _child_module(self, module_file: str, name: str) -> str | None:
        """``mod name;`` of ``module_file`` found by the usual layout: beside a ``mod.rs`` or
        crate root, else in the directory named after the file."""
        directory, base = posixpath.split(module_file)
        if base not in ("mod.rs", *_ROOT_NAMES):
            directory = _join(directory, base.removesuffix(".rs"))
        for candidate in (_join(directory, name + ".rs"), _join(directory, name, "mod.rs")):
            if candidate in self.files:
                return candidate
        return None

    def _path_module(self, module_file: str, name: str) -> str | None:
        """The file of module ``name`` when ``module_file`` declares it ``#[path = "..."] mod
        name;`` (read from the importer's own records, else from the module file's text)."""
        written: str | None = None
        if module_file == self._current:
            written = next((i.module for i in self._own_imports if i.kind == "side_effect" and i.name == name), None)
        else:
            written = self._exports_of(module_file).path_modules.get(name)
        if written is None:
            return None
        target = posixpath.normpath(_join(posixpath.dirname(module_file), written))
        return target if target in self.files else None

    def _other_crate(self, segments: list[str], depth: int = 0) -> tuple[str | None, str | None, str]:
        if not segments:
            return None, None, "unresolved"
        root = self.crates_by_name.get(segments[0])
        if root is not None:
            other = self._crate_of(root)
            return self._landed(self._deepest_at(other, [], segments[1:]), "rust:workspace-crate", depth)
        return None, segments[0], "external"

    def _bare(
        self, importer: str, crate: _Crate, segments: list[str], depth: int = 0
    ) -> tuple[str | None, str | None, str]:
        first = segments[0]
        here = self._module_path(importer, crate)
        if importer == self._current and self._path_module(importer, first) is not None:
            return self._landed((importer, segments), "rust:module", depth)
        if self._module_file(crate, [*here, first]) is not None:
            return self._landed(self._deepest_at(crate, here, segments), "rust:module", depth)
        if here and self._module_file(crate, [first]) is not None:
            return self._landed(self._deepest_at(crate, [], segments), "rust:crate", depth)
        if first in self.crates_by_name and self.crates_by_name[first] != crate.root:
            return self._other_crate(segments, depth)
        package = self.packages.get(crate.package) if crate.package is not None else None
        if package is not None and first in package.renames and first not in STD_CRATES:
            return self._other_crate([package.renames[first], *segments[1:]], depth)
        if first in STD_CRATES or package is None or first in package.dependencies:
            return None, first, "external"
        real = self._extern_alias(importer, crate, first)
        if real is not None and real != first:
            return self._other_crate([real, *segments[1:]], depth)
        if package.edition != "2015":
            return importer, None, "rust:local-item"
        # 2015: an item of the crate root, which may be a #[path] module or a re-export there
        return self._landed((crate.root, segments), "rust:local-item", depth)

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
