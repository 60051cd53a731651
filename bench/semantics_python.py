"""Precision and recall of Python call edges on the golden micro-programs, per category.

Runs every program under ``tests/semantics/python/`` through the whole engine (analysis, import
resolution, call resolution) and compares the resolved caller -> callee edges with each program's
``expected.json`` (see ``tests/semantics/README.md``). Scores are micro-averaged over edges.

Usage: python -m bench.semantics_python [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import json

from tests.semantics.suite import programs, run_program, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--verbose", action="store_true", help="list the missing and extra edges of each program")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    results = [run_program(p) for p in programs("python")]
    total, per = score(results)
    non_callable = [e for r in results for e in r.non_callable]
    if args.json:
        rows = {
            c: {"precision": s.precision, "recall": s.recall, "tp": s.tp, "fp": s.fp, "fn": s.fn}
            for c, s in per.items()
        }
        out = {"programs": len(results), "precision": total.precision, "recall": total.recall, "categories": rows}
        print(json.dumps({**out, "non_callable": len(non_callable)}, indent=2))
        return
    print(f"{'category':<14} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for category, s in per.items():
        print(f"{category:<14} {s.precision:>9.1%} {s.recall:>7.1%} {s.tp:>4} {s.fp:>4} {s.fn:>4}")
    print(f"{'overall':<14} {total.precision:>9.1%} {total.recall:>7.1%} {total.tp:>4} {total.fp:>4} {total.fn:>4}")
    print(f"{len(results)} programs; edges to a non-callable: {len(non_callable)}")
    if args.verbose:
        for r in results:
            for caller, callee in sorted(r.missing):
                print(f"  missing {r.category}/{r.program}: {caller} -> {callee}")
            for caller, callee in sorted(r.extra):
                print(f"  extra   {r.category}/{r.program}: {caller} -> {callee}")
            for caller, callee in r.non_callable:
                print(f"  NON-CALLABLE {r.category}/{r.program}: {caller} -> {callee}")


if __name__ == "__main__":
    main()
