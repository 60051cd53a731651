"""``thread index``, ``thread audit`` and ``thread ui``: the commands that drive Dagster.

Dagster is imported inside the handlers, so query commands stay quick to start.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from resources.store.base import StoreError
from resources.store.url import open_store

from .cli_queries import UserError

STAGES = {"discover": "finding files", "analyse": "analysing", "graphs": "building graphs"}


def _repo_root(path: str) -> Path:
    root = Path(path).expanduser()
    if not root.exists():
        raise UserError(f"no such directory: {path}")
    if not root.is_dir():
        raise UserError(f"not a directory: {path} (index a repository directory)")
    return root.resolve()


def cmd_index(args: argparse.Namespace, out: Console) -> int:
    from .indexer import index_repository

    root = _repo_root(args.path)
    if args.workers is not None and args.workers < 0:
        raise UserError("--workers must be 0 (every CPU) or more")
    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=args.quiet or not err.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            summary = index_repository(
                root,
                store_url=args.store,
                progress=report,
                include=args.include or (),
                exclude=args.exclude or (),
                workers=args.workers or 0,
                force=args.force,
            )
        except (StoreError, RuntimeError, NotADirectoryError) as exc:
            raise UserError(str(exc)) from None
    data = dataclasses.asdict(summary)
    if args.json:
        print(json.dumps(data, indent=1, default=str))
        return 0
    _print_index_summary(out, data)
    return 0


def _print_index_summary(out: Console, s: dict[str, Any]) -> None:
    title = f"{s['repo']}: {s['files']} files indexed in {s['seconds']:.1f} s"
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("added", "changed", "removed", "renamed", "unchanged", "symbols", "imports", "calls", "cycles"):
        table.add_row(key, str(s[key]))
    table.add_row("files with parse errors", str(s["files_with_parse_errors"]))
    out.print(table)
    if s["by_language"]:
        langs = Table(title="files by language")
        langs.add_column("language")
        langs.add_column("files", justify="right")
        for lang, n in sorted(s["by_language"].items(), key=lambda kv: (-kv[1], kv[0])):
            langs.add_row(lang, str(n))
        out.print(langs)
    for problem in s["problems"][:20]:
        out.print(f"[yellow]{problem['path']}[/yellow]: {problem['status']}: {problem['reason']}")
    failed = [name for name, ok in s["checks"].items() if not ok]
    if failed:
        out.print(f"[yellow]asset checks not passing: {', '.join(sorted(failed))}[/yellow] (see the Dagster UI)")
    out.print(f"store: {s['store_url']}")
    if s["dagster_home"]:
        out.print(f"Dagster UI: thread ui {s['root']}   (then open http://127.0.0.1:3000)")


def cmd_audit(args: argparse.Namespace, out: Console) -> int:
    from .assets.repo import cache_dir_for, repo_name_for
    from .audit import audit
    from .changes import StatMemo, memo_path
    from .definitions import default_store_url

    root = _repo_root(args.path)
    try:
        store = open_store(args.store or default_store_url(root), apply_schema=False)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        result = audit(
            root, store, args.repo or repo_name_for(root), memo=StatMemo(memo_path(cache_dir_for(root)), str(root))
        )
    finally:
        store.close()
    if args.json:
        print(json.dumps({**dataclasses.asdict(result), "fresh": result.fresh}, indent=1))
    elif result.fresh:
        out.print(f"fresh: all {result.checked} indexed files match the disk")
    else:
        for what in ("stale", "missing", "unindexed"):
            paths = getattr(result, what)
            if paths:
                out.print(f"[yellow]{len(paths)} {what}[/yellow]: " + ", ".join(paths[:20]))
        out.print("run `thread index` to bring the index up to date")
    return 0 if result.fresh else 1


def cmd_ui(args: argparse.Namespace, out: Console) -> int:
    from .definitions import default_store_url
    from .indexer import dagster_home, open_instance

    root = _repo_root(args.path)
    exe = shutil.which("dagster-webserver", path=str(Path(sys.executable).parent)) or shutil.which("dagster-webserver")
    if exe is None:
        raise UserError("dagster-webserver is not installed (pip install -e .)")
    home = dagster_home(root)
    open_instance(home).dispose()  # writes dagster.yaml on first use
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "THREAD_REPO_ROOT": str(root),
        "THREAD_STORE_URL": args.store or os.environ.get("THREAD_STORE_URL") or default_store_url(root),
    }
    out.print(f"Dagster UI for {root} on http://{args.host}:{args.port} (Ctrl-C to stop)")
    cmd = [exe, "-m", "thread_assets.definitions", "-h", args.host, "-p", str(args.port)]
    os.execve(exe, cmd, env)
    return 0  # pragma: no cover - execve does not return


def add_index_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    idx = sub.add_parser("index", help="index (or update the index of) a repository through Dagster")
    idx.add_argument("path", help="the repository directory")
    idx.add_argument("--store", help="store URL (default: sqlite:///PATH/.thread/index.db)")
    idx.add_argument("--include", action="append", help="only paths matching this glob (repeatable)")
    idx.add_argument("--exclude", action="append", help="skip paths matching this glob (repeatable)")
    idx.add_argument("--workers", type=int, default=None, help="analysis processes (default: every CPU)")
    idx.add_argument("--force", action="store_true", help="re-analyse every file")
    idx.add_argument("--json", action="store_true", help="print the summary as JSON")
    idx.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    aud = sub.add_parser("audit", help="is the index fresh against disk? (exit 1 when not)")
    aud.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    aud.add_argument("--store", help="store URL (default: sqlite:///PATH/.thread/index.db)")
    aud.add_argument("--repo", help="repository name in the store (default: the directory's name)")
    aud.add_argument("--json", action="store_true")
    ui = sub.add_parser("ui", help="the Dagster UI for a repository's index")
    ui.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    ui.add_argument("--store", help="store URL")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    return {"index": cmd_index, "audit": cmd_audit, "ui": cmd_ui}
