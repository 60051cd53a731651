"""``thread deps`` shows the edge flags, ``thread cycles`` finds cycles with and without type-only
and deferred edges (in process, on a real SQLite index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resources.store.url import open_store
from thread_assets.cli import main
from thread_assets.engine import RepoContext, analyze, dependency_edges, find_cycles, resolve_calls, resolve_imports

FILES = {
    "pkg/__init__.py": b"",
    "pkg/a.py": b"from pkg import b\n",
    "pkg/b.py": b"from pkg import c\ndef f():\n    from pkg import a\n",
    "pkg/c.py": b"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    analyses = [analyze(p, src) for p, src in FILES.items()]
    by_path = {a.path: a for a in analyses}
    res = resolve_imports(analyses, RepoContext(files=frozenset(FILES)))
    edges = dependency_edges(res, by_path)
    url = f"sqlite:///{tmp_path_factory.mktemp('flags') / 'index.db'}"
    store = open_store(url)
    store.write_files("flags", analyses)
    store.write_graph("flags", res, edges, find_cycles(edges), resolve_calls(by_path, res))
    store.close()
    return url


def cycles(store_url: str, capsys: pytest.CaptureFixture[str], *flags: str) -> list[list[str]]:
    assert main(["cycles", "--store", store_url, "--json", *flags]) == 0
    return [c["members"] for c in json.loads(capsys.readouterr().out)]


def test_cycles_with_and_without_flagged_edges(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cycles(store_url, capsys) == [["pkg/a.py", "pkg/b.py", "pkg/c.py"]]
    assert cycles(store_url, capsys, "--skip-type-only") == [["pkg/a.py", "pkg/b.py"]]
    assert cycles(store_url, capsys, "--skip-deferred") == [["pkg/b.py", "pkg/c.py"]]
    assert cycles(store_url, capsys, "--skip-type-only", "--skip-deferred") == []
    assert main(["cycles", "--store", store_url, "--skip-type-only", "--skip-deferred"]) == 0
    assert capsys.readouterr().out.strip() == "import cycles without type-only and deferred edges: none"
    assert main(["cycles", "--store", store_url, "--skip-deferred"]) == 0
    assert "import cycles without deferred edges (1)" in capsys.readouterr().out


def test_deps_shows_the_edge_flags(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["deps", "pkg/b.py", "--store", store_url, "--json"]) == 0
    rows = {
        (r["direction"], r["source"], r["target"]): (r["type_only"], r["deferred"])
        for r in json.loads(capsys.readouterr().out)
    }
    assert rows[("out", "pkg/b.py", "pkg/a.py")] == (False, True)
    assert rows[("in", "pkg/c.py", "pkg/b.py")] == (True, False)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["deps", "pkg/b.py", "--store", store_url]) == 0
    table = capsys.readouterr().out
    assert "only" in table and "deferred" in table and "type-only" in table
