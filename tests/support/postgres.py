"""Throwaway databases on the real Postgres server (``$THREAD_TEST_POSTGRES_URL``, default the
local trust-auth server): each made under a unique name, dropped (sessions and all) afterwards.
When the server cannot be reached, the test skips and says why; elsewhere the skip propagates
as an error (a benchmark script fails).

    with throwaway_database("thread_graph") as url:   # postgresql://.../thread_graph_<hex>
        store = open_store(url)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

SERVER = os.environ.get("THREAD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
"""The maintenance database's URL; a throwaway database's URL is this with the last segment replaced."""


def admin() -> psycopg.Connection[Any]:
    """An autocommit connection to the server's maintenance database; skips when the server is unreachable."""
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"Postgres server {SERVER} unreachable: {str(exc).strip().splitlines()[-1]}")


def new_name(prefix: str = "thread_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def database_url(name: str) -> str:
    return f"{SERVER.rpartition('/')[0]}/{name}"


def create_database(conn: psycopg.Connection[Any], name: str) -> None:
    """Create ``name`` over ``conn`` (an :func:`admin` connection): for a test whose database appears mid-test."""
    conn.execute(f'CREATE DATABASE "{name}"')  # a name made here, not from input


def drop_database(name: str) -> None:
    """Drop ``name`` if it exists, terminating its sessions (no skip: a failure here is an error)."""
    with psycopg.connect(SERVER, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # a name made here, not from input


@contextmanager
def throwaway_database(prefix: str = "thread_test") -> Iterator[str]:
    """A new empty database; yields its URL, drops it on exit."""
    name = new_name(prefix)
    with admin() as conn:
        create_database(conn, name)
    try:
        yield database_url(name)
    finally:
        drop_database(name)
