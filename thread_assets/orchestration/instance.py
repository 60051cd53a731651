"""Thread's Dagster instance: one per repository (``<root>/.thread/dagster`` unless
``DAGSTER_HOME`` says otherwise), created on first use with a SQLite ``dagster.yaml`` whose
storages batch a run's writes (``resources/dagster_storage.py``), and the environment switches
Thread's runs are created with."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from dagster import DagsterInstance

from thread_assets.names import OWNER_FILE
from thread_assets.repo.settings import STORE_DIR

SQLITE_INSTANCE_YAML = """\
# Dagster instance for Thread on SQLite: run, event-log and schedule storage are SQLite files
# under $DAGSTER_HOME (the directory holding this file). `thread index` writes this file into
# $DAGSTER_HOME (default <repo>/.thread/dagster) when it is missing.
telemetry:
  enabled: false
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 4
    dequeue_interval_seconds: 1
run_monitoring:
  enabled: false
# Steps log through Dagster's structured event log (kept, errors and tracebacks included); raw
# stdout/stderr capture would start two `tail` processes per step, a visible share of a small update.
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
"""
"""``deploy/dagster.yaml`` is this plus ``STORAGE_YAML`` for ``/path/to/dagster_home`` (a test
keeps them equal)."""

PLANNED_SUBSET_ENV = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
"""Dagster switch: one "planned" event per asset per run instead of one per partition, which
takes run creation for a large range from most of a first index to almost nothing, on SQLite and
Postgres instances alike (docs/benchmarks.md). Its trade-off (partitions of a failed run are not
marked failed in the UI) costs Thread nothing: the store is the source of truth, and a file
without rows is analysed again by the next index."""

STORAGE_YAML = """\
# Dagster's default SQLite storages, plus batched writes of multi-partition materializations and
# of a run's planned events, and pooled connections (resources/dagster_storage.py), which make a
# first index several times faster (docs/benchmarks.md).
run_storage:
  module: resources.dagster_storage
  class: PooledSqliteRunStorage
  config:
    base_dir: {history}
event_log_storage:
  module: resources.dagster_storage
  class: BatchingSqliteEventLogStorage
  config:
    base_dir: {history}/runs
"""

BATCH_SIZE_ENV = "DAGSTER_EVENT_BATCH_SIZE"
"""Dagster buffers a multi-partition output's materialization events and hands the storage up to
this many at once; the event log above (and dagster-postgres) writes them in one statement."""


def instance_yaml(home: str | Path) -> str:
    """The dagster.yaml written into a new instance directory: the run storage and event log live where
    Dagster's default SQLite storage puts them (``history/``, ``history/runs``), so the UI and the daemon find it."""
    return SQLITE_INSTANCE_YAML + STORAGE_YAML.format(history=Path(home).resolve() / "history")


INIT_LOCK = "thread-instance.lock"


@contextlib.contextmanager
def _init_lock(home: Path) -> Iterator[None]:
    """An exclusive ``flock`` on a file of the instance directory, held while an instance is
    opened: opening a new instance creates its databases and stamps their schema revision, which
    two processes doing at once left ``runs.db`` with two alembic heads (every later open fails)
    or failed one of them on ``table runs already exists``."""
    fd = os.open(home / INIT_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def open_instance(home: str | Path) -> DagsterInstance:
    """A persistent instance in ``home``, created with the SQLite dagster.yaml when missing; its
    creation (the file, then the databases) happens in one process at a time, and the file
    appears whole (written aside, then renamed) for a reader that takes no lock (the daemon)."""
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    with _init_lock(path):
        config = path / "dagster.yaml"
        if not config.exists():
            scratch = path / f".dagster.yaml.{os.getpid()}.tmp"
            scratch.write_text(instance_yaml(path), encoding="utf-8")
            os.replace(scratch, config)
        return DagsterInstance.from_config(str(path))


def claim_instance(home: str | Path, root: Path) -> None:
    """One Dagster instance serves one repository: partition keys are bare paths, so a second
    repository indexed into the same ``$DAGSTER_HOME`` would delete the first one's partitions as
    "removed files". The first index writes its root into the instance directory; another root is
    refused with a clear message."""
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    marker = path / OWNER_FILE
    if not marker.exists():
        # written aside then linked into place: of two first claims one wins whole, and the
        # other reads a complete name (never an empty file) and compares it with its own
        scratch = path / f".{OWNER_FILE}.{os.getpid()}.tmp"
        scratch.write_text(str(root) + "\n", encoding="utf-8")
        with contextlib.suppress(FileExistsError):
            os.link(scratch, marker)
        scratch.unlink()
    owner = marker.read_text(encoding="utf-8").strip()
    if owner != str(root):
        raise RuntimeError(
            f"the Dagster instance in {path} already indexes {owner}; one instance serves one repository "
            f"(unset DAGSTER_HOME to use {root / STORE_DIR / 'dagster'}, or point DAGSTER_HOME elsewhere)"
        )


ENV_DEFAULTS = {PLANNED_SUBSET_ENV: "true", BATCH_SIZE_ENV: "1000"}


@contextlib.contextmanager
def dagster_env_defaults() -> Iterator[None]:
    """Set :data:`ENV_DEFAULTS` for the duration of an index or a watch, except those the caller
    chose a value for; the process environment is restored afterwards."""
    added = [name for name in ENV_DEFAULTS if name not in os.environ]
    for name in added:
        os.environ[name] = ENV_DEFAULTS[name]
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)
