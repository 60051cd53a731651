"""``index_state``: the store itself knows when its graph tables lag its files, on every backend.

A per-file commit (``write_files``, ``delete_files``) puts the graphs behind in its own
transaction; only a graph commit that read the files after it brings them level again. That is
what lets an update find, after a crash between the two commits, that the graph step must run."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path

from resources.store.sqlbase import SqlStore
from resources.store.url import open_store
from thread_assets.engine import FileAnalysis, analyze
from thread_assets.engine.graph.incremental import GraphDelta, update_graph

SOURCES = {
    "pkg/__init__.py": b"",
    "pkg/a.py": b"from pkg import b\n\n\ndef helper(x):\n    return b.work(x)\n",
    "pkg/b.py": b"def work(x):\n    return x\n",
}


def _no_config(_path: str) -> bytes | None:
    return None


def _analyses(sources: dict[str, bytes]) -> list[FileAnalysis]:
    return [analyze(path, text) for path, text in sources.items()]


def _repo() -> str:
    return f"r-{uuid.uuid4().hex[:8]}"


def test_per_file_commits_put_the_graphs_behind_and_graph_commits_level_them(store: SqlStore) -> None:
    repo = _repo()
    assert (store.index_versions(repo), store.graphs_behind(repo)) == ((0, 0), False)
    store.write_files(repo, _analyses(SOURCES))
    assert store.graphs_behind(repo)
    assert update_graph(store, repo, _no_config).mode == "full"
    assert not store.graphs_behind(repo)

    store.write_files(repo, _analyses({"pkg/b.py": b"def work(x):\n    return x + 1\n"}))
    assert store.graphs_behind(repo)
    assert update_graph(store, repo, _no_config).mode == "incremental"
    assert not store.graphs_behind(repo)

    store.delete_files(repo, ["pkg/b.py"])
    assert store.graphs_behind(repo)
    update_graph(store, repo, _no_config)
    assert not store.graphs_behind(repo)
    assert store.index_versions(repo) == (3, 3)


def test_an_unchanged_graph_step_still_levels_them(store: SqlStore) -> None:
    """Files rewritten with the same bytes (``thread index --force``), then a crash: the next
    graph step finds nothing to change, and must still record that the graphs are current."""
    repo = _repo()
    store.write_files(repo, _analyses(SOURCES))
    update_graph(store, repo, _no_config)
    store.write_files(repo, _analyses(SOURCES))
    assert store.graphs_behind(repo)
    assert update_graph(store, repo, _no_config).mode == "unchanged"
    assert not store.graphs_behind(repo)


def test_write_graph_levels_them(store: SqlStore) -> None:
    repo = _repo()
    store.write_files(repo, _analyses(SOURCES))
    store.write_graph(repo, [], [], [], [])
    assert not store.graphs_behind(repo)


class _WriteDuringBuild:
    """A store through which a per-file commit lands after a graph build read the files and
    before it commits (another process's update, racing this one)."""

    def __init__(self, store: SqlStore, late: Sequence[FileAnalysis]) -> None:
        self._store, self._late = store, late

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def write_graph_delta(self, repo: str, delta: GraphDelta, *, run_id: str = "") -> int:
        self._store.write_files(repo, self._late)
        return self._store.write_graph_delta(repo, delta, run_id=run_id)


def test_a_file_written_during_a_graph_build_keeps_them_behind(store: SqlStore) -> None:
    repo = _repo()
    store.write_files(repo, _analyses(SOURCES))
    late = _analyses({"pkg/c.py": b"from pkg import a\n"})
    update_graph(_WriteDuringBuild(store, late), repo, _no_config)  # type: ignore[arg-type]
    assert store.graphs_behind(repo), "the build did not see pkg/c.py"
    update = update_graph(store, repo, _no_config)
    assert update.added == ["pkg/c.py"]
    assert not store.graphs_behind(repo)


def test_a_database_without_index_state_is_not_behind(tmp_path: Path) -> None:
    """An index written before ``index_state`` existed, opened by a reader that creates no tables
    (``thread audit``): the store has no record of a lag, and says so rather than failing."""
    url = f"sqlite:///{tmp_path}/old.db"
    writer = open_store(url)
    writer.write_files("old", _analyses(SOURCES))
    writer.close()
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("DROP TABLE index_state")
    reader = open_store(url, apply_schema=False)
    try:
        assert reader.graphs_behind("old") is False
    finally:
        reader.close()
