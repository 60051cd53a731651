"""``repo_rank``: the repository map's ranks and plan, stored for every reader.

Depends on the graph assets (it ranks their resolved calls, imports and hierarchy). Incremental in
two ways: when the digest of the graph it reads (nodes, signatures, edges) equals the stored
one, nothing is computed (the step reads and compares, then reports the stored top symbols);
otherwise PageRank starts from the stored scores (a warm start: after an edit most scores barely
move, so it converges in fewer iterations) and the plan rows are replaced in one transaction.

Ranking holds the repository's whole reference graph in memory, so a repository with more symbols
than ``THREAD_MAP_MAX_SYMBOLS`` (default 200,000) is not ranked: the step says so in its metadata
and the map keeps whatever it had.
"""

import os
import time
from datetime import UTC, datetime
from typing import Any

from dagster import AssetExecutionContext, AssetsDefinition, DataVersion, MaterializeResult, MetadataValue, asset

from resources.io_manager import StoreResource
from resources.store.ranks import RankState, RankStore, rank_store
from thread_assets.engine.graph.rank import graph_digest
from thread_assets.engine.repomap import rank_repository
from thread_assets.names import CALL_GRAPH, DEPENDENCY_GRAPH, GRAPH_GROUP, REPO_RANK

from .graphs import freshness_policy
from .resources import ThreadRepo
from .scope import SINGLE, Scope

TOP = 20
"""Symbols listed in the asset's metadata."""


def build_repo_rank(scope: Scope = SINGLE) -> AssetsDefinition:
    """The ``repo_rank`` asset of one repository (see :mod:`thread_assets.orchestration.scope`)."""

    @asset(
        key=scope.key(REPO_RANK),
        deps=[scope.key(DEPENDENCY_GRAPH), scope.key(CALL_GRAPH)],
        group_name=GRAPH_GROUP,
        freshness_policy=freshness_policy(),
        required_resource_keys={scope.repo_key, scope.store_key},
        description="Symbols ranked by PageRank over resolved calls, imports and the type hierarchy, and the "
        "repository map's plan (what `thread map`, /api/map and the MCP tool repo_map show for a token budget).",
    )
    def repo_rank(context: AssetExecutionContext) -> MaterializeResult:
        thread_repo: ThreadRepo = getattr(context.resources, scope.repo_key)
        thread_store: StoreResource = getattr(context.resources, scope.store_key)
        return materialize_ranks(rank_store(thread_store.get()), thread_repo.repo_name, context.run.run_id)

    return repo_rank


MAX_SYMBOLS_ENV = "THREAD_MAP_MAX_SYMBOLS"
DEFAULT_MAX_SYMBOLS = 200_000
"""Above this many symbols the map is not computed: ranking holds the whole reference graph in
this process, which would make the index's memory grow with the repository."""


def max_symbols() -> int:
    raw = os.environ.get(MAX_SYMBOLS_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_SYMBOLS
    try:
        return max(0, int(raw))
    except ValueError:
        raise ValueError(f"{MAX_SYMBOLS_ENV} must be a number of symbols, got {raw!r}") from None


def materialize_ranks(store: RankStore, repo: str, run_id: str) -> MaterializeResult:
    """Skip, or recompute warm-started, and store (see the module docstring)."""
    started = time.perf_counter()
    size, limit = store.rank_size(repo), max_symbols()
    if size > limit:
        reason = f"{size} symbols > {MAX_SYMBOLS_ENV}={limit}: the repository map is not computed"
        return MaterializeResult(
            metadata={
                "skipped": MetadataValue.bool(True),
                "skipped_reason": MetadataValue.text(reason),
                "rank_seconds": MetadataValue.float(round(time.perf_counter() - started, 4)),
            },
        )
    inputs = store.rank_inputs(repo)
    digest = graph_digest(inputs)
    previous = store.rank_state(repo)
    if previous is not None and previous.digest == digest:
        rows = store.map_rows(repo, 1 << 62)
        top = sorted(rows, key=lambda r: (-r["rank"], r["id"]))[:TOP]
        return _result(previous, digest, top, skipped=True, seconds=time.perf_counter() - started)
    start = store.stored_scores(repo) or None
    ranked = rank_repository(inputs, start=start)
    state = RankState(
        digest=digest,
        nodes=ranked.nodes,
        edges=ranked.edges,
        iterations=ranked.ranks.iterations,
        warm=ranked.ranks.warm,
        seconds=round(time.perf_counter() - started, 4),
        run_id=run_id,
        computed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    store.write_ranks(repo, ranked.entries, state)
    shown = [e for e in ranked.entries if e.line is not None]
    top = [{"id": e.id, "kind": e.kind, "rank": e.rank} for e in sorted(shown, key=lambda e: (-e.rank, e.id))[:TOP]]
    return _result(state, digest, top, skipped=False, seconds=time.perf_counter() - started)


def _result(
    state: RankState, digest: str, top: list[dict[str, Any]], *, skipped: bool, seconds: float
) -> MaterializeResult:
    table = ["| # | symbol | kind | score |", "| --- | --- | --- | --- |"]
    table += [f"| {i} | `{_cell(t['id'])}` | {t['kind']} | {t['rank']:.5f} |" for i, t in enumerate(top, 1)]
    return MaterializeResult(
        metadata={
            "top_symbols": MetadataValue.md("\n".join(table)),
            "skipped": MetadataValue.bool(skipped),
            "warm_started": MetadataValue.bool(state.warm and not skipped),
            "iterations": MetadataValue.int(0 if skipped else state.iterations),
            "nodes": MetadataValue.int(state.nodes),
            "edges": MetadataValue.int(state.edges),
            "rank_seconds": MetadataValue.float(round(seconds, 4)),
            "graph_digest": MetadataValue.text(digest),
        },
        data_version=DataVersion(digest),
    )


def _cell(text: str) -> str:
    """A markdown table cell: a ``|`` inside it would end it."""
    return text.replace("|", "\\|")
