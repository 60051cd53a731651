"""Index a repository through Dagster: the Python API behind ``thread index``.

What one call does:

1. discover the indexable files; read and hash them (xxh3, ~16 GB/s: reading dominates) and
   compare with the store's ``file_states``: new, changed (content or extractor version), removed;
2. delete removed files' rows (``Store.delete_files``) and their dynamic partitions; add a
   partition per new file, in discovery order;
3. materialize the per-file assets for every file that needs it in ONE range run: dynamic
   partitions are ordered by insertion and a run covers one contiguous range, so when the files to
   analyse are scattered (an incremental index), their partitions are moved to the end (deleted
   and re-added: a deleted partition keeps its materialization history, and the key is the same)
   so that they form one range;
4. materialize the graph assets and run the asset checks in a second run.

Run creation uses ``DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS=true`` unless the caller set
it (see ``PLANNED_SUBSET_ENV``). So an index costs two Dagster runs whatever changed (none when nothing did), against a
persistent instance (``$DAGSTER_HOME``, default ``<root>/.thread/dagster``, created with the
SQLite ``dagster.yaml`` of ``deploy/``) so that the UI shows every materialization.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xxhash
from dagster import AssetKey, AssetSelection, DagsterInstance, materialize

from resources.io_manager import GRAPH_ASSETS, PER_FILE_ASSETS, FileTable, GraphTable, open_store_url
from resources.store.base import FileState, Store

from .assets import ALL_ASSETS, ALL_CHECKS, FILES_PARTITIONS_NAME, indexable_files
from .assets.per_file import ANALYSIS_PROGRESS
from .assets.repo import repo_name_for
from .definitions import STORE_DIR, build_resources, default_store_url
from .discover import FoundFile
from .engine import EXTRACTOR_VERSION, FileAnalysis
from .engine.batch import read_for_analysis
from .partition_keys import encode_key, path_of

QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
"""Runs started by the indexer log warnings and errors only (the UI keeps the full event log)."""
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

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
"""
"""``deploy/dagster.yaml`` is this plus ``EVENT_LOG_YAML`` for ``/path/to/dagster_home`` (a test
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
    runs: list[str] = field(default_factory=list)
    """Dagster run ids, per-file run first."""
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


EVENT_LOG_YAML = """\
# Dagster's default SQLite event log, plus batched writes of multi-partition materializations
# (resources/dagster_storage.py): a first index of Django went from 64 s to 10 s.
event_log_storage:
  module: resources.dagster_storage
  class: BatchingSqliteEventLogStorage
  config:
    base_dir: {base_dir}
"""

BATCH_SIZE_ENV = "DAGSTER_EVENT_BATCH_SIZE"
"""Dagster buffers a multi-partition output's materialization events and hands the storage up to
this many at once; the event log above (and dagster-postgres) writes them in one statement."""


def instance_yaml(home: str | Path) -> str:
    """The dagster.yaml written into a new instance directory: the event log lives where Dagster's
    default SQLite storage puts it (``history/runs``), so the UI and the daemon find it."""
    return SQLITE_INSTANCE_YAML + EVENT_LOG_YAML.format(base_dir=Path(home).resolve() / "history" / "runs")


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
) -> IndexSummary:
    """Bring the index of ``root`` up to date through Dagster and summarise it.

    ``force`` re-analyses every file. ``workers`` 0 means every CPU."""
    started = time.perf_counter()
    root_path = Path(root).expanduser().resolve()
    if not root_path.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    url = store_url or default_store_url(root_path)
    if store_url is None:
        (root_path / STORE_DIR).mkdir(exist_ok=True)
    name = repo_name or repo_name_for(root_path)
    resources = build_resources(
        root_path, store_url=url, repo_name=name, workers=workers, include=list(include), exclude=list(exclude)
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
        found = indexable_files(root_path, include=include, exclude=exclude)
        _report(progress, "discover", len(found), len(found))
        plan = _plan(store, instance, name, found, force)
        if plan.removed_paths:
            store.delete_files(name, sorted(plan.removed_paths))
        for key in plan.removed_keys:
            instance.delete_dynamic_partition(FILES_PARTITIONS_NAME, key)
        keys = _line_up(instance, plan)
        summary = IndexSummary(
            repo=name,
            root=str(root_path),
            store_url=store.url,
            dagster_home=str(home) if home else None,
            files=len(found),
            analysed=len(plan.to_analyse),
            added=plan.added,
            changed=len(plan.to_analyse) - plan.added,
            removed=len(plan.removed_paths | {path_of(k) for k in plan.removed_keys}),
            unchanged=len(found) - len(plan.to_analyse),
        )
        analyses: list[FileAnalysis] = []
        if keys:
            with _analysis_progress(progress, len(keys)):
                result = _materialize_per_file(instance, resources, keys)
            summary.runs.append(result.run_id)
            table = result.output_for_node("per_file_assets", "parse")
            assert isinstance(table, FileTable)
            analyses = list(table.batch.analyses)
        if keys or summary.removed or force or not _graphs_materialized(instance):
            _report(progress, "graphs", 0, 1)
            result = materialize(
                [*ALL_ASSETS, *ALL_CHECKS],
                instance=instance,
                resources=resources,
                run_config=QUIET_RUN_CONFIG,
                selection=AssetSelection.assets(*(AssetKey(a) for a in (*GRAPH_ASSETS, "symbol_index")))
                | AssetSelection.checks(*ALL_CHECKS),
            )
            summary.runs.append(result.run_id)
            graph = result.output_for_node("graph_assets", "dependency_graph")
            assert isinstance(graph, GraphTable)
            summary.cycles = len(graph.batch.cycles)
            summary.checks = {
                f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in result.get_asset_check_evaluations()
            }
            _report(progress, "graphs", 1, 1)
        _fill_totals(summary, store, name, analyses)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


@dataclass
class _Plan:
    to_analyse: list[str]
    """Partition keys to materialize, in discovery order."""
    new_keys: list[str]
    removed_paths: set[str]
    removed_keys: list[str]
    added: int


def _plan(store: Store, instance: DagsterInstance, repo: str, found: list[FoundFile], force: bool) -> _Plan:
    states = store.file_states(repo)
    existing = list(instance.get_dynamic_partitions(FILES_PARTITIONS_NAME))
    existing_set = set(existing)
    on_disk = {f.path for f in found}
    to_analyse: list[str] = []
    new_keys: list[str] = []
    added = 0
    for f in found:
        key = encode_key(f.path)
        state = states.get(f.path)
        if key not in existing_set:
            new_keys.append(key)
        if state is None:
            added += 1
        if force or state is None or key not in existing_set or _changed(f, state):
            to_analyse.append(key)
    removed_keys = [k for k in existing if path_of(k) not in on_disk]
    return _Plan(to_analyse, new_keys, set(states) - on_disk, removed_keys, added)


def _changed(found: FoundFile, state: FileState) -> bool:
    if state.extractor_version != EXTRACTOR_VERSION:
        return True
    if state.content_hash is None:
        return found.size != state.size_bytes
    data = read_for_analysis(found.abs_path)
    return not isinstance(data, bytes) or xxhash.xxh3_64_hexdigest(data) != state.content_hash


def _line_up(instance: DagsterInstance, plan: _Plan) -> list[str]:
    """Add new partitions and make the keys to analyse one contiguous range; returns them in
    partition order."""
    if plan.new_keys:
        instance.add_dynamic_partitions(FILES_PARTITIONS_NAME, plan.new_keys)
    if not plan.to_analyse:
        return []
    order = list(instance.get_dynamic_partitions(FILES_PARTITIONS_NAME))
    wanted = set(plan.to_analyse)
    positions = [i for i, k in enumerate(order) if k in wanted]
    if positions[-1] - positions[0] + 1 == len(positions):
        return [order[i] for i in positions]
    # Scattered: move the existing ones behind the tail (new keys are already there).
    tail_start = len(order)
    while tail_start > 0 and order[tail_start - 1] in wanted:
        tail_start -= 1
    moved = [k for k in order[:tail_start] if k in wanted]
    for key in moved:
        instance.delete_dynamic_partition(FILES_PARTITIONS_NAME, key)
    instance.add_dynamic_partitions(FILES_PARTITIONS_NAME, moved)
    order = list(instance.get_dynamic_partitions(FILES_PARTITIONS_NAME))
    lined = [k for k in order if k in wanted]
    assert order[-len(lined) :] == lined, "partitions to analyse are not contiguous after moving them"
    return lined


def _materialize_per_file(instance: DagsterInstance, resources: dict[str, object], keys: list[str]) -> Any:
    selection = AssetSelection.assets(*(AssetKey(a) for a in PER_FILE_ASSETS)).without_checks()
    run: dict[str, Any] = {
        "instance": instance,
        "resources": resources,
        "selection": selection,
        "run_config": QUIET_RUN_CONFIG,
    }
    if len(keys) == 1:
        return materialize(ALL_ASSETS, partition_key=keys[0], **run)
    return materialize(ALL_ASSETS, tags={RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}, **run)


def _graphs_materialized(instance: DagsterInstance) -> bool:
    return all(instance.get_latest_materialization_event(AssetKey(a)) is not None for a in GRAPH_ASSETS)


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
