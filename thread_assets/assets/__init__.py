"""Thread's Dagster assets: per-file partitions, graphs, checks (thin over the engine)."""

from __future__ import annotations

from functools import cache

from dagster import AssetChecksDefinition, AssetsDefinition

from .checks import build_checks, index_matches_disk, parse_quality
from .graphs import build_graph_assets, build_symbol_index, graph_assets, symbol_index
from .partitions import FILES_PARTITIONS_NAME, files_partitions
from .per_file import build_per_file_assets, per_file_assets
from .repo import ThreadRepo, indexable_files
from .scope import SINGLE, Scope

PER_FILE_ASSETS = [per_file_assets]
GRAPH_ASSETS = [graph_assets, symbol_index]
ALL_ASSETS = [*PER_FILE_ASSETS, *GRAPH_ASSETS]
ALL_CHECKS = [parse_quality, index_matches_disk]


def build_assets(scope: Scope = SINGLE) -> tuple[list[AssetsDefinition], list[AssetChecksDefinition]]:
    """(assets, checks) of one repository, built once per scope (the same definitions for the
    code location, its jobs' selections and an in-process updater)."""
    return list(_built(scope)[0]), list(_built(scope)[1])


@cache
def _built(scope: Scope) -> tuple[tuple[AssetsDefinition, ...], tuple[AssetChecksDefinition, ...]]:
    if scope == SINGLE:
        return tuple(ALL_ASSETS), tuple(ALL_CHECKS)
    assets = (build_per_file_assets(scope), build_graph_assets(scope), build_symbol_index(scope))
    return assets, tuple(build_checks(scope))


__all__ = [
    "ALL_ASSETS",
    "ALL_CHECKS",
    "FILES_PARTITIONS_NAME",
    "GRAPH_ASSETS",
    "PER_FILE_ASSETS",
    "SINGLE",
    "Scope",
    "ThreadRepo",
    "build_assets",
    "files_partitions",
    "graph_assets",
    "index_matches_disk",
    "indexable_files",
    "parse_quality",
    "per_file_assets",
    "symbol_index",
]
