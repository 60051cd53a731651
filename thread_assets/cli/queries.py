"""Query commands of the ``thread`` CLI: thin wrappers over the Store, printing a table or JSON.

Every command takes ``--store URL`` (default ``$THREAD_STORE_URL``, else the SQLite index of the
repository in the current directory) and ``--json``; they never write to the store.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from typing import Any

from rich.console import Console

from resources.store.base import TABLES, Store, StoreError
from resources.store.url import open_store
from thread_assets.repo.settings import query_store_url

from .errors import UserError
from .render import counts_table, table

QUERY_STORE_HELP = "store URL (default: $THREAD_STORE_URL, else ./.thread/index.db)"


def open_for_query(url: str | None) -> Store:
    """The store a query command reads (``--store``, else the environment, else the current
    directory's index), opened without touching its schema."""
    try:
        return open_store(query_store_url(url), apply_schema=False)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _print_rows(
    out: Console, rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str, as_json: bool
) -> None:
    if as_json:
        print(json.dumps(list(rows), indent=1, ensure_ascii=False, default=str))
        return
    if not rows:
        out.print(f"{title}: nothing found")
        return
    out.print(table(f"{title} ({len(rows)})", columns, ([row.get(c) for c in columns] for row in rows)))


def cmd_find(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        if args.search:
            rows = store.search_symbols(args.name, repo=args.repo, limit=args.limit)
        else:
            rows = store.find_symbols(
                args.name, repo=args.repo, kind=args.kind, language=args.lang, prefix=args.prefix, limit=args.limit
            )
    cols = ("path", "start_line", "kind", "qualified_name", "signature")
    _print_rows(out, rows, cols, f"symbols matching {args.name!r}", args.json)
    return 0


def cmd_calls(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        fn = store.callers if args.command == "callers" else store.callees
        rows = fn(args.symbol, repo=args.repo, limit=args.limit)
    cols = ("caller", "path", "start_line", "callee", "target", "how")
    _print_rows(out, rows, cols, f"{args.command} of {args.symbol}", args.json)
    return 0


def cmd_deps(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        rows = store.deps(args.path, repo=args.repo, direction=args.direction)
    cols = ("direction", "source", "target", "external", "import_count")
    _print_rows(out, rows, cols, f"dependencies of {args.path}", args.json)
    return 0


def cmd_cycles(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        rows = store.cycles(repo=args.repo)
    cols = ("kind", "member_count", "members", "cycle_path")
    _print_rows(out, rows, cols, "import cycles", args.json)
    return 0


def cmd_stats(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        stats = store.stats(repo=args.repo)
    if args.json:
        print(json.dumps(stats, indent=1, default=str))
        return 0
    rows = [
        (key.replace("_", " "), json.dumps(value, default=str) if isinstance(value, dict | list) else value)
        for key, value in stats.items()
    ]
    out.print(counts_table(f"index statistics ({store.url})", rows, value="value"))
    return 0


def cmd_export(args: argparse.Namespace, out: Console) -> int:
    if args.table not in TABLES:
        raise UserError(f"unknown table {args.table!r}; tables: {', '.join(TABLES)}")
    if args.format == "parquet" and not args.output:
        raise UserError("--format parquet needs --output FILE (it is a binary format)")
    with closing(open_for_query(args.store)) as store:
        rows = store.export(args.table, repo=args.repo)
        count = _write_export(rows, args.format, args.output)
    if args.output:
        Console(stderr=True).print(f"wrote {count} rows of {args.table} to {args.output}")
    return 0


def _write_export(rows: Iterator[dict[str, Any]], fmt: str, output: str | None) -> int:
    if fmt == "parquet":
        import polars as pl

        frame = pl.DataFrame(list(rows), infer_schema_length=None)
        frame.write_parquet(output)  # type: ignore[arg-type]
        return frame.height
    if not output:
        return _write_text(rows, fmt, sys.stdout)
    with open(output, "w", encoding="utf-8", newline="") as sink:
        return _write_text(rows, fmt, sink)


def _write_text(rows: Iterable[dict[str, Any]], fmt: str, sink: io.TextIOBase | Any) -> int:
    count = 0
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if fmt == "jsonl":
            sink.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(sink, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
        count += 1
    return count


def add_query_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    """Register the query sub-commands; returns {command: handler}."""

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", help=QUERY_STORE_HELP)
        p.add_argument("--repo", help="only this repository (when several are indexed)")
        p.add_argument("--json", action="store_true", help="print JSON")

    find = sub.add_parser("find", help="find symbols by name (exact, --prefix, or --search substring)")
    find.add_argument("name")
    find.add_argument("--kind", help="only this kind (function, method, class, ...)")
    find.add_argument("--lang", help="only this language")
    find.add_argument("--prefix", action="store_true", help="names starting with NAME")
    find.add_argument("--search", action="store_true", help="substring search in names, qualified names, docs")
    find.add_argument("--limit", type=int, default=50)
    common(find)
    for name in ("callers", "callees"):
        p = sub.add_parser(name, help=f"resolved {name} of a symbol (path::Qual.name, qualified name or name)")
        p.add_argument("symbol")
        p.add_argument("--limit", type=int, default=200)
        common(p)
    deps = sub.add_parser("deps", help="what a file imports and what imports it")
    deps.add_argument("path")
    deps.add_argument("--direction", choices=("out", "in", "both"), default="both")
    common(deps)
    cyc = sub.add_parser("cycles", help="every import cycle (strongly connected component, self-import)")
    common(cyc)
    st = sub.add_parser("stats", help="counts: files by language and status, symbols, imports, calls, cycles")
    common(st)
    ex = sub.add_parser("export", help="a whole table as jsonl, csv or parquet")
    ex.add_argument("table", help=f"one of: {', '.join(TABLES)}")
    ex.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    ex.add_argument("--output", "-o", help="file to write (default: stdout)")
    ex.add_argument("--store", help=QUERY_STORE_HELP)
    ex.add_argument("--repo", help="only this repository")
    return {
        "find": cmd_find,
        "callers": cmd_calls,
        "callees": cmd_calls,
        "deps": cmd_deps,
        "cycles": cmd_cycles,
        "stats": cmd_stats,
        "export": cmd_export,
    }
