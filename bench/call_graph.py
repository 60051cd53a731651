"""The call graph step on a real repository: time and verdict shares, semantic against by-name.

On the same analyses, in one run:

- **by name**: every call's semantic ``targets``/``reason`` removed, so the graph step resolves
  it the way it did before the semantic passes (names visible at the call site only);
- **semantic**: the calls as the semantic passes left them.

For each: the graph step's time (import resolution excluded: it is the same for both; hierarchy
and call resolution included), edges, and per language the share of calls by verdict
(``resolved``, ``builtin``, ``external``, ``dynamic``, ``unknown``). Analysis runs in the
engine's process pool first and is not timed here (``bench.engine`` measures it).

Usage: python -m bench.call_graph [--corpus django] [--root DIR] [--under SUBDIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from thread_assets.engine import FileAnalysis, RepoContext, resolve_imports
from thread_assets.engine.batch import analyze_files
from thread_assets.engine.graph import CallEdge, resolve_calls, resolve_hierarchy

VERDICTS = ("resolved", "builtin", "external", "dynamic", "unknown")


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def shares(analyses: Mapping[str, FileAnalysis], edges: list[CallEdge]) -> dict[str, dict[str, float]]:
    per_call: dict[tuple[str, int], str] = {}
    for e in edges:
        verdict = "resolved" if e.target is not None else (e.reason or "unknown")
        key = (e.path, e.call_index)
        if per_call.get(key) != "resolved":
            per_call[key] = verdict
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for (path, _), verdict in per_call.items():
        counts[analyses[path].language or "unknown"][verdict] += 1
    return {
        lang: {"calls": sum(c.values()), **{v: round(c[v] / sum(c.values()), 4) for v in VERDICTS}}
        for lang, c in sorted(counts.items())
    }


def measure(analyses: dict[str, FileAnalysis], read: Any, root_name: str) -> dict[str, Any]:
    context = RepoContext(files=frozenset(analyses), read=read, root_name=root_name)
    resolutions = resolve_imports(analyses.values(), context)
    started = time.perf_counter()
    hierarchy = resolve_hierarchy(analyses, resolutions)
    edges = resolve_calls(analyses, resolutions, hierarchy=hierarchy)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "edges": sum(1 for e in edges if e.target is not None),
        "dispatch_edges": sum(1 for e in edges if e.dispatch),
        "hierarchy_relations": len(hierarchy),
        "hierarchy_resolved": sum(1 for h in hierarchy if h.target is not None),
        "shares": shares(analyses, edges),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="django", help="a corpus of tests/support/corpora.py")
    parser.add_argument("--root", help="a directory to use instead of a corpus")
    parser.add_argument("--under", default="", help="only files under this directory of the root ('' for all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.root:
        root = Path(args.root).resolve()
    else:
        from tests.support.corpora import fetch

        root = Path(fetch(args.corpus))
    paths = [p for p in _files(root) if not args.under or p.startswith(args.under.rstrip("/") + "/")]
    items = [(p, str(root / p), None) for p in paths]
    analyses = {a.path: a for a in analyze_files(items) if a.status == "ok"}

    def read(path: str) -> bytes | None:
        try:
            return (root / path).read_bytes()
        except OSError:
            return None

    by_name = {
        p: msgspec.structs.replace(a, calls=tuple(msgspec.structs.replace(c, targets=(), reason=None) for c in a.calls))
        for p, a in analyses.items()
    }
    result = {
        "root": str(root),
        "files": len(analyses),
        "calls": sum(len(a.calls) for a in analyses.values()),
        "by_name": measure(by_name, read, root.name),
        "semantic": measure(analyses, read, root.name),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['root']}: {result['files']} files, {result['calls']} calls")
    for mode in ("by_name", "semantic"):
        m = result[mode]
        print(
            f"\n{mode}: graph step {m['seconds']:.2f} s, {m['edges']} edges ({m['dispatch_edges']} dispatch), "
            f"hierarchy {m['hierarchy_resolved']}/{m['hierarchy_relations']} bases resolved"
        )
        print(f"  {'language':12} {'calls':>7} " + " ".join(f"{v:>9}" for v in VERDICTS))
        for lang, s in m["shares"].items():
            print(f"  {lang:12} {s['calls']:>7} " + " ".join(f"{s[v]:>9.1%}" for v in VERDICTS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
