"""Module import graph of a real package (Django's ``django``, pip's ``pip``): grimp against
Thread's engine.

grimp (the import graph behind import-linter) parses every module with its own Rust parser and
resolves imports the way Python would. Our graph comes from ``analyze`` on every ``.py`` file and
``resolve_imports`` over a :class:`RepoContext` of the corpus, mapping each target file back to
its dotted module name. Both sides are reduced to direct module-level edges internal to
``django`` (importer module -> imported module, self-edges dropped) and compared as sets.

Where the two can disagree, and why (Django 5.2.8 shows none of these: 3,043 edges, 100% agreement):

- A directory without ``__init__.py`` inside the package (a namespace portion) is invisible to
  grimp, which walks only regular packages; Python 3 imports its modules all the same, so our
  graph has their edges (tests/engine/test_grimp_compare.py builds one).
- ``if TYPE_CHECKING:`` imports are edges flagged ``type_only`` to us. grimp includes them unless
  built with ``exclude_type_checking_imports=True``; ``--exclude-type-checking`` leaves them out of
  both graphs (ours by the flag), which checks that the flag marks the imports grimp skips.
- ``from pkg import name`` is an edge to ``pkg.name`` when that module exists, else to ``pkg``, on
  both sides; an import that would fail at run time (a relative import above the top-level
  package, a missing module) is no edge on either side; self-edges are dropped on both sides.

Two layouts (``--layout``): ``root`` indexes the directory that holds the package (a checkout),
``package`` indexes the package directory itself (``thread index site-packages/pip``), where our
resolver must name modules after the root directory and keep absolute imports absolute.

Usage: python -m bench.grimp_compare [--corpus django|pip] [--layout root|package|both]
       [--samples N] [--exclude-type-checking] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tests.support.corpora import fetch
from tests.support.grimp_edges import Edge, grimp_edges, our_edges


def scores(theirs: set[Edge], ours: set[Edge]) -> dict[str, float]:
    """grimp is the reference: precision over our edges, recall over grimp's."""
    both = len(theirs & ours)
    precision = both / len(ours) if ours else 1.0
    recall = both / len(theirs) if theirs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default="django", choices=("django", "pip"))
    ap.add_argument("--layout", default="both", choices=("root", "package", "both"))
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument(
        "--exclude-type-checking",
        action="store_true",
        help="both graphs without TYPE_CHECKING imports (grimp's option, our type_only flag)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    corpus = fetch(args.corpus)
    parent, package = corpus.parent, corpus.name
    if str(parent) not in sys.path:
        sys.path.insert(0, str(parent))  # grimp imports the package to find it
    t0 = time.perf_counter()
    theirs = grimp_edges(parent, package, args.exclude_type_checking)
    grimp_seconds = round(time.perf_counter() - t0, 2)
    reports = []
    for layout in ("root", "package") if args.layout == "both" else (args.layout,):
        t1 = time.perf_counter()
        ours, how = our_edges(parent, package, layout, args.exclude_type_checking)
        our_seconds = round(time.perf_counter() - t1, 2)
        only_grimp, only_ours = sorted(theirs - ours), sorted(ours - theirs)
        reports.append(
            {
                "corpus": args.corpus,
                "layout": layout,
                "grimp_edges": len(theirs),
                "our_edges": len(ours),
                "both": len(theirs & ours),
                "only_grimp": len(only_grimp),
                "only_ours": len(only_ours),
                **scores(theirs, ours),
                "grimp_seconds": grimp_seconds,
                "our_seconds": our_seconds,
                "resolution_how": dict(how.most_common()),
                "only_grimp_samples": [f"{a} -> {b}" for a, b in only_grimp[: args.samples]],
                "only_ours_samples": [f"{a} -> {b}" for a, b in only_ours[: args.samples]],
            }
        )
    if args.json:
        print(json.dumps(reports, indent=1))
        return 0
    for r in reports:
        print(
            f"{r['corpus']} ({r['layout']} layout): grimp={r['grimp_edges']} ours={r['our_edges']} "
            f"both={r['both']} only_grimp={r['only_grimp']} only_ours={r['only_ours']} "
            f"precision={r['precision']:.4f} recall={r['recall']:.4f} F1={r['f1']:.4f}"
        )
        print(f"  time: grimp {r['grimp_seconds']}s, ours {r['our_seconds']}s (analysis + resolution)")
        print(f"  resolution: {r['resolution_how']}")
        for line in r["only_grimp_samples"]:
            print(f"  only grimp {line}")
        for line in r["only_ours_samples"]:
            print(f"  only ours  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
