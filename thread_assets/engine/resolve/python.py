"""Python import resolution: dotted module names to repository files, without importing anything.

Module names come from *roots*, the directories a Python process would have on ``sys.path``:

- the repository root and ``src/`` (the two common layouts), and the roots the project declares
  in ``pyproject.toml`` / ``setup.cfg`` (``python_roots.py``);
- the parent of every top-level package (a directory with ``__init__.py`` whose ancestors have
  none), which finds ``lib/mypkg/__init__.py`` layouts and monorepos with many projects;
- for one importer only, its own root: the directory above its top-level package, or its own
  directory when it is not in a package (a script or a pytest rootdir-less test sees its
  siblings). These stay private to the importer so that ``scripts/json.py`` does not shadow the
  standard library for the whole repository.

A directory that is itself a package is never a root: Python 3 imports are absolute, so a bare
``import json`` inside a package means the standard library, never the package's own ``json.py``.
When the repository root is a package (``thread index site-packages/rich``), its modules are
named after the root directory (``RepoContext.root_name``): ``rich.console`` is ``console.py``.

A file is indexed under every root above it, so namespace packages (directories without
``__init__.py``) resolve through the outer root. When two roots give one module name different
files, the root that contains the importer wins, then the deepest root, then the path order.

``from pkg import name`` resolves to ``pkg/name.py`` (or ``pkg/name/__init__.py``) when ``name``
is a submodule, else to ``pkg/__init__.py``, the file that defines the name. A relative import is
resolved by path from the importer's package; climbing above the top-level package is
unresolved, as it is an ImportError in Python (one level, the importer's own directory, is allowed
without ``__init__.py`` so namespace packages work). A top-level name the repository does not define is
external (standard library per ``sys.stdlib_module_names``, or a third-party distribution); a
missing module under a top-level name the repository does define is unresolved.
"""

from __future__ import annotations

import posixpath
import sys
from collections import defaultdict

from ..model import Import
from .base import RepoContext
from .python_roots import declared_roots

SUFFIXES = (".py", ".pyi")
STDLIB = frozenset(sys.stdlib_module_names)


def _is_identifier_path(parts: list[str]) -> bool:
    return all(p.isidentifier() for p in parts)


class PythonResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.files = frozenset(f for f in ctx.files if f.endswith(SUFFIXES))
        self.package_dirs = {
            posixpath.dirname(f) for f in self.files if posixpath.basename(f) in ("__init__.py", "__init__.pyi")
        }
        self.root_package = "" in self.package_dirs
        """The repository root is itself a package: its modules are ``<root_name>.x``."""
        self.prefix = ctx.root_name if self.root_package and ctx.root_name.isidentifier() else None
        roots = {"", "src"} | declared_roots(ctx.files, ctx.read)
        for d in self.package_dirs:
            parent = posixpath.dirname(d)
            if d and not self._in_package(parent):
                roots.add(parent)
        self.roots = frozenset(r for r in roots if r not in self.package_dirs)
        indexed = self.roots | ({""} if self.prefix else set())
        # module name -> [(root, path)]; namespace package name -> {root}
        self.modules: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.namespaces: dict[str, set[str]] = defaultdict(set)
        self.top_names: set[str] = set()
        self._own_roots: dict[str, str | None] = {}
        for path in sorted(self.files):
            d = posixpath.dirname(path)
            ancestors = [d]
            while d:
                d = posixpath.dirname(d)
                ancestors.append(d)
            for root in ancestors:
                if root in indexed:
                    self._index(root, path)

    def _in_package(self, directory: str) -> bool:
        """Whether ``directory`` or one of its ancestors is a package."""
        while True:
            if directory in self.package_dirs:
                return True
            if not directory:
                return False
            directory = posixpath.dirname(directory)

    def _index(self, root: str, path: str) -> None:
        rel = path[len(root) + 1 :] if root else path
        parts = rel.rsplit(".", 1)[0].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        if not root and self.prefix:
            parts.insert(0, self.prefix)
        if not parts or not _is_identifier_path(parts):
            return
        name = ".".join(parts)
        entries = self.modules[name]
        if path.endswith(".pyi") and any(p[:-1] == path[:-1] for _, p in entries):
            return
        entries.append((root, path))
        self.top_names.add(parts[0])
        for i in range(1, len(parts)):
            package_dir = posixpath.join(root, *parts[1 if not root and self.prefix else 0 : i])
            if package_dir not in self.package_dirs:
                self.namespaces[".".join(parts[:i])].add(root)

    # -- lookups ----------------------------------------------------------------------------
    def own_root(self, importer: str) -> str | None:
        """The directory above the importer's top-level package (its own directory outside any
        package); None when that lies above the repository (the root is a package)."""
        start = posixpath.dirname(importer)
        if start not in self._own_roots:
            d = start
            while d and d in self.package_dirs:
                d = posixpath.dirname(d)
            self._own_roots[start] = None if not d and self.root_package else d
        return self._own_roots[start]

    def find_module(self, name: str, importer: str) -> str | None:
        entries = self.modules.get(name)
        own = self.own_root(importer)
        if own is not None and own not in self.roots:
            local = self._local(own, name)
            if local is not None:
                return local
        if not entries:
            return None
        if len(entries) == 1:
            return entries[0][1]
        inside = [e for e in entries if importer.startswith(e[0] + "/") or not e[0]]
        best = min(
            inside or entries,
            key=lambda e: (-len(e[0]) if e[0] and importer.startswith(e[0] + "/") else 1, e[1].endswith(".pyi"), e[1]),
        )
        return best[1]

    def _local(self, root: str, name: str) -> str | None:
        base = f"{root}/{name.replace('.', '/')}" if root else name.replace(".", "/")
        for candidate in (base + ".py", base + "/__init__.py", base + ".pyi", base + "/__init__.pyi"):
            if candidate in self.files:
                return candidate
        return None

    def _by_path(self, base: str) -> str | None:
        for candidate in (base + ".py", base + "/__init__.py", base + ".pyi", base + "/__init__.pyi"):
            if candidate in self.files:
                return candidate
        return None

    # -- resolution -------------------------------------------------------------------------
    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        if imp.level > 0:
            return self._relative(importer, imp)
        module = imp.module
        if imp.name is not None and imp.kind != "side_effect":
            target = self.find_module(f"{module}.{imp.name}", importer)
            if target is not None:
                return target, None, "python:submodule"
        target = self.find_module(module, importer)
        if target is not None:
            return target, None, "python:module"
        if module in self.namespaces:
            return None, None, "python:namespace"
        top = module.split(".", 1)[0]
        if top in self.top_names and top not in STDLIB:
            return None, None, "unresolved"
        return None, top, "external"

    def _relative(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        base = posixpath.dirname(importer)
        for _ in range(imp.level - 1):
            if not base:
                return None, None, "unresolved"
            base = posixpath.dirname(base)
        if imp.level > 1 and base not in self.package_dirs:
            # Python: "attempted relative import beyond top-level package".
            return None, None, "unresolved"
        rest = imp.module.lstrip(".")
        if rest:
            base = posixpath.join(base, *rest.split("."))
        if imp.name is not None:
            target = self._by_path(posixpath.join(base, imp.name))
            if target is not None:
                return target, None, "python:relative-submodule"
        target = self._by_path(base) if base else self._by_path("__init__")
        if target is not None:
            return target, None, "python:relative"
        return None, None, "unresolved"


def make_resolver(ctx: RepoContext) -> PythonResolver:
    return PythonResolver(ctx)
