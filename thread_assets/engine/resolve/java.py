"""Java import resolution: fully qualified names to source files, as javac with a source path.

Source roots. Maven and Gradle source sets (``<module>/src/<set>/java/``, also ``kotlin``,
``groovy`` and ``scala`` directories of a set: ``src/main/java``, ``src/test/java``,
``src/integrationTest/java``) are source roots: a file under one is the class its path below the
root names (``com/acme/App.java`` is ``com.acme.App``), and it is found for that name only.
Files under no such root (a bare ``src/``, ``test/harness/``) are indexed by every suffix of their
path instead: ``a/b/C.java`` is found for ``a.b.C`` whatever directory holds the ``a`` package.

Visibility. Code of a main source set never sees a test set (``test``, ``testFixtures``, any set
whose name has ``test`` in it), as Maven and Gradle compile main code without the test output.
When several files still match (the same class in two modules, or in main and test roots), a file
of the importer's own source root wins, then one of the importer's module, then the one sharing
the longest path prefix with the importer, then the shortest path, then the first in sorted order.

Rules (the ``how`` of each result):
- ``java:class``: the class file. ``import a.b.C;`` -> ``a/b/C.java``. Nested classes and static
  members (``import a.b.C.Inner;``, ``import static a.b.C.m;``, ``import static a.b.C.*;``)
  resolve to the file of the outermost class (``a/b/C.java``): the name is shortened until a file
  matches; beyond the last name only capitalised segments (class names, by Java convention) are
  stripped, so a missing package is never mistaken for a class.
- ``java:package``: an on-demand import ``import a.b.*;`` names a package, i.e. a directory; the
  target is its representative file (``package-info.java`` when present, else the first file in
  sorted order) and :meth:`JavaResolver.package_files` lists them all.
- ``external``: anything else with a dotted name (JDK ``java.*``/``javax.*`` included); the package
  is its first two segments (``java.util``, ``org.junit``).

- ``java:same-package``: an ``implicit`` import (a type of the file's own package used by its
  simple name, without an import statement) names the file ``<Name>.java`` of the importer's own
  directory, else of the same package in another source root the importer sees
  (``src/test/java/a/b/CTest.java`` using ``C`` -> ``src/main/java/a/b/C.java``), picked as above.
  Since the extractor already left out names a single-type import or the file itself binds,
  a same-package file that exists wins over on-demand imports, as the JLS orders them
  (single-type imports, then the package, then ``a.b.*`` and ``java.lang``).
- ``java:implicit-unmatched``: an implicit import with no such file. The name comes from an
  on-demand import, ``java.lang`` or a supertype's member types, which the file alone cannot
  tell apart: no target, no external package, so no dependency edge, and it is not counted
  as an external dependency either.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from ..model import Import
from .base import RepoContext, shared_prefix

_SOURCE_SET = re.compile(r"(?:^|/)src/([^/]+)/(?:java|kotlin|groovy|scala)/")


def source_root(path: str) -> tuple[str, str, str] | None:
    """(module directory, source set, root directory with its trailing slash) of a file under a
    Maven/Gradle source set, else None."""
    m = _SOURCE_SET.search(path)
    if m is None:
        return None
    module = path[: m.start()].rstrip("/") if m.start() else ""
    return module, m.group(1), path[: m.end()]


def _is_test_set(name: str) -> bool:
    return "test" in name.lower()


class JavaResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.by_name: dict[str, list[str]] = defaultdict(list)
        """``a/b/C`` -> files that define it: the path below a source root, or any trailing part
        of the path of a file under no source root (without ``.java``)."""
        self.dirs: dict[str, list[str]] = defaultdict(list)
        self.dir_by_name: dict[str, list[str]] = defaultdict(list)
        self.roots: dict[str, tuple[str, str, str] | None] = {}
        for f in sorted(ctx.files):
            if not f.endswith(".java"):
                continue
            root = self.roots[f] = source_root(f)
            stem = f[: -len(".java")]
            if root is not None:
                self.by_name[stem[len(root[2]) :]].append(f)
            else:
                parts = stem.split("/")
                for i in range(len(parts)):
                    self.by_name["/".join(parts[i:])].append(f)
            self.dirs[posixpath.dirname(f)].append(f)
        for d, fs in self.dirs.items():
            root = self.roots[fs[0]]
            if root is not None:
                self.dir_by_name[d[len(root[2]) :]].append(d)
            else:
                parts = d.split("/") if d else []
                for i in range(len(parts)):
                    self.dir_by_name["/".join(parts[i:])].append(d)

    def package_files(self, directory: str) -> tuple[str, ...]:
        """All ``.java`` files of the package held in ``directory``, sorted."""
        return tuple(self.dirs.get(directory, ()))

    def _pick(self, candidates: list[str], importer: str) -> str | None:
        """The candidate the importer's build would see, or None when it sees none."""
        mine = self.roots.get(importer) or source_root(importer)
        if mine is not None and not _is_test_set(mine[1]):
            candidates = [c for c in candidates if not ((r := self._root(c)) is not None and _is_test_set(r[1]))]
        if not candidates:
            return None

        def rank(c: str) -> tuple[int, int, int, int, str]:
            root = self._root(c)
            same_root = mine is not None and root is not None and root[2] == mine[2]
            same_module = mine is not None and root is not None and root[0] == mine[0]
            return (not same_root, not same_module, -shared_prefix(c, importer), len(c), c)

        return min(candidates, key=rank)

    def _root(self, path: str) -> tuple[str, str, str] | None:
        if path in self.roots:
            return self.roots[path]
        files = self.dirs.get(path)
        return self.roots[files[0]] if files else None

    def _class_file(self, segments: list[str], importer: str) -> str | None:
        for end in range(len(segments), 1, -1):
            if end < len(segments) - 1 and not segments[end][:1].isupper():
                break  # past the last name (a class or a static member), only class names are stripped
            hit = self.by_name.get("/".join(segments[:end]))
            if hit:
                picked = self._pick(hit, importer)
                if picked is not None:
                    return picked
        return None

    def _same_package(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        name = imp.name or imp.module
        directory = posixpath.dirname(importer)
        sibling = posixpath.join(directory, name + ".java")
        if sibling != importer and sibling in self.dirs.get(directory, ()):
            return sibling, None, "java:same-package"
        package = "".join(imp.module.split()).replace(".", "/") if imp.name else ""
        if package:
            hit = [f for f in self.by_name.get(f"{package}/{name}", ()) if f != importer]
            picked = self._pick(hit, importer) if hit else None
            if picked is not None:
                return picked, None, "java:same-package"
        return None, None, "java:implicit-unmatched"

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        if imp.kind == "implicit":
            return self._same_package(importer, imp)
        module = "".join(imp.module.split())
        segments = [s for s in module.split(".") if s]
        if imp.name and imp.kind != "wildcard":
            segments.append(imp.name)
        if len(segments) < 2:
            return None, None, "unresolved"
        names_class = imp.kind != "wildcard" or segments[-1][:1].isupper()  # `static a.b.C.*` vs `a.b.*`
        target = self._class_file(segments, importer) if names_class else None
        if target is not None:
            return target, None, "java:class"
        if imp.kind == "wildcard":
            dirs = self.dir_by_name.get("/".join(segments))
            directory = self._pick(dirs, importer) if dirs else None
            if directory is not None:
                files = self.dirs[directory]
                info = posixpath.join(directory, "package-info.java")
                return (info if info in files else files[0]), None, "java:package"
        return None, ".".join(segments[:2]), "external"


def make_resolver(ctx: RepoContext) -> JavaResolver:
    return JavaResolver(ctx)
