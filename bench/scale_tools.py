"""The two tools bench/scale.py compares, each run from the shell as a user would run it.

Thread: ``thread index COPY --quiet --json`` with nothing of the caller's Thread or Dagster
configuration in the environment, so each copy gets an empty store (``COPY/.thread/index.db``),
a fresh Dagster instance (``COPY/.thread/dagster``) and an empty analysis cache. Its rows are
counted in the store's data tables (resources.store.base.TABLES).

CocoIndex: bench/coco_flow.py under the interpreter of its own venv (bench/coco_venv.py), into a
Postgres database made for the session and dropped after it, with its state (``COCOINDEX_DB``)
in a temporary directory. Its rows are those of the flow's three tables.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Protocol

from bench.coco_venv import cocoindex_python
from bench.scale_measure import Measured, run_measured

PG_ADMIN = os.environ.get("THREAD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
COCO_TABLES = ("coco_files", "coco_chunks", "coco_symbols")
FLOW = Path(__file__).resolve().parent / "coco_flow.py"


class Session(Protocol):
    """One tool on one copy: ``run`` indexes or updates it, ``rows`` counts what it holds."""

    def run(self) -> Measured: ...

    def rows(self) -> dict[str, int]: ...

    def store_mb(self) -> float: ...

    def state_mb(self) -> float: ...

    def analysed(self) -> int | None: ...


def clean_env() -> dict[str, str]:
    """The caller's environment without what would point a tool at another store or instance."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("THREAD_", "DAGSTER_", "COCOINDEX_"))}


def _checked(m: Measured, what: str) -> Measured:
    if m.returncode != 0:
        raise RuntimeError(f"{what} exited {m.returncode}: {(m.stderr or m.stdout).strip()[-3000:]}")
    return m


def _du_mb(root: Path) -> float:
    """Bytes of the files under ``root`` (what they hold, not the blocks they take), in MB."""
    files = (Path(d) / f for d, _dirs, names in os.walk(root) for f in names)
    return sum(p.stat().st_size for p in files if not p.is_symlink()) / 2**20


class ThreadSession:
    def __init__(self, copy: Path, workers: int | None) -> None:
        self.copy = copy
        exe = Path(sys.executable).with_name("thread")
        self.cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "thread_assets.cli"]
        self.cmd += ["index", str(copy), "--quiet", "--json"]
        if workers is not None:
            self.cmd += ["--workers", str(workers)]
        self.last: dict[str, object] = {}

    def run(self) -> Measured:
        m = _checked(run_measured(self.cmd, cwd=self.copy, env=clean_env()), "thread index")
        self.last = json.loads(m.stdout)
        return m

    def rows(self) -> dict[str, int]:
        from resources.store.base import TABLES

        uri = (self.copy / ".thread" / "index.db").as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}

    def store_mb(self) -> float:
        """The index on disk: the SQLite database with its write-ahead log."""
        db = self.copy / ".thread" / "index.db"
        parts = [db, db.with_name("index.db-wal"), db.with_name("index.db-shm")]
        return sum(p.stat().st_size for p in parts if p.exists()) / 2**20

    def state_mb(self) -> float:
        """Everything else Thread keeps: Dagster's instance (runs, events) and the analysis cache."""
        return _du_mb(self.copy / ".thread") - self.store_mb()

    def analysed(self) -> int | None:
        """Files the last run analysed (its own report): 0 when nothing changed, the edited ones after edits."""
        n = self.last.get("analysed")
        return n if isinstance(n, int) else None


class CocoSession:
    def __init__(self, copy: Path, python: Path, db_url: str, state: Path) -> None:
        self.copy, self.db_url, self.state = copy, db_url, state
        self.cmd = [str(python), str(FLOW), str(copy), db_url]
        self.env = {**clean_env(), "COCOINDEX_DB": str(state), "COCOINDEX_DISABLE_USAGE_TRACKING": "true"}

    def run(self) -> Measured:
        return _checked(run_measured(self.cmd, cwd=self.copy, env=self.env), "cocoindex flow")

    def rows(self) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.db_url) as conn:
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in COCO_TABLES}  # type: ignore[index]

    def store_mb(self) -> float:
        """The Postgres database's size (an empty database's few MB included)."""
        import psycopg

        with psycopg.connect(self.db_url) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(size[0]) / 2**20 if size else 0.0

    def state_mb(self) -> float:
        """CocoIndex's own state (LMDB): what it memoised and which rows it declared."""
        return _du_mb(self.state) if self.state.exists() else 0.0

    def analysed(self) -> int | None:
        return None  # the flow's update reports no such count


@contextmanager
def thread_session(copy: Path, workers: int | None = None) -> Iterator[Session]:
    yield ThreadSession(copy, workers)


@contextmanager
def coco_session(copy: Path) -> Iterator[Session]:
    """A database and a state directory of its own, both removed afterwards, whatever happens."""
    import psycopg

    python = cocoindex_python()
    name = f"thread_scale_coco_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name made here, not input
    state = Path(tempfile.mkdtemp(prefix="thread_scale_coco_state_"))
    base = PG_ADMIN.rsplit("/", 1)[0]
    try:
        yield CocoSession(copy, python, f"{base}/{name}", state / "db")
    finally:
        shutil.rmtree(state, ignore_errors=True)
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
