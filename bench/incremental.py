"""Incremental indexing, end to end (change on disk -> new rows queryable in the store).

On a copy of Django 5.2.8's django/ package (the same 1,148 files as ``bench.full_index``), with
the embedded default (SQLite store, SQLite Dagster instance), all in one run:

1. the full index (``thread index`` on an empty store and instance);
2. the sensor path: N files edited (N = 1, 10), then one sensor tick and the run it requests,
   executed in this process the way the daemon's run worker would (``tick_and_run``); the
   daemon's own scheduling latency (tick interval, run queue polling, subprocess launch) is
   configuration and is reported apart, not hidden in these numbers;
3. the watch path: a ``Watcher`` running its real watchfiles loop in a thread; N files edited;
4. watch latency: 50 single-file saves, each timed from the write to the moment a new symbol the
   edit adds is returned by ``find_symbols`` on a separate store connection: p50 / p95.

Each edited file gets a new function with a unique name; the N files of a repetition are a
seeded random sample of the package's .py files, the same samples for the sensor and the watch
path (their median size is printed). "Queryable" means ``find_symbols`` returns every new name
(polled every 2 ms from another thread).

Then the no-change sensor tick on synthetic repositories of 2,500 / 5,000 / 10,000 small Python
files (indexed first by the engine directly into the store, partitions added, graphs built once):
median of 7 ticks each, to show the cost per file stays flat.

Usage: python -m bench.incremental [--skip-django] [--skip-synthetic] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

INCLUDE = ["/django/**"]
EXCLUDE = ["*.po", "*.mo", "*.xml", "*.md", "*.svg", "*.kml", "*.txt", "*.json"]
REPEATS = 5


def _env() -> None:
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Edits:
    """Appends a uniquely named function to files and waits until the store returns them all."""

    def __init__(self, root: Path, files: list[Path], store_url: str) -> None:
        from resources.store.url import open_store

        self.root = root
        self.files = files
        self.store = open_store(store_url, apply_schema=False)
        self.counter = 0
        self.kib: list[float] = []
        """Size of each edited set before the edit (the files' sizes drive analysis and write time)."""

    def edit(self, n: int, sample: int) -> list[str]:
        """Append a new function to ``n`` files drawn at random (seeded by ``sample``, so the
        sensor and the watch path edit the same sets) and return the new names."""
        names = []
        picked = random.Random(f"thread-bench-{n}-{sample}").sample(self.files, n)
        self.kib.append(sum(p.stat().st_size for p in picked) / 1024)
        for path in picked:
            self.counter += 1
            name = f"thread_bench_marker_{self.counter}"
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(f"\n\ndef {name}():\n    return {self.counter}\n")
            names.append(name)
        return names

    def wait(self, names: list[str], started: float, timeout_s: float = 60.0) -> float:
        """Poll every 2 ms until every name is found; a name once found is not asked again, so a
        poll is one query (the poller shares this process's GIL with the updater it measures:
        asking for all ten names each time held it for about half of every 2 ms)."""
        remaining = list(names)
        while remaining:
            if self.store.find_symbols(remaining[-1], limit=1):
                remaining.pop()
                continue
            if time.perf_counter() - started > timeout_s:
                raise TimeoutError(f"{len(remaining)} of {len(names)} new symbols not queryable after {timeout_s} s")
            time.sleep(0.002)
        return time.perf_counter() - started


def _timed_in_background(action: Callable[[], Any], edits: Edits, names: list[str], started: float) -> dict[str, float]:
    """Runs ``action`` (the update) in this thread while another thread waits for the rows."""
    seen: dict[str, float] = {}

    def watch() -> None:
        seen["queryable_s"] = edits.wait(names, started)

    poller = threading.Thread(target=watch)
    poller.start()
    action()
    seen["update_returned_s"] = time.perf_counter() - started
    poller.join()
    return seen


def django(results: dict[str, Any]) -> None:
    from tests.support.corpora import fetch
    from tests.support.daemon import tick_and_run
    from thread_assets.drivers.index import index_repository
    from thread_assets.drivers.watch import Watcher
    from thread_assets.orchestration.instance import open_instance
    from thread_assets.orchestration.resources import build_resources
    from thread_assets.orchestration.updater import Updater
    from thread_assets.repo.settings import RepoSettings

    src = Path(fetch("django"))
    work = Path(tempfile.mkdtemp(prefix="thread-bench-incr-"))
    root = work / "repo"
    shutil.copytree(src, root / "django")
    store_url = f"sqlite:///{work / 'index.db'}"
    home = work / "dagster"
    try:
        with open_instance(home) as instance:
            started = time.perf_counter()
            summary = index_repository(root, store_url=store_url, instance=instance, include=INCLUDE, exclude=EXCLUDE)
            full = time.perf_counter() - started
            results["full_index"] = {"files": summary.files, "seconds": round(full, 3)}
            print(f"full index: {summary.files} files in {full:.2f} s")
            files = sorted((root / "django").rglob("*.py"))
            edits = Edits(root, files, store_url)
            resources = build_resources(
                RepoSettings.resolve(root, store_url=store_url, include=INCLUDE, exclude=EXCLUDE)
            )
            updater = Updater(instance, resources)  # the code server's loaded definitions
            tick_and_run(instance, resources, updater)  # warm: imports, job resolution
            for n in (1, 10):
                runs = []
                for rep in range(REPEATS):
                    names = edits.edit(n, sample=rep)
                    t0 = time.perf_counter()
                    runs.append(
                        _timed_in_background(lambda: tick_and_run(instance, resources, updater), edits, names, t0)
                    )
                q = statistics.median(r["queryable_s"] for r in runs)
                d = statistics.median(r["update_returned_s"] for r in runs)
                kib = statistics.median(edits.kib[-REPEATS:])
                results[f"sensor_{n}"] = {"queryable_s": round(q, 3), "run_done_s": round(d, 3), "median_kib": kib}
                print(
                    f"sensor path, {n:2d} file(s) ({kib:.0f} KiB median): queryable after {q * 1000:.0f} ms, "
                    f"run done {d * 1000:.0f} ms (median of {REPEATS}); full/incremental = {full / q:.1f}x"
                )
            reports: list[Any] = []
            watcher = Watcher(
                root,
                store_url=store_url,
                instance=instance,
                include=INCLUDE,
                exclude=EXCLUDE,
                on_batch=reports.append,
            )
            ready = threading.Event()
            thread = threading.Thread(target=watcher.run, kwargs={"ready": ready.set}, daemon=True)
            thread.start()
            if not ready.wait(120):
                raise RuntimeError("watcher did not start")

            def settle(before: int) -> None:
                """Wait for the watcher to report the batch (its run, graphs and checks included)."""
                deadline = time.monotonic() + 60
                while len(reports) <= before and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.05)

            for n in (1, 10):
                times = []
                for rep in range(REPEATS):
                    before = len(reports)
                    t0 = time.perf_counter()
                    names = edits.edit(n, sample=rep)
                    times.append(edits.wait(names, t0))
                    settle(before)
                q = statistics.median(times)
                kib = statistics.median(edits.kib[-REPEATS:])
                results[f"watch_{n}"] = {"queryable_s": round(q, 3), "median_kib": kib}
                print(
                    f"watch path,  {n:2d} file(s) ({kib:.0f} KiB median): queryable after {q * 1000:.0f} ms "
                    f"(median of {REPEATS}); full/incremental = {full / q:.1f}x"
                )
            latencies = []
            for i in range(50):
                before = len(reports)
                t0 = time.perf_counter()
                names = edits.edit(1, sample=1000 + i)
                latencies.append(edits.wait(names, t0))
                settle(before)
            watcher.stop()
            thread.join(10)
            p50, p95 = _pct(latencies, 0.5), _pct(latencies, 0.95)
            results["watch_latency"] = {
                "edits": len(latencies),
                "p50_ms": round(p50 * 1000, 1),
                "p95_ms": round(p95 * 1000, 1),
                "max_ms": round(max(latencies) * 1000, 1),
            }
            print(
                f"watch latency over {len(latencies)} saves: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                f"max {max(latencies) * 1000:.0f} ms"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _synthetic_repo(root: Path, files: int) -> None:
    for i in range(files):
        d = root / f"pkg{i // 500}" / f"mod{(i // 50) % 10}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i}.py").write_text(f"import os\n\n\ndef f{i}(x):\n    return os.path.join(str(x), '{i}')\n")


def _ticks(instance: Any, resources: dict[str, object], updater: Any, count: int = 8) -> list[float]:
    """Seconds of ``count`` sensor ticks that must find nothing to do."""
    from dagster import build_sensor_context

    from sensors.file_changes import build_file_change_sensor
    from thread_assets.orchestration.jobs import update_jobs
    from thread_assets.orchestration.scope import SINGLE

    file_change_sensor = build_file_change_sensor(SINGLE, update_jobs(SINGLE))
    times = []
    for _ in range(count):
        with build_sensor_context(
            instance=instance, instance_ref=instance.get_ref(), resources=resources, definitions=updater.defs
        ) as ctx:
            t0 = time.perf_counter()
            tick = file_change_sensor.evaluate_tick(ctx)
            times.append(time.perf_counter() - t0)
        assert not tick.run_requests, "nothing changed, nothing to run"
    return times


def synthetic(results: dict[str, Any], sizes: Sequence[int]) -> None:
    from resources.store.url import open_store
    from thread_assets.engine import analyze_files
    from thread_assets.names import GRAPHS_JOB, PARTITIONS
    from thread_assets.orchestration.instance import open_instance
    from thread_assets.orchestration.resources import build_resources
    from thread_assets.orchestration.updater import QUIET_RUN_CONFIG, Updater
    from thread_assets.repo.discover import RACY_S
    from thread_assets.repo.indexable import indexable_files
    from thread_assets.repo.partition_keys import encode_key
    from thread_assets.repo.settings import RepoSettings

    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix="thread-bench-tick-"))
        try:
            root = work / "repo"
            _synthetic_repo(root, n)
            store_url = f"sqlite:///{work / 'index.db'}"
            found = indexable_files(root)
            store = open_store(store_url)
            analyses = list(analyze_files([(f.path, f.abs_path, "python") for f in found]))
            store.write_files(root.name, analyses, {}, run_id="bench", indexed_at="bench")
            resources = build_resources(RepoSettings.resolve(root, store_url=store_url))
            with open_instance(work / "dagster") as instance:
                instance.add_dynamic_partitions(PARTITIONS, [encode_key(f.path) for f in found])
                updater = Updater(instance, resources)
                updater.job(GRAPHS_JOB).execute_in_process(instance=instance, run_config=QUIET_RUN_CONFIG)

                # the tree was written just now: no directory listing is remembered (discover's racy rule)
                fresh = _ticks(instance, resources, updater)
                time.sleep(RACY_S + 0.5)
                # the first lists every directory again, the others use the remembered listings
                settled = _ticks(instance, resources, updater)
                med = statistics.median(fresh[1:])  # the first tick hashes every file once (no memo yet)
                med_settled = statistics.median(settled[1:])
                results[f"tick_{n}"] = {
                    "files": n,
                    "first_tick_ms": round(fresh[0] * 1000, 1),
                    "median_ms": round(med * 1000, 1),
                    "us_per_file": round(med / n * 1e6, 2),
                    "settled_median_ms": round(med_settled * 1000, 1),
                    "settled_us_per_file": round(med_settled / n * 1e6, 2),
                }
                print(
                    f"no-change sensor tick, {n:6d} files: {med * 1000:.0f} ms median on the tree just written "
                    f"({med / n * 1e6:.1f} us/file; first tick with an empty stat memo {fresh[0] * 1000:.0f} ms), "
                    f"{med_settled * 1000:.0f} ms once it is {RACY_S:.0f} s old ({med_settled / n * 1e6:.1f} us/file)"
                )
            store.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-django", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--sizes", default="2500,5000,10000")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    _env()
    results: dict[str, Any] = {}
    if not args.skip_django:
        django(results)
    if not args.skip_synthetic:
        synthetic(results, [int(s) for s in args.sizes.split(",")])
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
