"""Choosing a store by URL: schemes, defaults from the environment, clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources.store import StoreError, mask_password, open_store
from resources.store.d1 import D1Store
from resources.store.postgres import PostgresStore
from resources.store.sqlite import SqliteStore
from tests.support.miniflare import LocalD1


def test_sqlite_absolute_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(f"sqlite:///{tmp_path}/abs/index.db")  # tmp_path is absolute: sqlite:////tmp/...
    assert isinstance(store, SqliteStore) and (tmp_path / "abs" / "index.db").is_file()
    store.close()
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///rel/index.db")
    assert (tmp_path / "rel" / "index.db").is_file()
    assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # type: ignore[attr-defined]
    store.close()


def test_a_d1_url_without_a_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THREAD_D1_TOKEN", raising=False)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    with pytest.raises(StoreError, match=r"^the D1 store d1://account/db needs an API token: set THREAD_D1_TOKEN"):
        open_store("d1://account/db")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "file.db", "sqlite://", "http://x"])
def test_unknown_urls_name_the_accepted_schemes(url: str) -> None:
    with pytest.raises(StoreError, match="sqlite:///") as err:
        open_store(url)
    assert "postgresql://" in str(err.value) or "SQLite URL needs a path" in str(err.value)
    if "postgresql://" in str(err.value):
        assert "d1://ACCOUNT_ID/DATABASE_ID" in str(err.value)


@pytest.mark.parametrize("url", ["d1://account", "d1://account/db/extra", "d1:///db", "d1://a/b?x=1"])
def test_malformed_d1_urls(url: str) -> None:
    with pytest.raises(StoreError, match=r"^a D1 URL is d1://ACCOUNT_ID/DATABASE_ID, not "):
        open_store(url)


def test_a_d1_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(StoreError) as err:
        open_store("d1://s3cret-token@account/db")
    assert "s3cret" not in str(err.value) and "THREAD_D1_TOKEN" in str(err.value)


def test_d1_url_token_and_api_base_from_the_environment(
    local_d1_server: LocalD1, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("THREAD_D1_TOKEN", raising=False)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", local_d1_server.token)  # the fallback name
    monkeypatch.setenv("THREAD_D1_API_BASE", local_d1_server.rest_base)
    store = open_store(local_d1_server.d1_url)
    assert isinstance(store, D1Store) and store.api_base == local_d1_server.rest_base
    assert store.url == local_d1_server.d1_url and local_d1_server.token not in repr(store)
    assert store.file_states("nobody") == {}  # apply_schema ran
    store.close()
    monkeypatch.setenv("THREAD_D1_TOKEN", "preferred-but-wrong")
    with pytest.raises(StoreError, match="rejected the token"):
        open_store(local_d1_server.d1_url)
    monkeypatch.delenv("THREAD_D1_API_BASE")
    from resources.store.d1 import API_BASE

    assert API_BASE == "https://api.cloudflare.com/client/v4"


def test_unreachable_postgres_is_one_line_without_the_password() -> None:
    with pytest.raises(StoreError) as err:
        open_store("postgresql://thread:s3cret@127.0.0.1:1/nowhere")
    message = str(err.value)
    assert "\n" not in message and "s3cret" not in message
    assert message.startswith("cannot connect to Postgres at postgresql://thread:***@127.0.0.1:1/nowhere: ")


def test_mask_password() -> None:
    assert mask_password("postgres://u:p%40ss@h:5/db") == "postgres://u:***@h:5/db"
    assert (
        mask_password("postgresql://u:pw@h/db?password=x&sslmode=y") == "postgresql://u:***@h/db?password=***&sslmode=y"
    )
    assert mask_password("postgresql://u@h/db") == "postgresql://u@h/db"


def test_postgres_scheme_aliases(pg_url: str) -> None:
    for url in (pg_url, pg_url.replace("postgresql://", "postgres://", 1)):
        store = open_store(url)
        assert isinstance(store, PostgresStore) and store.search_index == "pg_trgm"
        store.close()
