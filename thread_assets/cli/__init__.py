"""The ``thread`` command line: one module per command group, each registering its commands.

Errors a user can cause (a missing path, a bad option or setting value) print one line on stderr
and exit with status 2; only bugs produce tracebacks.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from rich.console import Console

from resources.store.base import StoreError
from thread_assets.repo.settings import SettingsError

from .engine import add_engine_commands
from .errors import UserError
from .index import add_index_commands
from .mcp import add_mcp_command
from .queries import add_query_commands
from .repomap import add_map_command
from .serve import add_serve_commands
from .watch import add_watch_command


class ThreadParser(argparse.ArgumentParser):
    """An unrecognised option is reported by its sub-command's parser, with that command's usage
    (argparse would print the top-level usage, which does not show the command's options)."""

    commands: dict[str, argparse.ArgumentParser]

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            parser = self.commands.get(getattr(parsed, "command", None) or "", self)
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed


def build_parser() -> argparse.ArgumentParser:
    ap = ThreadParser(prog="thread", description="Thread: a code-intelligence index of every file.")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=argparse.ArgumentParser)
    ap.commands = sub.choices
    ap.set_defaults(
        handlers={
            **add_index_commands(sub),
            **add_watch_command(sub),
            **add_query_commands(sub),
            **add_map_command(sub),
            **add_serve_commands(sub),
            **add_mcp_command(sub),
            **add_engine_commands(sub),
        }
    )
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console()
    try:
        return int(args.handlers[args.command](args, out))
    except (UserError, StoreError, SettingsError) as exc:
        print(f"thread: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("thread: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
