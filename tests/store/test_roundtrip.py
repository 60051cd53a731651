"""Every field of every record survives a write and a read, exactly, in every store."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources.store.sqlbase import SqlStore
from tests.support.store_strategies import (
    analyses,
    batches,
    call_edges,
    cycles,
    dep_edges,
    paths,
    pattern_matches,
    resolutions,
)
from thread_assets.engine import FileAnalysis

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _repo() -> str:
    return f"repo-{uuid.uuid4().hex[:8]}"


@SETTINGS
@given(batch=batches(), replacement=batches())
def test_analyses_round_trip_and_replace(
    store: SqlStore, batch: list[FileAnalysis], replacement: list[FileAnalysis]
) -> None:
    repo = _repo()
    store.write_files(repo, batch, run_id="run-1", indexed_at="2026-11-24T10:00:00Z")
    assert store.load_analyses(repo) == sorted(batch, key=lambda a: a.path)
    # a second batch replaces its own paths wholesale and leaves the others alone
    store.write_files(repo, replacement, run_id="run-2")
    expected = {a.path: a for a in batch} | {a.path: a for a in replacement}
    assert store.load_analyses(repo) == [expected[p] for p in sorted(expected)]
    some = sorted(expected)[::2]
    assert store.load_analyses(repo, some) == [expected[p] for p in some]
    states = store.file_states(repo)
    assert sorted(states) == sorted(expected)
    for p, s in states.items():
        assert (s.content_hash, s.size_bytes, s.language, s.status) == (
            expected[p].content_hash,
            expected[p].size_bytes,
            expected[p].language,
            expected[p].status,
        )


@SETTINGS
@given(
    data=st.lists(st.tuples(paths, st.lists(pattern_matches, max_size=4)), max_size=4, unique_by=lambda t: t[0]),
)
def test_pattern_matches_round_trip(store: SqlStore, data: list) -> None:
    repo = _repo()
    matches = dict(data)
    file_analyses = [FileAnalysis(path=p, language="python", status="ok") for p in matches]
    store.write_files(repo, file_analyses, matches)
    assert store.load_matches(repo) == {p: ms for p, ms in matches.items() if ms}


@SETTINGS
@given(
    res=st.lists(resolutions, max_size=6, unique_by=lambda r: (r.importer, r.index)),
    deps=st.lists(dep_edges, max_size=6, unique_by=lambda d: (d.source, d.external, d.target)),
    cyc=st.lists(cycles, max_size=3),
    edges=st.lists(call_edges, max_size=6),
)
def test_graph_round_trip(store: SqlStore, res: list, deps: list, cyc: list, edges: list) -> None:
    repo = _repo()
    store.write_graph(repo, res, deps, cyc, edges, run_id="run-1")
    loaded = store.load_graph(repo)
    assert loaded[0] == sorted(res, key=lambda r: (r.importer, r.index))
    assert loaded[1] == sorted(deps, key=lambda d: (d.source, d.external, d.target))
    assert loaded[2] == cyc
    assert loaded[3] == sorted(edges, key=lambda e: e.path)  # stable: file order kept within a path
    # write_graph replaces the repository's graph wholesale
    store.write_graph(repo, [], [], [], [])
    assert store.load_graph(repo) == ([], [], [], [])


@settings(max_examples=15, deadline=None)
@given(analysis=paths.flatmap(analyses))
def test_stores_export_identical_rows(
    sqlite_store: SqlStore, pg_store: SqlStore, d1_store: SqlStore, analysis: FileAnalysis
) -> None:
    repo = _repo()
    for s in (sqlite_store, pg_store, d1_store):
        s.write_files(repo, [analysis], run_id="r", indexed_at="t")
    for table in ("files", "symbols", "imports", "calls"):
        rows = list(sqlite_store.export(table, repo=repo))
        assert rows == list(pg_store.export(table, repo=repo))
        assert rows == list(d1_store.export(table, repo=repo))
