"""Content-addressed memo of analyses: identical bytes are never parsed twice.

Key: content hash + language + extractor version (+ the rules digest for pattern matches). An
analysis carries its path in ``FileAnalysis.path`` and nowhere else (see ``model``), so one
entry serves a reverted file, a renamed file and every copy of the same content: a hit is the
stored analysis with the path replaced. Changing the extractor version changes every key, so
exactly the files whose analyses depend on it are analysed again.

Storage: one SQLite file (``<root>/.thread/cache/analyses.db`` by default), msgpack values,
least-recently-used entries pruned above ``max_bytes``. The memo is an optimisation only: a
missing, corrupt or locked cache file means analysing again, never a failed index.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import msgspec

from .model import EXTRACTOR_VERSION, FileAnalysis, PatternMatch

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
CACHE_FILE = "analyses.db"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, value BLOB NOT NULL, used_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS matches (key TEXT PRIMARY KEY, value BLOB NOT NULL, used_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS analyses_used ON analyses (used_at);
CREATE INDEX IF NOT EXISTS matches_used ON matches (used_at);
"""
_ENCODER = msgspec.msgpack.Encoder()
_ANALYSIS = msgspec.msgpack.Decoder(FileAnalysis)
_MATCHES = msgspec.msgpack.Decoder(list[PatternMatch])


def analysis_key(content_hash: str, language: str | None) -> str:
    return f"{content_hash}:{language or ''}:{EXTRACTOR_VERSION}"


def matches_key(content_hash: str, language: str | None, rules_version: str) -> str:
    return f"{analysis_key(content_hash, language)}:{rules_version}"


class ContentCache:
    """``get_*`` / ``put_*`` in batches; every call is one short transaction."""

    def __init__(self, path: str | Path | None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._sizes: dict[str, int] = {}
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=5, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            self._db = db
        except sqlite3.Error:
            self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ContentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection | None]:
        db = self._db
        if db is None:
            yield None
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def _get(self, table: str, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._tx() as db:
            if db is None:
                return found
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, value FROM {table} WHERE key IN ({marks})"
                found.update(db.execute(sql, chunk).fetchall())
            if found:
                now = time.time_ns()
                db.executemany(f"UPDATE {table} SET used_at = ? WHERE key = ?", [(now, k) for k in found])
        return found

    def _put(self, table: str, values: Mapping[str, bytes]) -> None:
        if not values:
            return
        now = time.time_ns()
        with self._tx() as db:
            if db is None:
                return
            db.executemany(
                f"INSERT OR REPLACE INTO {table} (key, value, used_at) VALUES (?, ?, ?)",
                [(k, v, now) for k, v in values.items()],
            )
        # an upper bound of the table's size, summed for real only once it may exceed the limit:
        # puts come a few files at a time while a large index streams through
        known = self._sizes.get(table)
        if known is None:
            known = self._table_bytes(table)
        else:
            known += sum(len(v) for v in values.values())
        self._sizes[table] = known
        if known > self.max_bytes // 2:
            self._prune(table)
            self._sizes[table] = self._table_bytes(table)

    def _table_bytes(self, table: str) -> int:
        with self._tx() as db:
            if db is None:
                return 0
            (total,) = db.execute(f"SELECT COALESCE(SUM(LENGTH(value)), 0) FROM {table}").fetchone()
            return int(total)

    def _prune(self, table: str) -> None:
        """Drop least-recently-used entries until the table is under its share of ``max_bytes``."""
        with self._tx() as db:
            if db is None:
                return
            (total,) = db.execute(f"SELECT COALESCE(SUM(LENGTH(value)), 0) FROM {table}").fetchone()
            limit = self.max_bytes // 2
            if total <= limit:
                return
            excess = total - limit
            doomed: list[tuple[str]] = []
            for key, size in db.execute(f"SELECT key, LENGTH(value) FROM {table} ORDER BY used_at"):
                doomed.append((key,))
                excess -= size
                if excess <= 0:
                    break
            db.executemany(f"DELETE FROM {table} WHERE key = ?", doomed)

    # ---- analyses

    def get_analyses(self, wanted: Mapping[str, str]) -> dict[str, FileAnalysis]:
        """``path -> key`` in, ``path -> analysis`` (with that path) out, for the hits."""
        blobs = self._get("analyses", sorted(set(wanted.values())))
        out: dict[str, FileAnalysis] = {}
        for path, key in wanted.items():
            blob = blobs.get(key)
            if blob is None:
                continue
            try:
                out[path] = msgspec.structs.replace(_ANALYSIS.decode(blob), path=path)
            except msgspec.DecodeError:
                continue
        return out

    def put_analyses(self, entries: Iterable[tuple[str, FileAnalysis]]) -> None:
        """Cache ``(key, analysis)`` pairs; only complete analyses (``ok`` or deliberately skipped
        content) are kept, never a parser failure (a hang may be the machine's fault)."""
        values = {
            key: _ENCODER.encode(msgspec.structs.replace(a, path=""))
            for key, a in entries
            if a.status != "error" and a.content_hash is not None
        }
        self._put("analyses", values)

    def put_encoded(self, entries: Iterable[tuple[str, FileAnalysis, bytes | None]]) -> None:
        """:meth:`put_analyses` for analyses that arrive msgpack-encoded already (a batch worker's
        answer): the bytes are kept as they are (a hit replaces the path anyway)."""
        values = {
            key: encoded if encoded is not None else _ENCODER.encode(msgspec.structs.replace(a, path=""))
            for key, a, encoded in entries
            if a.status != "error" and a.content_hash is not None
        }
        self._put("analyses", values)

    # ---- pattern matches

    def get_matches(self, wanted: Mapping[str, str]) -> dict[str, list[PatternMatch]]:
        blobs = self._get("matches", sorted(set(wanted.values())))
        out: dict[str, list[PatternMatch]] = {}
        for path, key in wanted.items():
            blob = blobs.get(key)
            if blob is not None:
                with contextlib.suppress(msgspec.DecodeError):
                    out[path] = _MATCHES.decode(blob)
        return out

    def put_matches(self, entries: Iterable[tuple[str, Sequence[PatternMatch]]]) -> None:
        self._put("matches", {key: _ENCODER.encode(list(found)) for key, found in entries})
