"""Java import resolution: fully qualified names to source files.

Source roots (``src/main/java``, ``src/test/java``, a bare ``src``...) are not configured anywhere
a resolver can read, so files are indexed by every suffix of their path: ``a/b/C.java`` is found
for ``a.b.C`` whatever directory holds the ``a`` package. When several files match (the same
class in main and test roots, or in two modules), the one sharing the longest path prefix with
the importer wins, then the shortest path, then the first in sorted order.

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
"""

from __future__ import annotations

import posixpath
from collections import defaultdict

from ..model import Import
from .base import RepoContext, shared_prefix


class JavaResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        """``a/b/C`` (any trailing part of a path, without ``.java``) -> files."""
        self.dirs: dict[str, list[str]] = defaultdict(list)
        self.dir_by_suffix: dict[str, list[str]] = defaultdict(list)
        for f in sorted(ctx.files):
            if not f.endswith(".java"):
                continue
            parts = f[: -len(".java")].split("/")
            for i in range(len(parts)):
                self.by_suffix["/".join(parts[i:])].append(f)
            self.dirs[posixpath.dirname(f)].append(f)
        for d in self.dirs:
            parts = d.split("/") if d else []
            for i in range(len(parts)):
                self.dir_by_suffix["/".join(parts[i:])].append(d)

    def package_files(self, directory: str) -> tuple[str, ...]:
        """All ``.java`` files of the package held in ``directory``, sorted."""
        return tuple(self.dirs.get(directory, ()))

    @staticmethod
    def _pick(candidates: list[str], importer: str) -> str:
        return min(candidates, key=lambda c: (-shared_prefix(c, importer), len(c), c))

    def _class_file(self, segments: list[str], importer: str) -> str | None:
        for end in range(len(segments), 1, -1):
            if end < len(segments) - 1 and not segments[end][:1].isupper():
                break  # past the last name (a class or a static member), only class names are stripped
            hit = self.by_suffix.get("/".join(segments[:end]))
            if hit:
                return self._pick(hit, importer)
        return None

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
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
            dirs = self.dir_by_suffix.get("/".join(segments))
            if dirs:
                directory = self._pick(dirs, importer)
                files = self.dirs[directory]
                info = posixpath.join(directory, "package-info.java")
                return (info if info in files else files[0]), None, "java:package"
        return None, ".".join(segments[:2]), "external"


def make_resolver(ctx: RepoContext) -> JavaResolver:
    return JavaResolver(ctx)
