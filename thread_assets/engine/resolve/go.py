"""Go import resolution: import paths to package directories, as the go command finds them.

A Go import names a package, i.e. a directory, not a file. Edges point to a *representative* file
of that directory (the file named after the directory or package, else the first non-test file
whose name carries no ``_GOOS``/``_GOARCH`` constraint, else the first non-test ``.go`` file in
sorted order) so that every import still has one target path; the graph layer can expand it to
the whole package with :meth:`GoResolver.package_files`.

Directories the go command never treats as packages are never targets: ``testdata`` and
directories whose name starts with ``_`` or ``.`` (at any depth). A directory belongs to the
module of the nearest ``go.mod`` above it, so a nested ``go.mod`` is a module boundary: the
parent module does not contain the directories below it, and no rule crosses a boundary by
matching path suffixes. Files of a package that never build (``//go:build ignore``) have their
imports resolved ``go:ignored`` by :func:`..resolve_imports`, before any rule here.

Rules, in order (the ``how`` of each result):
- ``go:module``: the importer's module (nearest ``go.mod`` above it, read through ``ctx.read``)
  is a prefix of the import path; the rest is a directory of that same module.
- ``go:replace``: a ``replace`` directive of the importer's ``go.mod`` or of the ``go.work``
  above it maps the import's module to a local directory (``=> ../lib``); the rest of the path
  is a directory under it.
- ``go:vendor``: ``<module root>/vendor/<import path>`` exists.
- ``go:work``: a ``go.work`` above the importer ``use``s the importer's module and a module
  whose path is the longest prefix of the import path.
- ``go:repo-module``: another module of the repository (any ``go.mod`` among ``ctx.files``)
  is the longest prefix of the path (a monorepo's nested modules).
- ``go:gopath``: a directory outside every module is the import path itself below the
  repository root or a ``src/`` element (a GOPATH tree, ``src/github.com/x/y``, as Debian's
  ``/usr/share/gocode/src`` is); or a directory of the importer's own module (for importers
  outside every module, of no module) ends with the import path, under a ``src/`` element when
  inside a module. Never for
  standard-library-looking paths, so that a repository directory ``util/errors`` does not
  capture ``"errors"``.
- ``external``: standard library (no dot in the first path element; the package is the import
  path) or a third-party module (the package is a guess of its module path).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable

from ..extract.go import package_name_guess
from ..extract.go_build import name_tags
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


def is_package_dir(directory: str) -> bool:
    """Whether the go command can treat ``directory`` as a package: no ``testdata`` element and
    no element starting with ``_`` or ``.``."""
    return not any(p == "testdata" or p[:1] in ("_", ".") for p in directory.split("/") if p)


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
    portable = [f for f in main if not name_tags(f)]
    return (portable or main or files)[0]


_REPLACE_LINE = re.compile(r"^\s*(\S+)(?:\s+\S+)?\s*=>\s*(\S+)(?:\s+\S+)?\s*$")


def _directives(data: bytes, verb: str) -> list[str]:
    """The arguments of every ``verb`` directive of a go.mod / go.work file, single-line or block."""
    out: list[str] = []
    block = False
    for raw in data.decode("utf-8", "replace").splitlines():
        line = raw.split("//", 1)[0].strip()
        if block:
            if line == ")":
                block = False
            elif line:
                out.append(line)
            continue
        if line == f"{verb} (" or line.replace(" ", "") == f"{verb}(":
            block = True
        elif line.startswith(verb + " ") or line.startswith(verb + "\t"):
            out.append(line[len(verb) :].strip())
    return out


def local_replacements(data: bytes, base: str) -> dict[str, str]:
    """Module path -> repo-relative directory for each ``replace`` directive of a go.mod or
    go.work in ``base`` whose target is a local path (``./x``, ``../x``); replacements by
    another module version point outside the repository and are left to the external rule."""
    out: dict[str, str] = {}
    for arg in _directives(data, "replace"):
        m = _REPLACE_LINE.match(arg.replace('"', ""))
        if m is None or not m.group(2).startswith(("./", "../")):
            continue
        target = posixpath.normpath(posixpath.join(base, m.group(2)))
        if target != ".." and not target.startswith("../"):
            out[m.group(1)] = "" if target == "." else target
    return out


def workspace_uses(data: bytes, base: str) -> list[str]:
    """Repo-relative module directories a go.work in ``base`` ``use``s."""
    out = []
    for arg in _directives(data, "use"):
        target = posixpath.normpath(posixpath.join(base, arg.strip('"')))
        if target != ".." and not target.startswith("../"):
            out.append("" if target == "." else target)
    return out


class GoResolver:
    def __init__(self, ctx: RepoContext) -> None:
        dirs: dict[str, list[str]] = defaultdict(list)
        for f in ctx.files:
            if f.endswith(".go"):
                dirs[posixpath.dirname(f)].append(f)
        self.dirs = {d: sorted(fs) for d, fs in dirs.items()}
        self.package_dirs = {d: fs for d, fs in self.dirs.items() if is_package_dir(d)}
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        for d in self.package_dirs:
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
        self.replacements: dict[str, dict[str, str]] = {}
        """Module root -> {module path: local directory} of its go.mod's ``replace`` directives."""
        for d in sorted(probe):
            data = ctx.read(posixpath.join(d, "go.mod") if d else "go.mod")
            path = module_path(data) if data is not None else None
            if data is not None and path is not None:
                self.module_roots[d] = path
                self.replacements[d] = local_replacements(data, d)
        # a go.work sits at or above the modules it uses: only those directories are probed
        work_probe = {posixpath.dirname(f) for f in ctx.files if posixpath.basename(f) == "go.work"}
        for d in self.module_roots:
            while d not in work_probe:
                work_probe.add(d)
                if not d:
                    break
                d = posixpath.dirname(d)
        self.workspaces: dict[str, frozenset[str]] = {}
        """go.work directory -> the module roots it uses."""
        self.work_replacements: dict[str, dict[str, str]] = {}
        """go.work directory -> {module path: local directory}; they win over a go.mod's."""
        for d in sorted(work_probe):
            work = ctx.read(posixpath.join(d, "go.work") if d else "go.work")
            if work is not None:
                self.workspaces[d] = frozenset(workspace_uses(work, d))
                self.work_replacements[d] = local_replacements(work, d)
        self.repo_modules: dict[str, str] = {}
        """Module path -> root directory (the shallowest root when two declare the same path)."""
        for root in sorted(self.module_roots, key=lambda r: (r.count("/"), r)):
            self.repo_modules.setdefault(self.module_roots[root], root)

    def nearest_module(self, importer: str) -> tuple[str, str] | None:
        """(module path, module root) of the go.mod closest above ``importer``."""
        return self._module_of_dir(posixpath.dirname(importer))

    def _module_of_dir(self, directory: str) -> tuple[str, str] | None:
        while True:
            path = self.module_roots.get(directory)
            if path is not None:
                return path, directory
            if not directory:
                return None
            directory = posixpath.dirname(directory)

    def _workspace(self, directory: str) -> str | None:
        """The directory of the go.work closest above ``directory``."""
        while True:
            if directory in self.workspaces:
                return directory
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

    def _longest(self, path: str, modules: dict[str, str]) -> tuple[str, str] | None:
        parts = path.split("/")
        for i in range(len(parts), 0, -1):
            prefix = "/".join(parts[:i])
            root = modules.get(prefix)
            if root is not None:
                return prefix, root
        return None

    def _in_module(self, prefix: str, root: str, path: str) -> str | None:
        """The representative file of ``path``'s package inside the module rooted at ``root``
        whose path is ``prefix``; None when the directory is missing, is no package, or lies
        in a nested module."""
        directory = self._join(root, path[len(prefix) :])
        files = self.package_dirs.get(directory)
        if not files:
            return None
        owner = self._module_of_dir(directory)
        if root in self.module_roots and (owner is None or owner[1] != root):
            return None
        return _representative(files, directory, path)

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        path = imp.module.strip().strip("/")
        if not path:
            return None, None, "unresolved"
        module = self.nearest_module(importer)
        repo_module = self._longest(path, self.repo_modules)
        if module is not None:
            mod_path, root = module
            owns = path == mod_path or path.startswith(mod_path + "/")
            if owns and (repo_module is None or len(repo_module[0]) <= len(mod_path)):
                target = self._in_module(mod_path, root, path)
                return (target, None, "go:module") if target else (None, None, "unresolved")
            found = self._replaced(root, path)
            if found is not None:
                return found
            vendored = self._join(root, "vendor/" + path)
            if vendored in self.package_dirs:
                return _representative(self.package_dirs[vendored], vendored, path), None, "go:vendor"
            if repo_module is not None:
                work = self._workspace(root)
                used = work is not None and {root, repo_module[1]} <= self.workspaces[work]
                target = self._in_module(repo_module[0], repo_module[1], path)
                how = "go:work" if used else "go:repo-module"
                return (target, None, how) if target else (None, None, "unresolved")
        elif repo_module is not None:
            target = self._in_module(repo_module[0], repo_module[1], path)
            return (target, None, "go:repo-module") if target else (None, None, "unresolved")
        if is_stdlib(path):  # never matched by suffix: a repo's `x/errors` must not shadow "errors"
            return None, path, "external"
        target = self._gopath(importer, module, path)
        if target is not None:
            return target, None, "go:gopath"
        return None, external_module_guess(path), "external"

    def _replaced(self, root: str, path: str) -> tuple[str | None, str | None, str] | None:
        work = self._workspace(root)
        scopes = [self.work_replacements.get(work, {}) if work is not None else {}, self.replacements.get(root, {})]
        for table in scopes:
            hit = self._longest(path, table)
            if hit is not None:
                directory = self._join(hit[1], path[len(hit[0]) :])
                files = self.package_dirs.get(directory)
                if files:
                    return _representative(files, directory, path), None, "go:replace"
                return None, None, "unresolved"
        return None

    def _gopath(self, importer: str, module: tuple[str, str] | None, path: str) -> str | None:
        """A directory whose path ends with the import path. A GOPATH tree (the directory is the
        import path below the repository root or a ``src/`` element) that belongs to no module
        serves every importer, as GOPATH serves a module's requirements in a Debian-style tree;
        any other suffix only serves importers of the same module (or of none), so a match never
        crosses a module boundary."""
        root = module[1] if module is not None else None
        candidates = []
        for d in self.by_suffix.get(path, ()):
            found = self._module_of_dir(d)
            owner = found[1] if found is not None else None
            layout = d == path or d.endswith("/src/" + path)
            if (owner is None and layout) or (owner == root and (root is None or layout)):
                candidates.append(d)
        if not candidates:
            return None
        best = min(candidates, key=lambda d: (-shared_prefix(d, importer), len(d), d))
        return _representative(self.package_dirs[best], best, path)


def make_resolver(ctx: RepoContext) -> GoResolver:
    return GoResolver(ctx)
