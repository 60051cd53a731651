"""One incremental update, the same for ``thread index``, the file-change sensor and ``thread watch``.

1. :func:`~thread_assets.changes.detect_changes`: stat walk, hash what the stat memo cannot vouch
   for, compare with the store's content hashes (the truth);
2. removed files: their rows leave every table (``Store.delete_files``) and their partitions go;
3. :func:`~thread_assets.changes.plan_partitions`: new partitions appended, scattered changed ones
   moved to the tail, so the files to analyse are ONE contiguous range;
4. ONE run: the per-file multi-asset over that range, then the graph assets (which bring
   themselves up to date from what changed) and the asset checks; a removal-only update runs the
   graph assets alone. The in-process callers execute it here; the sensor returns it as a
   RunRequest with the same selection and tags.

Runs that Thread starts carry the tag ``thread/update`` (``index``, ``sensor`` or ``watch``).
Before moving partitions, every caller makes sure no such run is queued or in flight: moving or
deleting a partition that a queued run targets would fail that run (FACTS), and two runs over the
same files would race on the store.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from dagster import (
    AssetKey,
    AssetSelection,
    DagsterInstance,
    DagsterRunStatus,
    Definitions,
    JobDefinition,
    RunsFilter,
    define_asset_job,
    in_process_executor,
)

from resources.io_manager import GRAPH_ASSETS, PER_FILE_ASSETS
from resources.store.base import Store

from .assets import ALL_ASSETS, ALL_CHECKS, FILES_PARTITIONS_NAME
from .changes import ChangeSet, PartitionPlan, apply_plan, plan_partitions

UPDATE_TAG = "thread/update"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
"""Runs started in-process log warnings and errors only (the UI keeps the full event log)."""
UPDATE_JOB = "thread_update"
GRAPHS_JOB = "thread_graphs"
IN_FLIGHT = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]

PER_FILE_SELECTION = AssetSelection.assets(*(AssetKey(a) for a in PER_FILE_ASSETS)).without_checks()
GRAPH_SELECTION = AssetSelection.assets(*(AssetKey(a) for a in (*GRAPH_ASSETS, "symbol_index")))
CHECKS_SELECTION = AssetSelection.checks(*ALL_CHECKS)
UPDATE_SELECTION = PER_FILE_SELECTION | GRAPH_SELECTION | CHECKS_SELECTION
GRAPHS_ONLY_SELECTION = GRAPH_SELECTION | CHECKS_SELECTION


UPDATE_JOB_DEF = define_asset_job(
    UPDATE_JOB,
    selection=UPDATE_SELECTION,
    description="Analyse the changed files (one contiguous partition range), then bring the graphs up to date.",
    executor_def=in_process_executor,
)
"""In-process executor: under the daemon the run worker executes every step itself (the default
multiprocess executor starts a subprocess per step, ~2 s each, FACTS); the per-file step has its
own process pool for the parsing."""
GRAPHS_JOB_DEF = define_asset_job(
    GRAPHS_JOB,
    selection=GRAPHS_ONLY_SELECTION,
    description="Bring the graphs up to date (after removals).",
    executor_def=in_process_executor,
)


def update_jobs() -> list[Any]:
    """The two jobs an update runs: per-file range + graphs + checks, and graphs + checks alone."""
    return [UPDATE_JOB_DEF, GRAPHS_JOB_DEF]


@dataclass
class UpdateRequest:
    """What to run for one change set, once the partitions are in place."""

    job_name: str
    keys: list[str]
    tags: dict[str, str]

    @property
    def partition_key(self) -> str | None:
        return self.keys[0] if len(self.keys) == 1 else None


@dataclass
class UpdateOutcome:
    changes: ChangeSet
    plan: PartitionPlan
    request: UpdateRequest | None
    run_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0
    result: Any = None
    """The in-process run's ``ExecuteInProcessResult`` (None when nothing ran)."""


def in_flight_runs(instance: DagsterInstance) -> list[str]:
    """Ids of Thread runs queued or executing on this instance."""
    records = instance.get_run_records(
        filters=RunsFilter(statuses=IN_FLIGHT, tags={UPDATE_TAG: ["index", "sensor", "watch"]}), limit=5
    )
    return [r.dagster_run.run_id for r in records]


def graphs_materialized(instance: DagsterInstance) -> bool:
    return all(instance.get_latest_materialization_event(AssetKey(a)) is not None for a in GRAPH_ASSETS)


def wait_for_runs(instance: DagsterInstance, timeout_s: float, poll_s: float = 0.5) -> None:
    """Block until no Thread run is in flight; RuntimeError naming them after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        running = in_flight_runs(instance)
        if not running:
            return
        if time.monotonic() >= deadline:
            raise RuntimeError(
                f"Thread run(s) still in flight on this instance after {timeout_s:.0f} s: {', '.join(running)}; "
                "wait for them (or cancel them in the UI) and try again"
            )
        time.sleep(poll_s)


def prepare_update(
    instance: DagsterInstance,
    store: Store,
    repo: str,
    changes: ChangeSet,
    *,
    origin: str,
    graphs_needed: bool = False,
) -> tuple[PartitionPlan, UpdateRequest | None]:
    """Steps 2-3: delete removed files' rows and partitions, line the changed ones up; return the
    run to start (None when nothing needs one)."""
    if changes.removed:
        store.delete_files(repo, changes.removed)
    existing = list(instance.get_dynamic_partitions(FILES_PARTITIONS_NAME))
    plan = plan_partitions(existing, changes.to_analyse, changes.removed, None if changes.partial else changes.on_disk)
    apply_plan(instance, FILES_PARTITIONS_NAME, plan)
    tags = {UPDATE_TAG: origin}
    if plan.run_keys:
        keys = plan.run_keys
        if len(keys) > 1:
            tags |= {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}
        return plan, UpdateRequest(UPDATE_JOB, keys, tags)
    if changes.removed or plan.delete or graphs_needed:
        return plan, UpdateRequest(GRAPHS_JOB, [], tags)
    return plan, None


class Updater:
    """Runs updates in this process against one instance; jobs are resolved once (building the
    asset graph costs ~100 ms, which a long-lived watcher should not pay per save)."""

    def __init__(self, instance: DagsterInstance, resources: dict[str, object]) -> None:
        self.instance = instance
        from sensors.file_changes import file_change_sensor

        self.defs = Definitions(
            assets=ALL_ASSETS,
            asset_checks=ALL_CHECKS,
            jobs=update_jobs(),
            sensors=[file_change_sensor],
            resources=resources,  # type: ignore[arg-type]
        )
        self._jobs: dict[str, JobDefinition] = {}
        self._graphs_seen = False
        """Once the graph assets have materializations they keep them (~4 ms of queries saved per update)."""

    def graphs_materialized(self) -> bool:
        self._graphs_seen = self._graphs_seen or graphs_materialized(self.instance)
        return self._graphs_seen

    def job(self, name: str) -> JobDefinition:
        if name not in self._jobs:
            self._jobs[name] = self.defs.resolve_job_def(name)
        return self._jobs[name]

    def run(
        self,
        store: Store,
        repo: str,
        changes: ChangeSet,
        *,
        origin: str,
        graphs_needed: bool = False,
        wait_s: float = 600.0,
    ) -> UpdateOutcome:
        started = time.perf_counter()
        wait_for_runs(self.instance, wait_s)
        plan, request = prepare_update(
            self.instance,
            store,
            repo,
            changes,
            origin=origin,
            graphs_needed=graphs_needed or not self.graphs_materialized(),
        )
        outcome = UpdateOutcome(changes, plan, request)
        if request is not None:
            result = self.job(request.job_name).execute_in_process(
                instance=self.instance,
                partition_key=request.partition_key,
                tags=request.tags,
                run_config=QUIET_RUN_CONFIG,
            )
            outcome.result = result
            outcome.run_ids.append(result.run_id)
        outcome.seconds = time.perf_counter() - started
        return outcome
