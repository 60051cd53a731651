"""``thread map``: the repository map, the most important signatures within a token budget.

Reads the plan the ``repo_rank`` asset stored (so it is as fresh as the last update); with
``--focus``, ranks are computed on the spot, personalized on the focus (docs/repomap.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import closing
from typing import Any

from rich.console import Console

from resources.store.ranks import DEFAULT_TOKENS, MAX_TOKENS, MapError, repo_map

from .errors import UserError
from .queries import QUERY_STORE_HELP, open_for_query, repo_path


def cmd_map(args: argparse.Namespace, out: Console) -> int:
    if not 1 <= args.tokens <= MAX_TOKENS:
        raise UserError(f"--tokens must be from 1 to {MAX_TOKENS}, not {args.tokens}")
    with closing(open_for_query(args.store)) as store:
        try:
            focus = [repo_path(f) if os.path.isabs(f) else f for f in args.focus or []]
            document = repo_map(store, repo=args.repo, tokens=args.tokens, focus=focus)
        except MapError as exc:
            print(f"thread: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(document, ensure_ascii=False))
    else:
        sys.stdout.write(document["text"])
        print(f"thread: {document['used']} of {args.tokens} tokens (cl100k_base)", file=sys.stderr)
    return 0


def add_map_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    """Register ``thread map``; returns {command: handler}."""
    p = sub.add_parser(
        "map",
        help="the repository map: top-ranked signatures, file by file, within a token budget",
        description="Symbols ranked by PageRank over resolved calls, imports and the type hierarchy; the files "
        "of the top-ranked ones with their signatures (not bodies) until the token budget (cl100k_base) is met.",
    )
    p.add_argument(
        "--tokens", type=int, default=DEFAULT_TOKENS, metavar="N", help=f"token budget (default {DEFAULT_TOKENS})"
    )
    p.add_argument(
        "--focus",
        action="append",
        metavar="PATH_OR_SYMBOL",
        help="personalize the ranking on a file or directory (repository-relative, or absolute inside the current "
        "directory) or a symbol (id, qualified name or name); repeatable",
    )
    p.add_argument("--store", help=QUERY_STORE_HELP)
    p.add_argument("--repo", help="only this repository (when several are indexed)")
    p.add_argument("--json", action="store_true", help="print JSON (the /api/map document)")
    return {"map": cmd_map}
