"""A real ``dagster-daemon`` on a Postgres instance, for the tests and the benchmark of split
updates: the daemon ticks the file-change sensor, its run coordinator dequeues the range runs up
to ``max_concurrent_runs`` and launches each in a run worker process, as in a deployment.

    home = postgres_instance(tmp_path / "dagster", pg_url, max_concurrent_runs=2)
    with running_daemon(home, env) as daemon:
        runs = wait_for_graphs(home, timeout_s=300)
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunRecord, RunsFilter

from thread_assets.names import UPDATE_TAG

ROOT = Path(__file__).resolve().parents[2]
DAEMON = Path(sys.executable).parent / "dagster-daemon"
INSTANCE_YAML = """\
storage:
  postgres:
    postgres_url: {url}
telemetry:
  enabled: false
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: {runs}
    dequeue_interval_seconds: 1
run_monitoring:
  enabled: false
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
"""


def postgres_instance(home: Path, libpq_url: str, *, max_concurrent_runs: int) -> Path:
    """``home`` with a dagster.yaml on the Postgres database ``libpq_url`` (psycopg2 driver, as
    deploy/dagster-postgres.yaml explains), its queued run coordinator at ``max_concurrent_runs``."""
    home.mkdir(parents=True, exist_ok=True)
    url = libpq_url.replace("postgresql://", "postgresql+psycopg2://", 1)
    (home / "dagster.yaml").write_text(INSTANCE_YAML.format(url=url, runs=max_concurrent_runs), encoding="utf-8")
    return home


def daemon_env(home: Path, root: Path, store_url: str, **extra: str) -> dict[str, str]:
    """This process's environment without Thread's settings, plus the code location's: the
    repository, its store, the instance; ``extra`` (``THREAD_RUN_SIZE``, ...) on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THREAD_", "DAGSTER_"))}
    return env | {
        "PYTHONUNBUFFERED": "1",
        "DAGSTER_HOME": str(home),
        "THREAD_REPO_ROOT": str(root),
        "THREAD_STORE_URL": store_url,
        "THREAD_SENSOR_INTERVAL_S": "1",
        "DAGSTER_EVENT_BATCH_SIZE": "1000",
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true",
        **extra,
    }


@contextlib.contextmanager
def running_daemon(env: Mapping[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``dagster-daemon run`` on the repository's ``workspace.yaml`` (the code location
    ``thread_assets.definitions``), in a session of its own, its output in ``log``; stopped (the
    session: daemon, code server and any run worker left) on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(DAEMON), "run", "-w", str(ROOT / "workspace.yaml")],
            cwd=ROOT,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


DONE = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


@dataclass
class Update:
    """The Thread runs an update made, oldest first, and when it was done."""

    runs: list[RunRecord]
    seconds: float


def wait_for_graphs(
    home: Path, graphs_job: str, *, timeout_s: float, log: Path | None = None, poll_s: float = 1.0
) -> Update:
    """Wait until a ``graphs_job`` run has succeeded and no Thread run is in flight (the end of a
    split update under the daemon); every Thread run of the instance. AssertionError naming the
    runs (and the daemon's last output) after ``timeout_s``, or as soon as a run fails."""
    started = time.monotonic()
    with DagsterInstance.from_config(str(home)) as instance:
        while True:
            records = list(instance.get_run_records(filters=RunsFilter(tags={UPDATE_TAG: ["sensor"]})))
            records.sort(key=lambda r: r.create_timestamp)
            failed = [r for r in records if r.dagster_run.status == DagsterRunStatus.FAILURE]
            graphs_done = any(
                r.dagster_run.job_name == graphs_job and r.dagster_run.status == DagsterRunStatus.SUCCESS
                for r in records
            )
            if failed or (graphs_done and all(r.dagster_run.status in DONE for r in records)):
                break
            if time.monotonic() - started > timeout_s:
                failed = records
                break
            time.sleep(poll_s)
        if failed:
            tail = log.read_text(errors="replace")[-3000:] if log is not None else ""
            described = [(r.dagster_run.job_name, r.dagster_run.status.value) for r in failed]
            raise AssertionError(f"runs not done after {time.monotonic() - started:.0f} s: {described}\n{tail}")
        return Update(records, time.monotonic() - started)


def run_windows(records: list[RunRecord]) -> list[tuple[float, float]]:
    """(start, end) of each run, as the instance recorded them."""
    windows = []
    for r in records:
        assert r.start_time is not None and r.end_time is not None, r.dagster_run.run_id
        windows.append((r.start_time, r.end_time))
    return windows


def most_at_once(windows: list[tuple[float, float]]) -> int:
    """The largest number of the windows that overlap at one instant."""
    events = sorted([(s, 1) for s, _ in windows] + [(e, -1) for _, e in windows], key=lambda x: (x[0], x[1]))
    now = best = 0
    for _, step in events:
        now += step
        best = max(best, now)
    return best
