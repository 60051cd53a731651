"""Engine throughput on Django 5.2.8's ``django/`` package (.py/.js/.html/.css files).

Measures, in one run and on the same files:

- parse only: read the file + tree-sitter parse (nothing else), for the files ``analyze`` would
  parse (a language the engine knows); the other files are read and counted but not parsed,
  exactly as ``analyze`` skips them. Also "parse + summary" (read + parse + the parse-summary
  walk, which is ``batch.analyze_files(level="parse")``): the floor ``analyze`` cannot go under.
- full analysis: read + ``analyze()`` (detect, parse, summary, extraction).
- universal-ctags over the same file list (``ctags -L - -f /dev/null``), wall time of the process.

Single process, then a 2-process pool (``thread_assets.engine.batch.analyze_files``: forkserver
workers that read the files themselves; pool start-up is inside the timing, as in a real run).
Warm-up once, then ``--repeat`` runs; medians are printed. The issue's targets: full <= 2x parse
only, and >= 1.7x speed-up of full analysis from 1 to 2 processes.

The machine is shared: compare ratios measured within one run, not absolute times across runs.
``--instructions`` measures instead what load cannot change: the instructions (valgrind's
callgrind) of one warm single-process pass over every ``--step``-th file, parse only and full
analysis (each the difference between two passes and one in the same process, so start-up,
imports and first-use costs such as compiling queries cancel out).

Usage: python -m bench.engine [--repeat N] [--workers N] [--json]
       python -m bench.engine --instructions [--step N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from tests.support.corpora import fetch
from thread_assets.engine import analyze
from thread_assets.engine.batch import BatchItem, Level, analyze_files
from thread_assets.engine.detect import detect_language
from thread_assets.engine.languages import LANGUAGES
from thread_assets.engine.parse import parse, summarize

SUFFIXES = (".py", ".js", ".html", ".css")

Files = list[tuple[str, Path]]


def corpus_files() -> Files:
    root = fetch("django")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    return [(f"django/{p.relative_to(root).as_posix()}", p) for p in files]


def _language(rel: str, data: bytes) -> str | None:
    lang = detect_language(rel, data[:1024])
    return lang if lang in LANGUAGES else None


def run_parse(files: Files, with_summary: bool) -> dict[str, float]:
    """Seconds per language (``<skipped>`` for files analyze would not parse)."""
    times: dict[str, float] = defaultdict(float)
    for rel, path in files:
        t0 = time.perf_counter()
        data = path.read_bytes()
        lang = _language(rel, data)
        if lang is not None:
            tree, ms = parse(data, lang)
            if with_summary:
                summarize(tree, data, lang, ms, "")
        times[lang or "<skipped>"] += time.perf_counter() - t0
    return times


def run_full(files: Files) -> dict[str, float]:
    """Seconds per language, plus ``<language>/parse``: the parser's share, from each result's
    ``summary.parse_time_ms`` (not part of the total: see :func:`_total`)."""
    times: dict[str, float] = defaultdict(float)
    for rel, path in files:
        t0 = time.perf_counter()
        result = analyze(rel, path.read_bytes())
        lang = result.language if result.status == "ok" and result.language else "<skipped>"
        times[lang] += time.perf_counter() - t0
        if result.summary is not None:
            times[f"{lang}/parse"] += result.summary.parse_time_ms / 1000
    return times


def run_pool(files: Files, workers: int, level: Level) -> float:
    items: list[BatchItem] = [(rel, str(p), None) for rel, p in files]
    t0 = time.perf_counter()
    n = 0
    for _ in analyze_files(items, workers=workers, level=level):
        n += 1
    assert n == len(files)
    return time.perf_counter() - t0


def run_ctags(files: Files) -> float:
    file_list = "".join(f"{p}\n" for _, p in files).encode()
    t0 = time.perf_counter()
    subprocess.run(
        ["ctags", "--sort=no", "-L", "-", "-f", "/dev/null"], input=file_list, check=True, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - t0


Measurement = Callable[[], "float | dict[str, float]"]


def measure_rounds(measurements: dict[str, Measurement], repeat: int) -> list[dict[str, float | dict[str, float]]]:
    """Warm every measurement up once, then run ``repeat`` rounds of all of them, interleaved: on a
    shared machine load comes and goes, and interleaving exposes every measurement to it alike
    (the ratios are computed within each round, then the median taken)."""
    for fn in measurements.values():
        fn()
    return [{name: fn() for name, fn in measurements.items()} for _ in range(repeat)]


def _total(value: float | dict[str, float]) -> float:
    """Seconds of one measurement; ``/``-keys are breakdowns of other keys, not extra time."""
    return sum(v for k, v in value.items() if "/" not in k) if isinstance(value, dict) else value


def run_passes(files: Files, mode: str, passes: int) -> None:
    """The work ``--instructions`` counts, with nothing else: read, then parse or analyze."""
    data = [(rel, path.read_bytes()) for rel, path in files]
    for _ in range(passes):
        for rel, source in data:
            if mode == "full":
                analyze(rel, source)
                continue
            lang = _language(rel, source)
            if lang is not None:
                parse(source, lang)


def count_instructions(step: int) -> dict[str, int]:
    """Instructions of one warm pass per mode (callgrind's total for two passes minus one)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind")
    totals: dict[str, int] = {}
    for mode in ("parse", "full"):
        counts = []
        for passes in (1, 2):
            cmd = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m", "bench.engine"]
            cmd += ["--pass-mode", mode, "--passes", str(passes), "--step", str(step)]
            done = subprocess.run(
                cmd, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"}
            )
            found = re.search(r"Collected : (\d+)", done.stderr)
            assert found is not None, done.stderr[-2000:]
            counts.append(int(found.group(1)))
        totals[mode] = counts[1] - counts[0]
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--instructions", action="store_true", help="count instructions under callgrind instead")
    ap.add_argument("--step", type=int, default=12, help="with --instructions: every N-th file")
    ap.add_argument("--pass-mode", choices=("parse", "full"), help=argparse.SUPPRESS)
    ap.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    files = corpus_files()
    if args.pass_mode:  # the child that --instructions runs under callgrind
        run_passes(files[:: args.step], args.pass_mode, args.passes)
        return 0
    if args.instructions:
        sample = files[:: args.step]
        counts = count_instructions(args.step)
        if args.json:
            print(json.dumps({"files": len(sample), "step": args.step, "instructions": counts}, indent=2))
            return 0
        print(f"every {args.step}th file of the corpus: {len(sample)} files; instructions of one warm pass")
        print(f"  parse only {counts['parse']:>15,}")
        print(f"  full       {counts['full']:>15,}")
        print(f"  full / parse only {counts['full'] / counts['parse']:.2f}x")
        return 0
    n_files = len(files)
    mb = sum(p.stat().st_size for _, p in files) / 1e6
    lang_bytes: dict[str, int] = defaultdict(int)
    lang_files: dict[str, int] = defaultdict(int)
    for rel, path in files:
        data = path.read_bytes()
        lang = _language(rel, data) or "<skipped>"
        lang_bytes[lang] += len(data)
        lang_files[lang] += 1

    w = args.workers
    measurements: dict[str, Measurement] = {
        "parse_only": lambda: run_parse(files, False),
        "parse_summary": lambda: run_parse(files, True),
        "full": lambda: run_full(files),
        f"parse_summary_{w}proc": lambda: run_pool(files, w, "parse"),
        f"full_{w}proc": lambda: run_pool(files, w, "full"),
        "full_1proc_batch": lambda: run_pool(files, 0, "full"),
    }
    if shutil.which("ctags"):
        measurements["ctags"] = lambda: run_ctags(files)
    load_before = os.getloadavg()[0]
    rounds = measure_rounds(measurements, args.repeat)
    results = {name: statistics.median(_total(r[name]) for r in rounds) for name in measurements}

    def per_round(num: str, den: str) -> float | None:
        if den not in measurements:
            return None
        return statistics.median(_total(r[num]) / _total(r[den]) for r in rounds)

    ratios = {
        "full_over_parse_only": per_round("full", "parse_only"),
        "full_over_parse_summary": per_round("full", "parse_summary"),
        f"full_speedup_1_to_{w}proc": per_round("full", f"full_{w}proc"),
        "full_over_ctags": per_round("full", "ctags"),
    }

    def per_language(name: str) -> dict[str, float]:
        tables = [r[name] for r in rounds]
        assert all(isinstance(t, dict) for t in tables)
        langs = {lang for t in tables for lang in t}  # type: ignore[union-attr]
        return {lang: statistics.median(t.get(lang, 0.0) for t in tables) for lang in langs}  # type: ignore[union-attr]

    parse_langs, full_langs = per_language("parse_only"), per_language("full")
    languages = {
        lang: {
            "files": lang_files[lang],
            "mb": lang_bytes[lang] / 1e6,
            "parse_only_s": parse_langs.get(lang, 0.0),
            "full_s": full_langs.get(lang, 0.0),
            "full_parse_part_s": full_langs.get(f"{lang}/parse", 0.0),
        }
        for lang in sorted(lang_files)
    }
    report = {
        "corpus": "django 5.2.8 django/ (.py .js .html .css)",
        "files": n_files,
        "mb": mb,
        "repeat": args.repeat,
        "workers": w,
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "seconds": results,
        "files_per_s": {k: n_files / v for k, v in results.items() if v},
        "mb_per_s": {k: mb / v for k, v in results.items() if v},
        "ratios": ratios,
        "languages": languages,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['corpus']}: {n_files} files, {mb:.2f} MB; medians of {args.repeat} interleaved rounds")
    print(f"1-min load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} CPUs)")
    print(f"{'measurement':<24}{'seconds':>9}{'files/s':>10}{'MB/s':>8}")
    for k, v in results.items():
        print(f"{k:<24}{v:>9.3f}{n_files / v:>10.0f}{mb / v:>8.2f}" if v else f"{k:<24}{'n/a':>9}")
    print("ratios, median over rounds (targets: full/parse_only <= 2.0, speed-up >= 1.7):")
    for k, ratio in ratios.items():
        print(f"  {k:<30}{'n/a' if ratio is None else f'{ratio:.2f}x'}")
    print("per language (parse s: the parse-only run; in full: the parser's own time inside analyze;")
    print("rest: everything else analyze does: detection, hashing, summary walk, extraction):")
    head = f"{'language':<12}{'files':>6}{'MB':>7}{'parse s':>9}{'full s':>9}{'in full':>9}{'rest s':>9}"
    print(f"{head}{'full/parse':>11}{'full MB/s':>10}")
    for lang, row in languages.items():
        p, f, fp = row["parse_only_s"], row["full_s"], row["full_parse_part_s"]
        lang_ratio = f"{f / p:.2f}x" if p > 0.001 and lang != "<skipped>" else "-"
        speed = f"{row['mb'] / f:.2f}" if f else "-"
        cells = f"{row['files']:>6}{row['mb']:>7.2f}{p:>9.3f}{f:>9.3f}{fp:>9.3f}{f - fp:>9.3f}"
        print(f"{lang:<12}{cells}{lang_ratio:>11}{speed:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
