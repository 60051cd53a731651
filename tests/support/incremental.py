"""Helpers for the incremental-correctness tests: a from-scratch index made by the engine alone
(the oracle), table dumps without provenance, and driving the sensor the way the daemon does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dagster import DagsterInstance

from resources.store.base import Store
from tests.support.daemon import tick_and_run
from thread_assets.engine import (
    RepoContext,
    analyze_files,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_hierarchy,
    resolve_imports,
)
from thread_assets.engine.patterns import default_rules, languages_with_rules, run_rules
from thread_assets.orchestration.graphs import config_reader
from thread_assets.orchestration.resources import build_resources
from thread_assets.repo.indexable import indexable_files
from thread_assets.repo.settings import RepoSettings

TABLES = (
    "files",
    "symbols",
    "imports",
    "calls",
    "pattern_matches",
    "import_resolutions",
    "dep_edges",
    "cycles",
    "call_edges",
    "bindings",
    "type_relations",
    "type_hierarchy",
)
PROVENANCE = {"run_id", "indexed_at", "parse_time_ms"}
"""Columns that say when and by which run a row was made (or how long a parse took), not what it says."""


def scratch_index(root: Path, store: Store, repo: str) -> None:
    """Index ``root`` into an empty ``store`` with the engine alone: what the incremental index must equal."""
    found = indexable_files(root)
    analyses = list(analyze_files([(f.path, f.abs_path, None) for f in found], workers=0))
    rules = default_rules()
    languages = languages_with_rules(rules)
    on_disk = {f.path: f.abs_path for f in found}  # a path may be escaped (a name that is not UTF-8)
    matches = {
        a.path: found_matches
        for a in analyses
        if a.status == "ok"
        and a.language in languages
        and (found_matches := run_rules(Path(on_disk[a.path]).read_bytes(), a.language, rules))
    }
    store.write_files(repo, analyses, matches, run_id="scratch", indexed_at="scratch")
    by_path = {a.path: a for a in analyses}
    resolutions = resolve_imports(
        analyses, RepoContext(files=frozenset(by_path), read=config_reader(root), root_name=root.name)
    )
    edges = dependency_edges(resolutions, by_path)
    hierarchy = resolve_hierarchy(by_path, resolutions)
    calls = resolve_calls(by_path, resolutions, hierarchy=hierarchy)
    store.write_graph(repo, resolutions, edges, find_cycles(edges), calls, hierarchy=hierarchy)


def dump(store: Store, repo: str) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [{k: v for k, v in row.items() if k not in PROVENANCE} for row in store.export(table, repo=repo)]
        for table in TABLES
    }


def sensor_update(instance: DagsterInstance, root: Path, store_url: str, repo: str) -> Any:
    """One daemon cycle, in this process (see ``tick_and_run``); the run must succeed."""
    result = tick_and_run(instance, build_resources(RepoSettings.resolve(root, store_url=store_url, repo_name=repo)))
    assert result is None or result.success
    return result


def reused_from_cache(result: Any) -> int:
    """How many analyses of the run's per-file step came from the content-addressed cache."""
    for event in result.get_asset_materialization_events():
        if event.asset_key.path[-1] == "parse":
            value = event.materialization.metadata.get("run_reused_from_cache")
            return int(value.value) if value is not None else 0
    return 0
