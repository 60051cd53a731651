"""The server store: Postgres through psycopg 3 and a psycopg_pool connection pool.

Bulk rows go in with ``COPY ... FROM STDIN`` (``cursor.copy`` + ``write_row``) straight into the
real tables inside the write transaction, so the delete-then-insert of a batch stays atomic.
Every TEXT column is ``COLLATE "C"`` (``sql/postgres/collation.sql``): ordering and ILIKE then
behave like SQLite's BINARY collation and ASCII-only LIKE, so both stores answer identically.
Substring search uses pg_trgm GIN indexes when the extension can be created (it is in contrib);
without it the same ILIKE query runs as a scan and ``search_index`` says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from . import rows as R
from .base import StoreError
from .sqlbase import Params, SqlStore, load_sql, schema_sql, to_pyformat

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


class PostgresStore(SqlStore):
    dialect = "postgres"

    def __init__(self, conninfo: str, url: str, *, max_size: int = 4, connect_timeout: int = 5) -> None:
        self.url = url
        self.search_index = "unknown"
        try:
            psycopg.connect(conninfo, connect_timeout=connect_timeout).close()
        except psycopg.Error as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1].strip()
            raise StoreError(f"cannot connect to Postgres at {url}: {reason}") from None
        self._pool: ConnectionPool[Any] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True, "connect_timeout": connect_timeout},
            configure=_custom_plans,
            open=True,
            name="thread-store",
        )

    def apply_schema(self) -> None:
        with self._pool.connection() as conn:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                conn.execute(schema_sql())
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
        with self._pool.connection() as conn, conn.transaction():
            yield _PgTx(conn)

    _TABLE_NAMES = "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))"

    def _select(self, sql: str, params: Params) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._pool.connection() as conn:
            try:
                cur = conn.execute(to_pyformat(sql), params)
            except psycopg.errors.UndefinedTable as exc:
                reason = str(exc).strip().splitlines()[0]
                raise StoreError(f"{self.url} holds no Thread index ({reason}): run `thread index` first") from None
            return [d.name for d in cur.description or ()], cur.fetchall()

    def _stream(self, sql: str, params: Params) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor: rows arrive in pages, never the whole table in memory."""
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(name="thread_export") as cur:
            cur.itersize = 2000
            cur.execute(to_pyformat(sql), params)
            yield from cur

    def close(self) -> None:
        self._pool.close()
