"""``thread index``, ``thread audit`` and ``thread ui``: the commands that drive Dagster (audit
only reads the store).

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
from rich.progress import TaskID

from resources.store.base import StoreError
from resources.store.url import open_store
from thread_assets.repo.settings import RepoSettings

from .errors import UserError
from .render import counts_table, progress_bar

STORE_HELP = "store URL (default: $THREAD_STORE_URL, else sqlite:///PATH/.thread/index.db)"
STAGES = {"discover": "finding files", "analyse": "analysing", "graphs": "building graphs"}


def repo_root(path: str) -> Path:
    """The repository directory a command was given, or a one-line error."""
    root = Path(path).expanduser()
    if not root.exists():
        raise UserError(f"no such directory: {path}")
    if not root.is_dir():
        raise UserError(f"not a directory: {path} (index a repository directory)")
    return root.resolve()


def settings_for(args: argparse.Namespace) -> RepoSettings:
    """The settings of the repository a command names: its flags, then the environment, then
    the defaults (:mod:`thread_assets.repo.settings`)."""
    if getattr(args, "workers", None) is not None and args.workers < 0:
        raise UserError("--workers must be 0 (every CPU) or more")
    return RepoSettings.resolve(
        repo_root(args.path),
        store_url=args.store,
        repo_name=getattr(args, "repo", None),
        include=getattr(args, "include", None),
        exclude=getattr(args, "exclude", None),
        workers=getattr(args, "workers", None),
    )


def cmd_index(args: argparse.Namespace, out: Console) -> int:
    from thread_assets.drivers.index import index_repository

    settings = settings_for(args)
    with progress_bar(args.quiet) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            summary = index_repository(settings, progress=report, force=args.force)
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
    keys = ("added", "changed", "removed", "renamed", "unchanged", "symbols", "imports", "calls", "cycles")
    rows = [(key, s[key]) for key in keys] + [("files with parse errors", s["files_with_parse_errors"])]
    out.print(counts_table(title, rows))
    if s["by_language"]:
        langs = sorted(s["by_language"].items(), key=lambda kv: (-kv[1], kv[0]))
        out.print(counts_table("files by language", langs, label="language", value="files"))
    for problem in s["problems"][:20]:
        out.print(f"[yellow]{problem['path']}[/yellow]: {problem['status']}: {problem['reason']}")
    failed = [name for name, ok in s["checks"].items() if not ok]
    if failed:
        out.print(f"[yellow]asset checks not passing: {', '.join(sorted(failed))}[/yellow] (see the Dagster UI)")
    out.print(f"store: {s['store_url']}")
    if s["dagster_home"]:
        out.print(f"Dagster UI: thread ui {s['root']}   (then open http://127.0.0.1:3000)")


def cmd_audit(args: argparse.Namespace, out: Console) -> int:
    from thread_assets.repo.audit import audit

    settings = settings_for(args)
    try:
        store = open_store(settings.store_url, apply_schema=False)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        result = audit(
            settings.root,
            store,
            settings.name,
            include=settings.include,
            exclude=settings.exclude,
            memo=settings.stat_memo(),
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
    from thread_assets.orchestration.instance import open_instance

    settings = settings_for(args)
    root = settings.root
    exe = shutil.which("dagster-webserver", path=str(Path(sys.executable).parent)) or shutil.which("dagster-webserver")
    if exe is None:
        raise UserError("dagster-webserver is not installed (pip install -e .)")
    home = settings.dagster_home
    open_instance(home).dispose()  # writes dagster.yaml on first use
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "THREAD_REPO_ROOT": str(root),
        "THREAD_STORE_URL": settings.store_url,
    }
    env.pop("THREAD_REPO_ROOTS", None)  # this UI shows one repository's index
    out.print(f"Dagster UI for {root} on http://{args.host}:{args.port} (Ctrl-C to stop)")
    cmd = [exe, "-m", "thread_assets.definitions", "-h", args.host, "-p", str(args.port)]
    os.execve(exe, cmd, env)
    return 0  # pragma: no cover - execve does not return


def add_index_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    idx = sub.add_parser("index", help="index (or update the index of) a repository through Dagster")
    idx.add_argument("path", help="the repository directory")
    idx.add_argument("--store", help=STORE_HELP)
    idx.add_argument("--include", action="append", help="only paths matching this glob (repeatable)")
    idx.add_argument("--exclude", action="append", help="skip paths matching this glob (repeatable)")
    idx.add_argument("--workers", type=int, default=None, help="analysis processes (default: every CPU)")
    idx.add_argument("--force", action="store_true", help="re-analyse every file")
    idx.add_argument("--json", action="store_true", help="print the summary as JSON")
    idx.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    aud = sub.add_parser("audit", help="is the index fresh against disk? (exit 1 when not)")
    aud.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    aud.add_argument("--store", help=STORE_HELP)
    aud.add_argument("--repo", help="repository name in the store (default: the directory's name)")
    aud.add_argument("--json", action="store_true")
    ui = sub.add_parser("ui", help="the Dagster UI for a repository's index")
    ui.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    ui.add_argument("--store", help=STORE_HELP)
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    return {"index": cmd_index, "audit": cmd_audit, "ui": cmd_ui}
