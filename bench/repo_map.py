"""The repository map (``thread map``) on real code: time to compute, stability under a one-file
edit, and the top of the ranking side by side with aider's own repository map.

For each corpus (Django 5.2.8's ``django/`` package; rxjs 7.8.2's ``src/``), on a fresh copy:

1. ``thread index`` through Dagster (ephemeral instance, SQLite store): the ``repo_rank`` asset
   runs with the graphs, cold; its ``rank_state`` says how long and how many iterations;
2. the same computation outside Dagster, timed in parts: reading the graph from the store,
   PageRank plus the plan (median of 3); and reading the stored map of 1,024 tokens (median of 20);
3. a one-file edit (a new function calling two of the file's own functions appended to one
   file), then ``thread index`` again: ``repo_rank`` warm-starts from the stored scores. The top 50
   shown symbols before the edit are compared with those of a cold computation of the edited graph
   (how many stay, the largest move of one that stays: what the edit itself changes), and the
   warm-started top 50 with the cold one (what stopping early from the old scores costs), with the
   iterations of each;
4. aider's ``RepoMap`` (aider-chat from PyPI, in its own virtualenv under
   ``~/.cache/thread/bench-venvs/aider``, created on first use; ``bench/aider_repomap.py``) on the
   same copy: its top 30 definitions against Thread's top 30 shown symbols, matched by (path, name).

Usage: python -m bench.repo_map [--corpus django|rxjs ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from dagster import DagsterInstance

from resources.store.ranks import rank_store
from resources.store.url import open_index
from tests.support.corpora import fetch
from thread_assets.drivers.index import index_repository
from thread_assets.engine.repomap import rank_repository

AIDER_VENV = Path.home() / ".cache" / "thread" / "bench-venvs" / "aider"
AIDER_SCRIPT = Path(__file__).with_name("aider_repomap.py")
EDITS = {
    "django": (
        "db/models/query.py",
        "\n\ndef bench_edit(instances):\n"
        "    return prefetch_related_objects(instances) or normalize_prefetch_lookups([])\n",
    ),
    "rxjs": (
        "internal/util/isFunction.ts",
        "\n\nexport function benchEdit(value: any): boolean {\n"
        "  return isFunction(value) && isFunction(value.then);\n}\n",
    ),
}
EXCLUDE = ["*.po", "*.mo", "*.xml", "*.md", "*.svg", "*.kml", "*.txt", "*.json"]
TOP_STABLE = 50
TOP_COMPARED = 30


def top_shown(store_url: str, repo: str, n: int) -> list[dict[str, Any]]:
    with closing(open_index(store_url)) as store:
        rows = rank_store(store).map_rows(repo, 1 << 40)
    return sorted(rows, key=lambda r: (-r["rank"], r["id"]))[:n]


def state(store_url: str, repo: str) -> dict[str, Any]:
    with closing(open_index(store_url)) as store:
        s = rank_store(store).rank_state(repo)
    assert s is not None, "repo_rank did not run"
    return {"seconds": s.seconds, "iterations": s.iterations, "warm": s.warm, "nodes": s.nodes, "edges": s.edges}


def timed_parts(store_url: str, repo: str) -> dict[str, float]:
    with closing(open_index(store_url)) as store:
        ranks = rank_store(store)
        started = time.perf_counter()
        inputs = ranks.rank_inputs(repo)
        load = time.perf_counter() - started
        computes = []
        for _ in range(3):
            started = time.perf_counter()
            rank_repository(inputs)
            computes.append(time.perf_counter() - started)
        reads = []
        for _ in range(20):
            started = time.perf_counter()
            ranks.map_rows(repo, 1024)
            reads.append(time.perf_counter() - started)
    return {
        "load_s": round(load, 3),
        "rank_and_plan_s": round(statistics.median(computes), 3),
        "stored_map_1024_ms": round(statistics.median(reads) * 1000, 2),
    }


def cold_after(store_url: str, repo: str) -> tuple[int, list[str]]:
    """(iterations, top shown ids) of a cold computation of the stored graph."""
    with closing(open_index(store_url)) as store:
        ranked = rank_repository(rank_store(store).rank_inputs(repo))
    shown = sorted((e for e in ranked.entries if e.line is not None), key=lambda e: (-e.rank, e.id))
    return ranked.ranks.iterations, [e.id for e in shown[:TOP_STABLE]]


def stability(before: list[str], after: list[str]) -> tuple[int, int]:
    """(how many of ``before`` are in ``after``, the largest move of one that is)."""
    position = {s: i for i, s in enumerate(after)}
    moves = [abs(i - position[s]) for i, s in enumerate(before) if s in position]
    return len(moves), max(moves, default=0)


def aider(root: Path, tokens: int) -> dict[str, Any]:
    if not (AIDER_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(AIDER_VENV)], check=True)
        subprocess.run([str(AIDER_VENV / "bin" / "pip"), "install", "-q", "aider-chat"], check=True)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(AIDER_VENV / "bin" / "python"), str(AIDER_SCRIPT), str(root), str(tokens)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"aider's RepoMap failed: {proc.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_seconds"] = round(time.perf_counter() - started, 2)
    return out


def run_corpus(name: str, work: Path) -> dict[str, Any]:
    root = work / name
    shutil.copytree(fetch(name), root)
    url = f"sqlite:///{work / (name + '.db')}"
    result: dict[str, Any] = {"corpus": name}
    with DagsterInstance.ephemeral() as instance:
        started = time.perf_counter()
        index_repository(root, store_url=url, instance=instance, repo_name=name, exclude=EXCLUDE, workers=2)
        result["index_seconds"] = round(time.perf_counter() - started, 1)
        result["cold"] = state(url, name)
        result["parts"] = timed_parts(url, name)
        before = top_shown(url, name, TOP_STABLE)
        rel, addition = EDITS[name]
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(addition)
        started = time.perf_counter()
        index_repository(root, store_url=url, instance=instance, repo_name=name, exclude=EXCLUDE, workers=2)
        result["edit_update_seconds"] = round(time.perf_counter() - started, 2)
        result["edited_file"] = rel
        result["warm"] = state(url, name)
        iterations, cold_top = cold_after(url, name)
        result["cold_iterations_after_edit"] = iterations
        after = [r["id"] for r in top_shown(url, name, TOP_STABLE)]
    result["top50_kept"], result["top50_max_move"] = stability([r["id"] for r in before], cold_top)
    result["warm_vs_cold_top50"], result["warm_vs_cold_max_move"] = stability(after, cold_top)
    ours = top_shown(url, name, TOP_COMPARED)
    theirs = aider(root, 1024)
    result["aider"] = {k: v for k, v in theirs.items() if k not in ("ranked", "map")}
    ours_keys = [(r["path"], r["name"]) for r in ours]
    ours_ids = [r["id"] for r in ours]
    theirs_keys = [(t["path"], t["name"]) for t in theirs["ranked"][:TOP_COMPARED]]
    result["top30_common"] = len(set(ours_keys) & set(theirs_keys))
    result["top30"] = [
        {"thread": o, "aider": f"{t[0]}::{t[1]}"}
        for o, t in zip(ours_ids, theirs_keys + [("", "")] * TOP_COMPARED, strict=False)
    ]
    result["aider_map_head"] = theirs["map"][:1500]
    return result


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| corpus | graph nodes / edges | repo_rank cold (s, iterations) | load graph (s) | rank + plan (s) "
        "| stored 1,024-token map (ms) | update after a 1-file edit (s) "
        "| repo_rank warm (s, iterations; cold: iterations) "
        "| top 50 kept by the edit (largest move) | warm vs cold top 50 (largest move) | aider get_ranked_tags (s) "
        "| top 30 in common with aider |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        c, w, p = r["cold"], r["warm"], r["parts"]
        lines.append(
            f"| {r['corpus']} | {c['nodes']:,} / {c['edges']:,} | {c['seconds']}, {c['iterations']} | {p['load_s']} "
            f"| {p['rank_and_plan_s']} | {p['stored_map_1024_ms']} | {r['edit_update_seconds']} "
            f"| {w['seconds']}, {w['iterations']}; {r['cold_iterations_after_edit']} "
            f"| {r['top50_kept']} ({r['top50_max_move']}) | {r['warm_vs_cold_top50']} ({r['warm_vs_cold_max_move']}) "
            f"| {r['aider']['ranked_seconds']} | {r['top30_common']} |"
        )
    for r in results:
        lines += ["", f"Top 30, {r['corpus']}:", "", "| # | Thread | aider |", "| --- | --- | --- |"]
        lines += [
            f"| {i} | `{_cell(row['thread'])}` | `{_cell(row['aider'])}` |" for i, row in enumerate(r["top30"], 1)
        ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", choices=sorted(EDITS), help="default: both")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="thread-repomap-") as tmp:
        for name in args.corpus or sorted(EDITS):
            results.append(run_corpus(name, Path(tmp)))
            print(f"{name}: done", file=sys.stderr, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
