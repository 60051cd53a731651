"""The embedded default store: one SQLite file, WAL mode, FTS5 trigram search.

Writes take ``BEGIN IMMEDIATE`` (the write lock up front, so two writers queue on
``busy_timeout`` instead of failing at commit) and insert with ``executemany``, one transaction
per call. WAL lets readers (the CLI, the query API, ``export``) run while a write is in progress;
``synchronous=NORMAL`` is safe in WAL mode (a power loss can lose the last commits, never corrupt).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import rows as R
from .base import StoreError
from .sqlbase import Params, SqlStore, load_sql, schema_sql

_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000")


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in _PRAGMAS:
        conn.execute(pragma)
    return conn


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params) -> int:
        return self.conn.execute(sql, params).rowcount

    def executemany(self, sql: str, params: Sequence[Params]) -> int:
        return self.conn.executemany(sql, params).rowcount if params else 0

    def insert(self, table: str, rows: Sequence[R.Row]) -> int:
        if rows:
            columns = R.COLUMNS[table]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            self.conn.executemany(sql, rows)
        return len(rows)

    def select(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def forget_search(self, repo: str, paths: Sequence[str]) -> None:
        self.executemany(load_sql("search_forget", "sqlite"), [{"repo": repo, "path": p} for p in paths])

    def index_search(self, repo: str, paths: Sequence[str]) -> None:
        self.executemany(load_sql("search_index", "sqlite"), [{"repo": repo, "path": p} for p in paths])


class SqliteStore(SqlStore):
    dialect = "sqlite"

    def __init__(self, path: str, url: str | None = None) -> None:
        self.path = path
        self.url = url or f"sqlite:///{path}"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = _connect(path)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite store {self.url}: {exc}") from None
        self._lock = threading.RLock()

    def apply_schema(self) -> None:
        with self._lock:
            self._conn.executescript(schema_sql() + "\n" + load_sql("search", "sqlite"))

    @contextmanager
    def _transaction(self) -> Iterator[_SqliteTx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _select(self, sql: str, params: Params) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._lock:
            try:
                cur = self._conn.execute(sql, params)
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    raise StoreError(f"{self.url} holds no Thread index ({exc}): run `thread index` first") from None
                raise
            return [d[0] for d in cur.description], cur.fetchall()

    def _stream(self, sql: str, params: Params) -> Iterator[tuple[Any, ...]]:
        """A connection of its own: one consistent snapshot (WAL) that does not hold the store's
        lock while the caller consumes rows; the in-memory database has no second connection."""
        if self.path == ":memory:":
            yield from self._select(sql, params)[1]
            return
        conn = _connect(self.path)
        try:
            conn.execute("BEGIN")
            cur = conn.execute(sql, params)
            while batch := cur.fetchmany(2000):
                yield from batch
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
