"""What the disk, the file, another process or the server does to a store ends in ONE line,
``thread: error: ...``, exit status 2, never a traceback; ``thread audit --deep`` finds damage that
queries never read. Every failure is provoked for real: pages of a real SQLite index overwritten
with garbage, a write lock held by another connection, a real full file system (a small tmpfs),
a Postgres backend terminated by the server in the middle of a COPY, a D1 (Miniflare) table that
does not match Thread's schema."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
import pytest

from resources.store import sqlite as sqlite_store
from resources.store.d1 import _Stmt
from resources.store.url import open_store
from tests.support.miniflare import LocalD1, MiniflareUnavailable, local_d1
from tests.support.postgres import throwaway_database
from thread_assets.cli import main
from thread_assets.engine import analyze

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Enough symbols for the ``symbols`` table to span well over 40 pages."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("THREAD_STORE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "shop"
    root.mkdir()
    for i in range(30):
        body = "\n".join(f"def func_{i}_{j}(a, b):\n    return helper_{j}(a) + b\n" for j in range(60))
        (root / f"m{i}.py").write_text(body)
    return root


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *expected: str) -> None:
    assert code == 2, err
    assert err.startswith("thread: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err


def index_db(root: Path) -> Path:
    return root / ".thread" / "index.db"


def overwrite_pages(db: Path, pages: Sequence[int]) -> None:
    rnd = random.Random(7)
    with db.open("r+b") as f:
        for page in pages:
            f.seek((page - 1) * 4096)
            f.write(bytes(rnd.randrange(256) for _ in range(4096)))


def symbol_leaf_pages(db: Path, count: int) -> list[int]:
    """``count`` leaf pages of the ``symbols`` table (what a freshness audit never reads)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        try:
            rows = conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'symbols' AND pagetype = 'leaf' ORDER BY pageno"
            ).fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat: the middle of the file
            total = conn.execute("PRAGMA page_count").fetchone()[0]
            rows = [(p,) for p in range(total // 2 - count // 2, total // 2 + count)]
    pages = [r[0] for r in rows]
    assert len(pages) > count
    return pages[len(pages) // 2 - count // 2 :][:count]


# ---- SQLite: a damaged file


def test_damaged_sqlite_index_is_one_line_and_audit_deep_finds_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "index", str(repo), "--workers", "1", "--quiet")[0] == 0
    code, out, _ = cli(capsys, "audit", str(repo), "--deep", "--json")
    assert (code, json.loads(out)["integrity"]) == (0, [])

    overwrite_pages(index_db(repo), symbol_leaf_pages(index_db(repo), 40))
    assert cli(capsys, "audit", str(repo))[0] == 0  # the freshness audit reads no symbol page

    code, out, _ = cli(capsys, "audit", str(repo), "--deep", "--json")
    report = json.loads(out)
    assert code == 1 and report["fresh"] is False
    assert report["integrity"] and all(p.startswith("symbols") for p in report["integrity"]), report
    code, out, _ = cli(capsys, "audit", str(repo), "--deep")
    assert code == 1 and "is damaged" in out and "symbols" in out

    store = f"sqlite:///{index_db(repo)}"
    for command in (["export", "symbols"], ["export", "symbols", "--format", "csv"]):
        code, _, err = cli(capsys, *command, "--store", store)
        assert_one_line_error(code, err, "is damaged", "database disk image is malformed")


def test_a_file_that_is_not_a_database_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "index", str(repo), "--workers", "1", "--quiet")[0] == 0
    with sqlite3.connect(index_db(repo)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    overwrite_pages(index_db(repo), [1])
    (repo / "m15.py").write_text("def changed():\n    pass\n")
    for command in (
        ["stats", "--store", f"sqlite:///{index_db(repo)}"],
        ["audit", str(repo), "--deep"],
        ["index", str(repo), "--workers", "1", "--quiet"],
    ):
        code, _, err = cli(capsys, *command)
        assert_one_line_error(code, err, "is damaged", "file is not a database")


# ---- SQLite: another writer holds the lock


def test_a_store_locked_beyond_the_timeout_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(capsys, "index", str(repo), "--workers", "1", "--quiet")[0] == 0
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 300)
    (repo / "m3.py").write_text("def changed():\n    pass\n")
    holder = sqlite3.connect(index_db(repo), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        code, _, err = cli(capsys, "index", str(repo), "--workers", "1", "--quiet")
        waited = time.monotonic() - started
    finally:
        holder.close()
    assert_one_line_error(code, err, "is locked by another writer", "waited 0.3 s")
    assert waited >= 0.3
    assert cli(capsys, "index", str(repo), "--workers", "1", "--quiet")[0] == 0  # the lock gone, it goes through


# ---- SQLite: the disk is full


def test_a_full_disk_is_one_line_naming_it(tmp_path: Path) -> None:
    """A 600 KB tmpfs in a private mount namespace (``unshare``: no root needed where user
    namespaces are allowed, nothing left mounted when the process ends)."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed: no private tmpfs for a full disk")
    probe = subprocess.run(["unshare", "-Urm", "true"], capture_output=True, text=True, check=False)
    if probe.returncode:
        pytest.skip(f"no user/mount namespace here ({probe.stderr.strip()}): no private tmpfs for a full disk")
    root = tmp_path / "big"
    root.mkdir()
    for i in range(60):
        (root / f"m{i}.py").write_text("\n".join(f"def f_{i}_{j}(a):\n    return g_{j}(a)\n" for j in range(100)))
    small = tmp_path / "small"
    small.mkdir()
    thread = f"{sys.executable} -m thread_assets.cli"
    script = (
        f"mount -t tmpfs -o size=600k tmpfs {small} && "
        f"exec {thread} index {root} --store sqlite:///{small}/index.db --workers 1 --quiet"
    )
    done = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True, check=False, cwd=ROOT, timeout=300
    )
    assert_one_line_error(done.returncode, done.stderr, "database or disk is full", "rolled back")
    assert "cannot rollback" not in done.stderr


# ---- Postgres: the server kills the backend in the middle of a COPY


DIES_MID_COPY = """
import sys
from resources.store import postgres
from tests.support.postgres import admin
from thread_assets.cli import main


class DiesMidway(list):
    \"\"\"Rows that, half-way through being copied, have the server terminate the backend copying them.\"\"\"

    def __init__(self, rows, pid):
        super().__init__(rows)
        self.pid = pid

    def __iter__(self):
        for i, row in enumerate(list.__iter__(self)):
            if i == len(self) // 2:
                with admin() as conn:
                    conn.execute("SELECT pg_terminate_backend(%s, 5000)", (self.pid,))
            yield row


copy = postgres._PgTx.insert


def insert(self, table, rows):
    if table == "symbols" and rows:
        rows = DiesMidway(rows, self.conn.info.backend_pid)
    return copy(self, table, rows)


postgres._PgTx.insert = insert
sys.exit(main(sys.argv[1:]))
"""


def test_postgres_dying_mid_copy_is_one_line_and_nothing_is_kept(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real ``thread`` process (what it prints on stderr, logging included), its COPY cut by
    the server."""
    with throwaway_database("thread_copy") as url:
        args = ["index", str(repo), "--store", url, "--workers", "1", "--quiet"]
        done = subprocess.run(
            [sys.executable, "-c", DIES_MID_COPY, *args], capture_output=True, text=True, cwd=ROOT, timeout=300
        )
        assert_one_line_error(done.returncode, done.stderr, "the write to Postgres at", "rolled back")
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM files").fetchone() == (0,)
        assert cli(capsys, *args)[0] == 0


# ---- D1: SQL errors


@pytest.fixture(scope="module")
def d1() -> Iterator[LocalD1]:
    try:
        with local_d1() as server:
            yield server
    except MiniflareUnavailable as exc:
        pytest.skip(str(exc))


def test_d1_sql_errors_are_one_line(
    d1: LocalD1, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in d1.env.items():
        monkeypatch.setenv(name, value)
    store = d1.store()
    store.apply_schema()
    # a table left by something other than this Thread: the same name, other columns
    store._send([_Stmt("DROP TABLE files", []), _Stmt("CREATE TABLE files (repo TEXT, path TEXT)", [])])
    try:
        code, _, err = cli(capsys, "stats", "--store", d1.d1_url)
        assert_one_line_error(code, err, "D1 refused the statement", "no such column")
        code, _, err = cli(capsys, "index", str(repo), "--store", d1.d1_url, "--workers", "1", "--quiet")
        assert_one_line_error(code, err, "D1 refused the statement", "no such column")
        assert d1.token not in err
    finally:
        store._send([_Stmt("DROP TABLE files", [])])
        store.apply_schema()
        store.close()


# ---- the integrity check of every store, on a healthy one


def test_integrity_check_of_healthy_postgres_with_and_without_amcheck() -> None:
    with throwaway_database("thread_integrity") as url:
        store = open_store(url)
        try:
            store.write_files("r", [analyze(f"m{i}.py", b"def f(a):\n    return g(a)\n") for i in range(50)])
            assert store.integrity_check() == []
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            assert store.integrity_check() == []
        finally:
            store.close()


def test_integrity_check_of_d1(d1: LocalD1) -> None:
    store = d1.store()
    try:
        store.apply_schema()
        assert store.integrity_check() == []
    finally:
        store.close()
