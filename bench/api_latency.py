"""Symbol-lookup latency of the query API on loopback, with Django 5.2.8's index loaded.

Three targets, each a real server: ``thread serve`` over SQLite, ``thread serve`` over Postgres
(local server, a throwaway database), and the edge Worker on Miniflare's D1 (``tests/support/miniflare.py``).
Django's ``django/`` package (the files of ``bench/full_index.py``) is analysed once by the engine
and the same rows are written into the three stores (write_files + write_graph, as the Dagster
IO manager does). Then, per target, over one keep-alive HTTP connection: ``--warmup`` requests,
then ``--requests`` timed ``GET /api/symbols?name=NAME`` (exact lookup, default page of 50), NAME
cycling through a fixed sample of the index's symbol names (and qualified names). Prints
p50/p95/p99 per target in milliseconds, client-side wall time per request.

Then on-demand analysis, ``POST /api/analyze`` (``--analyze-requests`` timed after
``--analyze-warmup``), on two bodies of real code from the same Django tree: the Python file whose
length is nearest 200 lines, and the 10 files of ``django/utils/`` nearest 200 lines each (sent
together, so their imports and calls resolve). Targets: ``thread serve`` (the SQLite one; with
``--targets ''``, no symbol lookup and no index: ``thread serve --analyze-only``, as analysis reads
no store) and the edge Worker on Miniflare forwarding to it (``ANALYZE_ORIGIN``). The server's
defaults: parser workers kept warm between requests, one per CPU.

Usage: python -m bench.api_latency [--requests 1000] [--warmup 200] [--targets sqlite,postgres,worker|'']
                                   [--analyze-requests 200] [--analyze-warmup 20] [--json]
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
from pathlib import Path
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


def analyze_bodies(root: Path) -> dict[str, bytes]:
    """The two request bodies, from Django's sources on disk: the ``.py`` file nearest 200 lines,
    and the ten of ``django/utils/`` nearest 200 lines each."""
    texts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in (root / "django").rglob("*.py")}

    def nearest(paths: list[str]) -> list[str]:
        return sorted(paths, key=lambda p: (abs(texts[p].count("\n") - 200), p))

    one = nearest(list(texts))[:1]
    ten = nearest([p for p in texts if p.startswith("django/utils/")])[:10]

    def body(chosen: list[str]) -> tuple[str, bytes]:
        lines = sum(texts[p].count("\n") for p in chosen)
        name = f"{len(chosen)} file{'s' if len(chosen) > 1 else ''} ({lines} lines)"
        return name, json.dumps({"files": [{"path": p, "content": texts[p]} for p in chosen]}).encode()

    return dict(body(chosen) for chosen in (one, ten))


def measure_analyze(base: str, body: bytes, requests: int, warmup: int) -> dict[str, Any]:
    times: list[float] = []
    with httpx.Client(timeout=120) as client:
        for i in range(warmup + requests):
            t0 = time.perf_counter()
            r = client.post(base + "/api/analyze", content=body, headers={"content-type": "application/json"})
            dt = time.perf_counter() - t0
            bad = (
                []
                if r.status_code != 200
                else [(f["path"], f["reason"]) for f in r.json()["files"] if f["status"] != "ok"]
            )
            if r.status_code != 200 or bad:
                raise RuntimeError(f"/api/analyze: {r.status_code} {bad or r.text[:300]}")
            if i >= warmup:
                times.append(dt * 1000)
    return _quantiles(times)


def _quantiles(times: list[float]) -> dict[str, Any]:
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests": len(times),
        "p50_ms": round(q[49], 2),
        "p95_ms": round(q[94], 2),
        "p99_ms": round(q[98], 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "max_ms": round(max(times), 2),
    }


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
    return {**_quantiles(times), "hits": found}


@contextmanager
def _analyze_only(cwd: Path) -> Iterator[str]:
    from tests.api.test_analyze import analyze_only

    with analyze_only(cwd) as base:
        yield base


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--names", type=int, default=500, help="distinct names to cycle through")
    ap.add_argument("--targets", default="sqlite,postgres,worker", help="of the symbol lookup ('': analysis only)")
    ap.add_argument("--analyze-requests", type=int, default=200, help="timed POST /api/analyze per body (0: none)")
    ap.add_argument("--analyze-warmup", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    wanted = [t for t in args.targets.split(",") if t]
    from tests.api.conftest import serve, token_worker
    from tests.support.corpora import fetch
    from tests.support.miniflare import local_d1

    results: dict[str, Any] = {}
    analyzed: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="thread_api_bench_") as work:
        bases: dict[str, str] = {}
        if wanted:
            t0 = time.perf_counter()
            sqlite_url = f"sqlite:///{work}/index.db"
            analyses, matches, graph = _index_sqlite(sqlite_url)
            seconds = time.perf_counter() - t0
            print(f"indexed {len(analyses)} Django files through Dagster in {seconds:.1f} s", file=sys.stderr)
            names = _names(analyses, args.names)
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
        if args.analyze_requests:
            # the SQLite server when there is one, else a server with no index (analysis reads none)
            origin = bases.get("sqlite") or stack.enter_context(_analyze_only(Path(work)))
            worker = token_worker(Path(work) / "worker", None, ANALYZE_ORIGIN=origin)
            forwarding = stack.enter_context(local_d1(api_script=worker))
            assert forwarding.api_url, "the Miniflare harness mounted no API Worker"
            for body_name, body in analyze_bodies(fetch("django").parent).items():
                for name, base in (("sqlite", origin), ("worker", forwarding.api_url)):
                    result = measure_analyze(base, body, args.analyze_requests, args.analyze_warmup)
                    analyzed.setdefault(body_name, {})[name] = result
    if args.json:
        print(json.dumps({"symbols": results, "analyze": analyzed}, indent=1))
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
    if analyzed:
        print(
            f"\nPOST /api/analyze, {args.analyze_requests} requests after {args.analyze_warmup} warm-up, one connection"
        )
        print(f"{'body':<26} {'target':<32} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'mean ms':>8} {'max ms':>7}")
        via = {"sqlite": "thread serve", "worker": "Worker (Miniflare) -> thread serve"}
        for body_name, by_target in analyzed.items():
            for name, r in by_target.items():
                print(
                    f"{body_name:<26} {via[name]:<32} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p99_ms']:>7} "
                    f"{r['mean_ms']:>8} {r['max_ms']:>7}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
