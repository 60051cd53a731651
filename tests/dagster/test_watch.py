"""``Watcher.run()``, the real loop: real watchfiles events on a real tree, runs on a real Dagster
instance, rows in a real store (SQLite; Postgres for the outage case). After every step the store
must reflect disk, and at the end it must equal a from-scratch index of the tree, row for row."""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import xxhash
from dagster import AssetKey, AssetRecordsFilter, DagsterInstance, DagsterRunStatus, RunsFilter

import thread_assets.drivers.watch as watch_mod
from resources.store.base import Store, StoreError
from resources.store.url import open_store
from tests.support import postgres
from tests.support.incremental import dump, scratch_index
from thread_assets.drivers.watch import BatchReport, Watcher
from thread_assets.engine.batch import read_for_analysis
from thread_assets.names import UPDATE_TAG
from thread_assets.orchestration.scope import SINGLE
from thread_assets.orchestration.updater import in_flight_runs
from thread_assets.repo.indexable import indexable_files
from thread_assets.repo.partition_keys import encode_key

POLL_S = 0.02
SETTLE_S = 20.0
"""Deadline for the index to catch up with one change (a batch takes ~0.1-1 s; the cores are shared)."""


# ---- helpers


def disk_hashes(root: Path) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for f in indexable_files(root):
        data = read_for_analysis(f.abs_path)
        out[f.path] = xxhash.xxh3_64_hexdigest(data) if isinstance(data, bytes) else None
    return out


def stored_hashes(store: Store, repo: str) -> dict[str, str | None]:
    return {p: s.content_hash for p, s in store.file_states(repo).items()}


def watch_runs(instance: DagsterInstance) -> list[Any]:
    """Every run the watcher started, oldest first."""
    records = instance.get_run_records(filters=RunsFilter(tags={UPDATE_TAG: "watch"}))
    return [r.dagster_run for r in reversed(records)]


def parse_materialized(instance: DagsterInstance, path: str, run_ids: set[str]) -> bool:
    """Did one of ``run_ids`` materialize the ``parse`` partition of ``path``?"""
    records = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey("parse"), asset_partitions=[encode_key(path)]), limit=20
    ).records
    return any(r.run_id in run_ids for r in records)


def assert_equals_scratch(tmp: Path, root: Path, live: Store, repo: str) -> None:
    scratch = open_store(f"sqlite:///{tmp / f'scratch-{uuid.uuid4().hex[:6]}.db'}")
    try:
        scratch_index(root, scratch, repo)
        expected, actual = dump(scratch, repo), dump(live, repo)
        for table in expected:
            assert actual[table] == expected[table], f"{table} differs from a from-scratch index"
    finally:
        scratch.close()


class Live:
    """A Watcher looping in a thread, its reports collected; ``settle`` waits for the index to follow disk."""

    def __init__(self, root: Path, store_url: str, instance: DagsterInstance, **kwargs: Any) -> None:
        self.root = root
        self.instance = instance
        self.reports: list[BatchReport] = []
        self.backoffs: list[float] = []
        self.lock = threading.Lock()
        self.watcher = Watcher(
            root,
            store_url=store_url,
            instance=instance,
            repo_name="shop",
            debounce_ms=kwargs.pop("debounce_ms", 50),
            on_batch=self._on_batch,
            **kwargs,
        )
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._main, name="watch-under-test", daemon=True)

    def _on_batch(self, report: BatchReport) -> None:
        with self.lock:
            self.reports.append(report)
            self.backoffs.append(self.watcher._backoff)

    def _main(self) -> None:
        try:
            self.watcher.run(ready=self.ready.set)
        except BaseException as exc:  # surfaced by stop()
            self.error = exc

    def start(self, timeout_s: float = 60.0) -> Live:
        self.thread.start()
        assert self.ready.wait(timeout_s), f"watcher not ready after {timeout_s} s: {self.reports[-1:]}"
        return self

    def stop(self) -> None:
        self.watcher.stop()
        self.thread.join(5.0)
        assert not self.thread.is_alive(), "watcher did not stop within 5 s"
        assert self.error is None, repr(self.error)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout_s: float = SETTLE_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; last reports: {self.reports[-3:]}")
            time.sleep(POLL_S)

    def settle(self, store: Store, since: int, timeout_s: float = SETTLE_S) -> list[BatchReport]:
        """Wait until the store's rows hash like disk, a batch has reported since ``since`` and no
        run is in flight; return the reports since ``since``."""

        def caught_up() -> bool:
            return (
                len(self.reports) > since
                and self.reports[-1].error is None
                and not in_flight_runs(self.instance)
                and stored_hashes(store, "shop") == disk_hashes(self.root)
            )

        self.wait_for(caught_up, "the index to match disk", timeout_s)
        return self.reports[since:]


@pytest.fixture
def dagster_instance() -> Iterator[DagsterInstance]:
    """In-memory run and event storage: a real instance, without a SQLite commit per event."""
    with DagsterInstance.ephemeral() as inst:
        yield inst


@pytest.fixture
def shop(repo: Path) -> Path:
    """conftest's small multi-language repository, in ``tmp_path / "shop"``."""
    return repo


# ---- 1. the loop follows edits, adds, deletes, renames and bursts


def test_loop_follows_edits_adds_deletes_renames_and_debounces_bursts(
    tmp_path: Path, shop: Path, dagster_instance: DagsterInstance
) -> None:
    url = f"sqlite:///{tmp_path / 'index.db'}"
    live = Live(shop, url, dagster_instance).start()
    store = open_store(url)
    try:
        assert live.reports and live.reports[0].changes.added, "start-up indexes the tree"
        assert_equals_scratch(tmp_path, shop, store, "shop")

        def step(action: Callable[[], None], parsed: list[str]) -> list[BatchReport]:
            runs_before = {r.run_id for r in watch_runs(dagster_instance)}
            since = len(live.reports)
            action()
            reports = live.settle(store, since)
            new_runs = [r for r in watch_runs(dagster_instance) if r.run_id not in runs_before]
            assert new_runs, "each update is a Dagster run on the instance"
            assert all(r.status == DagsterRunStatus.SUCCESS for r in new_runs)
            assert all(r.tags.get(UPDATE_TAG) == "watch" for r in new_runs)
            for path in parsed:
                assert parse_materialized(dagster_instance, path, {r.run_id for r in new_runs}), path
            assert_equals_scratch(tmp_path, shop, store, "shop")
            return reports

        # edit
        reports = step(
            lambda: (shop / "app/views.py").write_text("def render(order):\n    return 1\n"), ["app/views.py"]
        )
        assert [p for r in reports for p in r.changes.modified] == ["app/views.py"]
        assert all(r.changes.partial for r in reports), "an edit is checked alone, without a walk"

        # add
        reports = step(lambda: (shop / "app/extra.py").write_text("def extra():\n    return 2\n"), ["app/extra.py"])
        assert [p for r in reports for p in r.changes.added] == ["app/extra.py"]

        # delete: a graphs-only run, the partition goes
        reports = step(lambda: (shop / "lib/ring.c").unlink(), [])
        assert [p for r in reports for p in r.changes.removed] == ["lib/ring.c"]
        assert encode_key("lib/ring.c") not in dagster_instance.get_dynamic_partitions(SINGLE.partitions_name)

        # rename
        reports = step(lambda: os.rename(shop / "web/util.js", shop / "web/helpers.js"), ["web/helpers.js"])
        assert [pair for r in reports for pair in r.changes.renamed] == [("web/util.js", "web/helpers.js")]
        keys = dagster_instance.get_dynamic_partitions(SINGLE.partitions_name)
        assert encode_key("web/helpers.js") in keys and encode_key("web/util.js") not in keys

        # a burst of saves: debounced into one batch (two at worst, if a save straddles the quiet time)
        burst = [f"burst/m{i}.py" for i in range(8)]

        def save_burst() -> None:
            (shop / "burst").mkdir()
            for i, rel in enumerate(burst):
                (shop / rel).write_text(f"def f{i}():\n    return {i}\n")

        runs_before = len(watch_runs(dagster_instance))
        reports = step(save_burst, burst)
        with_changes = [r for r in reports if r.changes]
        assert 1 <= len(with_changes) <= 2, [r.changes.describe() for r in reports]
        assert len(watch_runs(dagster_instance)) - runs_before <= 2
        assert sorted(p for r in reports for p in r.changes.added) == burst
    finally:
        live.stop()
        store.close()
    assert live.watcher.stats.failures == 0


# ---- 2. ignore rules, editor files, directories moved in and out


def test_ignored_and_editor_files_trigger_no_run_and_ignore_rules_and_directory_moves_apply(
    tmp_path: Path, shop: Path, dagster_instance: DagsterInstance
) -> None:
    (shop / ".gitignore").write_text("generated/\n")
    (shop / "generated").mkdir()
    (shop / "generated/gen.py").write_text("X = 1\n")
    url = f"sqlite:///{tmp_path / 'index.db'}"
    live = Live(shop, url, dagster_instance).start()
    store = open_store(url)
    try:
        assert "generated/gen.py" not in store.file_states("shop")

        # gitignored and editor junk: batches happen, but no run and no change
        runs_before = len(watch_runs(dagster_instance))
        since = len(live.reports)
        (shop / "generated/gen.py").write_text("X = 2\n")
        (shop / "app/.models.py.swp").write_bytes(b"\x00swap")
        (shop / "app/models.py~").write_text("backup = 1\n")
        (shop / ".#views.py").write_text("lock\n")
        live.wait_for(lambda: len(live.reports) > since, "a batch for the ignored files")
        time.sleep(0.3)  # any straggling event would have been flushed by now
        assert not any(r.changes for r in live.reports[since:])
        assert len(watch_runs(dagster_instance)) == runs_before, "ignored files start no run"
        # a real edit after them is the only change
        since = len(live.reports)
        (shop / "app/views.py").write_text("def render(order):\n    return 2\n")
        reports = live.settle(store, since)
        assert [p for r in reports for p in r.changes.modified] == ["app/views.py"]
        assert len(watch_runs(dagster_instance)) == runs_before + 1

        # a .gitignore that ignores an indexed file removes it from the index
        since = len(live.reports)
        (shop / "web/.gitignore").write_text("util.js\n")
        reports = live.settle(store, since)
        assert "web/util.js" not in store.file_states("shop")
        assert any("web/util.js" in r.changes.removed for r in reports)
        assert not any(r.changes.partial for r in reports if r.changes), "an ignore file means a full detection"
        assert_equals_scratch(tmp_path, shop, store, "shop")

        # a directory moved out of the tree, then another moved in
        since = len(live.reports)
        os.rename(shop / "app", tmp_path / "app-away")
        live.settle(store, since)
        assert not any(p.startswith("app/") for p in store.file_states("shop"))
        assert_equals_scratch(tmp_path, shop, store, "shop")

        since = len(live.reports)
        os.rename(tmp_path / "app-away", shop / "core")
        reports = live.settle(store, since)
        assert {"core/models.py", "core/views.py"} <= set(store.file_states("shop"))
        assert not any(r.changes.partial for r in reports if r.changes), "a directory moved in means a full detection"
        assert_equals_scratch(tmp_path, shop, store, "shop")
    finally:
        live.stop()
        store.close()


# ---- 3. storage unreachable, then back


def _down_sqlite(store_dir: Path) -> Path:
    """The store directory moves away and a directory stands where ``index.db`` was: opening the
    store genuinely fails (SQLite: unable to open database file)."""
    away = store_dir.with_name(store_dir.name + ".away")
    os.rename(store_dir, away)
    (store_dir / "index.db").mkdir(parents=True)
    return away


def _up_sqlite(store_dir: Path, away: Path) -> None:
    shutil.rmtree(store_dir)
    os.rename(away, store_dir)


def test_backoff_doubles_from_half_a_second_to_30_s_and_nothing_is_lost(
    tmp_path: Path, shop: Path, dagster_instance: DagsterInstance
) -> None:
    """Driven by flush() (no waiting): the schedule with the real constants."""
    store_dir = tmp_path / "store"
    (store_dir / "index.db").mkdir(parents=True)  # down from the start
    url = f"sqlite:///{store_dir / 'index.db'}"
    opened: list[str] = []

    def open_counting(u: str) -> Store:
        opened.append(u)
        return open_store(u)

    watcher = Watcher(shop, store_url=url, instance=dagster_instance, repo_name="shop", open_store=open_counting)
    reports = []
    for _ in range(9):
        (shop / "app/views.py").write_text(f"def render(order):\n    return {len(reports)}\n")
        watcher.note([str(shop / "app/views.py")])
        report = watcher.flush()
        assert report is not None
        reports.append((report, watcher._backoff))
    assert [r.attempt for r, _ in reports] == list(range(1, 10))
    assert all(r.error and StoreError.__name__ in r.error for r, _ in reports)
    assert [b for _, b in reports] == [0.5, 1, 2, 4, 8, 16, 30, 30, 30]
    assert watcher.stats.failures == 9 and watcher.stats.batches == 0
    assert len(opened) == 9, "each attempt tries to open the store again"
    assert not dagster_instance.get_run_records(), "no run while the store is down"

    shutil.rmtree(store_dir / "index.db")  # the store is back
    (shop / "app/extra.py").write_text("def extra():\n    return 3\n")  # a change nobody reported
    report = watcher.flush()
    assert report is not None and report.error is None and report.attempt == 10
    assert not report.changes.partial, "after a failure the next attempt is a full detection"
    assert watcher._backoff == 0 and watcher._attempt == 0
    store = open_store(url)
    try:
        assert_equals_scratch(tmp_path, shop, store, "shop")
    finally:
        store.close()
    assert watcher.flush() is None, "nothing left pending"


def test_sqlite_store_outage_while_watching_loses_no_change(
    tmp_path: Path, shop: Path, dagster_instance: DagsterInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_mod, "BACKOFF_START_S", 0.02)
    monkeypatch.setattr(watch_mod, "BACKOFF_MAX_S", 0.08)
    store_dir = tmp_path / "store"
    url = f"sqlite:///{store_dir / 'index.db'}"
    live = Live(shop, url, dagster_instance).start()
    try:
        away = _down_sqlite(store_dir)
        since = len(live.reports)
        (shop / "app/views.py").write_text("def render(order):\n    return 3\n")
        (shop / "lib/ring.h").unlink()
        os.rename(shop / "web/util.js", shop / "web/helpers.js")
        (shop / "app/extra.py").write_text("def extra():\n    return 4\n")
        live.wait_for(lambda: sum(1 for r in live.reports[since:] if r.error) >= 4, "four failed attempts")
        failed = [(r, b) for r, b in zip(live.reports[since:], live.backoffs[since:], strict=True) if r.error]
        attempts = [r.attempt for r, _ in failed]
        assert attempts == list(range(1, len(attempts) + 1)), attempts
        assert [b for _, b in failed[:4]] == [0.02, 0.04, 0.08, 0.08], "doubling, capped"
        assert any(StoreError.__name__ in (r.error or "") for r, _ in failed)

        _up_sqlite(store_dir, away)
        store = open_store(url)
        try:
            live.settle(store, len(live.reports))
            assert live.reports[-1].attempt > len(attempts), "the success is the next attempt of the same update"
            assert_equals_scratch(tmp_path, shop, store, "shop")
        finally:
            store.close()

        # down again with a removal alone: the failed attempt already deleted the file's rows
        # (through the store handle it held) before its run failed, so after the outage the
        # detection finds nothing to do; the graphs must follow all the same
        away = _down_sqlite(store_dir)
        since = len(live.reports)
        (shop / "app/views.py").unlink()  # app/models.py imports it: resolutions and edges change
        live.wait_for(lambda: sum(1 for r in live.reports[since:] if r.error) >= 2, "failed attempts")
        _up_sqlite(store_dir, away)
        store = open_store(url)
        try:
            live.settle(store, len(live.reports))
            assert_equals_scratch(tmp_path, shop, store, "shop")
        finally:
            store.close()
    finally:
        live.stop()


def test_postgres_missing_then_refusing_connections_loses_no_change(
    tmp_path: Path, shop: Path, dagster_instance: DagsterInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Genuine outages: the database does not exist at start-up (created mid-test), later it
    refuses connections (ALLOW_CONNECTIONS false, its sessions terminated) and comes back."""
    monkeypatch.setattr(watch_mod, "BACKOFF_START_S", 0.02)
    monkeypatch.setattr(watch_mod, "BACKOFF_MAX_S", 0.08)
    admin = postgres.admin()
    name = postgres.new_name("thread_watch")
    url = postgres.database_url(name)
    live = Live(shop, url, dagster_instance)
    try:
        live.thread.start()
        live.wait_for(lambda: sum(1 for r in live.reports if r.error) >= 2, "failed start-up attempts")
        assert not live.ready.is_set(), "not watching before the store is reachable"
        assert [r.attempt for r in live.reports] == list(range(1, len(live.reports) + 1))
        assert all("does not exist" in (r.error or "") for r in live.reports)
        (shop / "app/extra.py").write_text("def extra():\n    return 5\n")  # changed while down
        postgres.create_database(admin, name)
        assert live.ready.wait(SETTLE_S), "ready once the database exists"
        store = open_store(url)
        try:
            live.settle(store, 0)
            assert_equals_scratch(tmp_path, shop, store, "shop")
        finally:
            store.close()

        # down while watching
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        since = len(live.reports)
        (shop / "app/views.py").write_text("def render(order):\n    return 6\n")
        (shop / "cmd/main.go").unlink()
        live.wait_for(lambda: sum(1 for r in live.reports[since:] if r.error) >= 2, "failed attempts while down")
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        store = open_store(url)
        try:
            live.settle(store, len(live.reports))
            assert_equals_scratch(tmp_path, shop, store, "shop")
        finally:
            store.close()
    finally:
        live.stop()
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true') if _exists(admin, name) else None
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _exists(admin: psycopg.Connection[Any], name: str) -> bool:
    return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
