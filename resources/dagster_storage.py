"""A SQLite event log that writes a batch of asset events in one go.

Dagster buffers the materialization events of a multi-partition output when
``DAGSTER_EVENT_BATCH_SIZE`` is set, then calls ``store_event_batch``; the SQLite storage that
ships with Dagster 1.13 stores them one by one (a new connection and a compiled INSERT per event
and per shard), which made event writes most of a first index. This subclass does what
dagster-postgres does for the same call: one multi-row INSERT into the run's shard, and one
transaction on the cross-run index shard for the mirrored rows, their tags and the asset's latest
event. The "planned" events a new run logs (one per asset and one per asset check) go the same
way. Anything else falls back to Dagster's own code path. Timings: docs/benchmarks.md.

:class:`PooledSqliteRunStorage` does the same for the run storage: Dagster's creates an engine
per statement (many times in every run) and commits with a full fsync.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as db
from dagster import DagsterEventType, DagsterInstance
from dagster._core.errors import DagsterInvariantViolationError
from dagster._core.event_api import EventLogEntry
from dagster._core.storage.event_log.schema import AssetKeyTable, DynamicPartitionsTable, SqlEventLogStorageTable
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.sqlite import create_db_conn_string
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine

_BATCHABLE = ({DagsterEventType.ASSET_MATERIALIZATION}, {DagsterEventType.ASSET_OBSERVATION})
_PLANNED = {DagsterEventType.ASSET_MATERIALIZATION_PLANNED, DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED}


SQLITE_BUSY_TIMEOUT_S = 120
OPEN_SHARDS = 8
"""Engines kept open: the index shard and the few runs being written or read right now."""
TEMPLATE = ".run-shard.template"
"""An empty, migrated run shard that new runs' shards are copied from (not ``*.db``: Dagster
lists ``*.db`` files as runs)."""


def _relaxed_sync(dbapi_connection: Any, _record: Any) -> None:
    """WAL with ``synchronous=NORMAL``: a commit no longer waits for an fsync (SQLite's documented
    trade-off: still consistent after a crash, the last transactions may be lost on power loss;
    an event log that misses the last events of a run costs a re-run, the store is untouched)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class BatchingSqliteEventLogStorage(SqliteEventLogStorage):
    """Also: connections are pooled per shard (Dagster's storage creates and disposes an engine for
    every single read or write, over a hundred times in a one-file update run) and a new run's
    shard is a copy of a migrated template instead of an alembic check and ``create_all`` per run.
    Together they take most of the event-log time out of a small update (docs/benchmarks.md)."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    def has_table(self, table_name: str) -> bool:
        """Remembered once true (Dagster asks before every asset event: a new engine and a schema
        reflection each time); tables are only ever added, by migrations."""
        if table_name in self._tables:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables.add(table_name)
        return found

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        if shard != INDEX_SHARD_NAME and shard not in self._initialized_dbs:
            self._from_template(shard)
        engine = db.create_engine(
            create_db_conn_string(self._base_dir, shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}
        )
        db.event.listen(engine, "connect", _relaxed_sync)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            _, old = self._engines.popitem(last=False)
            old.dispose()
        return engine

    def _from_template(self, shard: str) -> None:
        """A new run shard: copy the migrated template (made once per directory) into place."""
        target = self.path_for_shard(shard)
        if os.path.exists(target):
            return
        template = os.path.join(self._base_dir, TEMPLATE)
        if not os.path.exists(template):
            scratch = template + f".{os.getpid()}.tmp"
            engine = db.create_engine(f"sqlite:///{scratch}", poolclass=db.NullPool)
            try:
                self._initdb(engine)
                with engine.connect() as conn:
                    conn.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
            finally:
                engine.dispose()
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(scratch + suffix)
            os.replace(scratch, template)
        partial = target + f".{os.getpid()}.tmp"
        shutil.copyfile(template, partial)
        with contextlib.suppress(FileExistsError):
            os.link(partial, target)  # never replaces a shard another process created meanwhile
        os.unlink(partial)
        self._initialized_dbs.add(shard)

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def wipe(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
            self._tables.clear()
        super().wipe()

    def dispose(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> BatchingSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        kept = [e for e in events if not e.get_dagster_event().is_asset_failed_to_materialize]
        if not kept:
            return
        types = {e.get_dagster_event().event_type for e in kept}
        runs = {e.run_id for e in kept}
        keys = {e.get_dagster_event().asset_key for e in kept}
        if len(runs) == 1 and types <= _PLANNED:
            self._store_planned_batch(kept)
            return
        if types not in _BATCHABLE or len(runs) != 1 or len(keys) != 1:
            super().store_event_batch(events)
            return
        with self._insert_mirrored(kept) as (conn, ids):
            self._store_asset_event_tags(conn, kept, ids)
            self._store_asset_event(conn, kept[-1], ids[-1])

    @contextlib.contextmanager
    def _insert_mirrored(self, events: Sequence[EventLogEntry]) -> Iterator[tuple[Connection, list[int]]]:
        """The rows into the run's shard, the same into the index shard; yields the index shard's
        transaction and the mirrored rows' ids for the rest of the bookkeeping.

        Both inserts are ``executemany`` of one prepared statement: Dagster's batch statement
        (one INSERT with a VALUES tuple per event) made SQLAlchemy compile thousands of bound
        parameters per batch, which cost more than the events' serialization. The ids of the
        mirrored rows follow from SQLite's ``last_insert_rowid()``: inside one write transaction
        nobody else inserts, so the batch's rowids are consecutive (checked, not assumed)."""
        rows = [self._event_to_row(event) for event in events]
        insert = SqlEventLogStorageTable.insert()
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(insert, rows)
        with self.index_transaction() as conn:
            conn.execute(insert, rows)
            last = conn.execute(db.text("SELECT last_insert_rowid()")).scalar_one()
            first = last - len(rows) + 1
            ids = list(range(first, last + 1))
            table = SqlEventLogStorageTable.c
            mine = conn.execute(
                db.select(db.func.count())
                .select_from(SqlEventLogStorageTable)
                .where(db.and_(table.id.between(first, last), table.run_id == events[0].run_id))
            ).scalar_one()
            if mine != len(rows):
                raise DagsterInvariantViolationError("Mirrored asset events did not get consecutive ids.")
            yield conn, ids

    def _store_planned_batch(self, events: Sequence[EventLogEntry]) -> None:
        """What ``store_event`` does for each planned event, in three transactions: the rows into
        the run's shard, their mirrors into the index shard (and, per asset, the asset's latest
        run), then each check's planned execution."""
        with self._insert_mirrored(events) as (conn, ids):
            latest: dict[str, tuple[EventLogEntry, int]] = {}
            for event, event_id in zip(events, ids, strict=True):
                if event.get_dagster_event().event_type == DagsterEventType.ASSET_MATERIALIZATION_PLANNED:
                    latest[event.get_dagster_event().asset_key.to_string()] = (event, event_id)  # type: ignore[union-attr]
            self._store_latest_runs(conn, list(latest.items()))
        for event, event_id in zip(events, ids, strict=True):
            if event.get_dagster_event().event_type == DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED:
                self.store_asset_check_event(event, event_id)

    def _store_latest_runs(self, conn: Connection, entries: Sequence[tuple[str, tuple[EventLogEntry, int]]]) -> None:
        """The asset rows' latest run, as ``_store_asset_event`` sets it for each planned event:
        one UPDATE for the assets the instance knows (Dagster tries an INSERT and falls back to an
        UPDATE, per asset), Dagster's own path for the new ones."""
        known = {
            row[0]
            for row in conn.execute(
                db.select(AssetKeyTable.c.asset_key).where(AssetKeyTable.c.asset_key.in_([k for k, _ in entries]))
            )
        }
        with_index_cols = self._has_asset_key_index_cols_on_connection(conn)
        rows: list[dict[str, Any]] = []
        for key, (event, event_id) in entries:
            if key not in known:
                self._store_asset_event(conn, event, event_id)
                continue
            values = self._get_asset_entry_values(event, event_id, with_index_cols)
            rows.append({"b_asset_key": key, **{f"b_{column}": value for column, value in values.items()}})
        if rows:
            columns = [name[2:] for name in rows[0] if name != "b_asset_key"]
            update = (
                AssetKeyTable.update()
                .where(AssetKeyTable.c.asset_key == db.bindparam("b_asset_key"))
                .values({column: db.bindparam(f"b_{column}") for column in columns})
            )
            conn.execute(update, rows)


class PooledSqliteRunStorage(SqliteRunStorage):
    """Dagster's SQLite run storage with one pooled engine (Dagster's makes a new engine for every
    statement) and WAL commits without an fsync each (``synchronous=NORMAL``, as the event log)."""

    def __init__(self, conn_string: str, inst_data: ConfigurableClassData | None = None) -> None:
        super().__init__(conn_string, inst_data)
        self._pooled: Engine | None = None
        self._pool_lock = threading.Lock()

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteRunStorage:
        return cls.from_local(inst_data=inst_data, **config_value)

    def _engine(self) -> Engine:
        with self._pool_lock:
            if self._pooled is None:
                engine = db.create_engine(self._conn_string, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
                db.event.listen(engine, "connect", _relaxed_sync)
                self._pooled = engine
            return self._pooled

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._engine().connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        with self._pool_lock:
            if self._pooled is not None:
                self._pooled.dispose()
                self._pooled = None
        super().dispose()


DELETE_CHUNK = 500


def delete_dynamic_partitions(instance: DagsterInstance, name: str, keys: Sequence[str]) -> None:
    """Delete many partitions of a dynamic partitions definition: one statement per 500 keys in one
    transaction where the event log is Dagster's SQL storage (SQLite, Postgres), where Dagster's
    API takes a transaction per key (a scattered change of 500 files moves 500 partitions)."""
    storage = instance.event_log_storage
    if not keys:
        return
    if not isinstance(storage, SqlEventLogStorage):
        for key in keys:
            instance.delete_dynamic_partition(name, key)
        return
    table = DynamicPartitionsTable.c
    with storage.index_connection() as conn:
        for i in range(0, len(keys), DELETE_CHUNK):
            chunk = list(keys[i : i + DELETE_CHUNK])
            conn.execute(
                DynamicPartitionsTable.delete().where(
                    db.and_(table.partitions_def_name == name, table.partition.in_(chunk))
                )
            )
