"""Store URLs: which backend, where, chosen by configuration only.

``sqlite:///relative.db`` and ``sqlite:////abs/path.db`` (SQLAlchemy's convention: the path is
what follows ``sqlite:///``), ``sqlite:///:memory:``; ``postgresql://user[:password]@host:port/db``
(also ``postgres://``, any libpq URI); ``d1://ACCOUNT_ID/DATABASE_ID`` (Cloudflare D1 over its REST
API: the token from ``$THREAD_D1_TOKEN`` or ``$CLOUDFLARE_API_TOKEN``, the API base from
``$THREAD_D1_API_BASE``, default ``https://api.cloudflare.com/client/v4``). Which URL a command
uses (flag, ``$THREAD_STORE_URL``, default) is decided once, in ``thread_assets.repo.settings``.
"""

from __future__ import annotations

import os
import re

from .base import Store, StoreError
from .masking import mask_password
from .masking import scrub as scrub  # re-exported: callers outside the store scrub messages too

ACCEPTED = (
    "sqlite:///path.db (sqlite:////abs/path.db), postgresql://user@host:port/db (or postgres://),"
    " d1://ACCOUNT_ID/DATABASE_ID"
)
_D1 = re.compile(r"^d1://([^/@:?#]+)/([^/@:?#]+)/?$", re.IGNORECASE)
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check_postgres_url(url: str) -> None:
    """Refuse, in one line that shows no part of it, a password libpq would split: its URI parser
    ends the user information at the first ``@`` or ``/``, so a raw ``@`` or ``/`` in the
    password turns the rest of it into a host, port or database name that its messages (and
    psycopg's) then echo; a ``%`` not followed by two hex digits is echoed whole."""
    rest = url.split("://", 1)[1]
    at, slash = rest.find("@"), rest.find("/")
    userinfo_ends = at if at != -1 and (slash == -1 or at < slash) else -1
    if rest.count("@") > (1 if userinfo_ends != -1 else 0):
        raise StoreError(
            f"the store URL {mask_password(url)} has an '@' or '/' in its password (or an '@' elsewhere):"
            " percent-encode them in the URL (@ as %40, / as %2F)"
        )
    passwords = [rest[:userinfo_ends]] if userinfo_ends != -1 and ":" in rest[:userinfo_ends] else []
    passwords += re.findall(r"(?i)password=([^&]*)", rest)
    if any(_ESCAPE.search(p) for p in passwords):
        raise StoreError(
            f"the password in the store URL {mask_password(url)} has a '%' that does not start a"
            " percent-escape: write % as %25"
        )


def open_store(url: str, *, apply_schema: bool = True) -> Store:
    """Open (and by default create the tables of) the store a URL names; StoreError otherwise."""
    scheme = url.split(":", 1)[0].lower() if "://" in url else ""
    masked = mask_password(url)
    store: Store
    if scheme == "sqlite":
        path = url.split("://", 1)[1]
        if not path.startswith("/") or len(path) < 2:
            raise StoreError(f"a SQLite URL needs a path, e.g. sqlite:///index.db, not {masked!r}")
        if not apply_schema and path[1:] != ":memory:" and not os.path.exists(path[1:]):
            # a reader (query commands, thread serve) never creates an empty database by mistake
            raise StoreError(f"no index at {masked}: run `thread index` first, or pass --store / set THREAD_STORE_URL")
        from .sqlite import SqliteStore

        store = SqliteStore(path[1:], masked)
    elif scheme in ("postgresql", "postgres"):
        from .postgres import PostgresStore

        check_postgres_url(url)
        store = PostgresStore(url, masked)
    elif scheme == "d1":
        store = _d1(url)
    else:
        raise StoreError(f"unsupported store URL {masked!r}: use {ACCEPTED}")
    if apply_schema:
        store.apply_schema()
    return store


def open_index(url: str) -> Store:
    """Open an existing index for reading (the query commands, ``thread serve``): nothing is
    created, and a database without Thread's tables is a StoreError naming it, not an empty answer."""
    store = open_store(url, apply_schema=False)
    try:
        ready = store.has_index()
    except BaseException:
        store.close()
        raise
    if not ready:
        store.close()
        raise StoreError(
            f"{store.url} holds no Thread index: build one with `thread index PATH` using this store"
            " (--store or THREAD_STORE_URL), or point --store at an existing index"
        )
    return store


def _d1(url: str) -> Store:
    if "@" in url.split("?", 1)[0]:
        # never echo it: what is before the @ may be a token
        raise StoreError("a D1 URL carries no credentials: use d1://ACCOUNT_ID/DATABASE_ID and $THREAD_D1_TOKEN")
    m = _D1.match(url)
    if not m:
        raise StoreError(f"a D1 URL is d1://ACCOUNT_ID/DATABASE_ID, not {url!r}")
    from .d1 import API_BASE, D1Store

    token = os.environ.get("THREAD_D1_TOKEN") or os.environ.get("CLOUDFLARE_API_TOKEN") or ""
    return D1Store(m[1], m[2], token, api_base=os.environ.get("THREAD_D1_API_BASE") or API_BASE)
