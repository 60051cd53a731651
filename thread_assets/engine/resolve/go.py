"""Go import resolution: import paths to package directories.

A Go import names a package, i.e. a directory, not a file. Edges point to a *representative* file
of that directory (the file named after the directory or package, else the first non-test ``.go``
file in sorted order) so that every import still has one target path; the graph layer can expand
it to the whole package with :meth:`GoResolver.package_files`.

Rules, in order (the ``how`` of each result):
- ``go:module``: the importer's module (nearest ``go.mod`` above it, read through ``ctx.read``)
  is a prefix of the import path; the rest is a directory under the module root.
- ``go:vendor``: ``<module root>/vendor/<import path>`` exists.
- ``go:repo-module``: another module of the repository (any ``go.mod`` among ``ctx.files``)
  is the longest prefix of the path.
- ``go:gopath``: a directory of the repository ends with the import path (GOPATH-style trees
  such as ``src/github.com/x/y``, which have no ``go.mod``). Never for standard-library-looking
  paths, so that a repository directory ``util/errors`` does not capture ``"errors"``.
- ``external``: standard library (no dot in the first path element; the package is the import
  path) or a third-party module (the package is a guess of its module path).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable

from ..extract.go import package_name_guess
from ..model import Import
from .base import RepoContext, shared_prefix

_MODULE_LINE = re.compile(rb"^\s*module\s+\"?([^\s\"/][^\s\"]*)\"?", re.MULTILINE)
_THREE_ELEMENT_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "golang.org"})
_MAJOR = re.compile(r"v[0-9]+")


def module_path(go_mod: bytes) -> str | None:
    """The ``module`` directive of a go.mod file."""
    m = _MODULE_LINE.search(go_mod)
    return m.group(1).decode("utf-8", "replace") if m else None


def external_module_guess(path: str) -> str:
    """Module path of a third-party import: hosting sites use ``host/owner/repo``, others
    ``host/name``; a ``/vN`` major-version element belongs to the module."""
    parts = path.split("/")
    n = 3 if parts[0] in _THREE_ELEMENT_HOSTS else 2
    if parts[0] == "gopkg.in" and len(parts) > 2 and ".v" not in parts[1]:
        n = 3  # gopkg.in/user/pkg.v3
    if len(parts) > n and _MAJOR.fullmatch(parts[n]):
        n += 1
    return "/".join(parts[:n])


def is_stdlib(path: str) -> bool:
    first = path.split("/", 1)[0]
    return "." not in first


def package_files(files: Iterable[str], directory: str) -> tuple[str, ...]:
    """Non-test ``.go`` files of one package directory, sorted (all files, tests included, when the
    directory has only tests)."""
    here = sorted(f for f in files if f.endswith(".go") and posixpath.dirname(f) == directory)
    main = tuple(f for f in here if not f.endswith("_test.go"))
    return main or tuple(here)


def _representative(files: list[str], directory: str, import_path: str) -> str:
    names = {posixpath.basename(f): f for f in files}
    for candidate in (posixpath.basename(directory), package_name_guess(import_path)):
        hit = names.get(f"{candidate}.go")
        if hit is not None:
            return hit
    main = [f for f in files if not f.endswith("_test.go")]
    return (main or files)[0]


class GoResolver:
    def __init__(self, ctx: RepoContext) -> None:
        dirs: dict[str, list[str]] = defaultdict(list)
        for f in ctx.files:
            if f.endswith(".go"):
                dirs[posixpath.dirname(f)].append(f)
        self.dirs = {d: sorted(fs) for d, fs in dirs.items()}
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        for d in self.dirs:
            parts = d.split("/") if d else []
            for i in range(len(parts)):
                self.by_suffix["/".join(parts[i:])].append(d)
        # Every directory holding Go code, and its ancestors, is probed for a go.mod once, up
        # front, so that results never depend on the order imports are resolved in.
        probe: set[str] = set()
        for d in self.dirs:
            while d not in probe:
                probe.add(d)
                if not d:
                    break
                d = posixpath.dirname(d)
        probe.update(posixpath.dirname(f) for f in ctx.files if posixpath.basename(f) == "go.mod")
        self.module_roots: dict[str, str] = {}
        """Module root directory -> module path."""
        for d in sorted(probe):
            data = ctx.read(posixpath.join(d, "go.mod") if d else "go.mod")
            path = module_path(data) if data is not None else None
            if path is not None:
                self.module_roots[d] = path
        self.repo_modules: dict[str, str] = {}
        """Module path -> root directory (the shallowest root when two declare the same path)."""
        for root in sorted(self.module_roots, key=lambda r: (r.count("/"), r)):
            self.repo_modules.setdefault(self.module_roots[root], root)

    def nearest_module(self, importer: str) -> tuple[str, str] | None:
        """(module path, module root) of the go.mod closest above ``importer``."""
        directory = posixpath.dirname(importer)
        while True:
            path = self.module_roots.get(directory)
            if path is not None:
                return path, directory
            if not directory:
                return None
            directory = posixpath.dirname(directory)

    def package_files(self, directory: str) -> tuple[str, ...]:
        """Every file of the package in ``directory`` (see :func:`package_files`)."""
        files = self.dirs.get(directory, [])
        main = tuple(f for f in files if not f.endswith("_test.go"))
        return main or tuple(files)

    @staticmethod
    def _join(root: str, rest: str) -> str:
        joined = posixpath.normpath(posixpath.join(root, rest.strip("/")))
        return "" if joined == "." else joined

    def _longest_repo_module(self, path: str) -> tuple[str, str] | None:
        parts = path.split("/")
        for i in range(len(parts), 0, -1):
            prefix = "/".join(parts[:i])
            root = self.repo_modules.get(prefix)
            if root is not None:
                return prefix, root
        return None

    def _target(self, directory: str, import_path: str) -> str | None:
        files = self.dirs.get(directory)
        return _representative(files, directory, import_path) if files else None

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        path = imp.module.strip().strip("/")
        if not path:
            return None, None, "unresolved"
        module = self.nearest_module(importer)
        repo_module = self._longest_repo_module(path)
        if module is not None:
            mod_path, root = module
            owns = path == mod_path or path.startswith(mod_path + "/")
            if owns and (repo_module is None or len(repo_module[0]) <= len(mod_path)):
                target = self._target(self._join(root, path[len(mod_path) :]), path)
                return (target, None, "go:module") if target else (None, None, "unresolved")
            if not owns:
                target = self._target(self._join(root, "vendor/" + path), path)
                if target:
                    return target, None, "go:vendor"
        if repo_module is not None:  # a nested module carves its directory out of the parent module
            target = self._target(self._join(repo_module[1], path[len(repo_module[0]) :]), path)
            return (target, None, "go:repo-module") if target else (None, None, "unresolved")
        if is_stdlib(path):  # never matched by suffix: a repo's `x/errors` must not shadow "errors"
            return None, path, "external"
        candidates = self.by_suffix.get(path)
        if candidates:
            best = min(candidates, key=lambda d: (-shared_prefix(d, importer), len(d), d))
            target = self._target(best, path)
            if target:
                return target, None, "go:gopath"
        return None, external_module_guess(path), "external"


def make_resolver(ctx: RepoContext) -> GoResolver:
    return GoResolver(ctx)
