"""Thread's SQLite storages for Dagster (resources/dagster_storage.py) against Dagster's own: the
same range run leaves the same records (planned events, asset records, check executions,
materialized partitions, the run itself), and the batched paths are really taken."""

# No ``from __future__ import annotations``: Dagster inspects the assets' annotations.
from pathlib import Path
from typing import Any

import pytest
from dagster import (
    AssetCheckKey,
    AssetCheckResult,
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    Definitions,
    DynamicPartitionsDefinition,
    EventRecordsFilter,
    asset,
    asset_check,
    define_asset_job,
)

from resources import dagster_storage
from thread_assets.names import RANGE_END_TAG, RANGE_START_TAG
from thread_assets.orchestration.instance import open_instance

PARTS = DynamicPartitionsDefinition(name="items")
KEYS = ["a.py", "b.py", "c.py"]


MID_RUN: dict[str, Any] = {}
"""What the instance says while the run's first step executes: only the planned events wrote it."""


@asset(partitions_def=PARTS, backfill_policy=BackfillPolicy.single_run())
def upstream(context: AssetExecutionContext) -> None:
    instance, run_id = context.instance, context.run.run_id
    (record,) = instance.get_asset_records([AssetKey("downstream")])
    checks = instance.event_log_storage.get_asset_check_execution_history(
        AssetCheckKey(AssetKey("upstream"), "upstream_ok"), limit=10
    )
    MID_RUN["downstream_last_run"] = record.asset_entry.last_run_id == run_id
    MID_RUN["checks"] = [(c.run_id == run_id, c.status.value) for c in checks]


@asset(partitions_def=PARTS, backfill_policy=BackfillPolicy.single_run(), deps=[upstream])
def downstream() -> None:
    return None


@asset_check(asset=upstream)
def upstream_ok() -> AssetCheckResult:
    return AssetCheckResult(passed=True)


JOB = define_asset_job("range_job", selection=[upstream, downstream, upstream_ok])
DEFS = Definitions(assets=[upstream, downstream], asset_checks=[upstream_ok], jobs=[JOB])


def _run(instance: DagsterInstance) -> str:
    instance.add_dynamic_partitions(PARTS.name, KEYS)
    result = DEFS.resolve_job_def("range_job").execute_in_process(
        instance=instance, tags={RANGE_START_TAG: KEYS[0], RANGE_END_TAG: KEYS[-1]}
    )
    assert result.success
    return result.run_id


def _run_and_records(instance: DagsterInstance) -> dict[str, Any]:
    """Two runs (the first makes the assets known, so the second takes the storage's update
    path); the records of the second, mid-run included."""
    _run(instance)
    MID_RUN.clear()
    run_id = _run(instance)
    return {**_records(instance, run_id), "mid_run": dict(MID_RUN), "run_id": run_id}


def _records(instance: DagsterInstance, run_id: str) -> dict[str, Any]:
    planned = sorted(
        (
            e.dagster_event.event_type_value,
            e.dagster_event.asset_key.to_string() if e.dagster_event.asset_key else "",
            e.dagster_event.partition or "",
        )
        for e in instance.all_logs(run_id)
        if e.dagster_event is not None
        and e.dagster_event.event_type
        in (DagsterEventType.ASSET_MATERIALIZATION_PLANNED, DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
    )
    keys = [AssetKey("upstream"), AssetKey("downstream")]
    mirrored = instance.get_event_records(EventRecordsFilter(DagsterEventType.ASSET_MATERIALIZATION_PLANNED))
    checks = instance.event_log_storage.get_asset_check_execution_history(
        AssetCheckKey(AssetKey("upstream"), "upstream_ok"), limit=10
    )
    run = instance.get_run_by_id(run_id)
    return {
        "planned": planned,
        "mirrored_planned": sorted((r.asset_key.to_string(), r.partition_key or "") for r in mirrored),  # type: ignore[union-attr]
        "last_run_ids": [r.asset_entry.last_run_id == run_id for r in instance.get_asset_records(keys)],
        "materialized": {k.to_string(): sorted(instance.get_materialized_partitions(k)) for k in keys},
        "checks": [(c.run_id == run_id, c.status.value) for c in checks],
        "run": run.status if run else None,
    }


@pytest.mark.parametrize("subset_events", [False, True], ids=["planned-per-partition", "planned-subset"])
def test_same_records_as_dagsters_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subset_events: bool) -> None:
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "1000")
    if subset_events:
        monkeypatch.setenv("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    else:
        monkeypatch.delenv("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", raising=False)
    batched: list[int] = []
    original = dagster_storage.BatchingSqliteEventLogStorage._store_planned_batch

    def spy(self: Any, events: Any) -> None:
        batched.append(len(events))
        original(self, events)

    monkeypatch.setattr(dagster_storage.BatchingSqliteEventLogStorage, "_store_planned_batch", spy)

    (tmp_path / "stock").mkdir()
    with DagsterInstance.from_config(str(tmp_path / "stock")) as stock:
        assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
        expected = _run_and_records(stock)
    with open_instance(tmp_path / "thread") as ours:
        assert type(ours.run_storage) is dagster_storage.PooledSqliteRunStorage
        assert type(ours.event_log_storage) is dagster_storage.BatchingSqliteEventLogStorage
        got = _run_and_records(ours)
        run_id = got.pop("run_id")
    expected.pop("run_id")
    # one batch of planned events per run: per asset (x partition unless subset events) plus the check
    assert batched == [len(expected["planned"])] * 2
    assert len(expected["planned"]) == (3 if subset_events else 2 * len(KEYS) + 1)
    assert got == expected
    assert expected["run"] == DagsterRunStatus.SUCCESS
    assert all(expected["last_run_ids"]) and expected["checks"] == [(True, "SUCCEEDED"), (False, "SUCCEEDED")]
    assert expected["mid_run"] == {"downstream_last_run": True, "checks": [(True, "PLANNED"), (False, "SUCCEEDED")]}
    # what the pooled run storage committed is there for another process's instance
    with DagsterInstance.from_config(str(tmp_path / "thread")) as reopened:
        run = reopened.get_run_by_id(run_id)
        assert run is not None and run.status == DagsterRunStatus.SUCCESS


def test_has_table_is_remembered_once_true(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_instance(tmp_path / "thread") as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, dagster_storage.BatchingSqliteEventLogStorage)
        asked: list[str] = []
        parent = dagster_storage.SqliteEventLogStorage.has_table

        def counting(self: Any, name: str) -> bool:
            asked.append(name)
            return parent(self, name)

        monkeypatch.setattr(dagster_storage.SqliteEventLogStorage, "has_table", counting)
        storage._tables.clear()
        assert storage.has_table("asset_event_tags") and storage.has_table("asset_event_tags")
        assert not storage.has_table("no_such_table") and not storage.has_table("no_such_table")
        assert asked == ["asset_event_tags", "no_such_table", "no_such_table"]


@pytest.mark.parametrize("kind", ["sqlite", "in-memory"])
def test_bulk_partition_delete_keeps_the_rest_in_order(tmp_path: Path, kind: str) -> None:
    keys = [f"f{i:04d}.py" for i in range(1203)]  # more than two chunks
    doomed = set(keys[1::3]) | {"f0000.py", "f1202.py", "not-there.py"}
    with open_instance(tmp_path / "i") if kind == "sqlite" else DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("files", keys)
        instance.add_dynamic_partitions("other", ["f0000.py"])
        dagster_storage.delete_dynamic_partitions(instance, "files", sorted(doomed))
        assert list(instance.get_dynamic_partitions("files")) == [k for k in keys if k not in doomed]
        assert list(instance.get_dynamic_partitions("other")) == ["f0000.py"]
        dagster_storage.delete_dynamic_partitions(instance, "files", [])
        assert len(instance.get_dynamic_partitions("files")) == len(keys) - len(doomed) + 1
