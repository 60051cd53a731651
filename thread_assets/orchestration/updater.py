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
5. Unless the range holds more files than the run size (``THREAD_RUN_SIZE``, ``--run-size``):
   then it is split into contiguous sub-ranges of at most that many
   (:func:`~thread_assets.repo.partition_plan.split_range`), each a run of the per-file assets
   alone (``thread_files``), and ONE run of the graph assets and checks ends the update, so no
   run holds more than the run size of analyses. In-process callers execute them one after the
   other; the sensor requests every range run in one tick (the run coordinator executes them
   concurrently, up to ``max_concurrent_runs``; they hold the lock shared) and a later tick, once
   none is in flight, finds the store's graphs behind its files and requests the graphs run.

Runs that Thread starts carry the tag ``thread/update`` (``index``, ``sensor`` or ``watch``).
Before moving partitions, every caller holds the repository lock (:mod:`.lock`) and makes sure no
such run is queued or in flight: moving or deleting a partition that a queued run targets would
fail that run (a run names its partitions only by the first and last key of a range), and two
runs over the same files would race on the store. A run in flight whose process is gone is
marked failed rather than waited for (:func:`stale_reason`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dagster import DagsterInstance, DagsterRunStatus, Definitions, JobDefinition, RunRecord, RunsFilter

from resources.dagster_storage import delete_dynamic_partitions
from resources.store.base import Store
from thread_assets.names import (
    GRAPH_ASSETS,
    HOST_TAG,
    PID_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    REPO_TAG,
    REQUEST_TAG,
    UPDATE_ORIGINS,
    UPDATE_TAG,
)
from thread_assets.repo.changes import ChangeSet
from thread_assets.repo.partition_plan import PartitionPlan, plan_partitions, split_range
from thread_assets.repo.quick import graphs_stale
from thread_assets.repo.settings import DEFAULT_RUN_SIZE

from .assets import build_assets
from .jobs import update_jobs
from .lock import SHARED_TAG, LockBusy, OnWait, RepositoryLock, process_tags
from .scope import SINGLE, Scope

QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
"""Runs started in-process log nothing to the console (the UI keeps the full event log): a step's
error reaches the caller as the exception itself (``thread index`` prints it in one line, ``thread
watch`` in its retry message), and the console logger would add it again with a stack trace."""
IN_FLIGHT = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


PART_TAG = "thread/part"
"""On each partition-range run of a split update: ``i/n`` (its place among the update's ranges)."""


def scope_tags(scope: Scope) -> dict[str, str]:
    """Tags that tell one repository's runs from another's on a shared instance."""
    return {} if scope.repo is None else {REPO_TAG: scope.repo}


@dataclass(frozen=True)
class RunSpec:
    """One Dagster run of an update: its job, its partition (one file) or range (in ``tags``)."""

    job_name: str
    partition_key: str | None
    tags: dict[str, str]


def range_tags(keys: list[str]) -> dict[str, str]:
    """How a run names a range of several partitions (its first and last key)."""
    return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]} if len(keys) > 1 else {}


@dataclass
class UpdateRequest:
    """What to run for one change set, once the partitions are in place."""

    job_name: str
    """The update's last run: ``thread_update`` (per-file range, graphs, checks), or
    ``thread_graphs`` (after removals, or ending a split update)."""
    keys: list[str]
    """Every partition the update analyses, in order: one contiguous range."""
    tags: dict[str, str]
    """The update's tags, on every one of its runs."""
    ranges: list[list[str]] = field(default_factory=list)
    """A split update's sub-ranges of ``keys``, each one ``thread_files`` run before the graphs
    run; empty when one run does it all."""
    shared: bool = False
    """The range runs may run at once (holding the lock shared): the store takes concurrent writers."""

    @property
    def partition_key(self) -> str | None:
        return self.keys[0] if len(self.keys) == 1 and not self.ranges else None

    def range_runs(self, scope: Scope = SINGLE) -> list[RunSpec]:
        """The per-file runs of a split update (none otherwise), in partition order."""
        job = scope.files_job
        n = len(self.ranges)
        return [
            RunSpec(
                job,
                keys[0] if len(keys) == 1 else None,
                {
                    **self.tags,
                    **range_tags(keys),
                    PART_TAG: f"{i}/{n}",
                    **({SHARED_TAG: "true"} if self.shared else {}),
                },
            )
            for i, keys in enumerate(self.ranges, 1)
        ]

    def final_run(self) -> RunSpec:
        """The run that ends the update: the whole update, or the graphs after the ranges."""
        keys = [] if self.ranges else self.keys
        return RunSpec(self.job_name, self.partition_key, {**self.tags, **range_tags(keys)})

    def runs(self, scope: Scope = SINGLE) -> list[RunSpec]:
        """Every run of the update, in the order an in-process caller executes them."""
        return [*self.range_runs(scope), self.final_run()]


@dataclass
class UpdateOutcome:
    changes: ChangeSet
    plan: PartitionPlan
    request: UpdateRequest | None
    run_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0
    result: Any = None
    """The last in-process run's ``ExecuteInProcessResult`` (None when nothing ran): the one run
    of the update, or the graphs run of a split one. The range runs' results are dropped as soon
    as each is done (an in-process result keeps its outputs in memory)."""


def in_flight_runs(instance: DagsterInstance, scope: Scope = SINGLE) -> list[str]:
    """Ids of Thread runs (of ``scope``'s repository) queued or executing on this instance."""
    return [r.dagster_run.run_id for r in _in_flight_records(instance, scope)]


def _in_flight_records(instance: DagsterInstance, scope: Scope, limit: int = 5) -> list[RunRecord]:
    tags: dict[str, str | list[str]] = {UPDATE_TAG: list(UPDATE_ORIGINS), **scope_tags(scope)}
    return list(instance.get_run_records(filters=RunsFilter(statuses=IN_FLIGHT, tags=tags), limit=limit))


UNTAGGED_GRACE_S = 60.0
"""A run without the process tags (one the daemon created and whose run worker has not started
Thread's resources yet, or one made before runs carried them) is judged only after this long
without a status change."""
DAEMON_GONE_S = 90.0
"""No daemon heartbeat (Dagster's daemons beat every 30 s) for this long: no daemon is running."""
UNTAGGED_STARTED_S = 120.0
"""A launched run whose worker has not tagged itself after this long never will: the worker
tags the run as soon as Thread's resources start, seconds after launch."""


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` (of this host) running? A zombie (dead, not yet reaped) is not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def stale_reason(record: RunRecord, *, host: str, daemon_seen_s: float | None, now: float) -> str | None:
    """Why a Thread run in flight will never finish, or None while it may.

    - The run names its process (``thread/host``, ``thread/pid``: set at creation by
      ``thread index`` and ``thread watch``, by the run worker itself for a run the daemon
      launched): stale when that is a process of this host that is gone (SIGKILL, a crash, a
      full disk). A process of another host cannot be checked from here: waited for.
    - It does not (the daemon created it and its worker has not started, or it predates the
      tags), and nothing changed its status for :data:`UNTAGGED_GRACE_S`: stale when no daemon
      has beaten for :data:`DAEMON_GONE_S` (nobody will launch or run it), or when it was
      launched and its worker has not tagged it after :data:`UNTAGGED_STARTED_S`. A queued run
      with a daemon alive is waited for: the daemon launches it."""
    run = record.dagster_run
    run_host, pid = run.tags.get(HOST_TAG), run.tags.get(PID_TAG)
    if run_host is not None and pid is not None and pid.isdigit():
        if run_host == host and not pid_alive(int(pid)):
            return f"its process (pid {pid} on {run_host}) is gone"
        return None
    quiet_s = now - record.update_timestamp.timestamp()
    if quiet_s < UNTAGGED_GRACE_S:
        return None
    if daemon_seen_s is None or daemon_seen_s > DAEMON_GONE_S:
        return f"no process took it up in {quiet_s:.0f} s and no Dagster daemon is running"
    if run.status != DagsterRunStatus.QUEUED and quiet_s > UNTAGGED_STARTED_S:
        return f"launched {quiet_s:.0f} s ago, its run worker never started"
    return None


def _daemon_seen_s(instance: DagsterInstance, now: float) -> float | None:
    """Seconds since the last heartbeat of any Dagster daemon of the instance (None: never)."""
    beats = instance.get_daemon_heartbeats()
    return min((now - b.timestamp for b in beats.values()), default=None)


def describe_run(record: RunRecord) -> str:
    run = record.dagster_run
    origin = run.tags.get(UPDATE_TAG, "?")
    where = f", pid {run.tags[PID_TAG]} on {run.tags.get(HOST_TAG)}" if PID_TAG in run.tags else ""
    since = datetime.fromtimestamp(record.create_timestamp.timestamp()).strftime("%H:%M:%S")
    return f"{run.run_id[:8]} ({origin}, {run.status.value.lower()} since {since}{where})"


def live_runs(instance: DagsterInstance, scope: Scope = SINGLE, on_wait: OnWait | None = None) -> list[RunRecord]:
    """Thread runs of ``scope`` in flight that may still finish; the stale ones are marked
    failed on the way (``on_wait`` is told which, and why), so the update goes on."""
    records = _in_flight_records(instance, scope, limit=50)
    if not records:
        return []
    now = time.time()
    daemon_seen_s = _daemon_seen_s(instance, now) if any(PID_TAG not in r.dagster_run.tags for r in records) else None
    host = socket.gethostname()
    live = []
    for record in records:
        reason = stale_reason(record, host=host, daemon_seen_s=daemon_seen_s, now=now)
        if reason is None:
            live.append(record)
            continue
        message = f"run {describe_run(record)} was left in flight: {reason}; marked failed"
        current = instance.get_run_by_id(record.dagster_run.run_id)
        if current is not None and current.status in IN_FLIGHT:
            instance.report_run_failed(current, message=message)
        if on_wait is not None:
            on_wait(message)
    return live


def graphs_materialized(instance: DagsterInstance, scope: Scope = SINGLE) -> bool:
    return all(instance.get_latest_materialization_event(scope.key(a)) is not None for a in GRAPH_ASSETS)


def wait_for_runs(
    instance: DagsterInstance,
    timeout_s: float,
    poll_s: float = 0.5,
    scope: Scope = SINGLE,
    on_wait: OnWait | None = None,
) -> None:
    """Block until no Thread run is in flight, marking stale ones failed (:func:`live_runs`);
    ``on_wait`` is told which runs it waits for (again whenever that set changes);
    RuntimeError naming them after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    told: list[str] = []
    while True:
        running = live_runs(instance, scope, on_wait)
        if not running:
            return
        if time.monotonic() >= deadline:
            raise RuntimeError(
                f"Thread run(s) still in flight on this instance after {timeout_s:.0f} s: "
                f"{', '.join(describe_run(r) for r in running)}; wait for them (or cancel them in the UI) and try again"
            )
        ids = [r.dagster_run.run_id for r in running]
        if on_wait is not None and ids != told:
            on_wait(f"waiting for Thread run(s) in flight: {', '.join(describe_run(r) for r in running)}")
            told = ids
        time.sleep(poll_s)


@contextlib.contextmanager
def hold_for_update(
    instance: DagsterInstance,
    lock: RepositoryLock,
    scope: Scope = SINGLE,
    *,
    wait: bool = True,
    on_wait: OnWait | None = None,
    timeout_s: float = 600.0,
) -> Iterator[None]:
    """Hold ``lock`` with no Thread run of ``scope`` in flight: what an update needs before it
    moves partitions. A run in flight is waited for with the lock released, since a run the
    sensor requested takes the lock itself when it starts; runs are created only by holders of
    the lock, so once it is held with none in flight, none appears until it is released.
    ``wait=False``: :class:`~.lock.LockBusy` instead of any wait."""
    deadline = time.monotonic() + timeout_s
    while True:
        lock.acquire(wait=wait, on_wait=on_wait)
        try:
            running = live_runs(instance, scope, on_wait)
        except BaseException:
            lock.release()
            raise
        if not running:
            break
        lock.release()
        if not wait:
            raise LockBusy(f"{lock.label} has Thread run(s) in flight: {', '.join(describe_run(r) for r in running)}")
        wait_for_runs(instance, max(0.0, deadline - time.monotonic()), scope=scope, on_wait=on_wait)
    try:
        yield
    finally:
        lock.release()


HANDOVER_S = 30.0
"""How long the sensor keeps the lock for the run it requested, at most (the daemon creates it
within moments of the tick; a daemon that never does must not hold the index for long)."""


def hand_over(lock: RepositoryLock, instance: DagsterInstance, token: str, runs: int = 1) -> None:
    """Keep ``lock`` (held by a sensor tick) until the ``runs`` runs requested with
    ``REQUEST_TAG=token`` exist, then release it: the tick returns its requests before the daemon
    creates the runs, and an update taking the lock in between would find no run in flight and
    move the partitions the requests name. Once they exist, others see them in flight and wait."""
    filters = RunsFilter(tags={REQUEST_TAG: token})
    lock.release_when(lambda: len(instance.get_run_records(filters=filters, limit=runs)) >= runs, HANDOVER_S)


def prepare_update(
    instance: DagsterInstance,
    store: Store,
    repo: str,
    changes: ChangeSet,
    *,
    origin: str,
    graphs_needed: bool = False,
    scope: Scope = SINGLE,
    run_size: int = DEFAULT_RUN_SIZE,
) -> tuple[PartitionPlan, UpdateRequest | None]:
    """Steps 2-3 (and 5's split): delete removed files' rows and partitions, line the changed ones
    up; return the runs to start (None when nothing needs one)."""
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
        if len(keys) > run_size:
            shared = not store.url.lower().startswith("sqlite:")  # SQLite: one writer at a time
            return plan, UpdateRequest(scope.graphs_job, keys, tags, split_range(keys, run_size), shared)
        return plan, UpdateRequest(scope.update_job, keys, tags)
    if changes.removed or plan.delete or graphs_needed or graphs_stale(store, repo):
        # the store's word, not the instance's: a process killed between the per-file commit
        # and the graph commit leaves nothing to analyse and the graphs behind
        return plan, UpdateRequest(scope.graphs_job, [], tags)
    return plan, None


class Updater:
    """Runs updates in this process against one instance; jobs are resolved once (building the
    asset graph is costly next to a small update, and a long-lived watcher should not pay for it
    per save)."""

    def __init__(
        self,
        instance: DagsterInstance,
        resources: dict[str, object],
        scope: Scope = SINGLE,
        *,
        run_size: int = DEFAULT_RUN_SIZE,
    ) -> None:
        """``run_size``: above it an update is split (module docstring, step 5)."""
        self.instance = instance
        self.scope = scope
        self.run_size = run_size
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
        wait_s: float | None = 600.0,
        on_wait: OnWait | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> UpdateOutcome:
        """``wait_s``: how long to wait for Thread runs in flight; None when the caller made sure
        there are none (:func:`hold_for_update`). ``tags``: more tags for the run (a push
        webhook's commit), shown in the UI; Thread's own tags win on a clash."""
        started = time.perf_counter()
        if wait_s is not None:
            wait_for_runs(self.instance, wait_s, scope=self.scope, on_wait=on_wait)
        plan, request = prepare_update(
            self.instance,
            store,
            repo,
            changes,
            origin=origin,
            graphs_needed=graphs_needed or not self.graphs_materialized(),
            scope=self.scope,
            run_size=self.run_size,
        )
        outcome = UpdateOutcome(changes, plan, request)
        if request is not None:
            for spec in request.runs(self.scope):
                outcome.result = None  # let the previous range run's outputs go before the next run
                result = self.job(spec.job_name).execute_in_process(
                    instance=self.instance,
                    partition_key=spec.partition_key,
                    tags={**(tags or {}), **spec.tags, **process_tags()},
                    run_config=QUIET_RUN_CONFIG,
                )
                outcome.result = result
                outcome.run_ids.append(result.run_id)
                del result
        outcome.seconds = time.perf_counter() - started
        return outcome
