"""Golden call-graph programs: run the whole engine on each, compare edges with ``expected.json``.

A program is a directory ``tests/semantics/<language>/<category>/<program>/`` holding source
files and ``expected.json`` (format in ``tests/semantics/README.md``). Each program is analysed
alone, as a repository of its own: ``analyze`` on every file, ``resolve_imports``, then
``resolve_calls``; its resolved edges (caller, target) are compared with the expected ones.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from thread_assets.engine import analyze
from thread_assets.engine.detect import detect_language
from thread_assets.engine.graph import resolve_calls
from thread_assets.engine.resolve import RepoContext, resolve_imports

ROOT = Path(__file__).resolve().parent
CALLABLE_KINDS = frozenset({"function", "method", "property", "class", "struct"})
"""What an edge may point at: a callable, or a type without a constructor of its own."""

Edge = tuple[str, str]


@dataclass
class Result:
    program: str
    category: str
    expected: set[Edge]
    found: set[Edge]
    non_callable: list[Edge] = field(default_factory=list)

    @property
    def missing(self) -> set[Edge]:
        return self.expected - self.found

    @property
    def extra(self) -> set[Edge]:
        return self.found - self.expected


def programs(language: str) -> list[Path]:
    return sorted(p.parent for p in (ROOT / language).glob("*/*/expected.json"))


def run_program(directory: Path) -> Result:
    files = {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != "expected.json" and detect_language(p.name, b"") is not None
    }
    analyses = {path: analyze(path, data) for path, data in files.items()}
    resolutions = resolve_imports(analyses.values(), RepoContext(files=frozenset(files), read=files.get))
    kinds = {f"{path}::{s.id}": s.kind for path, a in analyses.items() for s in a.symbols}
    found: set[Edge] = set()
    non_callable: list[Edge] = []
    for edge in resolve_calls(analyses, resolutions):
        if edge.target is None:
            continue
        found.add((edge.caller, edge.target))
        if kinds.get(edge.target) not in CALLABLE_KINDS:
            non_callable.append((edge.caller, edge.target))
    spec = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    expected = {(caller, callee) for caller, callees in spec["edges"].items() for callee in callees}
    return Result(directory.name, directory.parent.name, expected, found, non_callable)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, r: Result) -> None:
        self.tp += len(r.expected & r.found)
        self.fp += len(r.extra)
        self.fn += len(r.missing)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(results: list[Result]) -> tuple[Score, dict[str, Score]]:
    """Micro-averaged over edges: overall and per category."""
    total = Score()
    per: dict[str, Score] = defaultdict(Score)
    for r in results:
        total.add(r)
        per[r.category].add(r)
    return total, dict(sorted(per.items()))
