"""The repository map's reads and writes, shared by every SQL store (mixed into ``SqlStore``).

The ``repo_rank`` asset reads a repository's symbols and resolved references (``rank_inputs``),
its previous scores (``stored_scores``, the warm start) and ``rank_state`` (the digest of the graph
they were computed from), and replaces the repository's ``symbol_ranks`` rows and state in one
transaction (``write_ranks``). Readers (``thread map``, ``thread serve``, the MCP tool) take a
budget's rows with ``map_rows``; the edge Worker runs the same ``map_entries`` query on D1.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from thread_assets.engine.graph.rank import RankInputs, RankSymbol
from thread_assets.engine.repomap import MapEntry, entry_row, map_document, rank_repository, select

from .base import Store


@dataclass(frozen=True)
class RankState:
    digest: str
    nodes: int
    edges: int
    iterations: int
    warm: bool
    seconds: float
    run_id: str
    computed_at: str


class _Tx(Protocol):
    def execute(self, sql: str, params: Any) -> int: ...
    def insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> int: ...


class RankQueries:
    """Methods over the backend primitives of ``SqlStore`` (declared here for the type checker)."""

    _TABLE_NAMES: str

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _select(self, sql: str, params: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
        raise NotImplementedError

    def _query(self, name: str, params: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def rank_size(self, repo: str) -> int:
        """The number of symbols :meth:`rank_inputs` would load."""
        return int(self._query("rank_size", {"repo": repo})[0]["symbols"])

    def rank_inputs(self, repo: str) -> RankInputs:
        """The repository's symbols and resolved calls, imports and bases, in a stable order."""
        params = {"repo": repo}
        symbols = [
            RankSymbol(
                r["global_id"],
                r["path"],
                int(r["ordinal"]),
                r["name"],
                r["qualified_name"],
                r["kind"],
                r["signature"],
                r["parent"],
                int(r["start_line"]),
            )
            for r in self._query("rank_symbols", params)
        ]
        return RankInputs(
            symbols,
            [(r["caller"], r["target"], int(r["sites"])) for r in self._query("rank_calls", params)],
            [(r["importer"], r["target"], r["name"]) for r in self._query("rank_imports", params)],
            [(r["type"], r["target"]) for r in self._query("rank_bases", params)],
        )

    def has_ranks(self) -> bool:
        """Whether the database has the map's tables (an index made before them may not, and a
        reader does not create tables)."""
        names = {row[0] for row in self._select(self._TABLE_NAMES, {})[1]}
        return {"symbol_ranks", "rank_state"} <= names

    def rank_state(self, repo: str) -> RankState | None:
        if not self.has_ranks():
            return None
        sql = (
            "SELECT digest, nodes, edges, iterations, warm, seconds, run_id, computed_at FROM rank_state"
            " WHERE repo = :repo"
        )
        rows = self._select(sql, {"repo": repo})[1]
        if not rows:
            return None
        r = rows[0]
        return RankState(r[0], int(r[1]), int(r[2]), int(r[3]), bool(int(r[4])), float(r[5]), r[6], r[7])

    def stored_scores(self, repo: str) -> dict[str, float]:
        """symbol -> score of the last computation (empty if none)."""
        if not self.has_ranks():
            return {}
        sql = "SELECT symbol, score FROM symbol_ranks WHERE repo = :repo ORDER BY symbol"
        return {r[0]: float(r[1]) for r in self._select(sql, {"repo": repo})[1]}

    def write_ranks(self, repo: str, entries: Sequence[MapEntry], state: RankState) -> int:
        """Replace the repository's plan rows and state, atomically. Returns rows written."""
        rows = [
            (
                repo,
                e.id,
                e.path,
                e.ordinal,
                e.name,
                e.kind,
                e.start_line,
                e.rank,
                e.depth,
                e.line,
                e.tokens,
                e.position,
                e.file_position,
                e.cumulative_tokens,
                state.run_id,
            )
            for e in entries
        ]
        s = state
        with self._transaction() as tx:
            tx.execute("DELETE FROM symbol_ranks WHERE repo = :repo", {"repo": repo})
            tx.execute("DELETE FROM rank_state WHERE repo = :repo", {"repo": repo})
            written = int(tx.insert("symbol_ranks", rows))
            tx.insert(
                "rank_state",
                [(repo, s.digest, s.nodes, s.edges, s.iterations, int(s.warm), s.seconds, s.run_id, s.computed_at)],
            )
        return written

    def ranked_repos(self) -> list[str]:
        """The repositories whose ranks are stored."""
        return [r["repo"] for r in self._query("map_repos", {})] if self.has_ranks() else []

    def indexed_repos(self) -> list[str]:
        """Every repository with files in the store."""
        return [r[0] for r in self._select("SELECT DISTINCT repo FROM files ORDER BY repo", {})[1]]

    def map_rows(self, repo: str, tokens: int) -> list[dict[str, Any]]:
        """The stored map of ``tokens`` tokens, in text order (``repomap.map_document`` rows)."""
        rows = self._query("map_entries", {"repo": repo, "tokens": tokens})
        for r in rows:
            r["start_line"], r["cumulative_tokens"] = int(r["start_line"]), int(r["cumulative_tokens"])
            r["rank"] = float(r["rank"])
        return rows


class RankStore(Store, Protocol):
    """A store with the repository map's methods (every SQL store)."""

    def rank_size(self, repo: str) -> int: ...
    def rank_inputs(self, repo: str) -> RankInputs: ...
    def has_ranks(self) -> bool: ...
    def rank_state(self, repo: str) -> RankState | None: ...
    def stored_scores(self, repo: str) -> dict[str, float]: ...
    def write_ranks(self, repo: str, entries: Sequence[MapEntry], state: RankState) -> int: ...
    def ranked_repos(self) -> list[str]: ...
    def indexed_repos(self) -> list[str]: ...
    def map_rows(self, repo: str, tokens: int) -> list[dict[str, Any]]: ...


def rank_store(store: Store) -> RankStore:
    """``store`` as a RankStore (TypeError for a store without the map's methods)."""
    if not isinstance(store, RankQueries):
        raise TypeError(f"{type(store).__name__} does not store repository maps")
    return store  # type: ignore[return-value]


DEFAULT_TOKENS = 1024
MAX_TOKENS = 100_000


class MapError(ValueError):
    """A map request the index cannot answer as asked (several repositories, an unknown focus)."""


def repo_map(store: Store, *, repo: str | None, tokens: int, focus: Sequence[str] = ()) -> dict[str, Any]:
    """The repository map document (``repomap.map_document``) of ``tokens`` tokens.

    Without a focus it is the stored plan of the ``repo_rank`` asset (computed on the spot from
    the graph for a repository that has none stored). With one, ranks are computed now, the
    focus weighting the personalization, warm-started from the stored scores. ``repo`` None
    means the only repository of the store (MapError when it holds several)."""
    ranks = rank_store(store)
    if repo is None:
        names = ranks.ranked_repos() or ranks.indexed_repos()
        if len(names) > 1:
            raise MapError(f"the index holds several repositories ({', '.join(names)}): name one")
        repo = names[0] if names else None
    if repo is None:
        return map_document([], None, tokens, focus)
    if not focus and ranks.rank_state(repo) is not None:
        return map_document(ranks.map_rows(repo, tokens), repo, tokens, focus)
    inputs = ranks.rank_inputs(repo)
    ranked = rank_repository(inputs, focus=focus, start=ranks.stored_scores(repo) or None)
    if ranked.unknown_focus:
        raise MapError(f"no file, directory or symbol {ranked.unknown_focus[0]!r} in the index")
    return map_document([entry_row(e) for e in select(ranked.entries, tokens)], repo, tokens, focus)
