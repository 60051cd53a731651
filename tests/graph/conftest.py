"""Stores for the graph tests: a SQLite file, and a throwaway database on the Postgres server
(``tests/support/postgres.py``), dropped afterwards; the Postgres tests skip, saying why, only
when the server cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from resources.store.sqlbase import SqlStore
from resources.store.url import open_store
from tests.support.postgres import throwaway_database


@pytest.fixture(scope="module")
def pg_store() -> Iterator[SqlStore]:
    with throwaway_database("thread_graph") as url:
        store = open_store(url)
        assert isinstance(store, SqlStore)
        try:
            yield store
        finally:
            store.close()


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('graph')}/index.db")
    assert isinstance(store, SqlStore)
    yield store
    store.close()


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def store(request: pytest.FixtureRequest) -> SqlStore:
    return request.getfixturevalue(f"{request.param}_store")
