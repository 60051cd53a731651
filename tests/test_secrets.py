"""A Postgres password given in a store URL is kept nowhere and shown nowhere: not in Dagster's run
storage (job snapshots, zlib-compressed), not in what the UI's GraphQL serves, not in any output,
not in an error about a malformed URL (libpq and psycopg echo pieces of it)."""

from __future__ import annotations

import json
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from resources.store import StoreError, mask_password, open_store
from tests.support.postgres import admin, throwaway_database
from thread_assets.cli import main
from thread_assets.drivers.index import index_repository

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("THREAD_STORE_URL", raising=False)
    root = tmp_path / "shop"
    root.mkdir()
    (root / "orders.py").write_text("from util import add\n\ndef total(xs):\n    return add(xs)\n")
    (root / "util.py").write_text("def add(xs):\n    return sum(xs)\n")
    return root


@pytest.fixture
def role_url() -> Iterator[tuple[str, str]]:
    """(URL, the secret part of its password): a real role with a password owning a throwaway
    database. The local server trusts 127.0.0.1, so the password is sent but not checked: enough
    to see where it is kept."""
    secret = uuid.uuid4().hex
    password = f"Tr0ub@dor-{secret}"  # an '@', so the URL carries it percent-encoded
    role = f"thread_secret_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")  # names made here
    try:
        with throwaway_database("thread_secret") as url:
            database = url.rpartition("/")[2]
            with admin() as conn:
                conn.execute(f'ALTER DATABASE "{database}" OWNER TO {role}')
            yield f"postgresql://{role}:{password.replace('@', '%40')}@127.0.0.1:5432/{database}", secret
    finally:
        with admin() as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")


def inflated(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return b""


def texts_of(path: Path) -> Iterator[bytes]:
    """The file's bytes, its zlib-decompressed form, and for a SQLite file every value of every
    table (blobs decompressed when they are zlib streams: Dagster compresses snapshots)."""
    data = path.read_bytes()
    yield data
    yield inflated(data)
    if not data.startswith(b"SQLite format 3\0"):
        return
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, bytes):
                        yield value
                        yield inflated(value)
                    elif isinstance(value, str):
                        yield value.encode()


def test_indexing_into_postgres_keeps_the_password_nowhere(
    repo: Path, role_url: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, secret = role_url
    outputs: list[str] = []
    thread = [sys.executable, "-m", "thread_assets.cli"]
    for args in (
        ["index", str(repo), "--store", url, "--workers", "1"],
        ["index", str(repo), "--store", url, "--json"],
    ):
        done = subprocess.run([*thread, *args], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        outputs += [done.stdout, done.stderr]
    outputs.append(watch_until_ready([*thread, "watch", str(repo), "--store", url]))
    (repo / "util.py").write_text("def add(xs):\n    return sum(xs) + 0\n")
    summary = index_repository(repo, store_url=url, workers=1)  # the Python API, in this process
    assert summary.changed == 1
    outputs.append(json.dumps(summary.__dict__, default=str))
    for args in (["audit", str(repo), "--deep"], ["stats", "--json"], ["find", "add"]):
        code = main([*args, "--store", url])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        outputs += [captured.out, captured.err]

    unwrapped = ["".join(text.split()) for text in outputs]  # rich wraps long lines, a URL too
    assert all(secret not in text for text in outputs + unwrapped)
    dagster_home = repo / ".thread" / "dagster"
    files = [p for p in (repo / ".thread").rglob("*") if p.is_file()]
    assert any(p.name == "runs.db" for p in files) and dagster_home.is_dir()
    snapshots = 0
    for path in files:
        for text in texts_of(path):
            assert secret.encode() not in text, path
            snapshots += b"THREAD_SECRET_STORE_URL_" in text
    assert snapshots, "the job snapshot names the variable that holds the URL"


def watch_until_ready(command: list[str]) -> str:
    """Everything ``thread watch`` prints from its start to its exit on SIGTERM once ready."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while not any(line.startswith("watching") for line in lines):
            assert time.monotonic() < deadline and proc.poll() is None, lines
            if select.select([proc.stdout], [], [], 1.0)[0]:
                lines.append(proc.stdout.readline())
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # read through the text wrappers: readline() may have buffered what follows "watching"
    out, err = proc.stdout.read(), proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 0, err
    return "".join(lines) + out + err


GRAPHQL = """
query Resources($selector: RepositorySelector!) {
  allTopLevelResourceDetailsOrError(repositorySelector: $selector) {
    __typename
    ... on ResourceDetailsList { results { name configuredValues { key value type } } }
  }
}
"""


def test_the_ui_serves_the_variable_name_not_the_url(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``thread ui`` and the daemon load: the code location, from the environment, in a code
    server of its own; asked through the same GraphQL the UI asks."""
    from dagster import DagsterInstance
    from dagster_graphql.test.utils import (
        define_out_of_process_context,
        execute_dagster_graphql,
        infer_repository_selector,
    )

    secret = uuid.uuid4().hex
    monkeypatch.setenv("THREAD_REPO_ROOT", str(repo))
    monkeypatch.setenv("THREAD_STORE_URL", f"postgresql://thread:{secret}@127.0.0.1:5432/thread")
    with tempfile.TemporaryDirectory() as home, DagsterInstance.local_temp(tempdir=home) as instance:
        definitions = str(ROOT / "thread_assets" / "definitions.py")
        with define_out_of_process_context(definitions, "defs", instance) as context:
            result = execute_dagster_graphql(context, GRAPHQL, {"selector": infer_repository_selector(context)})
    answer = json.dumps(result.data)
    assert secret not in answer
    resources = {r["name"]: r for r in result.data["allTopLevelResourceDetailsOrError"]["results"]}
    for name in ("thread_store", "store_io_manager"):
        url = next(v for v in resources[name]["configuredValues"] if v["key"] == "url")
        assert (url["type"], url["value"]) == ("ENV_VAR", "THREAD_STORE_URL")


PIECES = ("Qx7", "Zk9")
"""The two halves of every password below: neither may appear in any message."""


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:Qx7@Zk9@127.0.0.1:5432/db",  # a raw '@': libpq takes Zk9@127.0.0.1 for the host
        "postgresql://u:Qx7/Zk9@127.0.0.1:5432/db",  # a raw '/': libpq takes Qx7 for the port
        "postgresql://u:Qx7%zzZk9@127.0.0.1:5432/db",  # libpq echoes an invalid %-escape whole
        "postgresql://u:Qx7?Zk9@127.0.0.1:1/db",  # a raw '?': the old mask stopped at it
        "postgresql://u:Qx7Zk9@[::1:5432/db",  # libpq echoes the whole URI
        "postgresql://u@[::1:5432/db?password=Qx7Zk9",
        "postgresql://u@127.0.0.1:5432/db?password=Qx7%zzZk9",
    ],
)
def test_a_malformed_url_shows_no_piece_of_its_password(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    masked = mask_password(url)
    assert not any(piece in masked for piece in PIECES), masked
    with pytest.raises(StoreError) as raised:
        open_store(url)
    assert not any(piece in str(raised.value) for piece in PIECES), raised.value
    assert main(["stats", "--store", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("thread: error: ") and err.count("\n") == 1, err
    assert not any(piece in err for piece in PIECES), err


def test_the_thread_ui_environment_still_reaches_the_store(
    repo: Path, role_url: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The code location's resources read ``$THREAD_STORE_URL`` when a run starts: a run of the
    code location (as the daemon launches them) writes through it."""
    from thread_assets.code_location import definitions_from_env

    url, _secret = role_url
    monkeypatch.setenv("THREAD_REPO_ROOT", str(repo))
    monkeypatch.setenv("THREAD_STORE_URL", url)
    job = definitions_from_env().resolve_job_def("thread_graphs")
    assert job.execute_in_process().success
    store = open_store(url, apply_schema=False)
    try:
        assert store.graph_counts(repo.name) is not None
    finally:
        store.close()
