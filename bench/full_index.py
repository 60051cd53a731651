"""Index Django 5.2.8's django/ package (1,148 .py/.js/.html/.css files) through Dagster, once
per configuration, each in a fresh process:

1. SQLite store + SQLite Dagster instance (the embedded default);
2. Postgres store + Postgres Dagster instance (dagster-postgres, ``DAGSTER_EVENT_BATCH_SIZE=1000``).

For each it prints total wall time of the index, the engine-only time for the same files measured
in the same process just before (analysis in the process pool, pattern rules, import resolution,
graphs), the store's own write time measured the same way, Dagster bookkeeping (the rest), rows
written, and the peak RSS of the run process (the pool's workers are separate processes; their
peak is printed too).

Usage: python -m bench.full_index [--config sqlite|postgres|both] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

INCLUDE = ["/django/**"]
EXCLUDE = ["*.po", "*.mo", "*.xml", "*.md", "*.svg", "*.kml", "*.txt", "*.json"]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _engine_only(root: Path, store_url: str) -> dict[str, float]:
    from resources.store.url import open_store
    from thread_assets.engine import (
        RepoContext,
        dependency_edges,
        find_cycles,
        resolve_calls,
        resolve_imports,
    )
    from thread_assets.orchestration.graphs import config_reader
    from thread_assets.orchestration.per_file import analyse_with_cache
    from thread_assets.repo.indexable import indexable_files

    found = indexable_files(root, include=INCLUDE, exclude=EXCLUDE)
    t0 = time.perf_counter()
    from thread_assets.engine.content_cache import ContentCache

    # no content cache: the engine's own cost, every file parsed
    analyses, matches, _ = analyse_with_cache(
        root, [f.path for f in found], ContentCache(None), workers=None, timeout_s=10
    )
    res = resolve_imports(analyses, RepoContext(files=frozenset(a.path for a in analyses), read=config_reader(root)))
    edges = dependency_edges(res, {a.path: a for a in analyses})
    cycles = find_cycles(edges)
    calls = resolve_calls(analyses, res)
    t1 = time.perf_counter()
    store = open_store(store_url)
    t2 = time.perf_counter()
    store.write_files("engine-only", analyses, matches, run_id="bench", indexed_at="bench")
    store.write_graph("engine-only", res, edges, cycles, calls, run_id="bench")
    t3 = time.perf_counter()
    store.delete_files("engine-only", [a.path for a in analyses])
    store.close()
    return {"files": len(found), "engine_s": t1 - t0, "store_write_s": t3 - t2}


def _rows(store_url: str, repo: str) -> int:
    from resources.store.base import TABLES
    from resources.store.url import open_store

    store = open_store(store_url)
    try:
        return sum(sum(1 for _ in store.export(t, repo=repo)) for t in TABLES)
    finally:
        store.close()


def run_one(config: str) -> dict[str, Any]:
    """Runs in its own process (see main), so the RSS numbers are this configuration's alone."""
    from tests.support.corpora import fetch
    from thread_assets.drivers.index import index_repository
    from thread_assets.orchestration.instance import open_instance

    root = fetch("django").parent
    work = Path(tempfile.mkdtemp(prefix="thread_full_index_"))
    dbs: list[str] = []
    if config == "postgres":
        import psycopg

        dbs = [f"thread_bench_store_{uuid.uuid4().hex[:8]}", f"thread_bench_dagster_{uuid.uuid4().hex[:8]}"]
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for db in dbs:
                conn.execute(f'CREATE DATABASE "{db}"')  # names made here, not from input
        store_url = f"postgresql://postgres@127.0.0.1:5432/{dbs[0]}"
        (work / "dagster").mkdir()
        (work / "dagster" / "dagster.yaml").write_text(
            "storage:\n  postgres:\n    postgres_url: "
            f"postgresql+psycopg2://postgres@127.0.0.1:5432/{dbs[1]}\ntelemetry:\n  enabled: false\n"
        )
        os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")
    else:
        store_url = f"sqlite:///{work / 'index.db'}"
    try:
        engine = _engine_only(root, store_url)
        t0 = time.perf_counter()
        with open_instance(work / "dagster") as instance:
            summary = index_repository(root, store_url=store_url, instance=instance, include=INCLUDE, exclude=EXCLUDE)
        total = time.perf_counter() - t0
        rows = _rows(store_url, summary.repo)
    finally:
        if dbs:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                for db in dbs:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return {
        "config": config,
        "files": summary.files,
        "runs": len(summary.runs),
        "total_s": round(total, 2),
        "engine_s": round(engine["engine_s"], 2),
        "store_write_s": round(engine["store_write_s"], 2),
        "dagster_bookkeeping_s": round(total - engine["engine_s"] - engine["store_write_s"], 2),
        "total_over_engine": round(total / engine["engine_s"], 2),
        "rows_written": rows,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "env": {k: v for k, v in os.environ.items() if k.startswith("DAGSTER_E")},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    configs = ["sqlite", "postgres"] if args.config == "both" else [args.config]
    results = []
    for config in configs:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.full_index", "--one", config],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        )
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return proc.returncode
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(
        f"{'config':<9} {'files':>5} {'runs':>4} {'total s':>8} {'engine s':>8} {'store s':>7} "
        f"{'dagster s':>9} {'total/engine':>12} {'rows':>8} {'RSS MB':>7} {'workers MB':>10}"
    )
    for r in results:
        print(
            f"{r['config']:<9} {r['files']:>5} {r['runs']:>4} {r['total_s']:>8} {r['engine_s']:>8} "
            f"{r['store_write_s']:>7} {r['dagster_bookkeeping_s']:>9} {r['total_over_engine']:>11}x "
            f"{r['rows_written']:>8} {r['peak_rss_mb']:>7} {r['workers_peak_rss_mb']:>10}"
        )
    print("targets: total within 2x of engine-only; peak RSS under 500 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
