"""Stores on real databases: a SQLite file under tmp_path, a throwaway database on the
Postgres server (``tests/support/postgres.py``), and a real local Cloudflare D1 (Miniflare,
``tests/support/miniflare.py``), each created per test module and dropped
afterwards. Postgres tests skip, saying why, only if the server cannot be reached; D1 tests only if
node/npm are missing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from resources.store import open_store
from resources.store.d1 import D1Store
from resources.store.sqlbase import SqlStore
from tests.support.miniflare import LocalD1, MiniflareUnavailable, local_d1
from tests.support.postgres import throwaway_database


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with throwaway_database() as url:
        yield url


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
