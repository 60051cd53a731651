"""Several repository roots in one code location (``THREAD_REPO_ROOTS``): each repository has its
own prefixed assets, partitions, jobs and sensor on one Dagster instance, and the sensors drive
each repository's index, in one shared store, to what a from-scratch index of that tree holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus, build_sensor_context

from resources.store.url import open_store
from sensors.file_changes import build_file_change_sensor
from tests.support.daemon import tick_and_run
from tests.support.incremental import dump, scratch_index
from tests.support.shop import write_repo
from thread_assets.code_location import build_definitions, definitions_from_env
from thread_assets.names import REPO_TAG, UPDATE_TAG
from thread_assets.orchestration.instance import open_instance
from thread_assets.orchestration.jobs import update_jobs
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.scope import Scope
from thread_assets.orchestration.updater import Updater
from thread_assets.repo.partition_keys import encode_key
from thread_assets.repo.settings import RepoSettings, SettingsError

SHOP_B = {
    "billing/__init__.py": "",
    "billing/invoice.py": "from billing import tax\n\ndef total(x):\n    return tax.rate(x) + x\n",
    "billing/tax.py": "def rate(x):\n    return x * 0.2\n",
    "ui/app.ts": "export function show(n: number): string { return String(n) }\n",
}


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[DagsterInstance]:
    """A persistent instance (the sensor's tick context needs an instance ref), shared by both roots."""
    with open_instance(tmp_path / "dagster") as inst:
        yield inst


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    return write_repo(tmp_path / "shop"), write_repo(tmp_path / "ledger-2", SHOP_B)


def _update(instance: DagsterInstance, root: Path, store_url: str) -> Any:
    scope = Scope(root.name)
    resources = build_resources(RepoSettings.resolve(root, store_url=store_url), scope)
    return tick_and_run(instance, resources, Updater(instance, resources, scope))


def _definitions(roots: list[Path], **options: Any) -> Any:
    return build_definitions([RepoSettings.resolve(root, **options) for root in roots])


def _assert_equals_scratch(tmp_path: Path, root: Path, store_url: str) -> None:
    oracle = open_store(f"sqlite:///{tmp_path / f'scratch-{root.name}.db'}")
    live = open_store(store_url, apply_schema=False)
    try:
        scratch_index(root, oracle, root.name)
        assert dump(live, root.name) == dump(oracle, root.name)
    finally:
        oracle.close()
        live.close()


def test_each_root_gets_its_own_assets_partitions_jobs_and_sensor(roots: tuple[Path, Path], store_url: str) -> None:
    defs = _definitions(list(roots), store_url=store_url)
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for prefix in ("shop", "ledger_2"):
        assert {f"{prefix}/{a}" for a in ("parse", "symbols", "dependency_graph", "call_graph", "symbol_index")} <= keys
        assert repo.has_job(f"thread_update_{prefix}") and repo.has_job(f"thread_graphs_{prefix}")
        assert repo.has_sensor_def(f"thread_file_changes_{prefix}")
        per_file = repo.asset_graph.get(AssetKey([prefix, "parse"]))
        assert per_file.partitions_def is not None and per_file.partitions_def.name == f"files_{prefix}"
    assert not any("/" not in k for k in keys), "no unprefixed asset in the multi-repository layout"


def test_sensors_index_each_root_and_only_what_changed_in_it(
    roots: tuple[Path, Path], tmp_path: Path, store_url: str, instance: DagsterInstance
) -> None:
    shop, ledger = roots
    first = [_update(instance, root, store_url) for root in roots]
    assert all(r is not None and r.success for r in first)
    for root in roots:
        _assert_equals_scratch(tmp_path, root, store_url)
    shop_keys = instance.get_dynamic_partitions("files_shop")
    ledger_keys = instance.get_dynamic_partitions("files_ledger_2")
    assert encode_key("app/models.py") in shop_keys and encode_key("billing/tax.py") in ledger_keys
    assert not set(shop_keys) & {encode_key(p) for p in SHOP_B}
    runs = {r.run_id: r for r in instance.get_runs()}
    assert {runs[r.run_id].tags[REPO_TAG] for r in first} == {"shop", "ledger-2"}

    # an edit in one repository: its sensor runs one partition, the other's skips
    (ledger / "billing" / "tax.py").write_text("def rate(x):\n    return x * 0.25\n\ndef zero():\n    return 0\n")
    assert _update(instance, shop, store_url) is None
    result = _update(instance, ledger, store_url)
    assert result is not None and result.success
    run = instance.get_run_by_id(result.run_id)
    assert run is not None and run.job_name == "thread_update_ledger_2"
    assert run.tags.get("dagster/partition") == encode_key("billing/tax.py")
    for root in roots:
        _assert_equals_scratch(tmp_path, root, store_url)
    # the materialization landed on the ledger's asset, the shop's history is untouched
    latest = instance.get_latest_materialization_event(AssetKey(["ledger_2", "parse"]))
    assert latest is not None and latest.run_id == result.run_id
    shop_latest = instance.get_latest_materialization_event(AssetKey(["shop", "parse"]))
    assert shop_latest is not None and shop_latest.run_id == first[0].run_id


def test_a_run_in_flight_holds_back_its_own_repository_only(
    roots: tuple[Path, Path], store_url: str, instance: DagsterInstance
) -> None:
    shop, ledger = roots
    shop_scope = Scope("shop")
    resources = build_resources(RepoSettings.resolve(shop, store_url=store_url), shop_scope)
    updater = Updater(instance, resources, shop_scope)
    job = updater.job("thread_graphs_shop")
    instance.create_run_for_job(job, tags={UPDATE_TAG: "sensor", REPO_TAG: "shop"}, status=DagsterRunStatus.STARTED)
    with build_sensor_context(
        instance=instance, instance_ref=instance.get_ref(), resources=resources, definitions=updater.defs
    ) as ctx:
        skipped = build_file_change_sensor(shop_scope, update_jobs(shop_scope)).evaluate_tick(ctx)
    assert not skipped.run_requests and "in flight" in (skipped.skip_message or "")
    result = _update(instance, ledger, store_url)
    assert result is not None and result.success


def test_roots_from_the_environment(roots: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, store_url: str) -> None:
    monkeypatch.setenv("THREAD_REPO_ROOTS", f"{roots[0]}:{roots[1]}")
    monkeypatch.setenv("THREAD_STORE_URL", store_url)
    monkeypatch.delenv("THREAD_REPO_ROOT", raising=False)
    monkeypatch.delenv("THREAD_REPO_NAME", raising=False)
    repo = definitions_from_env().get_repository_def()
    assert {s.name for s in repo.sensor_defs} == {"thread_file_changes_shop", "thread_file_changes_ledger_2"}
    monkeypatch.setenv("THREAD_REPO_ROOT", str(roots[0]))
    with pytest.raises(SettingsError, match="not both"):
        definitions_from_env()


def test_a_shared_cache_directory_gets_one_subdirectory_per_root(roots: tuple[Path, Path], tmp_path: Path) -> None:
    defs = _definitions(list(roots), cache_dir=str(tmp_path / "cache"))
    resources = dict(defs.resources or {})
    assert resources["thread_repo_shop"].cache_path == tmp_path / "cache" / "shop"  # type: ignore[attr-defined]
    assert resources["thread_repo_ledger_2"].cache_path == tmp_path / "cache" / "ledger_2"  # type: ignore[attr-defined]


def test_clear_errors_for_bad_roots(tmp_path: Path, roots: tuple[Path, Path]) -> None:
    twin = write_repo(tmp_path / "other" / "shop", SHOP_B)
    with pytest.raises(ValueError, match="share the name 'shop'"):
        _definitions([roots[0], twin])
    with pytest.raises(ValueError, match="is not a directory"):
        _definitions([roots[0], tmp_path / "missing"])
    with pytest.raises(ValueError, match="no repository root"):
        _definitions([])


def test_the_sensor_is_given_its_own_jobs() -> None:
    shop, ledger = Scope("shop"), Scope("ledger")
    assert build_file_change_sensor(shop, update_jobs(shop)).name == "thread_file_changes_shop"
    with pytest.raises(ValueError, match="needs the jobs"):
        build_file_change_sensor(shop, update_jobs(ledger))
