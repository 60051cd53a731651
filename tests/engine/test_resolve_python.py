"""Python import resolution over small synthetic repositories."""

from __future__ import annotations

import pytest

from thread_assets.engine import analyze
from thread_assets.engine.model import Import, Location
from thread_assets.engine.resolve import RepoContext, resolve_imports
from thread_assets.engine.resolve.python import make_resolver

FILES = frozenset(
    {
        "pkg/__init__.py",
        "pkg/a.py",
        "pkg/sub/__init__.py",
        "pkg/sub/b.py",
        "pkg/sub/deep/__init__.py",
        "pkg/sub/deep/c.py",
        "pkg/stubbed.py",
        "pkg/stubbed.pyi",
        "pkg/only_stub.pyi",
        "src/lib/__init__.py",
        "src/lib/core.py",
        "ns/part/mod.py",
        "scripts/tool.py",
        "scripts/helper.py",
        "scripts/json.py",
        "projects/p1/app/__init__.py",
        "projects/p1/app/x.py",
        "projects/p2/app/__init__.py",
        "projects/p2/app/x.py",
        "README.md",
    }
)
LOC = Location(start_line=1, start_col=0, end_line=1, end_col=1, start_byte=0, end_byte=1)


def imp(module: str, name: str | None = None, kind: str = "absolute") -> Import:
    level = len(module) - len(module.lstrip("."))
    if level and kind == "absolute":
        kind = "relative"
    return Import(module=module, name=name, bound=name or module.split(".")[0], kind=kind, level=level, location=LOC)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def resolver():  # type: ignore[no-untyped-def]
    return make_resolver(RepoContext(files=FILES))


@pytest.mark.parametrize(
    ("importer", "module", "name", "expected"),
    [
        ("pkg/a.py", "pkg.sub.b", None, ("pkg/sub/b.py", None, "python:module")),
        ("pkg/a.py", "pkg", "sub", ("pkg/sub/__init__.py", None, "python:submodule")),
        ("pkg/a.py", "pkg.sub", "some_function", ("pkg/sub/__init__.py", None, "python:module")),
        ("pkg/a.py", "pkg.sub.deep.c", None, ("pkg/sub/deep/c.py", None, "python:module")),
        ("pkg/sub/b.py", ".", "b", ("pkg/sub/b.py", None, "python:relative-submodule")),
        ("pkg/sub/b.py", ".", "name", ("pkg/sub/__init__.py", None, "python:relative")),
        ("pkg/sub/__init__.py", ".", "deep", ("pkg/sub/deep/__init__.py", None, "python:relative-submodule")),
        ("pkg/sub/deep/c.py", "..", "b", ("pkg/sub/b.py", None, "python:relative-submodule")),
        ("pkg/sub/deep/c.py", "...a", "X", ("pkg/a.py", None, "python:relative")),
        ("pkg/sub/deep/c.py", "..b", "Y", ("pkg/sub/b.py", None, "python:relative")),
        ("pkg/a.py", "...", "x", (None, None, "unresolved")),
        ("pkg/a.py", "..", "x", (None, None, "unresolved")),
        ("ns/part/mod.py", ".", "sibling", (None, None, "unresolved")),
        ("ns/part/mod.py", ".mod", None, ("ns/part/mod.py", None, "python:relative")),
        ("pkg/a.py", ".missing", "x", (None, None, "unresolved")),
        ("pkg/a.py", "pkg.stubbed", None, ("pkg/stubbed.py", None, "python:module")),
        ("pkg/a.py", "pkg.only_stub", None, ("pkg/only_stub.pyi", None, "python:module")),
        ("pkg/a.py", "lib.core", None, ("src/lib/core.py", None, "python:module")),
        ("pkg/a.py", "lib", "core", ("src/lib/core.py", None, "python:submodule")),
        ("pkg/a.py", "ns.part.mod", None, ("ns/part/mod.py", None, "python:module")),
        ("pkg/a.py", "ns.part", None, (None, None, "python:namespace")),
        ("pkg/a.py", "os.path", None, (None, "os", "external")),
        ("pkg/a.py", "requests.adapters", "HTTPAdapter", (None, "requests", "external")),
        ("pkg/a.py", "pkg.missing", None, (None, None, "unresolved")),
        ("pkg/a.py", "json", None, (None, "json", "external")),
        ("scripts/tool.py", "json", None, ("scripts/json.py", None, "python:module")),
        ("scripts/tool.py", "helper", None, ("scripts/helper.py", None, "python:module")),
        ("pkg/a.py", "helper", None, (None, "helper", "external")),
        ("projects/p1/app/x.py", "app.x", None, ("projects/p1/app/x.py", None, "python:module")),
        ("projects/p2/app/__init__.py", "app", "x", ("projects/p2/app/x.py", None, "python:submodule")),
        ("pkg/a.py", "app", None, ("projects/p1/app/__init__.py", None, "python:module")),
    ],
)
def test_resolve(
    resolver, importer: str, module: str, name: str | None, expected: tuple[str | None, str | None, str]
) -> None:  # type: ignore[no-untyped-def]
    assert resolver.resolve(importer, imp(module, name)) == expected


def test_future_and_wildcard_imports(resolver) -> None:  # type: ignore[no-untyped-def]
    future = Import(module="__future__", name="annotations", kind="side_effect", location=LOC)
    assert resolver.resolve("pkg/a.py", future) == (None, "__future__", "external")
    star = Import(module=".sub", kind="wildcard", level=1, location=LOC)
    assert resolver.resolve("pkg/a.py", star) == ("pkg/sub/__init__.py", None, "python:relative")


def test_end_to_end_with_resolve_imports() -> None:
    sources = {
        "src/app/__init__.py": b"from .models import Item\nfrom . import views\n",
        "src/app/models.py": b"import dataclasses\nfrom app.util import slug\n",
        "src/app/views.py": b"from app import models\nimport app.util as u\n",
        "src/app/util.py": b"import requests\n",
        "tests/test_app.py": b"from app.models import Item\nimport conftest\n",
        "tests/conftest.py": b"",
    }
    analyses = [analyze(path, data, "python") for path, data in sources.items()]
    ctx = RepoContext(files=frozenset(sources), read=sources.get)
    got = {(r.importer, r.module, r.name): (r.target, r.external) for r in resolve_imports(analyses, ctx)}
    assert got == {
        ("src/app/__init__.py", ".models", "Item"): ("src/app/models.py", None),
        ("src/app/__init__.py", ".", "views"): ("src/app/views.py", None),
        ("src/app/models.py", "dataclasses", None): (None, "dataclasses"),
        ("src/app/models.py", "app.util", "slug"): ("src/app/util.py", None),
        ("src/app/views.py", "app", "models"): ("src/app/models.py", None),
        ("src/app/views.py", "app.util", None): ("src/app/util.py", None),
        ("src/app/util.py", "requests", None): (None, "requests"),
        ("tests/test_app.py", "app.models", "Item"): ("src/app/models.py", None),
        ("tests/test_app.py", "conftest", None): ("tests/conftest.py", None),
    }


def test_repository_root_that_is_itself_a_package_terminates() -> None:
    """Indexing a package directory directly: "" is a package dir; own_root must not loop, and
    ``import b`` is absolute (the standard library's or a distribution's ``b``), never ``b.py``."""
    from thread_assets.engine import analyze, resolve_imports
    from thread_assets.engine.resolve import RepoContext

    files = {"__init__.py": b"", "a.py": b"from . import b\nimport b\n", "b.py": b"x = 1\n"}
    analyses = [analyze(p, src, "python") for p, src in files.items()]
    res = resolve_imports(analyses, RepoContext(files=frozenset(files)))
    assert [(r.module, r.target, r.external) for r in res] == [(".", "b.py", None), ("b", None, "b")]
