"""The ``thread`` command line.

Errors a user can cause (a missing path, a bad option value) print one line on stderr and exit
with status 2; only bugs produce tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from resources.store.base import StoreError

from .cli_index import add_index_commands
from .cli_queries import UserError, add_query_commands
from .cli_serve import add_serve_commands
from .cli_watch import add_watch_command
from .discover import discover
from .engine import FileAnalysis, analyze_files, detect_language
from .engine.graph import CallEdge, Cycle, dependency_edges, find_cycles, resolve_calls
from .engine.languages import language_rows
from .engine.resolve import RepoContext, Resolution, resolve_imports


def _cmd_languages(args: argparse.Namespace, out: Console) -> int:
    rows = language_rows()
    columns = ("language", "name", "level", "recognised_by", "extracts")
    if args.json:
        print(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=1))
        return 0
    table = Table(title=f"{len(rows)} languages")
    for col in columns:
        table.add_column(col.replace("_", " "))
    for r in rows:
        table.add_row(*r)
    out.print(table)
    return 0


def _read_config(root: Path) -> Callable[[str], bytes | None]:
    def read(rel: str) -> bytes | None:
        try:
            return (root / rel).read_bytes()
        except OSError:
            return None

    return read


def _cmd_analyze(args: argparse.Namespace, out: Console) -> int:
    root = Path(args.path).expanduser()
    if not root.exists():
        raise UserError(f"no such file or directory: {args.path}")
    if args.workers is not None and args.workers < 0:
        raise UserError("--workers must be 0 (in-process) or more")
    if args.timeout <= 0:
        raise UserError("--timeout must be positive")
    base = root if root.is_dir() else root.parent
    found = list(discover(base)) if root.is_dir() else [f for f in discover(base) if f.abs_path == str(root.resolve())]
    items = [(f.path, f.abs_path, detect_language(f.path)) for f in found]
    items = [it for it in items if it[2] is not None or args.all_files]
    err = Console(stderr=True)
    results: list[FileAnalysis] = []
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=err,
        transient=True,
        disable=args.quiet or not err.is_terminal,
    ) as progress:
        task = progress.add_task("analyse", total=len(items), current="")
        for analysis in analyze_files(items, workers=args.workers, timeout_s=args.timeout, max_bytes=args.max_bytes):
            results.append(analysis)
            progress.update(task, advance=1, current=analysis.path[-60:])
    elapsed = time.perf_counter() - started
    ctx = RepoContext(files=frozenset(a.path for a in results), read=_read_config(base))
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
    table = Table(title=f"{s['files']} files in {s['seconds']} s")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in (
        "symbols",
        "imports",
        "unused_imports",
        "imports_resolved_in_repo",
        "calls",
        "calls_resolved",
        "cycles",
        "files_with_parse_errors",
    ):
        table.add_row(key.replace("_", " "), str(s[key]))
    out.print(table)
    langs = Table(title="files by language")
    langs.add_column("language")
    langs.add_column("files", justify="right")
    for lang, n in s["by_language"].items():
        langs.add_row(lang, str(n))
    out.print(langs)
    problems = s["problems"]
    if problems:
        out.print(f"[yellow]{len(problems)} file(s) not fully analysed:[/yellow]")
        for p in problems[:20]:
            out.print(f"  {p['path']}: {p['status']}: {p['reason']}")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="thread", description="Thread: a code-intelligence index of every file.")
    sub = ap.add_subparsers(dest="command", required=True)
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
    ap.set_defaults(
        query_handlers={
            **add_index_commands(sub),
            **add_watch_command(sub),
            **add_query_commands(sub),
            **add_serve_commands(sub),
        }
    )
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console()
    handlers = {"languages": _cmd_languages, "analyze": _cmd_analyze, **args.query_handlers}
    try:
        return handlers[args.command](args, out)
    except (UserError, StoreError) as exc:
        print(f"thread: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("thread: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
