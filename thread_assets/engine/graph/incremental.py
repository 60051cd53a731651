"""Bring the graph tables up to date from what changed since the last graph build.

The graph of a repository is a pure function of (every file's analysis, the set of indexed paths,
the configuration files the resolvers read). The last build records what it consumed in the
store's ``graph_inputs`` table, written in the same transaction as the graph rows, so this module
works the delta out itself; nothing is passed in by the caller:

- ``content/<path>``: the file's content hash, size, language, status and extractor version (its
  analysis is a function of these);
- ``exports/<path>``: what OTHER files' call resolution can see of the file: language, symbols
  (id, name, qualified name, kind, parent; no locations) and import bindings with the files they
  resolve to;
- ``config/<path>``: each configuration file a resolver read through ``RepoContext.read``
  (``go.mod``, ``tsconfig.json``, ``Cargo.toml``, ...), ``""`` when it was absent;
- ``deps/<path>`` and ``calls/<path>``: digests of the file's import resolutions + dependency edges
  and of its call edges, the build's OUTPUT, from which the data versions are derived cheaply;
- ``meta/engine``: a digest of the resolver and graph code plus ``EXTRACTOR_VERSION``.

What depends on what (read off ``resolve/*`` and ``calls._Resolver``):

- a file's import resolutions depend on its own (language, imports), the set of indexed paths and
  the config files read: ``make_resolver(ctx)`` sees nothing but ``RepoContext``. So a changed
  path set or config re-resolves every file's imports (from the stored ``imports`` rows, not full
  analyses); otherwise only the changed files are re-resolved. New resolutions are diffed against
  the stored ones.
- a file F's call edges depend on F's analysis and resolutions; on the symbols and import
  bindings (with targets) of every file F's imports resolve to (hop 1); on the symbols of the
  files THEIR imports resolve to (hop 2: re-exports, ``import *``, ``top_level(follow=1)``); and,
  for Go, on the symbols of every ``.go`` file of the directory of F and of each Go target (a
  package). F is re-resolved when it changed, its resolutions changed, or a file within two hops
  of it (Go directories expanded) changed its ``exports`` digest, was added or was removed.
- dependency edges of a file depend on its resolutions and its imports' kinds only; cycles are
  recomputed from the whole internal edge set whenever it changed (cheap), else kept.

The result equals a from-scratch build row for row (``tests/graph`` checks it on random edit
sequences). Full builds: empty ``graph_inputs`` (first build, or written by an older Thread), a
different ``meta/engine`` digest (resolver/graph code or extractor version changed), or more than
``FULL_FRACTION`` of the files changed.
"""

from __future__ import annotations

import bisect
import posixpath
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import msgspec
import xxhash

from ..model import EXTRACTOR_VERSION, FileAnalysis
from ..resolve import RepoContext, Resolution, resolve_imports
from .calls import (
    CallEdge,
    HierarchyEdge,
    go_method_index,
    resolve_calls,
    resolve_calls_by_file,
    resolve_hierarchy,
)
from .deps import Cycle, DepEdge, dependency_edges, find_cycles
from .evaluate import GO_METHODS, HIERARCHY
from .lookup import Lookup, overridable_hooks

Mode = Literal["full", "incremental", "unchanged"]
_E = TypeVar("_E", CallEdge, HierarchyEdge)
Reader = Callable[[str], bytes | None]

FULL_FRACTION = 0.5
"""When more than this share of the files changed, a full build is cheaper than the bookkeeping."""

CONTENT, EXPORTS, CONFIG, DEPS, CALLS, META = "content", "exports", "config", "deps", "calls", "meta"
READS = "reads"
"""Graph input kind: the files a file's call edges and hierarchy rows were derived from, one per line."""
ENGINE_KEY = "engine"


class FileStateLike(Protocol):
    @property
    def content_hash(self) -> str | None: ...
    @property
    def size_bytes(self) -> int: ...
    @property
    def language(self) -> str | None: ...
    @property
    def extractor_version(self) -> str: ...
    @property
    def status(self) -> str: ...


@dataclass
class GraphDelta:
    """What ``GraphStore.write_graph_delta`` writes, in one transaction.

    ``full``: every graph row and graph input of the repository is replaced. Otherwise
    ``sources``' import resolutions and dependency edges, and ``call_paths``' call edges, are
    replaced by the given rows; ``cycles`` replace all cycles unless None (kept);
    ``inputs`` entries are upserted, ``inputs_deleted`` removed, and every entry of a kind in
    ``inputs_replaced_kinds`` removed before the upserts. ``files_version``: the store's per-file
    version the build read before loading anything (``index_versions``); the commit records the
    graphs as built from it."""

    full: bool
    sources: Sequence[str]
    call_paths: Sequence[str]
    resolutions: Sequence[Resolution]
    dep_edges: Sequence[DepEdge]
    call_edges: Iterable[CallEdge]
    """A sequence, or an iterator that the store consumes inside its transaction before it
    reads ``inputs`` (a full build streams its edges and completes ``inputs`` as they run out)."""
    cycles: Sequence[Cycle] | None
    inputs: Sequence[tuple[str, str, str]]
    inputs_deleted: Sequence[tuple[str, str]] = ()
    inputs_replaced_kinds: Sequence[str] = ()
    files_version: int | None = None
    hierarchy: Sequence[HierarchyEdge] = ()
    """Resolved hierarchy rows of ``call_paths`` (of every file when ``full``)."""


class GraphStore(Protocol):
    """The store operations the incremental update needs (``resources.store.sqlbase.SqlStore``)."""

    def file_states(self, repo: str) -> Mapping[str, FileStateLike]: ...
    def load_analyses(self, repo: str, paths: Sequence[str] | None = None) -> list[FileAnalysis]: ...
    def load_imports(self, repo: str, paths: Sequence[str] | None = None) -> list[FileAnalysis]: ...
    def load_resolutions(self, repo: str, paths: Sequence[str] | None = None) -> list[Resolution]: ...
    def load_hierarchy(self, repo: str, paths: Sequence[str] | None = None) -> list[HierarchyEdge]: ...
    def go_methods(self, repo: str) -> list[tuple[str, str]]: ...
    def relation_paths(self, repo: str) -> list[str]: ...
    def load_cycles(self, repo: str) -> list[Cycle]: ...
    def internal_dep_pairs(self, repo: str) -> list[tuple[str, str]]: ...
    def load_graph_inputs(self, repo: str) -> dict[str, dict[str, str]]: ...
    def index_versions(self, repo: str) -> tuple[int, int]: ...
    def write_graph_delta(self, repo: str, delta: GraphDelta, *, run_id: str = "") -> int: ...


@dataclass
class GraphUpdate:
    """What one update did (for asset metadata and tests)."""

    mode: Mode
    reason: str
    files: int
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    config_changed: list[str] = field(default_factory=list)
    imports_resolved: int = 0
    """Files whose imports were resolved again."""
    resolutions_changed: list[str] = field(default_factory=list)
    exports_changed: list[str] = field(default_factory=list)
    calls_resolved: list[str] = field(default_factory=list)
    """Files whose calls were resolved again (their call_edges rows replaced)."""
    cycles_recomputed: bool = False
    cycles: list[Cycle] = field(default_factory=list)
    rows_written: int = 0
    dep_version: str = ""
    call_version: str = ""
    seconds: float = 0.0


# ---- digests


@cache
def engine_digest() -> str:
    """Changes with the resolver and graph code and with the extractor version: a different
    engine may resolve the same inputs differently, so its first build is a full one."""
    h = xxhash.xxh3_128()
    h.update(EXTRACTOR_VERSION.encode())
    here = Path(__file__).resolve().parent
    for directory in (here, here.parent / "resolve"):
        for f in sorted(directory.glob("*.py")):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def content_digest(state: FileStateLike) -> str:
    """A file's analysis is a function of (bytes, language, extractor version): these say whether
    it may have changed."""
    return f"{state.content_hash}|{state.size_bytes}|{state.language}|{state.status}|{state.extractor_version}"


def blob_digest(data: bytes | None) -> str:
    return "" if data is None else xxhash.xxh3_64_hexdigest(data)


_encode = msgspec.msgpack.Encoder().encode


def exports_digest(analysis: FileAnalysis, resolutions: Sequence[Resolution]) -> str:
    """Everything other files' call resolution reads of this file (no locations, no bodies)."""
    targets: list[str | None] = [None] * len(analysis.imports)
    for r in resolutions:
        if r.index < len(targets):
            targets[r.index] = r.target
    payload = (
        analysis.language,
        [(s.id, s.name, s.qualified_name, s.kind, s.parent, s.decorators, s.exported) for s in analysis.symbols],
        [(i.module, i.name, i.alias, i.bound, i.kind, t) for i, t in zip(analysis.imports, targets, strict=True)],
        analysis.bindings,
        [(r.type, r.type_name, r.base, r.kind, r.access) for r in analysis.relations],
        sorted(overridable_hooks(analysis)),
    )
    return xxhash.xxh3_128_hexdigest(_encode(payload))


def _records_digest(records: Sequence[object]) -> str:
    return xxhash.xxh3_128_hexdigest(_encode(records))


def versions(digests: Mapping[str, str]) -> str:
    """One version over per-file output digests (path order)."""
    h = xxhash.xxh3_128()
    for path in sorted(digests):
        h.update(path.encode("utf-8", "surrogateescape") + b"\0" + digests[path].encode() + b"\n")
    return h.hexdigest()


class RecordingReader:
    """Wraps the config reader and records every path a resolver read, with its digest."""

    def __init__(self, read: Reader) -> None:
        self._read = read
        self.seen: dict[str, str] = {}

    def __call__(self, path: str) -> bytes | None:
        data = self._read(path)
        self.seen[path] = blob_digest(data)
        return data


# ---- helpers


def _by_importer(resolutions: Iterable[Resolution]) -> dict[str, list[Resolution]]:
    out: dict[str, list[Resolution]] = defaultdict(list)
    for r in resolutions:
        out[r.importer].append(r)
    return out


def _by_source(edges: Iterable[DepEdge]) -> dict[str, list[DepEdge]]:
    out: dict[str, list[DepEdge]] = defaultdict(list)
    for e in edges:
        out[e.source].append(e)
    return out


def _by_path(edges: Iterable[_E]) -> dict[str, list[_E]]:
    out: dict[str, list[_E]] = defaultdict(list)
    for e in edges:
        out[e.path].append(e)
    return out


def _deps_digest(resolutions: Sequence[Resolution], edges: Sequence[DepEdge]) -> str | None:
    return _records_digest([resolutions, edges]) if resolutions or edges else None


def _calls_digest(edges: Sequence[CallEdge], hierarchy: Sequence[HierarchyEdge] = ()) -> str | None:
    if not edges and not hierarchy:
        return None
    return _records_digest([edges, hierarchy]) if hierarchy else _records_digest(edges)


def _stub_edges(succ: Mapping[str, set[str]]) -> list[DepEdge]:
    """Cycles depend on the internal (source, target) pairs only."""
    return [
        DepEdge(source=s, target=t, count=1, names=(), resolved_by=())
        for s, ts in sorted(succ.items())
        for t in sorted(ts)
    ]


def _empty_delta(files_version: int) -> GraphDelta:
    """A graph commit that changes no row: it only records that the graphs cover ``files_version``."""
    return GraphDelta(
        full=False,
        sources=(),
        call_paths=(),
        resolutions=(),
        dep_edges=(),
        call_edges=(),
        cycles=None,
        inputs=(),
        files_version=files_version,
    )


# ---- full build


FULL_BUILD_RECORDS = 100_000
"""Records (symbols, imports, calls, bindings, relations) of the analyses a full build keeps
loaded, least recently used dropped first: counted in records, not files, because one generated
header can hold more symbols than a thousand ordinary files."""
FULL_BUILD_INDEX_SYMBOLS = 100_000
"""Symbols (and bindings) of the files' name tables a full build keeps, likewise."""
FULL_BUILD_CHUNK = 256
"""Files resolved with one evaluator (whose memo is dropped between chunks)."""


def full_build(
    store: GraphStore,
    repo: str,
    read: Reader,
    *,
    run_id: str = "",
    reason: str = "requested",
    started: float = 0.0,
    files_version: int | None = None,
    root_name: str = "",
) -> GraphUpdate:
    """Resolve everything from the stored analyses and replace every graph row and input.

    Memory does not grow with the repository's analyses: import resolution reads only the
    stored imports; the hierarchy and the call edges are resolved walking the files in path
    order with a bounded window of loaded analyses and name tables (read ahead in bulk), and
    the call edges stream into the store's transaction as they are made. What is held whole is
    small per file: the resolutions, the dependency edges, the hierarchy rows and each file's
    digests."""
    started = started or time.perf_counter()
    if files_version is None:
        files_version = store.index_versions(repo)[0]
    states = store.file_states(repo)
    present = sorted(states)
    recorder = RecordingReader(read)
    ctx = RepoContext(files=frozenset(present), read=recorder, root_name=root_name)
    imports = {a.path: a for a in store.load_imports(repo)}
    resolutions = resolve_imports(list(imports.values()), ctx)
    edges = dependency_edges(resolutions, imports)
    del imports
    cycles = find_cycles(edges)
    res_by, edges_by = _by_importer(resolutions), _by_source(edges)
    analyses = StoreAnalyses(store, repo, set(present), capacity=FULL_BUILD_RECORDS)
    lookup = Lookup(analyses, resolutions, max_symbols=FULL_BUILD_INDEX_SYMBOLS)
    reads: dict[str, list[str]] = {}
    inputs = [(META, ENGINE_KEY, engine_digest())]
    inputs += [(CONTENT, p, content_digest(states[p])) for p in present]
    hierarchy: list[HierarchyEdge] = []
    with_relations = store.relation_paths(repo)  # most files declare none: they need no pass of their own
    for start in range(0, len(with_relations), FULL_BUILD_CHUNK):
        chunk = with_relations[start : start + FULL_BUILD_CHUNK]
        analyses.prefetch(chunk)
        hierarchy += resolve_hierarchy(analyses, lookup, paths=chunk, reads=reads)
    deps_out = {p: d for p in present if (d := _deps_digest(res_by.get(p, []), edges_by.get(p, []))) is not None}
    inputs += [(DEPS, p, d) for p, d in deps_out.items()]
    h_by = _by_path(hierarchy)
    calls_out: dict[str, str] = {}
    go_methods = go_method_index(store.go_methods(repo))

    def call_edges() -> Iterator[CallEdge]:
        """Streamed into the store's transaction; the per-file digests are complete (and
        appended to ``inputs``) once it is exhausted, before the store reads ``inputs``."""
        for start in range(0, len(present), FULL_BUILD_CHUNK):
            chunk = present[start : start + FULL_BUILD_CHUNK]
            analyses.prefetch(chunk)
            by_file = dict(
                resolve_calls_by_file(lookup, hierarchy=hierarchy, reads=reads, paths=chunk, go_methods=go_methods)
            )
            for p in chunk:
                inputs.append((EXPORTS, p, exports_digest(analyses[p], res_by.get(p, []))))
                file_edges = by_file.get(p, [])
                digest = _calls_digest(file_edges, h_by.get(p, []))
                if digest is not None:
                    calls_out[p] = digest
                yield from file_edges
        inputs.extend((CONFIG, p, d) for p, d in recorder.seen.items())
        inputs.extend((CALLS, p, d) for p, d in calls_out.items())
        inputs.extend((READS, p, "\n".join(r)) for p, r in reads.items() if r)

    delta = GraphDelta(
        full=True,
        hierarchy=hierarchy,
        sources=(),
        call_paths=(),
        resolutions=resolutions,
        dep_edges=edges,
        call_edges=call_edges(),
        cycles=cycles,
        inputs=inputs,
        files_version=files_version,
    )
    written = store.write_graph_delta(repo, delta, run_id=run_id)
    return GraphUpdate(
        mode="full",
        reason=reason,
        files=len(present),
        imports_resolved=len(present),
        calls_resolved=present,
        cycles_recomputed=True,
        cycles=cycles,
        rows_written=written,
        dep_version=versions(deps_out),
        call_version=versions(calls_out),
        seconds=time.perf_counter() - started,
    )


# ---- incremental update


def update_graph(
    store: GraphStore, repo: str, read: Reader, *, run_id: str = "", full: bool = False, root_name: str = ""
) -> GraphUpdate:
    """Bring the repository's graph rows up to date with its per-file rows (see the module doc)."""
    started = time.perf_counter()
    # read first: a per-file commit after this point leaves the graphs marked behind
    files_version, graphs_version = store.index_versions(repo)
    inputs = store.load_graph_inputs(repo)
    full_reason = ""
    if full:
        full_reason = "requested"
    elif not inputs.get(META):
        full_reason = "no previous graph inputs"
    elif inputs[META].get(ENGINE_KEY) != engine_digest():
        full_reason = "engine changed"
    if full_reason:
        return full_build(
            store,
            repo,
            read,
            run_id=run_id,
            reason=full_reason,
            started=started,
            files_version=files_version,
            root_name=root_name,
        )

    states = store.file_states(repo)
    content_old = inputs.get(CONTENT, {})
    content_new = {p: content_digest(s) for p, s in states.items()}
    added = sorted(content_new.keys() - content_old.keys())
    removed = sorted(content_old.keys() - content_new.keys())
    changed = sorted(p for p in content_new.keys() & content_old.keys() if content_new[p] != content_old[p])
    config_old = inputs.get(CONFIG, {})
    config_changed = sorted(p for p, d in config_old.items() if blob_digest(read(p)) != d)
    deps_out = dict(inputs.get(DEPS, {}))
    calls_out = dict(inputs.get(CALLS, {}))
    update = GraphUpdate(
        mode="incremental",
        reason="",
        files=len(states),
        changed=changed,
        added=added,
        removed=removed,
        config_changed=config_changed,
    )
    if not (added or removed or changed or config_changed):
        update.mode, update.reason = "unchanged", "nothing changed since the last graph build"
        if files_version > graphs_version:  # e.g. files rewritten with the same content, then a crash
            store.write_graph_delta(repo, _empty_delta(files_version), run_id=run_id)
        update.cycles = store.load_cycles(repo)
        update.dep_version, update.call_version = versions(deps_out), versions(calls_out)
        update.seconds = time.perf_counter() - started
        return update
    if len(added) + len(changed) > FULL_FRACTION * max(len(states), 1):
        return full_build(
            store,
            repo,
            read,
            run_id=run_id,
            reason="most files changed",
            started=started,
            files_version=files_version,
            root_name=root_name,
        )

    present = set(states)
    fresh = sorted(set(added) | set(changed))
    analyses: dict[str, FileAnalysis] = {a.path: a for a in store.load_analyses(repo, fresh)}
    recorder = RecordingReader(read)
    ctx = RepoContext(files=frozenset(present), read=recorder, root_name=root_name)
    all_imports = bool(added or removed or config_changed)
    if all_imports:
        update.reason = "path set or configuration changed: every file's imports resolved again"
        importers = {a.path: a for a in store.load_imports(repo)}
        importers.update(analyses)
        new_res = _by_importer(resolve_imports(importers.values(), ctx))
        old_res = _by_importer(store.load_resolutions(repo))
        scope: Iterable[str] = sorted(present)
        update.imports_resolved = len(importers)
    else:
        update.reason = "files changed: their imports resolved again"
        importers = dict(analyses)
        new_res = _by_importer(resolve_imports(analyses.values(), ctx))
        old_res = _by_importer(store.load_resolutions(repo, fresh))
        scope = fresh
        update.imports_resolved = len(fresh)
    res_changed = sorted(p for p in scope if new_res.get(p, []) != old_res.get(p, []))
    update.resolutions_changed = res_changed

    # files whose resolutions, dependency edges and exports may have changed
    sources = sorted(set(fresh) | set(res_changed))
    more = [p for p in sources if p not in analyses]
    if more:
        analyses.update((a.path, a) for a in store.load_analyses(repo, more))
    exports_old = inputs.get(EXPORTS, {})
    exports_new = {p: exports_digest(analyses[p], new_res.get(p, [])) for p in sources}
    exports_changed = sorted(p for p in sources if exports_new[p] != exports_old.get(p))
    update.exports_changed = exports_changed
    new_edges = dependency_edges([r for p in sources for r in new_res.get(p, [])], analyses)
    edges_by = _by_source(new_edges)

    # the internal dependency graph before (what is stored) and after
    old_succ: dict[str, set[str]] = defaultdict(set)
    for s, t in store.internal_dep_pairs(repo):
        old_succ[s].add(t)
    new_succ: dict[str, set[str]] = {s: set(ts) for s, ts in old_succ.items() if s not in removed}
    for p in sources:
        new_succ[p] = {e.target for e in edges_by.get(p, []) if not e.external}
    new_succ = {s: ts for s, ts in new_succ.items() if ts}
    pairs_changed = bool(removed) or any(old_succ.get(p, set()) != new_succ.get(p, set()) for p in sources)

    # files whose calls must be resolved again
    go_files: dict[str, list[str]] = defaultdict(list)
    for p in sorted(present | set(removed)):
        if p.endswith(".go"):
            go_files[posixpath.dirname(p)].append(p)
    touched = set(exports_changed) | set(added) | set(removed)
    touched |= {f for p in list(touched) if p.endswith(".go") for f in go_files[posixpath.dirname(p)]}
    pred: dict[str, set[str]] = defaultdict(set)
    for succ in (old_succ, new_succ):
        for s, ts in succ.items():
            for t in ts:
                pred[t].add(s)
    hop1 = {s for t in touched for s in pred.get(t, ())}
    hop2 = {s for t in hop1 for s in pred.get(t, ())}
    reads_old = {p: d.split("\n") for p, d in inputs.get(READS, {}).items() if d}
    readers = {p for p, rs in reads_old.items() if not touched.isdisjoint(rs)}
    if any(p.endswith(".go") for p in touched):  # a Go type's method set may have changed
        readers |= {p for p, rs in reads_old.items() if GO_METHODS in rs}
    redo_set = (set(sources) | touched | hop1 | hop2 | readers) & present

    # the analyses those files' resolution reads: two hops out (Go packages whole) and what they
    # read last time loaded up front; anything else on demand
    def expand(paths: Iterable[str]) -> set[str]:
        out = set()
        for p in paths:
            if p in present:
                out.add(p)
                if states[p].language == "go" or p.endswith(".go"):
                    out.update(f for f in go_files[posixpath.dirname(p)] if f in present)
            else:  # a target that names a directory stands for its Go package
                out.update(f for f in go_files[p.rstrip("/")] if f in present)
        return out

    level0 = expand(redo_set)
    level1 = expand(t for p in level0 for t in new_succ.get(p, ()))
    level2 = expand(t for p in level1 for t in new_succ.get(p, ()))
    needed = level0 | level1 | level2 | {r for p in redo_set for r in reads_old.get(p, ()) if r in present}
    more = sorted(needed - analyses.keys())
    if more:
        analyses.update((a.path, a) for a in store.load_analyses(repo, more))
    lazy = StoreAnalyses(store, repo, present, analyses)
    fresh_set = set(fresh)
    if all_imports:
        res_for_calls = [r for p in sorted(present) for r in new_res.get(p, [])]
    else:
        res_for_calls = [r for r in store.load_resolutions(repo) if r.importer not in fresh_set]
        res_for_calls += [r for p in sorted(fresh_set) for r in new_res.get(p, [])]

    # hierarchy rows first: when a type's bases changed, every file whose edges depend on some
    # type's descendants (dispatch) is resolved again too
    reads_new: dict[str, list[str]] = {}
    hierarchy_new = resolve_hierarchy(lazy, res_for_calls, paths=sorted(redo_set), reads=reads_new)
    stored_hierarchy = store.load_hierarchy(repo)
    h_old = _by_path(stored_hierarchy)
    h_new = _by_path(hierarchy_new)
    if any(h_old.get(p, []) != h_new.get(p, []) for p in redo_set | set(removed)):
        extra = {p for p, rs in reads_old.items() if HIERARCHY in rs and p in present} - redo_set
        if extra:
            hierarchy_new += resolve_hierarchy(lazy, res_for_calls, paths=sorted(extra), reads=reads_new)
            redo_set |= extra
            h_new = _by_path(hierarchy_new)
    redo = sorted(redo_set)
    update.calls_resolved = redo
    hierarchy_all = [h for h in stored_hierarchy if h.path not in redo_set and h.path in present] + hierarchy_new
    go_methods = go_method_index(store.go_methods(repo)) if any(p.endswith(".go") for p in present) else {}
    call_edges = resolve_calls(
        lazy, res_for_calls, hierarchy=hierarchy_all, reads=reads_new, paths=redo, go_methods=go_methods
    )
    calls_by = _by_path(call_edges)

    # cycles
    if pairs_changed:
        update.cycles = find_cycles(_stub_edges(new_succ))
        update.cycles_recomputed = True
    else:
        update.cycles = store.load_cycles(repo)

    # graph inputs and output digests
    ins: list[tuple[str, str, str]] = [(CONTENT, p, content_new[p]) for p in fresh]
    ins += [(EXPORTS, p, exports_new[p]) for p in sources]
    gone: list[tuple[str, str]] = [(k, p) for p in removed for k in (CONTENT, EXPORTS, DEPS, CALLS, READS)]
    for p in removed:
        deps_out.pop(p, None)
        calls_out.pop(p, None)
    for p in sources:
        d = _deps_digest(new_res.get(p, []), edges_by.get(p, []))
        if d is None:
            deps_out.pop(p, None)
            gone.append((DEPS, p))
        else:
            deps_out[p] = d
            ins.append((DEPS, p, d))
    for p in redo:
        d = _calls_digest(calls_by.get(p, []), h_new.get(p, []))
        if d is None:
            calls_out.pop(p, None)
            gone.append((CALLS, p))
        else:
            calls_out[p] = d
            ins.append((CALLS, p, d))
        if reads_new.get(p):
            ins.append((READS, p, "\n".join(reads_new[p])))
        elif p in reads_old:
            gone.append((READS, p))
    replaced: tuple[str, ...] = ()
    if all_imports:  # a complete resolution: exactly what it read is the configuration
        replaced = (CONFIG,)
        ins += [(CONFIG, p, d) for p, d in recorder.seen.items()]
    else:  # a partial one read a subset: add what was new
        ins += [(CONFIG, p, d) for p, d in recorder.seen.items() if config_old.get(p) != d]

    delta = GraphDelta(
        full=False,
        sources=sorted(set(sources) | set(removed)),
        call_paths=sorted(redo_set | set(removed)),
        resolutions=[r for p in sources for r in new_res.get(p, [])],
        dep_edges=new_edges,
        call_edges=call_edges,
        hierarchy=hierarchy_new,
        cycles=update.cycles if pairs_changed else None,
        inputs=ins,
        inputs_deleted=gone,
        inputs_replaced_kinds=replaced,
        files_version=files_version,
    )
    update.rows_written = store.write_graph_delta(repo, delta, run_id=run_id)
    update.dep_version, update.call_version = versions(deps_out), versions(calls_out)
    update.seconds = time.perf_counter() - started
    return update


def _records(a: FileAnalysis) -> int:
    return 1 + len(a.symbols) + len(a.imports) + len(a.calls) + len(a.bindings) + len(a.relations)


class StoreAnalyses(Mapping[str, FileAnalysis]):
    """Every indexed path; an analysis not loaded is read from the store on first use (call
    resolution may follow an import chain or a class hierarchy further than expected).

    ``capacity``: keep at most this many records loaded (symbols, imports, calls, bindings and
    relations of the analyses; least recently used dropped first, the one in use always kept;
    None keeps all). ``read_ahead``: a miss also loads the next paths in path order, in the same query (a
    walk in path order, and the headers or modules next to the one looked up, come in bulk
    instead of a query per file: one request each over D1's HTTP API)."""

    def __init__(
        self,
        store: GraphStore,
        repo: str,
        present: set[str],
        loaded: dict[str, FileAnalysis] | None = None,
        *,
        capacity: int | None = None,
        read_ahead: int = 0,
    ) -> None:
        self._store, self._repo, self._present = store, repo, present
        self._loaded: OrderedDict[str, FileAnalysis] = OrderedDict(loaded or {})
        self._capacity = capacity
        self._weight = sum(_records(a) for a in self._loaded.values())
        self._read_ahead = read_ahead
        self._order: list[str] | None = None

    def prefetch(self, paths: Sequence[str]) -> None:
        missing = [p for p in paths if p not in self._loaded and p in self._present]
        if missing:
            self._load(missing)

    def _load(self, paths: Sequence[str]) -> None:
        for a in self._store.load_analyses(self._repo, list(paths)):
            old = self._loaded.pop(a.path, None)
            if old is not None:
                self._weight -= _records(old)
            self._loaded[a.path] = a
            self._weight += _records(a)
        if self._capacity is not None:
            while self._weight > self._capacity and len(self._loaded) > 1:
                _, dropped = self._loaded.popitem(last=False)
                self._weight -= _records(dropped)

    def __getitem__(self, path: str) -> FileAnalysis:
        found = self._loaded.get(path)
        if found is not None:
            if self._capacity is not None:
                self._loaded.move_to_end(path)
            return found
        if path not in self._present:
            raise KeyError(path)
        wanted = [path]
        if self._read_ahead:
            if self._order is None:
                self._order = sorted(self._present)
            at = bisect.bisect_left(self._order, path)
            wanted += [p for p in self._order[at + 1 : at + 1 + self._read_ahead] if p not in self._loaded]
        self._load(wanted)
        found = self._loaded.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return path in self._present

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._present))

    def __len__(self) -> int:
        return len(self._present)
