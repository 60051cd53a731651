"""Query commands of the ``thread`` CLI: thin wrappers over the Store, printing a table or JSON.

Every command takes ``--store URL`` (default ``$THREAD_STORE_URL``, else the SQLite index of the
repository in the current directory) and ``--json``; they never write to the store, and a store
without an index is one line (exit 2), never an empty answer. A name the index does not hold
(``find``, ``callers``, ``callees``) or a file it does not hold (``deps``) is said on stderr, with
near names, and exits 1 (``--json`` still prints ``[]``); a query that hits its ``--limit`` says
so on stderr.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import os
import posixpath
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, get_args

from rich.columns import Columns
from rich.console import Console
from rich.table import Table

from resources.store import rows as R
from resources.store.base import TABLES, Store, StoreError
from resources.store.url import open_index
from thread_assets.engine.languages import LANGUAGES
from thread_assets.engine.model import SymbolKind
from thread_assets.repo.settings import query_store_url

from .errors import UserError
from .render import counts_table, table

QUERY_STORE_HELP = "store URL (default: $THREAD_STORE_URL, else ./.thread/index.db)"
KINDS: tuple[str, ...] = get_args(SymbolKind)
SUGGESTIONS = 5


def open_for_query(url: str | None) -> Store:
    """The store a query command reads (``--store``, else the environment, else the current
    directory's index), opened without touching it; UserError when it holds no index."""
    try:
        return open_index(query_store_url(url))
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _err(message: str) -> None:
    print(f"thread: {message}", file=sys.stderr, flush=True)


def _check_limit(limit: int) -> int:
    if limit < 1:
        raise UserError(f"--limit must be 1 or more, not {limit}")
    return limit


def _trim(rows: list[dict[str, Any]], limit: int, as_json: bool) -> list[dict[str, Any]]:
    """``rows`` were fetched with ``limit + 1``: keep ``limit``, and say when there were more."""
    if len(rows) > limit and not as_json:
        _err(f"showing the first {limit}; --limit N for more")
    return rows[:limit]


def _near(word: str, candidates: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(word, list(candidates), n=SUGGESTIONS, cutoff=0.6)


def _did_you_mean(near: Sequence[str]) -> str:
    return f"; did you mean: {', '.join(near)}?" if near else ""


def _near_names(store: Store, name: str, repo: str | None) -> list[str]:
    """Up to five symbol names spelt like ``name`` (its last part for ``path::Qual.name``)."""
    word = name.rsplit("::", 1)[-1].rsplit(".", 1)[-1]
    if not word:
        return []
    # difflib's ratio 2M/(a+b) reaches 0.6 only when the shorter is at least 3/7 of the longer
    low, high = (len(word) * 3) // 7, (len(word) * 7 + 2) // 3
    return _near(word, store.symbol_names(repo=repo, min_length=low, max_length=high))


def _not_found(what: str, as_json: bool) -> int:
    if as_json:
        print("[]")
    _err(what)
    return 1


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


def _check_choice(option: str, value: str | None, valid: Iterable[str], listing: str) -> None:
    if value is None or value in valid:
        return
    near = _near(value, valid)
    raise UserError(f"unknown {option} {value!r}{_did_you_mean(near)} ({listing})")


def cmd_find(args: argparse.Namespace, out: Console) -> int:
    limit = _check_limit(args.limit)
    _check_choice("--kind", args.kind, KINDS, "kinds: " + ", ".join(KINDS))
    _check_choice("--lang", args.lang, LANGUAGES, "`thread languages` lists them")
    if args.search and (args.prefix or args.kind or args.lang):
        raise UserError("--search takes no --prefix, --kind or --lang")
    with closing(open_for_query(args.store)) as store:
        if args.search:
            rows = store.search_symbols(args.name, repo=args.repo, limit=limit + 1)
        else:
            rows = store.find_symbols(
                args.name, repo=args.repo, kind=args.kind, language=args.lang, prefix=args.prefix, limit=limit + 1
            )
        if not rows:
            return _not_found(_find_miss(store, args), args.json)
    rows = _trim(rows, limit, args.json)
    cols = ("path", "start_line", "kind", "qualified_name", "signature")
    _print_rows(out, rows, cols, f"symbols matching {args.name!r}", args.json)
    return 0


def _find_miss(store: Store, args: argparse.Namespace) -> str:
    if args.search:
        return f"no symbol name, qualified name or docstring contains {args.name!r}"
    if args.prefix:
        return f"no symbol name starts with {args.name!r}"
    what = f"no {args.kind or 'symbol'} named {args.name!r}" + (f" in {args.lang}" if args.lang else "")
    if args.kind or args.lang:
        other = store.find_symbols(args.name, repo=args.repo, limit=20)
        if other:
            found = sorted({f"{r['kind']} ({r['language']})" for r in other})
            return f"{what}; found as: {', '.join(found)}"
    return what + _did_you_mean(_near_names(store, args.name, args.repo))


def cmd_calls(args: argparse.Namespace, out: Console) -> int:
    limit = _check_limit(args.limit)
    with closing(open_for_query(args.store)) as store:
        fn = store.callers if args.command == "callers" else store.callees
        rows = fn(args.symbol, repo=args.repo, limit=limit + 1)
        if not rows and not store.find_symbols(args.symbol, repo=args.repo, limit=1):
            near = _near_names(store, args.symbol, args.repo)
            return _not_found(f"no symbol named {args.symbol!r}{_did_you_mean(near)}", args.json)
    rows = _trim(rows, limit, args.json)
    if args.json:
        _print_rows(out, rows, (), "", True)
        return 0
    if not rows:
        out.print(f"{args.command} of {args.symbol}: none")
        return 0
    out.print(calls_table(args.command, args.symbol, rows))
    return 0


def calls_table(command: str, symbol: str, rows: Sequence[dict[str, Any]]) -> Table:
    """Callers or callees, readable at 140 columns: the call site as ``path:line``, the caller's
    qualified name (its path is the call site's), the call as written, the resolved target and
    how it was resolved. The column every row shares (the target of callers, the caller of
    callees, when only one) moves into the title."""
    fixed = "target" if command == "callers" else "caller"
    shared = {r[fixed] for r in rows}
    title = f"{command} of {next(iter(shared)) if len(shared) == 1 else symbol} ({len(rows)})"
    columns = ["at", "caller", "call", "target", "receiver", "how"]
    if len(shared) == 1:
        columns.remove(fixed)

    def cells(row: dict[str, Any]) -> list[object]:
        caller = str(row["caller"])
        values = {
            "at": f"{row['path']}:{row['start_line']}",
            "caller": caller.split("::", 1)[1] if caller.startswith(f"{row['path']}::") else caller,
            "call": row["callee"],
            "target": row["target"] or _verdict(row),
            "receiver": row.get("receiver_type") or "",
            "how": row["how"],
        }
        return [values[c] for c in columns]

    key = "caller" if command == "callers" else "target"
    return table(title, columns, (cells(r) for r in rows), keep=(key, "how"))


def cmd_hierarchy(args: argparse.Namespace, out: Console) -> int:
    limit = _check_limit(args.limit)
    with closing(open_for_query(args.store)) as store:
        fn = store.hierarchy if args.command == "hierarchy" else store.implementations
        rows = fn(args.symbol, repo=args.repo, limit=limit + 1)
        if not rows and not store.find_symbols(args.symbol, repo=args.repo, limit=1):
            near = _near_names(store, args.symbol, args.repo)
            return _not_found(f"no symbol named {args.symbol!r}{_did_you_mean(near)}", args.json)
    rows = _trim(rows, limit, args.json)
    if args.json:
        _print_rows(out, rows, (), "", True)
        return 0
    if not rows:
        out.print(f"{args.command} of {args.symbol}: none")
        return 0
    if args.command == "hierarchy":
        cells = (
            [
                r["direction"],
                r["depth"],
                r["type"],
                r["kind"],
                r["target"] or f"{r['base']} ({r['module'] or 'external'})",
                f"{r['path']}:{r['start_line']}",
            ]
            for r in rows
        )
        columns: tuple[str, ...] = ("direction", "depth", "type", "relation", "base", "at")
    else:
        cells = (
            [r["symbol"], r["depth"], r["implementation"], r["kind"], r["relation"], f"{r['path']}:{r['start_line']}"]
            for r in rows
        )
        columns = ("of", "depth", "implementation", "kind", "relation", "at")
    out.print(table(f"{args.command} of {args.symbol} ({len(rows)})", columns, cells, numeric=("depth",)))
    return 0


def _verdict(row: dict[str, Any]) -> str:
    """An unresolved call's reason, with the module of an external callee."""
    reason = row.get("reason") or "unresolved"
    return f"({reason}: {row['callee_module']})" if row.get("callee_module") else f"({reason})"


def repo_path(path: str, cwd: Path | None = None) -> str:
    """A path as the index keys files: repository-relative with ``/``. An absolute path (or one
    with ``..``) must lie inside the current directory, the repository the query runs in."""
    cwd = (cwd or Path.cwd()).resolve()
    given = Path(path)
    if given.is_absolute() or ".." in given.parts:
        full = (cwd / given).resolve() if not given.is_absolute() else Path(os.path.normpath(given))
        try:
            return full.relative_to(cwd).as_posix()
        except ValueError:
            try:  # a symlinked spelling of the repository
                return full.resolve().relative_to(cwd).as_posix()
            except ValueError:
                raise UserError(
                    f"{path} is outside the repository ({cwd}): paths are relative to the repository root"
                ) from None
    return posixpath.normpath(given.as_posix())


def cmd_deps(args: argparse.Namespace, out: Console) -> int:
    path = repo_path(args.path)
    with closing(open_for_query(args.store)) as store:
        rows = store.deps(path, repo=args.repo, direction=args.direction)
        if not rows and not store.has_file(path, repo=args.repo):
            return _not_found(
                f"the index holds no file {path!r}{_did_you_mean(_near_paths(store, path, args))}", args.json
            )
    cols = ("direction", "source", "target", "external", "import_count", "only")
    if not args.json:  # a readable column for the two edge flags; --json keeps the booleans
        rows = [
            {**r, "only": "type-only" if r.get("type_only") else "deferred" if r.get("deferred") else ""} for r in rows
        ]
    _print_rows(out, rows, cols, f"dependencies of {path}", args.json)
    return 0


def _near_paths(store: Store, path: str, args: argparse.Namespace) -> list[str]:
    paths = [r["path"] for r in store.export("files", repo=args.repo)]
    tail = [p for p in paths if p.endswith("/" + path)]
    return tail[:SUGGESTIONS] or _near(path, paths)


def cmd_cycles(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        rows = store.cycles(repo=args.repo, skip_type_only=args.skip_type_only, skip_deferred=args.skip_deferred)
    left_out = [n for n, on in (("type-only", args.skip_type_only), ("deferred", args.skip_deferred)) if on]
    what = "import cycles" + (f" without {' and '.join(left_out)} edges" if left_out else "")
    if args.json:
        _print_rows(out, rows, (), "", True)
    elif not rows:
        out.print(f"{what}: none")
    else:
        cells = ([r["kind"], r["member_count"], " -> ".join(r["cycle_path"])] for r in rows)
        out.print(table(f"{what} ({len(rows)})", ("kind", "files", "cycle"), cells, numeric=("files",)))
    return 0


def cmd_stats(args: argparse.Namespace, out: Console) -> int:
    with closing(open_for_query(args.store)) as store:
        stats = store.stats(repo=args.repo)
    if args.json:
        print(json.dumps(stats, indent=1, default=str))
        return 0
    stats.pop("repo", None)
    where = store.url + (f", repository {args.repo}" if args.repo else "")
    out.print(f"index statistics of {where}", highlight=False, soft_wrap=True)
    verdicts = stats.pop("call_verdicts", {})
    scalars = [(key.replace("_", " "), value) for key, value in stats.items() if not isinstance(value, dict)]
    groups = [
        counts_table(key.replace("_", " "), [(str(k).replace("_", " "), _stat(k, v)) for k, v in value.items()])
        for key, value in stats.items()
        if isinstance(value, dict)
    ]
    out.print(Columns([counts_table("counts", scalars), *groups]))
    if verdicts:
        out.print(verdicts_table(verdicts))
    return 0


VERDICTS = ("resolved", "builtin", "external", "dynamic", "unknown")


def verdicts_table(verdicts: dict[str, dict[str, int]]) -> Table:
    """Each language's calls by verdict, as shares of its calls."""
    rows = []
    for language, counts in sorted(verdicts.items()):
        total = sum(counts.values())
        rows.append([language, total, *(f"{counts.get(v, 0) / total:.1%}" if total else "-" for v in VERDICTS)])
    return table("calls by verdict", ("language", "calls", *VERDICTS), rows, numeric=("calls", *VERDICTS))


def _stat(key: str, value: object) -> object:
    if key == "ratio":
        return "-" if value is None else f"{float(value):.1%}"  # type: ignore[arg-type]
    return value


def cmd_export(args: argparse.Namespace, out: Console) -> int:
    if args.table not in TABLES:
        raise UserError(f"unknown table {args.table!r}; tables: {', '.join(TABLES)}")
    if args.format == "parquet" and not args.output:
        raise UserError("--format parquet needs --output FILE (it is a binary format)")
    with closing(open_for_query(args.store)) as store:
        rows = (R.plain(args.table, list(row), list(row.values())) for row in store.export(args.table, repo=args.repo))
        count = _write_export(args.table, rows, args.format, args.output)
    if args.output:
        Console(stderr=True).print(f"wrote {count} rows of {args.table} to {args.output}")
    return 0


def _flat(value: Any) -> Any:
    """A cell of csv and parquet: booleans stay booleans (csv: true/false), lists and objects are
    JSON text, the same JSON that jsonl and ``--json`` show."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_export(table_name: str, rows: Iterator[dict[str, Any]], fmt: str, output: str | None) -> int:
    if fmt == "parquet":
        import polars as pl

        flat = [{k: _flat(v) for k, v in row.items()} for row in rows]
        frame = (
            pl.DataFrame(flat, infer_schema_length=None)
            if flat
            else pl.DataFrame({c: [] for c in R.COLUMNS[table_name]})
        )
        frame.write_parquet(output)  # type: ignore[arg-type]
        return frame.height
    if not output:
        return _write_text(table_name, rows, fmt, sys.stdout)
    with open(output, "w", encoding="utf-8", newline="") as sink:
        return _write_text(table_name, rows, fmt, sink)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _flat(value)


def _write_text(table_name: str, rows: Iterable[dict[str, Any]], fmt: str, sink: io.TextIOBase | Any) -> int:
    count = 0
    writer: csv.DictWriter[str] | None = None
    if fmt == "csv":
        writer = csv.DictWriter(sink, fieldnames=list(R.COLUMNS[table_name]))
        writer.writeheader()
    for row in rows:
        if writer is None:
            sink.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
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
    find.add_argument("--kind", metavar="KIND", help=f"only this kind: {', '.join(KINDS)}")
    find.add_argument("--lang", help="only this language (`thread languages` lists them)")
    find.add_argument("--prefix", action="store_true", help="names starting with NAME")
    find.add_argument(
        "--search",
        action="store_true",
        help="substring search in names, qualified names, docs (not with --prefix, --kind, --lang)",
    )
    find.add_argument(
        "--limit", type=int, default=50, metavar="N", help="at most N symbols (default 50; stderr says when cut)"
    )
    common(find)
    for name in ("callers", "callees"):
        p = sub.add_parser(name, help=f"resolved {name} of a symbol (path::Qual.name, qualified name or name)")
        p.add_argument("symbol")
        p.add_argument(
            "--limit", type=int, default=200, metavar="N", help="at most N calls (default 200; stderr says when cut)"
        )
        common(p)
    hier = sub.add_parser("hierarchy", help="ancestors and descendants of a class, struct, interface or trait")
    hier.add_argument("symbol")
    hier.add_argument("--limit", type=int, default=200, metavar="N", help="at most N relations (default 200)")
    common(hier)
    impl = sub.add_parser(
        "implementations",
        help="what implements an interface or trait (or extends a class); for Type.method, the overriding methods",
    )
    impl.add_argument("symbol")
    impl.add_argument("--limit", type=int, default=200, metavar="N", help="at most N implementations (default 200)")
    common(impl)
    deps = sub.add_parser("deps", help="what a file imports and what imports it")
    deps.add_argument("path", help="repository-relative, or absolute inside the current directory")
    deps.add_argument("--direction", choices=("out", "in", "both"), default="both")
    common(deps)
    cyc = sub.add_parser("cycles", help="every import cycle (strongly connected component, self-import)")
    cyc.add_argument(
        "--skip-type-only",
        action="store_true",
        help="leave out edges whose imports are all type-only (if TYPE_CHECKING, import type): run-time cycles",
    )
    cyc.add_argument(
        "--skip-deferred",
        action="store_true",
        help="leave out edges whose run-time imports are all deferred (in a function body, import()): "
        "with --skip-type-only, the cycles that can fail at import time",
    )
    common(cyc)
    st = sub.add_parser("stats", help="counts: files by language and status, symbols, imports, calls, cycles")
    common(st)
    ex = sub.add_parser(
        "export",
        help="a whole table as jsonl, csv or parquet",
        description="A whole table. jsonl: one JSON object a row, as --json shows (true/false, arrays)."
        " csv: true/false, lists and objects as JSON text, null as an empty cell. parquet: booleans,"
        " lists and objects as JSON text.",
    )
    ex.add_argument("table", help=f"one of: {', '.join(TABLES)}")
    ex.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    ex.add_argument("--output", "-o", help="file to write (default: stdout)")
    ex.add_argument("--store", help=QUERY_STORE_HELP)
    ex.add_argument("--repo", help="only this repository")
    return {
        "find": cmd_find,
        "callers": cmd_calls,
        "callees": cmd_calls,
        "hierarchy": cmd_hierarchy,
        "implementations": cmd_hierarchy,
        "deps": cmd_deps,
        "cycles": cmd_cycles,
        "stats": cmd_stats,
        "export": cmd_export,
    }
