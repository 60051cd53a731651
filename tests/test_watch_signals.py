"""``thread watch`` under a storm of signals: the SIGINT/SIGTERM handler must be signal-safe.

Regression: the handler called ``Watcher.stop()``, that is ``threading.Event.set()``, which takes
the event's lock. A signal landing while the previous handler held that lock ran the handler again
on the same thread, which then waited for a lock its own interrupted frame held: the process
ignored every further signal and had to be killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterRunStatus

from tests.test_cli_watch import (
    EXIT_S,
    WatchProcess,
    integrity_ok,
    many_files,
    spawn,  # noqa: F401 (a fixture)
    wait_for_run_in_flight,
    watch_runs,
    write,
)

ROOT = Path(__file__).resolve().parent.parent

# serve() on the main thread of a fresh process, around a watcher whose stop() holds a
# non-reentrant lock for a while (as Event.set() holds its condition's lock, only longer): the
# signals that arrive meanwhile must not run anything that waits for that lock
_LOCKED_STOP = textwrap.dedent(
    """
    import os, sys, threading, time
    from dagster import DagsterInstance
    from thread_assets.drivers.watch import serve

    class Watcher:
        def __init__(self, instance):
            self.instance = instance
            self.lock = threading.Lock()
            self.stopped = threading.Event()

        def run(self, ready=None):
            ready()
            self.stopped.wait()
            return "stats"

        def stop(self):
            with self.lock:
                time.sleep(0.3)
                self.stopped.set()

    with DagsterInstance.ephemeral() as instance:
        outcome = serve(Watcher(instance), ready=lambda: print("ready", flush=True))
    print("returned", outcome, flush=True)
    sys.stdout.flush()
    os._exit(0)
    """
)


def signal_storm(pid: int, stop: threading.Event, every_s: float = 0.005) -> threading.Thread:
    """SIGINT and SIGTERM in turn, every few milliseconds, until ``stop`` or the process is gone."""

    def storm() -> None:
        signums = (signal.SIGINT, signal.SIGTERM)
        n = 0
        while not stop.is_set():
            try:
                os.kill(pid, signums[n % 2])
            except ProcessLookupError:
                return
            n += 1
            time.sleep(every_s)

    thread = threading.Thread(target=storm, daemon=True)
    thread.start()
    return thread


def test_a_signal_during_the_handler_does_not_wait_for_a_lock() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOCKED_STOP],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stop = threading.Event()
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        signal_storm(proc.pid, stop)
        try:
            out, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"serve() still running 5 s into a signal storm; stderr:\n{err}") from None
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.strip() == "returned None", (out, err)  # a second signal abandons: None
    assert "Traceback" not in err, err


def test_a_storm_of_signals_during_a_batch_stops_thread_watch_at_once(
    tmp_path: Path,
    spawn: Callable[[Path], WatchProcess],  # noqa: F811
) -> None:
    root = write(tmp_path / "shop", many_files(80))
    w = spawn(root)
    w.next_line(lambda line: "ready" in line)
    write(root, many_files(80, salt="v2"))
    wait_for_run_in_flight(w.home, w)
    stop = threading.Event()
    try:
        signal_storm(w.proc.pid, stop)
        assert w.wait_exit(EXIT_S / 2) == 0, w.stderr
    finally:
        stop.set()
    assert "Traceback" not in w.stderr, w.stderr
    assert not any(line.get("changed") for line in w.seen), "no update reported as done"
    runs = watch_runs(w.home)
    assert runs[-1].status == DagsterRunStatus.CANCELED, f"the run in progress was abandoned; stderr:\n{w.stderr}"
    integrity_ok(w.url)
