"""``thread watch PATH``: keep a repository's index fresh as files change
(:mod:`thread_assets.drivers.watch`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console

from .errors import UserError
from .index import STORE_HELP, claimed_instance_home, settings_for

if TYPE_CHECKING:
    from thread_assets.drivers.watch import BatchReport


def cmd_watch(args: argparse.Namespace, out: Console) -> int:
    from thread_assets.drivers.watch import Watcher, serve
    from thread_assets.orchestration.instance import dagster_env_defaults, open_instance
    from thread_assets.orchestration.lock import LockBusy

    if args.debounce_ms < 0:
        raise UserError("--debounce-ms must be 0 or more")
    settings = settings_for(args)
    from resources.store.url import mask_password

    root, url = settings.root, mask_password(settings.store_url)
    home = claimed_instance_home(settings)

    on_batch = BatchPrinter(out, as_json=args.json)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with dagster_env_defaults(), open_instance(home) as instance:
        watcher = Watcher(
            settings,
            instance=instance,
            debounce_ms=args.debounce_ms,
            on_batch=on_batch,
            wait=not args.no_wait,
            on_wait=say,
        )
        try:
            stats = serve(
                watcher,
                ready=lambda: (
                    out.print(f"watching {root} (store {url}); Ctrl-C to stop", highlight=False)
                    if not args.json
                    else print(json.dumps({"ready": str(root)}), flush=True)
                ),
            )
        except LockBusy as exc:
            raise UserError(f"{exc} (--no-wait: not waiting for it)") from None
        if stats is None:  # a second signal: the batch in progress is abandoned, never committed
            if not args.json:
                out.print("stopped: the update in progress was abandoned")
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        if not args.json:
            out.print(on_batch.summary(stats.failures))
    return 0


class BatchPrinter:
    """Prints each batch that did something (``--json``: every batch) and counts what it printed,
    so the closing line counts the updates the user saw: a batch that found nothing to do (the
    catch-up scan at start, a rescan after an ignore file changed) is neither shown nor counted."""

    def __init__(self, out: Console, *, as_json: bool) -> None:
        self.out = out
        self.as_json = as_json
        self.updates = 0
        """Successful updates printed."""

    def __call__(self, report: BatchReport) -> None:
        if self.as_json:
            self._json(report)
            return
        ran = report.outcome is not None and bool(report.outcome.run_ids)
        if report.error:
            self.out.print(f"[yellow]update failed (attempt {report.attempt}), will retry:[/yellow] {report.error}")
        elif report.changes or ran:
            what = report.changes.describe() if report.changes else "no file changed, graphs rebuilt"
            run = f" (run {report.outcome.run_ids[-1][:8]})" if report.outcome and report.outcome.run_ids else ""
            self.out.print(f"{what} -> indexed in {report.seconds * 1000:.0f} ms{run}")
            self.updates += 1

    def _json(self, report: BatchReport) -> None:
        line: dict[str, Any] = {
            "added": len(report.changes.added),
            "changed": len(report.changes.modified),
            "removed": len(report.changes.removed),
            "renamed": len(report.changes.renamed),
            "seconds": round(report.seconds, 3),
        }
        if report.error:
            line |= {"error": report.error, "attempt": report.attempt}
        else:
            self.updates += 1
        print(json.dumps(line), flush=True)

    def summary(self, failures: int) -> str:
        return f"stopped after {self.updates} update(s), {failures} failed attempt(s)"


def add_watch_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    w = sub.add_parser("watch", help="keep a repository's index fresh as files change (long-lived)")
    w.add_argument("path", nargs="?", default=".", help="the repository directory (default: .)")
    w.add_argument("--store", help=STORE_HELP)
    w.add_argument("--include", action="append", help="only paths matching this glob (repeatable)")
    w.add_argument("--exclude", action="append", help="skip paths matching this glob (repeatable)")
    w.add_argument("--workers", type=int, default=None, help="analysis processes (default: every CPU)")
    w.add_argument(
        "--debounce-ms",
        type=int,
        default=15,
        help="quiet time that ends a burst of saves (default 15 ms: a burst ends 15-30 ms after its last event)",
    )
    w.add_argument("--json", action="store_true", help="one JSON line per update")
    w.add_argument(
        "--no-wait",
        action="store_true",
        help="fail (exit 2) instead of waiting when another update of this index is in progress at start-up",
    )
    return {"watch": cmd_watch}
