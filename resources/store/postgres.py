"""The server store: Postgres through psycopg 3 and a psycopg_pool connection pool.

Bulk rows go in with ``COPY ... FROM STDIN`` (``cursor.copy`` + ``write_row``) straight into the
real tables inside the write transaction, so the delete-then-insert of a batch stays atomic.
Every TEXT column is ``COLLATE "C"`` (``sql/postgres/collation.sql``): ordering and ILIKE then
behave like SQLite's BINARY collation and ASCII-only LIKE, so both stores answer identically.
Substring search uses pg_trgm GIN indexes when the extension can be created (it is in contrib);
without it the same ILIKE query runs as a scan and ``search_index`` says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg.sql
from psycopg_pool import ConnectionPool, PoolTimeout

from . import rows as R
from .base import INTEGRITY_LIMIT, TABLES, StoreError
from .masking import scrub
from .sqlbase import Params, SqlStore, add_column_sql, load_sql, schema_columns, schema_sql, to_pyformat

_SCHEMA_LOCK = 0x7468726561640001
"""pg_advisory_xact_lock key: concurrent apply_schema calls (several Dagster processes) queue."""


class _PgTx:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params) -> int:
        return self.conn.execute(to_pyformat(sql), params).rowcount

    def executemany(self, sql: str, params: Sequence[Params]) -> int:
        if not params:
            return 0
        with self.conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), params)
            return cur.rowcount

    def bookkeep(self, sql: str, params: Params) -> None:
        self.conn.execute(to_pyformat(sql), params)

    def insert(self, table: str, rows: Sequence[R.Row]) -> int:
        if rows:
            with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(R.COLUMNS[table])}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
        return len(rows)

    def select(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        return self.conn.execute(to_pyformat(sql), params).fetchall()

    def forget_search(self, repo: str, paths: Sequence[str]) -> None:
        """The pg_trgm GIN indexes follow the table."""

    def index_search(self, repo: str, paths: Sequence[str]) -> None:
        """The pg_trgm GIN indexes follow the table."""


def _custom_plans(conn: psycopg.Connection[Any]) -> None:
    """psycopg prepares a statement on its 5th use; a few executions later Postgres may switch it to
    a generic plan, which for the optional-filter queries (``CAST(:repo AS TEXT) IS NULL OR repo =
    :repo``) is a scan, so a lookup that uses an index becomes an order of magnitude slower after
    a few calls. Planning for the actual parameters every time keeps the index lookups (prepared
    parsing stays)."""
    conn.execute("SET plan_cache_mode = force_custom_plan")


logging.getLogger("psycopg").addHandler(logging.NullHandler())
"""psycopg and its pool log the connections they discard after a server went away; with no
logging configured (the CLI) Python would print them on stderr after the one line that says what
happened. A program that configures logging still gets them."""

_FAILURES = (psycopg.OperationalError, psycopg.InterfaceError, psycopg.errors.InsufficientPrivilege, PoolTimeout)
"""What the server or the network does to a command (a connection lost or refused, the server
shutting down or out of disk, a lock or statement timeout, a missing privilege), as opposed to
a mistake in Thread's SQL: a one-line StoreError, not a traceback."""

_WRITE_FAILED = "the write to Postgres at {url} failed and was rolled back (none of it was kept): {reason}"


class PostgresStore(SqlStore):
    dialect = "postgres"

    def __init__(self, conninfo: str, url: str, *, max_size: int = 4, connect_timeout: int = 5) -> None:
        self.url = url
        self._conninfo = conninfo
        self.search_index = "unknown"
        try:
            psycopg.connect(conninfo, connect_timeout=connect_timeout).close()
        except psycopg.Error as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1].strip()
            raise StoreError(f"cannot connect to Postgres at {url}: {scrub(reason, conninfo)}") from None
        self._pool: ConnectionPool[Any] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True, "connect_timeout": connect_timeout},
            configure=_custom_plans,
            open=True,
            name="thread-store",
        )

    def _failed(self, exc: BaseException, what: str) -> StoreError:
        """``what`` (a template of ``{url}`` and ``{reason}``) in one line, the password scrubbed
        from the reason: libpq and psycopg may echo connection parameters."""
        lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
        reason = scrub(lines[0] if lines else type(exc).__name__, self._conninfo)
        return StoreError(what.format(url=self.url, reason=reason))

    def apply_schema(self) -> None:
        try:
            self._apply_schema()
        except _FAILURES as exc:
            raise self._failed(exc, "cannot create Thread's tables in Postgres at {url}: {reason}") from None

    def _apply_schema(self) -> None:
        with self._pool.connection() as conn:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                conn.execute(schema_sql())
                for table in schema_columns():
                    for stmt in add_column_sql(table, set(), if_not_exists=True):
                        conn.execute(stmt)
                conn.execute(load_sql("collation", "postgres"))
            try:
                with conn.transaction():
                    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except psycopg.Error:
                # a concurrent CREATE EXTENSION may have won the race: then it is there anyway
                if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
                    self.search_index = "ilike scan (pg_trgm unavailable)"
                    return
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                conn.execute(load_sql("search", "postgres"))
            self.search_index = "pg_trgm"

    @contextmanager
    def _transaction(self) -> Iterator[_PgTx]:
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield _PgTx(conn)
        except _FAILURES as exc:
            raise self._failed(exc, _WRITE_FAILED) from None

    _TABLE_NAMES = "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))"

    def _select(self, sql: str, params: Params) -> tuple[list[str], list[tuple[Any, ...]]]:
        try:
            with self._pool.connection() as conn:
                try:
                    cur = conn.execute(to_pyformat(sql), params)
                except psycopg.errors.UndefinedTable as exc:
                    reason = str(exc).strip().splitlines()[0]
                    raise StoreError(f"{self.url} holds no Thread index ({reason}): run `thread index` first") from None
                return [d.name for d in cur.description or ()], cur.fetchall()
        except _FAILURES as exc:
            raise self._failed(exc, "a read from Postgres at {url} failed: {reason}") from None

    def integrity_check(self) -> list[str]:
        """With amcheck (contrib; creating it in the database takes a superuser): the heap pages and
        TOAST of every table (``verify_heapam``) and every b-tree index (``bt_index_check``).
        Without it, every row of every table is read whole, so a damaged page or TOAST value
        fails the read. Postgres has no full check of its own."""
        try:
            return self._integrity_check()
        except _FAILURES as exc:
            raise self._failed(exc, "checking Postgres at {url} failed: {reason}") from None

    def _integrity_check(self) -> list[str]:
        problems: list[str] = []
        damaged = (psycopg.errors.DataCorrupted, psycopg.errors.IndexCorrupted, psycopg.errors.UndefinedTable)
        with self._pool.connection() as conn:
            found = conn.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'amcheck'"
            ).fetchone()
            amcheck = None if found is None else psycopg.sql.Identifier(found[0])
            for table in TABLES:
                try:
                    if amcheck is None:
                        conn.execute(
                            psycopg.sql.SQL("SELECT count(length(t::text)) FROM {} AS t").format(
                                psycopg.sql.Identifier(table)
                            )
                        )
                        continue
                    rows = conn.execute(
                        psycopg.sql.SQL(
                            "SELECT blkno, offnum, msg FROM {}.verify_heapam(%s::regclass, check_toast => true)"
                            " LIMIT %s"
                        ).format(amcheck),
                        (table, INTEGRITY_LIMIT),
                    ).fetchall()
                    problems += [f"{table}: block {block}, item {item}: {msg}" for block, item, msg in rows]
                    indexes = conn.execute(
                        "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        " JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = %s::regclass AND a.amname = 'btree'"
                        " ORDER BY 1",
                        (table,),
                    ).fetchall()
                    for (index,) in indexes:
                        try:
                            conn.execute(
                                psycopg.sql.SQL("SELECT {}.bt_index_check(%s::regclass)").format(amcheck), (index,)
                            )
                        except damaged as exc:
                            problems.append(f"{index}: {str(exc).strip().splitlines()[0]}")
                except damaged as exc:
                    problems.append(f"{table}: {str(exc).strip().splitlines()[0]}")
        return problems[:INTEGRITY_LIMIT]

    def _stream(self, sql: str, params: Params) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor: rows arrive in pages, never the whole table in memory."""
        try:
            with self._pool.connection() as conn, conn.transaction(), conn.cursor(name="thread_export") as cur:
                cur.itersize = 2000
                cur.execute(to_pyformat(sql), params)
                yield from cur
        except _FAILURES as exc:
            raise self._failed(exc, "a read from Postgres at {url} failed: {reason}") from None

    def close(self) -> None:
        self._pool.close()
