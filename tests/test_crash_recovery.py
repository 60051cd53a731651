"""An update killed at any phase leaves an index that the next update repairs, and that ``thread
audit`` calls stale until then.

``thread index`` runs in a subprocess with ``THREAD_TEST_KILL_AT=<phase>`` (``resources/store/
faults.py``), which SIGKILLs it there: after the per-file commit, before and inside the graph
commit, after the removals. Then: ``thread audit`` exits 1 naming stale graphs; the next ``thread
index`` runs the graph step even with nothing to analyse; the index equals a from-scratch index of
the final tree row for row (``tests/support/incremental.py``) and ``audit`` agrees. On SQLite
for every phase, on Postgres (a throwaway database) for the commits either side of the crash, and
on a private Postgres cluster stopped with ``pg_ctl stop -m immediate`` between the two commits.
The prepare and watch paths get the same answer from the store without a crash of their own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance

from resources.store.base import GRAPH_TABLES
from resources.store.faults import KILL_ENV, PAUSE_ENV, PAUSE_FILE_ENV
from resources.store.url import open_store
from tests.support.incremental import dump, scratch_index
from tests.support.postgres import throwaway_database
from tests.support.shop import write_repo
from thread_assets.engine import analyze
from thread_assets.engine.graph.incremental import update_graph
from thread_assets.orchestration.graphs import config_reader
from thread_assets.orchestration.scope import SINGLE
from thread_assets.orchestration.updater import prepare_update
from thread_assets.repo.changes import ChangeSet

PROJECT = Path(__file__).resolve().parents[1]
REPO = "shop"
PHASES = ("after_files_commit", "before_graph_commit", "in_graph_commit", "after_removals")
"""Every phase leaves per-file rows newer than the graphs; ``after_removals`` dies before the
changed files are analysed (so audit also finds them stale), the others after."""


def thread(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The ``thread`` CLI in a process of its own, as a user runs it (nothing inherited that
    would point it elsewhere)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DAGSTER_HOME", "THREAD_STORE_URL", "THREAD_REPO_ROOTS", "THREAD_REPO_NAME", KILL_ENV, PAUSE_ENV)
    }
    return subprocess.run(
        [sys.executable, "-m", "thread_assets.cli", *args],
        cwd=PROJECT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def index(root: Path, *store: str, **env: str) -> subprocess.CompletedProcess[str]:
    return thread("index", str(root), "--json", "--workers", "1", *store, **env)


def edit(root: Path) -> None:
    """A change of every kind: a file changed (its import of models dropped: the cycle goes), one
    added and imported, one removed (web/index.js's import of it no longer resolves)."""
    (root / "app" / "views.py").write_text("from app import extra\n\ndef render(order):\n    return extra.fmt(order)\n")
    (root / "app" / "extra.py").write_text("def fmt(order):\n    return str(order)\n")
    (root / "web" / "util.js").unlink()


def scratch(root: Path, tmp: Path) -> dict[str, list[dict[str, Any]]]:
    store = open_store(f"sqlite:///{tmp}/scratch-{uuid.uuid4().hex[:8]}.db")
    try:
        scratch_index(root, store, REPO)
        return dump(store, REPO)
    finally:
        store.close()


def stored(url: str) -> dict[str, list[dict[str, Any]]]:
    store = open_store(url, apply_schema=False)
    try:
        return dump(store, REPO)
    finally:
        store.close()


def audit(root: Path, *store: str) -> tuple[int, dict[str, Any]]:
    done = thread("audit", str(root), "--json", *store)
    return done.returncode, json.loads(done.stdout)


def graphs(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {t: tables[t] for t in GRAPH_TABLES}


def crash_and_recover(root: Path, tmp: Path, store_url: str, phase: str) -> None:
    """The whole story for one phase (the repository indexed once already)."""
    store = ("--store", store_url)
    edit(root)
    killed = index(root, *store, **{KILL_ENV: phase})
    assert killed.returncode == -signal.SIGKILL, f"not killed at {phase}: {killed.returncode} {killed.stderr}"
    expected = scratch(root, tmp)
    assert graphs(stored(store_url)) != graphs(expected), f"{phase}: the graphs were not left behind"

    code, report = audit(root, *store)
    assert (code, report["graphs_stale"], report["fresh"]) == (1, True, False), report
    if phase == "after_removals":  # the changed and added files were never analysed
        assert (report["stale"], report["unindexed"]) == (["app/views.py"], ["app/extra.py"])
    else:
        assert (report["stale"], report["missing"], report["unindexed"]) == ([], [], [])

    repaired = index(root, *store)
    assert repaired.returncode == 0, repaired.stderr
    assert json.loads(repaired.stdout)["analysed"] == (2 if phase == "after_removals" else 0)
    assert stored(store_url) == expected
    code, report = audit(root, *store)
    assert (code, report["graphs_stale"], report["fresh"]) == (0, False, True), report


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = write_repo(tmp_path / REPO)
    first = index(root)
    assert first.returncode == 0, first.stderr
    return root


@pytest.mark.parametrize("phase", PHASES)
def test_sqlite_index_killed_at_each_phase_is_repaired_by_the_next_index(
    shop: Path, tmp_path: Path, phase: str
) -> None:
    crash_and_recover(shop, tmp_path, f"sqlite:///{shop}/.thread/index.db", phase)


def test_audit_says_in_words_that_the_graphs_are_stale(shop: Path) -> None:
    edit(shop)
    assert index(shop, **{KILL_ENV: "after_files_commit"}).returncode == -signal.SIGKILL
    done = thread("audit", str(shop))
    assert done.returncode == 1
    assert "graphs stale" in done.stdout and "run `thread index`" in done.stdout, done.stdout


@pytest.mark.parametrize("phase", ["after_files_commit", "in_graph_commit"])
def test_postgres_index_killed_is_repaired_by_the_next_index(tmp_path: Path, phase: str) -> None:
    root = write_repo(tmp_path / REPO)
    with throwaway_database("thread_crash") as url:
        first = index(root, "--store", url)
        assert first.returncode == 0, first.stderr
        crash_and_recover(root, tmp_path, url, phase)


# ---- the same answer on the other update paths


def _analyses(sources: dict[str, bytes]) -> list[Any]:
    return [analyze(path, text) for path, text in sources.items()]


def test_prepare_update_runs_the_graphs_when_the_store_says_so(tmp_path: Path) -> None:
    """The decision the sensor and every in-process update share: nothing to analyse, the
    instance content, but the store's graphs behind its files: a graphs run."""
    store = open_store(f"sqlite:///{tmp_path}/index.db")
    instance = DagsterInstance.ephemeral()
    try:
        store.write_files(REPO, _analyses({"a.py": b"import b\n", "b.py": b"X = 1\n"}))
        _plan, request = prepare_update(instance, store, REPO, ChangeSet(), origin="sensor")
        assert request is not None and request.job_name == SINGLE.graphs_job
        update_graph(store, REPO, config_reader(tmp_path))
        assert prepare_update(instance, store, REPO, ChangeSet(), origin="sensor")[1] is None
    finally:
        store.close()
        instance.dispose()


def test_watch_runs_the_graphs_when_the_store_says_so(shop: Path) -> None:
    """A watcher whose instance's last run succeeded and that finds no file changed still runs
    the graph step when the store's graphs are behind (another process died between the commits)."""
    from thread_assets.drivers.watch import Watcher
    from thread_assets.orchestration.instance import open_instance

    url = f"sqlite:///{shop}/.thread/index.db"
    store = open_store(url)
    try:
        same = [a for a in store.load_analyses(REPO) if a.path == "app/views.py"]
        store.write_files(REPO, same)  # the same rows again: no file differs from the disk
        assert store.graphs_behind(REPO)
    finally:
        store.close()
    with open_instance(shop / ".thread" / "dagster") as instance:
        watcher = Watcher(shop, instance=instance, store_url=url, workers=1)
        report = watcher.flush()
        watcher._drop_store()
    assert report is not None and report.error is None, report
    assert report.outcome is not None and report.outcome.request is not None
    assert report.outcome.request.job_name == SINGLE.graphs_job
    store = open_store(url)
    try:
        assert not store.graphs_behind(REPO)
    finally:
        store.close()


# ---- Postgres itself stopped (-m immediate) between the per-file and the graph commit


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql")
    return found[-1].parent


def _as_owner(argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a server binary as the postgres user when this is root (initdb and postgres refuse root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=120, check=check)


class Cluster:
    """A private PostgreSQL cluster on a free port, so that a test may stop it the hard way."""

    def __init__(self, bindir: Path, data: Path, port: int) -> None:
        self.bindir, self.data, self.port = bindir, data, port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def pg_ctl(self, *args: str, check: bool = True) -> None:
        _as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args], check=check)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-o", options, "-l", str(self.data / "log"), "-w", "start")

    def stop(self, mode: str) -> None:
        self.pg_ctl("-m", mode, "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bindir = _pg_bin()
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb refuses root")
    base = Path(tempfile.mkdtemp(prefix="thread-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        c = Cluster(bindir, base / "data", _free_port())
        _as_owner([str(bindir / "initdb"), "-D", str(c.data), "-A", "trust", "-U", "postgres", "--no-sync"])
        c.start()
        try:
            yield c
        finally:
            c.pg_ctl("-m", "immediate", "stop", check=False)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_postgres_stopped_immediately_between_the_commits(tmp_path: Path, cluster: Cluster) -> None:
    root = write_repo(tmp_path / REPO)
    store = ("--store", cluster.url)
    assert index(root, *store).returncode == 0
    edit(root)
    flag = Path(tempfile.mkdtemp(prefix="thread-pause-")) / "paused"
    env = {**os.environ, PAUSE_ENV: "after_files_commit", PAUSE_FILE_ENV: str(flag)}
    for name in ("DAGSTER_HOME", "THREAD_STORE_URL", "THREAD_REPO_ROOTS", "THREAD_REPO_NAME", KILL_ENV):
        env.pop(name, None)
    update = subprocess.Popen(
        [sys.executable, "-m", "thread_assets.cli", "index", str(root), "--json", "--workers", "1", *store],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert update.poll() is None, update.communicate()
            assert time.monotonic() < deadline, "the update never reached the per-file commit"
            time.sleep(0.05)
        cluster.stop("immediate")
        flag.unlink()
        _out, err = update.communicate(timeout=300)
    finally:
        if update.poll() is None:
            update.kill()
        shutil.rmtree(flag.parent, ignore_errors=True)
    # one line, the server named (a new connection is refused, or the open one is cut mid-read)
    server = cluster.url.partition("@")[2].partition("/")[0]
    assert update.returncode == 2 and "Postgres" in err and server in err, err
    assert len(err.strip().splitlines()) == 1, err

    cluster.start()
    code, report = audit(root, *store)
    assert (code, report["graphs_stale"]) == (1, True), report
    repaired = index(root, *store)
    assert repaired.returncode == 0, repaired.stderr
    assert json.loads(repaired.stdout)["analysed"] == 0
    assert stored(cluster.url) == scratch(root, tmp_path)
    code, report = audit(root, *store)
    assert (code, report["fresh"]) == (0, True), report
