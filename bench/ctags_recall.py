"""Symbol recall and precision of Thread's extractors against universal-ctags, per language (the
method is described in :mod:`tests.support.ctags_recall`).

Usage: python -m bench.ctags_recall [LANG ...] [--misses N] [--exclude-glob GLOB ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from tests.support.ctags_recall import TARGETS, measure


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("languages", nargs="*", default=list(TARGETS))
    ap.add_argument("--misses", type=int, default=15, help="sample misses and extras to print")
    ap.add_argument(
        "--exclude-glob",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out corpus files whose path relative to the corpus root matches (fnmatch; repeatable)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if shutil.which("ctags") is None:
        print("universal-ctags is not installed (apt-get install universal-ctags)", file=sys.stderr)
        return 2
    results = [measure(lang, args.misses, tuple(args.exclude_glob)) for lang in args.languages]
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for r in results:
        print(
            f"{r['language']:<11} files={r['files']:<5} skipped={r['files_skipped']} ctags={r['ctags_tags']:<6} "
            f"(locals left out {r['ctags_locals_dropped']}) "
            f"recall={r['recall']:.2%} "
            f"(name+line {r['recall_name_line']:.2%}) "
            f"ours={r['our_symbols']:<6} precision={r['precision']:.2%}  misses={r['misses_by_class']}"
        )
        for m in r["miss_examples"]:  # type: ignore[attr-defined]
            print("    miss ", m)
        for m in r["extra_examples"]:  # type: ignore[attr-defined]
            print("    extra", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
