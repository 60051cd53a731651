"""Index a repository through Dagster: the Python API behind ``thread index``.

One call is one update (``thread_assets/update.py``, the same machinery as the file-change sensor
and ``thread watch``): a stat walk; a hash of only the files the stat memo cannot vouch for; a
comparison with the store's content hashes; removed files' rows and partitions deleted; then ONE
Dagster run over the changed files' partitions (lined up as one contiguous range) that also
brings the graph assets up to date and runs the asset checks. Nothing changed: no run at all.

Run creation uses ``DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS=true`` unless the caller set
it (see ``PLANNED_SUBSET_ENV``), against a persistent instance (``$DAGSTER_HOME``, default
``<root>/.thread/dagster``, created with the SQLite ``dagster.yaml`` of ``deploy/``) so that the
UI shows every materialization.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterInstance

from resources.io_manager import FileTable, open_store_url
from resources.store.base import Store

from .assets import indexable_files
from .assets.per_file import ANALYSIS_PROGRESS
from .assets.repo import cache_dir_for, repo_name_for
from .changes import StatMemo, detect_changes, memo_path
from .definitions import STORE_DIR, build_resources, default_store_url
from .engine import FileAnalysis
from .update import QUIET_RUN_CONFIG, RANGE_END_TAG, RANGE_START_TAG, Updater

__all__ = ["QUIET_RUN_CONFIG", "RANGE_END_TAG", "RANGE_START_TAG", "IndexSummary", "index_repository"]

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
# stdout/stderr capture would start two `tail` processes per step (~15 ms of a one-file update).
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
"""
"""``deploy/dagster.yaml`` is this plus ``STORAGE_YAML`` for ``/path/to/dagster_home`` (a test
keeps them equal)."""

PLANNED_SUBSET_ENV = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
"""Dagster switch: one "planned" event per asset per run instead of one per partition. Measured on
1,148 files x 5 assets: run creation 51 s -> 0.7 s on a SQLite instance, 61 s -> ~1 s on Postgres.
Its trade-off (partitions of a failed run are not marked failed in the UI) costs Thread nothing:
the store is the source of truth, and a file without rows is analysed again by the next index."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` with stage ``discover``, ``analyse``, ``graphs``."""


@dataclass
class IndexSummary:
    repo: str
    root: str
    store_url: str
    dagster_home: str | None
    files: int
    """Files in the index after this call."""
    analysed: int
    added: int
    changed: int
    removed: int
    unchanged: int
    renamed: int = 0
    """Of the added files, how many are a removed file's content under a new path (not re-parsed)."""
    hashed: int = 0
    """Files read and hashed to find what changed (the stat memo answered for the rest)."""
    runs: list[str] = field(default_factory=list)
    """Dagster run ids (one per update: per-file range, graphs and checks together)."""
    seconds: float = 0.0
    by_language: dict[str, int] = field(default_factory=dict)
    symbols: int = 0
    imports: int = 0
    calls: int = 0
    cycles: int = 0
    files_with_parse_errors: int = 0
    problems: list[dict[str, str | None]] = field(default_factory=list)
    """Analysed files that are not ``ok`` in this call (path, status, reason)."""
    checks: dict[str, bool] = field(default_factory=dict)
    """Asset check name -> passed, from the graph run."""


def dagster_home(root: str | Path) -> Path:
    env = os.environ.get("DAGSTER_HOME")
    return Path(env).expanduser() if env else Path(root).expanduser().resolve() / STORE_DIR / "dagster"


STORAGE_YAML = """\
# Dagster's default SQLite storages, plus batched writes of multi-partition materializations and
# of a run's planned events, and pooled connections (resources/dagster_storage.py): a first index
# of Django went from 64 s to 10 s.
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


def open_instance(home: str | Path) -> DagsterInstance:
    """A persistent instance in ``home``, created with the SQLite dagster.yaml when missing."""
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(instance_yaml(path), encoding="utf-8")
    return DagsterInstance.from_config(str(path))


OWNER_FILE = "thread-repository"


def claim_instance(home: str | Path, root: Path) -> None:
    """One Dagster instance serves one repository: partition keys are bare paths, so a second
    repository indexed into the same ``$DAGSTER_HOME`` would delete the first one's partitions as
    "removed files". The first index writes its root into the instance directory; another root is
    refused with a clear message."""
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    marker = path / OWNER_FILE
    try:
        owner = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        marker.write_text(str(root) + "\n", encoding="utf-8")
        return
    if owner != str(root):
        raise RuntimeError(
            f"the Dagster instance in {path} already indexes {owner}; one instance serves one repository "
            f"(unset DAGSTER_HOME to use {root / STORE_DIR / 'dagster'}, or point DAGSTER_HOME elsewhere)"
        )


def index_repository(
    root: str | Path,
    *,
    store_url: str | None = None,
    instance: DagsterInstance | None = None,
    progress: Progress | None = None,
    repo_name: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    workers: int = 0,
    force: bool = False,
    cache_dir: str = "",
) -> IndexSummary:
    """Bring the index of ``root`` up to date through Dagster and summarise it.

    ``force`` re-analyses every file (the content cache still answers for unchanged bytes
    unless ``cache_dir="none"``). ``workers`` 0 means every CPU."""
    started = time.perf_counter()
    root_path = Path(root).expanduser().resolve()
    if not root_path.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    url = store_url or default_store_url(root_path)
    if store_url is None:
        (root_path / STORE_DIR).mkdir(exist_ok=True)
    name = repo_name or repo_name_for(root_path)
    resources = build_resources(
        root_path,
        store_url=url,
        repo_name=name,
        workers=workers,
        include=list(include),
        exclude=list(exclude),
        cache_dir=cache_dir,
    )
    with contextlib.ExitStack() as stack:
        stack.enter_context(_default_env(PLANNED_SUBSET_ENV, "true"))
        stack.enter_context(_default_env(BATCH_SIZE_ENV, "1000"))
        home: Path | None = None
        if instance is None:
            home = dagster_home(root_path)
            claim_instance(home, root_path)
            instance = stack.enter_context(open_instance(home))
        store = open_store_url(url)
        stack.callback(store.close)
        memo = StatMemo(memo_path(cache_dir_for(root_path, cache_dir)), str(root_path))
        found = indexable_files(root_path, include=include, exclude=exclude)
        _report(progress, "discover", len(found), len(found))
        changes = detect_changes(root_path, store.file_states(name), memo=memo, found=found, force=force)
        updater = Updater(instance, resources)
        analysing = len(changes.to_analyse)
        with _analysis_progress(progress, analysing):
            outcome = updater.run(store, name, changes, origin="index", graphs_needed=force)
        memo.save()
        summary = IndexSummary(
            repo=name,
            root=str(root_path),
            store_url=store.url,
            dagster_home=str(home) if home else None,
            files=len(found),
            analysed=len(outcome.plan.run_keys),
            added=len(changes.added),
            changed=len(changes.modified),
            removed=len(changes.removed),
            unchanged=len(found) - len(changes.to_analyse),
            renamed=len(changes.renamed),
            hashed=changes.hashed,
            runs=outcome.run_ids,
        )
        analyses: list[FileAnalysis] = []
        result = outcome.result
        if result is not None:
            _report(progress, "graphs", 1, 1)
            if outcome.plan.run_keys:
                table = result.output_for_node("per_file_assets", "parse")
                assert isinstance(table, FileTable)
                analyses = list(table.batch.analyses)
            graph = result.output_for_node("graph_assets", "dependency_graph")
            summary.cycles = _cycle_count(graph)
            summary.checks = {
                f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in result.get_asset_check_evaluations()
            }
        else:
            summary.cycles = len(store.cycles(repo=name))
        _fill_totals(summary, store, name, analyses)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _cycle_count(graph: object) -> int:
    batch = getattr(graph, "batch", None)
    cycles = getattr(batch, "cycles", None)
    return len(cycles) if cycles is not None else 0


@contextlib.contextmanager
def _default_env(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the duration of the index unless the caller chose a value."""
    if name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)


@contextlib.contextmanager
def _analysis_progress(progress: Progress | None, total: int) -> Iterator[None]:
    if progress is None:
        yield
        return
    done = 0

    def on_file(_analysis: FileAnalysis) -> None:
        nonlocal done
        done += 1
        progress("analyse", done, total)

    token = ANALYSIS_PROGRESS.set(on_file)
    try:
        progress("analyse", 0, total)
        yield
    finally:
        ANALYSIS_PROGRESS.reset(token)


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _fill_totals(summary: IndexSummary, store: Store, repo: str, analyses: list[FileAnalysis]) -> None:
    rows = list(store.export("files", repo=repo))
    summary.files = len(rows)
    summary.by_language = dict(Counter(r["language"] or "(unknown)" for r in rows).most_common())
    summary.files_with_parse_errors = sum(1 for r in rows if r.get("error_count"))
    stats = store.stats(repo=repo)
    for key in ("symbols", "imports", "calls"):
        value = stats.get(key)
        if isinstance(value, int):
            setattr(summary, key, value)
    summary.problems = [{"path": a.path, "status": a.status, "reason": a.reason} for a in analyses if a.status != "ok"]
