"""``thread index``, ``thread audit`` and ``thread ui``: the commands that drive Dagster (audit
only reads the store).

Dagster is imported inside the handlers, so query commands stay quick to start.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import TaskID

from resources.store.base import StoreError
from resources.store.url import open_store
from thread_assets.repo.settings import DEFAULT_RUN_SIZE, RepoSettings
from thread_assets.repo.summary import IndexSummary

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
    if getattr(args, "run_size", None) is not None and args.run_size < 1:
        raise UserError("--run-size must be 1 or more files")
    return RepoSettings.resolve(
        repo_root(args.path),
        store_url=args.store,
        repo_name=getattr(args, "repo", None),
        include=getattr(args, "include", None),
        exclude=getattr(args, "exclude", None),
        workers=getattr(args, "workers", None),
        run_size=getattr(args, "run_size", None),
    )


def cmd_index(args: argparse.Namespace, out: Console) -> int:
    from thread_assets.repo.quick import up_to_date

    settings = settings_for(args)
    # nothing changed: answered from the store and a stat walk, before Dagster is even imported
    summary = None if args.force else up_to_date(settings)
    if summary is None:
        summary = _index(args, settings)
    data = dataclasses.asdict(summary)
    data["ui_command"] = ui_command(settings) if summary.dagster_home else None
    if args.json:
        print(json.dumps(data, indent=1, default=str))
        return 0
    _print_index_summary(out, data)
    return 0


def _index(args: argparse.Namespace, settings: RepoSettings) -> IndexSummary:
    from thread_assets.drivers.index import index_repository
    from thread_assets.orchestration.lock import LockBusy

    with progress_bar(args.quiet) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        def say(message: str) -> None:
            progress.console.print(message, soft_wrap=True, markup=False, highlight=False)

        try:
            summary = index_repository(settings, progress=report, force=args.force, wait=not args.no_wait, on_wait=say)
        except LockBusy as exc:
            raise UserError(f"{exc} (--no-wait: not waiting for it)") from None
        except (StoreError, RuntimeError, NotADirectoryError) as exc:
            raise UserError(str(exc)) from None
    return summary


LISTED = 20
"""``thread index`` prints this many paths per list, then "and N more" (``--json`` has them all)."""


def _print_index_summary(out: Console, s: dict[str, Any]) -> None:
    from rich.markup import escape

    headline = f"{s['repo']}: analysed {s['analysed']} of {s['files']} files in {s['seconds']:.1f} s"
    out.print(headline, soft_wrap=True, markup=False, highlight=False)
    keys = ("added", "changed", "removed", "renamed", "unchanged", "symbols", "imports", "calls", "cycles")
    rows = [(key, s[key]) for key in keys] + [("files with parse errors", s["files_with_parse_errors"])]
    out.print(counts_table("this update, then the whole index", rows))
    if s["by_language"]:
        langs = sorted(s["by_language"].items(), key=lambda kv: (-kv[1], kv[0]))
        out.print(counts_table("files by language", langs, label="language", value="files"))
    paths = s["paths"]
    first_index = s["added"] == s["files"] and not (s["changed"] or s["removed"] or s["renamed"])
    for what in ("changed", "removed", "renamed") if first_index else ("added", "changed", "removed", "renamed"):
        shown = [f"{old} -> {new}" for old, new in paths[what]] if what == "renamed" else paths[what]
        _print_list(out, f"{what} ({len(shown)}):", [escape(p) for p in shown])
    problems = [
        f"[yellow]{escape(p['path'])}[/yellow]: {p['status']}: {escape(p['reason'] or '')}" for p in s["problems"]
    ]
    _print_list(out, f"files not analysed cleanly ({len(problems)}):", problems)
    failed = sorted(name for name, ok in s["checks"].items() if not ok)
    for name in failed:
        named = [p for p in s["check_problems"] if p["check"] == name and p["counted"]]
        out.print(f"[yellow]asset check {escape(name)} is not passing[/yellow] (details in the Dagster UI):")
        _print_list(out, None, [_check_line(p, escape) for p in named])
    for name in sorted({p["check"] for p in s["check_problems"] if not p["counted"]}):
        ignored = [p for p in s["check_problems"] if p["check"] == name and not p["counted"]]
        _print_list(
            out,
            f"named by {escape(name)} but not failing it ({len(ignored)}):",
            [_check_line(p, escape) for p in ignored],
        )
    out.print(f"store: {s['store_url']}", soft_wrap=True, markup=False, highlight=False)
    if s.get("ui_command"):
        out.print(f"Dagster UI: {s['ui_command']}", soft_wrap=True, markup=False, highlight=False)
        out.print("  then open http://127.0.0.1:3000", soft_wrap=True, markup=False, highlight=False)


def _print_list(out: Console, heading: str | None, lines: list[str]) -> None:
    """``heading``, then the first :data:`LISTED` lines indented, then "and N more"."""
    if not lines:
        return
    if heading:
        out.print(heading, soft_wrap=True, highlight=False)
    for line in lines[:LISTED]:
        out.print(f"  {line}", soft_wrap=True, highlight=False)
    if len(lines) > LISTED:
        out.print(f"  and {len(lines) - LISTED} more (--json lists them all)", soft_wrap=True, highlight=False)


def _check_line(problem: dict[str, Any], escape: Any) -> str:
    path = problem["path"]
    reason = escape(str(problem["reason"]))
    return f"[yellow]{escape(path)}[/yellow]: {reason}" if path else reason


def thread_command(argv0: str | None = None) -> str:
    """How the user ran ``thread``, as a shell can run it again: ``thread`` when that name on
    PATH is this very executable, else the path it was run by (``.venv/bin/thread``; through
    ``scripts/thread``, the virtualenv's ``thread`` it runs), else ``python -m thread_assets.cli``."""
    import shlex
    import shutil

    argv0 = sys.argv[0] if argv0 is None else argv0
    if not argv0 or argv0 in ("-c", "-m") or Path(argv0).name in ("__main__.py", "-c"):
        return f"{shlex.quote(sys.executable)} -m thread_assets.cli"
    ran = argv0 if os.sep in argv0 else shutil.which(argv0)
    if ran is None:
        return f"{shlex.quote(sys.executable)} -m thread_assets.cli"
    on_path = shutil.which("thread")
    if on_path is not None and os.path.realpath(on_path) == os.path.realpath(ran):
        return "thread"
    return shlex.quote(ran)


def ui_command(settings: RepoSettings, argv0: str | None = None) -> str:
    """The ``thread ui`` command line that opens this index, to print as is: the repository
    quoted for the shell, ``--store`` unless the store is the default one (its password masked,
    or ``"$THREAD_STORE_URL"`` when that variable holds it), ``DAGSTER_HOME=`` when the instance
    is not the repository's own."""
    import shlex

    from resources.store.url import mask_password
    from thread_assets.repo.settings import DAGSTER_HOME_ENV, STORE_DIR, STORE_URL_ENV, default_store_url

    words = [thread_command(argv0), "ui", shlex.quote(str(settings.root))]
    if settings.store_url != default_store_url(settings.root):
        url = settings.store_url
        if mask_password(url) == url:
            words += ["--store", shlex.quote(url)]
        elif settings.env.get(STORE_URL_ENV) == url:
            words += ["--store", f'"${STORE_URL_ENV}"']
        else:
            words += ["--store", shlex.quote(mask_password(url)), "  # put the password back in"]
    if settings.dagster_home != settings.root / STORE_DIR / "dagster":
        words.insert(0, f"{DAGSTER_HOME_ENV}={shlex.quote(str(settings.dagster_home))}")
    return " ".join(words)


def cmd_audit(args: argparse.Namespace, out: Console) -> int:
    from thread_assets.repo.audit import audit

    settings = settings_for(args)
    try:
        store = open_store(settings.store_url, apply_schema=False)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        damage = store.integrity_check() if args.deep else None
        if damage:
            return _report_damage(args, out, store.url, damage)
        result = audit(
            settings.root,
            store,
            settings.name,
            include=settings.include,
            exclude=settings.exclude,
            memo=settings.stat_memo(),
            list_skipped=True,
        )
    finally:
        store.close()
    deep = {} if damage is None else {"integrity": damage}
    if args.json:
        print(json.dumps({**dataclasses.asdict(result), "fresh": result.fresh, **deep}, indent=1))
        return 0 if result.fresh else 1
    if deep:
        out.print("integrity: the store's own check found no damage")
    if result.fresh:
        out.print(f"fresh: all {result.checked} indexed files match the disk")
        _print_skipped(out, result.skipped)
    else:
        for what in ("stale", "missing", "unindexed"):
            paths = getattr(result, what)
            if paths:
                out.print(f"[yellow]{len(paths)} {what}[/yellow]: " + ", ".join(paths[:20]))
        if result.graphs_stale:
            out.print(
                "[yellow]graphs stale[/yellow]: files were written after the last graph build (an update was"
                " interrupted); imports, dependencies, cycles and calls may be out of date"
            )
        _print_skipped(out, result.skipped)
        out.print("run `thread index` to bring the index up to date")
    return 0 if result.fresh else 1


def _report_damage(args: argparse.Namespace, out: Console, url: str, damage: list[str]) -> int:
    """A damaged store is reported before (and instead of) its freshness: its answers, freshness
    included, cannot be trusted."""
    if args.json:
        print(json.dumps({"fresh": False, "integrity": damage}, indent=1))
        return 1
    from rich.markup import escape

    found = f"the store's own integrity check found {len(damage)} problem(s):"
    out.print(f"[red]{escape(url)} is damaged[/red]: {found}", soft_wrap=True)
    for line in damage[:LISTED]:
        out.print(f"  {line}", markup=False, highlight=False)
    if len(damage) > LISTED:
        out.print(f"  and {len(damage) - LISTED} more (--json lists them all)")
    out.print("rebuild it: delete it (or point --store at a new one) and run `thread index`")
    return 1


def _print_skipped(out: Console, skipped: list[Any]) -> None:
    """What discovery passed over, as the index's blind spots (a FIFO, a dangling symlink, a
    directory it cannot list): not a freshness problem, but the files there are not indexed."""
    if not skipped:
        return
    shown = ", ".join(f"{s.path} ({s.reason})" for s in skipped[:20])
    more = f", and {len(skipped) - 20} more (--json lists every one)" if len(skipped) > 20 else ""
    out.print(f"[dim]{len(skipped)} skipped[/dim]: {escape(shown)}{more}", highlight=False)


def cmd_ui(args: argparse.Namespace, out: Console) -> int:
    """The live system on the repository's instance, as ``dagster dev`` runs it: the webserver,
    and the daemon that ticks the file-change sensor (running by default), launches the runs it
    requests and evaluates freshness. So an edit shows up in the UI with no other command."""
    from thread_assets.orchestration.instance import ENV_DEFAULTS, open_instance

    settings = settings_for(args)
    root = settings.root
    if not 0 < args.port <= 65535:
        raise UserError(f"--port must be 1-65535, not {args.port}")
    ensure_port_free(args.host, args.port)
    try:
        import dagster_webserver  # noqa: F401
    except ImportError:
        raise UserError("dagster-webserver is not installed (pip install -e .)") from None
    home = claimed_instance_home(settings)
    open_instance(home).dispose()  # writes dagster.yaml on first use
    env = {
        **ENV_DEFAULTS,
        **os.environ,
        "DAGSTER_HOME": str(home),
        "THREAD_REPO_ROOT": str(root),
        "THREAD_REPO_NAME": settings.name,
        "THREAD_STORE_URL": settings.store_url,
    }
    env.pop("THREAD_REPO_ROOTS", None)  # this UI shows one repository's index
    out.print(
        f"Dagster UI and daemon for {root} on http://{args.host}:{args.port}; the file-change sensor keeps the "
        "index fresh (Ctrl-C to stop)",
        soft_wrap=True,
        highlight=False,
    )
    sys.stdout.flush()
    # dagster dev stops on SIGINT and maps SIGTERM to it: a SIGINT ignored by the launching shell (a
    # background job) would leave the UI, daemon and code servers impossible to stop short of SIGKILL
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    cmd = [sys.executable, "-m", "dagster", "dev", "-m", "thread_assets.definitions"]
    cmd += ["-h", args.host, "-p", str(args.port), "--log-level", "warning"]
    os.execve(sys.executable, cmd, env)
    return 0  # pragma: no cover - execve does not return


def claimed_instance_home(settings: RepoSettings) -> Path:
    """The repository's Dagster instance directory, claimed for it (one instance serves one
    repository: another's is refused in one line); ``<root>/.thread`` made for a default store."""
    from thread_assets.orchestration.instance import claim_instance

    settings.prepare()
    try:
        claim_instance(settings.dagster_home, settings.root)
    except RuntimeError as exc:
        raise UserError(str(exc)) from None
    return settings.dagster_home


def ensure_port_free(host: str, port: int) -> None:
    """One line, before anything starts, when another process listens on ``host:port``."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UserError(f"cannot listen on {host}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port}: {exc.strerror} (choose another --port)") from None


def add_index_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    idx = sub.add_parser("index", help="index (or update the index of) a repository through Dagster")
    idx.add_argument("path", help="the repository directory")
    idx.add_argument("--store", help=STORE_HELP)
    idx.add_argument("--include", action="append", help="only paths matching this glob (repeatable)")
    idx.add_argument("--exclude", action="append", help="skip paths matching this glob (repeatable)")
    idx.add_argument("--workers", type=int, default=None, help="analysis processes (default: every CPU)")
    idx.add_argument(
        "--run-size",
        type=int,
        default=None,
        metavar="N",
        help="most files per Dagster run: a larger update runs in ranges of at most N files, then the graphs "
        f"once (default: $THREAD_RUN_SIZE, else {DEFAULT_RUN_SIZE})",
    )
    idx.add_argument("--force", action="store_true", help="re-analyse every file")
    idx.add_argument("--json", action="store_true", help="print the summary as JSON")
    idx.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    idx.add_argument(
        "--no-wait",
        action="store_true",
        help="fail (exit 2) instead of waiting when another update of this index is in progress",
    )
    aud = sub.add_parser("audit", help="is the index fresh against disk? (exit 1 when not)")
    aud.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    aud.add_argument("--store", help=STORE_HELP)
    aud.add_argument("--repo", help="repository name in the store (default: the directory's name)")
    aud.add_argument("--json", action="store_true")
    aud.add_argument("--deep", action="store_true", help="also run the store's own integrity check of its storage")
    ui = sub.add_parser(
        "ui", help="the Dagster UI and daemon for a repository's index (the file-change sensor keeps it fresh)"
    )
    ui.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    ui.add_argument("--store", help=STORE_HELP)
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    return {"index": cmd_index, "audit": cmd_audit, "ui": cmd_ui}
