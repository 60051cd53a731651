"""Analyse many files across worker processes, each file under a time limit.

Why processes: the tree-sitter parser holds the GIL (threads give no speed-up) and any grammar can
hang or crash on hostile input (the ``cobol`` grammar in tree-sitter-language-pack 0.13.0 never
returns on most non-COBOL text, e.g. ``x = 1``). A hang or crash must cost one file's record, not
the run, so parsing happens in worker processes that the parent can kill and replace.

Design:

- Workers come from the ``forkserver`` context with the engine and its extractors preloaded in
  the server: after one server start per parent process, a worker starts much faster than with
  ``spawn``, which starts an interpreter and imports the engine for every worker, again for
  every replacement of a killed worker (docs/benchmarks.md). ``fork`` is not used: the
  parent may run threads (Dagster, sensors) and forking a threaded process can deadlock the
  child. As with any spawn/forkserver pool, a script that calls this needs the
  ``if __name__ == "__main__":`` guard. Each worker keeps parsers and compiled queries warm.
- Workers read the files themselves (:func:`read_for_analysis`): the parent sends paths, not
  bytes, so IPC stays small. Items given as bytes are sent as bytes.
- Work goes out in chunks (fewer, larger messages) that shrink as the queue drains, so workers
  finish together. A chunk is only sent to an idle worker, so neither side can block writing to
  a full pipe while the other is also writing.
- Results come back one message per file as msgspec msgpack, several times cheaper to encode
  and decode than pickle for a large FileAnalysis (docs/benchmarks.md).
  Because a worker handles its chunk in order, the parent always knows which file a worker is
  on: the first of its chunk not yet answered. That file started when the previous answer
  arrived (or the chunk was sent); if it is not answered ``timeout_s`` later, the worker is
  terminated (SIGKILL after a short grace), replaced, the file gets ``status="error",
  reason="timed out after Xs (parser hang)"`` and the rest of the chunk goes back to the queue.
  A worker that dies gives its current file ``reason="worker crashed (...)"``. A slow consumer
  of the iterator only makes timeouts more lenient, never premature: the clock for a file starts
  when the parent *receives* the previous answer.
- Output is in input order by default (deterministic); ``ordered=False`` yields in completion
  order. ``progress`` is called in completion order either way.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import multiprocessing.connection as mpc
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import msgspec

from . import extract
from .analyze import DEFAULT_MAX_BYTES
from .batch_worker import (
    READY,
    TEST_CRASH_LANGUAGE,
    TEST_HANG_LANGUAGE,
    TEST_SEGFAULT_LANGUAGE,
    Answer,
    BatchItem,
    Level,
    Unread,
    analyze_and_match,
    analyze_item,
    read_for_analysis,
    worker_main,
)
from .model import FileAnalysis, PatternMatch

__all__ = [
    "TEST_CRASH_LANGUAGE",
    "TEST_HANG_LANGUAGE",
    "TEST_SEGFAULT_LANGUAGE",
    "BatchItem",
    "Done",
    "Level",
    "StreamPool",
    "Unread",
    "analyze_files",
    "read_for_analysis",
    "stream_pool",
]

KILL_GRACE_S = 0.5
START_TIMEOUT_S = 60.0
"""A worker that has not said it is ready by then is replaced (counts as a failed start)."""
MAX_CHUNK = 32
MAX_FAILED_STARTS = 3


_ANALYSIS = msgspec.msgpack.Decoder(FileAnalysis)
_MATCHES = msgspec.msgpack.Decoder(list[PatternMatch] | None)


@dataclass(frozen=True)
class Done:
    """One answered item: its index, its analysis, that analysis's msgpack bytes as the worker
    encoded them (None for a failure recorded by the parent), and its pattern matches (None when
    the worker did not run the rules)."""

    index: int
    analysis: FileAnalysis
    encoded: bytes | None
    matches: list[PatternMatch] | None


@dataclass
class _Worker:
    proc: multiprocessing.process.BaseProcess
    conn: mpc.Connection
    ready: bool = False
    started_at: float = field(default_factory=time.monotonic)
    assigned: deque[int] = field(default_factory=deque)
    current_since: float = 0.0
    """When the head of ``assigned`` started (monotonic): chunk sent or previous answer received."""


_CONTEXT: multiprocessing.context.ForkServerContext | None = None


def _context() -> multiprocessing.context.ForkServerContext:
    global _CONTEXT
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        assert isinstance(ctx, multiprocessing.context.ForkServerContext)
        # Modules imported once in the server are already imported in every worker it forks.
        extractors = sorted({f"{extract.__name__}.{m}" for m in (*extract.FULL_MODULES.values(), "generic")})
        ctx.set_forkserver_preload([f"{__package__}.batch_worker", f"{__package__}.patterns", *extractors])
        _CONTEXT = ctx
    return _CONTEXT


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def analyze_files(
    items: Iterable[BatchItem],
    *,
    workers: int | None = None,
    timeout_s: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    level: Level = "full",
    ordered: bool = True,
    progress: Callable[[FileAnalysis], None] | None = None,
    keep_workers: bool = False,
) -> Iterator[FileAnalysis]:
    """One FileAnalysis per item, whatever happens to the parser.

    ``keep_workers``: leave the healthy workers running, idle, for the next call in this process
    (a long-lived watcher or code server analyses a few files per update; a fresh worker must
    load grammars and compile queries first, which costs more than analysing those few files).

    ``workers=None`` uses every CPU this process may run on (never more processes than items);
    ``workers=0`` runs in this process with no time limit (debugging, tests, tiny batches), so
    grammars that may hang (``LanguageInfo.may_hang``) are skipped there instead of parsed.
    """
    todo = list(items)
    if workers is None:
        workers = min(default_workers(), len(todo))
    if workers <= 0 or not todo:
        for item in todo:
            result = analyze_item(item, max_bytes, level)
            if progress is not None:
                progress(result)
            yield result
        return
    pool = _Pool(min(workers, len(todo)), timeout_s, max_bytes, level, keep=keep_workers)
    yield from pool.run(todo, ordered, progress)


@contextlib.contextmanager
def stream_pool(
    *,
    workers: int | None,
    timeout_s: float,
    expected: int,
    max_bytes: int = DEFAULT_MAX_BYTES,
    level: Level = "full",
    rules: bool = True,
) -> Iterator[StreamPool]:
    """A pool to stream items through (:meth:`StreamPool.submit`, then :meth:`StreamPool.step`
    until nothing is outstanding), with ``rules``: each ``ok`` file's pattern matches computed by
    its worker. Workers are kept warm for the next pool of this process. ``workers=0``: items are
    analysed here, as :func:`analyze_files` does."""
    if workers is None:
        workers = min(default_workers(), max(1, expected))
    if workers <= 0:
        yield _InlinePool(max_bytes, level, rules)
        return
    pool = _Pool(workers, timeout_s, max_bytes, level, keep=True, rules=rules)
    pool.start()
    try:
        yield pool
    finally:
        pool.close()


class StreamPool(Protocol):
    def submit(self, items: Iterable[BatchItem]) -> list[int]: ...
    @property
    def outstanding(self) -> int: ...
    def step(self) -> list[Done]: ...


class _InlinePool:
    """The :class:`StreamPool` interface in this process, with no time limit (``workers=0``)."""

    def __init__(self, max_bytes: int, level: Level, rules: bool) -> None:
        self.max_bytes, self.level, self.rules = max_bytes, level, rules
        self.todo: deque[tuple[int, BatchItem]] = deque()
        self.next_index = 0

    def submit(self, items: Iterable[BatchItem]) -> list[int]:
        indexes = []
        for item in items:
            self.todo.append((self.next_index, item))
            indexes.append(self.next_index)
            self.next_index += 1
        return indexes

    @property
    def outstanding(self) -> int:
        return len(self.todo)

    def step(self) -> list[Done]:
        if not self.todo:
            return []
        index, item = self.todo.popleft()
        analysis, matches = analyze_and_match(item, self.max_bytes, self.level, rules=self.rules)
        return [Done(index, analysis, None, matches)]


_IDLE: dict[tuple[int, str, bool], list[_Worker]] = {}
"""Workers parked by ``keep_workers`` calls, by (max_bytes, level, rules): what a worker is started with."""
_IDLE_LOCK = threading.Lock()


def _take_idle(key: tuple[int, str, bool], n: int) -> list[_Worker]:
    taken: list[_Worker] = []
    with _IDLE_LOCK:
        idle = _IDLE.get(key, [])
        while idle and len(taken) < n:
            w = idle.pop()
            if w.proc.is_alive():
                taken.append(w)
            else:
                _close_quietly(w)
    return taken


def _park(key: tuple[int, str, bool], workers: list[_Worker]) -> list[_Worker]:
    """Keep ``workers`` for later (up to one per CPU); return the ones not kept."""
    with _IDLE_LOCK:
        if not _IDLE:
            atexit.register(stop_idle_workers)
        idle = _IDLE.setdefault(key, [])
        room = max(0, default_workers() - len(idle))
        idle.extend(workers[:room])
        return workers[room:]


def _close_quietly(w: _Worker) -> None:
    with contextlib.suppress(Exception):
        w.proc.join(0)
        w.conn.close()
        w.proc.close()


def stop_idle_workers() -> None:
    """Stop the workers parked by ``keep_workers`` calls (also run at interpreter exit)."""
    with _IDLE_LOCK:
        workers = [w for ws in _IDLE.values() for w in ws]
        _IDLE.clear()
    for w in workers:
        with contextlib.suppress(OSError):
            w.conn.send(None)
    deadline = time.monotonic() + KILL_GRACE_S
    for w in workers:
        with contextlib.suppress(Exception):
            w.proc.join(max(0.0, deadline - time.monotonic()))
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
        _close_quietly(w)


class _Pool:
    """Workers plus the queue of items not yet answered. Items may be submitted while it runs
    (:meth:`submit`), so a caller can stream a long list through it with a bounded number of
    items (and their bytes) in memory at once."""

    def __init__(
        self, size: int, timeout_s: float, max_bytes: int, level: Level, *, keep: bool = False, rules: bool = False
    ):
        self.keep = keep
        self.size = size
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.level = level
        self.rules = rules
        self.todo: dict[int, BatchItem] = {}
        """Items submitted and not yet answered, by index."""
        self.next_index = 0
        self.pending: deque[int] = deque()
        self.workers: list[_Worker] = []
        self.failed_starts = 0
        self.decode = msgspec.msgpack.Decoder(Answer).decode

    @property
    def key(self) -> tuple[int, str, bool]:
        return (self.max_bytes, self.level, self.rules)

    def submit(self, items: Iterable[BatchItem]) -> list[int]:
        """Queue ``items``; returns their indexes (in submission order, from 0 for the first)."""
        indexes = []
        for item in items:
            index = self.next_index
            self.next_index += 1
            self.todo[index] = item
            self.pending.append(index)
            indexes.append(index)
        return indexes

    @property
    def outstanding(self) -> int:
        return len(self.todo)

    # lifecycle

    def start(self) -> None:
        self.workers = _take_idle(self.key, self.size) if self.keep else []
        self.workers += [self._start_worker() for _ in range(self.size - len(self.workers))]

    def close(self) -> None:
        if self.keep:
            # a worker still busy (the consumer stopped early) or not yet ready is not kept
            clean = [w for w in self.workers if w.ready and not w.assigned and w.proc.is_alive()]
            self.workers = [w for w in self.workers if w not in clean] + _park(self.key, clean)
        self._shutdown()

    def _start_worker(self) -> _Worker:
        ctx = _context()
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=worker_main, args=(child_conn, self.max_bytes, self.level, self.rules), daemon=True)
        proc.start()
        child_conn.close()
        return _Worker(proc, parent_conn)

    def _stop(self, worker: _Worker) -> None:
        proc = worker.proc
        if proc.is_alive():
            proc.terminate()
            proc.join(KILL_GRACE_S)
            if proc.is_alive():
                proc.kill()
        proc.join()
        worker.conn.close()
        proc.close()

    def _shutdown(self) -> None:
        for w in self.workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        deadline = time.monotonic() + KILL_GRACE_S
        for w in self.workers:
            w.proc.join(max(0.0, deadline - time.monotonic()))
            self._stop(w)
        self.workers = []

    def _replace(self, worker: _Worker, failure: str) -> Done | None:
        """Kill ``worker``, give its current file ``failure`` (if it had one), requeue the rest of
        its chunk and start a fresh worker."""
        self._stop(worker)
        self.workers.remove(worker)
        if not worker.ready:
            self.failed_starts += 1
            if self.failed_starts >= MAX_FAILED_STARTS:
                raise RuntimeError(f"batch workers die before starting ({failure}); see stderr")
        result = None
        if worker.assigned:
            index = worker.assigned.popleft()
            path, _, language = self.todo.pop(index)
            failed = FileAnalysis(path=path, language=language, status="error", reason=failure)
            result = Done(index, failed, None, None)
            self.pending.extendleft(reversed(worker.assigned))
            worker.assigned.clear()
        self.workers.append(self._start_worker())
        return result

    # scheduling

    def _chunk_size(self) -> int:
        return max(1, min(MAX_CHUNK, len(self.pending) // (2 * self.size)))

    def _dispatch(self) -> None:
        for w in self.workers:
            if not self.pending:
                return
            if w.ready and not w.assigned:
                chunk = [self.pending.popleft() for _ in range(min(self._chunk_size(), len(self.pending)))]
                try:
                    w.conn.send([(i, self.todo[i]) for i in chunk])
                except OSError:  # died while idle: not these files' fault; step replaces it
                    self.pending.extendleft(reversed(chunk))
                    continue
                w.assigned.extend(chunk)
                w.current_since = time.monotonic()

    def _receive(self, w: _Worker, out: list[Done]) -> bool:
        """Drain every answer already in the pipe; False when the worker is gone."""
        try:
            while w.conn.poll():
                index, raw, matches = self.decode(w.conn.recv_bytes())
                now = time.monotonic()
                if index == READY:
                    w.ready = True
                    self.failed_starts = 0
                    continue
                assert w.assigned and w.assigned[0] == index
                w.assigned.popleft()
                w.current_since = now
                del self.todo[index]
                out.append(Done(index, _ANALYSIS.decode(raw), bytes(raw), _MATCHES.decode(matches)))
        except (EOFError, OSError):
            return False
        return True

    def step(self) -> list[Done]:
        """Wait for something to happen; return the files that finished."""
        self._dispatch()
        deadlines = [self._deadline(w) for w in self.workers]
        due = [d for d in deadlines if d is not None]
        wait_s = max(0.0, min(due) - time.monotonic()) if due else None
        handles: list[object] = [w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers]
        mpc.wait(handles, wait_s)  # type: ignore[arg-type]
        out: list[Done] = []
        for w in list(self.workers):
            if self._receive(w, out) and w.proc.is_alive():
                continue
            w.proc.join(KILL_GRACE_S)
            self._receive(w, out)  # whatever it sent before dying is still in the pipe
            failed = self._replace(w, f"worker crashed ({_describe_exit(w.proc.exitcode)})")
            if failed is not None:
                out.append(failed)
        now = time.monotonic()
        for w in list(self.workers):
            deadline = self._deadline(w)
            if deadline is None or now < deadline:
                continue
            failure = f"timed out after {self.timeout_s:g}s (parser hang)" if w.ready else "worker did not start"
            failed = self._replace(w, failure)
            if failed is not None:
                out.append(failed)
        return out

    def _deadline(self, w: _Worker) -> float | None:
        if not w.ready:
            return w.started_at + START_TIMEOUT_S
        return w.current_since + self.timeout_s if w.assigned else None

    def run(
        self, todo: Sequence[BatchItem], ordered: bool, progress: Callable[[FileAnalysis], None] | None
    ) -> Iterator[FileAnalysis]:
        total = len(todo)
        done: dict[int, FileAnalysis] = {}
        next_out = 0
        emitted = 0
        try:
            self.start()
            self.submit(todo)
            while emitted < total:
                for result in self.step():
                    if progress is not None:
                        progress(result.analysis)
                    if not ordered:
                        emitted += 1
                        yield result.analysis
                    else:
                        done[result.index] = result.analysis
                while ordered and next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                    emitted += 1
        finally:
            self.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
