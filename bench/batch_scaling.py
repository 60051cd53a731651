"""Batch scaling: one worker process against two (and in-process), on a real corpus.

    python3 -m bench.batch_scaling [corpus] [parse|full] [repeats] [suffixes]

``suffixes`` is a comma list (``py,js,html,css``: the 1,148 Django files of the CocoIndex comparison
in docs/benchmarks.md);
without it every file whose language is detected is analysed.

Wall-clock ratios are only meaningful on an otherwise idle machine, so the script also prints
each worker's CPU seconds (from /proc, Linux): if the two workers together use no more CPU than
one worker alone, and the parent's coordination CPU is small, the pool scales as far as the free
cores allow. The load average is printed next to every run for that reason.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from tests.support.corpora import CORPORA, fetch
from thread_assets.engine import batch
from thread_assets.engine.detect import detect_language

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "django"
    level = sys.argv[2] if len(sys.argv) > 2 else "parse"
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    assert name in CORPORA and level in ("parse", "full")
    root = fetch(name)
    suffixes = tuple(f".{s}" for s in sys.argv[4].split(",")) if len(sys.argv) > 4 else None
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and (p.suffix in suffixes if suffixes else detect_language(str(p)) is not None)
    )
    items = [(p.relative_to(root).as_posix(), str(p), None) for p in files]
    megabytes = sum(p.stat().st_size for p in files) / 1e6

    worker_cpu: list[list[float]] = []
    shutdown = batch._Pool._shutdown

    def recording_shutdown(pool: batch._Pool) -> None:
        worker_cpu.append([_cpu_seconds(w.proc.pid) for w in pool.workers if w.proc.pid])
        shutdown(pool)

    batch._Pool._shutdown = recording_shutdown  # type: ignore[method-assign]
    list(batch.analyze_files(items[:4], workers=2, level=level))  # start the forkserver once

    walls: dict[int, list[float]] = {0: [], 1: [], 2: []}
    print(f"{name}: {len(items)} files, {megabytes:.1f} MB, level {level}")
    for _ in range(repeats):
        for workers in (0, 1, 2):
            t0, c0 = time.perf_counter(), time.process_time()
            results = list(batch.analyze_files(items, workers=workers, level=level))
            wall, parent_cpu = time.perf_counter() - t0, time.process_time() - c0
            assert len(results) == len(items)
            walls[workers].append(wall)
            cpu = worker_cpu[-1] if workers else []
            print(
                f"  workers={workers} wall {wall:.2f}s parent cpu {parent_cpu:.2f}s "
                f"worker cpu {[round(c, 2) for c in cpu]} load {os.getloadavg()[0]:.1f}"
            )
    for workers, values in walls.items():
        print(f"workers={workers}: min {min(values):.2f}s median {statistics.median(values):.2f}s")
    print(
        f"2 vs 1 workers: {min(walls[1]) / min(walls[2]):.2f}x (min), "
        f"{statistics.median(walls[1]) / statistics.median(walls[2]):.2f}x (median)"
    )


if __name__ == "__main__":
    main()
