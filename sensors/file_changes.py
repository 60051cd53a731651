"""The file-change sensor: the daemon's way of keeping the index fresh.

Each tick (every ``THREAD_SENSOR_INTERVAL_S`` seconds, default 5) does the same detection as
``thread index`` (``thread_assets/update.py``): a stat walk, a hash of what the stat memo cannot
vouch for, a comparison with the store's content hashes. Then, when something changed, it
deletes the removed files' rows and partitions, lines the changed files' partitions up as one
contiguous range and requests ONE run of ``thread_update`` (per-file range + graphs + checks),
or of ``thread_graphs`` when files were only removed.

Races: the tick skips while any Thread run (tag ``thread/update``) is queued or in flight, so it
never moves or deletes a partition that a run targets and never starts a second run over files a
run is still writing; what changed meanwhile is found by the next tick, because the store only
changes when a run lands. The cursor is not used for state (the stored hashes are the truth), so
it has no size to outgrow.
"""

from __future__ import annotations

import os
import time
from functools import cache
from typing import Any

from dagster import (
    DagsterInstance,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    build_sensor_context,
    sensor,
)

from resources.io_manager import StoreResource, open_store_url
from thread_assets.assets.repo import ThreadRepo
from thread_assets.assets.scope import SINGLE, Scope
from thread_assets.changes import StatMemo, detect_changes, gc_paused, memo_path
from thread_assets.update import graphs_materialized, in_flight_runs, prepare_update, update_jobs

SENSOR_NAME = SINGLE.sensor_name


def _interval() -> int:
    return max(1, int(float(os.environ.get("THREAD_SENSOR_INTERVAL_S", "5"))))


@cache
def build_file_change_sensor(scope: Scope = SINGLE) -> SensorDefinition:
    """The file-change sensor of one repository (see :mod:`thread_assets.assets.scope`)."""
    update_job, graphs_job = update_jobs(scope)
    where = "" if scope.repo is None else f" of {scope.repo}"

    @sensor(
        name=scope.sensor_name,
        jobs=[update_job, graphs_job],
        minimum_interval_seconds=_interval(),
        required_resource_keys={scope.repo_key, scope.store_key},
        description=f"Finds added, changed and removed files{where} (stat first, stored hashes are the truth) "
        "and requests one run over exactly those partitions, then the graphs.",
    )
    def file_change_sensor(context: SensorEvaluationContext) -> RunRequest | SkipReason:
        return evaluate(
            context, getattr(context.resources, scope.repo_key), getattr(context.resources, scope.store_key), scope
        )

    return file_change_sensor


def evaluate(
    context: SensorEvaluationContext, thread_repo: ThreadRepo, thread_store: StoreResource, scope: Scope
) -> RunRequest | SkipReason:
    """One tick for one repository."""
    started = time.perf_counter()
    instance = context.instance
    running = in_flight_runs(instance, scope)
    if running:
        return SkipReason(f"Thread run(s) in flight ({', '.join(running)}): changes wait for the next tick")
    root = thread_repo.root_path
    with gc_paused():
        store = open_store_url(thread_store.url)
        try:
            memo = StatMemo(memo_path(thread_repo.cache_path), str(root))
            changes = detect_changes(
                root,
                store.file_states(thread_repo.repo_name),
                memo=memo,
                include=thread_repo.include,
                exclude=thread_repo.exclude,
            )
            memo.save()
            plan, request = prepare_update(
                instance,
                store,
                thread_repo.repo_name,
                changes,
                origin="sensor",
                graphs_needed=not graphs_materialized(instance, scope),
                scope=scope,
            )
        finally:
            store.close()
    ms = (time.perf_counter() - started) * 1000
    if request is None:
        return SkipReason(f"no change: {changes.scanned} files checked ({changes.hashed} hashed) in {ms:.0f} ms")
    context.log.info(
        f"{changes.describe()}: {len(plan.run_keys)} partition(s) to materialize, "
        f"{len(plan.delete)} deleted, {len(plan.move)} moved; detected in {ms:.0f} ms"
    )
    return RunRequest(job_name=request.job_name, partition_key=request.partition_key, tags=request.tags)


file_change_sensor = build_file_change_sensor()


def tick_and_run(
    instance: DagsterInstance, resources: dict[str, object], updater: Any = None, scope: Scope = SINGLE
) -> Any:
    """One daemon cycle in this process: evaluate a tick, then execute the run it requested (the
    daemon would launch it). Returns the run's result, or None when the tick skipped. For tests,
    benchmarks and debugging the sensor without a daemon; pass an ``Updater`` to reuse its
    resolved jobs (as a code server keeps its definitions loaded)."""
    from thread_assets.update import QUIET_RUN_CONFIG, Updater

    updater = updater or Updater(instance, resources, scope)
    with build_sensor_context(
        instance=instance, instance_ref=instance.get_ref(), resources=resources, definitions=updater.defs
    ) as ctx:
        tick = build_file_change_sensor(updater.scope).evaluate_tick(ctx)
    if not tick.run_requests:
        return None
    if len(tick.run_requests) != 1:
        raise AssertionError(f"one run per update, got {len(tick.run_requests)}")
    request = tick.run_requests[0]
    assert request.job_name is not None
    return updater.job(request.job_name).execute_in_process(
        instance=instance, partition_key=request.partition_key, tags=request.tags, run_config=QUIET_RUN_CONFIG
    )
