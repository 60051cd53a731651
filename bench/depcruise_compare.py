"""JavaScript/TypeScript file dependencies: dependency-cruiser against Thread's engine.

dependency-cruiser (``--ts-pre-compilation-deps``, so ``import type`` counts as TypeScript sees it)
is installed by this script with npm into a cache outside the repository
(``$THREAD_CORPUS_DIR/../tools/depcruise``), pinned. Both sides see the same tree and the same
export conditions (TypeScript's: ``types``, ``import``, ``require``, ``module``, ``node``,
``development``, ``default``, in the package.json's own key order); both are reduced to the set of
(importer, imported) pairs of files inside the tree, for importers under the compared directories.

Corpora (npm tarballs, pinned in tests/support/corpora.py):

- ``svelte``: JavaScript with JSDoc types, ``exports`` with many subpaths, self-imports
  (``import ... from 'svelte/reactivity'`` inside svelte) and ``#client``/``#compiler``
  ``imports``; compared over ``src/``.
- ``msw``: TypeScript with ``#core/*`` ``imports``; compared over ``src/``.
- ``rxjs``: plain TypeScript, relative imports only (a check that nothing regressed);
- ``trpc``: an npm workspace assembled from two packages of the tRPC monorepo (``@trpc/server``
  and ``@trpc/client`` tarballs under ``packages/``, a root package.json declaring
  ``"workspaces": ["packages/*"]``, and ``node_modules/@trpc/*`` symlinks as ``npm install``
  makes them); ``@trpc/client`` imports ``@trpc/server/...`` subpaths through its ``exports``.
  Compared over ``packages/*/src``.
- ``tanstack``: a pnpm workspace (``pnpm-workspace.yaml``) of @tanstack/query-core and
  @tanstack/react-query, whose ``exports`` put a custom condition first
  (``"@tanstack/custom-condition": "./src/index.ts"``); the root tsconfig.json names it in
  ``customConditions`` as TanStack's own does, and dependency-cruiser gets it among its
  ``conditionNames``: a workspace package imported by name resolves to its source files.

The flags are compared too, on the edges both find: an edge is type-only when every import of the
pair is (dependency-cruiser's ``type-only`` dependency type, our ``Import.type_only``), dynamic when
every one is an ``import()``.

Usage: python -m bench.depcruise_compare [svelte|msw|trpc|tanstack|rxjs ...] [--samples N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.support.corpora import cache_root, fetch
from thread_assets.engine import analyze, resolve_imports
from thread_assets.engine.resolve import RepoContext

DEPCRUISE = "dependency-cruiser@16.10.4"
TYPESCRIPT = "typescript@5.9.3"
CONDITIONS = ["types", "import", "require", "module", "node", "development", "default"]
SOURCES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
CONFIG = """module.exports = {{
  options: {{
    tsPreCompilationDeps: true,
    doNotFollow: {{ path: "node_modules" }},
    enhancedResolveOptions: {{
      exportsFields: ["exports"],
      conditionNames: {conditions},
      mainFields: ["types", "typings", "module", "main"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".d.mts", ".d.cts", ".json"],
    }},
  }},
}};
"""
Edge = tuple[str, str]


def tools() -> Path:
    """dependency-cruiser and TypeScript, installed once into the cache (npm, pinned)."""
    where = cache_root().parent / "tools" / "depcruise"
    binary = where / "node_modules" / ".bin" / "depcruise"
    if not binary.exists():
        where.mkdir(parents=True, exist_ok=True)
        (where / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", DEPCRUISE, TYPESCRIPT], cwd=where, check=True, timeout=600
        )
    return binary


def workspace(name: str, members: dict[str, str], extra: dict[str, str]) -> Path:
    """A workspace assembled from npm tarballs (rebuilt when missing): a copy of each member
    corpus under ``packages/<dir>``, ``node_modules/<package>`` links as the package manager makes
    them, and the root files in ``extra`` (package.json, pnpm-workspace.yaml, tsconfig.json)."""
    root = cache_root() / f"{name}-workspace"
    if (root / "package.json").exists():
        return root
    partial = root.with_name(f"{name}-workspace.partial")
    shutil.rmtree(partial, ignore_errors=True)
    for directory, corpus_name in members.items():
        tree = fetch(corpus_name)
        shutil.copytree(tree, partial / "packages" / directory)
        package = json.loads((tree / "package.json").read_text())["name"]
        link = partial / "node_modules" / package
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path(os.path.relpath(partial / "packages" / directory, link.parent)), target_is_directory=True)
    for rel, text in extra.items():
        (partial / rel).write_text(text)
    partial.rename(root)
    return root


TANSTACK_CONDITION = "@tanstack/custom-condition"


def corpus(name: str) -> tuple[Path, list[str], list[str]]:
    """(root of the tree both tools see, directories whose files are compared as importers,
    export conditions beyond TypeScript's)."""
    if name == "trpc":
        root = workspace(
            "trpc",
            {"server": "trpc-server", "client": "trpc-client"},
            {"package.json": '{"name": "trpc-workspace", "private": true, "workspaces": ["packages/*"]}\n'},
        )
        return root, ["packages/server/src", "packages/client/src"], []
    if name == "tanstack":
        root = workspace(
            "tanstack",
            {"query-core": "query-core", "react-query": "react-query"},
            {
                "package.json": '{"name": "tanstack-workspace", "private": true}\n',
                "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
                "tsconfig.json": json.dumps({"compilerOptions": {"customConditions": [TANSTACK_CONDITION]}}) + "\n",
            },
        )
        return root, ["packages/query-core/src", "packages/react-query/src"], [TANSTACK_CONDITION]
    if name == "rxjs":  # the corpus is the tarball's src/; its package.json sits one level up
        return fetch(name).parent, ["src"], []
    return fetch(name), ["src"], []


Flags = dict[Edge, tuple[bool, bool]]
"""Edge -> (every import of the pair is type-only, every one is a dynamic ``import()``)."""


def _fold(pairs: list[tuple[Edge, bool, bool]]) -> Flags:
    out: dict[Edge, tuple[bool, bool]] = {}
    for edge, type_only, dynamic in pairs:
        t, d = out.get(edge, (True, True))
        out[edge] = (t and type_only, d and dynamic)
    return out


def theirs(binary: Path, root: Path, dirs: list[str], extra_conditions: list[str]) -> Flags:
    config = root.parent / f".{root.name}.depcruise.cjs"
    config.write_text(CONFIG.format(conditions=json.dumps([*extra_conditions, *CONDITIONS])))
    out = subprocess.run(
        [str(binary), "-c", str(config), "--output-type", "json", *dirs],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    ).stdout
    pairs: list[tuple[Edge, bool, bool]] = []
    for module in json.loads(out)["modules"]:
        if not any(module["source"].startswith(d + "/") for d in dirs):
            continue
        for dep in module["dependencies"]:
            target = dep["resolved"]
            if dep["couldNotResolve"] or dep["coreModule"] or "node_modules/" in target:
                continue
            if (root / target).is_file():
                edge = (module["source"], os.path.normpath(target))
                pairs.append((edge, "type-only" in dep["dependencyTypes"], bool(dep["dynamic"])))
    return _fold(pairs)


def ours(root: Path, dirs: list[str]) -> tuple[Flags, Counter[str]]:
    files = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "node_modules" not in p.relative_to(root).parts
    )
    analyses = [analyze(f, (root / f).read_bytes()) for f in files if f.endswith(SOURCES)]
    ctx = RepoContext(files=frozenset(files), read=lambda p: _read(root, p), root_name=root.name)
    by_path = {a.path: a for a in analyses}
    pairs: list[tuple[Edge, bool, bool]] = []
    how: Counter[str] = Counter()
    for r in resolve_imports([a for a in analyses if any(a.path.startswith(d + "/") for d in dirs)], ctx):
        how[r.how] += 1
        if r.target is not None:
            imp = by_path[r.importer].imports[r.index]
            pairs.append(((r.importer, r.target), imp.type_only, imp.dynamic))
    return _fold(pairs), how


def _read(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except OSError:
        return None


def scores(reference: set[Edge], found: set[Edge]) -> dict[str, float]:
    both = len(reference & found)
    precision = both / len(found) if found else 1.0
    recall = both / len(reference) if reference else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpora", nargs="*", default=["svelte", "msw", "trpc", "tanstack", "rxjs"])
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    binary = tools()
    reports = []
    for name in args.corpora:
        root, dirs, extra_conditions = corpus(name)
        t0 = time.perf_counter()
        reference_flags = theirs(binary, root, dirs, extra_conditions)
        t1 = time.perf_counter()
        found_flags, how = ours(root, dirs)
        t2 = time.perf_counter()
        reference, found = set(reference_flags), set(found_flags)
        shared = reference & found
        reports.append(
            {
                "corpus": name,
                "depcruise_edges": len(reference),
                "our_edges": len(found),
                "both": len(reference & found),
                **scores(reference, found),
                "depcruise_seconds": round(t1 - t0, 2),
                "our_seconds": round(t2 - t1, 2),
                "type_only_edges": sum(1 for e in shared if reference_flags[e][0]),
                "type_only_agree": sum(1 for e in shared if reference_flags[e][0] == found_flags[e][0]),
                "dynamic_edges": sum(1 for e in shared if reference_flags[e][1]),
                "dynamic_agree": sum(1 for e in shared if reference_flags[e][1] == found_flags[e][1]),
                "flag_disagreements": [
                    f"{a} -> {b}: theirs {reference_flags[(a, b)]} ours {found_flags[(a, b)]}"
                    for a, b in sorted(shared)
                    if reference_flags[(a, b)] != found_flags[(a, b)]
                ][: args.samples],
                "resolution_how": dict(how.most_common()),
                "only_depcruise": [f"{a} -> {b}" for a, b in sorted(reference - found)[: args.samples]],
                "only_ours": [f"{a} -> {b}" for a, b in sorted(found - reference)[: args.samples]],
            }
        )
    if args.json:
        print(json.dumps(reports, indent=1))
        return 0
    for r in reports:
        print(
            f"{r['corpus']}: dependency-cruiser={r['depcruise_edges']} ours={r['our_edges']} both={r['both']} "
            f"precision={r['precision']:.4f} recall={r['recall']:.4f} F1={r['f1']:.4f} "
            f"({r['depcruise_seconds']}s / {r['our_seconds']}s)"
        )
        print(
            f"  flags on shared edges: type-only {r['type_only_edges']} (agree {r['type_only_agree']}/{r['both']}), "
            f"dynamic {r['dynamic_edges']} (agree {r['dynamic_agree']}/{r['both']})"
        )
        print(f"  resolution: {r['resolution_how']}")
        for line in r["flag_disagreements"]:
            print(f"  flags differ {line}")
        for line in r["only_depcruise"]:
            print(f"  only dependency-cruiser {line}")
        for line in r["only_ours"]:
            print(f"  only ours               {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
