"""``thread watch PATH --json`` as a real process: ready line, one JSON line per update, and
SIGTERM/SIGINT handling (idle, during a batch, twice during a batch) against a real SQLite store
and a persistent Dagster instance in ``$DAGSTER_HOME``."""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from resources.store.url import open_store
from tests.support.incremental import dump, scratch_index
from tests.support.shop import FILES
from thread_assets.drivers.watch import Watcher
from thread_assets.names import UPDATE_TAG
from thread_assets.orchestration.instance import open_instance
from thread_assets.orchestration.updater import in_flight_runs

SHOP = dict(FILES)
SOURCES = sum(1 for p in SHOP if not p.endswith(".txt"))
"""The files Thread indexes (README.txt is not source)."""

ROOT = Path(__file__).resolve().parent.parent
EXIT_S = 10.0
"""A stopped watcher exits within this (it finishes the batch in progress first)."""


class WatchProcess:
    def __init__(self, root: Path, tmp: Path, *, store_from_env: bool = False) -> None:
        """``store_from_env``: the store is named by ``THREAD_STORE_URL`` instead of ``--store``."""
        self.root = root
        self.home = tmp / "dagster-home"
        self.url = f"sqlite:///{tmp / 'index.db'}"
        env = {k: v for k, v in os.environ.items() if k != "THREAD_STORE_URL"}
        env |= {"DAGSTER_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        store = ["--store", self.url]
        if store_from_env:
            env["THREAD_STORE_URL"], store = self.url, []
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "thread_assets.cli", "watch", str(root), "--json", *store),
                *("--debounce-ms", "30", "--workers", "1"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.stderr = ""
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.strip():
                self.lines.put(json.loads(line))

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def next_line(self, want: Callable[[dict[str, Any]], bool], timeout_s: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or (self.proc.poll() is not None and self.lines.empty()):
                raise AssertionError(f"no such line; seen {self.seen}; rc={self.proc.poll()}; stderr:\n{self.stderr}")
            try:
                line = self.lines.get(timeout=min(left, 0.05))
            except queue.Empty:
                continue
            self.seen.append(line)
            if want(line):
                return line

    def wait_exit(self, timeout_s: float = EXIT_S) -> int:
        try:
            rc = self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"thread watch still running {timeout_s} s after the signal") from None
        time.sleep(0.05)  # let the readers drain
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return rc

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[[Path], WatchProcess]]:
    started: list[WatchProcess] = []

    def start(root: Path) -> WatchProcess:
        started.append(WatchProcess(root, tmp_path))
        return started[-1]

    yield start
    for p in started:
        p.kill()


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def many_files(n: int, salt: str = "") -> dict[str, str]:
    """Enough Python to make one batch last a while (the signal must land during it)."""
    body = "".join(f"def f{j}(x):\n    return helper(x, {j})\n\n" for j in range(30))
    return {f"gen/m{i:03}.py": f"from gen.base import helper\n# {salt}\n\n{body}" for i in range(n)} | {
        "gen/base.py": "def helper(x, y):\n    return x + y\n"
    }


def assert_equals_scratch(tmp: Path, root: Path, url: str) -> None:
    repo = root.name
    live = open_store(url)
    scratch = open_store(f"sqlite:///{tmp / f'scratch-{uuid.uuid4().hex[:6]}.db'}")
    try:
        scratch_index(root, scratch, repo)
        expected, actual = dump(scratch, repo), dump(live, repo)
        for table in expected:
            assert actual[table] == expected[table], f"{table} differs from a from-scratch index"
    finally:
        scratch.close()
        live.close()


def integrity_ok(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def watch_runs(home: Path) -> list[Any]:
    with open_instance(home) as instance:
        records = instance.get_run_records(filters=RunsFilter(tags={UPDATE_TAG: "watch"}))
        return [r.dagster_run for r in reversed(records)]


def wait_for_run_in_flight(home: Path, proc: WatchProcess, timeout_s: float = 30.0) -> None:
    with DagsterInstance.from_config(str(home)) as instance:
        deadline = time.monotonic() + timeout_s
        while not in_flight_runs(instance):
            assert proc.proc.poll() is None, proc.stderr
            assert time.monotonic() < deadline, "no run started for the batch"
            time.sleep(0.02)


def test_the_store_can_come_from_thread_store_url(tmp_path: Path) -> None:
    root = write(tmp_path / "shop", SHOP)
    w = WatchProcess(root, tmp_path, store_from_env=True)
    try:
        assert w.next_line(lambda line: "added" in line)["added"] == SOURCES
        w.next_line(lambda line: "ready" in line)
        assert not (root / ".thread" / "index.db").exists(), "the default store was used although the env names one"
        assert_equals_scratch(tmp_path, root, w.url)
        w.proc.send_signal(signal.SIGTERM)
        assert w.wait_exit() == 0, w.stderr
    finally:
        w.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_when_idle_exits_0_with_the_index_up_to_date(
    tmp_path: Path, spawn: Callable[[Path], WatchProcess], signum: int
) -> None:
    root = write(tmp_path / "shop", SHOP)
    w = spawn(root)
    start = w.next_line(lambda line: "added" in line)
    assert start["added"] == SOURCES and "error" not in start
    assert w.next_line(lambda line: "ready" in line) == {"ready": str(root)}
    (root / "app/views.py").write_text("def render(order):\n    return 7\n")
    update = w.next_line(lambda line: line.get("changed") or line.get("added") or line.get("removed"))
    assert update == update | {"added": 0, "changed": 1, "removed": 0} and "error" not in update
    w.proc.send_signal(signum)
    assert w.wait_exit() == 0, w.stderr
    assert "Traceback" not in w.stderr, w.stderr
    integrity_ok(w.url)
    assert_equals_scratch(tmp_path, root, w.url)
    runs = watch_runs(w.home)
    assert len(runs) == 2 and all(r.status == DagsterRunStatus.SUCCESS for r in runs)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_first_signal_during_a_batch_lets_it_finish_then_exits_0(
    tmp_path: Path, spawn: Callable[[Path], WatchProcess], signum: int
) -> None:
    """Regression: on the main thread, Dagster turned the signal into DagsterExecutionInterruptedError
    inside the running step: the run failed and the process exited 1 with a traceback."""
    root = write(tmp_path / "shop", many_files(80))
    w = spawn(root)
    w.next_line(lambda line: "ready" in line)
    write(root, many_files(80, salt="v2"))
    wait_for_run_in_flight(w.home, w)
    w.proc.send_signal(signum)
    assert w.wait_exit() == 0, w.stderr
    assert "Traceback" not in w.stderr, w.stderr
    updates = [line for line in w.seen if line.get("changed")]
    assert updates and "error" not in updates[-1], w.seen
    assert sum(line["changed"] for line in updates) == 80, "the batch in progress finished"
    runs = watch_runs(w.home)
    assert [r.status for r in runs] == [DagsterRunStatus.SUCCESS] * len(runs)
    integrity_ok(w.url)
    assert_equals_scratch(tmp_path, root, w.url)


def test_second_signal_abandons_the_batch_and_the_next_start_catches_up(
    tmp_path: Path, spawn: Callable[[Path], WatchProcess]
) -> None:
    root = write(tmp_path / "shop", many_files(80))
    w = spawn(root)
    w.next_line(lambda line: "ready" in line)
    (root / "gen/base.py").unlink()  # the graphs change too
    write(root, {k: v for k, v in many_files(80, salt="v2").items() if k != "gen/base.py"})
    wait_for_run_in_flight(w.home, w)
    w.proc.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    w.proc.send_signal(signal.SIGTERM)
    assert w.wait_exit(5.0) == 0, w.stderr
    assert "Traceback" not in w.stderr, w.stderr
    runs = watch_runs(w.home)
    assert runs[-1].status == DagsterRunStatus.CANCELED, f"the run in progress was abandoned; stderr:\n{w.stderr}"
    assert not any(line.get("changed") for line in w.seen), "no update reported as done"
    integrity_ok(w.url)

    # nothing left in flight to wait for, and the next watcher brings the index up to date
    with open_instance(w.home) as instance:
        assert in_flight_runs(instance) == []
        watcher = Watcher(root, store_url=w.url, instance=instance)
        report = watcher.flush()
        assert report is not None and report.error is None, report
    assert_equals_scratch(tmp_path, root, w.url)
