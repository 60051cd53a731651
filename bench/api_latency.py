"""Symbol-lookup latency of the query API on loopback, with Django 5.2.8's index loaded.

Three targets, each a real server: ``thread serve`` over SQLite, ``thread serve`` over Postgres
(local server, a throwaway database), and the edge Worker on Miniflare's D1 (``tests/support/miniflare.py``).
Django's ``django/`` package (the files of ``bench/full_index.py``) is analysed once by the engine
and the same rows are written into the three stores (write_files + write_graph, as the Dagster
IO manager does). Then, per target, over one keep-alive HTTP connection: ``--warmup`` requests,
then ``--requests`` timed ``GET /api/symbols?name=NAME`` (exact lookup, default page of 50), NAME
cycling through a fixed sample of the index's symbol names (and qualified names). Prints
p50/p95/p99 per target in milliseconds, client-side wall time per request.

Usage: python -m bench.api_latency [--requests 1000] [--warmup 200] [--targets sqlite,postgres,worker] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import quote

import httpx

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REPO = "django"
TARGET_P95_MS = 10.0


def _index_sqlite(url: str) -> tuple[list[Any], dict[str, Any], tuple[Any, ...]]:
    """Django into SQLite through Dagster (as ``thread index`` does); returns its records, read
    back from the store, for loading the same rows into the other stores."""
    from dagster import DagsterInstance

    from bench.full_index import EXCLUDE, INCLUDE
    from resources.store.sqlbase import SqlStore
    from resources.store.url import open_store
    from tests.support.corpora import fetch
    from thread_assets.drivers.index import index_repository

    root = fetch("django").parent
    with DagsterInstance.ephemeral() as instance:
        index_repository(root, store_url=url, instance=instance, include=INCLUDE, exclude=EXCLUDE, repo_name=REPO)
    store = open_store(url, apply_schema=False)
    try:
        assert isinstance(store, SqlStore)
        return store.load_analyses(REPO), store.load_matches(REPO), store.load_graph(REPO)
    finally:
        store.close()


def _load(store_url: str, analyses: list[Any], matches: dict[str, Any], graph: tuple[Any, ...]) -> float:
    from resources.store.url import open_store

    t0 = time.perf_counter()
    store = open_store(store_url)
    try:
        store.write_files(REPO, analyses, matches, run_id="bench", indexed_at="bench")
        store.write_graph(REPO, *graph, run_id="bench")
    finally:
        store.close()
    return time.perf_counter() - t0


@contextmanager
def _postgres() -> Iterator[str]:
    import psycopg

    name = f"thread_bench_api_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name made here, not from input
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _names(analyses: list[Any], count: int) -> list[str]:
    names = sorted(
        {s.name for a in analyses for s in a.symbols} | {s.qualified_name for a in analyses for s in a.symbols}
    )
    return random.Random(42).sample(names, min(count, len(names)))


def measure(base: str, names: list[str], requests: int, warmup: int) -> dict[str, Any]:
    urls = [f"{base}/api/symbols?name={quote(n, safe='')}" for n in names]
    times: list[float] = []
    found = 0
    with httpx.Client(timeout=30) as client:
        for i in range(warmup + requests):
            url = urls[i % len(urls)]
            t0 = time.perf_counter()
            r = client.get(url)
            dt = time.perf_counter() - t0
            if r.status_code != 200:
                raise RuntimeError(f"{url}: {r.status_code} {r.text[:200]}")
            if i >= warmup:
                times.append(dt * 1000)
                found += bool(r.json()["items"])
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests": len(times),
        "hits": found,
        "p50_ms": round(q[49], 2),
        "p95_ms": round(q[94], 2),
        "p99_ms": round(q[98], 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "max_ms": round(max(times), 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--names", type=int, default=500, help="distinct names to cycle through")
    ap.add_argument("--targets", default="sqlite,postgres,worker")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    wanted = args.targets.split(",")
    from tests.api.conftest import serve
    from tests.support.miniflare import local_d1

    results: dict[str, Any] = {}
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="thread_api_bench_") as work:
        t0 = time.perf_counter()
        sqlite_url = f"sqlite:///{work}/index.db"
        analyses, matches, graph = _index_sqlite(sqlite_url)
        print(
            f"indexed {len(analyses)} Django files through Dagster in {time.perf_counter() - t0:.1f} s", file=sys.stderr
        )
        names = _names(analyses, args.names)
        bases: dict[str, str] = {}
        if "sqlite" in wanted:
            bases["sqlite"] = stack.enter_context(serve(sqlite_url))
        if "postgres" in wanted:
            url = stack.enter_context(_postgres())
            print(f"postgres: loaded in {_load(url, analyses, matches, graph):.1f} s", file=sys.stderr)
            bases["postgres"] = stack.enter_context(serve(url))
        if "worker" in wanted:
            d1 = stack.enter_context(local_d1())
            stack.enter_context(_environ(d1.env))
            print(f"worker: D1 loaded in {_load(d1.d1_url, analyses, matches, graph):.1f} s", file=sys.stderr)
            assert d1.api_url, "the Miniflare harness mounted no API Worker"
            bases["worker"] = d1.api_url
        for name, base in bases.items():
            results[name] = measure(base, names, args.requests, args.warmup)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"GET /api/symbols?name=NAME, {args.requests} requests after {args.warmup} warm-up, loopback, one connection")
    print(f"{'target':<28} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'mean ms':>8} {'max ms':>7} {'hits':>5}")
    label = {
        "sqlite": "thread serve / SQLite",
        "postgres": "thread serve / Postgres",
        "worker": "Worker / Miniflare D1",
    }
    for name, r in results.items():
        print(
            f"{label[name]:<28} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p99_ms']:>7} {r['mean_ms']:>8} "
            f"{r['max_ms']:>7} {r['hits']:>5}"
        )
    print(f"target: p95 under {TARGET_P95_MS:g} ms for every target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
