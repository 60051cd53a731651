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
import os
import random
import re
import select
import signal
import stat
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
from thread_assets.orchestration.lock import LockBusy, OnWait, repository_lock
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.updater import UpdateOutcome, Updater, hold_for_update, in_flight_runs
from thread_assets.repo.changes import ChangeSet, detect_changes
from thread_assets.repo.discover import ALWAYS_SKIPPED_DIRS, IGNORE_FILES, directories, disk_path, index_path
from thread_assets.repo.settings import STORE_DIR, RepoSettings

log = logging.getLogger("thread.watch")

BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 30.0
WATCH_RETRY_S = 1.0
"""Wait before watching again after the notifier failed."""
_SURROGATE = re.compile(r"[\udc80-\udcff]")


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
        wait: bool = True,
        on_wait: OnWait | None = None,
        **options: Any,
    ) -> None:
        """``target``: the repository's settings, or its root with ``options`` for
        :meth:`RepoSettings.resolve` (``store_url``, ``workers``, ``include``, ...).

        Each batch holds the repository lock (:mod:`thread_assets.orchestration.lock`), so a
        ``thread index`` runs between two batches and a batch waits for it (``on_wait`` says
        what it waits for). ``wait=False``: the first update (the catch-up) raises
        :class:`~thread_assets.orchestration.lock.LockBusy` instead of waiting; later batches
        wait, since a watcher must outlive the updates of others."""
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
        self.updater = Updater(instance, build_resources(settings), run_size=settings.run_size)
        self.lock = repository_lock(instance, purpose="thread watch", repo=self.repo, store_url=self.store_url)
        self.wait = wait
        self.on_wait = on_wait
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
        held = contextlib.ExitStack()
        try:
            wait = self.wait or self.stats.batches > 0
            held.enter_context(hold_for_update(self.instance, self.lock, wait=wait, on_wait=self.on_wait))
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
            if changes or self._graphs_stale or store.graphs_behind(self.repo):
                outcome = self.updater.run(
                    store, self.repo, changes, origin="watch", graphs_needed=self._graphs_stale, wait_s=None
                )
                if outcome.result is not None and not outcome.result.success:
                    raise RuntimeError(f"run {outcome.run_ids[-1]} failed")
            self.memo.save()
        except LockBusy:
            raise
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
        finally:
            held.close()
        self.pending.clear()
        self.full_scan_pending = False
        self._graphs_stale = False
        self._backoff = 0.0
        self.stats.batches += 1
        report = BatchReport(changes, outcome, time.perf_counter() - started, None, self._attempt)
        self._attempt = 0
        self._report(report)
        return report

    _links: dict[str, str | None] | None = None
    """Symlinks the index may hold (index path -> their target's index path, None when it is not
    a file inside the tree), or None when a full detection may have changed them: built again
    from the store's paths at the next :meth:`_expand`."""

    def _expand(self, scope: set[str], stored: Any) -> set[str] | None:
        """A path that is a directory (created, moved in, its permissions changed) needs a full
        detection; one that is gone brings in the stored files below it (a directory moved away or
        deleted whole). A symlinked file is indexed with its target's bytes, but the events name
        the target: a changed file brings in the symlinks to it, and a symlink created, changed
        or removed brings in every symlink (another may point through it)."""
        links = self._symlinks(stored)
        extra: set[str] = set()
        relinked = False
        for path in scope:
            full = self.root / disk_path(path)
            try:
                mode: int | None = full.lstat().st_mode
            except OSError:
                mode = None
            if mode is not None and stat.S_ISDIR(mode):
                self._links = None
                return None
            if mode is not None and stat.S_ISLNK(mode):
                links[path] = self._link_target(full)
                relinked = True
            elif path in links:
                del links[path]
                relinked = True
            if mode is None:
                prefix = path + "/"
                extra.update(p for p in stored if p.startswith(prefix))
        if relinked:  # where the others lead may have changed too
            for link in links:
                links[link] = self._link_target(self.root / disk_path(link))
            extra.update(links)
        touched = scope | extra
        extra.update(link for link, target in links.items() if target in touched)
        return scope | extra

    def _symlinks(self, stored: Any) -> dict[str, str | None]:
        if self._links is None:
            self._links = {}
            for path in stored:
                full = self.root / disk_path(path)
                if full.is_symlink():
                    self._links[path] = self._link_target(full)
        return self._links

    def _link_target(self, link: Path) -> str | None:
        try:
            target = link.resolve(strict=True).relative_to(self.root)
        except (OSError, RuntimeError, ValueError):  # dangling, a loop, or out of the tree
            return None
        return index_path(target.as_posix())

    def _report(self, report: BatchReport) -> None:
        if self.on_batch is not None:
            self.on_batch(report)

    # ---- file-system events

    def note(self, abs_paths: Iterator[str] | list[str] | set[str]) -> None:
        """Record changed absolute paths (what watchfiles reports) as pending work, each under
        the path an index gives it: a symlink is its own path, never resolved to its target (the
        target may be elsewhere in the tree, out of it, or the link a loop)."""
        base = str(self.root)
        for raw in abs_paths:
            if not raw.startswith(base + "/"):
                if raw == base:  # the root itself (its permissions, say)
                    self.full_scan_pending = True
                    continue
                # a caller's spelling of the root (through a symlinked directory): resolve the
                # parent only, never the file itself
                raw = os.path.join(os.path.realpath(os.path.dirname(raw)), os.path.basename(raw))
                if not raw.startswith(base + "/"):
                    continue
            rel = raw[len(base) + 1 :]
            parts = rel.split("/")
            if any(p in ("", ".", "..") for p in parts):
                continue
            if any(p in ALWAYS_SKIPPED_DIRS for p in parts[:-1]) or parts[0] == STORE_DIR:
                continue
            if parts[-1] in IGNORE_FILES:
                self.full_scan_pending = True
            self.pending.add(index_path(rel))
        if self.full_scan_pending:  # a full detection next: the symlinks are listed again after it
            self._links = None

    def _filter(self, _change: Any, path: str) -> bool:
        rel = path[len(str(self.root)) + 1 :] if path.startswith(str(self.root)) else path
        head = rel.split("/", 1)[0]
        return head not in ALWAYS_SKIPPED_DIRS

    def _batches(self) -> Iterator[set[tuple[Any, str]]]:
        """watchfiles' batches from one watch per directory an index lists, none recursive: a
        recursive watch follows symlinked directories (out of the tree, a watch for every
        directory of ``/usr``; round a loop), and dies on a directory it may not read. The
        watches are set again when the directories change (one created, removed or moved,
        turned readable, an ignore file edited) or when the notifier fails (it fails for good on
        the first file name that is not UTF-8); nothing is lost in between, as a full detection
        follows. The first batch comes once the watches are live (within ``rust_timeout``)."""
        import watchfiles

        dirs = self._watch_dirs()
        carry: set[tuple[Any, str]] = set()
        while not self.stop_event.is_set():
            yielded = False
            try:
                for batch in watchfiles.watch(
                    *dirs,
                    watch_filter=self._filter,
                    debounce=self.max_batch_ms,
                    step=self.debounce_ms,
                    stop_event=self.stop_event,
                    yield_on_timeout=True,
                    rust_timeout=500,
                    raise_interrupt=False,
                    recursive=False,
                    ignore_permission_denied=True,
                ):
                    batch |= carry
                    carry = set()
                    fresh = self._dirs_changed(batch, dirs)
                    if fresh is not None:
                        dirs, carry = fresh, batch
                        break
                    yielded = True
                    yield batch
                else:
                    return  # stopped
            except Exception as exc:  # the notifier failed: watch again, and look at everything
                log.warning("file watching failed, watching again: %s: %s", type(exc).__name__, exc)
                carry = set()
                self.full_scan_pending = True
                if self.stop_event.wait(WATCH_RETRY_S):
                    return
                dirs = self._watch_dirs()
                if not yielded:  # failing at once, maybe each time: keep the index following meanwhile
                    yield set()
            self.full_scan_pending = True
            self._links = None

    def _watch_dirs(self) -> list[str]:
        dirs = directories(self.root, include=self.include, exclude=self.exclude)
        usable = [d for d in dirs if d.isascii() or not _SURROGATE.search(d)]
        if len(usable) < len(dirs):  # the notifier takes UTF-8 paths only
            log.warning("%d directories whose names are not UTF-8 are not watched", len(dirs) - len(usable))
        return usable

    def _dirs_changed(self, batch: set[tuple[Any, str]], dirs: list[str]) -> list[str] | None:
        """The directories to watch now, if the batch may have changed them, and they did."""
        watched = set(dirs)
        for _change, path in batch:
            if path.rsplit("/", 1)[-1] in IGNORE_FILES:
                break
            try:
                is_dir = stat.S_ISDIR(os.lstat(path).st_mode)
            except OSError:
                is_dir = False
            if is_dir != (path in watched):
                break
        else:
            return None
        fresh = self._watch_dirs()
        return fresh if set(fresh) != watched else None

    def run(self, *, ready: Callable[[], None] | None = None) -> WatchStats:
        """Catch up, then watch until :meth:`stop` (or a signal through :func:`serve`)."""
        caught_up = False
        for batch in self._batches():
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
    progress is never committed); SIGINT and SIGTERM stay ignored until it does, so a storm of
    them cannot kill the process half-way through its exit.

    Why a thread: on the main thread, Dagster's in-process execution replaces the SIGINT and
    SIGTERM handlers for the length of a run and raises ``DagsterExecutionInterruptedError`` in
    the running step, so a first signal during a batch failed the run and the process exited 1
    with a traceback. Off the main thread Dagster leaves signals alone.

    Why the handler only counts: Python runs it on the main thread between any two bytecodes,
    including in the middle of code that holds a lock. It used to call ``watcher.stop()``, i.e.
    ``Event.set()``, which takes the event's lock: a signal landing while an earlier handler held
    that lock ran the handler again on the same thread, which waited for its own lock, and the
    process stopped answering signals. So the handler takes no lock and raises nothing; it
    counts, and wakes this loop through a pipe; the loop (never inside a handler) acts."""
    seen = 0
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    wake: int | None = wake_w

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal seen
        seen += 1
        if wake is not None:
            with contextlib.suppress(OSError):  # a full pipe already wakes the loop
                os.write(wake, b"s")

    outcome: dict[str, Any] = {}

    def main() -> None:
        try:
            outcome["stats"] = watcher.run(ready=ready)
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            with contextlib.suppress(OSError):
                os.write(wake_w, b"d")

    worker = threading.Thread(target=main, name="thread-watch", daemon=True)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    abandoned = False
    try:
        worker.start()
        stopping = False
        while worker.is_alive():
            select.select([wake_r], [], [], 0.2)
            with contextlib.suppress(OSError):
                while os.read(wake_r, 512):
                    pass
            if seen > 1:
                abandoned = True
                _cancel_watch_runs(watcher.instance)
                return None
            if seen and not stopping:
                stopping = True
                watcher.stop()
    finally:
        wake = None
        for s, handler in previous.items():
            signal.signal(s, signal.SIG_IGN if abandoned else handler)
        os.close(wake_r)
        if not worker.is_alive():  # a worker still running writes to it when it ends: left open
            os.close(wake_w)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["stats"]  # type: ignore[no-any-return]
