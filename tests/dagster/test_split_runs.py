"""Updates above the run size: partition-range runs of the per-file assets, then the graphs once.

- ``thread index`` (in-process) with run size 3 on a generated tree makes several range runs and
  one graphs run, and its store equals, row for row, every table (ignoring run ids and times),
  that of a one-run index of the same tree: first index and an update, on SQLite and on Postgres
  stores. Dagster shows each file's partition materialized once per asset, the graphs once.
- The file-change sensor requests every range at once, then the graphs run at a later tick.
- The lock: range runs hold it shared (side by side), everyone else exclusive.
- Under a real ``dagster-daemon`` with a Postgres instance and ``max_concurrent_runs: 2``, the range
  runs hold the lock shared (they finish beside another shared holder), the graphs run comes once
  after them all, and the store equals a one-run index.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dagster import (
    AssetCheckKey,
    AssetKey,
    AssetRecordsFilter,
    DagsterInstance,
    DagsterRunStatus,
    RunsFilter,
    build_sensor_context,
)

from sensors.file_changes import build_file_change_sensor
from tests.support.daemon_process import (
    daemon_env,
    most_at_once,
    postgres_instance,
    run_windows,
    running_daemon,
    wait_for_graphs,
)
from tests.support.postgres import throwaway_database
from thread_assets.cli import main
from thread_assets.drivers.index import IndexSummary, index_repository
from thread_assets.names import DEPENDENCY_GRAPH, PER_FILE_ASSETS, RANGE_END_TAG, RANGE_START_TAG
from thread_assets.orchestration.jobs import update_jobs
from thread_assets.orchestration.lock import RANGE_RUNS, SHARED_TAG, LockBusy, repository_lock
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.scope import SINGLE
from thread_assets.orchestration.updater import PART_TAG, Updater
from thread_assets.repo.partition_plan import split_range
from thread_assets.repo.settings import RepoSettings

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "sql" / "schema.sql"
PROVENANCE = {"run_id", "indexed_at", "computed_at", "parse_time_ms", "seconds"}
"""Columns that say which run wrote a row and when (or how long a step took), not what it says."""
RUN_SIZE = 3


def write_tree(root: Path, modules: int = 10) -> list[str]:
    """A chain of Python modules that import and call each other (so the graphs cross every range),
    a JavaScript pair, an import cycle, and a file that is not analysed cleanly (a NUL byte);
    returns the indexed paths."""
    files: dict[str, bytes] = {"pkg/__init__.py": b""}
    for i in range(modules):
        head = f"from pkg import mod_{i - 1}\n\n" if i else ""
        body = f"    return mod_{i - 1}.f{i - 1}() + 1\n" if i else "    return 0\n"
        files[f"pkg/mod_{i}.py"] = (
            f"{head}def f{i}():\n{body}\n\nclass C{i}:\n    def m(self):\n        return f{i}()\n"
        ).encode()
    files["web/a.js"] = b"import { b } from './b.js'\nexport function a() { return b() }\n"
    files["web/b.js"] = b"import { a } from './a.js'\nexport function b() { return 1 }\n"
    files["blob.py"] = b"x = 1\x00\n"
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sorted(files)


def edit_tree(root: Path) -> None:
    """An update above the run size: five changes scattered over the tree, two new files, one removed."""
    for i in (1, 3, 5, 7, 9):
        path = root / "pkg" / f"mod_{i}.py"
        path.write_text(path.read_text() + f"\n\ndef g{i}():\n    return f{i}()\n")
    (root / "pkg" / "extra.py").write_text("from pkg import mod_9\n\ndef e():\n    return mod_9.g9()\n")
    (root / "web" / "c.js").write_text("import { a } from './a.js'\nexport const c = a()\n")
    (root / "pkg" / "mod_4.py").unlink()


def tables() -> list[str]:
    return re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA.read_text())


def _rows(url: str, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            cursor = conn.execute(sql)
            return [c[0] for c in cursor.description], cursor.fetchall()
    with psycopg.connect(url) as conn:
        pg = conn.execute(sql)  # type: ignore[arg-type]
        assert pg.description is not None
        return [c.name for c in pg.description], pg.fetchall()


def dump(url: str, repo: str) -> dict[str, list[dict[str, Any]]]:
    """Every table of the schema for ``repo``, without provenance columns, in a stable order;
    ``index_state`` as whether the graphs are behind the files (its counters count the writes,
    which a split update makes more of)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        columns, rows = _rows(url, f"SELECT * FROM {table} WHERE repo = '{repo}'")  # names made here
        kept = [dict(zip(columns, row, strict=True)) for row in rows]
        if table == "index_state":
            out[table] = [{"graphs_behind": r["files_version"] > r["graphs_version"]} for r in kept]
            continue
        cleaned = [{k: v for k, v in r.items() if k not in PROVENANCE} for r in kept]
        out[table] = sorted(cleaned, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return out


def assert_same_index(url: str, expected_url: str, repo: str) -> None:
    actual, expected = dump(url, repo), dump(expected_url, repo)
    assert expected["files"] and expected["call_edges"] and expected["cycles"], "the tree exercises the graphs"
    for table in expected:
        if actual[table] != expected[table]:
            extra = [r for r in actual[table] if r not in expected[table]]
            missing = [r for r in expected[table] if r not in actual[table]]
            raise AssertionError(f"{table} differs from the one-run index: extra {extra[:5]}, missing {missing[:5]}")


def _index(root: Path, url: str, home: Path, run_size: int) -> IndexSummary:
    return index_repository(
        root, store_url=url, dagster_home=home, cache_dir="none", workers=1, run_size=run_size, repo_name="tree"
    )


def materializations_per_partition(instance: DagsterInstance) -> dict[str, Counter[str | None]]:
    return {
        name: Counter(
            r.partition_key
            for r in instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey(name)), limit=10_000).records
        )
        for name in PER_FILE_ASSETS
    }


@pytest.fixture(params=["sqlite", "postgres"])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """(split store URL, one-run store URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'split.db'}", f"sqlite:///{tmp_path / 'single.db'}"
        return
    with throwaway_database("thread_split") as split, throwaway_database("thread_single") as single:
        yield split, single


def test_split_range_is_contiguous_disjoint_and_even() -> None:
    keys = [f"k{i}" for i in range(7)]
    assert split_range(keys, 3) == [["k0", "k1", "k2"], ["k3", "k4"], ["k5", "k6"]]
    assert split_range(keys, 7) == [keys] and split_range([], 3) == []
    for size in range(1, 9):
        ranges = split_range(keys, size)
        assert [k for r in ranges for k in r] == keys and all(0 < len(r) <= size for r in ranges)
        assert max(map(len, ranges)) - min(map(len, ranges)) <= 1
    with pytest.raises(ValueError):
        split_range(keys, 0)


def test_a_split_index_equals_a_one_run_index(tmp_path: Path, two_stores: tuple[str, str]) -> None:
    split_url, single_url = two_stores
    root = tmp_path / "tree"
    paths = write_tree(root)
    split = _index(root, split_url, tmp_path / "split_home", RUN_SIZE)
    single = _index(root, single_url, tmp_path / "single_home", 1000)
    ranges = -(-len(paths) // RUN_SIZE)
    assert len(split.runs) == ranges + 1 and len(single.runs) == 1
    assert split.analysed == single.analysed == len(paths)
    assert split.problems == single.problems and [p["path"] for p in split.problems] == ["blob.py"]
    assert split.checks == single.checks and split.cycles == single.cycles == 1
    assert_same_index(split_url, single_url, "tree")

    with DagsterInstance.from_config(str(tmp_path / "split_home")) as instance:
        counts = materializations_per_partition(instance)
        keys = set(instance.get_dynamic_partitions("files"))
        for name, per_partition in counts.items():
            assert set(per_partition) == keys and set(per_partition.values()) == {1}, name
        graphs = instance.fetch_materializations(AssetKey(DEPENDENCY_GRAPH), limit=10).records
        assert len(graphs) == 1 and graphs[0].run_id == split.runs[-1]
        check = AssetCheckKey(AssetKey("parse"), "parse_quality")
        assert len(instance.event_log_storage.get_asset_check_execution_history(check, limit=10)) == 1
        parts = [instance.get_run_by_id(r) for r in split.runs]
        assert [p.job_name for p in parts if p] == [SINGLE.files_job] * ranges + [SINGLE.graphs_job]
        assert [p.tags[PART_TAG] for p in parts[:-1] if p] == [f"{i}/{ranges}" for i in range(1, ranges + 1)]
        # side by side only on a store that takes concurrent writers (SQLite: one at a time)
        shared = "true" if split_url.startswith("postgresql") else None
        assert {p.tags.get(SHARED_TAG) for p in parts[:-1] if p} == {shared}

    edit_tree(root)
    split = _index(root, split_url, tmp_path / "split_home", RUN_SIZE)
    single = _index(root, single_url, tmp_path / "single_home", 1000)
    assert split.analysed == single.analysed == 7 and split.removed == single.removed == 1
    assert len(split.runs) == 3 + 1 and len(single.runs) == 1
    assert_same_index(split_url, single_url, "tree")


def test_the_sensor_requests_every_range_then_the_graphs(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    paths = write_tree(root)
    url = f"sqlite:///{tmp_path / 'sensor.db'}"
    resources = build_resources(RepoSettings.resolve(root, store_url=url, repo_name="tree", cache_dir="none"))
    sensor = build_file_change_sensor(SINGLE, update_jobs(SINGLE), run_size=RUN_SIZE)
    with DagsterInstance.ephemeral() as instance:
        updater = Updater(instance, resources)

        def tick() -> list[Any]:
            with build_sensor_context(instance=instance, resources=resources, definitions=updater.defs) as ctx:
                return list(sensor.evaluate_tick(ctx).run_requests or [])

        requests = tick()
        assert {r.job_name for r in requests} == {SINGLE.files_job}
        assert not any(SHARED_TAG in r.tags for r in requests), "a SQLite store: one writer at a time"
        keys = list(instance.get_dynamic_partitions("files"))
        assert len(keys) == len(paths)
        ranges = [
            keys[keys.index(r.tags[RANGE_START_TAG]) : keys.index(r.tags[RANGE_END_TAG]) + 1]
            if r.partition_key is None
            else [r.partition_key]
            for r in requests
        ]
        assert ranges == split_range(keys, RUN_SIZE)
        for request in requests:
            result = updater.job(SINGLE.files_job).execute_in_process(
                instance=instance, partition_key=request.partition_key, tags=request.tags
            )
            assert result.success
            written = {e.asset_key for e in result.get_asset_materialization_events()}
            assert written == {AssetKey(name) for name in PER_FILE_ASSETS}, "the per-file assets alone"
        [graphs] = tick()
        assert graphs.job_name == SINGLE.graphs_job and RANGE_START_TAG not in graphs.tags
        assert updater.job(graphs.job_name).execute_in_process(instance=instance, tags=graphs.tags).success
        assert tick() == []
    single_url = f"sqlite:///{tmp_path / 'single.db'}"
    _index(root, single_url, tmp_path / "single_home", 1000)
    assert_same_index(url, single_url, "tree")


def test_a_split_index_killed_between_ranges_is_finished_by_the_next(tmp_path: Path) -> None:
    """SIGKILL right after the first range run's rows commit: the store holds part of the files
    and graphs behind them; the next ``thread index`` marks the dead run failed, analyses the rest
    (again in ranges) and ends equal to a one-run index."""
    root = tmp_path / "tree"
    paths = write_tree(root)
    url = f"sqlite:///{tmp_path / 'split.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THREAD_", "DAGSTER_HOME"))}
    command = [sys.executable, "-m", "thread_assets.cli", "index", str(root), "--store", url, "--json"]
    command += ["--workers", "1", "--run-size", str(RUN_SIZE)]
    killed = subprocess.run(
        command, cwd=ROOT, env={**env, "THREAD_TEST_KILL_AT": "after_files_commit"}, capture_output=True, text=True
    )
    assert killed.returncode == -9, killed.stderr
    partial = dump(url, root.name)
    assert 0 < len(partial["files"]) < len(paths) and partial["index_state"] == [{"graphs_behind": True}]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "marked failed" in done.stderr
    summary = json.loads(done.stdout)
    assert summary["analysed"] == len(paths) - len(partial["files"]) and len(summary["runs"]) >= 2
    single_url = f"sqlite:///{tmp_path / 'single.db'}"
    index_repository(root, store_url=single_url, dagster_home=tmp_path / "single_home", workers=1, run_size=1000)
    assert_same_index(url, single_url, root.name)


HOLD = """
import sys, time
from dagster import DagsterInstance
from thread_assets.orchestration.lock import repository_lock
with DagsterInstance.from_config(sys.argv[1]) as instance:
    lock = repository_lock(instance, purpose="a range run", shared=sys.argv[2] == "shared")
    lock.acquire()
    print("held", flush=True)
    sys.stdin.read()
"""


def _holder(home: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home), mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_range_runs_share_the_lock_and_everyone_else_excludes_them(tmp_path: Path) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with DagsterInstance.from_config(str(home)) as instance:
        shared = _holder(home, "shared")
        try:
            other = repository_lock(instance, purpose="another range run", shared=True)
            other.acquire(wait=False)  # a second range run at once
            other.release()
            with pytest.raises(LockBusy, match=RANGE_RUNS):
                repository_lock(instance, purpose="thread index").acquire(wait=False)
        finally:
            shared.communicate("")
        exclusive = _holder(home, "exclusive")
        try:
            with pytest.raises(LockBusy, match="being updated by a range run"):
                repository_lock(instance, purpose="a range run", shared=True).acquire(wait=False)
        finally:
            exclusive.communicate("")
        with repository_lock(instance, purpose="thread index").hold(wait=False):
            pass


def test_cli_run_size(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THREAD_STORE_URL", raising=False)
    monkeypatch.setenv("THREAD_CACHE_DIR", "none")
    root = tmp_path / "tree"
    paths = write_tree(root, modules=4)
    assert main(["index", str(root), "--json", "--quiet", "--workers", "1", "--run-size", "2"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["analysed"] == len(paths) and len(summary["runs"]) == -(-len(paths) // 2) + 1
    monkeypatch.setenv("THREAD_RUN_SIZE", "0")
    assert main(["index", str(root), "--json"]) == 2
    assert "THREAD_RUN_SIZE must be 1 or more" in capsys.readouterr().err
    assert main(["index", str(root), "--run-size", "0"]) == 2
    assert capsys.readouterr().err.strip() == "thread: error: --run-size must be 1 or more files"


def _runs(instance: DagsterInstance, job: str) -> list[Any]:
    return list(instance.get_run_records(filters=RunsFilter(job_name=job)))


def _until(what: str, done: Any, timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not within {timeout_s:.0f} s\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def test_the_daemon_runs_the_ranges_beside_each_other_then_the_graphs_once(tmp_path: Path) -> None:
    """A real daemon: the sensor requests every range in one tick, the coordinator starts them
    (two at a time), each takes the repository lock shared, so they all finish while this test
    holds it shared too (as one more range run would); the graphs run needs it exclusive, so the
    sensor requests it only once the test lets go. Then the store equals a one-run index."""
    root = tmp_path / "tree"
    paths = write_tree(root, modules=5)
    ranges_expected = -(-len(paths) // RUN_SIZE)
    with (
        throwaway_database("thread_dagster") as instance_url,
        throwaway_database("thread_store") as store_url,
        throwaway_database("thread_single") as single_url,
    ):
        _index(root, single_url, tmp_path / "single_home", 1000)
        home = postgres_instance(tmp_path / "dagster", instance_url, max_concurrent_runs=2)
        env = daemon_env(home, root, store_url, THREAD_RUN_SIZE=str(RUN_SIZE), THREAD_WORKERS="1")
        log = tmp_path / "daemon.log"
        with running_daemon(env, log), DagsterInstance.from_config(str(home)) as instance:
            _until("the range runs", lambda: _runs(instance, SINGLE.files_job), 120, log)
            beside = repository_lock(instance, purpose="the test, as one more range run", shared=True)
            beside.acquire()  # once the sensor has handed its exclusive lock over to the runs
            try:
                ranges = _runs(instance, SINGLE.files_job)
                assert len(ranges) == ranges_expected, "every range requested in one tick"

                def ranges_done() -> bool:
                    statuses = {r.dagster_run.status for r in _runs(instance, SINGLE.files_job)}
                    assert DagsterRunStatus.FAILURE not in statuses
                    return statuses == {DagsterRunStatus.SUCCESS}

                _until("the range runs, beside a shared holder", ranges_done, 180, log)
                time.sleep(4)  # several sensor ticks (every second): each needs the lock exclusive
                assert _runs(instance, SINGLE.graphs_job) == [], "no graphs run while a range holder is in"
            finally:
                beside.release()
            update = wait_for_graphs(home, SINGLE.graphs_job, timeout_s=180, log=log)
        ranges = [r for r in update.runs if r.dagster_run.job_name == SINGLE.files_job]
        graphs = [r for r in update.runs if r.dagster_run.job_name == SINGLE.graphs_job]
        assert len(ranges) == ranges_expected and len(graphs) == 1 and len(update.runs) == len(ranges) + 1
        windows = run_windows(ranges)
        assert most_at_once(windows) <= 2, "max_concurrent_runs"
        assert graphs[0].start_time is not None and graphs[0].start_time >= max(end for _, end in windows)
        with DagsterInstance.from_config(str(home)) as instance:
            for name, per_partition in materializations_per_partition(instance).items():
                assert len(per_partition) == len(paths) and set(per_partition.values()) == {1}, name
        assert_same_index(store_url, single_url, "tree")
