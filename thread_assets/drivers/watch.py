"""``thread watch``: a long-lived process that keeps one repository's index fresh as files change.

- Start-up catches up with a full detection (what changed while nobody watched), then the loop
  waits on file-system events (watchfiles, Rust ``notify``): a burst of saves is collected until
  ``debounce_ms`` pass without a new event (at most ``max_batch_ms``; watchfiles looks every
  ``debounce_ms``, so the quiet time is between one and two times that),
  and the batch's paths are checked alone (no walk: ``detect_changes(scope=...)``), analysed and
  written in ONE in-process Dagster run against the repository's instance, so the UI shows every
  materialization.
- A change of an ignore file (``.gitignore``, ``.threadignore``) makes the batch a full detection.
- Failure: if the store or Dagster's storage is unreachable (or the run fails), the batch's paths
  stay pending and the update is retried with exponential backoff and jitter (0.5 s doubling to
  30 s); after a failure the next attempt is a full detection and runs the graph assets even if
  it finds nothing to analyse (the failed attempt may have deleted removed files' rows, or a
  per-file step may have committed, before the run failed), so when storage comes back the
  index matches disk and no change is lost. Likewise the first update of a watcher whose
  instance's last Thread run did not succeed.
- SIGINT/SIGTERM (:func:`serve`): the current batch finishes (its rows commit in one
  transaction) and the loop stops; a second signal abandons the batch at once (the runs in
  flight are marked canceled and the process exits: the store transaction in progress rolls
  back, nothing is half-written).
"""

from __future__ import annotations

import contextlib
import logging
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from resources.io_manager import open_store_url
from resources.store.base import Store
from thread_assets.names import UPDATE_ORIGINS, UPDATE_TAG
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.updater import UpdateOutcome, Updater, in_flight_runs
from thread_assets.repo.changes import ChangeSet, detect_changes
from thread_assets.repo.discover import ALWAYS_SKIPPED_DIRS, IGNORE_FILES
from thread_assets.repo.settings import STORE_DIR, RepoSettings

log = logging.getLogger("thread.watch")

BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 30.0


@dataclass
class BatchReport:
    """What one batch did (given to ``on_batch``)."""

    changes: ChangeSet
    outcome: UpdateOutcome | None
    seconds: float
    error: str | None = None
    attempt: int = 1


@dataclass
class WatchStats:
    batches: int = 0
    failures: int = 0
    last_error: str | None = None


class Watcher:
    """One repository, one store, one Dagster instance; :meth:`run` loops until stopped."""

    def __init__(
        self,
        target: RepoSettings | str | Path,
        *,
        instance: DagsterInstance,
        debounce_ms: int = 15,
        max_batch_ms: int = 1000,
        on_batch: Callable[[BatchReport], None] | None = None,
        open_store: Callable[[str], Store] = open_store_url,
        **options: Any,
    ) -> None:
        """``target``: the repository's settings, or its root with ``options`` for
        :meth:`RepoSettings.resolve` (``store_url``, ``workers``, ``include``, ...)."""
        settings = target if isinstance(target, RepoSettings) else RepoSettings.resolve(target, **options)
        self.root = settings.root
        self.store_url = settings.store_url
        self.instance = instance
        self.repo = settings.name
        self.include = list(settings.include)
        self.exclude = list(settings.exclude)
        self.debounce_ms = debounce_ms
        self.max_batch_ms = max_batch_ms
        self.on_batch = on_batch
        self._open_store = open_store
        self.memo = settings.stat_memo()
        self.updater = Updater(instance, build_resources(settings))
        self.stop_event = threading.Event()
        self.pending: set[str] = set()
        self.full_scan_pending = True
        self.stats = WatchStats()
        self._store: Store | None = None
        self._backoff = 0.0
        self._attempt = 0
        self._graphs_stale = _last_update_failed(instance)
        """The graph tables may lag the files' rows: the next update runs the graph assets."""

    # ---- one batch

    def _store_handle(self) -> Store:
        if self._store is None:
            self._store = self._open_store(self.store_url)
        return self._store

    def _drop_store(self) -> None:
        if self._store is not None:
            with contextlib.suppress(Exception):
                self._store.close()
            self._store = None

    def flush(self) -> BatchReport | None:
        """Bring the index up to date with everything pending; on failure keep it pending."""
        if not self.pending and not self.full_scan_pending:
            return None
        started = time.perf_counter()
        full = self.full_scan_pending
        scope = None if full else set(self.pending)
        self._attempt += 1
        changes = ChangeSet()
        try:
            store = self._store_handle()
            states = store.file_states(self.repo)
            if scope is not None:
                scope = self._expand(scope, states)
            changes = detect_changes(
                self.root,
                states,
                memo=self.memo,
                include=self.include,
                exclude=self.exclude,
                scope=scope,
            )
            outcome: UpdateOutcome | None = None
            if changes or self._graphs_stale:
                outcome = self.updater.run(store, self.repo, changes, origin="watch", graphs_needed=self._graphs_stale)
                if outcome.result is not None and not outcome.result.success:
                    raise RuntimeError(f"run {outcome.run_ids[-1]} failed")
            self.memo.save()
        except Exception as exc:  # storage down, run failed: keep everything pending, back off
            self._drop_store()
            self.full_scan_pending = True
            self._graphs_stale = True
            self.stats.failures += 1
            self.stats.last_error = f"{type(exc).__name__}: {exc}"
            self._backoff = min(BACKOFF_MAX_S, max(BACKOFF_START_S, self._backoff * 2))
            report = BatchReport(changes, None, time.perf_counter() - started, self.stats.last_error, self._attempt)
            log.warning("update failed (attempt %d), retrying in %.1f s: %s", self._attempt, self._backoff, exc)
            self._report(report)
            return report
        self.pending.clear()
        self.full_scan_pending = False
        self._graphs_stale = False
        self._backoff = 0.0
        self.stats.batches += 1
        report = BatchReport(changes, outcome, time.perf_counter() - started, None, self._attempt)
        self._attempt = 0
        self._report(report)
        return report

    def _expand(self, scope: set[str], stored: Any) -> set[str] | None:
        """A path that is a directory (created or moved in) needs a full detection; one that is
        gone brings in the stored files below it (a directory moved away or deleted whole)."""
        extra: set[str] = set()
        for path in scope:
            full = self.root / path
            if full.is_dir() and not full.is_symlink():
                return None
            if not full.exists():
                prefix = path + "/"
                extra.update(p for p in stored if p.startswith(prefix))
        return scope | extra

    def _report(self, report: BatchReport) -> None:
        if self.on_batch is not None:
            self.on_batch(report)

    # ---- file-system events

    def note(self, abs_paths: Iterator[str] | list[str] | set[str]) -> None:
        """Record changed absolute paths (what watchfiles reports) as pending work."""
        for raw in abs_paths:
            try:
                rel = Path(raw).resolve(strict=False).relative_to(self.root).as_posix()
            except ValueError:
                continue
            parts = rel.split("/")
            if any(p in ALWAYS_SKIPPED_DIRS for p in parts[:-1]) or parts[0] == STORE_DIR:
                continue
            if parts[-1] in IGNORE_FILES:
                self.full_scan_pending = True
            self.pending.add(rel)

    def _filter(self, _change: Any, path: str) -> bool:
        rel = path[len(str(self.root)) + 1 :] if path.startswith(str(self.root)) else path
        head = rel.split("/", 1)[0]
        return head not in ALWAYS_SKIPPED_DIRS

    def run(self, *, ready: Callable[[], None] | None = None) -> WatchStats:
        """Catch up, then watch until :meth:`stop` (or a signal through :func:`serve`)."""
        import watchfiles

        caught_up = False
        for batch in watchfiles.watch(
            self.root,
            watch_filter=self._filter,
            debounce=self.max_batch_ms,
            step=self.debounce_ms,
            stop_event=self.stop_event,
            yield_on_timeout=True,
            rust_timeout=500,
            raise_interrupt=False,
        ):
            self.note({path for _change, path in batch})
            if not caught_up:
                # the notifier is live from the first yield on (within rust_timeout): only now
                # catch up with the tree, so a change made while it started or while the
                # catch-up runs is queued, never missed
                caught_up = True
                self.flush()
                while self.full_scan_pending and not self.stop_event.is_set():  # storage down at start-up
                    self.stop_event.wait(self._backoff or BACKOFF_START_S)
                    self.flush()
                if ready is not None and not self.stop_event.is_set():
                    ready()
                continue
            if self.stop_event.is_set():
                break
            if self._backoff and (self.pending or self.full_scan_pending):
                # still failing: wait (interruptibly) before the next attempt
                if self.stop_event.wait(self._backoff * random.uniform(0.8, 1.2)):
                    break
            self.flush()
        self._drop_store()
        return self.stats

    def stop(self) -> None:
        self.stop_event.set()


def _last_update_failed(instance: DagsterInstance) -> bool:
    """Did the instance's latest Thread run end other than in success (failed, canceled, or
    still marked in flight by a process that died)?"""
    records = instance.get_run_records(filters=RunsFilter(tags={UPDATE_TAG: list(UPDATE_ORIGINS)}), limit=1)
    return bool(records) and records[0].dagster_run.status != DagsterRunStatus.SUCCESS


def _cancel_watch_runs(instance: DagsterInstance, attempts: int = 20) -> None:
    """Mark this watcher's runs in flight canceled. The batch's thread may be writing events to
    the same SQLite shards at that moment: a locked database is retried (for up to ~2 s) rather
    than leaving the run marked as started by a process that is gone."""
    for attempt in range(attempts):
        try:
            for run_id in in_flight_runs(instance):
                run = instance.get_run_by_id(run_id)
                if run is not None and run.tags.get(UPDATE_TAG) == "watch":
                    instance.report_run_canceled(run, message="abandoned by a second SIGINT/SIGTERM")
            return
        except Exception as exc:
            if attempt == attempts - 1:
                log.error("could not mark the abandoned run canceled: %s: %s", type(exc).__name__, exc)
                return
            time.sleep(0.1)


def serve(watcher: Watcher, *, ready: Callable[[], None] | None = None) -> WatchStats | None:
    """Run ``watcher`` until SIGINT/SIGTERM: the loop in a worker thread, the signals here (the
    main thread). First signal: the current batch finishes, then the loop stops; the stats are
    returned. Second signal: the batch is abandoned: the runs in flight are marked canceled and
    None is returned, for the caller to exit at once (``os._exit``: the store transaction in
    progress is never committed).

    Why a thread: on the main thread, Dagster's in-process execution replaces the SIGINT and
    SIGTERM handlers for the length of a run and raises ``DagsterExecutionInterruptedError`` in
    the running step, so a first signal during a batch failed the run and the process exited 1
    with a traceback. Off the main thread Dagster leaves signals alone."""
    seen = 0

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal seen
        seen += 1
        watcher.stop()
        if seen > 1:
            raise KeyboardInterrupt

    outcome: dict[str, Any] = {}

    def main() -> None:
        try:
            outcome["stats"] = watcher.run(ready=ready)
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=main, name="thread-watch", daemon=True)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        _cancel_watch_runs(watcher.instance)
        return None
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["stats"]  # type: ignore[no-any-return]
