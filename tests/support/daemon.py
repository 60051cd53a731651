"""The daemon's cycle in this process: a sensor tick, then the run it requested, executed the way
the daemon's run worker would. For tests, benchmarks and debugging the sensor without a daemon."""

from __future__ import annotations

from functools import cache
from typing import Any

from dagster import DagsterInstance, SensorDefinition, build_sensor_context

from sensors.file_changes import build_file_change_sensor
from thread_assets.orchestration.jobs import update_jobs
from thread_assets.orchestration.scope import SINGLE, Scope
from thread_assets.orchestration.updater import Updater


@cache
def _sensor(scope: Scope) -> SensorDefinition:
    """Built once per scope, as a code server keeps its definitions loaded."""
    return build_file_change_sensor(scope, update_jobs(scope))


def tick_and_run(
    instance: DagsterInstance, resources: dict[str, object], updater: Updater | None = None, scope: Scope = SINGLE
) -> Any:
    """Evaluate one tick of ``scope``'s file-change sensor, then execute the run it requested.
    Returns the run's result, or None when the tick skipped. Pass an ``Updater`` to reuse its
    resolved jobs (as a code server keeps its definitions loaded)."""
    updater = updater or Updater(instance, resources, scope)
    sensor = _sensor(updater.scope)
    with build_sensor_context(
        instance=instance, instance_ref=instance.get_ref(), resources=resources, definitions=updater.defs
    ) as ctx:
        tick = sensor.evaluate_tick(ctx)
    if not tick.run_requests:
        return None
    ranges = {request.job_name for request in tick.run_requests} == {updater.scope.files_job}
    if len(tick.run_requests) != 1 and not ranges:
        raise AssertionError(f"one run per update (or the range runs of a split one), got {tick.run_requests}")
    result = None
    for request in tick.run_requests:  # a split update's ranges, one after the other
        assert request.job_name is not None
        result = updater.job(request.job_name).execute_in_process(
            instance=instance, partition_key=request.partition_key, tags=request.tags, run_config=request.run_config
        )
    return result
