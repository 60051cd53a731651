"""The same indexing against Postgres: the store (psycopg 3) and the Dagster instance
(dagster-postgres, psycopg2). Each test creates its own throwaway database and drops it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import AssetKey, AssetRecordsFilter, DagsterInstance

from resources.store.url import open_store
from thread_assets.drivers.index import index_repository
from thread_assets.orchestration.instance import SQLITE_INSTANCE_YAML

SERVER = "postgres@127.0.0.1:5432"

psycopg = pytest.importorskip("psycopg")


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(f"postgresql://{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"no Postgres server at {SERVER}: {exc}")


@pytest.fixture
def database() -> Iterator[str]:
    name = f"thread_test_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_store(repo: Path, instance: DagsterInstance, database: str, indexed_paths: list[str]) -> None:
    url = f"postgresql://{SERVER}/{database}"
    summary = index_repository(repo, store_url=url, instance=instance)
    assert summary.files == len(indexed_paths) and all(summary.checks.values())
    (repo / "web/util.js").unlink()
    again = index_repository(repo, store_url=url, instance=instance)
    assert again.removed == 1 and again.analysed == 0
    store = open_store(url)
    try:
        assert sorted(store.file_states("shop")) == [p for p in indexed_paths if p != "web/util.js"]
        assert [c["members"] for c in store.cycles(repo="shop")] != []
    finally:
        store.close()


def test_postgres_instance(tmp_path: Path, repo: Path, database: str, indexed_paths: list[str]) -> None:
    home = tmp_path / "dagster_pg"
    home.mkdir()
    template = (Path(__file__).resolve().parents[2] / "deploy" / "dagster-postgres.yaml").read_text()
    assert "postgresql+psycopg2://" in template and "env: DAGSTER_PG_URL" in template
    (home / "dagster.yaml").write_text(
        template.replace("      env: DAGSTER_PG_URL", f"      postgresql+psycopg2://{SERVER}/{database}").replace(
            "    postgres_url:\n      postgresql", "    postgres_url: postgresql"
        )
    )
    assert SQLITE_INSTANCE_YAML not in (home / "dagster.yaml").read_text()
    with DagsterInstance.from_config(str(home)) as instance:
        summary = index_repository(repo, store_url=f"sqlite:///{tmp_path / 'index.db'}", instance=instance)
        assert len(summary.runs) == 1 and summary.analysed == len(indexed_paths)
        assert len(instance.get_dynamic_partitions("files")) == len(indexed_paths)
        record = instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey("parse"), asset_partitions=["tab%09name.py"]), limit=1
        ).records[0]
        assert record.asset_materialization.metadata["language"].value == "python"
