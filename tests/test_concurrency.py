"""Several Thread processes on one repository, and processes that die mid-update.

- Two and three ``thread index`` processes at once on a repository never indexed before,
  repeated: every one exits 0 (a ``--no-wait`` one may instead exit 2 with one line), the files
  are analysed once between them, Dagster's databases have one schema head each, one run landed,
  the store equals a from-scratch index of the tree row for row, ``audit`` finds it fresh and a
  following index works. The same on a Postgres store.
- A ``thread index`` SIGKILLed mid-run leaves its run STARTED: the next ``thread index`` marks it
  failed, says so, and finishes promptly; ``thread watch`` becomes ready and indexes a file
  created meanwhile.
- The pieces: the lock (who holds it, ``--no-wait``, a Postgres holder), the instance created
  once by processes racing to open it, the sensor skipping its tick while another process
  holds the lock and keeping it for the run it requested, a run launched by the daemon tagging
  itself and holding the lock, and the stale-run rules.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunRecord, RunsFilter, build_sensor_context

from resources.store.base import Store
from resources.store.url import open_store
from sensors.file_changes import build_file_change_sensor
from tests.support.incremental import dump, scratch_index
from tests.support.postgres import throwaway_database
from tests.support.shop import FILES, write_repo
from thread_assets.drivers.index import index_repository
from thread_assets.names import HOST_TAG, PID_TAG, REQUEST_TAG, UPDATE_TAG
from thread_assets.orchestration.instance import open_instance
from thread_assets.orchestration.jobs import update_jobs
from thread_assets.orchestration.lock import LockBusy, advisory_key, repository_lock
from thread_assets.orchestration.per_file import ANALYSIS_PROGRESS
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.scope import SINGLE
from thread_assets.orchestration.updater import Updater, live_runs, stale_reason
from thread_assets.repo.audit import audit
from thread_assets.repo.settings import RepoSettings, default_store_url

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sum(1 for p in FILES if not p.endswith(".txt"))
TRIALS = 2
"""Trials per concurrency level. Before the lock, every trial analysed each file once per process
and many broke the instance (two schema heads, a failed process); more trials cost the suite
time (each process imports Dagster) more than they add."""
PROMPT_S = 30.0
"""A ``thread index`` after a killed one finishes within this (it waited 600 s, then failed)."""


def env_without_thread(**extra: str) -> dict[str, str]:
    """This process's environment without Thread's or Dagster's settings: each command uses the
    repository's own store and instance unless ``extra`` says otherwise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THREAD_", "DAGSTER_HOME"))}
    return env | {"PYTHONUNBUFFERED": "1"} | extra


def thread_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "thread_assets.cli", *args]


def start_index(root: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        thread_cli("index", str(root), "--json", "--workers", "1", *extra),
        cwd=ROOT,
        env=env or env_without_thread(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def alembic_heads(home: Path) -> dict[str, int]:
    """Schema heads of each of the SQLite instance's databases (one each when healthy)."""
    heads = {}
    for db in (
        home / "history" / "runs.db",
        home / "history" / "runs" / "index.db",
        home / "schedules" / "schedules.db",
    ):
        with sqlite3.connect(db) as conn:
            heads[db.name] = len(conn.execute("SELECT version_num FROM alembic_version").fetchall())
    return heads


def assert_equals_scratch(store: Store, root: Path, scratch_url: str) -> None:
    scratch = open_store(scratch_url)
    try:
        scratch_index(root, scratch, root.name)
        expected, actual = dump(scratch, root.name), dump(store, root.name)
    finally:
        scratch.close()
    for table in expected:
        assert actual[table] == expected[table], f"{table} differs from a from-scratch index"


def assert_sound(root: Path, store_url: str, scratch_url: str) -> None:
    """The index equals a from-scratch one, audit agrees, and another index works and finds nothing to do."""
    store = open_store(store_url)
    try:
        assert_equals_scratch(store, root, scratch_url)
        result = audit(root, store, root.name)
        assert result.fresh, result
    finally:
        store.close()
    again = index_repository(root, store_url=store_url, dagster_home=root / ".thread" / "dagster", workers=1)
    assert again.analysed == 0 and again.files == SOURCES


def finish(procs: list[subprocess.Popen[str]], timeout_s: float = 120.0) -> list[tuple[int, str, str]]:
    done = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        done.append((proc.returncode, out, err))
    return done


def check_exits(results: list[tuple[int, str, str]], no_wait: set[int]) -> int:
    """Every process exited 0, or 2 with one line for a ``--no-wait`` one; the files analysed by them all."""
    analysed = 0
    for i, (code, out, err) in enumerate(results):
        if i in no_wait and code == 2:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and "is being updated by" in lines[0] and "--no-wait" in lines[0], err
            continue
        assert code == 0, f"process {i} exited {code}:\n{err}"
        assert "Traceback" not in err, err
        analysed += json.loads(out)["analysed"]
    return analysed


@pytest.mark.parametrize("processes", [2, 3])
def test_concurrent_first_indexes_of_a_new_repository(tmp_path: Path, processes: int) -> None:
    for trial in range(TRIALS):
        root = write_repo(tmp_path / f"trial{trial}" / "shop")
        no_wait = {2} if processes == 3 else set()
        procs = [start_index(root, *(["--no-wait"] if i in no_wait else [])) for i in range(processes)]
        results = finish(procs)
        where = f"trial {trial}"
        assert check_exits(results, no_wait) == SOURCES, f"{where}: every file analysed once between them"
        home = root / ".thread" / "dagster"
        assert set(alembic_heads(home).values()) == {1}, f"{where}: {alembic_heads(home)}"
        with open_instance(home) as instance:
            runs = instance.get_run_records(filters=RunsFilter(tags={UPDATE_TAG: "index"}))
            assert [r.dagster_run.status for r in runs] == [DagsterRunStatus.SUCCESS], where
        assert_sound(root, default_store_url(root), f"sqlite:///{tmp_path / f'scratch{trial}.db'}")


def test_concurrent_first_indexes_into_a_postgres_store(tmp_path: Path) -> None:
    """The store's schema is created and its rows written by one process at a time (Postgres'
    ``CREATE TABLE IF NOT EXISTS`` is not safe against itself)."""
    with throwaway_database("thread_concurrency") as url:
        root = write_repo(tmp_path / "shop")
        procs = [start_index(root, "--store", url) for _ in range(2)]
        assert check_exits(finish(procs), set()) == SOURCES
        assert_sound(root, url, f"sqlite:///{tmp_path / 'scratch.db'}")


# ---- processes that die mid-update


def many_files(n: int) -> dict[str, str]:
    """Enough Python for a run that lasts while the test kills its process."""
    body = "".join(f"def f{j}(x):\n    return helper(x, {j})\n\n" for j in range(30))
    files = {f"gen/m{i:03}.py": f"from gen.base import helper\n\n{body}" for i in range(n)}
    return files | {"gen/base.py": "def helper(x, y):\n    return x + y\n"}


def started_run(home: Path, proc: subprocess.Popen[str], timeout_s: float = 60.0) -> str:
    """The id of the first run marked STARTED in ``home`` (read from its database, not through
    Dagster, so as not to take part in the instance's creation)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            with sqlite3.connect(home / "history" / "runs.db", timeout=1) as conn:
                row = conn.execute("SELECT run_id FROM runs WHERE status = 'STARTED'").fetchone()
        except sqlite3.Error:
            row = None
        if row:
            return str(row[0])
        time.sleep(0.02)
    raise AssertionError("no run started")


def kill_mid_run(root: Path) -> str:
    """Start ``thread index`` on ``root`` and SIGKILL it once its run is STARTED; the run's id."""
    proc = start_index(root)
    try:
        run_id = started_run(root / ".thread" / "dagster", proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    return run_id


def test_an_index_after_a_killed_one_marks_its_run_failed_and_finishes(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "shop", many_files(80))
    killed = kill_mid_run(root)
    home = root / ".thread" / "dagster"
    with open_instance(home) as instance:
        run = instance.get_run_by_id(killed)
        assert run is not None and run.status == DagsterRunStatus.STARTED, "the killed run is left in flight"
    (root / "late.py").write_text("def late():\n    return 1\n")
    started = time.monotonic()
    proc = start_index(root)
    code, _out, err = finish([proc], timeout_s=PROMPT_S + 10)[0]
    assert time.monotonic() - started < PROMPT_S, err
    assert code == 0, err
    assert f"run {killed[:8]}" in err and "process (pid" in err and "marked failed" in err, err
    with open_instance(home) as instance:
        run = instance.get_run_by_id(killed)
        assert run is not None and run.status == DagsterRunStatus.FAILURE
    store = open_store(default_store_url(root))
    try:
        assert_equals_scratch(store, root, f"sqlite:///{tmp_path / 'scratch.db'}")
        assert audit(root, store, root.name).fresh
    finally:
        store.close()


class Lines:
    """A process's stdout lines (JSON) and stderr, read as they come."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(proc.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _read(stream: Any, put: Any) -> None:
        for line in stream:
            put(line)

    def wait_for(self, text: str, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                assert self.proc.poll() is None, "".join(self.stderr)
                continue
            if text in line:
                return line
        raise AssertionError(f"no {text!r} line within {timeout_s} s; stderr:\n{''.join(self.stderr)}")


def test_watch_becomes_ready_after_a_killed_index_and_indexes_what_changed(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "shop", many_files(80))
    killed = kill_mid_run(root)
    (root / "late.py").write_text("def late():\n    return 1\n")
    proc = subprocess.Popen(
        thread_cli("watch", str(root), "--json", "--workers", "1"),
        cwd=ROOT,
        env=env_without_thread(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        watch = Lines(proc)
        watch.wait_for('"ready"', PROMPT_S)
        assert any(f"run {killed[:8]}" in line and "marked failed" in line for line in watch.stderr), watch.stderr
        store = open_store(default_store_url(root))
        try:
            assert "late.py" in store.file_states(root.name)
            assert audit(root, store, root.name).fresh
        finally:
            store.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


# ---- the lock


def hold_lock(home: Path, purpose: str = "thread index") -> subprocess.Popen[str]:
    """Another process holding the repository lock of the instance in ``home`` until killed."""
    code = (
        "import sys, time\n"
        "from thread_assets.orchestration.instance import open_instance\n"
        "from thread_assets.orchestration.lock import repository_lock\n"
        "repository_lock(open_instance(sys.argv[1]), purpose=sys.argv[2]).acquire()\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(home), purpose], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A repository whose instance exists and whose lock another process holds."""
    root = write_repo(tmp_path / "shop")
    home = root / ".thread" / "dagster"
    open_instance(home).dispose()
    proc = hold_lock(home)
    yield root, proc
    proc.kill()
    proc.wait()


def test_no_wait_refuses_in_one_line_naming_the_holder(holder: tuple[Path, subprocess.Popen[str]]) -> None:
    root, proc = holder
    for command in ("index", "watch"):
        done = subprocess.run(
            thread_cli(command, str(root), "--no-wait", "--workers", "1"),
            cwd=ROOT,
            env=env_without_thread(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, done.stderr
        assert f"is being updated by thread index (pid {proc.pid} on {socket.gethostname()}" in lines[0], lines[0]


def test_index_says_what_it_waits_for_then_goes_on(holder: tuple[Path, subprocess.Popen[str]]) -> None:
    root, proc = holder
    index = start_index(root)
    assert index.stderr is not None
    said = index.stderr.readline()
    assert said.startswith(f"waiting: the index of shop is being updated by thread index (pid {proc.pid} on "), said
    time.sleep(0.5)
    assert index.poll() is None, "it waits while the lock is held"
    proc.kill()
    proc.wait()
    code, out, err = finish([index])[0]
    assert code == 0, said + err
    assert json.loads(out)["analysed"] == SOURCES


def test_a_killed_holder_leaves_the_lock_free(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with open_instance(home) as instance:
        proc = hold_lock(home)
        lock = repository_lock(instance, purpose="test")
        with pytest.raises(LockBusy, match=f"pid {proc.pid}"):
            lock.acquire(wait=False)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with lock.hold(wait=False):
            assert lock.held


def test_a_postgres_store_lock_names_its_holder(tmp_path: Path) -> None:
    """Processes of other hosts share a Postgres store: its advisory lock excludes them too."""
    with throwaway_database("thread_lock") as url, open_instance(tmp_path / "home") as instance:
        other = psycopg.connect(url, autocommit=True, application_name="thread index pid 1 on elsewhere")
        try:
            other.execute("SELECT pg_advisory_lock(%s)", (advisory_key("store", "shop"),))
            lock = repository_lock(instance, purpose="test", repo="shop", store_url=url)
            with pytest.raises(LockBusy, match="thread index pid 1 on elsewhere"):
                lock.acquire(wait=False)
            assert not lock.held
            waited: list[str] = []
            threading.Timer(0.5, other.close).start()
            with lock.hold(on_wait=waited.append):
                assert waited and "thread index pid 1 on elsewhere" in waited[0]
        finally:
            other.close()


def test_an_unreachable_postgres_store_is_one_line_without_its_password(tmp_path: Path) -> None:
    with open_instance(tmp_path / "home") as instance:
        lock = repository_lock(
            instance, purpose="test", repo="shop", store_url="postgresql://thread:s3cret@127.0.0.1:1/nowhere"
        )
        with pytest.raises(RuntimeError) as caught:
            lock.acquire(wait=False)
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message, message
    assert message.startswith("cannot connect to Postgres at postgresql://thread:***@127.0.0.1:1/nowhere"), message
    assert not lock.held


def test_an_instance_on_postgres_is_locked_on_its_server(tmp_path: Path) -> None:
    """Processes of other hosts may share an instance on Postgres (deploy/dagster-postgres.yaml)."""
    with throwaway_database("thread_lock") as url:
        home = tmp_path / "home"
        home.mkdir()
        template = (ROOT / "deploy" / "dagster-postgres.yaml").read_text()
        pg_url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
        (home / "dagster.yaml").write_text(
            template.replace("postgres_url:\n      env: DAGSTER_PG_URL", f"postgres_url: {pg_url}")
        )
        with (
            DagsterInstance.from_config(str(home)) as instance,
            psycopg.connect(url, autocommit=True, application_name="thread watch pid 2 on elsewhere") as other,
        ):
            other.execute("SELECT pg_advisory_lock(%s)", (advisory_key("instance", "files"),))
            with pytest.raises(LockBusy, match=r"thread watch pid 2 on elsewhere \(through the Dagster instance\)"):
                repository_lock(instance, purpose="test").acquire(wait=False)


def test_processes_opening_a_new_instance_at_once_create_it_once(tmp_path: Path) -> None:
    """Regression: processes creating the same instance at once left runs.db with two alembic
    heads (every later open failed) or failed on ``table runs already exists``."""
    code = (
        "import os, sys, time\n"
        "from thread_assets.orchestration.instance import open_instance\n"
        "print('ready', flush=True)\n"
        "while not os.path.exists(sys.argv[2]): time.sleep(0.001)\n"
        "open_instance(sys.argv[1]).dispose()\n"
    )
    home, go = tmp_path / "home", tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(home), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:  # every process has imported Dagster: they open the instance at once
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()[1]
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert set(alembic_heads(home).values()) == {1}, alembic_heads(home)


# ---- the sensor and the runs it requests


@dataclass
class Setup:
    home: Path
    instance: DagsterInstance
    resources: dict[str, object]
    updater: Updater


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    """A repository with its instance and resources, driven in this process as the daemon would."""
    root = write_repo(tmp_path / "shop")
    home = tmp_path / "home"
    settings = RepoSettings.resolve(root, store_url=f"sqlite:///{tmp_path / 'index.db'}", dagster_home=home)
    resources = build_resources(settings)
    with open_instance(home) as instance:
        yield Setup(home, instance, resources, Updater(instance, resources))


def tick(setup: Setup) -> Any:
    with build_sensor_context(
        instance=setup.instance,
        instance_ref=setup.instance.get_ref(),
        resources=setup.resources,
        definitions=setup.updater.defs,
    ) as ctx:
        return build_file_change_sensor(SINGLE, update_jobs(SINGLE)).evaluate_tick(ctx)


def lock_free(home: Path) -> bool:
    """Can the repository's file lock be taken right now (from a descriptor of its own)?"""
    fd = os.open(home / "thread-index.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_the_sensor_skips_while_another_process_holds_the_lock(setup: Setup) -> None:
    proc = hold_lock(setup.home)
    try:
        skipped = tick(setup)
        assert not skipped.run_requests
        assert f"being updated by thread index (pid {proc.pid}" in (skipped.skip_message or "")
    finally:
        proc.kill()
        proc.wait()
    assert setup.instance.get_dynamic_partitions("files") == [], "no partition moved while the lock was held"


def test_the_sensor_keeps_the_lock_until_its_run_exists_and_the_run_holds_it(setup: Setup) -> None:
    """The daemon creates a requested run after the tick returns: an update that took the lock
    in between would see no run in flight and move the partitions the request names."""
    instance, home = setup.instance, setup.home
    requested = tick(setup)
    assert len(requested.run_requests) == 1
    request = requested.run_requests[0]
    assert REQUEST_TAG in request.tags and PID_TAG not in request.tags
    time.sleep(0.3)
    assert not lock_free(home), "the lock is kept for the run not created yet"
    busy_during_run: list[bool] = []

    def on_file(_analysis: Any) -> None:
        if not busy_during_run:
            busy_during_run.append(not lock_free(home))

    token = ANALYSIS_PROGRESS.set(on_file)
    try:
        # executed the way the daemon's run worker does: the run does not carry the process tags
        result = setup.updater.job(request.job_name).execute_in_process(
            instance=instance, partition_key=request.partition_key, tags=request.tags, run_config=request.run_config
        )
    finally:
        ANALYSIS_PROGRESS.reset(token)
    assert result.success
    assert busy_during_run == [True], "the run holds the lock while it analyses"
    run = instance.get_run_by_id(result.run_id)
    assert run is not None and run.tags[PID_TAG] == str(os.getpid()) and run.tags[HOST_TAG] == socket.gethostname()
    deadline = time.monotonic() + 5
    while not lock_free(home):
        assert time.monotonic() < deadline, "the lock is released once the run exists and has finished"
        time.sleep(0.05)


# ---- which runs in flight are stale


def record(setup: Setup, status: DagsterRunStatus, tags: dict[str, str]) -> RunRecord:
    """A Thread run in ``status`` (a queued one as the daemon would see it: creating one takes a
    code location's origin, so its record is given the status after the fact)."""
    job = setup.updater.job("thread_graphs")
    created = DagsterRunStatus.STARTED if status == DagsterRunStatus.QUEUED else status
    run = setup.instance.create_run_for_job(job, tags={UPDATE_TAG: "sensor", **tags}, status=created)
    found = setup.instance.get_run_records(filters=RunsFilter(run_ids=[run.run_id]))[0]
    return found._replace(dagster_run=found.dagster_run._replace(status=status))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_run_rules(setup: Setup) -> None:
    host = socket.gethostname()
    now = time.time()

    def reason(
        status: DagsterRunStatus, tags: dict[str, str], *, age_s: float = 0, daemon_s: float | None = None
    ) -> Any:
        return stale_reason(record(setup, status, tags), host=host, daemon_seen_s=daemon_s, now=now + age_s)

    gone = dead_pid()
    assert "is gone" in reason(DagsterRunStatus.STARTED, {HOST_TAG: host, PID_TAG: str(gone)})
    assert reason(DagsterRunStatus.STARTED, {HOST_TAG: host, PID_TAG: str(os.getpid())}) is None
    assert reason(DagsterRunStatus.STARTED, {HOST_TAG: "elsewhere", PID_TAG: str(gone)}) is None, "not checkable here"
    # untagged: a run the daemon created; judged only after a grace period
    assert reason(DagsterRunStatus.QUEUED, {}, age_s=10) is None
    assert "no Dagster daemon" in reason(DagsterRunStatus.QUEUED, {}, age_s=100)
    assert reason(DagsterRunStatus.QUEUED, {}, age_s=1000, daemon_s=5) is None, "the daemon will launch it"
    assert reason(DagsterRunStatus.STARTED, {}, age_s=100, daemon_s=5) is None
    assert "never started" in reason(DagsterRunStatus.STARTED, {}, age_s=200, daemon_s=5)


def test_live_runs_marks_the_stale_ones_failed(setup: Setup) -> None:
    host = socket.gethostname()
    stale = record(setup, DagsterRunStatus.STARTED, {HOST_TAG: host, PID_TAG: str(dead_pid())})
    alive = record(setup, DagsterRunStatus.STARTED, {HOST_TAG: host, PID_TAG: str(os.getpid())})
    said: list[str] = []
    assert [r.dagster_run.run_id for r in live_runs(setup.instance, on_wait=said.append)] == [alive.dagster_run.run_id]
    run = setup.instance.get_run_by_id(stale.dagster_run.run_id)
    assert run is not None and run.status == DagsterRunStatus.FAILURE
    assert len(said) == 1 and stale.dagster_run.run_id[:8] in said[0] and "marked failed" in said[0]
