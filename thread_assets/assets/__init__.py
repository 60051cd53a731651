"""Thread's Dagster assets: per-file partitions, graphs, checks (thin over the engine)."""

from __future__ import annotations

from .checks import index_matches_disk, parse_quality
from .graphs import graph_assets, symbol_index
from .partitions import FILES_PARTITIONS_NAME, files_partitions
from .per_file import per_file_assets
from .repo import ThreadRepo, indexable_files

PER_FILE_ASSETS = [per_file_assets]
GRAPH_ASSETS = [graph_assets, symbol_index]
ALL_ASSETS = [*PER_FILE_ASSETS, *GRAPH_ASSETS]
ALL_CHECKS = [parse_quality, index_matches_disk]

__all__ = [
    "ALL_ASSETS",
    "ALL_CHECKS",
    "FILES_PARTITIONS_NAME",
    "GRAPH_ASSETS",
    "PER_FILE_ASSETS",
    "ThreadRepo",
    "files_partitions",
    "graph_assets",
    "index_matches_disk",
    "indexable_files",
    "parse_quality",
    "per_file_assets",
    "symbol_index",
]
