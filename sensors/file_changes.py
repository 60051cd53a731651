"""The file-change sensor: the daemon's way of keeping the index fresh.

Each tick (every ``THREAD_SENSOR_INTERVAL_S`` seconds, default 5) does the same detection as
``thread index`` (:mod:`thread_assets.orchestration.updater`): a stat walk, a hash of what the stat memo cannot
vouch for, a comparison with the store's content hashes. Then, when something changed, it
deletes the removed files' rows and partitions, lines the changed files' partitions up as one
contiguous range and requests ONE run of ``thread_update`` (per-file range + graphs + checks),
or of ``thread_graphs`` when files were only removed.

Above the run size (``THREAD_RUN_SIZE``), the range is split: the tick requests one
``thread_files`` run per sub-range, all at once, which the run coordinator executes concurrently
(up to ``max_concurrent_runs``; they hold the repository lock shared, so they do not wait on each
other). The ticks that follow skip while any of them is in flight; the first one after finds
nothing to analyse and the store's graphs behind its files (``Store.graphs_behind``), and requests
the ``thread_graphs`` run: the graphs are built once, after every range. A range run that failed
leaves its files unindexed: that tick finds them changed and requests them again (then the graphs).

Races: the tick skips while another process holds the repository lock (``thread index``, a
``thread watch`` batch, a run: :mod:`thread_assets.orchestration.lock`) or while any Thread run
(tag ``thread/update``) is queued or in flight, so it never moves or deletes a partition that a
run targets and never starts a second run over files a run is still writing; what changed
meanwhile is found by the next tick, because the store only changes when a run lands. A tick
that requests runs keeps the lock until the daemon has created them all (it is created after the
tick returns), and the run takes the lock when its resources start. The cursor is not used for
state (the stored hashes are the truth), so it has no size to outgrow.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence

from dagster import (
    DefaultSensorStatus,
    JobDefinition,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from resources.io_manager import StoreResource, open_store_url
from thread_assets.names import REQUEST_TAG
from thread_assets.orchestration.lock import LockBusy, repository_lock
from thread_assets.orchestration.resources import ThreadRepo
from thread_assets.orchestration.scope import Scope
from thread_assets.orchestration.updater import (
    QUIET_RUN_CONFIG,
    describe_run,
    graphs_materialized,
    hand_over,
    live_runs,
    prepare_update,
)
from thread_assets.repo.changes import detect_changes, gc_paused
from thread_assets.repo.settings import run_size_setting, sensor_interval_s


def build_file_change_sensor(
    scope: Scope,
    jobs: Sequence[JobDefinition | UnresolvedAssetJobDefinition],
    run_size: int | None = None,
) -> SensorDefinition:
    """The file-change sensor of one repository, targeting ``jobs``: the scope's update, graphs
    and files jobs (see :mod:`thread_assets.orchestration.jobs`), whose names its run requests
    use. ``run_size``: files per run above which an update is split (default ``THREAD_RUN_SIZE``)."""
    size = run_size if run_size is not None else run_size_setting()
    if size < 1:
        raise ValueError(f"the run size must be 1 or more files, not {size}")
    wanted = {scope.update_job, scope.graphs_job, scope.files_job}
    given = {job.name for job in jobs}
    if given != wanted:
        raise ValueError(
            f"the file-change sensor of {scope.repo or 'the repository'} needs the jobs {sorted(wanted)}, "
            f"was given {sorted(given)}"
        )
    where = "" if scope.repo is None else f" of {scope.repo}"

    @sensor(
        name=scope.sensor_name,
        jobs=list(jobs),
        minimum_interval_seconds=sensor_interval_s(),
        default_status=DefaultSensorStatus.RUNNING,  # under a daemon the index stays fresh with no click
        required_resource_keys={scope.repo_key, scope.store_key},
        description=f"Finds added, changed and removed files{where} (stat first, stored hashes are the truth) "
        "and requests one run over exactly those partitions, then the graphs.",
    )
    def file_change_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
        return evaluate(
            context,
            getattr(context.resources, scope.repo_key),
            getattr(context.resources, scope.store_key),
            scope,
            run_size=size,
        )

    return file_change_sensor


def evaluate(
    context: SensorEvaluationContext,
    thread_repo: ThreadRepo,
    thread_store: StoreResource,
    scope: Scope,
    *,
    run_size: int | None = None,
) -> SensorResult | SkipReason:
    """One tick for one repository: the runs it requests, or why none."""
    size = run_size if run_size is not None else run_size_setting()
    instance = context.instance
    lock = repository_lock(
        instance, scope, purpose="the file-change sensor", repo=thread_repo.repo_name, store_url=thread_store.url
    )
    try:
        lock.acquire(wait=False, reentrant=False)
    except LockBusy as busy:
        return SkipReason(f"{busy}: changes wait for the next tick")
    handed_over = False
    token = uuid.uuid4().hex
    try:
        result = _evaluate_locked(context, thread_repo, thread_store, scope, token, size)
        if isinstance(result, SensorResult) and result.run_requests:
            hand_over(lock, instance, token, runs=len(result.run_requests))
            handed_over = True
        return result
    finally:
        if not handed_over:
            lock.release()


def _evaluate_locked(
    context: SensorEvaluationContext,
    thread_repo: ThreadRepo,
    thread_store: StoreResource,
    scope: Scope,
    token: str,
    run_size: int,
) -> SensorResult | SkipReason:
    started = time.perf_counter()
    instance = context.instance
    running = live_runs(instance, scope, on_wait=context.log.warning)
    if running:
        described = ", ".join(describe_run(r) for r in running)
        return SkipReason(f"Thread run(s) in flight ({described}): changes wait for the next tick")
    root = thread_repo.root_path
    with gc_paused():
        store = open_store_url(thread_store.url)
        try:
            memo = thread_repo.stat_memo()
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
                run_size=run_size,
            )
        finally:
            store.close()
    ms = (time.perf_counter() - started) * 1000
    if request is None:
        return SkipReason(f"no change: {changes.scanned} files checked ({changes.hashed} hashed) in {ms:.0f} ms")
    # a split update's ranges now; its graphs run at the first tick that finds none in flight
    specs = request.range_runs(scope) or [request.final_run()]
    split = f" in {len(specs)} runs of at most {run_size}" if request.ranges else ""
    context.log.info(
        f"{changes.describe()}: {len(plan.run_keys)} partition(s) to materialize{split}, "
        f"{len(plan.delete)} deleted, {len(plan.move)} moved; detected in {ms:.0f} ms"
    )
    return SensorResult(
        run_requests=[
            RunRequest(
                job_name=spec.job_name,
                partition_key=spec.partition_key,
                tags={**spec.tags, REQUEST_TAG: token},
                run_config=QUIET_RUN_CONFIG,
            )
            for spec in specs
        ]
    )
