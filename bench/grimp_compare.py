"""Module import graph of Django's ``django`` package: grimp against Thread's engine.

grimp (the import graph behind import-linter) parses every module with its own Rust parser and
resolves imports the way Python would. Our graph comes from ``analyze`` on every ``.py`` file and
``resolve_imports`` over a :class:`RepoContext` of the corpus, mapping each target file back to
its dotted module name. Both sides are reduced to direct module-level edges internal to
``django`` (importer module -> imported module, self-edges dropped) and compared as sets.

Where the two can disagree, and why (Django 5.2.8 shows none of these: 3,043 edges, 100% agreement):

- A directory without ``__init__.py`` inside the package (a namespace portion) is invisible to
  grimp, which walks only regular packages; Python 3 imports its modules all the same, so our
  graph has their edges (tests/engine/test_grimp_compare.py builds one).
- ``if TYPE_CHECKING:`` imports are imports to us, always. grimp includes them unless built with
  ``exclude_type_checking_imports=True`` (``--exclude-type-checking``); then they are ours only.
- ``from pkg import name`` is an edge to ``pkg.name`` when that module exists, else to ``pkg``, on
  both sides; an import that would fail at run time (a relative import above the top-level
  package, a missing module) is no edge on either side; self-edges are dropped on both sides.

Usage: python -m bench.grimp_compare [--samples N] [--exclude-type-checking] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tests.support.corpora import fetch
from tests.support.grimp_edges import grimp_edges, our_edges


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument(
        "--exclude-type-checking", action="store_true", help="build grimp's graph without TYPE_CHECKING imports"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    corpus = fetch("django")
    parent, package = corpus.parent, corpus.name
    if str(parent) not in sys.path:
        sys.path.insert(0, str(parent))  # grimp imports the package to find it
    t0 = time.perf_counter()
    theirs = grimp_edges(parent, package, args.exclude_type_checking)
    t1 = time.perf_counter()
    ours, how = our_edges(parent, package)
    t2 = time.perf_counter()
    both, only_grimp, only_ours = theirs & ours, sorted(theirs - ours), sorted(ours - theirs)
    report = {
        "grimp_edges": len(theirs),
        "our_edges": len(ours),
        "both": len(both),
        "only_grimp": len(only_grimp),
        "only_ours": len(only_ours),
        "agreement": len(both) / len(theirs | ours) if theirs | ours else 1.0,
        "grimp_seconds": round(t1 - t0, 2),
        "our_seconds": round(t2 - t1, 2),
        "resolution_how": dict(how.most_common()),
        "only_grimp_samples": [f"{a} -> {b}" for a, b in only_grimp[: args.samples]],
        "only_ours_samples": [f"{a} -> {b}" for a, b in only_ours[: args.samples]],
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(
        f"edges: grimp={report['grimp_edges']} ours={report['our_edges']} both={report['both']} "
        f"only_grimp={report['only_grimp']} only_ours={report['only_ours']} agreement={report['agreement']:.2%}"
    )
    print(f"time: grimp {report['grimp_seconds']}s, ours {report['our_seconds']}s (analysis + resolution)")
    print(f"resolution: {report['resolution_how']}")
    for a, b in only_grimp[: args.samples]:
        print(f"  only grimp {a} -> {b}")
    for a, b in only_ours[: args.samples]:
        print(f"  only ours  {a} -> {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
