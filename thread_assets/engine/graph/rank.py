"""Symbol importance: personalized PageRank over the graph of resolved references.

A node is a symbol (its global id, ``path::Qual.name``) or a file's module-level code
(``path::<module>``, the caller of top-level calls and the importer of its imports). An edge says
"to understand the source, you need the target", with a weight per kind (``WEIGHTS``;
docs/repomap.md explains the choice): resolved calls, imports resolved to a symbol or a file,
resolved bases of the type hierarchy, and containment both ways (a member needs its class; a
class or file hands some of its importance to what it holds). PageRank then gives each node the
share of a reader's attention it gets when following references from a start chosen by the
personalization (every node alike, or the focus).

Pure Python power iteration (the sparse graphs of real repositories converge in a few dozen
iterations), with the two knobs the index needs: a personalization vector, and a start vector
(warm start from the last ranks: after a small edit it converges in fewer iterations).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import xxhash

MODULE = "<module>"
WEIGHTS = {
    "call": 1.0,
    "import_symbol": 1.0,
    "import_file": 0.5,
    "base": 1.0,
    "member_of": 0.5,
    "contains": 0.25,
}
"""Edge weight per kind; a call edge's weight grows with the square root of its call sites."""
ALPHA = 0.85
TOLERANCE = 1e-6
MAX_ITERATIONS = 200


@dataclass(frozen=True)
class RankSymbol:
    """What ranking and rendering need of one symbol row."""

    id: str
    path: str
    ordinal: int
    name: str
    qualified_name: str
    kind: str
    signature: str
    parent: str | None
    """The enclosing symbol's global id, None at file level."""
    start_line: int


@dataclass(frozen=True)
class RankInputs:
    """A repository's symbols and resolved references, as the store holds them."""

    symbols: Sequence[RankSymbol]
    calls: Sequence[tuple[str, str, int]] = ()
    """(caller, target, call sites) of resolved call edges."""
    imports: Sequence[tuple[str, str, str | None]] = ()
    """(importer path, imported file, imported name or None) of imports resolved to a file."""
    bases: Sequence[tuple[str, str]] = ()
    """(type, base) of hierarchy relations resolved to a repository type."""


@dataclass
class Graph:
    nodes: list[str]
    index: dict[str, int]
    out: list[dict[int, float]] = field(default_factory=list)

    def add(self, source: str, target: str, weight: float) -> None:
        s, t = self.index.get(source), self.index.get(target)
        if s is None or t is None or s == t or weight <= 0:
            return
        self.out[s][t] = self.out[s].get(t, 0.0) + weight

    def edge_count(self) -> int:
        return sum(len(o) for o in self.out)


def module_id(path: str) -> str:
    return f"{path}::{MODULE}"


def build_graph(inputs: RankInputs) -> Graph:
    """The weighted reference graph of ``inputs`` (edges to or from unknown nodes are dropped)."""
    paths = sorted({s.path for s in inputs.symbols} | {p for p, _, _ in inputs.imports})
    names = sorted({s.id for s in inputs.symbols} | {module_id(p) for p in paths})
    graph = Graph(names, {n: i for i, n in enumerate(names)}, [{} for _ in names])
    top_level: dict[tuple[str, str], str] = {}
    for s in inputs.symbols:
        if s.parent is None:
            top_level.setdefault((s.path, s.qualified_name), s.id)
            graph.add(module_id(s.path), s.id, WEIGHTS["contains"])
        else:
            graph.add(s.id, s.parent, WEIGHTS["member_of"])
            graph.add(s.parent, s.id, WEIGHTS["contains"])
    for caller, target, sites in inputs.calls:
        graph.add(caller, target, WEIGHTS["call"] * math.sqrt(max(sites, 1)))
    for importer, target, name in inputs.imports:
        symbol = top_level.get((target, name)) if name else None
        if symbol is not None:
            graph.add(module_id(importer), symbol, WEIGHTS["import_symbol"])
        else:
            graph.add(module_id(importer), module_id(target), WEIGHTS["import_file"])
    for type_id, base in inputs.bases:
        graph.add(type_id, base, WEIGHTS["base"])
    return graph


def graph_digest(inputs: RankInputs) -> str:
    """A digest of everything the ranks and the rendered map depend on (nodes, their signatures
    and edges): equal digests, equal ranks, so a rank step can skip."""
    h = xxhash.xxh3_128()
    for s in sorted(inputs.symbols, key=lambda s: s.id):
        h.update(f"s\0{s.id}\0{s.ordinal}\0{s.kind}\0{s.signature}\0{s.parent}\0{s.start_line}\n".encode())
    for caller, target, sites in sorted(inputs.calls):
        h.update(f"c\0{caller}\0{target}\0{sites}\n".encode())
    for importer, target, name in sorted(inputs.imports, key=lambda i: (i[0], i[1], i[2] or "")):
        h.update(f"i\0{importer}\0{target}\0{name}\n".encode())
    for type_id, base in sorted(inputs.bases):
        h.update(f"b\0{type_id}\0{base}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Ranks:
    scores: dict[str, float]
    iterations: int
    warm: bool
    """Started from given ranks (``start``) rather than the uniform vector."""


def pagerank(
    graph: Graph,
    personalization: Mapping[str, float] | None = None,
    start: Mapping[str, float] | None = None,
    *,
    alpha: float = ALPHA,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> Ranks:
    """PageRank of every node (summing to 1). ``personalization``: where a random reader starts
    and jumps to (node -> weight; default every node alike), also where dangling nodes send
    their rank; ``start``: the initial vector (nodes it lacks start at the mean). Stops when the
    L1 change of an iteration is below ``len(nodes) * tolerance``, as networkx does."""
    n = len(graph.nodes)
    if n == 0:
        return Ranks({}, 0, False)
    p = _personal(graph, personalization)
    x = _start(graph, start) if start else [1.0 / n] * n
    out = [[(t, w / total) for t, w in sorted(o.items())] if (total := sum(o.values())) else [] for o in graph.out]
    dangling = [i for i, o in enumerate(out) if not o]
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - the count is reported
        last = x
        x = [0.0] * n
        for i, edges in enumerate(out):
            share = alpha * last[i]
            for t, w in edges:
                x[t] += share * w
        jump = alpha * sum(last[i] for i in dangling) + (1.0 - alpha)
        change = 0.0
        for j in range(n):
            value = x[j] + jump * p[j]
            x[j] = value
            change += abs(value - last[j])
        if change < n * tolerance:
            break
    total = sum(x)
    return Ranks({node: x[i] / total for i, node in enumerate(graph.nodes)}, iterations, bool(start))


def _personal(graph: Graph, values: Mapping[str, float] | None) -> list[float]:
    """The personalization over the graph's nodes, summing to 1 (nodes it does not name get none)."""
    vector = [max(values.get(node, 0.0), 0.0) for node in graph.nodes] if values else []
    total = sum(vector)
    return [v / total for v in vector] if total > 0 else [1.0 / len(graph.nodes)] * len(graph.nodes)


def _start(graph: Graph, values: Mapping[str, float]) -> list[float]:
    """The start vector, summing to 1: a node ``values`` lacks (new since) starts at their mean."""
    known = [values.get(node) for node in graph.nodes]
    present = [v for v in known if v is not None and v > 0]
    fill = sum(present) / len(present) if present else 1.0
    vector = [v if v is not None and v > 0 else fill for v in known]
    total = sum(vector)
    return [v / total for v in vector]


def focus_nodes(inputs: RankInputs, focus: Iterable[str]) -> tuple[dict[str, float], list[str]]:
    """(personalization, unknown focus items): each item, a file path, a directory (every file
    under it), or a symbol's global id, qualified name or name, gets an equal share, spread over
    its nodes (a file: its module node and every symbol in it)."""
    by_path: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for s in inputs.symbols:
        by_path.setdefault(s.path, [module_id(s.path)]).append(s.id)
        for key in {s.id, s.qualified_name, s.name}:
            by_name.setdefault(key, []).append(s.id)
    weights: dict[str, float] = {}
    unknown: list[str] = []
    for item in focus:
        prefix = item.rstrip("/") + "/"
        nodes = by_path.get(item) or by_name.get(item)
        if not nodes:
            nodes = [n for path, ns in sorted(by_path.items()) if path.startswith(prefix) for n in ns]
        if not nodes:
            unknown.append(item)
            continue
        for node in nodes:
            weights[node] = weights.get(node, 0.0) + 1.0 / len(nodes)
    return weights, unknown
