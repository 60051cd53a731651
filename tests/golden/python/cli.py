#!/usr/bin/env python3
"""Command-line entry point: argument parsing, sub-commands and a tiny plugin loader."""

import argparse
import importlib.util
import os
import sys

from .. import __version__
from ..core import engine as core_engine
from ...shared.config import Settings, load_settings

VERBOSE = os.environ.get("APP_VERBOSE") == "1"
_commands = {}


def command(name):
    """Register a sub-command under *name*."""

    def decorator(fn):
        _commands[name] = fn
        return fn

    return decorator


class CommandError(Exception):
    """Raised by a sub-command to exit with a message."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


class _Output:
    __quiet = False

    def write(self, text):
        if not self.__quiet:
            sys.stdout.write(text + "\n")

    def _flush(self):
        sys.stdout.flush()


class JsonOutput(_Output):
    def write(self, text):
        import json

        super().write(json.dumps({"message": text}))


@command("run")
def run(args, out):
    settings = load_settings(args.config) if args.config else Settings()
    result = core_engine.Engine(settings).run(args.target)
    out.write(f"{result.count} items")
    return 0


@command("plugins")
def list_plugins(args, out):
    for path in sorted(os.listdir(args.dir)):
        spec = importlib.util.spec_from_file_location(path[:-3], os.path.join(args.dir, path))
        if spec is None:
            continue
        out.write(spec.name)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="app", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--json", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run")
    run_p.add_argument("target")
    run_p.add_argument("--config")
    sub.add_parser("plugins").add_argument("dir")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    out = JsonOutput() if args.json else _Output()
    try:
        return _commands[args.command](args, out)
    except CommandError as exc:
        out.write(str(exc))
        return exc.code
    finally:
        out._flush()


if __name__ == "__main__":
    sys.exit(main())
