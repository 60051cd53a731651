"""Call verdicts on real code, and a random sample of resolved edges to check by hand.

Runs the whole engine (``analyze``, ``resolve_imports``, ``resolve_calls``) on one corpus of
``tests.support.corpora`` and prints, for the calls of one language, the share of each verdict:
``resolved`` (at least one edge to a symbol) or the reason of an unresolved call (``builtin``,
``external``, ``dynamic``, ``unknown``). Then it draws ``--sample`` resolved edges at random
(``--seed``) and prints each with the call's source line and the target's signature, for a
reader to mark right or wrong against the source.

The root directory's name is passed as ``RepoContext.root_name``, so a corpus whose root is
itself a package (Django's ``django/``) resolves ``import django.x`` inside it.

To compare with an older engine, run this file from the tree under test with that tree's
packages first on the path (``PYTHONPATH=/tmp/before python bench/semantics_sample.py ...``).

``--exclude REGEX`` leaves calls in matching paths out of the sample (not out of the shares):
generated tables of thousands of identical calls would otherwise fill it.

Usage: python -m bench.semantics_sample (--corpus go | --root DIR) --language go [--sample 50] [--seed 1]
[--exclude REGEX] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

from tests.support.corpora import fetch
from thread_assets.engine import analyze
from thread_assets.engine.graph import resolve_calls
from thread_assets.engine.resolve import RepoContext, resolve_imports

SUFFIXES = {
    "go": (".go",),
    "java": (".java",),
    "rust": (".rs",),
    "c": (".c", ".h"),
    "cpp": (".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx", ".h"),
    "python": (".py", ".pyi"),
    "javascript": (".js", ".mjs", ".cjs", ".jsx"),
    "typescript": (".ts", ".mts", ".cts"),
}
CONTEXT = (
    "go.mod",
    "go.work",
    "Cargo.toml",
    "compile_commands.json",
    "pyproject.toml",
    "package.json",
    "tsconfig.json",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", help="a corpus of tests.support.corpora")
    ap.add_argument("--root", help="or any directory (an unpacked package)")
    ap.add_argument("--language", required=True, choices=sorted(SUFFIXES))
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exclude", default=None, help="regular expression: paths whose calls are not sampled")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if (args.corpus is None) == (args.root is None):
        ap.error("give --corpus or --root")
    root = fetch(args.corpus) if args.corpus else Path(args.root)
    suffixes = SUFFIXES[args.language]
    files = {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and (p.suffix in suffixes or p.name in CONTEXT)
    }
    data = {rel: p.read_bytes() for rel, p in files.items()}
    analyses = {rel: analyze(rel, raw, args.language) for rel, raw in data.items() if rel.endswith(suffixes)}
    resolutions = resolve_imports(
        analyses.values(), RepoContext(files=frozenset(data), read=data.get, root_name=root.name)
    )
    edges = resolve_calls(analyses, resolutions)
    verdict: dict[tuple[str, int], str] = {}
    for e in edges:
        key = (e.path, e.call_index)
        if e.target is not None:
            verdict[key] = "resolved"
        else:
            verdict.setdefault(key, e.reason or "unknown")
    shares = Counter(verdict.values())
    total = sum(shares.values())
    skip = re.compile(args.exclude) if args.exclude else None
    resolved = [e for e in edges if e.target is not None and not (skip and skip.search(e.path))]
    rng = random.Random(args.seed)
    sample = rng.sample(resolved, min(args.sample, len(resolved)))
    symbols = {f"{a.path}::{s.id}": s for a in analyses.values() for s in a.symbols}
    rows = []
    for e in sample:
        line = data[e.path].decode("utf-8", "replace").splitlines()[e.location.start_line - 1].strip()
        target = symbols.get(e.target or "")
        rows.append(
            {
                "call": f"{e.path}:{e.location.start_line}",
                "source": line[:160],
                "callee": e.callee,
                "how": e.how,
                "dispatch": e.dispatch,
                "target": e.target,
                "target_line": target.location.start_line if target is not None else None,
                "target_signature": target.signature[:160] if target is not None else None,
            }
        )
    report = {
        "corpus": args.corpus or args.root,
        "language": args.language,
        "files": len(analyses),
        "calls": total,
        "edges": len(edges),
        "shares": {k: round(shares[k] / total, 4) if total else 0.0 for k in sorted(shares)},
        "counts": dict(sorted(shares.items())),
        "sample": rows,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{args.corpus or args.root} ({args.language}): {len(analyses)} files, {total} calls, {len(edges)} edges")
    for k in sorted(shares):
        print(f"  {k:<9} {shares[k]:>7} {shares[k] / total:>7.1%}")
    for i, r in enumerate(rows, 1):
        print(f"\n[{i}] {r['call']}  {r['source']}")
        print(f"    {r['callee']} -> {r['target']} ({r['how']}{', dispatch' if r['dispatch'] else ''})")
        print(f"    line {r['target_line']}: {r['target_signature']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
