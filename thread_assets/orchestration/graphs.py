"""Repository-wide assets computed from the files' analyses in the store.

``dependency_graph`` (import resolutions, file dependency edges, every cycle) and ``call_graph``
(calls resolved to symbols) come from one multi-asset because call resolution needs the import
resolutions and the store applies a graph build in one ``write_graph_delta`` transaction. The step
is incremental: it compares the store's ``files`` with what the last build consumed
(``graph_inputs``) and re-resolves only what that can change (``engine/graph/incremental.py``).
``symbol_index`` is the store's symbol search structure (FTS5 / trigram, maintained with the
``symbols`` rows): materializing it probes that the index answers for the repository's symbols.

Freshness: each aggregate asset has a time-window freshness policy (``THREAD_FRESHNESS_WARN_HOURS``
/ ``THREAD_FRESHNESS_FAIL_HOURS``, default 24 h / 72 h).
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import xxhash
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    AssetsDefinition,
    DataVersion,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    Output,
    asset,
    multi_asset,
)

from resources.io_manager import GraphOutput, StoreResource
from resources.store.base import Store
from thread_assets.engine.graph.incremental import GraphUpdate, update_graph
from thread_assets.names import (
    CALL_GRAPH,
    CALLS,
    DEPENDENCY_GRAPH,
    GRAPH_GROUP,
    GRAPH_OP,
    IMPORTS,
    PARSE,
    SYMBOL_INDEX,
    SYMBOLS,
)
from thread_assets.repo.settings import freshness_hours
from thread_assets.repo.versions import extraction_code_version

from .per_file import versioned_output
from .resources import ThreadRepo
from .scope import SINGLE, Scope

INTEGRITY = "graph_integrity"


def freshness_policy() -> FreshnessPolicy:
    warn, fail = freshness_hours()
    return FreshnessPolicy.time_window(fail_window=timedelta(hours=fail), warn_window=timedelta(hours=warn))


def _graph_out(description: str, scope: Scope) -> AssetOut:
    return AssetOut(
        key_prefix=scope.prefix or None,
        io_manager_key=scope.io_manager_key,
        code_version=extraction_code_version(),
        description=description,
        group_name=GRAPH_GROUP,
        freshness_policy=freshness_policy(),
    )


def build_graph_assets(scope: Scope = SINGLE) -> AssetsDefinition:
    """The graph multi-asset of one repository (see :mod:`thread_assets.orchestration.scope`)."""
    key = scope.key

    @multi_asset(
        name=scope.op(GRAPH_OP),
        outs={
            DEPENDENCY_GRAPH: _graph_out(
                "Imports resolved to files or packages, file dependency edges, every cycle.", scope
            ),
            CALL_GRAPH: _graph_out("Calls resolved to symbols (how each was resolved); unresolved calls stay.", scope),
        },
        deps=[key(PARSE), key(IMPORTS), key(SYMBOLS), key(CALLS)],
        internal_asset_deps={
            DEPENDENCY_GRAPH: {key(PARSE), key(IMPORTS)},
            CALL_GRAPH: {key(PARSE), key(IMPORTS), key(SYMBOLS), key(CALLS)},
        },
        check_specs=[
            AssetCheckSpec(
                INTEGRITY, asset=key(DEPENDENCY_GRAPH), description="Every dependency edge joins indexed files."
            ),
            AssetCheckSpec(
                INTEGRITY, asset=key(CALL_GRAPH), description="Every resolved call targets an indexed symbol."
            ),
        ],
        can_subset=False,
        required_resource_keys={scope.repo_key, scope.store_key},
    )
    def graph_assets(context: AssetExecutionContext) -> Iterator[Output[GraphOutput] | AssetCheckResult]:
        """Bring the graph tables up to date with the per-file rows: the step works out what changed
        since the last graph build from the store (``engine/graph/incremental.py``) and rewrites only
        the rows that change, in one transaction; the first build (or one after an engine change) is
        a full one. Metadata and checks come from SQL over the store, not from every analysis."""
        thread_repo: ThreadRepo = getattr(context.resources, scope.repo_key)
        thread_store: StoreResource = getattr(context.resources, scope.store_key)
        store = thread_store.get()
        repo = thread_repo.repo_name
        update = update_graph(
            store,
            repo,
            config_reader(thread_repo.root_path),
            run_id=context.run.run_id,
            root_name=thread_repo.root_path.name,
        )
        counts = store.graph_counts(repo)
        dangling = store.graph_dangling(repo)
        yield versioned_output(
            GraphOutput(DEPENDENCY_GRAPH, update.cycles, update.rows_written),
            DEPENDENCY_GRAPH,
            DataVersion(update.dep_version),
            dependency_metadata(update, counts),
        )
        yield versioned_output(
            GraphOutput(CALL_GRAPH, update.cycles, update.rows_written),
            CALL_GRAPH,
            DataVersion(update.call_version),
            call_metadata(update, counts),
        )
        files = set(store.file_states(repo)) if update.cycles else set()
        stray = sorted({f"cycle member {m}" for c in update.cycles for m in c.members if m not in files})
        yield _integrity(key(DEPENDENCY_GRAPH), dangling["deps"] + stray, "edge(s) to files that are not indexed")
        yield _integrity(key(CALL_GRAPH), dangling["calls"], "call(s) to symbols that are not indexed")

    return graph_assets


def config_reader(root: Path) -> Callable[[str], bytes | None]:
    """Resolvers read go.mod, tsconfig.json, Cargo.toml, ... by repo-relative path."""

    def read(rel: str) -> bytes | None:
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            return None
        try:
            return target.read_bytes()
        except OSError:
            return None

    return read


def _digest(parts: Iterator[str] | Sequence[str]) -> str:
    h = xxhash.xxh3_128()
    for p in parts:
        h.update(p.encode("utf-8", "surrogateescape") + b"\n")
    return h.hexdigest()


def _update_metadata(update: GraphUpdate) -> dict[str, MetadataValue]:
    return {
        "update_mode": MetadataValue.text(update.mode),
        "update_reason": MetadataValue.text(update.reason),
        "files_changed": MetadataValue.int(len(update.changed) + len(update.added) + len(update.removed)),
        "graph_seconds": MetadataValue.float(round(update.seconds, 4)),
    }


def dependency_metadata(update: GraphUpdate, counts: dict[str, Any]) -> dict[str, MetadataValue]:
    resolutions = int(counts["resolutions"])
    largest = max(update.cycles, key=lambda c: (len(c.members), c.members), default=None)
    return {
        "nodes": MetadataValue.int(int(counts["files"])),
        "edges": MetadataValue.int(int(counts["edges"])),
        "external_edges": MetadataValue.int(int(counts["external_edges"])),
        "imports": MetadataValue.int(resolutions),
        "unresolved_ratio": MetadataValue.float(
            round(int(counts["unresolved"]) / resolutions, 4) if resolutions else 0.0
        ),
        "cycles": MetadataValue.int(len(update.cycles)),
        "largest_cycle_size": MetadataValue.int(len(largest.members) if largest else 0),
        "largest_cycle_members": MetadataValue.json(list(largest.members) if largest else []),
        **_update_metadata(update),
        "imports_resolved": MetadataValue.int(update.imports_resolved),
        "resolutions_changed": MetadataValue.int(len(update.resolutions_changed)),
        "cycles_recomputed": MetadataValue.bool(update.cycles_recomputed),
    }


def call_metadata(update: GraphUpdate, counts: dict[str, Any]) -> dict[str, MetadataValue]:
    how: dict[str, int] = counts["calls_by_how"]
    edges = sum(how.values())
    unresolved = how.get("unresolved", 0)
    verdicts: dict[str, dict[str, int]] = counts.get("call_verdicts", {})
    calls = sum(sum(v.values()) for v in verdicts.values()) or edges
    shares = {
        language: {v: round(n / total, 4) for v, n in sorted(by.items())}
        for language, by in sorted(verdicts.items())
        if (total := sum(by.values()))
    }
    hierarchy = counts.get("hierarchy_relations", {})
    return {
        "edges": MetadataValue.int(edges - unresolved),
        "calls": MetadataValue.int(calls),
        "unresolved_ratio": MetadataValue.float(round(unresolved / calls, 4) if calls else 0.0),
        "resolved_by": MetadataValue.json(dict(sorted(how.items()))),
        "verdict_shares": MetadataValue.json(shares),
        "hierarchy_relations": MetadataValue.int(int(hierarchy.get("relations") or 0)),
        "hierarchy_resolved": MetadataValue.int(int(hierarchy.get("resolved") or 0)),
        **_update_metadata(update),
        "calls_resolved": MetadataValue.int(len(update.calls_resolved)),
        "calls_resolved_files": MetadataValue.json(update.calls_resolved[:20]),
        "exports_changed": MetadataValue.int(len(update.exports_changed)),
    }


def _integrity(asset: AssetKey, bad: list[str], what: str) -> AssetCheckResult:
    return AssetCheckResult(
        check_name=INTEGRITY,
        asset_key=asset,
        passed=not bad,
        metadata={"dangling": MetadataValue.int(len(bad)), "examples": MetadataValue.json(bad[:20])},
        description=None if not bad else f"{len(bad)} {what}: {', '.join(bad[:5])}",
    )


SEARCH_PROBES = 10
PROBE_FILES = 5


def build_symbol_index(scope: Scope = SINGLE) -> AssetsDefinition:
    """The symbol-index asset of one repository (see :mod:`thread_assets.orchestration.scope`)."""

    @asset(
        key=scope.key(SYMBOL_INDEX),
        deps=[scope.key(SYMBOLS)],
        group_name=GRAPH_GROUP,
        code_version=extraction_code_version(),
        freshness_policy=freshness_policy(),
        required_resource_keys={scope.repo_key, scope.store_key},
        description="The store's symbol search structure (FTS5 trigram on SQLite, pg_trgm on Postgres), kept in "
        "step with the symbols rows; materializing probes that it answers for names of the latest indexed files.",
    )
    def symbol_index(context: AssetExecutionContext) -> MaterializeResult:
        """Probes the search index with a bounded sample (names of the most recently indexed files:
        the ones the last update wrote), so the cost does not grow with the repository. The data
        version is a digest of the files' content hashes: the index is a function of the symbols rows."""
        thread_repo: ThreadRepo = getattr(context.resources, scope.repo_key)
        thread_store: StoreResource = getattr(context.resources, scope.store_key)
        return probe_symbol_index(thread_store.get(), thread_repo.repo_name)

    return symbol_index


def probe_symbol_index(store: Store, repo: str) -> MaterializeResult:
    probes = store.symbol_probe_names(repo, files=PROBE_FILES, limit=SEARCH_PROBES)
    missing = [n for n in probes if not any(r.get("name") == n for r in store.search_symbols(n, repo=repo, limit=200))]
    if missing:
        raise RuntimeError(
            f"the symbol search index misses {len(missing)} of {len(probes)} probed names: {missing[:10]}"
        )
    states = store.file_states(repo)
    return MaterializeResult(
        metadata={
            "files": MetadataValue.int(len(states)),
            "search_probes": MetadataValue.int(len(probes)),
            "probe_names": MetadataValue.json(probes),
            "store": MetadataValue.text(store.url),
        },
        data_version=DataVersion(
            _digest(f"{p}:{s.content_hash}:{s.extractor_version}" for p, s in sorted(states.items()))
        ),
    )
