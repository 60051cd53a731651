"""Thread and CocoIndex 1.0 at scale, side by side, each run from the shell as a user runs it.

Work items (their files: bench/scale_trees.py):

- ``django``: Django 5.2.8's ``django/`` package, its .py/.js/.html/.css files;
- ``kernel``: Linux 6.1's ``fs/ net/ kernel/ mm/ include/``, their .c/.h/.S/.py/.sh files;
- ``linux``: the whole Linux 6.1 tree, every file (Thread only), then the Dagster UI's
  partition query on the index (bench/scale_ui.py).

For each tool and work item, on a fresh hard-linked copy of the files with an empty store: a
full index, the same command again with nothing changed, and again after 10 files (picked with
``--seed``, the same for both tools) were edited. Each step prints wall time, CPU time, the peak
resident memory of the largest process of the tool's process tree and the highest total of the
tree (bench/scale_measure.py), rows in the tool's tables, symbols among them, the store's size
(Thread's SQLite file, CocoIndex's Postgres database), the size of the rest of each tool's state
(Thread's Dagster instance and analysis cache, CocoIndex's LMDB) and the files Thread says it
analysed. With ``--runs N`` each number is the median of N runs (on fresh copies).

Usage: python -m bench.scale [--only django|kernel|linux ...] [--skip-coco] [--runs N]
                             [--workers N] [--seed S] [--ui ITEM ... | --no-ui] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.scale_tools import Session, clean_env, coco_session, thread_session
from bench.scale_trees import FILE_SETS, edit_files, tree_of, work_copy
from bench.scale_ui import UiTiming, time_partitions
from tests.support.corpora import cache_root

ITEMS = ("django", "kernel", "linux")
THREAD_ONLY = {"linux"}
STEPS = ("full", "no-change", "10 files")
EDITED = 10


@dataclass(frozen=True)
class StepResult:
    item: str
    tool: str
    step: str
    files: int
    wall_s: float
    cpu_s: float
    largest_mb: float
    tree_mb: float
    processes: int
    rows: int
    symbols: int
    store_mb: float
    state_mb: float
    analysed: int | None
    table_rows: dict[str, int]


def work_root() -> Path:
    """Where the copies go: next to the corpora (hard links need the same file system)."""
    return Path(os.environ.get("THREAD_SCALE_WORK", cache_root().parent / "scale-runs"))


def _session(tool: str, copy: Path, workers: int | None) -> AbstractContextManager[Session]:
    return thread_session(copy, workers) if tool == "thread" else coco_session(copy)


def run_tool(
    item: str,
    tool: str,
    tree: Path,
    *,
    seed: int,
    edit: tuple[str, ...] = (),
    workers: int | None = None,
    ui: bool = False,
) -> tuple[list[StepResult], UiTiming | None]:
    """The three steps of one tool on a fresh copy of ``tree`` (the update edits files of the
    ``edit`` suffixes, or any); with ``ui``, then the UI timing."""
    work_root().mkdir(parents=True, exist_ok=True)
    where = Path(tempfile.mkdtemp(prefix=f"{item}-{tool}-", dir=work_root()))
    results: list[StepResult] = []
    timing = None
    try:
        copy, files = work_copy(tree, where)
        with _session(tool, copy, workers) as session:
            for step in STEPS:
                if step == "10 files":
                    edit_files(copy, EDITED, seed, tag=f"seed {seed}", suffixes=edit)
                m = session.run()
                rows = session.rows()
                symbols = rows.get("symbols", rows.get("coco_symbols", 0))
                results.append(
                    StepResult(
                        item, tool, step, files, m.wall_s, m.cpu_s, m.largest_mb, m.tree_mb, m.processes,
                        sum(rows.values()), symbols, session.store_mb(), session.state_mb(),
                        session.analysed(), rows,
                    )
                )  # fmt: skip
            if ui:
                timing = time_partitions(copy, clean_env())
    finally:
        shutil.rmtree(where, ignore_errors=True)
    return results, timing


def median_of(runs: list[StepResult]) -> StepResult:
    """Each number the median over the runs (the table rows of the first run)."""
    first = runs[0]
    fields: dict[str, Any] = {}
    numbers = ("wall_s", "cpu_s", "largest_mb", "tree_mb", "processes", "rows", "symbols", "store_mb", "state_mb")
    for name in numbers:
        fields[name] = statistics.median(getattr(r, name) for r in runs)
    return StepResult(
        first.item, first.tool, first.step, first.files, analysed=first.analysed, table_rows=first.table_rows, **fields
    )


def _cells(r: StepResult | None, thread: bool) -> list[str]:
    if r is None:
        return ["-"] * (9 if thread else 8)
    cells = [f"{r.wall_s:.2f}", f"{r.cpu_s:.1f}", f"{r.largest_mb:.0f}", f"{r.tree_mb:.0f}", f"{r.rows:.0f}"]
    cells += [f"{r.symbols:.0f}", f"{r.store_mb:.1f}", f"{r.state_mb:.1f}"]
    if thread:
        cells.append("-" if r.analysed is None else str(r.analysed))
    return cells


HEAD = ["wall s", "CPU s", "largest MB", "tree MB", "rows", "symbols", "store MB", "state MB", "analysed"]


def table(results: list[StepResult], timings: dict[str, UiTiming]) -> Iterator[str]:
    """The printed table: per work item, one line per step, Thread's numbers then CocoIndex's."""
    widths = [7, 7, 10, 8, 9, 8, 8, 8, 8]
    for item in dict.fromkeys(r.item for r in results):
        mine = [r for r in results if r.item == item]
        spec = FILE_SETS.get(item)
        what = " ".join(spec.suffixes) if spec and spec.suffixes else "every file"
        yield f"{item}: {mine[0].files:,} files ({what})"
        head = [f"{h:>{w}}" for h, w in zip(HEAD, widths, strict=True)]
        yield f"  {'':<10} | {'thread':<{sum(widths) + 7}} | cocoindex"
        yield f"  {'step':<10} | {' '.join(head)} | {' '.join(head[:-1])}"
        for step in STEPS:
            t = next((r for r in mine if r.tool == "thread" and r.step == step), None)
            c = next((r for r in mine if r.tool == "cocoindex" and r.step == step), None)
            tc = " ".join(f"{v:>{w}}" for v, w in zip(_cells(t, True), widths, strict=True))
            cc = " ".join(f"{v:>{w}}" for v, w in zip(_cells(c, False), widths, strict=False))
            yield f"  {step:<10} | {tc} | {cc}"
        if item in timings:
            u = timings[item]
            if u.answered:
                yield (
                    f"  Dagster UI (thread ui): ready in {u.ready_s:.1f} s; PartitionHealthQuery for parse: "
                    f"first {u.first_s:.2f} s, second {u.second_s:.2f} s; answered: {u.keys:,} partitions, "
                    f"{u.materialized:,} materialized"
                )
            else:
                yield f"  Dagster UI (thread ui): no answer ({u.error})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", choices=ITEMS, help="a work item (repeatable; default: all)")
    ap.add_argument("--skip-coco", action="store_true", help="Thread only")
    ap.add_argument("--runs", type=int, default=1, help="runs per tool and item; numbers are medians")
    ap.add_argument("--workers", type=int, help="thread index --workers (default: Thread's, every CPU)")
    ap.add_argument("--seed", type=int, default=1, help="picks the 10 edited files")
    ap.add_argument("--ui", action="append", choices=ITEMS, help="time the UI's partition query on this item's index")
    ap.add_argument("--no-ui", action="store_true", help="no UI timing (default: on linux, or each --ui item)")
    ap.add_argument("--json", type=Path, help="also write every result to this file")
    args = ap.parse_args(argv)
    items = args.only or list(ITEMS)
    tools = ["thread"] + ([] if args.skip_coco else ["cocoindex"])
    results: list[StepResult] = []
    timings: dict[str, UiTiming] = {}
    failed: list[str] = []
    t0 = time.monotonic()
    for item in items:
        spec = FILE_SETS[item]
        tree = tree_of(spec)
        for tool in tools:
            if tool == "cocoindex" and item in THREAD_ONLY:
                continue
            runs: list[list[StepResult]] = []
            for n in range(args.runs):
                ui = tool == "thread" and item in (args.ui or ["linux"]) and not args.no_ui and n == args.runs - 1
                started = time.monotonic()
                try:
                    steps, timing = run_tool(
                        item, tool, tree, seed=args.seed, edit=spec.edited_suffixes, workers=args.workers, ui=ui
                    )
                except RuntimeError as exc:  # a tool that fails is reported; the other measurements go on
                    failed.append(f"{item} {tool} run {n + 1}: {exc}")
                    print(f"bench: {failed[-1]}", file=sys.stderr, flush=True)
                    continue
                runs.append(steps)
                if timing is not None:
                    timings[item] = timing
                took = time.monotonic() - started
                print(f"bench: {item} {tool} run {n + 1}/{args.runs} done in {took:.0f} s", file=sys.stderr, flush=True)
            if runs:
                results += [median_of([r[i] for r in runs]) for i in range(len(STEPS))]
    for line in table(results, timings):
        print(line)
    for line in failed:
        print(f"FAILED {line}")
    print(f"({args.runs} run(s) each; {time.monotonic() - t0:.0f} s in all)")
    if args.json:
        blob = {"results": [asdict(r) for r in results], "ui": {k: asdict(v) for k, v in timings.items()}}
        args.json.write_text(json.dumps({**blob, "failed": failed}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
