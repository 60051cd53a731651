"""Repository-wide assets computed from every file's analysis.

``dependency_graph`` (import resolutions, file dependency edges, every cycle) and ``call_graph``
(calls resolved to symbols) come from one multi-asset because call resolution needs the import
resolutions and the store replaces all graph tables in one ``write_graph`` transaction.
``symbol_index`` is the store's symbol search structure (FTS5 / trigram, maintained with the
``symbols`` rows): materializing it probes that the index answers for the repository's symbols.

Freshness: each aggregate asset has a time-window freshness policy (``THREAD_FRESHNESS_WARN_HOURS``
/ ``THREAD_FRESHNESS_FAIL_HOURS``, default 24 h / 72 h).
"""

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import xxhash
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetOut,
    DataVersion,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    Output,
    asset,
    multi_asset,
)

from resources.io_manager import GraphBatch, GraphTable, StoreResource
from thread_assets.engine import (
    CallEdge,
    Cycle,
    DepEdge,
    FileAnalysis,
    RepoContext,
    Resolution,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_imports,
)
from thread_assets.engine.graph import MODULE_CALLER

from .per_file import IO_MANAGER_KEY, versioned_output
from .repo import ThreadRepo, extraction_code_version

GROUP = "graphs"
INTEGRITY = "graph_integrity"


def freshness_policy() -> FreshnessPolicy:
    warn = float(os.environ.get("THREAD_FRESHNESS_WARN_HOURS", "24"))
    fail = float(os.environ.get("THREAD_FRESHNESS_FAIL_HOURS", "72"))
    return FreshnessPolicy.time_window(fail_window=timedelta(hours=fail), warn_window=timedelta(hours=warn))


def _graph_out(description: str) -> AssetOut:
    return AssetOut(
        io_manager_key=IO_MANAGER_KEY,
        code_version=extraction_code_version(),
        description=description,
        group_name=GROUP,
        freshness_policy=freshness_policy(),
    )


@multi_asset(
    outs={
        "dependency_graph": _graph_out("Imports resolved to files or packages, file dependency edges, every cycle."),
        "call_graph": _graph_out("Calls resolved to symbols (how each was resolved); unresolved calls stay."),
    },
    ins={"parse": AssetIn(key=AssetKey("parse"))},
    deps=[AssetKey("imports"), AssetKey("symbols"), AssetKey("calls")],
    internal_asset_deps={
        "dependency_graph": {AssetKey("parse"), AssetKey("imports")},
        "call_graph": {AssetKey("parse"), AssetKey("imports"), AssetKey("symbols"), AssetKey("calls")},
    },
    check_specs=[
        AssetCheckSpec(INTEGRITY, asset="dependency_graph", description="Every dependency edge joins indexed files."),
        AssetCheckSpec(INTEGRITY, asset="call_graph", description="Every resolved call targets an indexed symbol."),
    ],
    can_subset=False,
)
def graph_assets(
    context: AssetExecutionContext, thread_repo: ThreadRepo, parse: list[FileAnalysis]
) -> Iterator[Output[GraphTable] | AssetCheckResult]:
    """Resolve imports and calls over every indexed file; write the graph tables at once."""
    analyses = sorted(parse, key=lambda a: a.path)
    ctx = RepoContext(files=frozenset(a.path for a in analyses), read=config_reader(thread_repo.root_path))
    resolutions = resolve_imports(analyses, ctx)
    edges = dependency_edges(resolutions, {a.path: a for a in analyses})
    cycles = find_cycles(edges)
    call_edges = resolve_calls(analyses, resolutions)
    batch = GraphBatch(thread_repo.repo_name, resolutions, edges, cycles, call_edges, context.run.run_id)
    dep_version = _digest(f"{e.source}>{e.target}:{e.external}:{e.count}" for e in edges)
    call_version = _digest(f"{e.path}:{e.caller}>{e.target}:{e.location.start_byte}" for e in call_edges)
    yield versioned_output(
        GraphTable("dependency_graph", batch),
        "dependency_graph",
        DataVersion(dep_version),
        dependency_metadata(analyses, resolutions, edges, cycles),
    )
    yield versioned_output(
        GraphTable("call_graph", batch), "call_graph", DataVersion(call_version), call_metadata(call_edges)
    )
    yield dependency_integrity(ctx.files, edges, cycles)
    yield call_integrity(analyses, call_edges)


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


def dependency_metadata(
    analyses: Sequence[FileAnalysis], resolutions: Sequence[Resolution], edges: Sequence[DepEdge], cycles: list[Cycle]
) -> dict[str, MetadataValue]:
    internal = [e for e in edges if not e.external]
    unresolved = sum(1 for r in resolutions if r.how == "unresolved")
    largest = max(cycles, key=lambda c: (len(c.members), c.members), default=None)
    return {
        "nodes": MetadataValue.int(len(analyses)),
        "edges": MetadataValue.int(len(internal)),
        "external_edges": MetadataValue.int(len(edges) - len(internal)),
        "imports": MetadataValue.int(len(resolutions)),
        "unresolved_ratio": MetadataValue.float(round(unresolved / len(resolutions), 4) if resolutions else 0.0),
        "cycles": MetadataValue.int(len(cycles)),
        "largest_cycle_size": MetadataValue.int(len(largest.members) if largest else 0),
        "largest_cycle_members": MetadataValue.json(list(largest.members) if largest else []),
    }


def call_metadata(call_edges: Sequence[CallEdge]) -> dict[str, MetadataValue]:
    how = Counter(e.how for e in call_edges)
    resolved = [e for e in call_edges if e.target is not None]
    nodes = {e.target for e in resolved} | {e.caller for e in resolved}
    return {
        "nodes": MetadataValue.int(len(nodes)),
        "edges": MetadataValue.int(len(resolved)),
        "calls": MetadataValue.int(len(call_edges)),
        "unresolved_ratio": MetadataValue.float(
            round(how.get("unresolved", 0) / len(call_edges), 4) if call_edges else 0.0
        ),
        "resolved_by": MetadataValue.json(dict(sorted(how.items()))),
    }


def dependency_integrity(files: frozenset[str], edges: Sequence[DepEdge], cycles: Sequence[Cycle]) -> AssetCheckResult:
    bad = sorted(
        {
            f"{e.source} -> {e.target}"
            for e in edges
            if e.source not in files or (not e.external and e.target not in files)
        }
    )
    bad += sorted({f"cycle member {m}" for c in cycles for m in c.members if m not in files})
    return AssetCheckResult(
        check_name=INTEGRITY,
        asset_key=AssetKey("dependency_graph"),
        passed=not bad,
        metadata={"dangling": MetadataValue.int(len(bad)), "examples": MetadataValue.json(bad[:20])},
        description=None if not bad else f"{len(bad)} edge(s) to files that are not indexed: {', '.join(bad[:5])}",
    )


def call_integrity(analyses: Sequence[FileAnalysis], call_edges: Sequence[CallEdge]) -> AssetCheckResult:
    files = {a.path for a in analyses}
    symbols = {f"{a.path}::{s.id}" for a in analyses for s in a.symbols} | {f"{p}::{MODULE_CALLER}" for p in files}
    bad = sorted(
        {f"{e.path} -> {e.target}" for e in call_edges if e.path not in files or (e.target and e.target not in symbols)}
    )
    return AssetCheckResult(
        check_name=INTEGRITY,
        asset_key=AssetKey("call_graph"),
        passed=not bad,
        metadata={"dangling": MetadataValue.int(len(bad)), "examples": MetadataValue.json(bad[:20])},
        description=None if not bad else f"{len(bad)} call(s) to symbols that are not indexed: {', '.join(bad[:5])}",
    )


SEARCH_PROBES = 50


@asset(
    deps=[AssetKey("symbols")],
    group_name=GROUP,
    code_version=extraction_code_version(),
    freshness_policy=freshness_policy(),
    description="The store's symbol search structure (FTS5 trigram on SQLite, pg_trgm on Postgres), kept in "
    "step with the symbols rows; materializing probes that it answers for the repository's symbols.",
)
def symbol_index(thread_repo: ThreadRepo, thread_store: StoreResource) -> MaterializeResult:
    store = thread_store.get()
    repo = thread_repo.repo_name
    stats = store.stats(repo=repo)
    names = sorted({s.name for a in store.load_analyses(repo) for s in a.symbols if len(s.name) >= 3})
    step = max(1, len(names) // SEARCH_PROBES)
    probes = names[::step][:SEARCH_PROBES]
    missing = [n for n in probes if not any(r.get("name") == n for r in store.search_symbols(n, repo=repo, limit=200))]
    if missing:
        raise RuntimeError(
            f"the symbol search index misses {len(missing)} of {len(probes)} probed names: {missing[:10]}"
        )
    return MaterializeResult(
        metadata={
            "symbols": MetadataValue.int(int(stats.get("symbols", 0))),
            "distinct_names": MetadataValue.int(len(names)),
            "search_probes": MetadataValue.int(len(probes)),
            "store": MetadataValue.text(store.url),
        },
        data_version=DataVersion(_digest(names)),
    )
