"""Python resolution rules that depend on where the roots are: a repository root that is itself a
package, absolute-import semantics inside packages, declared source roots, namespace packages."""

from __future__ import annotations

from thread_assets.engine import analyze, resolve_imports
from thread_assets.engine.resolve import RepoContext
from thread_assets.engine.resolve.python_roots import declared_roots


def resolved(files: dict[str, bytes], root_name: str = "") -> dict[tuple[str, str, str | None], str | None]:
    analyses = [analyze(p, src, "python") for p, src in files.items() if p.endswith(".py")]
    ctx = RepoContext(files=frozenset(files), read=files.get, root_name=root_name)
    return {
        (r.importer, r.module, r.name): r.target or f"external:{r.external}" for r in resolve_imports(analyses, ctx)
    }


PACKAGE_DIR = {
    "__init__.py": b"from rich.console import Console\n",
    "console.py": b"import abc\nimport json\nfrom rich import json as rich_json\nfrom .abc import X\n",
    "abc.py": b"X = 1\n",
    "json.py": b"import json\n",
    "markdown/__init__.py": b"from rich.markdown.render import render\nimport rich.abc\n",
    "markdown/render.py": b"from ..console import Console\n",
}


def test_a_root_that_is_a_package_is_imported_by_its_directory_name() -> None:
    got = resolved(PACKAGE_DIR, root_name="rich")
    assert got[("__init__.py", "rich.console", "Console")] == "console.py"
    assert got[("console.py", "rich", "json")] == "json.py"
    assert got[("markdown/__init__.py", "rich.markdown.render", "render")] == "markdown/render.py"
    assert got[("markdown/__init__.py", "rich.abc", None)] == "abc.py"
    assert got[("markdown/render.py", "..console", "Console")] == "console.py"
    assert got[("console.py", ".abc", "X")] == "abc.py"


def test_absolute_imports_inside_a_package_never_mean_a_sibling() -> None:
    got = resolved(PACKAGE_DIR, root_name="rich")
    assert got[("console.py", "abc", None)] == "external:abc"
    assert got[("console.py", "json", None)] == "external:json"
    assert got[("json.py", "json", None)] == "external:json"
    # the same package under a repository root: still the standard library
    nested = {f"rich/{p}": data for p, data in PACKAGE_DIR.items()}
    got = resolved(nested, root_name="checkout")
    assert got[("rich/console.py", "abc", None)] == "external:abc"
    assert got[("rich/__init__.py", "rich.console", "Console")] == "rich/console.py"


def test_an_unnamed_package_root_resolves_relative_imports_only() -> None:
    got = resolved(PACKAGE_DIR, root_name="not-an-identifier")
    assert got[("markdown/render.py", "..console", "Console")] == "console.py"
    assert got[("__init__.py", "rich.console", "Console")] == "external:rich"


def test_a_script_outside_any_package_still_sees_its_siblings() -> None:
    files = {"tools/run.py": b"import json\nimport helper\n", "tools/json.py": b"", "tools/helper.py": b""}
    got = resolved(files)
    assert got[("tools/run.py", "json", None)] == "tools/json.py"
    assert got[("tools/run.py", "helper", None)] == "tools/helper.py"


def test_declared_roots_from_pyproject_and_setup_cfg() -> None:
    files = {
        "svc/pyproject.toml": b'[tool.setuptools.packages.find]\nwhere = ["lib"]\n'
        b'[tool.pytest.ini_options]\npythonpath = ["tests/helpers"]\n',
        "svc/lib/nsmod/core.py": b"",
        "svc/tests/helpers/fixtures.py": b"",
        "svc/tests/test_core.py": b"import nsmod.core\nimport fixtures\n",
        "old/setup.cfg": b"[options]\npackage_dir =\n    =code\n    extra = elsewhere\n",
        "old/code/legacy.py": b"",
        "old/run.py": b"import legacy\n",
        "poetry/pyproject.toml": b'[tool.poetry]\npackages = [{include = "p", from = "source"}]\n',
        "hatch/pyproject.toml": b'[tool.hatch.build.targets.wheel]\npackages = ["pkgs/h"]\n',
        "bad/pyproject.toml": b"[tool.setuptools\n",
        "up/setup.cfg": b"[options.packages.find]\nwhere = ../../outside\n",
    }
    assert declared_roots(files, files.get) == {
        "svc/lib",
        "svc/tests/helpers",
        "old/code",
        "poetry/source",
        "hatch/pkgs",
    }
    got = resolved(files)
    # a namespace package (no __init__.py) under a declared root, and a pytest pythonpath entry
    assert got[("svc/tests/test_core.py", "nsmod.core", None)] == "svc/lib/nsmod/core.py"
    assert got[("svc/tests/test_core.py", "fixtures", None)] == "svc/tests/helpers/fixtures.py"
    assert got[("old/run.py", "legacy", None)] == "old/code/legacy.py"


def test_namespace_packages_span_roots() -> None:
    files = {
        "src/acme/core/__init__.py": b"from acme.plugins import extra\n",
        "plugins/acme/plugins/__init__.py": b"",
        "plugins/acme/plugins/extra.py": b"",
        "pyproject.toml": b'[tool.pytest.ini_options]\npythonpath = ["src", "plugins"]\n',
    }
    got = resolved(files)
    assert got[("src/acme/core/__init__.py", "acme.plugins", "extra")] == "plugins/acme/plugins/extra.py"


def test_a_directory_inside_a_package_is_not_a_root() -> None:
    """``pkg/tests/sub/__init__.py`` below a namespace directory: ``sub`` is ``pkg.tests.sub``
    (Python 3 namespace portion), not a top-level ``sub`` for the whole repository."""
    files = {
        "pkg/__init__.py": b"",
        "pkg/tests/sub/__init__.py": b"",
        "other/user.py": b"import sub\nimport pkg.tests.sub\n",
    }
    got = resolved(files)
    assert got[("other/user.py", "sub", None)] == "external:sub"
    assert got[("other/user.py", "pkg.tests.sub", None)] == "pkg/tests/sub/__init__.py"
