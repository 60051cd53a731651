"""``thread languages`` and ``thread analyze``: the engine alone, no Dagster and no store."""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from rich.console import Console
from rich.progress import TextColumn

from thread_assets.engine import FileAnalysis, analyze_files, detect_language
from thread_assets.engine.graph import CallEdge, Cycle, dependency_edges, find_cycles, resolve_calls
from thread_assets.engine.languages import language_rows
from thread_assets.engine.resolve import RepoContext, Resolution, resolve_imports
from thread_assets.repo.discover import discover, index_path
from thread_assets.repo.indexable import indexable_files, is_indexable, stat_paths

from .errors import UserError
from .render import counts_table, progress_bar, table


def cmd_languages(args: argparse.Namespace, out: Console) -> int:
    rows = language_rows()
    columns = ("language", "name", "level", "recognised_by", "extracts")
    if args.json:
        print(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=1))
        return 0
    out.print(table(f"{len(rows)} languages", [c.replace("_", " ") for c in columns], rows))
    return 0


def _read_config(root: Path) -> Callable[[str], bytes | None]:
    def read(rel: str) -> bytes | None:
        try:
            return (root / rel).read_bytes()
        except OSError:
            return None

    return read


def cmd_analyze(args: argparse.Namespace, out: Console) -> int:
    root = Path(args.path).expanduser()
    if not root.exists():
        raise UserError(f"no such file or directory: {args.path}")
    if args.workers is not None and args.workers < 0:
        raise UserError("--workers must be 0 (in-process) or more")
    if args.timeout <= 0:
        raise UserError("--timeout must be positive")
    base = root if root.is_dir() else root.parent
    items = _files_to_analyse(root.resolve(), base, args.all_files)
    results: list[FileAnalysis] = []
    started = time.perf_counter()
    with progress_bar(args.quiet, TextColumn("{task.fields[current]}")) as progress:
        task = progress.add_task("analysing", total=len(items), current="")
        for analysis in analyze_files(items, workers=args.workers, timeout_s=args.timeout, max_bytes=args.max_bytes):
            results.append(analysis)
            progress.update(task, advance=1, current=analysis.path[-60:])
    elapsed = time.perf_counter() - started
    ctx = RepoContext(files=frozenset(a.path for a in results), read=_read_config(base), root_name=base.resolve().name)
    resolutions = resolve_imports(results, ctx)
    cycles = find_cycles(dependency_edges(resolutions))
    call_edges = resolve_calls(results, resolutions)
    if args.output:
        with open(args.output, "wb") as fh:
            for a in results:
                fh.write(msgspec.json.encode(a) + b"\n")
    summary = _summary(results, resolutions, cycles, call_edges, elapsed)
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        _print_summary(out, summary)
    return 0


def _files_to_analyse(root: Path, base: Path, all_files: bool) -> list[tuple[str, str, str | None]]:
    """The files ``thread index`` would index (the same discovery and language rules, so an
    extension-less script is in both or neither), or every discovered file with ``--all-files``;
    a single file when ``root`` is one. A file its name does not place is placed by its bytes."""
    if root.is_dir():
        found = list(discover(base)) if all_files else indexable_files(base)
    else:
        found = [f for f in stat_paths(base, [index_path(root.name)]) if all_files or is_indexable(f)]
        if not found and all_files:
            found = [f for f in discover(base) if f.abs_path == str(root)]
    return [(f.path, f.abs_path, detect_language(f.path)) for f in found]


def _summary(
    results: list[FileAnalysis],
    resolutions: list[Resolution],
    cycles: list[Cycle],
    call_edges: list[CallEdge],
    elapsed: float,
) -> dict[str, Any]:
    by_lang: Counter[str] = Counter(a.language or "(unknown)" for a in results)
    status: Counter[str] = Counter(a.status for a in results)
    imports = [i for a in results for i in a.imports]
    return {
        "files": len(results),
        "seconds": round(elapsed, 3),
        "bytes": sum(a.size_bytes for a in results),
        "by_language": dict(by_lang.most_common()),
        "status": dict(status),
        "symbols": sum(len(a.symbols) for a in results),
        "imports": len(imports),
        "unused_imports": sum(1 for i in imports if not i.used),
        "imports_resolved_in_repo": sum(1 for r in resolutions if r.target),
        "calls": sum(len(a.calls) for a in results),
        "calls_resolved": sum(1 for e in call_edges if e.target),
        "cycles": len(cycles),
        "largest_cycle": list(cycles[0].members) if cycles else [],
        "files_with_parse_errors": sum(1 for a in results if a.summary and a.summary.error_count),
        "problems": [{"path": a.path, "status": a.status, "reason": a.reason} for a in results if a.status != "ok"][
            :50
        ],
    }


def _print_summary(out: Console, s: dict[str, Any]) -> None:
    keys = (
        "symbols",
        "imports",
        "unused_imports",
        "imports_resolved_in_repo",
        "calls",
        "calls_resolved",
        "cycles",
        "files_with_parse_errors",
    )
    out.print(counts_table(f"{s['files']} files in {s['seconds']} s", [(k.replace("_", " "), s[k]) for k in keys]))
    out.print(counts_table("files by language", s["by_language"].items(), label="language", value="files"))
    problems = s["problems"]
    if problems:
        out.print(f"[yellow]{len(problems)} file(s) not fully analysed:[/yellow]")
        for p in problems[:20]:
            out.print(f"  {p['path']}: {p['status']}: {p['reason']}")


def add_engine_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    """Register ``languages`` and ``analyze``; returns {command: handler}."""
    lang = sub.add_parser("languages", help="list every supported language and what is extracted for it")
    lang.add_argument("--json", action="store_true", help="print JSON instead of a table")
    an = sub.add_parser("analyze", help="analyse a file or repository with the engine (no store) and summarise")
    an.add_argument("path", help="a repository directory or a single file")
    an.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count; 0 = in-process)")
    an.add_argument("--timeout", type=float, default=10.0, help="per-file time limit in seconds (default 10)")
    an.add_argument("--max-bytes", type=int, default=2 * 1024 * 1024, help="skip files larger than this")
    an.add_argument("--all-files", action="store_true", help="also record files of no known language")
    an.add_argument("--output", "-o", help="write every file's analysis as JSON lines to this file")
    an.add_argument("--json", action="store_true", help="print the summary as JSON")
    an.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    return {"languages": cmd_languages, "analyze": cmd_analyze}
