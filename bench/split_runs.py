"""Updates split into runs of bounded size, on Django 5.2.8's django/ package (1,148 files, the
selection of bench/full_index.py):

- ``inprocess``: a first ``thread index`` (SQLite store, SQLite instance, no content cache) in a
  fresh process per run size: wall time, runs, and the peak RSS of the process that executes the
  runs (``VmHWM``; the analysis workers are separate processes, and the per-file step of a run
  holds its range's analyses in this one), for choosing the default run size;
- ``daemon``: a first index under a real ``dagster-daemon`` (Postgres instance, Postgres store,
  the file-change sensor) split at ``--run-size``, once per ``max_concurrent_runs`` value: time from
  the daemon's start to the graphs run's end, the range runs' total time, and how many ran at
  once. Each run's analysis pool has ``--workers`` processes.

Usage:
    python -m bench.split_runs inprocess --sizes 250,500,1000,100000 [--workers 2] [--copies 1]
    python -m bench.split_runs overhead [--modules 57 --run-size 10 --trials 2]
    python -m bench.split_runs daemon --run-size 300 --concurrent 1,2 [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

INCLUDE = "/django/**"
EXCLUDE = "*.po,*.mo,*.xml,*.md,*.svg,*.kml,*.txt,*.json"
ROOT = Path(__file__).resolve().parents[1]


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def django_tree(root: Path, copies: int) -> list[str]:
    """Django's package at ``root`` (``copies`` 1), or that many copies of it side by side
    (``root/c0/django``, ``root/c1/django``, ...: a larger repository of the same code); the
    include globs that select it."""
    from tests.support.corpora import fetch

    source = fetch("django").parent
    if copies == 1:
        shutil.copytree(source, root)
        return INCLUDE.split(",")
    for i in range(copies):
        shutil.copytree(source, root / f"c{i}")
    return [f"/c{i}{INCLUDE}" for i in range(copies)]


def one_inprocess(run_size: int, workers: int, copies: int) -> dict[str, Any]:
    """In this (fresh) process: a first index of a copy of Django split at ``run_size``."""
    from thread_assets.drivers.index import index_repository

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "django"
        include = django_tree(root, copies)
        started = time.perf_counter()
        summary = index_repository(
            root,
            store_url=f"sqlite:///{Path(tmp) / 'index.db'}",
            cache_dir="none",
            workers=workers,
            run_size=run_size,
            include=include,
            exclude=EXCLUDE.split(","),
        )
        seconds = time.perf_counter() - started
    return {
        "run_size": run_size,
        "copies": copies,
        "files": summary.analysed,
        "runs": len(summary.runs),
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(_peak_rss_mb()),
    }


def inprocess(sizes: list[int], workers: int, copies: int) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.split_runs", "_one", str(size), str(workers), str(copies)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    return rows


def overhead(modules: int, run_size: int, trials: int) -> list[dict[str, Any]]:
    """A run's fixed cost: ``thread index`` of a generated tree of small files (the split tests'
    tree) as one run and split at ``run_size``, alternately, each in a fresh process."""
    from tests.dagster.test_split_runs import write_tree

    rows = []
    for _ in range(trials):
        for size in (100_000, run_size):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp) / "tree"
                files = len(write_tree(root, modules=modules))
                env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "THREAD_CACHE_DIR": "none"}
                command = [sys.executable, "-m", "thread_assets.cli", "index", str(root), "--json"]
                command += ["--workers", "1", "--run-size", str(size)]
                proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
                summary = json.loads(proc.stdout)
                rows.append(
                    {"files": files, "run_size": size, "runs": len(summary["runs"]), "seconds": summary["seconds"]}
                )
                print(json.dumps(rows[-1]), flush=True)
    return rows


def daemon(run_size: int, concurrency: list[int], workers: int) -> list[dict[str, Any]]:
    from tests.support.corpora import fetch
    from tests.support.daemon_process import (
        daemon_env,
        most_at_once,
        postgres_instance,
        run_windows,
        running_daemon,
        wait_for_graphs,
    )
    from tests.support.postgres import throwaway_database
    from thread_assets.orchestration.scope import SINGLE

    rows = []
    for runs in concurrency:
        with (
            tempfile.TemporaryDirectory() as tmp,
            throwaway_database("bench_dagster") as instance_url,
            throwaway_database("bench_store") as store_url,
        ):
            root = Path(tmp) / "django"
            shutil.copytree(fetch("django").parent, root)
            home = postgres_instance(Path(tmp) / "dagster", instance_url, max_concurrent_runs=runs)
            env = daemon_env(
                home,
                root,
                store_url,
                THREAD_RUN_SIZE=str(run_size),
                THREAD_WORKERS=str(workers),
                THREAD_CACHE_DIR="none",
                THREAD_INCLUDE=INCLUDE,
                THREAD_EXCLUDE=EXCLUDE,
            )
            log = Path(tmp) / "daemon.log"
            started = time.time()
            with running_daemon(env, log):
                update = wait_for_graphs(home, SINGLE.graphs_job, timeout_s=3600, log=log)
            ranges = [r for r in update.runs if r.dagster_run.job_name == SINGLE.files_job]
            graphs = [r for r in update.runs if r.dagster_run.job_name == SINGLE.graphs_job]
            windows = run_windows(ranges)
            first_start = min(s for s, _ in windows)
            last_end = max(e for _, e in windows)
            end = max(e for _, e in run_windows(graphs))
            row = {
                "max_concurrent_runs": runs,
                "run_size": run_size,
                "workers_per_run": workers,
                "range_runs": len(ranges),
                "most_at_once": most_at_once(windows),
                "ranges_seconds": round(last_end - first_start, 1),
                "each_range_seconds": [round(e - s, 1) for s, e in windows],
                "graphs_seconds": round(end - max(s for s, _ in run_windows(graphs)), 1),
                "daemon_start_to_graphs_end_seconds": round(end - started, 1),
            }
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    one = sub.add_parser("_one")
    one.add_argument("size", type=int)
    one.add_argument("workers", type=int)
    one.add_argument("copies", type=int)
    ip = sub.add_parser("inprocess")
    ip.add_argument("--sizes", default="250,500,1000,100000")
    ip.add_argument("--workers", type=int, default=2)
    ip.add_argument("--copies", type=int, default=1, help="copies of Django's package side by side")
    oh = sub.add_parser("overhead")
    oh.add_argument("--modules", type=int, default=57)
    oh.add_argument("--run-size", type=int, default=10)
    oh.add_argument("--trials", type=int, default=2)
    dm = sub.add_parser("daemon")
    dm.add_argument("--run-size", type=int, default=300)
    dm.add_argument("--concurrent", default="1,2")
    dm.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if args.mode == "_one":
        print(json.dumps(one_inprocess(args.size, args.workers, args.copies)))
    elif args.mode == "overhead":
        overhead(args.modules, args.run_size, args.trials)
    elif args.mode == "inprocess":
        inprocess([int(s) for s in args.sizes.split(",")], args.workers, args.copies)
    else:
        daemon(args.run_size, [int(c) for c in args.concurrent.split(",")], args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
