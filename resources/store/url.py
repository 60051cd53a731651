"""Store URLs: which backend, where, chosen by configuration only.

``sqlite:///relative.db`` and ``sqlite:////abs/path.db`` (SQLAlchemy's convention: the path is
what follows ``sqlite:///``), ``sqlite:///:memory:``; ``postgresql://user[:password]@host:port/db``
(also ``postgres://``, any libpq URI). Without a URL: ``$THREAD_STORE_URL``, else
``sqlite:///<data dir>/index.db`` with the data dir ``$THREAD_DATA_DIR`` or ``./.thread``.
"""

from __future__ import annotations

import os
import re

from .base import Store, StoreError

ACCEPTED = "sqlite:///path.db (sqlite:////abs/path.db), postgresql://user@host:port/db (or postgres://)"
_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:/?#@]*):[^@/?#]*@", re.IGNORECASE)


def mask_password(url: str) -> str:
    """``postgresql://u:secret@h/db`` -> ``postgresql://u:***@h/db`` (also ``password=`` query args)."""
    url = _PASSWORD.sub(r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def default_url() -> str:
    url = os.environ.get("THREAD_STORE_URL")
    if url:
        return url
    data_dir = os.environ.get("THREAD_DATA_DIR") or "./.thread"
    return f"sqlite:///{data_dir.rstrip('/')}/index.db"


def open_store(url: str | None = None, *, apply_schema: bool = True) -> Store:
    """Open (and by default create the tables of) the store a URL names; StoreError otherwise."""
    url = url or default_url()
    scheme = url.split(":", 1)[0].lower() if "://" in url else ""
    masked = mask_password(url)
    store: Store
    if scheme == "sqlite":
        path = url.split("://", 1)[1]
        if not path.startswith("/") or len(path) < 2:
            raise StoreError(f"a SQLite URL needs a path, e.g. sqlite:///index.db, not {masked!r}")
        from .sqlite import SqliteStore

        store = SqliteStore(path[1:], masked)
    elif scheme in ("postgresql", "postgres"):
        from .postgres import PostgresStore

        store = PostgresStore(url, masked)
    elif scheme == "d1":
        raise StoreError("the D1 store is not available yet (issue 5)")
    else:
        raise StoreError(f"unsupported store URL {masked!r}: use {ACCEPTED}")
    if apply_schema:
        store.apply_schema()
    return store
