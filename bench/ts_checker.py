"""Thread's TypeScript call edges against the TypeScript compiler's checker.

For every call and ``new`` expression of a real TypeScript package, the checker's
``getResolvedSignature(call).declaration`` (``bench/ts_checker.mjs``) is the oracle; Thread's
``call_edges`` for the same files (``analyze`` + ``resolve_imports`` + ``resolve_calls``) are
matched to it by the call's location, and the declaration to Thread's symbol by file, name and the
name's position. Scores:

- recall: calls the checker resolves to a declaration of the package that Thread's edges reach;
- precision: Thread's (non-dispatch) edges at calls the checker resolves that point where the
  checker does (an edge at a call the checker resolves into the standard library is wrong);
- apart: dispatch edges (interface/abstract calls fanned out to implementations), edges at calls
  the checker gives no declaration (``new C()`` without a constructor, calls on ``any``), and
  checker targets Thread has no symbol for (anonymous functions).

Overloads compare by qualified name (Thread keeps one symbol per signature; the checker picks
one). The ``typescript`` npm package is installed once, pinned, into the cache beside the corpora
(``$THREAD_CORPUS_DIR/../node/typescript-VERSION``), never into the repository.

Usage: python -m bench.ts_checker [--corpus rxjs] [--under DIR] [--show N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.corpora import cache_root, fetch
from thread_assets.engine import analyze
from thread_assets.engine.graph import CallEdge, resolve_calls
from thread_assets.engine.model import FileAnalysis, Symbol
from thread_assets.engine.resolve import RepoContext, resolve_imports

TYPESCRIPT = "5.9.3"
CALLABLE_KINDS = frozenset({"function", "method", "class"})
SCRIPT = Path(__file__).resolve().parent / "ts_checker.mjs"


def typescript_dir() -> Path:
    """The pinned ``typescript`` package, installed on first use with npm."""
    dest = cache_root().parent / "node" / f"typescript-{TYPESCRIPT}"
    if not (dest / "node_modules" / "typescript" / "package.json").exists():
        dest.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", f"typescript@{TYPESCRIPT}"],
            cwd=dest,
            check=True,
        )
    return dest


def corpus_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.suffix in (".ts", ".tsx") and not p.name.endswith(".d.ts")
    )


def checker_rows(root: Path, files: list[str]) -> list[dict[str, object]]:
    proc = subprocess.run(
        ["node", str(SCRIPT), str(typescript_dir()), str(root), *files],
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


class _Positions:
    """(line, UTF-16 column) as the compiler counts -> byte offset as tree-sitter counts."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.split(b"\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def byte(self, line: int, col16: int) -> int:
        text = self.lines[line].decode("utf-8", "replace") if line < len(self.lines) else ""
        units = 0
        for i, ch in enumerate(text):
            if units >= col16:
                return self.starts[line] + len(text[:i].encode())
            units += 2 if ord(ch) > 0xFFFF else 1
        return self.starts[line] + len(text.encode())


@dataclass
class Score:
    checker_calls: int = 0
    expected: int = 0
    """Calls the checker resolves to a named declaration of the package."""
    found: int = 0
    thread_edges: int = 0
    """Non-dispatch edges at calls the checker resolves (to the package or the library)."""
    correct: int = 0
    dispatch_edges: int = 0
    edges_without_declaration: int = 0
    anonymous_targets: int = 0
    not_callable: int = 0
    library_calls: int = 0
    wrong_library: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.thread_edges if self.thread_edges else 1.0


def thread_graph(root: Path, files: list[str]) -> tuple[dict[str, FileAnalysis], list[CallEdge]]:
    analyses = {f: analyze(f, (root / f).read_bytes()) for f in files}
    ctx = RepoContext(files=frozenset(files), read=lambda p: (root / p).read_bytes() if (root / p).is_file() else None)
    resolutions = resolve_imports(analyses.values(), ctx)
    return analyses, resolve_calls(analyses, resolutions)


def _symbol_at(analysis: FileAnalysis, name: str, offset: int) -> Symbol | None:
    best: Symbol | None = None
    for s in analysis.symbols:
        loc = s.location
        if s.name == name and loc.start_byte <= offset < loc.end_byte:
            if best is None or loc.end_byte - loc.start_byte < best.location.end_byte - best.location.start_byte:
                best = s
    return best


def score(root: Path, files: list[str], rows: list[dict[str, object]]) -> Score:
    analyses, edges = thread_graph(root, files)
    positions = {f: _Positions((root / f).read_bytes()) for f in files}
    qnames = {f"{f}::{s.id}": f"{f}::{s.qualified_name}" for f, a in analyses.items() for s in a.symbols}
    at_call: dict[tuple[str, int, int], list[CallEdge]] = {}
    for e in edges:
        at_call.setdefault((e.path, e.location.start_byte, e.location.end_byte), []).append(e)
    out = Score()
    for row in rows:
        f = str(row["file"])
        pos = positions[f]
        start, end = row["start"], row["end"]
        key = (f, pos.byte(*start), pos.byte(*end))  # type: ignore[misc]
        found = at_call.get(key)
        if found is None:
            continue  # a call Thread does not list (tagged templates are not calls there)
        out.checker_calls += 1
        plain = [e for e in found if e.target is not None and not e.dispatch]
        out.dispatch_edges += sum(1 for e in found if e.dispatch)
        verdict = "resolved" if plain else (found[0].reason or "unknown")
        out.verdicts[verdict] += 1
        where = f"{f}:{start[0] + 1} {row['text']}"  # type: ignore[index]
        decl = row.get("decl")
        if not isinstance(decl, dict):
            out.edges_without_declaration += len(plain)
            continue
        got = {qnames.get(e.target or "", e.target or "") for e in plain}
        if decl["file"] == "<lib>":
            out.library_calls += 1
            out.thread_edges += len(plain)
            out.wrong_library += len(plain)
            out.wrong.extend(f"{where} -> {g} (checker: library {decl['name']})" for g in got)
            continue
        dfile = str(decl["file"])
        sym = None
        if decl["name"] and dfile in analyses:
            sym = _symbol_at(analyses[dfile], str(decl["name"]), positions[dfile].byte(*decl["at"]))
        if sym is None:
            out.anonymous_targets += 1
            out.thread_edges += len(plain)  # Thread names a symbol where the checker names none
            out.wrong.extend(f"{where} -> {g} (checker: {decl['kind']} without a symbol)" for g in got)
            continue
        if sym.kind not in CALLABLE_KINDS:
            out.not_callable += 1  # a field or variable of function type: never an edge in Thread
            continue
        want = f"{dfile}::{sym.qualified_name}"
        out.expected += 1
        out.thread_edges += len(plain)
        if want in got:
            out.found += 1
            out.correct += 1
        else:
            out.misses.append(f"{where} -> {want} [{verdict}; {sorted(got)}]")
        out.wrong.extend(f"{where} -> {g} (checker: {want})" for g in got if g != want)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="rxjs")
    parser.add_argument("--under", default="", help="only this directory of the corpus (msw: src)")
    parser.add_argument("--show", type=int, default=0, help="print N random misses and N wrong edges")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    root = fetch(args.corpus) / args.under
    files = corpus_files(root)
    s = score(root, files, checker_rows(root, files))
    result = {
        "corpus": args.corpus,
        "files": len(files),
        "typescript": TYPESCRIPT,
        "calls": s.checker_calls,
        "expected_edges": s.expected,
        "recall": round(s.recall, 4),
        "precision": round(s.precision, 4),
        "thread_edges": s.thread_edges,
        "wrong_edges": s.thread_edges - s.correct,
        "of_which_into_library": s.wrong_library,
        "library_calls": s.library_calls,
        "dispatch_edges": s.dispatch_edges,
        "edges_where_checker_has_no_declaration": s.edges_without_declaration,
        "checker_targets_without_thread_symbol": s.anonymous_targets,
        "checker_targets_thread_holds_not_callable": s.not_callable,
        "verdicts": dict(s.verdicts.most_common()),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for k, v in result.items():
            print(f"{k:42} {v}")
    if args.show:
        rng = random.Random(0)
        for title, items in (("misses", s.misses), ("wrong edges", s.wrong)):
            print(f"\n{title} ({len(items)}):")
            for line in rng.sample(items, min(args.show, len(items))):
                print("  " + line)


if __name__ == "__main__":
    main()
