"""Choosing a store by URL: schemes, defaults from the environment, clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources.store import StoreError, default_url, mask_password, open_store
from resources.store.postgres import PostgresStore
from resources.store.sqlite import SqliteStore


def test_sqlite_absolute_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(f"sqlite:///{tmp_path}/abs/index.db")  # tmp_path is absolute: sqlite:////tmp/...
    assert isinstance(store, SqliteStore) and (tmp_path / "abs" / "index.db").is_file()
    store.close()
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///rel/index.db")
    assert (tmp_path / "rel" / "index.db").is_file()
    assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # type: ignore[attr-defined]
    store.close()


def test_default_url_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THREAD_STORE_URL", raising=False)
    monkeypatch.delenv("THREAD_DATA_DIR", raising=False)
    assert default_url() == "sqlite:///./.thread/index.db"
    monkeypatch.setenv("THREAD_DATA_DIR", str(tmp_path / "data"))
    assert default_url() == f"sqlite:///{tmp_path}/data/index.db"
    open_store().close()
    assert (tmp_path / "data" / "index.db").is_file()
    monkeypatch.setenv("THREAD_STORE_URL", "d1://account/db")
    with pytest.raises(StoreError, match=r"^the D1 store is not available yet \(issue 5\)$"):
        open_store()


@pytest.mark.parametrize("url", ["mysql://u@h/db", "file.db", "sqlite://", "http://x"])
def test_unknown_urls_name_the_accepted_schemes(url: str) -> None:
    with pytest.raises(StoreError, match="sqlite:///") as err:
        open_store(url)
    assert "postgresql://" in str(err.value) or "SQLite URL needs a path" in str(err.value)


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
