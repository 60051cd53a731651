"""The streamed per-file pass (thread_assets/repo/stream.py) against a real SQLite store: every
file analysed once and written in bounded chunks, the content cache answering a second pass, and
a failure leaving none of the pass's files behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from resources.store.sqlite import SqliteStore
from resources.store.url import open_store
from thread_assets.engine.content_cache import ContentCache
from thread_assets.repo import stream
from thread_assets.repo.stream import StreamTotals, analyse_stream, write_stream


def make_tree(root: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        rel = f"pkg/m{i:03d}.py"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"def f{i}_{k}(x):\n    return g(x)\n\n" for k in range(i % 7 + 1))
        (root / rel).write_text(f"from os import path\n\n{body}", encoding="utf-8")
        paths.append(rel)
    return paths


def run_pass(root: Path, paths: list[str], store: Any, cache_dir: Path, **kw: Any) -> StreamTotals:
    totals = StreamTotals()
    with ContentCache(cache_dir / "analyses.db") as cache:
        analysed = analyse_stream(root, paths, cache, workers=0, timeout_s=10, totals=totals)
        write_stream(store, "r", analysed, run_id="run", indexed_at="now", totals=totals, **kw)
    return totals


def test_every_file_once_in_bounded_chunks_then_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    paths = make_tree(root, 40)
    store = open_store(f"sqlite:///{tmp_path / 'index.db'}")
    try:
        first = run_pass(root, paths, store, tmp_path, chunk_files=8)
        assert (first.files, first.reused, first.chunks) == (40, 0, 5)
        assert sorted(store.file_states("r")) == sorted(paths)

        # a chunk also closes when its records (symbols, imports, calls, ...) reach the limit
        monkeypatch.setattr(stream, "CHUNK_RECORDS", 10)
        second = run_pass(root, paths, store, tmp_path, chunk_files=1000)
        assert second.reused == 40 and second.files == 40
        assert second.chunks > 5  # files of up to 7 functions: far fewer than 1000 per chunk
        assert sorted(store.file_states("r")) == sorted(paths)
    finally:
        store.close()


def test_a_failed_pass_removes_what_it_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    paths = make_tree(root, 12)
    store = open_store(f"sqlite:///{tmp_path / 'index.db'}")
    real = SqliteStore.write_files
    calls: list[int] = []

    def second_write_fails(self: SqliteStore, *args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SqliteStore, "write_files", second_write_fails)
    try:
        with pytest.raises(OSError, match="disk full"):
            run_pass(root, paths, store, tmp_path, chunk_files=4)
        assert store.file_states("r") == {}
    finally:
        store.close()
