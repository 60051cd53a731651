"""The ``repo_rank`` asset through Dagster: materialized with the graphs by ``thread index``; after an
edit it warm-starts from the stored scores; on an unchanged graph (a forced re-index) it skips."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance

from resources.store.ranks import rank_store
from resources.store.url import open_index
from thread_assets.drivers.index import index_repository
from thread_assets.names import REPO_RANK

FILES = {
    "core/base.py": "class Base:\n    def run(self, x):\n        return helper(x)\n\n\ndef helper(x):\n    return x\n",
    **{
        f"app/m{i}.py": f"from core.base import Base, helper\n\n\nclass Impl{i}(Base):\n"
        f"    def go(self):\n        return helper({i}) + self.run({i})\n"
        for i in range(4)
    },
    "app/lonely.py": "def alone():\n    return 1\n",
}


def metadata(instance: DagsterInstance) -> dict[str, object]:
    event = instance.get_latest_materialization_event(AssetKey(REPO_RANK))
    assert event is not None and event.asset_materialization is not None
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def test_repo_rank_materializes_warm_starts_and_skips(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'index.db'}"
    with DagsterInstance.ephemeral() as instance:
        index_repository(root, store_url=url, instance=instance, repo_name="proj", workers=1)
        first = metadata(instance)
        assert first["skipped"] is False and first["warm_started"] is False
        assert "core/base.py::helper" in str(first["top_symbols"]) and "| # | symbol |" in str(first["top_symbols"])
        with closing(open_index(url)) as store:
            ranks = rank_store(store)
            state = ranks.rank_state("proj")
            assert state is not None and not state.warm and state.nodes > 10
            rows = ranks.map_rows("proj", 1 << 30)
            assert rows[0]["path"] == "core/base.py"  # the base and its helper are what everything uses
            top = max(rows, key=lambda r: r["rank"])
            assert top["path"] == "core/base.py"
            by_id = {r["id"]: r["rank"] for r in rows}
            assert by_id["app/lonely.py::alone"] < min(v for k, v in by_id.items() if k.startswith("core/"))
            for budget in (10, 40, 100):
                chosen = ranks.map_rows("proj", budget)
                assert max((r["cumulative_tokens"] for r in chosen), default=0) <= budget

        (root / "app/lonely.py").write_text("from core.base import helper\n\n\ndef alone():\n    return helper(1)\n")
        index_repository(root, store_url=url, instance=instance, repo_name="proj", workers=1)
        second = metadata(instance)
        assert second["skipped"] is False and second["warm_started"] is True

        index_repository(root, store_url=url, instance=instance, repo_name="proj", workers=1, force=True)
        third = metadata(instance)
        assert third["skipped"] is True and third["iterations"] == 0
        assert third["graph_digest"] == second["graph_digest"]


def test_repo_rank_skips_a_repository_above_the_symbol_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ranking holds the whole graph in memory: above THREAD_MAP_MAX_SYMBOLS nothing is loaded or
    stored, and the metadata says why."""
    root = tmp_path / "proj"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'index.db'}"
    monkeypatch.setenv("THREAD_MAP_MAX_SYMBOLS", "5")
    with DagsterInstance.ephemeral() as instance:
        index_repository(root, store_url=url, instance=instance, repo_name="proj", workers=1)
        skipped = metadata(instance)
        assert skipped["skipped"] is True
        assert "symbols > THREAD_MAP_MAX_SYMBOLS=5" in str(skipped["skipped_reason"])
        with closing(open_index(url)) as store:
            ranks = rank_store(store)
            assert ranks.rank_size("proj") > 5
            assert ranks.rank_state("proj") is None and ranks.map_rows("proj", 1 << 30) == []
