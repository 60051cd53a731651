"""The per-file assets: ``parse``, ``symbols``, ``imports``, ``calls``, ``pattern_matches``.

One multi-asset produces all five, so each file is read and parsed once per materialization
(the engine's process pool); a run covers a contiguous range of the ``files`` partitions
(``BackfillPolicy.single_run()``) and analyses all of its files in one batch. The five outputs
are views of one batch that the IO manager commits in one transaction (see
``resources/io_manager.py``).

Metadata: every partition's materialization carries that file's own numbers (language, content
hash, counts, error ratio, parse time) as per-partition asset metadata, which Dagster 1.13 honours
in range runs (fed in one go: see :func:`add_partition_metadata` for why not one
``add_asset_metadata`` call per partition); per-run totals are kept to a few numbers because
Dagster copies run-level metadata into every partition's event. Data versions: Dagster keeps one
data version per asset per step, so a one-file run gets the file's content hash and a range run a
digest of its files' (path, content hash) pairs; ``code_version`` carries the extractor and grammar versions.
"""
# No ``from __future__ import annotations``: Dagster inspects these annotations at definition time.

import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime

import xxhash
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    AssetsDefinition,
    BackfillPolicy,
    BetaWarning,
    DataVersion,
    MetadataValue,
    Output,
    multi_asset,
)

from resources.io_manager import FileBatch, FileTable, StoreResource
from thread_assets.engine import FileAnalysis, PatternMatch
from thread_assets.engine.content_cache import ContentCache
from thread_assets.names import CALLS, IMPORTS, PARSE, PATTERN_MATCHES, PER_FILE_GROUP, PER_FILE_OP, SYMBOLS
from thread_assets.repo.partition_keys import path_of
from thread_assets.repo.stream import StreamTotals, analyse_stream, write_stream
from thread_assets.repo.versions import extraction_code_version, patterns_code_version

from .resources import ThreadRepo
from .scope import SINGLE, Scope

ANALYSIS_PROGRESS: ContextVar[Callable[[FileAnalysis], None] | None] = ContextVar(
    "thread_analysis_progress", default=None
)
"""Set by an in-process caller (the indexer) to see each file as it is analysed."""

_DESCRIPTIONS = {
    PARSE: "Parse summary of each file: language, content hash, size, lines, nodes, syntax errors, parse time.",
    SYMBOLS: "Definitions of each file (functions, classes, methods, ...) with signatures and locations.",
    IMPORTS: "Imports of each file, one row per bound name, with whether the name is used.",
    CALLS: "Call sites of each file with the enclosing symbol, callee text and receiver.",
    PATTERN_MATCHES: "Matches of the bundled ast-grep rules in each file.",
}


def _out(name: str, scope: Scope) -> AssetOut:
    code_version = patterns_code_version() if name == PATTERN_MATCHES else extraction_code_version()
    return AssetOut(
        key_prefix=scope.prefix or None,
        io_manager_key=scope.io_manager_key,
        code_version=code_version,
        description=_DESCRIPTIONS[name],
        group_name=PER_FILE_GROUP,
        is_required=True,
    )


def build_per_file_assets(scope: Scope = SINGLE) -> AssetsDefinition:
    """The per-file multi-asset of one repository (see :mod:`thread_assets.orchestration.scope`)."""

    @multi_asset(
        name=scope.op(PER_FILE_OP),
        outs={name: _out(name, scope) for name in _DESCRIPTIONS},
        partitions_def=scope.partitions,
        backfill_policy=BackfillPolicy.single_run(),
        can_subset=False,
        required_resource_keys={scope.repo_key, scope.store_key},
    )
    def per_file_assets(context: AssetExecutionContext) -> Iterator[Output[FileTable]]:
        """Analyse every file of the run's partitions once and stream the rows of the five
        per-file assets into the store, a chunk of files per transaction."""
        thread_repo: ThreadRepo = getattr(context.resources, scope.repo_key)
        thread_store: StoreResource = getattr(context.resources, scope.store_key)
        key_of = {path_of(k): k for k in context.partition_keys}
        counts = RunCounts()
        digest = VersionDigest()

        def on_chunk(analyses: Sequence[FileAnalysis], matches: Mapping[str, Sequence[PatternMatch]]) -> None:
            entries: list[tuple[AssetKey, str, Mapping[str, object]]] = []
            for analysis in analyses:
                found = matches.get(analysis.path, ())
                key = key_of[analysis.path]
                entries += [(scope.key(name), key, m) for name, m in file_metadata(analysis, found).items()]
                counts.add(analysis, found)
                digest.add(analysis)
            add_partition_metadata(context, entries)

        totals = StreamTotals()
        with ContentCache(thread_repo.analysis_cache_path) as cache:
            analysed = analyse_stream(
                thread_repo.root_path,
                list(key_of),
                cache,
                workers=thread_repo.workers or None,
                timeout_s=thread_repo.timeout_s,
                progress=ANALYSIS_PROGRESS.get(),
                totals=totals,
            )
            write_stream(
                thread_store.get(),
                thread_repo.repo_name,
                analysed,
                run_id=context.run.run_id,
                indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
                on_chunk=on_chunk,
                totals=totals,
            )
        batch = FileBatch(repo=thread_repo.repo_name, files=totals.files, rows_written=totals.rows)
        version = DataVersion(digest.hexdigest())
        run_metadata = counts.metadata()
        run_metadata[PARSE]["run_reused_from_cache"] = MetadataValue.int(totals.reused)
        for name in _DESCRIPTIONS:
            yield versioned_output(FileTable(name, batch), name, version, run_metadata[name])

    return per_file_assets


def versioned_output(value: object, name: str, version: DataVersion, metadata: Mapping[str, MetadataValue]) -> Output:
    """An output with an explicit data version (a beta parameter in Dagster 1.13: its warning
    would be printed once per run and say nothing to a Thread user)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BetaWarning)
        return Output(value, output_name=name, data_version=version, metadata=metadata)


def add_partition_metadata(
    context: AssetExecutionContext, entries: Sequence[tuple[AssetKey, str, Mapping[str, object]]]
) -> None:
    """Per-partition metadata for ``(asset, partition key, metadata)`` entries.

    ``context.add_asset_metadata(partition_key=...)`` validates the key by loading every dynamic
    partition from the instance, on every call: O(files) SQL per call and O(files²) per range
    run, which dominated a large first index (docs/benchmarks.md).
    The keys here are the run's own ``context.partition_keys``, valid by construction, so they
    are merged into the step's metadata accumulator in one go. If Dagster's internals change
    shape, the public method is used instead (correct, only slower)."""
    step = context.get_step_execution_context()
    accumulator = getattr(step, "_metadata_accumulator", None)
    try:
        from dagster._core.execution.context.metadata_logging import AssetMetadataHandle, OutputMetadataAccumulator
    except ImportError:  # pragma: no cover - depends on the Dagster version
        accumulator = None
    if not isinstance(accumulator, OutputMetadataAccumulator):  # pragma: no cover - depends on the Dagster version
        for asset, key, metadata in entries:
            context.add_asset_metadata(metadata, asset_key=asset, partition_key=key)
        return
    merged = dict(accumulator.per_output_metadata)
    for asset, key, metadata in entries:
        handle = AssetMetadataHandle(asset_key=asset, partition_key=key)
        merged[handle] = {**merged.get(handle, {}), **metadata}
    step._metadata_accumulator = OutputMetadataAccumulator(per_output_metadata=merged)


class VersionDigest:
    """The data version of a run's files: a one-file run gets the file's content hash, a range
    run a digest of its files' (path, content hash) pairs, fed in any order (files finish in
    completion order) and combined order-independently."""

    def __init__(self) -> None:
        self.first: FileAnalysis | None = None
        self.count = 0
        self.total = 0

    def add(self, a: FileAnalysis) -> None:
        self.count += 1
        self.first = self.first or a
        pair = f"{a.path}\0{a.content_hash or a.status}\n".encode("utf-8", "surrogateescape")
        self.total = (self.total + xxhash.xxh3_128_intdigest(pair)) % (1 << 128)

    def hexdigest(self) -> str:
        if self.count == 1 and self.first is not None:
            return self.first.content_hash or f"{self.first.status}:{self.first.reason}"
        return f"{self.total:032x}"


def file_metadata(analysis: FileAnalysis, matches: Sequence[PatternMatch]) -> dict[str, dict[str, object]]:
    """Per-partition metadata of each of the five assets for one file."""
    s = analysis.summary
    parse: dict[str, object] = {
        "language": analysis.language or "unknown",
        "status": analysis.status,
        "content_hash": analysis.content_hash or "",
        "size_bytes": analysis.size_bytes,
    }
    if analysis.reason:
        parse["reason"] = analysis.reason
    if s is not None:
        parse |= {
            "lines": s.line_count,
            "nodes": s.node_count,
            "syntax_errors": s.error_count,
            "error_ratio": s.error_ratio,
            "parse_time_ms": s.parse_time_ms,
            "grammar": s.grammar_version,
        }
    return {
        PARSE: parse,
        SYMBOLS: {"symbols": len(analysis.symbols)},
        IMPORTS: {"imports": len(analysis.imports), "unused": sum(1 for i in analysis.imports if not i.used)},
        CALLS: {"calls": len(analysis.calls)},
        PATTERN_MATCHES: {"matches": len(matches)},
    }


class RunCounts:
    """Small per-run aggregates (Dagster copies them into every partition's event: keep them few)."""

    def __init__(self) -> None:
        self.files = self.not_ok = self.symbols = self.imports = self.calls = self.matches = 0

    def add(self, a: FileAnalysis, matches: Sequence[PatternMatch]) -> None:
        self.files += 1
        self.not_ok += a.status != "ok"
        self.symbols += len(a.symbols)
        self.imports += len(a.imports)
        self.calls += len(a.calls)
        self.matches += len(matches)

    def metadata(self) -> dict[str, dict[str, MetadataValue]]:
        run: dict[str, MetadataValue] = {"run_files": MetadataValue.int(self.files)}
        return {
            PARSE: run | {"run_not_ok": MetadataValue.int(self.not_ok)},
            SYMBOLS: run | {"run_symbols": MetadataValue.int(self.symbols)},
            IMPORTS: run | {"run_imports": MetadataValue.int(self.imports)},
            CALLS: run | {"run_calls": MetadataValue.int(self.calls)},
            PATTERN_MATCHES: run | {"run_matches": MetadataValue.int(self.matches)},
        }
