"""Analyse a repository's files into the store with memory that does not grow with their number.

A first index of a large tree used to hold every file's bytes, analysis and pattern matches in
the run process until one transaction wrote them all: peak memory grew with the repository. Here
the files flow through three stages that each hold a bounded amount:

1. **read** (this thread): files are read and hashed a block at a time; content the cache has
   seen comes straight from it, the rest is submitted to the worker pool, never more than
   ``2 * BLOCK`` files (and their bytes) in flight;
2. **analyse** (the worker processes): analysis and the bundled pattern rules, where the bytes
   already are;
3. **write** (a writer thread): answers are grouped in chunks of ``CHUNK_FILES`` files and each
   chunk is one ``Store.write_files`` transaction, so a reader sees a file's rows all or not at
   all. The queue to the writer holds at most ``QUEUE_CHUNKS`` chunks: a slow store slows the
   analysis down instead of piling results up. The writer overlaps the store's work with the
   workers' (a SQLite or Postgres client spends most of a write outside the GIL).

What is kept per file for the caller is only what ``on_chunk`` keeps (per-partition metadata).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xxhash

from resources.store.base import Store
from thread_assets.engine import FileAnalysis, PatternMatch, detect_language
from thread_assets.engine.batch import BatchItem, Done, read_for_analysis, stream_pool
from thread_assets.engine.content_cache import ContentCache, analysis_key, matches_key
from thread_assets.engine.patterns import default_rules, languages_with_rules, run_rules
from thread_assets.repo.discover import disk_path
from thread_assets.repo.versions import patterns_code_version

BLOCK = 256
"""Files read, hashed and looked up in the content cache together."""
CHUNK_FILES = 256
"""Files per store transaction, at most."""
CHUNK_RECORDS = 20_000
"""Records (symbols, imports, calls, bindings, relations, matches) per store transaction, at most:
a generated header can hold 50,000 macros, and a few such files in the chunks in flight would
cost more memory than thousands of ordinary ones (a single file is never split)."""
QUEUE_CHUNKS = 2
"""Chunks waiting for the writer at most."""

Analysed = tuple[FileAnalysis, list[PatternMatch]]
OnChunk = Callable[[Sequence[FileAnalysis], dict[str, list[PatternMatch]]], None]


@dataclass
class StreamTotals:
    """What one pass wrote."""

    files: int = 0
    rows: int = 0
    reused: int = 0
    """Analyses that came from the content cache."""
    chunks: int = 0


@dataclass
class _Block:
    items: list[BatchItem] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)


def analyse_stream(
    root: Path,
    paths: Sequence[str],
    cache: ContentCache,
    *,
    workers: int | None,
    timeout_s: float,
    progress: Callable[[FileAnalysis], None] | None = None,
    totals: StreamTotals | None = None,
) -> Iterator[Analysed]:
    """Each path's analysis and pattern matches, in completion order, each file read once.

    Content seen before (a revert, a rename, a copy, another branch) comes from the
    content-addressed cache; the rest goes to the worker pool as bytes, where the rules run too."""
    rules = default_rules()
    rule_languages = languages_with_rules(rules)
    rules_version = patterns_code_version()
    totals = totals if totals is not None else StreamTotals()
    keys: dict[int, str] = {}
    """Pool index -> cache key of the items in flight."""

    fresh: list[tuple[str, list[PatternMatch]]] = []
    """Matches computed since the last cache write: written in one transaction per pool step."""

    def with_matches(analysis: FileAnalysis, matches: list[PatternMatch] | None, source: bytes | None) -> Analysed:
        if not (analysis.status == "ok" and analysis.language in rule_languages and analysis.content_hash):
            return analysis, []
        if matches is None:  # the worker's rule engine failed on it: run here, where an error is seen
            if source is None:
                read = read_for_analysis(root / disk_path(analysis.path))
                source = read if isinstance(read, bytes) else b""
            assert analysis.language is not None
            matches = run_rules(source, analysis.language, rules)
        fresh.append((matches_key(analysis.content_hash, analysis.language, rules_version), matches))
        return analysis, matches

    def flush_matches() -> None:
        cache.put_matches(fresh)
        fresh.clear()

    with stream_pool(workers=workers, timeout_s=timeout_s, expected=len(paths)) as pool:

        def drain(limit: int) -> Iterator[Analysed]:
            while pool.outstanding > limit:
                done: list[Done] = pool.step()
                cache.put_encoded([(keys[d.index], d.analysis, d.encoded) for d in done if d.index in keys])
                answered = [with_matches(d.analysis, d.matches, None) for d in done]
                flush_matches()
                for d, result in zip(done, answered, strict=True):
                    keys.pop(d.index, None)
                    if progress is not None:
                        progress(d.analysis)
                    yield result

        for start in range(0, len(paths), BLOCK):
            block = _read_block(root, paths[start : start + BLOCK])
            cached = cache.get_analyses(block.keys)
            have = {
                p: matches_key(a.content_hash, a.language, rules_version)
                for p, a in cached.items()
                if a.status == "ok" and a.language in rule_languages and a.content_hash is not None
            }
            cached_matches = cache.get_matches(have)
            todo: list[BatchItem] = []
            for item in block.items:
                path, source, _ = item
                analysis = cached.get(path)
                if analysis is None:
                    todo.append(item)
                    continue
                totals.reused += 1
                if progress is not None:
                    progress(analysis)
                if path in have and path not in cached_matches:  # the rules changed since
                    yield with_matches(analysis, None, source if isinstance(source, bytes) else None)
                else:
                    yield analysis, cached_matches.get(path, [])
            flush_matches()
            for index, (path, _, _) in zip(pool.submit(todo), todo, strict=True):
                if path in block.keys:
                    keys[index] = block.keys[path]
            yield from drain(BLOCK)
        yield from drain(0)


def _read_block(root: Path, paths: Sequence[str]) -> _Block:
    block = _Block()
    for path in paths:
        on_disk = root / disk_path(path)  # an index path may be escaped (a name that is not UTF-8)
        read = read_for_analysis(on_disk)
        if not isinstance(read, bytes):
            block.items.append((path, str(on_disk), None))  # the worker records why it is unreadable
            continue
        language = detect_language(path, read)
        block.keys[path] = analysis_key(xxhash.xxh3_64_hexdigest(read), language)
        block.items.append((path, read, language))
    return block


def write_stream(
    store: Store,
    repo: str,
    analysed: Iterator[Analysed],
    *,
    run_id: str,
    indexed_at: str,
    on_chunk: OnChunk | None = None,
    totals: StreamTotals | None = None,
    chunk_files: int | None = None,
) -> StreamTotals:
    """Write ``analysed`` to the store in chunks of ``chunk_files`` files, one transaction each,
    on a writer thread; ``on_chunk`` sees each chunk (on this thread) once it is queued.

    The first error (the store's, or the analysis stream's) stops the pass and is raised here,
    after the files already committed by this pass are removed again (best effort): whoever
    records what was written (Dagster's materializations) records nothing for a failed pass, so
    the store must not claim those files either; the next update finds them missing and analyses
    them again."""
    totals = totals if totals is not None else StreamTotals()
    chunk_files = chunk_files or CHUNK_FILES
    pending: queue.Queue[tuple[list[FileAnalysis], dict[str, list[PatternMatch]]] | None] = queue.Queue(QUEUE_CHUNKS)
    failure: list[BaseException] = []
    committed: list[str] = []

    def writer() -> None:
        while True:
            chunk = pending.get()
            if chunk is None:
                return
            if failure:
                continue  # drain without writing: the pass has failed
            analyses, matches = chunk
            try:
                totals.rows += store.write_files(repo, analyses, matches, run_id=run_id, indexed_at=indexed_at)
                totals.chunks += 1
                committed.extend(a.path for a in analyses)
            except BaseException as exc:
                failure.append(exc)

    thread = threading.Thread(target=writer, name="thread-store-writer", daemon=True)
    thread.start()

    def put(chunk: tuple[list[FileAnalysis], dict[str, list[PatternMatch]]] | None) -> None:
        while True:
            if failure and chunk is not None:
                raise failure[0]
            try:
                pending.put(chunk, timeout=0.1)
                return
            except queue.Full:
                if not thread.is_alive():
                    raise RuntimeError("the store writer stopped") from (failure[0] if failure else None)

    analyses: list[FileAnalysis] = []
    matches: dict[str, list[PatternMatch]] = {}
    weight = 0
    try:
        for analysis, found in analysed:
            analyses.append(analysis)
            if found:
                matches[analysis.path] = found
            totals.files += 1
            weight += records(analysis) + len(found)
            if len(analyses) >= chunk_files or weight >= CHUNK_RECORDS:
                put((analyses, matches))
                if on_chunk is not None:
                    on_chunk(analyses, matches)
                analyses, matches, weight = [], {}, 0
        if analyses:
            put((analyses, matches))
            if on_chunk is not None:
                on_chunk(analyses, matches)
    except BaseException:
        put(None)
        thread.join()
        _undo(store, repo, committed)
        raise
    put(None)
    thread.join()
    if failure:
        _undo(store, repo, committed)
        raise failure[0]
    return totals


def records(a: FileAnalysis) -> int:
    """How many rows a file's analysis makes, roughly (what a chunk's memory grows with)."""
    return 1 + len(a.symbols) + len(a.imports) + len(a.calls) + len(a.bindings) + len(a.relations)


def _undo(store: Store, repo: str, paths: list[str]) -> None:
    if paths:
        with contextlib.suppress(Exception):  # the original error is the one to report
            store.delete_files(repo, paths)
