"""The same indexing against Postgres: the store (psycopg 3) and the Dagster instance
(dagster-postgres, psycopg2). Each test creates its own throwaway database and drops it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import AssetKey, AssetRecordsFilter, DagsterInstance

from resources.store.url import open_store
from tests.support.postgres import throwaway_database
from thread_assets.drivers.index import index_repository
from thread_assets.orchestration.instance import SQLITE_INSTANCE_YAML


@pytest.fixture
def database() -> Iterator[str]:
    """A throwaway database's URL."""
    with throwaway_database() as url:
        yield url


def test_postgres_store(repo: Path, instance: DagsterInstance, database: str, indexed_paths: list[str]) -> None:
    url = database
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
    psycopg2_url = database.replace("postgresql://", "postgresql+psycopg2://", 1)
    (home / "dagster.yaml").write_text(
        template.replace("      env: DAGSTER_PG_URL", f"      {psycopg2_url}").replace(
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
