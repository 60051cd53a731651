"""Every asset and check of one repository, built once per scope: the code location, its jobs'
selections and an in-process updater share the same definitions."""

from __future__ import annotations

from functools import cache

from dagster import AssetChecksDefinition, AssetsDefinition

from .checks import build_checks
from .graphs import build_graph_assets, build_symbol_index
from .per_file import build_per_file_assets
from .rank import build_repo_rank
from .scope import SINGLE, Scope


def build_assets(scope: Scope = SINGLE) -> tuple[list[AssetsDefinition], list[AssetChecksDefinition]]:
    """(assets, checks) of one repository."""
    assets, checks = _built(scope)
    return list(assets), list(checks)


@cache
def _built(scope: Scope) -> tuple[tuple[AssetsDefinition, ...], tuple[AssetChecksDefinition, ...]]:
    assets = (
        build_per_file_assets(scope),
        build_graph_assets(scope),
        build_symbol_index(scope),
        build_repo_rank(scope),
    )
    return assets, tuple(build_checks(scope))
