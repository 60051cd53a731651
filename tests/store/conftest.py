"""Stores on real databases: a SQLite file under tmp_path, a throwaway database on the
Postgres server (``$THREAD_TEST_POSTGRES_URL``, default the local trust-auth server), and a real
local Cloudflare D1 (Miniflare, ``tests/miniflare.py``), each created per test module and dropped
afterwards. Postgres tests skip, saying why, only if the server cannot be reached; D1 tests only if
node/npm are missing."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from miniflare import LocalD1, MiniflareUnavailable, local_d1

from resources.store import open_store
from resources.store.d1 import D1Store
from resources.store.sqlbase import SqlStore

SERVER = os.environ.get("THREAD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"Postgres server {SERVER} unreachable: {str(exc).strip().splitlines()[-1]}")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    name = f"thread_test_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = SERVER.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg_store(pg_url: str) -> Iterator[SqlStore]:
    store = open_store(pg_url)
    assert isinstance(store, SqlStore)
    yield store
    store.close()


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('store')}/index.db")
    assert isinstance(store, SqlStore)
    yield store
    store.close()


@pytest.fixture(scope="module")
def local_d1_server() -> Iterator[LocalD1]:
    """One Miniflare (one empty D1 database) per test module."""
    try:
        with local_d1() as d1:
            yield d1
    except MiniflareUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def d1_store(local_d1_server: LocalD1) -> Iterator[D1Store]:
    store = local_d1_server.store()
    store.apply_schema()
    yield store
    store.close()


@pytest.fixture(scope="module", params=["sqlite", "pg", "d1"])
def store(request: pytest.FixtureRequest) -> SqlStore:
    """Each test that takes ``store`` runs once per backend."""
    return request.getfixturevalue(f"{request.param}_store")
