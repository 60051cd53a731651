"""Cloudflare D1 over its REST API (httpx): the same SQL as the SQLite store, sent as atomic batches.

``POST {base}/accounts/{account}/d1/database/{database}/query`` (writes, with ``meta.changes``)
and ``/raw`` (reads: rows as arrays), ``Authorization: Bearer <token>``. D1 has no interactive
transactions (``BEGIN`` is rejected): a batch ``{"batch": [...]}`` is one transaction. So a
:class:`_D1Tx` runs reads (``Tx.select``) immediately, buffers every write, and sends them as ONE
batch when the body ends; nothing is sent if the body raises.

D1's limits shape every statement (``docs/schema.md``, "Cloudflare D1"):

- at most 100 bound parameters and 100 KB per statement: bulk rows go in as
  ``INSERT ... SELECT json_extract(value, '$[i]') ... FROM json_each(?1)``, one JSON text of up to
  ``STATEMENT_BYTES`` per statement (a few hundred rows, one parameter); the ``files`` table, whose
  DOUBLE columns must not pass through SQLite's JSON number parser, goes in as multi-row
  ``VALUES`` with at most 100 parameters;
- JSON numbers bind as REAL: integers beyond 2^53 are sent as strings (INTEGER affinity turns
  them back into integers), and 64-bit columns are read back through ``CAST(... AS TEXT)``;
- 30 s per batch: a write whose statements exceed ``batch_bytes`` / ``batch_statements`` is
  *staged*: its bulk JSON chunks go first into ``_thread_staging`` in as many batches as needed
  (invisible to readers), then ONE final batch does the deletes and copies the rows from staging
  with ``INSERT ... SELECT``. Every write stays all-or-nothing, however large.

Retries: 429, 5xx and transport errors (timeouts, resets, refused connections) are retried with
exponential backoff and full jitter, honouring ``Retry-After``; SQL errors (``success: false``,
HTTP 400) never are. Every batch is idempotent (delete-then-insert; staging rows are removed only
after the final batch), so replaying one whose answer was lost is safe. The token is only ever in
the ``Authorization`` header: never in URLs, reprs, logs or exception text.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import msgspec

from . import rows as R
from .base import INTEGRITY_LIMIT, TABLES, FileState, StoreError
from .sqlbase import Params, SqlStore, load_sql, schema_columns, schema_sql

log = logging.getLogger("thread.store.d1")

API_BASE = "https://api.cloudflare.com/client/v4"
MAX_PARAMS = 100
"""D1: bound parameters per statement."""
STATEMENT_BYTES = 100_000
"""D1: 100 KB per statement. Kept for SQL text plus bound text together (D1 counts the SQL)."""
BATCH_BYTES = 4_000_000
"""Budget of one batch (SQL + parameters): D1 must finish a batch within 30 s."""
BATCH_STATEMENTS = 5_000
"""Budget of one batch in statements."""
EXPORT_PAGE = 2_000
MAX_RETRY_AFTER = 120.0
"""Longest ``Retry-After`` honoured (seconds); longer ones are cut to this."""
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "edge" / "migrations"
_SAFE_INT = 2**53

STAGING_SQL = """\
-- D1 only: bulk rows of a write too large for one batch wait here (keyed by a random write id)
-- until one final batch copies them into the real tables; see resources/store/d1.py.
CREATE TABLE IF NOT EXISTS _thread_staging (
    write_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    rows TEXT NOT NULL,
    PRIMARY KEY (write_id, seq)
);
"""
_WRANGLER_TABLE = (
    "CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE,"
    " applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"
)
_STAGE_INSERT = "INSERT OR REPLACE INTO _thread_staging (write_id, seq, created_at, rows) VALUES (?1, ?2, ?3, ?4)"
_STAGE_DROP = "DELETE FROM _thread_staging WHERE write_id = ?1"
_STAGE_EXPIRE = "DELETE FROM _thread_staging WHERE created_at < ?1"


class D1SqlError(StoreError):
    """D1 refused a statement (constraint, syntax, limits, a table that does not match Thread's
    schema): never retried, reported in one line like every store error."""


# ---- schema and migrations


def _statements(sql: str) -> list[str]:
    """Split on ';' at the end of a line (sql/schema.sql's convention), dropping comment lines."""
    out = []
    for part in re.split(r";\s*$", sql, flags=re.MULTILINE):
        body = "\n".join(line for line in part.splitlines() if not line.strip().startswith("--")).strip()
        if body:
            out.append(body)
    return out


ADDED_COLUMNS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "0005_import_flags.sql": (
        ("imports", ("type_only", "deferred", "conditional", "dynamic")),
        ("dep_edges", ("type_only", "deferred")),
    ),
    "0006_build_constraints.sql": (("files", ("build_constraint", "build_ignored", "build_file_tags")),),
    "0007_semantic_calls.sql": (
        ("calls", ("targets", "reason")),
        ("call_edges", ("call_index", "receiver_type", "callee_module", "reason", "dispatch")),
    ),
}
"""Migration name -> (table, columns) it adds to tables that 0001 created. 0001 is generated
without these columns, so a database built by running every migration in order (wrangler on a new
database) and one migrated from an older Thread end with the same tables."""


def _schema_before_additions() -> str:
    """sql/schema.sql without the column lines that later migrations add (see ADDED_COLUMNS)."""
    text = schema_sql()
    for additions in ADDED_COLUMNS.values():
        for table, columns in additions:
            head = f"CREATE TABLE IF NOT EXISTS {table} ("
            start = text.index(head)
            end = text.index("\n);", start)
            body = "\n".join(
                line for line in text[start:end].splitlines() if not re.match(rf"\s+({'|'.join(columns)}) ", line)
            )
            text = text[:start] + body + text[end:]
    return text


def _added_columns_sql(additions: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    decl = {t: dict(cols) for t, cols in schema_columns().items()}
    return "".join(
        f"ALTER TABLE {table} ADD COLUMN {col} {decl[table][col]};\n" for table, cols in additions for col in cols
    )


def migrations() -> dict[str, str]:
    """The D1 migrations (``edge/migrations/``, wrangler's format) generated from ``sql/``."""
    header = "-- Generated from {} by `python -m resources.store.d1`; do not edit.\n"
    out = {
        "0001_schema.sql": header.format("sql/schema.sql") + _schema_before_additions(),
        "0002_search.sql": header.format("sql/sqlite/search.sql") + load_sql("search", "sqlite"),
        "0003_staging.sql": header.format("resources/store/d1.py (STAGING_SQL)") + STAGING_SQL,
        "0004_index_state.sql": header.format("sql/schema.sql (index_state)") + _table_sql("index_state"),
    }
    for name, additions in ADDED_COLUMNS.items():
        out[name] = header.format("sql/schema.sql (added columns)") + _added_columns_sql(additions)
    out["0008_semantic_tables.sql"] = header.format("sql/schema.sql (bindings, type_relations, type_hierarchy)") + (
        _table_sql("bindings")
        + _table_sql("type_relations")
        + _table_sql("type_hierarchy")
        + _index_sql("type_hierarchy")
    )
    out["0009_symbol_ranks.sql"] = header.format("sql/schema.sql (symbol_ranks, rank_state)") + (
        _table_sql("symbol_ranks") + _index_sql("symbol_ranks") + _table_sql("rank_state")
    )
    return out


def _index_sql(table: str) -> str:
    return "".join(
        line + "\n"
        for line in schema_sql().splitlines()
        if re.match(rf"CREATE INDEX IF NOT EXISTS \w+ ON {table} ", line)
    )


def _table_sql(table: str) -> str:
    """One table of sql/schema.sql with the comment above it: a table added after databases were
    deployed from 0001 needs a migration of its own (wrangler never runs 0001 again)."""
    found = re.search(rf"((?:--[^\n]*\n)*)CREATE TABLE IF NOT EXISTS {table} \(.*?\n\);\n", schema_sql(), re.S)
    if found is None:
        raise LookupError(f"sql/schema.sql has no table {table}")
    return found[0]


def write_migrations(directory: Path = MIGRATIONS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in migrations().items():
        (directory / name).write_text(text, encoding="utf-8")
        written.append(directory / name)
    return written


@cache
def _column_types() -> dict[str, dict[str, str]]:
    """table -> column -> 'int' | 'real' | 'text', from sql/schema.sql."""
    types: dict[str, dict[str, str]] = {}
    for table, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", schema_sql(), re.S):
        cols = {}
        for line in body.splitlines():
            m = re.match(r"\s+(\w+) (BIGINT|DOUBLE PRECISION|TEXT)\b", line)
            if m:
                cols[m[1]] = {"BIGINT": "int", "DOUBLE PRECISION": "real", "TEXT": "text"}[m[2]]
        types[table] = cols
    return types


def _cast_columns(table: str, columns: Sequence[str], alias: str = "") -> str:
    """A select list reading 64-bit integers exactly: JSON (and JavaScript) numbers are doubles."""
    types = _column_types()[table]
    return ", ".join(f"CAST({alias}{c} AS TEXT)" if types.get(c) == "int" else f"{alias}{c}" for c in columns)


def _convert(types: Sequence[str], row: Sequence[Any]) -> tuple[Any, ...]:
    out = []
    for kind, value in zip(types, row, strict=True):
        if value is not None:
            if kind == "int":
                value = int(value)
            elif kind == "real":
                value = float(value)
        out.append(value)
    return tuple(out)


# ---- statements


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@cache
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """``:name`` -> ``?N`` (D1 binds an array; the same name keeps its number)."""
    names: list[str] = []

    def number(m: re.Match[str]) -> str:
        if m[1] not in names:
            names.append(m[1])
        return f"?{names.index(m[1]) + 1}"

    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip()
    return _NAMED.sub(number, body), tuple(names)


def _value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and not -_SAFE_INT <= v <= _SAFE_INT:
        return str(v)  # INTEGER affinity stores it as the exact integer
    return v


@dataclass
class _Stmt:
    sql: str
    params: list[Any]
    counted: bool = False
    """Its ``meta.changes`` is what ``execute``/``executemany`` would have returned."""
    rows_json: str | None = None
    """A bulk insert: its one parameter, the JSON rows (staged when the write is too large)."""
    staged_sql: str | None = None

    def size(self) -> int:
        return len(self.sql.encode()) + sum(len(p.encode()) if isinstance(p, str) else 8 for p in self.params)

    def body(self) -> dict[str, Any]:
        return {"sql": self.sql, "params": self.params}


def _named(sql: str, params: Params, counted: bool) -> _Stmt:
    text, names = _positional(sql)
    return _Stmt(text, [_value(params.get(n)) for n in names], counted)


@cache
def _json_insert(table: str) -> tuple[str, str]:
    """INSERT from a JSON array of rows: direct (``?1`` = the rows) and from staging."""
    columns = R.COLUMNS[table]
    values = ", ".join(f"json_extract(j.value, '$[{i}]')" for i in range(len(columns)))
    head = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values}"
    return (
        f"{head} FROM json_each(?1) AS j",
        f"{head} FROM _thread_staging AS s, json_each(s.rows) AS j WHERE s.write_id = ?1 AND s.seq = ?2",
    )


def _values_insert(table: str, count: int) -> str:
    columns = R.COLUMNS[table]
    one = "(" + ", ".join("?" for _ in columns) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([one] * count)


def insert_statements(table: str, rows: Sequence[R.Row]) -> list[_Stmt]:
    """Rows as statements within D1's limits (100 parameters, ``STATEMENT_BYTES``); a single row
    larger than that goes alone (D1 limits SQL text to 100 KB and bound text to 2 MB)."""
    out: list[_Stmt] = []
    if not rows:
        return out
    if "real" in _column_types()[table].values():
        # bound parameters: doubles must keep every bit (JSON numbers bind as IEEE doubles)
        per = MAX_PARAMS // len(R.COLUMNS[table])
        chunk: list[Any] = []
        size = 0
        for row in rows:
            values = [_value(v) for v in row]
            row_size = sum(len(v.encode()) if isinstance(v, str) else 8 for v in values) + 4 * len(values)
            if chunk and (len(chunk) // len(values) >= per or size + row_size > STATEMENT_BYTES - 8_000):
                out.append(_Stmt(_values_insert(table, len(chunk) // len(values)), chunk))
                chunk, size = [], 0
            chunk.extend(values)
            size += row_size
        out.append(_Stmt(_values_insert(table, len(chunk) // len(R.COLUMNS[table])), chunk))
        return out
    direct, staged = _json_insert(table)
    budget = STATEMENT_BYTES - len(direct.encode()) - 16
    encoded = [msgspec.json.encode(row) for row in rows]
    start, size = 0, 2
    for i, item in enumerate(encoded):
        if i > start and size + len(item) + 1 > budget:
            out.append(_json_stmt(direct, staged, encoded[start:i]))
            start, size = i, 2
        size += len(item) + 1
    out.append(_json_stmt(direct, staged, encoded[start:]))
    return out


def _json_stmt(direct: str, staged: str, items: list[bytes]) -> _Stmt:
    text = (b"[" + b",".join(items) + b"]").decode()
    return _Stmt(direct, [text], rows_json=text, staged_sql=staged)


# ---- the transaction


class _D1Tx:
    """Reads run now; writes are buffered and sent as one batch by the store at the end."""

    def __init__(self, store: D1Store) -> None:
        self.store = store
        self.statements: list[_Stmt] = []

    def execute(self, sql: str, params: Params) -> int:
        self.statements.append(_named(sql, params, counted=True))
        return 0  # known after the batch: D1Store reads meta.changes

    def executemany(self, sql: str, params: Sequence[Params]) -> int:
        self.statements.extend(_named(sql, p, counted=True) for p in params)
        return 0

    def bookkeep(self, sql: str, params: Params) -> None:
        self.statements.append(_named(sql, params, counted=False))

    def insert(self, table: str, rows: Sequence[R.Row]) -> int:
        self.statements.extend(insert_statements(table, rows))
        return len(rows)

    def select(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        return self.store._select(sql, params)[1]

    def forget_search(self, repo: str, paths: Sequence[str]) -> None:
        sql = load_sql("search_forget", "sqlite")
        self.statements.extend(_named(sql, {"repo": repo, "path": p}, counted=False) for p in paths)

    def index_search(self, repo: str, paths: Sequence[str]) -> None:
        sql = load_sql("search_index", "sqlite")
        self.statements.extend(_named(sql, {"repo": repo, "path": p}, counted=False) for p in paths)


@dataclass
class BatchReport:
    """What the last write on this thread sent (for tests and benchmarks)."""

    statements: int = 0
    batches: int = 0
    staged: bool = False
    bytes: int = 0
    changes: int = 0


class D1Store(SqlStore):
    dialect = "sqlite"  # D1 is SQLite: the same FTS5 trigram search and query files

    def __init__(
        self,
        account: str,
        database: str,
        token: str,
        *,
        api_base: str = API_BASE,
        timeout: float = 60.0,
        max_attempts: int = 6,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        batch_bytes: int = BATCH_BYTES,
        batch_statements: int = BATCH_STATEMENTS,
        check: bool = True,
    ) -> None:
        if not token:
            raise StoreError(
                f"the D1 store d1://{account}/{database} needs an API token:"
                " set THREAD_D1_TOKEN (or CLOUDFLARE_API_TOKEN)"
            )
        self.account, self.database = account, database
        self.url = f"d1://{account}/{database}"
        self.api_base = api_base.rstrip("/")
        self._endpoint = f"{self.api_base}/accounts/{account}/d1/database/{database}"
        self._token = token
        self.max_attempts, self.backoff, self.max_backoff = max(1, max_attempts), backoff, max_backoff
        self.batch_bytes, self.batch_statements = batch_bytes, batch_statements
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        self._local = threading.local()
        if check:
            self._select("SELECT 1", {})

    def __repr__(self) -> str:
        return f"D1Store({self.url!r}, api_base={self.api_base!r})"

    @property
    def last_write(self) -> BatchReport:
        report: BatchReport = getattr(self._local, "report", None) or BatchReport()
        return report

    # ---- HTTP

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:  # the server knows best, within reason
            try:
                return min(max(float(retry_after), 0.0), MAX_RETRY_AFTER)
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(retry_after)
                except (TypeError, ValueError):
                    when = None
                if when is not None:
                    return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER)
        return random.uniform(0, min(self.max_backoff, self.backoff * 2**attempt))

    def _post(self, mode: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        """One API call, retried on 429, 5xx and transport errors; the ``result`` list."""
        content = msgspec.json.encode(body)
        where = f"{self.url} (API {self.api_base})"
        for attempt in range(self.max_attempts):
            last = attempt == self.max_attempts - 1
            try:
                response = self._client.post(f"{self._endpoint}/{mode}", content=content)
            except httpx.TransportError as exc:
                if last:
                    reason = self._scrub(str(exc) or type(exc).__name__)
                    raise StoreError(
                        f"cannot reach the D1 API for {where} after {self.max_attempts} attempts: {reason}"
                    ) from None
                pause = self._delay(attempt, None)
                log.warning("D1 %s: %s; retrying in %.1f s", self.url, type(exc).__name__, pause)
                time.sleep(pause)
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                if last:
                    raise StoreError(
                        f"the D1 API for {where} answered HTTP {status} {self._errors(response)}"
                        f" after {self.max_attempts} attempts"
                    )
                pause = self._delay(attempt, response.headers.get("retry-after"))
                log.warning("D1 %s: HTTP %d; retrying in %.1f s", self.url, status, pause)
                time.sleep(pause)
                continue
            return self._result(response, where)
        raise AssertionError("unreachable")

    def _errors(self, response: httpx.Response) -> str:
        try:
            errors = response.json().get("errors") or []
            text = "; ".join(f"{e.get('message')} [code {e.get('code')}]" for e in errors)
        except (ValueError, AttributeError):
            text = response.text[:200].strip()
        return " ".join(self._scrub(text or response.reason_phrase).splitlines())

    def _result(self, response: httpx.Response, where: str) -> list[dict[str, Any]]:
        status = response.status_code
        try:
            payload = msgspec.json.decode(response.content)
        except msgspec.DecodeError:
            payload = None
        if not isinstance(payload, dict):
            raise StoreError(
                f"the D1 API for {where} answered HTTP {status} with no D1 response: {self._errors(response)}"
            )
        errors = payload.get("errors") or []
        codes = {e.get("code") for e in errors if isinstance(e, dict)}
        if status in (401, 403) or 10000 in codes:
            raise StoreError(
                f"the D1 API rejected the token for {where} (HTTP {status}: {self._errors(response)});"
                " set THREAD_D1_TOKEN (or CLOUDFLARE_API_TOKEN) to a token with D1 edit permission"
            )
        if status == 404 or codes & {7003, 7400, 7404}:
            raise StoreError(
                f"D1 database not found: {where} (HTTP {status}: {self._errors(response)});"
                " check the account id and the database id (a UUID)"
            )
        if status >= 400 or not payload.get("success"):
            raise D1SqlError(f"D1 refused the statement on {self.url}: {self._errors(response)}")
        result = payload.get("result") or []
        failed = [r for r in result if isinstance(r, dict) and r.get("success") is False]
        if failed:
            error = " ".join(self._scrub(str(failed[0].get("error"))).splitlines())
            raise D1SqlError(f"D1 refused the statement on {self.url}: {error}")
        return list(result)

    # ---- batches

    def _send(self, statements: Sequence[_Stmt]) -> list[dict[str, Any]]:
        if not statements:
            return []
        return self._post("query", {"batch": [s.body() for s in statements]})

    def _commit(self, statements: list[_Stmt]) -> BatchReport:
        report = BatchReport(statements=len(statements), bytes=sum(s.size() for s in statements))
        if not statements:
            return report
        if report.bytes <= self.batch_bytes and len(statements) <= self.batch_statements:
            results = self._send(statements)
            report.batches = 1
        else:
            results = self._commit_staged(statements, report)
        report.changes = sum(
            int((r.get("meta") or {}).get("changes") or 0)
            for s, r in zip(statements, results, strict=True)
            if s.counted
        )
        return report

    def _commit_staged(self, statements: list[_Stmt], report: BatchReport) -> list[dict[str, Any]]:
        """Bulk chunks into _thread_staging over several batches, then one atomic final batch."""
        write_id = uuid.uuid4().hex
        now = datetime.now(UTC)
        created = now.isoformat()
        expire = _Stmt(_STAGE_EXPIRE, [(now - timedelta(days=1)).isoformat()])
        pending: list[_Stmt] = [expire]
        size = expire.size()
        final: list[_Stmt] = []
        report.staged = True
        try:
            for seq, s in enumerate(statements):
                if s.rows_json is None or s.staged_sql is None:
                    final.append(s)
                    continue
                stage = _Stmt(_STAGE_INSERT, [write_id, seq, created, s.rows_json])
                if pending and (size + stage.size() > self.batch_bytes or len(pending) >= self.batch_statements):
                    self._send(pending)
                    report.batches += 1
                    pending, size = [], 0
                pending.append(stage)
                size += stage.size()
                final.append(_Stmt(s.staged_sql, [write_id, seq], s.counted))
            self._send(pending)
            results = self._send(final)
            report.batches += 2
        finally:
            try:
                self._post("query", {"sql": _STAGE_DROP, "params": [write_id]})
            except (StoreError, D1SqlError) as exc:  # an orphan expires with the next staged write
                log.warning("D1 %s: could not drop staged rows of write %s: %s", self.url, write_id, exc)
        return results

    @contextmanager
    def _transaction(self) -> Iterator[_D1Tx]:
        tx = _D1Tx(self)
        yield tx  # the body raised: nothing was sent
        self._local.report = self._commit(tx.statements)

    # ---- reads

    def _select(self, sql: str, params: Params) -> tuple[list[str], list[tuple[Any, ...]]]:
        s = _named(sql, params, counted=False)
        (result,) = self._post("raw", s.body())
        results = result.get("results") or {}
        return list(results.get("columns") or []), [tuple(r) for r in results.get("rows") or []]

    def _stream(self, sql: str, params: Params) -> Iterator[tuple[Any, ...]]:
        yield from self._select(sql, params)[1]

    def _typed_select(
        self, table: str, columns: Sequence[str], where: str, order: str, params: Params, limit: int | None = None
    ) -> list[tuple[Any, ...]]:
        types = _column_types()[table]
        sql = f"SELECT {_cast_columns(table, columns)} FROM {table} WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        kinds = [types.get(c, "text") for c in columns]
        return [_convert(kinds, r) for r in self._select(sql, params)[1]]

    def _rows_where(self, table: str, where: str, params: Params) -> list[tuple[Any, ...]]:
        return self._typed_select(table, R.COLUMNS[table], where, ", ".join(R.PRIMARY_KEYS[table]), params)

    def file_states(self, repo: str) -> dict[str, FileState]:
        columns = ("path", "content_hash", "size_bytes", "language", "extractor_version", "status")
        rows = self._typed_select("files", columns, "repo = :repo", "path", {"repo": repo})
        return {r[0]: FileState(*r) for r in rows}

    def export(self, table: str, *, repo: str | None = None) -> Iterator[dict[str, Any]]:
        """Pages of ``EXPORT_PAGE`` rows in primary-key order, by key (no OFFSET scans)."""
        if table not in TABLES:
            return super().export(table, repo=repo)  # raises the ValueError
        return self._export(table, repo)

    def _export(self, table: str, repo: str | None) -> Iterator[dict[str, Any]]:
        columns = R.COLUMNS[table]
        key = R.PRIMARY_KEYS[table]
        at = [columns.index(k) for k in key]
        base = "(CAST(:repo AS TEXT) IS NULL OR repo = :repo)"
        after: tuple[Any, ...] | None = None
        while True:
            params: dict[str, Any] = {"repo": repo}
            where = base
            if after is not None:
                where += f" AND ({', '.join(key)}) > ({', '.join(f':k{i}' for i in range(len(key)))})"
                params |= {f"k{i}": v for i, v in enumerate(after)}
            rows = self._typed_select(table, columns, where, ", ".join(key), params, EXPORT_PAGE)
            for row in rows:
                yield dict(zip(columns, row, strict=True))
            if len(rows) < EXPORT_PAGE:
                return
            after = tuple(rows[-1][i] for i in at)

    def integrity_check(self) -> list[str]:
        """``PRAGMA quick_check``: D1 refuses ``integrity_check`` (SQLITE_AUTH); the quick check
        reads every page and b-tree, all but matching index entries to rows."""
        rows = self._select(f"PRAGMA quick_check({INTEGRITY_LIMIT})", {})[1]
        return [str(r[0]) for r in rows if r[0] != "ok"]

    # ---- writes whose counts come from the batch

    def delete_files(self, repo: str, paths: Sequence[str]) -> int:
        super().delete_files(repo, paths)
        return self.last_write.changes

    # ---- schema

    def apply_schema(self) -> None:
        """The migrations this database has not had, in one batch, recorded in wrangler's
        ``d1_migrations`` table so ``wrangler d1 migrations apply`` sees them as applied (and
        the other way round). Every migration is written to be safe to run on a database
        wrangler migrated with the same files."""
        self._send([_Stmt(_WRANGLER_TABLE, [])])
        done = {str(r[0]) for r in self._select("SELECT name FROM d1_migrations", {})[1]}
        todo = {n: text for n, text in migrations().items() if n not in done}
        statements = [_Stmt(s, []) for text in todo.values() for s in _statements(text)]
        statements += [_Stmt("INSERT OR IGNORE INTO d1_migrations (name) VALUES (?1)", [n]) for n in todo]
        self._send(statements)

    def close(self) -> None:
        self._client.close()


if __name__ == "__main__":  # regenerate edge/migrations/ from sql/
    for p in write_migrations():
        print(p.relative_to(MIGRATIONS_DIR.parents[1]))
