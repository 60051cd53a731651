"""Stores for the graph tests: a SQLite file, and a throwaway database on the Postgres server
(``$THREAD_TEST_POSTGRES_URL``, default the local trust-auth server), dropped afterwards; the
Postgres tests skip, saying why, only when the server cannot be reached (the approach of
``tests/store/conftest.py``)."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from resources.store.sqlbase import SqlStore
from resources.store.url import open_store

SERVER = os.environ.get("THREAD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"Postgres server {SERVER} unreachable: {str(exc).strip().splitlines()[-1]}")


@pytest.fixture(scope="module")
def pg_store() -> Iterator[SqlStore]:
    name = f"thread_graph_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = SERVER.rpartition("/")
    store = open_store(f"{base}/{name}")
    assert isinstance(store, SqlStore)
    try:
        yield store
    finally:
        store.close()
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('graph')}/index.db")
    assert isinstance(store, SqlStore)
    yield store
    store.close()


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def store(request: pytest.FixtureRequest) -> SqlStore:
    return request.getfixturevalue(f"{request.param}_store")
