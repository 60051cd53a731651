"""Index a real repository through Dagster into a real SQLite store, and check what each layer holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dagster import (
    AssetCheckSeverity,
    AssetKey,
    AssetRecordsFilter,
    AssetSelection,
    DagsterEventType,
    DagsterInstance,
    map_asset_specs,
    materialize,
)
from dagster._core.definitions.data_version import StaleStatus
from dagster._utils.test.data_versions import get_stale_status_resolver

from resources.store.base import TABLES
from resources.store.url import open_store
from thread_assets.drivers.index import index_repository
from thread_assets.names import RANGE_END_TAG, RANGE_START_TAG
from thread_assets.orchestration.assets import build_assets
from thread_assets.orchestration.instance import instance_yaml
from thread_assets.orchestration.resources import build_resources
from thread_assets.repo.partition_keys import encode_key
from thread_assets.repo.settings import RepoSettings
from thread_assets.repo.versions import extraction_code_version

ALL_ASSETS, ALL_CHECKS = build_assets()
parse_quality, index_matches_disk = ALL_CHECKS
VOLATILE = {"run_id", "indexed_at", "parse_time_ms"}


def store_rows(url: str, repo: str) -> dict[str, list[dict[str, Any]]]:
    store = open_store(url)
    try:
        return {
            t: [{k: v for k, v in r.items() if k not in VOLATILE} for r in store.export(t, repo=repo)] for t in TABLES
        }
    finally:
        store.close()


def latest(instance: DagsterInstance, asset: str, partition: str | None = None) -> Any:
    records = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey(asset), asset_partitions=[partition] if partition else None), limit=1
    ).records
    return records[0].asset_materialization if records else None


def test_first_index(repo: Path, instance: DagsterInstance, store_url: str, indexed_paths: list[str]) -> None:
    summary = index_repository(repo, store_url=store_url, instance=instance)

    assert (summary.files, summary.analysed, summary.added, summary.removed) == (
        len(indexed_paths),
        len(indexed_paths),
        len(indexed_paths),
        0,
    )
    assert summary.by_language == {"python": 6, "javascript": 2, "c": 2, "go": 1}
    assert len(summary.runs) == 1  # per-file range, graphs and checks in one run
    assert all(summary.checks.values()) and len(summary.checks) == 4
    store = open_store(store_url)
    try:
        assert sorted(store.file_states("shop")) == indexed_paths
        assert store.find_symbols("tabbed", repo="shop")[0]["path"] == "tab\tname.py"
    finally:
        store.close()
    keys = list(instance.get_dynamic_partitions("files"))
    assert sorted(keys) == sorted(encode_key(p) for p in indexed_paths)
    assert "a%2E%2E%2Eb.py" in keys and "tab%09name.py" in keys and "100%25.py" in keys

    # the per-file run was ONE range run over every partition
    tags = instance.get_run_by_id(summary.runs[0]).tags
    assert (tags[RANGE_START_TAG], tags[RANGE_END_TAG]) == (keys[0], keys[-1])

    # per-partition metadata of a range run, and the explicit code version
    parse = latest(instance, "parse", "tab%09name.py")
    assert parse.metadata["language"].value == "python"
    assert parse.metadata["syntax_errors"].value == 0
    assert len(parse.metadata["content_hash"].value) == 16
    assert parse.tags["dagster/code_version"] == extraction_code_version()
    assert latest(instance, "symbols", "app/models.py").metadata["symbols"].value == 2
    graph = latest(instance, "dependency_graph")
    assert graph.metadata["cycles"].value == 1
    assert graph.metadata["largest_cycle_members"].value == ["app/models.py", "app/views.py"]


def test_reindex_without_changes_starts_no_run(
    repo: Path, instance: DagsterInstance, store_url: str, indexed_paths: list[str]
) -> None:
    index_repository(repo, store_url=store_url, instance=instance)
    again = index_repository(repo, store_url=store_url, instance=instance)
    assert (again.runs, again.analysed, again.unchanged) == ([], 0, len(indexed_paths))


def test_incremental_equals_from_scratch(tmp_path: Path, repo: Path, instance: DagsterInstance, store_url: str) -> None:
    index_repository(repo, store_url=store_url, instance=instance)
    (repo / "app/views.py").write_text("from app import models\n\ndef render(order, fmt):\n    return fmt(order)\n")
    (repo / "lib/ring.c").write_text(
        '#include "ring.h"\nint ring_size(void) { return 8; }\nint other(void) { return 1; }\n'
    )
    (repo / "web/util.js").unlink()
    (repo / "new.rs").write_text("pub fn fresh() -> u8 { 1 }\n")

    summary = index_repository(repo, store_url=store_url, instance=instance)

    assert (summary.analysed, summary.added, summary.changed, summary.removed) == (3, 1, 2, 1)
    assert len(summary.runs) == 1  # per-file range, graphs and checks in one run
    keys = list(instance.get_dynamic_partitions("files"))
    assert "web/util.js" not in keys
    # the scattered changed files were moved behind the new one: one contiguous range run
    tags = instance.get_run_by_id(summary.runs[0]).tags
    assert set(keys[keys.index(tags[RANGE_START_TAG]) : keys.index(tags[RANGE_END_TAG]) + 1]) == {
        "app/views.py",
        "lib/ring.c",
        "new.rs",
    }
    # a moved partition keeps its history
    views = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey("parse"), asset_partitions=["app/views.py"]), limit=10
    ).records
    assert len(views) == 2

    scratch_url = f"sqlite:///{tmp_path / 'scratch.db'}"
    with DagsterInstance.ephemeral() as fresh:
        index_repository(repo, store_url=scratch_url, instance=fresh)
    incremental, scratch = store_rows(store_url, "shop"), store_rows(scratch_url, "shop")
    assert incremental["files"] and incremental == scratch


def test_parse_quality_warns_naming_the_noisy_file(repo: Path, instance: DagsterInstance, store_url: str) -> None:
    (repo / "broken.py").write_text("def f(:\n    )))) ((( ]]] \n  x = = = 1 ;;; @@@ !!\n")
    summary = index_repository(repo, store_url=store_url, instance=instance)
    assert summary.checks["parse:parse_quality"] is False
    assert summary.checks["parse:index_matches_disk"] is True
    evaluation = instance.event_log_storage.get_latest_asset_check_execution_by_key([parse_quality.check_key])[
        parse_quality.check_key
    ].event.dagster_event.event_specific_data
    assert evaluation.severity == AssetCheckSeverity.WARN
    assert "broken.py" in evaluation.description and "a...b.py" not in evaluation.description


def test_index_matches_disk_names_stale_missing_and_unindexed(
    repo: Path, instance: DagsterInstance, store_url: str
) -> None:
    index_repository(repo, store_url=store_url, instance=instance)
    (repo / "app/views.py").write_text("def render(order):\n    return repr(order)\n")
    (repo / "web/util.js").unlink()
    (repo / "extra.go").write_text("package main\n")
    result = materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        instance=instance,
        resources=build_resources(RepoSettings.resolve(repo, store_url=store_url)),
        selection=AssetSelection.checks(index_matches_disk),
    )
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed
    meta = {k: v.value for k, v in evaluation.metadata.items()}
    assert (meta["stale"], meta["missing"], meta["unindexed"]) == (["app/views.py"], ["web/util.js"], ["extra.go"])


def test_changed_code_version_makes_per_file_assets_stale(
    repo: Path, instance: DagsterInstance, store_url: str
) -> None:
    index_repository(repo, store_url=store_url, instance=instance)
    resolver = get_stale_status_resolver(instance, ALL_ASSETS)
    assert resolver.get_status(AssetKey("symbols"), "app/models.py") == StaleStatus.FRESH
    bumped = map_asset_specs(
        lambda spec: spec.replace_attributes(code_version=spec.code_version + "-next") if spec.code_version else spec,
        ALL_ASSETS,
    )
    stale = get_stale_status_resolver(instance, bumped)
    assert stale.get_status(AssetKey("symbols"), "app/models.py") == StaleStatus.STALE
    causes = stale.get_stale_root_causes(AssetKey("symbols"), "app/models.py")
    assert any("code version" in c.reason for c in causes)


def test_persistent_sqlite_instance_under_dagster_home(
    tmp_path: Path, repo: Path, store_url: str, monkeypatch: pytest.MonkeyPatch, indexed_paths: list[str]
) -> None:
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    summary = index_repository(repo, store_url=store_url)
    assert summary.dagster_home == str(home)
    assert (home / "dagster.yaml").read_text() == instance_yaml(home)
    deploy = Path(__file__).resolve().parents[2] / "deploy" / "dagster.yaml"
    assert deploy.read_text() == instance_yaml("/path/to/dagster_home")
    with DagsterInstance.from_config(str(home)) as reopened:
        assert reopened.is_persistent
        # batched event writes: every file's partition of every per-file asset is recorded
        assert type(reopened.event_log_storage).__name__ == "BatchingSqliteEventLogStorage"
        for asset in ("parse", "symbols", "imports", "calls", "pattern_matches"):
            assert len(reopened.get_materialized_partitions(AssetKey(asset))) == len(indexed_paths)
        assert latest(reopened, "call_graph") is not None
        assert len(reopened.get_dynamic_partitions("files")) == len(indexed_paths)
    # a second run's shard is copied from the migrated template, and the template is no run
    (repo / "app" / "views.py").write_text("def render(order):\n    return repr(order)\n")
    again = index_repository(repo, store_url=store_url)
    assert again.changed == 1 and len(again.runs) == 1
    runs_dir = home / "history" / "runs"
    assert (runs_dir / ".run-shard.template").is_file()
    with DagsterInstance.from_config(str(home)) as reopened:
        assert sorted(reopened.event_log_storage.get_all_run_ids()) == sorted(summary.runs + again.runs)
        logs = reopened.all_logs(again.runs[0])
        events = [e.dagster_event.event_type for e in logs if e.dagster_event is not None]
        assert DagsterEventType.RUN_SUCCESS in events
        record = reopened.get_latest_materialization_event(AssetKey("parse"))
        assert record is not None and record.run_id == again.runs[0]


def test_default_store_lives_in_the_repository(repo: Path, instance: DagsterInstance, indexed_paths: list[str]) -> None:
    summary = index_repository(repo, instance=instance)
    assert (repo / ".thread" / "index.db").is_file()
    assert summary.store_url.endswith("/shop/.thread/index.db")
    # the store directory itself is never indexed
    assert summary.files == len(indexed_paths)


def test_progress_reports_every_file(tmp_path: Path, instance: DagsterInstance, store_url: str, make_repo: Any) -> None:
    root = make_repo(tmp_path / "small", {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    seen: list[tuple[str, int, int]] = []
    index_repository(root, store_url=store_url, instance=instance, progress=lambda *e: seen.append(e))
    assert ("analyse", 2, 2) in seen and seen[-1] == ("graphs", 1, 1)


def test_failed_write_leaves_nothing_half_done_and_the_next_index_recovers(
    repo: Path, instance: DagsterInstance, store_url: str, indexed_paths: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The step streams its rows a chunk at a time: a store error after the first chunk must not
    leave that chunk claimed by the store while Dagster records nothing for the step."""
    from resources.store.sqlite import SqliteStore
    from thread_assets.repo import stream

    real_write = SqliteStore.write_files
    calls: list[int] = []

    def write_then_fail(self: SqliteStore, *args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) > 1:
            raise OSError("disk full")
        return real_write(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(stream, "CHUNK_FILES", 2)
        patch.setattr(SqliteStore, "write_files", write_then_fail)
        with pytest.raises(OSError, match="disk full"):
            index_repository(repo, store_url=store_url, instance=instance)
    assert len(calls) == 2  # one chunk was committed before the failure
    store = open_store(store_url)
    try:
        assert store.file_states("shop") == {}
    finally:
        store.close()
    assert latest(instance, "parse", "app/models.py") is None
    assert latest(instance, "symbols", "app/models.py") is None

    summary = index_repository(repo, store_url=store_url, instance=instance)
    assert summary.analysed == len(indexed_paths) and all(summary.checks.values())


def test_one_instance_serves_one_repository(
    tmp_path: Path, repo: Path, store_url: str, make_repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "shared_home"))
    index_repository(repo, store_url=store_url)
    other = make_repo(tmp_path / "other", {"x.py": "X = 1\n"})
    with pytest.raises(RuntimeError, match="already indexes"):
        index_repository(other, store_url=f"sqlite:///{tmp_path / 'other.db'}")
    with DagsterInstance.from_config(str(tmp_path / "shared_home")) as instance:
        assert "x.py" not in instance.get_dynamic_partitions("files")
        assert "app/models.py" in instance.get_dynamic_partitions("files")
