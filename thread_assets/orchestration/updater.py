"""One incremental update, the same for ``thread index``, the file-change sensor and ``thread watch``.

1. :func:`~thread_assets.repo.changes.detect_changes`: stat walk, hash what the stat memo cannot vouch
   for, compare with the store's content hashes (the truth);
2. removed files: their rows leave every table (``Store.delete_files``) and their partitions go;
3. :func:`~thread_assets.repo.partition_plan.plan_partitions`: new partitions appended, scattered changed ones
   moved to the tail, so the files to analyse are ONE contiguous range;
4. ONE run: the per-file multi-asset over that range, then the graph assets (which bring
   themselves up to date from what changed) and the asset checks; a removal-only update runs the
   graph assets alone. The in-process callers execute it here; the sensor returns it as a
   RunRequest with the same selection and tags.

Runs that Thread starts carry the tag ``thread/update`` (``index``, ``sensor`` or ``watch``).
Before moving partitions, every caller makes sure no such run is queued or in flight: moving or
deleting a partition that a queued run targets would fail that run (a run names its partitions
only by the first and last key of a range), and two runs over the same files would race on the
store.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from dagster import DagsterInstance, DagsterRunStatus, Definitions, JobDefinition, RunsFilter

from resources.dagster_storage import delete_dynamic_partitions
from resources.store.base import Store
from thread_assets.names import GRAPH_ASSETS, RANGE_END_TAG, RANGE_START_TAG, REPO_TAG, UPDATE_ORIGINS, UPDATE_TAG
from thread_assets.repo.changes import ChangeSet
from thread_assets.repo.partition_plan import PartitionPlan, plan_partitions

from .assets import build_assets
from .jobs import update_jobs
from .scope import SINGLE, Scope

QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
"""Runs started in-process log warnings and errors only (the UI keeps the full event log)."""
IN_FLIGHT = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


def scope_tags(scope: Scope) -> dict[str, str]:
    """Tags that tell one repository's runs from another's on a shared instance."""
    return {} if scope.repo is None else {REPO_TAG: scope.repo}


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


def in_flight_runs(instance: DagsterInstance, scope: Scope = SINGLE) -> list[str]:
    """Ids of Thread runs (of ``scope``'s repository) queued or executing on this instance."""
    tags: dict[str, str | list[str]] = {UPDATE_TAG: list(UPDATE_ORIGINS), **scope_tags(scope)}
    records = instance.get_run_records(filters=RunsFilter(statuses=IN_FLIGHT, tags=tags), limit=5)
    return [r.dagster_run.run_id for r in records]


def graphs_materialized(instance: DagsterInstance, scope: Scope = SINGLE) -> bool:
    return all(instance.get_latest_materialization_event(scope.key(a)) is not None for a in GRAPH_ASSETS)


def wait_for_runs(instance: DagsterInstance, timeout_s: float, poll_s: float = 0.5, scope: Scope = SINGLE) -> None:
    """Block until no Thread run is in flight; RuntimeError naming them after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        running = in_flight_runs(instance, scope)
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
    scope: Scope = SINGLE,
) -> tuple[PartitionPlan, UpdateRequest | None]:
    """Steps 2-3: delete removed files' rows and partitions, line the changed ones up; return the
    run to start (None when nothing needs one)."""
    if changes.removed:
        store.delete_files(repo, changes.removed)
    existing = list(instance.get_dynamic_partitions(scope.partitions_name))
    plan = plan_partitions(existing, changes.to_analyse, changes.removed, None if changes.partial else changes.on_disk)
    delete_dynamic_partitions(instance, scope.partitions_name, [*plan.delete, *plan.move])
    if plan.add:
        instance.add_dynamic_partitions(scope.partitions_name, plan.add)
    tags = {UPDATE_TAG: origin, **scope_tags(scope)}
    if plan.run_keys:
        keys = plan.run_keys
        if len(keys) > 1:
            tags |= {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}
        return plan, UpdateRequest(scope.update_job, keys, tags)
    if changes.removed or plan.delete or graphs_needed:
        return plan, UpdateRequest(scope.graphs_job, [], tags)
    return plan, None


class Updater:
    """Runs updates in this process against one instance; jobs are resolved once (building the
    asset graph is costly next to a small update, and a long-lived watcher should not pay for it
    per save)."""

    def __init__(self, instance: DagsterInstance, resources: dict[str, object], scope: Scope = SINGLE) -> None:
        self.instance = instance
        self.scope = scope
        assets, checks = build_assets(scope)
        self.defs = Definitions(
            assets=assets,
            asset_checks=checks,
            jobs=list(update_jobs(scope)),
            resources=resources,  # type: ignore[arg-type]
        )
        self._jobs: dict[str, JobDefinition] = {}
        self._graphs_seen = False
        """Once the graph assets have materializations they keep them (saves the queries per update)."""

    def graphs_materialized(self) -> bool:
        self._graphs_seen = self._graphs_seen or graphs_materialized(self.instance, self.scope)
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
        wait_for_runs(self.instance, wait_s, scope=self.scope)
        plan, request = prepare_update(
            self.instance,
            store,
            repo,
            changes,
            origin=origin,
            graphs_needed=graphs_needed or not self.graphs_materialized(),
            scope=self.scope,
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
