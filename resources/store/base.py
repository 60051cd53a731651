"""The one Store idea behind every backend (SQLite, Postgres; D1 later).

Backends implement this protocol over the schema in ``sql/``; the Dagster IO managers, the CLI
and the query API only ever talk to a ``Store``. All SQL takes bound parameters: nothing is built
from user input.

Atomicity contract: ``write_files`` replaces every per-file row of the given paths (files,
symbols, imports, calls, pattern_matches) in ONE transaction; ``delete_files`` removes them from
every table (graph tables included) in one transaction; ``write_graph`` replaces a repository's
graph rows in one transaction; ``write_graph_delta`` applies one (full or incremental) graph
build, its rows and its ``graph_inputs`` bookkeeping, in one transaction. A reader never sees a
file half-written.

Between a per-file commit and the graph commit that follows it the graph tables lag the files; a
crash there must not be forgotten, so the store records it: ``write_files`` and ``delete_files``
raise ``index_state.files_version`` in their transaction, a graph build records the version it
read in its own, and ``graphs_behind`` compares them. Whatever the orchestrator remembers, the
next update then runs the graph step and ``thread audit`` reports the graphs stale.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple, Protocol

from thread_assets.engine import CallEdge, Cycle, DepEdge, FileAnalysis, HierarchyEdge, PatternMatch, Resolution
from thread_assets.engine.graph.incremental import GraphDelta

Direction = Literal["out", "in", "both"]

PER_FILE_TABLES = ("files", "symbols", "imports", "calls", "pattern_matches", "bindings", "type_relations")
GRAPH_TABLES = ("import_resolutions", "dep_edges", "cycles", "call_edges", "type_hierarchy")
TABLES = PER_FILE_TABLES + GRAPH_TABLES


class FileState(NamedTuple):
    """What the store knows about a file: enough to decide whether it must be re-analysed.
    A named tuple, not a frozen dataclass: a sensor tick builds one per indexed file, and a
    named tuple is several times cheaper to construct (docs/benchmarks.md)."""

    path: str
    content_hash: str | None
    size_bytes: int
    language: str | None
    extractor_version: str
    status: str


INTEGRITY_LIMIT = 100
"""Problems an integrity check reports at most (a badly damaged file has thousands)."""


class StoreError(RuntimeError):
    """A store that cannot be reached or used: one clear line for the user (URL without password)."""


class Store(Protocol):
    url: str
    """The store URL with any password masked, for messages and metadata."""

    def apply_schema(self) -> None:
        """Create tables and indexes if missing (idempotent)."""
        ...

    def write_files(
        self,
        repo: str,
        analyses: Sequence[FileAnalysis],
        matches: Mapping[str, Sequence[PatternMatch]] | None = None,
        *,
        run_id: str = "",
        indexed_at: str = "",
    ) -> int:
        """Replace all per-file rows of ``analyses``' paths, atomically. Returns rows written."""
        ...

    def delete_files(self, repo: str, paths: Sequence[str]) -> int:
        """Remove the paths' rows from every table (per-file and graph). Returns rows deleted."""
        ...

    def write_graph(
        self,
        repo: str,
        resolutions: Sequence[Resolution],
        dep_edges: Sequence[DepEdge],
        cycles: Sequence[Cycle],
        call_edges: Sequence[CallEdge],
        *,
        run_id: str = "",
    ) -> int:
        """Replace the repository's graph rows atomically. Returns rows written."""
        ...

    def write_graph_delta(self, repo: str, delta: GraphDelta, *, run_id: str = "") -> int:
        """Apply one graph build (``thread_assets.engine.graph.incremental``) atomically: the
        graph rows of the changed files (or all, ``delta.full``), the cycles and ``graph_inputs``.
        Returns graph rows written."""
        ...

    def load_graph_inputs(self, repo: str) -> dict[str, dict[str, str]]:
        """kind -> path -> digest of what the last graph build consumed and produced."""
        ...

    def index_versions(self, repo: str) -> tuple[int, int]:
        """(files_version, graphs_version) of the repository's ``index_state``; (0, 0) if never written."""
        ...

    def graphs_behind(self, repo: str) -> bool:
        """Whether per-file rows changed after the last graph build read them (a graph step must run)."""
        ...

    def load_imports(self, repo: str, paths: Sequence[str] | None = None) -> list[FileAnalysis]:
        """Analyses carrying only path, language, status and imports (what import resolution reads)."""
        ...

    def load_resolutions(self, repo: str, paths: Sequence[str] | None = None) -> list[Resolution]: ...

    def go_methods(self, repo: str) -> list[tuple[str, str]]:
        """(path, qualified name) of every method of a Go type, interfaces' own methods left out."""
        ...

    def relation_paths(self, repo: str) -> list[str]:
        """Paths of the files that declare type relations, in path order."""
        ...

    def graph_input(self, repo: str, kind: str, path: str) -> str | None:
        """The digest of one graph input the last graph build recorded, or None."""
        ...

    def index_summary(self, repo: str) -> dict[str, Any]:
        """Totals of one repository's index for ``thread index``'s summary (see ``SqlStore``)."""
        ...

    def load_hierarchy(self, repo: str, paths: Sequence[str] | None = None) -> list[HierarchyEdge]:
        """The resolved type hierarchy rows (of ``paths``, or all), in key order."""
        ...

    def load_cycles(self, repo: str) -> list[Cycle]: ...

    def internal_dep_pairs(self, repo: str) -> list[tuple[str, str]]:
        """(source, target) of every dependency edge between repository files."""
        ...

    def graph_counts(self, repo: str) -> dict[str, Any]:
        """Row counts of the graph tables plus call edges by ``how`` (``calls_by_how``)."""
        ...

    def graph_dangling(self, repo: str, *, limit: int = 20) -> dict[str, list[str]]:
        """Graph rows naming unindexed files (``deps``) or symbols (``calls``), up to ``limit`` each."""
        ...

    def symbol_probe_names(self, repo: str, *, files: int = 5, limit: int = 10) -> list[str]:
        """A bounded sample of symbol names (of the most recently indexed files) to probe search with."""
        ...

    def file_states(self, repo: str) -> dict[str, FileState]: ...

    def load_analyses(self, repo: str, paths: Sequence[str] | None = None) -> list[FileAnalysis]:
        """Rebuild FileAnalysis records from rows: equal (==) to what was written, field for field."""
        ...

    def load_matches(self, repo: str, paths: Sequence[str] | None = None) -> dict[str, list[PatternMatch]]: ...

    # queries (every one returns plain JSON-able dicts, ordered deterministically)
    def find_symbols(
        self,
        name: str,
        *,
        repo: str | None = None,
        kind: str | None = None,
        language: str | None = None,
        prefix: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]: ...

    def search_symbols(self, text: str, *, repo: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text / substring search over names, qualified names and docstrings (FTS5 on
        SQLite, trigram or tsvector on Postgres)."""
        ...

    def callers(self, symbol: str, *, repo: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Calls whose resolved target is ``symbol`` (a global id ``path::Qual.name``, or a
        qualified name / name matched exactly)."""
        ...

    def callees(self, symbol: str, *, repo: str | None = None, limit: int = 200) -> list[dict[str, Any]]: ...

    def file_symbols(
        self, path: str, *, repo: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """The symbols of one file in file order (ordinal), parameters/generics/decorators decoded."""
        ...

    def has_file(self, path: str, *, repo: str | None = None) -> bool:
        """Whether the index holds a file at ``path`` (in ``repo``, or in any repository)."""
        ...

    def has_index(self) -> bool:
        """Whether the database holds Thread's tables (a reader checks before its first query)."""
        ...

    def integrity_check(self) -> list[str]:
        """The database's own check of its storage (``thread audit --deep``): what it found wrong,
        up to :data:`INTEGRITY_LIMIT` lines; empty when nothing. Damage in pages that queries
        seldom read goes unnoticed otherwise, until a query or a write fails on it."""
        ...

    def symbol_names(self, *, repo: str | None = None, min_length: int = 0, max_length: int | None = None) -> list[str]:
        """Distinct symbol names whose length is within the bounds, sorted (spelling suggestions)."""
        ...

    def callers_page(
        self, symbol: str, *, repo: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """``callers`` one page at a time (same rows, same order)."""
        ...

    def hierarchy(
        self, symbol: str, *, repo: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Ancestors and descendants of the types named ``symbol``, one row per relation reached
        (direction ``ancestor`` / ``descendant``, depth, the relation's type, base and kind)."""
        ...

    def implementations(
        self, symbol: str, *, repo: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Types below an interface, trait or class in the hierarchy; for a method, the methods
        of the same name those types define (what a call through it may dispatch to)."""
        ...

    def callees_page(
        self, symbol: str, *, repo: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]: ...

    def deps(self, path: str, *, repo: str | None = None, direction: Direction = "both") -> list[dict[str, Any]]: ...

    def cycles(
        self, *, repo: str | None = None, skip_type_only: bool = False, skip_deferred: bool = False
    ) -> list[dict[str, Any]]:
        """Stored cycles of the whole graph; without type-only and/or deferred edges (see
        ``DepEdge``), the cycles of what remains, found on demand."""
        ...

    def stats(self, *, repo: str | None = None) -> dict[str, Any]: ...

    def export(self, table: str, *, repo: str | None = None) -> Iterator[dict[str, Any]]:
        """Every row of one table, in primary-key order; ValueError for an unknown table."""
        ...

    def close(self) -> None: ...
