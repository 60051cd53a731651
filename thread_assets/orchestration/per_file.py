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
from pathlib import Path

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

from resources.io_manager import FileBatch, FileTable
from thread_assets.engine import FileAnalysis, PatternMatch, analyze_files, detect_language
from thread_assets.engine.batch import BatchItem, read_for_analysis
from thread_assets.engine.content_cache import ContentCache, analysis_key, matches_key
from thread_assets.engine.patterns import default_rules, languages_with_rules, run_rules
from thread_assets.names import CALLS, IMPORTS, PARSE, PATTERN_MATCHES, PER_FILE_GROUP, PER_FILE_OP, SYMBOLS
from thread_assets.repo.discover import disk_path
from thread_assets.repo.partition_keys import path_of
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
        required_resource_keys={scope.repo_key},
    )
    def per_file_assets(context: AssetExecutionContext) -> Iterator[Output[FileTable]]:
        """Analyse every file of the run's partitions once and emit the five per-file assets."""
        thread_repo: ThreadRepo = getattr(context.resources, scope.repo_key)
        keys = list(context.partition_keys)
        root = thread_repo.root_path
        paths = [path_of(k) for k in keys]
        with ContentCache(thread_repo.analysis_cache_path) as cache:
            analyses, matches, reused = analyse_with_cache(
                root,
                paths,
                cache,
                workers=thread_repo.workers or None,
                timeout_s=thread_repo.timeout_s,
                progress=ANALYSIS_PROGRESS.get(),
            )
        batch = FileBatch(
            repo=thread_repo.repo_name,
            analyses=analyses,
            matches=matches,
            run_id=context.run.run_id,
            indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        version = DataVersion(batch_data_version(analyses))
        add_partition_metadata(
            context,
            [
                (scope.key(name), key, metadata)
                for key, analysis in zip(keys, analyses, strict=True)
                for name, metadata in file_metadata(analysis, matches.get(analysis.path, ())).items()
            ],
        )
        totals = run_totals(analyses, matches)
        totals[PARSE]["run_reused_from_cache"] = MetadataValue.int(reused)
        for name in _DESCRIPTIONS:
            yield versioned_output(FileTable(name, batch), name, version, totals[name])

    return per_file_assets


def analyse_with_cache(
    root: Path,
    paths: Sequence[str],
    cache: ContentCache,
    *,
    workers: int | None,
    timeout_s: float,
    progress: Callable[[FileAnalysis], None] | None = None,
) -> tuple[list[FileAnalysis], dict[str, list[PatternMatch]], int]:
    """Analyses (in ``paths`` order) and pattern matches of ``paths``, each file read once.

    Content seen before (a revert, a rename, a copy) comes from the content-addressed cache;
    only the rest goes to the worker pool, as bytes (no second read). Returns the number of
    analyses reused."""
    rules = default_rules()
    rule_languages = languages_with_rules(rules)
    rules_version = patterns_code_version()
    data: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    items: dict[str, BatchItem] = {}
    for path in paths:
        on_disk = root / disk_path(path)  # an index path may be escaped (a name that is not UTF-8)
        read = read_for_analysis(on_disk)
        if not isinstance(read, bytes):
            items[path] = (path, str(on_disk), None)  # the worker records why it is unreadable
            continue
        language = detect_language(path, read)
        data[path] = read
        keys[path] = analysis_key(xxhash.xxh3_64_hexdigest(read), language)
        items[path] = (path, read, language)
    cached = cache.get_analyses(keys)
    todo = [items[p] for p in paths if p not in cached]
    # workers stay warm between runs of this process (thread watch, a code server's in-process runs)
    analysed = analyze_files(todo, workers=workers, timeout_s=timeout_s, progress=progress, keep_workers=True)
    fresh = {a.path: a for a in analysed}
    if progress is not None:
        for analysis in cached.values():
            progress(analysis)
    cache.put_analyses((keys[p], a) for p, a in fresh.items() if p in keys)
    analyses = [cached.get(p) or fresh[p] for p in paths]
    wanted = {
        a.path: matches_key(a.content_hash, a.language, rules_version)
        for a in analyses
        if a.status == "ok" and a.language in rule_languages and a.content_hash is not None and a.path in data
    }
    matches = cache.get_matches(wanted)
    computed: list[tuple[str, list[PatternMatch]]] = []
    for path, key in wanted.items():
        if path not in matches:
            analysis = cached.get(path) or fresh[path]
            assert analysis.language is not None
            found = run_rules(data[path], analysis.language, rules)
            matches[path] = found
            computed.append((key, found))
    cache.put_matches(computed)
    return analyses, {p: m for p, m in matches.items() if m}, len(cached)


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


def batch_data_version(analyses: Sequence[FileAnalysis]) -> str:
    """The content hash of a one-file batch; else a digest of (path, hash) pairs in path order."""
    if len(analyses) == 1:
        return analyses[0].content_hash or f"{analyses[0].status}:{analyses[0].reason}"
    digest = xxhash.xxh3_128()
    for a in sorted(analyses, key=lambda a: a.path):
        digest.update(f"{a.path}\0{a.content_hash or a.status}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


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


def run_totals(
    analyses: Sequence[FileAnalysis], matches: Mapping[str, Sequence[PatternMatch]]
) -> dict[str, dict[str, MetadataValue]]:
    """Small per-run aggregates (Dagster copies them into every partition's event: keep them few)."""
    run: dict[str, MetadataValue] = {"run_files": MetadataValue.int(len(analyses))}
    problems = sum(1 for a in analyses if a.status != "ok")
    return {
        PARSE: run | {"run_not_ok": MetadataValue.int(problems)},
        SYMBOLS: run | {"run_symbols": MetadataValue.int(sum(len(a.symbols) for a in analyses))},
        IMPORTS: run | {"run_imports": MetadataValue.int(sum(len(a.imports) for a in analyses))},
        CALLS: run | {"run_calls": MetadataValue.int(sum(len(a.calls) for a in analyses))},
        PATTERN_MATCHES: run | {"run_matches": MetadataValue.int(sum(len(m) for m in matches.values()))},
    }
