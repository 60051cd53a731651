"""The jobs an update runs, per repository: the per-file range plus the graphs and checks
(``thread_update``); the graphs and checks alone (``thread_graphs``), after removals or to end a
split update; and one partition range of a split update, the per-file assets alone
(``thread_files``). An update of more files than the run size is several ``thread_files`` runs
then one ``thread_graphs`` run, so no run holds more than the run size of files in memory.

In-process executor: under the daemon the run worker executes every step itself (the default
multiprocess executor starts a subprocess per step, seconds each); the per-file step has its own
process pool for the parsing."""

from __future__ import annotations

from functools import cache

from dagster import AssetSelection, define_asset_job, in_process_executor
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from thread_assets.names import GRAPH_ASSETS, PER_FILE_ASSETS, REPO_RANK, SYMBOL_INDEX

from .assets import build_assets
from .scope import SINGLE, Scope


@cache
def update_jobs(
    scope: Scope = SINGLE,
) -> tuple[UnresolvedAssetJobDefinition, UnresolvedAssetJobDefinition, UnresolvedAssetJobDefinition]:
    """(update job, graphs job, files job) of one repository."""
    key = scope.key
    per_file = AssetSelection.assets(*(key(a) for a in PER_FILE_ASSETS)).without_checks()
    graphs = AssetSelection.assets(*(key(a) for a in (*GRAPH_ASSETS, SYMBOL_INDEX, REPO_RANK)))
    checks = AssetSelection.checks(*build_assets(scope)[1])
    where = "" if scope.repo is None else f" of {scope.repo}"
    update = define_asset_job(
        scope.update_job,
        selection=per_file | graphs | checks,
        description=f"Analyse the changed files{where} (one contiguous partition range), "
        "then bring the graphs up to date.",
        executor_def=in_process_executor,
    )
    graphs_only = define_asset_job(
        scope.graphs_job,
        selection=graphs | checks,
        description=f"Bring the graphs{where} up to date (after removals, or after the range runs of a split update).",
        executor_def=in_process_executor,
    )
    files = define_asset_job(
        scope.files_job,
        selection=per_file,
        description=f"Analyse one partition range of a large update{where}; the graphs run once all ranges are in.",
        executor_def=in_process_executor,
    )
    return update, graphs_only, files
