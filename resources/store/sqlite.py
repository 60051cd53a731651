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
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from . import rows as R
from .base import INTEGRITY_LIMIT, StoreError
from .sqlbase import Params, SqlStore, add_column_sql, load_sql, schema_columns, schema_sql

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another writer (``thread index``, ``thread watch``, a daemon run)
to finish before it gives up with a one-line error."""
_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    for pragma in (*_PRAGMAS, f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}"):
        conn.execute(pragma)
    return conn


def store_error(exc: sqlite3.Error, url: str) -> StoreError | None:
    """The one-line error for what the disk, the file or another process did to the store (a
    damaged file, a lock held too long, a full disk, an I/O error, no permission); None for the
    rest (a mistake in Thread's SQL stays a traceback). By SQLite's primary result code, which
    says what happened whatever the message (a full disk used to surface as the failed rollback
    after it, ``cannot rollback - no transaction is active``)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if _damaged(exc):
        return StoreError(
            f"the SQLite index {url} is damaged ({exc}): delete it (with its -wal and -shm files)"
            " and run `thread index` to rebuild it"
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"the SQLite index {url} is locked by another writer (waited {BUSY_TIMEOUT_MS / 1000:g} s):"
            " run the command again when it has finished"
        )
    if primary == sqlite3.SQLITE_FULL:
        return StoreError(f"cannot write the SQLite index {url}: {exc} (the write was rolled back); free some space")
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(f"disk I/O error on the SQLite index {url} ({exc.sqlite_errorname})")
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return StoreError(f"cannot use the SQLite index {url}: {exc}")
    return None


def _damaged(exc: sqlite3.Error) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _check(conn: sqlite3.Connection, pragma: str) -> list[str]:
    return [str(row[0]) for row in conn.execute(pragma) if row[0] != "ok"]


@contextmanager
def _translated(url: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        error = store_error(exc, url)
        if error is None:
            raise
        raise error from None


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params) -> int:
        return self.conn.execute(sql, params).rowcount

    def executemany(self, sql: str, params: Sequence[Params]) -> int:
        return self.conn.executemany(sql, params).rowcount if params else 0

    def bookkeep(self, sql: str, params: Params) -> None:
        self.conn.execute(sql, params)

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
            raise store_error(exc, self.url) or StoreError(f"cannot open SQLite store {self.url}: {exc}") from None
        self._lock = threading.RLock()

    def apply_schema(self) -> None:
        with self._lock, _translated(self.url):
            self._conn.executescript(schema_sql() + "\n" + load_sql("search", "sqlite"))
            for table in schema_columns():
                live = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
                for stmt in add_column_sql(table, live):
                    self._conn.execute(stmt)

    @contextmanager
    def _transaction(self) -> Iterator[_SqliteTx]:
        with self._lock, _translated(self.url):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (a full disk does): a ROLLBACK then fails,
                # and its error would hide the one that matters
                if self._conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    def _select(self, sql: str, params: Params) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._lock, _translated(self.url):
            try:
                cur = self._conn.execute(sql, params)
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    raise StoreError(f"{self.url} holds no Thread index ({exc}): run `thread index` first") from None
                raise
            return [d[0] for d in cur.description], cur.fetchall()

    def integrity_check(self) -> list[str]:
        """SQLite's own check of every page, index and constraint (``PRAGMA integrity_check``).
        Some damage stops the check itself (``database disk image is malformed``); then each
        table is checked on its own, which says which ones are damaged."""
        with self._lock, _translated(self.url):
            try:
                return _check(self._conn, f"PRAGMA integrity_check({INTEGRITY_LIMIT})")
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                stopped = str(exc)
            problems: list[str] = []
            names = self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
            for (name,) in names:
                quoted = "'" + str(name).replace("'", "''") + "'"
                try:
                    problems += [f"{name}: {p}" for p in _check(self._conn, f"PRAGMA integrity_check({quoted})")]
                except sqlite3.DatabaseError as exc:
                    if not _damaged(exc):
                        raise
                    problems.append(f"{name}: {exc}")
            return problems[:INTEGRITY_LIMIT] or [stopped]

    def _stream(self, sql: str, params: Params) -> Iterator[tuple[Any, ...]]:
        """A connection of its own: one consistent snapshot (WAL) that does not hold the store's
        lock while the caller consumes rows; the in-memory database has no second connection."""
        if self.path == ":memory:":
            yield from self._select(sql, params)[1]
            return
        with _translated(self.url):
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
