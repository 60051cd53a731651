"""The repository map: the most important signatures of a repository within a token budget.

Ranking is ``graph.rank`` (PageRank over resolved references). Rendering is a *plan*: every
shown symbol in the order it enters the map, each with the token count at which it is in
(``cumulative_tokens``). The next symbol by rank enters with the enclosing symbols it needs
(a method brings its class) and, for a file not yet shown, the file's header line; it costs the
tokens of those lines. A budget of B tokens shows exactly the entries whose cumulative count is
at most B: a prefix of the plan, so the plan is computed once per graph (the ``repo_rank``
asset stores it) and any budget is answered by one indexed range read, from any store, by
``thread serve`` and the edge Worker alike. The first entry that does not fit ends the map
(nothing cheaper further down is squeezed in: the map stays the top of the ranking).

Text: files in the order their first symbol entered, each as its path and a colon, then its shown
symbols in file order, one per line: ``│`` then four spaces per nesting level then the signature
(whitespace collapsed, at most ``MAX_SIGNATURE`` characters). Token counts are those of each
line with its newline (``tokens.count_tokens``), and the count of a whole map is their sum.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .graph.rank import RankInputs, Ranks, RankSymbol, build_graph, focus_nodes, module_id, pagerank
from .tokens import count_tokens

HIDDEN_KINDS = frozenset({"field", "variable", "enum_member", "impl", "module", "other"})
"""Ranked but not shown: their signatures say little an agent needs (``x = 1``, ``self.a = a``),
or they are containers shown through their members."""
MAX_SIGNATURE = 160
FOCUS_SHARE = 0.9
"""With a focus, the share of the personalization it gets; the rest is spread over every node, so
what the focus does not reach is still ordered by global importance."""
_SPACE = re.compile(r"\s+")
_COMMENT = re.compile(r":\s+#.*$")
"""A comment after a Python header's colon (``class A: # why``), which some signatures carry."""


@dataclass(frozen=True)
class MapEntry:
    """One row of the plan (the ``symbol_ranks`` table holds one per ranked node)."""

    id: str
    path: str
    ordinal: int
    name: str
    kind: str
    start_line: int
    rank: float
    depth: int
    line: str | None
    """The rendered line (no newline); None for a node that is not shown."""
    tokens: int
    position: int | None
    file_position: int | None
    cumulative_tokens: int | None


def signature_line(symbol: RankSymbol, depth: int) -> str:
    text = _COMMENT.sub("", _SPACE.sub(" ", symbol.signature)).strip() or symbol.qualified_name
    if len(text) > MAX_SIGNATURE:
        text = text[: MAX_SIGNATURE - 1] + "…"
    return "│" + "    " * depth + text


def header_line(path: str) -> str:
    return f"{path}:"


def plan_map(
    symbols: Sequence[RankSymbol], scores: Mapping[str, float], count: Callable[[str], int] = count_tokens
) -> list[MapEntry]:
    """Every ranked node as a plan row (see the module docstring): shown symbols with their
    position and cumulative token count, the others (hidden kinds, module nodes) with their rank."""
    by_id = {s.id: s for s in symbols}
    depths: dict[str, int] = {}
    counts: dict[str, int] = {}

    def depth(s: RankSymbol) -> int:
        if s.id not in depths:
            d, parent = 0, s.parent
            while parent is not None and parent in by_id and d < 64:
                d, parent = d + 1, by_id[parent].parent
            depths[s.id] = d
        return depths[s.id]

    def cost(line: str) -> int:
        """Many lines repeat (``│    def __init__(self)``): each distinct one is counted once."""
        if line not in counts:
            counts[line] = count(line + "\n")
        return counts[line]

    def shown(s: RankSymbol) -> bool:
        return s.kind not in HIDDEN_KINDS

    order = sorted((s for s in symbols if shown(s)), key=lambda s: (-scores.get(s.id, 0.0), s.id))
    placed: dict[str, tuple[int, int, str, int]] = {}  # id -> (position, cumulative, line, tokens)
    file_position: dict[str, int] = {}
    total = 0
    for s in order:
        if s.id in placed:
            continue
        chain = [s]
        parent = s.parent
        while parent is not None and parent in by_id and parent not in placed and len(chain) < 64:
            if shown(by_id[parent]):
                chain.append(by_id[parent])
            parent = by_id[parent].parent
        lines = [(c, signature_line(c, depth(c))) for c in reversed(chain)]
        costs = [cost(line) for _, line in lines]
        step = sum(costs)
        if s.path not in file_position:
            file_position[s.path] = len(placed)
            step += cost(header_line(s.path))
        total += step
        for (c, line), tokens in zip(lines, costs, strict=True):
            placed[c.id] = (len(placed), total, line, tokens)
    entries = []
    for s in symbols:
        got = placed.get(s.id)
        entries.append(
            MapEntry(
                s.id,
                s.path,
                s.ordinal,
                s.name,
                s.kind,
                s.start_line,
                scores.get(s.id, 0.0),
                depth(s),
                got[2] if got else None,
                got[3] if got else 0,
                got[0] if got else None,
                file_position[s.path] if got else None,
                got[1] if got else None,
            )
        )
    for path in sorted({s.path for s in symbols}):
        node = module_id(path)
        entries.append(MapEntry(node, path, -1, "<module>", "module", 0, scores.get(node, 0.0), 0, *_UNSHOWN))
    return entries


_UNSHOWN: tuple[None, int, None, None, None] = (None, 0, None, None, None)


def select(entries: Iterable[MapEntry], budget: int) -> list[MapEntry]:
    """The entries a map of ``budget`` tokens shows, in text order (file, then file order)."""
    chosen = [e for e in entries if e.cumulative_tokens is not None and e.cumulative_tokens <= budget]
    return sorted(chosen, key=lambda e: (e.file_position, e.ordinal))


def map_document(
    rows: Sequence[Mapping[str, Any]], repo: str | None, budget: int, focus: Sequence[str]
) -> dict[str, Any]:
    """The map as the API, the CLI's ``--json`` and the MCP tool give it, from selected rows in
    text order (``select``, or the ``map_entries`` query): ``text`` is the rendered map, ``used``
    its token count, ``files`` the same content as data. The edge Worker builds the same document
    from the same rows (edge/src/index.js)."""
    files: list[dict[str, Any]] = []
    lines: list[str] = []
    used = 0
    for row in rows:
        if not files or files[-1]["path"] != row["path"]:
            files.append({"path": row["path"], "symbols": []})
            lines.append(header_line(row["path"]))
        files[-1]["symbols"].append(
            {
                "id": row["id"],
                "name": row["name"],
                "kind": row["kind"],
                "line": row["start_line"],
                "rank": row["rank"],
                "text": row["line"],
            }
        )
        lines.append(row["line"])
        used = max(used, row["cumulative_tokens"])
    text = "".join(line + "\n" for line in lines)
    return {"repo": repo, "tokens": budget, "used": used, "focus": list(focus), "files": files, "text": text}


def entry_row(e: MapEntry) -> dict[str, Any]:
    """An entry as the rows ``map_document`` reads (the ``map_entries`` query's columns)."""
    return {
        "id": e.id,
        "path": e.path,
        "name": e.name,
        "kind": e.kind,
        "start_line": e.start_line,
        "rank": e.rank,
        "line": e.line,
        "cumulative_tokens": e.cumulative_tokens,
    }


@dataclass(frozen=True)
class RankedMap:
    entries: list[MapEntry]
    ranks: Ranks
    unknown_focus: list[str]
    nodes: int
    edges: int


def rank_repository(
    inputs: RankInputs,
    *,
    focus: Sequence[str] = (),
    start: Mapping[str, float] | None = None,
    count: Callable[[str], int] = count_tokens,
) -> RankedMap:
    """Rank ``inputs`` (personalized by ``focus``, started from ``start``) and plan the map."""
    graph = build_graph(inputs)
    personalization: dict[str, float] | None = None
    unknown: list[str] = []
    if focus:
        weights, unknown = focus_nodes(inputs, focus)
        if weights:
            spread = (1.0 - FOCUS_SHARE) / len(graph.nodes)
            mass = sum(weights.values())
            personalization = {node: spread for node in graph.nodes}
            for node, w in weights.items():
                personalization[node] += FOCUS_SHARE * w / mass
    ranks = pagerank(graph, personalization, start)
    return RankedMap(
        plan_map(inputs.symbols, ranks.scores, count), ranks, unknown, len(graph.nodes), graph.edge_count()
    )
