"""Symbol recall and precision of Thread's extractors against universal-ctags.

For each language both support, ctags' definition tags of comparable kinds are matched against
our symbols on (name, line, kind class). Recall = ctags tags we also produce / ctags tags;
precision = our symbols of comparable kinds that ctags also produces / those symbols. Kinds that
one side deliberately does not emit (ctags: imports, prototypes, locals; ours: see IGNORED_OURS)
are left out of both sides, and the report lists sample misses so each class can be explained.

Locals: the spec says not to emit variables declared inside a function body, and ctags' JavaScript
and TypeScript parsers tag many of them without any scope field (so ``scopeKind`` cannot tell them
apart from module-level ones). For those two languages a ctags variable/constant tag without a
class-like scope is checked against the syntax tree: when its declaration lies in the body of a
named function or method (a declaration, a method, or a function value bound to a name), it is a
local and left out of both sides. Anonymous callbacks and IIFEs do not count, since module code is
commonly wrapped in them. The number of tags left out this way is reported.

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
