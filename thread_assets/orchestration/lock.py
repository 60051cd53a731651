"""One lock per repository index, so that two updates of it never interleave.

"No Thread run in flight" alone was checked, then acted on: two ``thread index`` processes on a
new repository both saw none, then both created Dagster's tables, added the same partitions and
wrote the same rows. Whoever moves partitions or writes the store now holds this lock:
``thread index`` for its whole update, ``thread watch`` for each batch (so a ``thread index``
can run between two), the file-change sensor for its tick, and the run it requests from the
moment its resources start until they stop.

The lock is made of parts, taken in one order by everyone (so two holders of different subsets
never wait on each other in a cycle):

- a file lock (``flock``) in the instance directory, ``<DAGSTER_HOME>/thread-index.lock`` (one
  per repository of a multi-repository instance: ``thread-index.<name>.lock``), whose content
  names the holder for whoever waits. The kernel drops it with its process: a killed holder
  never leaves it taken.
- a Postgres advisory lock on a connection of its own for what may be shared with processes of
  other hosts: an instance on Postgres (keyed by the partitions it serves) and a Postgres store
  (keyed by the repository's name). The server drops it with the session.

Parts are counted per process, so taking a lock this process holds succeeds at once: the
in-process run of an update takes it again through its resources.

Shared mode, for the partition-range runs of a split update (``thread_files`` runs, several of
which the run coordinator may execute at once) on a store that takes concurrent writers (Postgres,
D1; the run carries :data:`SHARED_TAG`): each takes every part SHARED (``LOCK_SH``,
``pg_advisory_lock_shared``), everyone else EXCLUSIVE, as before. On a SQLite store range runs
take it exclusively and so run one after the other: SQLite has one writer at a time, and a writer
kept waiting beyond the store's busy timeout fails. So range runs execute side by
side, while partition moves, removals, the graph step and any other update exclude them and each
other. Why that is safe:

- range runs are created only by a holder of the exclusive lock (a sensor tick, an in-process
  update) that found no Thread run in flight, as disjoint contiguous sub-ranges of ONE partition
  plan (``repo/partition_plan.split_range``): no two of them name the same partition or file;
- a range run writes the rows of its own files only (one transaction per write, keyed by path),
  and the store's ``index_state.files_version`` is raised by an atomic increment in each, so
  concurrent writes neither collide nor lose the "graphs behind" mark;
- a holder of the exclusive lock waits until no range run is in its step; a range run still
  queued holds nothing, but it is a Thread run in flight, which every updater checks for (with
  the exclusive lock held) before moving a partition, exactly as for a single run;
- the graphs run that ends a split update is exclusive: it reads the store only once no range
  run writes, and it is requested only when none is in flight.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from dagster import DagsterInstance, InitResourceContext

from resources.store.url import mask_password, scrub
from thread_assets.names import HOST_TAG, PID_TAG, REPO_TAG

from .scope import SINGLE, Scope

OnWait = Callable[[str], None]
"""Told, in one line, what a wait waits for (and what was found stale on the way)."""

LOCK_FILE = "thread-index.lock"
SHARED_TAG = "thread/shared"
"""On a partition-range run that may hold the lock shared (``"true"``): its store takes concurrent writers."""
POLL_S = 0.05
"""How often a waiter tries again. Polling rather than a blocking ``flock``: a wait stays
interruptible on every thread (``thread watch`` updates off the main thread) and the same loop
serves the Postgres parts."""


class LockBusy(RuntimeError):
    """Another process holds the index and the caller chose not to wait for it."""


def process_tags() -> dict[str, str]:
    """The host and process that run a Thread run: what makes a run whose process died
    recognisable as such (``updater.stale_reason``)."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def lock_file_name(scope: Scope = SINGLE) -> str:
    return LOCK_FILE if scope.repo is None else f"thread-index.{scope.slug}.lock"


def advisory_key(kind: str, name: str) -> int:
    """A signed 64-bit key for ``pg_advisory_lock``, from names rather than a registry of numbers."""
    digest = hashlib.sha256(f"thread:{kind}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def libpq_url(url: str) -> str:
    """An SQLAlchemy URL (``postgresql+psycopg2://``, as dagster-postgres takes) as libpq reads it."""
    return re.sub(r"^(postgres(?:ql)?)\+[a-z0-9_]+://", r"\1://", url, flags=re.IGNORECASE)


def is_postgres(url: str) -> bool:
    return url.split(":", 1)[0].lower().split("+", 1)[0] in ("postgresql", "postgres")


def instance_postgres_url(instance: DagsterInstance) -> str | None:
    """The Postgres URL of the instance's run storage (deploy/dagster-postgres.yaml), if it is on Postgres."""
    url = getattr(instance.run_storage, "postgres_url", None)
    return libpq_url(url) if isinstance(url, str) and is_postgres(url) else None


class _Part(Protocol):
    ident: str

    def take(self, purpose: str, shared: bool) -> bool: ...

    def give_back(self) -> None: ...

    def holder(self) -> str: ...


RANGE_RUNS = "the partition-range runs of a split update"
"""Who holds the file part when it names nobody: shared holders leave its content alone (one
holder's record would hide the others', and its release would wipe theirs)."""


def _describe(info: dict[str, Any]) -> str:
    since = datetime.fromtimestamp(float(info.get("since", 0))).strftime("%H:%M:%S")
    return f"{info.get('purpose', 'a Thread update')} (pid {info.get('pid')} on {info.get('host')}, since {since})"


class _FilePart:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.ident = f"file:{os.path.realpath(path)}"
        self._fd: int | None = None
        self._shared = False

    def take(self, purpose: str, shared: bool) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._shared = shared
        if not shared:
            info = {"purpose": purpose, "since": time.time(), **_pid_host()}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd
        return True

    def give_back(self) -> None:
        if self._fd is not None:
            if not self._shared:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def holder(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return "another process"
        if not text.strip():
            return RANGE_RUNS
        try:
            return _describe(json.loads(text))
        except ValueError:
            return "another process"


class _PostgresPart:
    def __init__(self, url: str, key: int, what: str) -> None:
        self.url = url
        self.key = key
        self.what = what
        self.ident = f"pg:{url}#{key}"
        self._conn: Any = None

    def take(self, purpose: str, shared: bool) -> bool:
        import psycopg

        name = f"thread {purpose} pid {os.getpid()} on {socket.gethostname()}"[:63]
        try:
            if self._conn is None:
                self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name=name)
            call = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
            return bool(self._conn.execute(f"SELECT {call}(%s)", (self.key,)).fetchone()[0])
        except psycopg.Error as exc:
            self.give_back()
            text = str(exc).strip()
            reason = scrub(text.splitlines()[-1] if text else type(exc).__name__, self.url)
            where = mask_password(self.url)
            raise RuntimeError(f"cannot connect to Postgres at {where} (to lock {self.what}): {reason}") from None

    def give_back(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()  # ends the session, which drops its advisory locks
            self._conn = None

    def holder(self) -> str:
        unsigned = self.key & 0xFFFF_FFFF_FFFF_FFFF
        query = (
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.pid <> pg_backend_pid()"
            " AND l.classid::bigint = %s AND l.objid::bigint = %s"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        with contextlib.suppress(Exception):
            row = self._conn.execute(query, (unsigned >> 32, unsigned & 0xFFFF_FFFF)).fetchone()
            if row and row[0]:
                return f"{row[0]} (through {self.what})"
        return f"another process (through {self.what})"


def _pid_host() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname()}


_held: dict[str, tuple[int, _Part, bool]] = {}
"""Parts this process holds: ident -> (times taken, the part holding the file or session, shared)."""
_held_guard = threading.Lock()


class RepositoryLock:
    """The lock of one repository index (see the module docstring); :meth:`acquire` /
    :meth:`release`, or :meth:`hold` as a context manager."""

    def __init__(self, parts: list[_Part], label: str, purpose: str, *, shared: bool = False) -> None:
        self.parts = parts
        self.shared = shared
        """Taken in shared mode: a partition-range run of a split update (module docstring)."""
        self.label = label
        """What the lock guards, as messages name it: ``the index of shop``."""
        self.purpose = purpose
        """Who takes it, as waiters see it: ``thread index``, ``the file-change sensor``."""
        self._taken: list[list[str]] = []

    def _try(self, part: _Part, reentrant: bool) -> bool:
        with _held_guard:
            held = _held.get(part.ident)
            if held is not None:
                if not reentrant:
                    return False
                if held[2] and not self.shared:
                    # a shared holder taking it exclusive would wait on itself; no Thread code path
                    # does (range runs hold it shared, and nothing they run takes it exclusive)
                    raise RuntimeError(f"{self.label} is held shared by this process: it cannot be taken exclusive")
                _held[part.ident] = (held[0] + 1, held[1], held[2])
                return True
            if part.take(self.purpose, self.shared):
                _held[part.ident] = (1, part, self.shared)
                return True
            return False

    def acquire(self, *, wait: bool = True, on_wait: OnWait | None = None, reentrant: bool = True) -> None:
        """Take every part, in order. A busy part: with ``wait``, ``on_wait`` is told who holds
        it and the part is tried again until free (its holder is alive: a dead one's part is
        dropped by the kernel or the server); without, :class:`LockBusy` naming the holder.
        ``reentrant=False``: a part this process holds counts as busy (the sensor must not take
        the lock its own previous tick still keeps for a run not yet created)."""
        taken: list[str] = []
        for part in self.parts:
            try:
                if not self._try(part, reentrant):
                    message = f"{self.label} is being updated by {part.holder()}"
                    if not wait:
                        raise LockBusy(message)
                    if on_wait is not None:
                        on_wait(f"waiting: {message}")
                    while not self._try(part, reentrant):
                        time.sleep(POLL_S)
            except BaseException:
                _discard(part)
                _give_back(taken)
                raise
            taken.append(part.ident)
        self._taken.append(taken)

    def release(self) -> None:
        if self._taken:
            _give_back(self._taken.pop())

    @property
    def held(self) -> bool:
        return bool(self._taken)

    @contextlib.contextmanager
    def hold(self, *, wait: bool = True, on_wait: OnWait | None = None) -> Iterator[RepositoryLock]:
        self.acquire(wait=wait, on_wait=on_wait)
        try:
            yield self
        finally:
            self.release()

    def release_when(self, done: Callable[[], bool], timeout_s: float) -> threading.Thread:
        """Keep the lock until ``done()`` (polled on a thread of its own) or ``timeout_s``, then
        release it: how the sensor hands its lock over to the run it requested, which the daemon
        creates only after the tick has returned."""

        def keep() -> None:
            deadline = time.monotonic() + timeout_s
            try:
                while time.monotonic() < deadline:
                    try:
                        if done():
                            return
                    except Exception:
                        return
                    time.sleep(POLL_S)
            finally:
                self.release()

        thread = threading.Thread(target=keep, name="thread-lock-handover", daemon=True)
        thread.start()
        return thread


def _discard(part: _Part) -> None:
    """Close what a part opened to try (a Postgres session) unless it is the one holding."""
    with _held_guard:
        held = _held.get(part.ident)
        if held is None or held[1] is not part:
            part.give_back()


def _give_back(idents: list[str]) -> None:
    with _held_guard:
        for ident in reversed(idents):
            count, part, shared = _held[ident]
            if count > 1:
                _held[ident] = (count - 1, part, shared)
            else:
                del _held[ident]
                part.give_back()


def repository_lock(
    instance: DagsterInstance,
    scope: Scope = SINGLE,
    *,
    purpose: str,
    repo: str | None = None,
    store_url: str | None = None,
    shared: bool = False,
) -> RepositoryLock:
    """The lock of ``scope``'s partitions on ``instance`` and, given a Postgres ``store_url``,
    of ``repo``'s rows in that store. An ephemeral instance has no directory and no other user:
    no file part. ``shared``: the mode of a partition-range run (module docstring)."""
    parts: list[_Part] = []
    if not instance.is_ephemeral:
        parts.append(_FilePart(Path(instance.root_directory) / lock_file_name(scope)))
    instance_url = instance_postgres_url(instance)
    if instance_url is not None:
        key = advisory_key("instance", scope.partitions_name)
        parts.append(_PostgresPart(instance_url, key, "the Dagster instance"))
    if store_url is not None and repo is not None and is_postgres(store_url):
        parts.append(_PostgresPart(libpq_url(store_url), advisory_key("store", repo), "the store"))
    name = repo or scope.repo
    return RepositoryLock(parts, f"the index of {name}" if name else "the index", purpose, shared=shared)


def hold_for_run(context: InitResourceContext) -> RepositoryLock | None:
    """For a Thread run's resources: tag the run with the process executing it (a run launched
    by the daemon is created before that process exists), then take the lock of its
    repository's partitions: shared for a partition-range run of a split update (its job is
    ``thread_files``) tagged :data:`SHARED_TAG`, exclusive for every other run. None outside a
    run (a sensor's resources)."""
    run, instance = context.run, context.instance
    if run is None or instance is None:
        return None
    if PID_TAG not in run.tags:
        instance.add_run_tags(run.run_id, process_tags())
    scope = Scope(run.tags.get(REPO_TAG))
    shared = run.job_name == scope.files_job and run.tags.get(SHARED_TAG) == "true"
    lock = repository_lock(instance, scope, purpose=f"Dagster run {run.run_id[:8]}", shared=shared)
    log = context.log
    lock.acquire(on_wait=(lambda message: log.info(message)) if log is not None else None)
    return lock
