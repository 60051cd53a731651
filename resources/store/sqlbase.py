"""Everything the SQL backends share: the SQL files, row (de)serialisation, queries and results.

A backend only supplies a transaction (``_transaction``: a :class:`Tx` that can execute,
executemany, bulk-insert, select, and keep up a search index the database does not maintain
itself), a reader (``_select``) and a streamer (``_stream``). All statements here are written
with ``:name`` parameters and constant table/column names; the Postgres backend converts them
with :func:`to_pyformat`. Keeping the logic in one place is what makes both stores return the
same answers: the cross-store test checks it on a real repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from itertools import groupby, islice
from pathlib import Path
from typing import Any, Protocol

import msgspec

from thread_assets.engine import CallEdge, Cycle, DepEdge, FileAnalysis, PatternMatch, Resolution
from thread_assets.engine.graph import HierarchyEdge
from thread_assets.engine.graph.incremental import GraphDelta

from . import rows as R
from .base import GRAPH_TABLES, PER_FILE_TABLES, TABLES, Direction, FileState
from .faults import kill_point
from .ranks import RankQueries


def _sql_dir() -> Traversable:
    """The repository's top-level ``sql/``: an installed wheel carries it inside this package
    (pyproject.toml maps it there), while a source checkout (an editable install, the tests) has
    it only at the top level, two directories above this file."""
    packaged = files(__package__).joinpath("sql")
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "sql"


SQL_DIR = _sql_dir()
Params = Mapping[str, Any]


@cache
def load_sql(name: str, dialect: str) -> str:
    """``sql/<dialect>/<name>.sql`` if the dialect has its own version, else ``sql/queries/<name>.sql``."""
    own = SQL_DIR / dialect / f"{name}.sql"
    return (own if own.is_file() else SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def schema_sql() -> str:
    return (SQL_DIR / "schema.sql").read_text(encoding="utf-8")


@cache
def schema_columns() -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, declaration)] in sql/schema.sql order.

    Stores created by an older Thread lack columns added since; ``CREATE TABLE IF NOT EXISTS``
    never adds them, so each backend compares this with the live table and adds what is missing
    (:func:`add_column_sql`). New columns must therefore be nullable or carry a DEFAULT."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", schema_sql(), re.S):
        cols = []
        for line in body.splitlines():
            m = re.match(r"\s+(\w+) ((?:BIGINT|DOUBLE PRECISION|TEXT)\b[^,]*),?\s*$", line)
            if m and m[1].upper() not in ("PRIMARY", "UNIQUE", "FOREIGN", "CHECK"):
                cols.append((m[1], m[2].strip()))
        out[table] = cols
    return out


def add_column_sql(table: str, live: set[str], *, if_not_exists: bool = False) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for each schema column of ``table`` missing from ``live``."""
    guard = "IF NOT EXISTS " if if_not_exists else ""
    return [
        f"ALTER TABLE {table} ADD COLUMN {guard}{col} {decl}"
        for col, decl in schema_columns().get(table, [])
        if col not in live
    ]


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@cache
def to_pyformat(sql: str) -> str:
    """``:name`` -> ``%(name)s`` for psycopg (``::type`` casts left alone, literal ``%`` doubled)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def _select_columns(table: str) -> str:
    return ", ".join(R.COLUMNS[table])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (code-point order,
    which is UTF-8 byte order: SQLite BINARY and Postgres COLLATE "C" agree)."""
    chars = list(prefix)
    while chars:
        code = ord(chars.pop()) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000
        if code <= 0x10FFFF:
            return "".join(chars) + chr(code)
    return "\U0010ffff" * (len(prefix) + 16)


class Tx(Protocol):
    def execute(self, sql: str, params: Params) -> int: ...
    def executemany(self, sql: str, params: Sequence[Params]) -> int: ...
    def insert(self, table: str, rows: Sequence[R.Row]) -> int: ...
    def select(self, sql: str, params: Params) -> list[tuple[Any, ...]]: ...

    def forget_search(self, repo: str, paths: Sequence[str]) -> None:
        """Before the paths' symbols are deleted: drop them from a search index the database
        does not maintain itself (SQLite FTS5); a no-op where an index follows the table."""
        ...

    def index_search(self, repo: str, paths: Sequence[str]) -> None:
        """After the paths' symbols are inserted: add them to such a search index."""
        ...

    def bookkeep(self, sql: str, params: Params) -> None:
        """A write to ``index_state``: part of the transaction, not of the rows the write
        reports (D1 counts every other statement of its batch)."""
        ...


class SqlStore(RankQueries):
    """The Store protocol over any backend that provides the three primitives below."""

    url: str
    dialect: str

    # ---- backend primitives

    def _transaction(self) -> AbstractContextManager[Tx]:
        raise NotImplementedError

    def _select(self, sql: str, params: Params) -> tuple[list[str], list[tuple[Any, ...]]]:
        raise NotImplementedError

    def _stream(self, sql: str, params: Params) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def _query(self, name: str, params: Params) -> list[dict[str, Any]]:
        columns, rows = self._select(load_sql(name, self.dialect), params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    # ---- writes

    def write_files(
        self,
        repo: str,
        analyses: Sequence[FileAnalysis],
        matches: Mapping[str, Sequence[PatternMatch]] | None = None,
        *,
        run_id: str = "",
        indexed_at: str = "",
    ) -> int:
        matches = matches or {}
        paths = sorted({a.path for a in analyses} | set(matches))
        by_table = R.per_file_rows(repo, analyses, matches, run_id, indexed_at)
        written = 0
        with self._transaction() as tx:
            _delete_paths(tx, repo, paths, PER_FILE_TABLES)
            for table in PER_FILE_TABLES:
                written += tx.insert(table, by_table[table])
            tx.index_search(repo, sorted({a.path for a in analyses if a.symbols}))
            if paths:
                _files_changed(tx, repo)
        kill_point("after_files_commit")
        return written

    def delete_files(self, repo: str, paths: Sequence[str]) -> int:
        paths = sorted(set(paths))
        with self._transaction() as tx:
            deleted = _delete_paths(
                tx, repo, paths, (*PER_FILE_TABLES, "import_resolutions", "call_edges", "type_hierarchy")
            )
            params = [{"repo": repo, "path": p} for p in paths]
            # graph rows that point *at* a deleted file go too: no row may name a file that is gone
            deleted += tx.executemany("DELETE FROM import_resolutions WHERE repo = :repo AND target = :path", params)
            deleted += tx.executemany(
                "DELETE FROM dep_edges WHERE repo = :repo AND (source = :path OR (external = 0 AND target = :path))",
                params,
            )
            bounds = [{"repo": repo, "low": p + "::", "high": prefix_upper_bound(p + "::")} for p in paths]
            deleted += tx.executemany(
                "DELETE FROM call_edges WHERE repo = :repo AND target >= :low AND target < :high", bounds
            )
            deleted += tx.executemany(
                "DELETE FROM type_hierarchy WHERE repo = :repo AND target >= :low AND target < :high", bounds
            )
            gone = set(paths)
            doomed = [
                {"repo": repo, "ordinal": ordinal}
                for ordinal, members in tx.select(
                    "SELECT ordinal, members FROM cycles WHERE repo = :repo ORDER BY ordinal", {"repo": repo}
                )
                if gone.intersection(msgspec.json.decode(members))
            ]
            deleted += tx.executemany("DELETE FROM cycles WHERE repo = :repo AND ordinal = :ordinal", doomed)
            if paths:
                _files_changed(tx, repo)
        kill_point("after_removals")
        return deleted

    def write_graph(
        self,
        repo: str,
        resolutions: Sequence[Resolution],
        dep_edges: Sequence[DepEdge],
        cycles: Sequence[Cycle],
        call_edges: Sequence[CallEdge],
        *,
        run_id: str = "",
        hierarchy: Sequence[HierarchyEdge] = (),
    ) -> int:
        by_table = R.graph_rows(repo, resolutions, dep_edges, cycles, call_edges, run_id, hierarchy)
        written = 0
        with self._transaction() as tx:
            for table in GRAPH_TABLES:
                tx.execute(f"DELETE FROM {table} WHERE repo = :repo", {"repo": repo})
                written += tx.insert(table, by_table[table])
            _graphs_built(tx, repo, None)
        return written

    # ---- reads of records

    def file_states(self, repo: str) -> dict[str, FileState]:
        sql = (
            "SELECT path, content_hash, size_bytes, language, extractor_version, status FROM files"
            " WHERE repo = :repo ORDER BY path"
        )
        _, rows = self._select(sql, {"repo": repo})
        return {r[0]: FileState(*r) for r in rows}

    def _rows_where(self, table: str, where: str, params: Params) -> list[tuple[Any, ...]]:
        key = ", ".join(R.PRIMARY_KEYS[table])
        return self._select(f"SELECT {_select_columns(table)} FROM {table} WHERE {where} ORDER BY {key}", params)[1]

    def _table_rows(self, table: str, repo: str, path: str | None) -> list[tuple[Any, ...]]:
        where = "repo = :repo" if path is None else f"repo = :repo AND {R.PATH_COLUMN[table]} = :path"
        return self._rows_where(table, where, {"repo": repo, "path": path})

    def _chunks(self, repo: str, paths: Sequence[str] | None) -> Iterator[tuple[str, Params]]:
        """(WHERE on ``path``, params) per chunk of ``paths`` (all of ``repo`` when None): one
        statement per ``LOAD_CHUNK`` files instead of one per file (the graph step loads the
        changed files and their importers, often hundreds of files, and a statement per file
        and table made the load a large part of the step)."""
        if paths is None:
            yield "repo = :repo", {"repo": repo}
            return
        unique = sorted(set(paths))
        for i in range(0, len(unique), LOAD_CHUNK):
            chunk = unique[i : i + LOAD_CHUNK]
            names = [f"p{j}" for j in range(len(chunk))]
            yield (
                "repo = :repo AND {col} IN (" + ", ".join(f":{n}" for n in names) + ")",
                {"repo": repo, **dict(zip(names, chunk, strict=True))},
            )

    def load_analyses(self, repo: str, paths: Sequence[str] | None = None) -> list[FileAnalysis]:
        found: dict[str, FileAnalysis] = {}
        for where, params in self._chunks(repo, paths):
            rows = {t: self._rows_where(t, where.format(col=R.PATH_COLUMN[t]), params) for t in _ANALYSIS_TABLES}
            children = {t: _by_path(rows[t]) for t in _ANALYSIS_TABLES[1:]}
            for f in rows["files"]:
                found[f[1]] = R.analysis_from_rows(
                    f,
                    children["symbols"].get(f[1], ()),
                    children["imports"].get(f[1], ()),
                    children["calls"].get(f[1], ()),
                    children["bindings"].get(f[1], ()),
                    children["type_relations"].get(f[1], ()),
                )
        order = list(found) if paths is None else list(dict.fromkeys(paths))
        return [found[p] for p in order if p in found]

    def load_matches(self, repo: str, paths: Sequence[str] | None = None) -> dict[str, list[PatternMatch]]:
        out: dict[str, list[PatternMatch]] = {}
        for where, params in self._chunks(repo, paths):
            table = "pattern_matches"
            for p, rows in _by_path(self._rows_where(table, where.format(col=R.PATH_COLUMN[table]), params)).items():
                out[p] = [R.match_from_row(r) for r in rows]
        if paths is None:
            return out
        return {p: out[p] for p in dict.fromkeys(paths) if p in out}

    def load_graph(self, repo: str) -> tuple[list[Resolution], list[DepEdge], list[Cycle], list[CallEdge]]:
        """The repository's graph records, in primary-key order (not part of the Store protocol)."""
        return (
            [R.resolution_from_row(r) for r in self._table_rows("import_resolutions", repo, None)],
            [R.dep_edge_from_row(r) for r in self._table_rows("dep_edges", repo, None)],
            [R.cycle_from_row(r) for r in self._table_rows("cycles", repo, None)],
            [R.call_edge_from_row(r) for r in self._table_rows("call_edges", repo, None)],
        )

    # ---- incremental graph support (thread_assets/engine/graph/incremental.py)

    def load_imports(self, repo: str, paths: Sequence[str] | None = None) -> list[FileAnalysis]:
        """FileAnalysis records with only path, language, status and imports: what import
        resolution reads (two queries for the whole repository, against four for full analyses)."""
        out: list[FileAnalysis] = []
        for where, params in self._chunks(repo, paths):
            columns = "repo, path, language, status, build_ignored"
            sql = f"SELECT {columns} FROM files WHERE {where.format(col='path')} ORDER BY path"
            files = self._select(sql, params)[1]
            imports = _by_path(self._rows_where("imports", where.format(col=R.PATH_COLUMN["imports"]), params))
            out += [R.imports_analysis(f, imports.get(f[1], ())) for f in files]
        return out

    def load_resolutions(self, repo: str, paths: Sequence[str] | None = None) -> list[Resolution]:
        """Stored import resolutions (of ``paths``' importers, or all), in key order."""
        table = "import_resolutions"
        return [
            R.resolution_from_row(r)
            for where, params in self._chunks(repo, paths)
            for r in self._rows_where(table, where.format(col=R.PATH_COLUMN[table]), params)
        ]

    def load_hierarchy(self, repo: str, paths: Sequence[str] | None = None) -> list[HierarchyEdge]:
        """Stored resolved hierarchy rows (of ``paths``, or all), in key order."""
        table = "type_hierarchy"
        return [
            R.hierarchy_from_row(r)
            for where, params in self._chunks(repo, paths)
            for r in self._rows_where(table, where.format(col=R.PATH_COLUMN[table]), params)
        ]

    def go_methods(self, repo: str) -> list[tuple[str, str]]:
        """(path, qualified name) of every method of a Go type (see ``graph.calls.go_method_index``)."""
        return [(r["path"], r["qualified_name"]) for r in self._query("go_methods", {"repo": repo})]

    def index_summary(self, repo: str) -> dict[str, Any]:
        """What ``thread index`` prints of the whole index, from aggregates (no row per file read
        back): files per language, files with syntax errors, symbol, import and call counts, and
        the files that are not ``ok`` with the run that wrote them."""
        groups = self._query("summary_files", {"repo": repo})
        by_language = {r["language"]: int(r["files"]) for r in groups}
        errors = sum(int(r["with_syntax_errors"]) for r in groups)
        counts = self._query("summary_counts", {"repo": repo})[0]
        return {
            "files_by_language": by_language,
            "files_with_parse_errors": errors,
            **{k: int(counts[k]) for k in ("symbols", "imports", "calls")},
            "not_ok": self._query("summary_problems", {"repo": repo}),
        }

    def graph_input(self, repo: str, kind: str, path: str) -> str | None:
        """One graph input's digest (see ``graph_input.sql``), None when there is none."""
        rows = self._query("graph_input", {"repo": repo, "kind": kind, "path": path})
        return str(rows[0]["digest"]) if rows else None

    def relation_paths(self, repo: str) -> list[str]:
        """Paths of the files that declare type relations (see ``relation_paths.sql``)."""
        return [r["path"] for r in self._query("relation_paths", {"repo": repo})]

    def load_cycles(self, repo: str) -> list[Cycle]:
        return [R.cycle_from_row(r) for r in self._table_rows("cycles", repo, None)]

    def internal_dep_pairs(self, repo: str) -> list[tuple[str, str]]:
        """(source, target) of every dependency edge between repository files."""
        sql = "SELECT source, target FROM dep_edges WHERE repo = :repo AND external = 0 ORDER BY source, target"
        return [(r[0], r[1]) for r in self._select(sql, {"repo": repo})[1]]

    def load_graph_inputs(self, repo: str) -> dict[str, dict[str, str]]:
        """kind -> path -> digest of what the last graph build consumed and produced."""
        out: dict[str, dict[str, str]] = {}
        sql = "SELECT kind, path, digest FROM graph_inputs WHERE repo = :repo ORDER BY kind, path"
        for kind, path, digest in self._select(sql, {"repo": repo})[1]:
            out.setdefault(kind, {})[path] = digest
        return out

    def write_graph_delta(self, repo: str, delta: GraphDelta, *, run_id: str = "") -> int:
        """Apply one graph build in ONE transaction: graph rows of the changed sources / call
        paths (or all of them, ``delta.full``), the cycles, and the graph inputs. Call edges
        given as an iterator (not a sequence) are consumed inside the transaction in batches,
        before ``delta.inputs`` is read."""
        cycles = delta.cycles if delta.cycles is not None else ()
        streamed = not isinstance(delta.call_edges, Sequence)
        by_table = R.graph_rows(
            repo,
            delta.resolutions,
            delta.dep_edges,
            cycles,
            () if streamed else delta.call_edges,
            run_id,
            delta.hierarchy,
        )
        written = 0
        kill_point("before_graph_commit")
        with self._transaction() as tx:
            if delta.full:
                for table in (*GRAPH_TABLES, "graph_inputs"):
                    tx.execute(f"DELETE FROM {table} WHERE repo = :repo", {"repo": repo})
            else:
                sources = [{"repo": repo, "path": p} for p in delta.sources]
                tx.executemany("DELETE FROM import_resolutions WHERE repo = :repo AND importer = :path", sources)
                tx.executemany("DELETE FROM dep_edges WHERE repo = :repo AND source = :path", sources)
                call_paths = [{"repo": repo, "path": p} for p in delta.call_paths]
                tx.executemany("DELETE FROM call_edges WHERE repo = :repo AND path = :path", call_paths)
                tx.executemany("DELETE FROM type_hierarchy WHERE repo = :repo AND path = :path", call_paths)
                if delta.cycles is not None:
                    tx.execute("DELETE FROM cycles WHERE repo = :repo", {"repo": repo})
                for kind in delta.inputs_replaced_kinds:
                    tx.execute(
                        "DELETE FROM graph_inputs WHERE repo = :repo AND kind = :kind", {"repo": repo, "kind": kind}
                    )
                keys = sorted({(k, p) for k, p in delta.inputs_deleted} | {(k, p) for k, p, _ in delta.inputs})
                tx.executemany(
                    "DELETE FROM graph_inputs WHERE repo = :repo AND kind = :kind AND path = :path",
                    [{"repo": repo, "kind": k, "path": p} for k, p in keys],
                )
            for table in GRAPH_TABLES:
                if table != "cycles" or delta.cycles is not None:
                    written += tx.insert(table, by_table[table])
            if streamed:  # edges made while the transaction is open, a batch at a time
                ordinals: dict[str, int] = {}
                stream = iter(delta.call_edges)
                while batch := list(islice(stream, GRAPH_EDGE_BATCH)):
                    written += tx.insert("call_edges", R.call_edge_rows(repo, batch, run_id, ordinals))
            # read only now: a streamed build completes its inputs as its edges run out
            inputs = [(repo, kind, path, digest) for kind, path, digest in delta.inputs]
            tx.insert("graph_inputs", inputs)
            _graphs_built(tx, repo, delta.files_version)
            kill_point("in_graph_commit")
        return written

    def index_versions(self, repo: str) -> tuple[int, int]:
        """(files_version, graphs_version) of ``index_state``; (0, 0) for a repository never written."""
        sql = "SELECT files_version, graphs_version FROM index_state WHERE repo = :repo"
        rows = self._select(sql, {"repo": repo})[1]
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def graphs_behind(self, repo: str) -> bool:
        """Whether a per-file write or removal committed after the last graph build read the files.
        A database made before ``index_state`` existed, opened by a reader that does not create
        tables, has no record of it: not behind, as far as the store knows."""
        if not self._state_table_seen:
            self._state_table_seen = "index_state" in {row[0] for row in self._select(self._TABLE_NAMES, {})[1]}
            if not self._state_table_seen:
                return False
        files_version, graphs_version = self.index_versions(repo)
        return files_version > graphs_version

    _state_table_seen = False

    def graph_counts(self, repo: str) -> dict[str, Any]:
        """Row counts of the graph tables (asset metadata), in one query."""
        counts = self._query("graph_counts", {"repo": repo})[0]
        counts["calls_by_how"] = {r["how"]: r["n"] for r in self._query("graph_calls_by_how", {"repo": repo})}
        verdicts: dict[str, dict[str, int]] = {}
        for v in self._query("stats_verdicts", {"repo": repo}):
            verdicts.setdefault(v["language"], {})[v["verdict"]] = v["n"]
        counts["call_verdicts"] = verdicts
        counts["hierarchy_relations"] = self._query("graph_hierarchy_counts", {"repo": repo})[0]
        return counts

    def graph_dangling(self, repo: str, *, limit: int = 20) -> dict[str, list[str]]:
        """Graph rows naming files or symbols that are not indexed (the graph integrity checks):
        ``deps``: dependency edges and cycle members; ``calls``: resolved calls."""
        params = {"repo": repo, "limit": limit}
        return {
            "deps": [r["problem"] for r in self._query("graph_dangling_deps", params)],
            "calls": [r["problem"] for r in self._query("graph_dangling_calls", params)],
        }

    def symbol_probe_names(self, repo: str, *, files: int = 5, limit: int = 10) -> list[str]:
        """Distinct symbol names (3+ characters) of the ``files`` most recently indexed files."""
        return [r["name"] for r in self._query("symbol_probe_names", {"repo": repo, "files": files, "limit": limit})]

    # ---- queries

    def find_symbols(
        self,
        name: str,
        *,
        repo: str | None = None,
        kind: str | None = None,
        language: str | None = None,
        prefix: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "name": name,
            "repo": repo,
            "kind": kind,
            "language": language,
            "limit": limit,
            "offset": offset,
        }
        if prefix:
            params |= {"upper": prefix_upper_bound(name), "length": len(name)}
        rows = self._query("find_symbols_prefix" if prefix else "find_symbols", params)
        return [R.plain("symbols", list(r), list(r.values())) for r in rows]

    def search_symbols(self, text: str, *, repo: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        if not text:
            return []
        escaped = _like_escape(text)
        params = {
            "exact": escaped,
            "starts": escaped + "%",
            "contains": "%" + escaped + "%",
            "phrase": '"' + text.replace('"', '""') + '"',
            "repo": repo,
            "limit": limit,
        }
        name = "search_symbols" if len(text) >= 3 or self.dialect != "sqlite" else "search_symbols_short"
        return [R.plain("symbols", list(r), list(r.values())) for r in self._query(name, params)]

    def callers(self, symbol: str, *, repo: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        return self._query("callers", {"symbol": symbol, "repo": repo, "limit": limit})

    def callees(self, symbol: str, *, repo: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        return self._query("callees", {"symbol": symbol, "repo": repo, "limit": limit})

    # ---- paginated reads for the query API (thread serve, the edge Worker runs the same SQL)

    def file_symbols(
        self, path: str, *, repo: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        params = {"path": path, "repo": repo, "limit": limit, "offset": offset}
        return [R.plain("symbols", list(r), list(r.values())) for r in self._query("file_symbols", params)]

    def has_file(self, path: str, *, repo: str | None = None) -> bool:
        return bool(self._query("file_exists", {"path": path, "repo": repo})[0]["files"])

    _TABLE_NAMES = "SELECT name FROM sqlite_master WHERE type = 'table'"
    """The database's table names (SQLite and D1; Postgres has its own)."""

    def has_index(self) -> bool:
        names = {row[0] for row in self._select(self._TABLE_NAMES, {})[1]}
        return set(TABLES) <= names

    def symbol_names(self, *, repo: str | None = None, min_length: int = 0, max_length: int | None = None) -> list[str]:
        sql = (
            "SELECT DISTINCT name FROM symbols WHERE (CAST(:repo AS TEXT) IS NULL OR repo = :repo)"
            " AND LENGTH(name) >= :low AND LENGTH(name) <= :high ORDER BY name"
        )
        high = max_length if max_length is not None else 1 << 30
        return [row[0] for row in self._select(sql, {"repo": repo, "low": min_length, "high": high})[1]]

    def callers_page(
        self, symbol: str, *, repo: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        return self._query("callers_page", {"symbol": symbol, "repo": repo, "limit": limit, "offset": offset})

    def callees_page(
        self, symbol: str, *, repo: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        return self._query("callees_page", {"symbol": symbol, "repo": repo, "limit": limit, "offset": offset})

    def hierarchy(
        self, symbol: str, *, repo: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[dict[str, Any]]:
        return self._query("hierarchy", {"symbol": symbol, "repo": repo, "limit": limit, "offset": offset})

    def implementations(
        self, symbol: str, *, repo: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[dict[str, Any]]:
        return self._query("implementations", {"symbol": symbol, "repo": repo, "limit": limit, "offset": offset})

    def deps(self, path: str, *, repo: str | None = None, direction: Direction = "both") -> list[dict[str, Any]]:
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction must be 'out', 'in' or 'both', not {direction!r}")
        out: list[dict[str, Any]] = []
        for way in ("out", "in"):
            if direction in (way, "both"):
                for r in self._query(f"deps_{way}", {"path": path, "repo": repo}):
                    out.append({"direction": way, **R.plain("dep_edges", list(r), list(r.values()))})
        return out

    def cycles(
        self, *, repo: str | None = None, skip_type_only: bool = False, skip_deferred: bool = False
    ) -> list[dict[str, Any]]:
        if skip_type_only or skip_deferred:
            pairs = self._query("dep_pairs", {"repo": repo})
            return R.filtered_cycles(pairs, skip_type_only=skip_type_only, skip_deferred=skip_deferred)
        return [R.plain("cycles", list(r), list(r.values())) for r in self._query("cycles", {"repo": repo})]

    def stats(self, *, repo: str | None = None) -> dict[str, Any]:
        groups = self._query("stats_files", {"repo": repo})
        counts = self._query("stats_counts", {"repo": repo})[0]
        by_language: dict[str, int] = {}
        by_status: dict[str, int] = {}
        for g in groups:
            lang = g["language"] if g["language"] is not None else "unknown"
            by_language[lang] = by_language.get(lang, 0) + g["files"]
            by_status[g["status"]] = by_status.get(g["status"], 0) + g["files"]
        in_cycles = sorted({m for c in self.cycles(repo=repo) for m in c["members"]})
        verdicts: dict[str, dict[str, int]] = {}
        for v in self._query("stats_verdicts", {"repo": repo}):
            verdicts.setdefault(v["language"], {})[v["verdict"]] = v["n"]
        total_calls = sum(sum(v.values()) for v in verdicts.values())
        resolved_calls = sum(v.get("resolved", 0) for v in verdicts.values())
        resolved = counts["resolved_internal"] + counts["resolved_external"]
        return {
            "repo": repo,
            "files": sum(g["files"] for g in groups),
            "files_by_language": dict(sorted(by_language.items())),
            "files_by_status": dict(sorted(by_status.items())),
            "symbols": counts["symbols"],
            "imports": counts["imports"],
            "unused_imports": counts["unused_imports"],
            "calls": counts["calls"],
            "pattern_matches": counts["pattern_matches"],
            "import_resolutions": {
                "total": counts["resolutions"],
                "internal": counts["resolved_internal"],
                "external": counts["resolved_external"],
                "unresolved": counts["resolutions"] - resolved,
                "ratio": _ratio(resolved, counts["resolutions"]),
            },
            "call_resolution": {
                "total": total_calls,
                "resolved": resolved_calls,
                "ratio": _ratio(resolved_calls, total_calls),
                "edges": counts["call_edges"],
            },
            "call_verdicts": verdicts,
            "dep_edges": counts["dep_edges"],
            "cycles": counts["cycles"],
            "files_in_cycles": len(in_cycles),
            "parse_errors": {
                "failed_files": by_status.get("error", 0),
                "files_with_syntax_errors": sum(g["with_syntax_errors"] for g in groups),
                "error_nodes": sum(g["error_nodes"] for g in groups),
            },
        }

    def export(self, table: str, *, repo: str | None = None) -> Iterator[dict[str, Any]]:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; tables are: {', '.join(TABLES)}")
        columns = R.COLUMNS[table]
        sql = (
            f"SELECT {_select_columns(table)} FROM {table} WHERE CAST(:repo AS TEXT) IS NULL OR repo = :repo"
            f" ORDER BY {', '.join(R.PRIMARY_KEYS[table])}"
        )
        return (dict(zip(columns, row, strict=True)) for row in self._stream(sql, {"repo": repo}))


def _delete_paths(tx: Tx, repo: str, paths: Sequence[str], tables: Sequence[str]) -> int:
    tx.forget_search(repo, paths)
    params = [{"repo": repo, "path": p} for p in paths]
    return sum(
        tx.executemany(f"DELETE FROM {t} WHERE repo = :repo AND {R.PATH_COLUMN[t]} = :path", params) for t in tables
    )


def _files_changed(tx: Tx, repo: str) -> None:
    """In the per-file write's transaction: the graph tables now lag the files (``index_state``)."""
    tx.bookkeep(
        "INSERT INTO index_state (repo, files_version, graphs_version) VALUES (:repo, 1, 0)"
        " ON CONFLICT (repo) DO UPDATE SET files_version = index_state.files_version + 1",
        {"repo": repo},
    )


def _graphs_built(tx: Tx, repo: str, files_version: int | None) -> None:
    """In the graph write's transaction: the graphs cover the files as of ``files_version`` (the
    version the build read before loading anything, so a per-file commit during the build keeps
    them behind); None: as of this commit, for a caller that wrote the graphs of what it holds."""
    if files_version is None:
        tx.bookkeep("UPDATE index_state SET graphs_version = files_version WHERE repo = :repo", {"repo": repo})
    else:
        tx.bookkeep(
            "UPDATE index_state SET graphs_version = :version WHERE repo = :repo AND graphs_version < :version",
            {"repo": repo, "version": files_version},
        )


LOAD_CHUNK = 40
GRAPH_EDGE_BATCH = 5000
"""Call edges per insert when a full graph build streams them."""
"""Paths per statement when loading rows by path: bound parameters stay under D1's 100."""
_ANALYSIS_TABLES = ("files", "symbols", "imports", "calls", "bindings", "type_relations")


def _by_path(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    return {path: list(group) for path, group in groupby(rows, key=lambda r: r[1])}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
