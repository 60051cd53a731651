"""What each store promises beyond round-tripping: atomic replace, complete deletes, query
semantics (exact/prefix/filters/paging, substring search with LIKE metacharacters), exports."""

from __future__ import annotations

import uuid
from pathlib import Path

import msgspec
import pytest

from resources.store import TABLES, open_store
from resources.store.sqlbase import SqlStore, prefix_upper_bound
from thread_assets.engine import (
    FileAnalysis,
    RepoContext,
    analyze,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_imports,
)
from thread_assets.engine.graph import resolve_hierarchy
from thread_assets.engine.patterns import default_rules, run_rules

SOURCES = {
    "pkg/__init__.py": b"from .a import helper\n",
    "pkg/a.py": b'from . import b\n\n\ndef helper(x):\n    """Help 100% of_the time."""\n    return b.work(x)\n'
    b"\n\nclass Special(b.Worker):\n    pass\n\n\nspecial = Special()\n",
    "pkg/b.py": b"from . import a\nimport os\n\n\ndef work(x):\n    return a.helper(x) + len(x)\n\n\nclass Worker:\n"
    b"    def work(self):\n        return work(1)\n",
    "pkg/\u00e9t\u00e9.py": "def café_x():\n    '🐍 snake'\n".encode(),
}


def _index(store: SqlStore) -> tuple[str, dict[str, FileAnalysis]]:
    repo = f"r-{uuid.uuid4().hex[:8]}"
    analyses = {p: analyze(p, s) for p, s in SOURCES.items()}
    matches = {p: run_rules(s, "python", default_rules()) for p, s in SOURCES.items()}
    res = resolve_imports(analyses.values(), RepoContext(files=frozenset(analyses)))
    deps = dependency_edges(res, analyses)
    store.write_files(repo, list(analyses.values()), matches, run_id="run", indexed_at="2026-11-24")
    hierarchy = resolve_hierarchy(analyses, res)
    edges = resolve_calls(analyses, res, hierarchy=hierarchy)
    store.write_graph(repo, res, deps, find_cycles(deps), edges, run_id="run", hierarchy=hierarchy)
    return repo, analyses


def _counts(store: SqlStore, repo: str) -> dict[str, int]:
    return {t: sum(1 for _ in store.export(t, repo=repo)) for t in TABLES}


def test_delete_files_removes_rows_from_every_table(store: SqlStore) -> None:
    repo, _ = _index(store)
    before = _counts(store, repo)
    assert all(before[t] for t in TABLES if t != "pattern_matches"), before
    assert store.cycles(repo=repo)[0]["members"] == ["pkg/a.py", "pkg/b.py"]
    deleted = store.delete_files(repo, ["pkg/b.py"])
    after = _counts(store, repo)
    assert deleted == sum(before.values()) - sum(after.values()) > 0
    for table in TABLES:
        for row in store.export(table, repo=repo):
            assert "pkg/b.py" not in (row.get("path"), row.get("importer"), row.get("source"), row.get("target"))
            if table == "cycles":
                pytest.fail("the a<->b cycle should be gone with b")
    assert [a.path for a in store.load_analyses(repo)] == ["pkg/__init__.py", "pkg/a.py", "pkg/\u00e9t\u00e9.py"]
    assert store.callers("work", repo=repo) == []


def test_write_files_is_atomic(store: SqlStore) -> None:
    repo, analyses = _index(store)
    before = {t: list(store.export(t, repo=repo)) for t in TABLES}
    good = msgspec.structs.replace(analyses["pkg/a.py"], symbols=())
    bad = FileAnalysis(path="pkg/b.py", language="python", status=None)  # type: ignore[arg-type]  # NOT NULL
    with pytest.raises(Exception, match=r"(?i)null"):
        store.write_files(repo, [good, bad])
    assert {t: list(store.export(t, repo=repo)) for t in TABLES} == before


def test_find_symbols_exact_prefix_filters_and_paging(store: SqlStore) -> None:
    repo, _ = _index(store)
    assert [(r["qualified_name"], r["path"]) for r in store.find_symbols("work", repo=repo)] == [
        ("Worker.work", "pkg/b.py"),  # code-point order: "W" < "w", in both stores
        ("work", "pkg/b.py"),
    ]
    assert [r["global_id"] for r in store.find_symbols("Worker.work", repo=repo)] == ["pkg/b.py::Worker.work"]
    assert [r["name"] for r in store.find_symbols("pkg/a.py::helper", repo=repo)] == ["helper"]
    assert [r["kind"] for r in store.find_symbols("work", repo=repo, kind="method")] == ["method"]
    assert store.find_symbols("work", repo=repo, language="go") == []
    assert [r["qualified_name"] for r in store.find_symbols("Work", repo=repo, prefix=True)] == [
        "Worker",
        "Worker.work",
    ]
    everything = [r["global_id"] for r in store.find_symbols("", repo=repo, prefix=True)]
    assert len(everything) == 7
    assert [r["global_id"] for r in store.find_symbols("", repo=repo, prefix=True, limit=2, offset=2)] == everything[
        2:4
    ]
    assert [r["name"] for r in store.find_symbols("caf\u00e9", repo=repo, prefix=True)] == ["caf\u00e9_x"]
    assert store.find_symbols("caf\u00e9_x", repo=repo)[0]["exported"] is True


def test_search_symbols_is_a_case_insensitive_substring_search(store: SqlStore) -> None:
    repo, _ = _index(store)
    assert [r["name"] for r in store.search_symbols("WORK", repo=repo)] == ["work", "work", "Worker"]
    assert [r["name"] for r in store.search_symbols("100%", repo=repo)] == ["helper"]  # docstring, '%' literal
    assert [r["name"] for r in store.search_symbols("of_the", repo=repo)] == ["helper"]
    assert store.search_symbols("ofXthe", repo=repo) == []  # '_' is not a wildcard
    assert [r["name"] for r in store.search_symbols("\U0001f40d", repo=repo)] == ["caf\u00e9_x"]
    assert [r["name"] for r in store.search_symbols("he", repo=repo)] == ["helper"]  # short: no trigram
    assert store.search_symbols("", repo=repo) == []


def test_graph_queries(store: SqlStore) -> None:
    repo, _ = _index(store)
    callers = store.callers("helper", repo=repo)
    assert [(c["path"], c["caller"], c["callee"], c["how"]) for c in callers] == [
        ("pkg/b.py", "pkg/b.py::work", "a.helper", "module_qualified")
    ]
    assert callers == store.callers("pkg/a.py::helper", repo=repo)
    assert [c["callee"] for c in store.callees("pkg/b.py::work", repo=repo)] == ["a.helper", "len"]
    deps = store.deps("pkg/a.py", repo=repo)
    assert [(d["direction"], d["source"], d["target"], d["external"]) for d in deps] == [
        ("out", "pkg/a.py", "pkg/b.py", False),
        ("in", "pkg/__init__.py", "pkg/a.py", False),
        ("in", "pkg/b.py", "pkg/a.py", False),
    ]
    assert store.deps("pkg/b.py", repo=repo, direction="out")[-1]["target"] == "os"
    with pytest.raises(ValueError):
        store.deps("pkg/a.py", direction="sideways")  # type: ignore[arg-type]
    stats = store.stats(repo=repo)
    assert (stats["files"], stats["cycles"], stats["files_in_cycles"]) == (4, 1, 2)
    assert stats["import_resolutions"]["external"] == 1 and stats["unused_imports"] == 2  # os, and helper in __init__


def test_export_rejects_unknown_tables(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        list(store.export("files; DROP TABLE files"))


def test_prefix_upper_bound() -> None:
    assert prefix_upper_bound("ab") == "ac"
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\ud7ff") == "\ue000"
    assert all(s < prefix_upper_bound("ab") for s in ("ab", "ab\U0010ffffz", "abzzz"))


def test_sqlite_search_index_follows_rewrites_and_deletes(tmp_path: Path) -> None:
    sqlite_store = open_store(f"sqlite:///{tmp_path}/fts.db")  # alone: counts below span the whole index
    assert isinstance(sqlite_store, SqlStore)
    repo, _ = _index(sqlite_store)
    renamed = analyze("pkg/a.py", SOURCES["pkg/a.py"].replace(b"helper", b"assistant"))
    sqlite_store.write_files(repo, [renamed])
    sqlite_store.delete_files(repo, ["pkg/b.py"])
    conn = sqlite_store._conn  # type: ignore[attr-defined]

    def fts(text: str) -> int:  # the FTS index alone: search_symbols re-checks rows and would hide stale entries
        return conn.execute("SELECT COUNT(*) FROM symbols_fts WHERE symbols_fts MATCH ?", (f'"{text}"',)).fetchone()[0]

    assert (fts("assist"), fts("helper"), fts("worker")) == (1, 0, 0)
    (symbols,) = conn.execute("SELECT COUNT(*) FROM symbols").fetchone()
    assert conn.execute("SELECT COUNT(*) FROM symbols_fts_docsize").fetchone()[0] == symbols
    assert sqlite_store.search_symbols("helper", repo=repo) == []
    assert [r["path"] for r in sqlite_store.search_symbols("assistant", repo=repo)] == ["pkg/a.py"]
    assert sqlite_store.search_symbols("worker", repo=repo) == []
    sqlite_store.close()
