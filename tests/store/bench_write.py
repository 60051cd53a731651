"""Write throughput of each store on a realistic batch: every .py file of Django, analysed by the
engine, then written with write_files (whole batch, and in batches of 100 files) and the graph
with write_graph; SQLite, Postgres and a real local D1 (Miniflare, over the REST API on
loopback). Run from the repository root: ``python -m tests.store.bench_write`` (not collected by pytest)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from resources.store import open_store
from tests.support.corpora import fetch
from tests.support.miniflare import local_d1
from tests.support.postgres import throwaway_database
from thread_assets.engine import (
    RepoContext,
    analyze,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_imports,
)


def main() -> None:
    root = Path(fetch("django"))
    files = sorted(root.rglob("*.py"))
    t = time.perf_counter()
    analyses = [analyze(p.relative_to(root.parent).as_posix(), p.read_bytes()) for p in files]
    print(f"analysed {len(analyses)} files in {time.perf_counter() - t:.1f}s")
    by_path = {a.path: a for a in analyses}
    res = resolve_imports(analyses, RepoContext(files=frozenset(by_path)))
    deps = dependency_edges(res, by_path)
    graph = (res, deps, find_cycles(deps), resolve_calls(by_path, res))
    with throwaway_database("thread_bench") as pg_url, tempfile.TemporaryDirectory() as tmp, local_d1() as d1:
        os.environ.update(d1.env)
        for url in (f"sqlite:///{tmp}/bench.db", pg_url, d1.d1_url):
            store = open_store(url)
            for label, size in (
                ("first, one batch", len(analyses)),
                ("rewrite, by 100", 100),
                ("rewrite, one batch", 10**9),
            ):
                t = time.perf_counter()
                rows = sum(
                    store.write_files("django", analyses[i : i + size], run_id="bench")
                    for i in range(0, len(analyses), size)
                )
                dt = time.perf_counter() - t
                print(
                    f"{url.split(':')[0]:10} write_files {label:18} {rows} rows {dt:.2f}s {rows / dt:,.0f} rows/s"
                    + _d1_note(store)
                )
            t = time.perf_counter()
            rows = store.write_graph("django", *graph, run_id="bench")
            dt = time.perf_counter() - t
            print(
                f"{url.split(':')[0]:10} write_graph {'':18} {rows} rows {dt:.2f}s {rows / dt:,.0f} rows/s"
                + _d1_note(store)
            )
            store.close()


def _d1_note(store: object) -> str:
    report = getattr(store, "last_write", None)
    if report is None:
        return ""
    return f"  (last call: {report.batches} batch(es), {report.statements} statements, {report.bytes / 1e6:.1f} MB" + (
        ", staged)" if report.staged else ")"
    )


if __name__ == "__main__":
    main()
