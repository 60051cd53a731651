"""SQLite, Postgres and Cloudflare D1 (a real local one, Miniflare) give the same answers on a real
repository: a slice of Django (db and utils) analysed by the engine, with resolved imports,
dependency edges, cycles, call edges and pattern matches, written to every store; every query and
every table export must be equal."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from resources.store import TABLES
from resources.store.sqlbase import SqlStore
from thread_assets.engine import (
    FileAnalysis,
    RepoContext,
    analyze,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_hierarchy,
    resolve_imports,
)
from thread_assets.engine.patterns import default_rules, run_rules

pytestmark = pytest.mark.corpus
REPO = "django-slice"


@pytest.fixture(scope="module")
def others(pg_store: SqlStore, d1_store: SqlStore) -> list[SqlStore]:
    """The stores that must answer exactly like SQLite."""
    return [pg_store, d1_store]


@pytest.fixture(scope="module")
def indexed(sqlite_store: SqlStore, others: list[SqlStore]) -> dict[str, FileAnalysis]:
    from tests.support.corpora import fetch

    root = Path(fetch("django"))
    files = sorted(p for d in ("db", "utils") for p in (root / d).rglob("*.py"))
    sources = {p.relative_to(root.parent).as_posix(): p.read_bytes() for p in files}
    analyses = {path: analyze(path, src) for path, src in sources.items()}
    rules = default_rules()
    matches = {p: run_rules(sources[p], "python", rules) for p in sources}
    resolutions = resolve_imports(analyses.values(), RepoContext(files=frozenset(analyses)))
    deps = dependency_edges(resolutions, analyses)
    cycles = find_cycles(deps)
    hierarchy = resolve_hierarchy(analyses, resolutions)
    edges = resolve_calls(analyses, resolutions, hierarchy=hierarchy)
    for store in (sqlite_store, *others):
        started = time.perf_counter()
        batch = list(analyses.values())
        # two batches, the second one rewriting a file of the first: replacement must not duplicate
        store.write_files(
            REPO, batch[:100], {p: matches[p] for p in list(analyses)[:100]}, run_id="r1", indexed_at="t1"
        )
        store.write_files(REPO, batch[99:], {p: matches[p] for p in list(analyses)[99:]}, run_id="r1", indexed_at="t1")
        store.write_graph(REPO, resolutions, deps, cycles, edges, run_id="r1", hierarchy=hierarchy)
        took = time.perf_counter() - started
        print(f"{store.url.split(':')[0]}: wrote {len(batch)} files and the graph in {took:.2f} s")
    assert cycles and sum(1 for e in edges if e.target) > 1000 and any(matches.values())
    return analyses


def test_every_table_exports_identically(indexed: dict, sqlite_store: SqlStore, others: list[SqlStore]) -> None:
    for table in TABLES:
        rows = list(sqlite_store.export(table, repo=REPO))
        assert rows, table
        for other in others:
            assert rows == list(other.export(table)), (other.url, table)


def test_stats_agree_with_each_other_and_the_engine(
    indexed: dict, sqlite_store: SqlStore, others: list[SqlStore]
) -> None:
    stats = sqlite_store.stats(repo=REPO)
    for other in others:
        assert stats == other.stats(repo=REPO), other.url
    assert stats["files"] == len(indexed)
    assert stats["symbols"] == sum(len(a.symbols) for a in indexed.values())
    assert stats["calls"] == stats["call_resolution"]["total"] == sum(len(a.calls) for a in indexed.values())
    assert stats["unused_imports"] == sum(not i.used for a in indexed.values() for i in a.imports)
    assert stats["cycles"] > 0 and 0 < stats["call_resolution"]["ratio"] < 1


def test_symbol_queries_agree(indexed: dict, sqlite_store: SqlStore, others: list[SqlStore]) -> None:
    names = Counter(s.name for a in indexed.values() for s in a.symbols)
    qualified = sorted({s.qualified_name for a in indexed.values() for s in a.symbols if "." in s.qualified_name})
    probes = [n for n, _ in names.most_common(15)] + sorted(names)[::97] + qualified[::151] + ["no_such_symbol"]
    for name in probes:
        a = sqlite_store.find_symbols(name, repo=REPO, limit=500)
        for other in others:
            assert a == other.find_symbols(name, repo=REPO, limit=500), (other.url, name)
        if name != "no_such_symbol":
            assert a and all(name in (r["name"], r["qualified_name"]) for r in a)
    for prefix in ("get", "Query", "_", "__init__", "as_", "Z", "é"):
        for kwargs in ({}, {"kind": "method"}, {"language": "python", "limit": 7, "offset": 3}):
            a = sqlite_store.find_symbols(prefix, prefix=True, repo=REPO, **kwargs)
            for other in others:
                assert a == other.find_symbols(prefix, prefix=True, **kwargs), (other.url, prefix, kwargs)
    for text in ("queryset", "QUERY", "db", "x", "_", "%", "lazy object", "é", "Returns the"):
        a = sqlite_store.search_symbols(text, limit=40)
        for other in others:
            assert a == other.search_symbols(text, repo=REPO, limit=40), (other.url, text)
    assert sqlite_store.search_symbols("queryset", limit=3)[0]["name"].lower() == "queryset"


def test_call_and_dependency_queries_agree(indexed: dict, sqlite_store: SqlStore, others: list[SqlStore]) -> None:
    targets = Counter(e["target"] for e in sqlite_store.export("call_edges") if e["target"])
    probes = [t for t, _ in targets.most_common(8)] + ["QuerySet.filter", "filter", "force_str", "Query"]
    for symbol in probes:
        a = sqlite_store.callers(symbol, repo=REPO)
        assert a, symbol
        b = sqlite_store.callees(symbol)
        for other in others:
            assert a == other.callers(symbol), (other.url, symbol)
            assert b == other.callees(symbol, repo=REPO), (other.url, symbol)
    assert sqlite_store.callees("QuerySet.filter")
    for path in [*sorted(indexed)[::9], "django/db/models/__init__.py"]:
        for direction in ("out", "in", "both"):
            a = sqlite_store.deps(path, direction=direction)
            for other in others:
                assert a == other.deps(path, repo=REPO, direction=direction), (other.url, path, direction)
    assert sqlite_store.deps("django/db/models/__init__.py", direction="in")
    cycles = sqlite_store.cycles(repo=REPO)
    assert cycles
    for other in others:
        assert cycles == other.cycles(), other.url
