"""The file dependency graph: resolved imports folded into importer -> target edges, and its cycles.

Nodes are repository files. An import that leaves the repository becomes an edge flagged
``external`` whose target is the package name (``os``, ``react``, ``std``); those edges never take
part in cycles. Imports that resolve nowhere (``how == "unresolved"``) are not edges: they say
nothing about the graph's shape and are reported by the resolver's own statistics.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from typing import Literal

import msgspec

from ..model import FileAnalysis
from ..resolve.base import Resolution


class DepEdge(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    """The importing file (repo-relative path)."""
    target: str
    """The imported file, or the external package when ``external``."""
    external: bool = False
    count: int
    """How many Import records (bound names) of ``source`` point at ``target``."""
    names: tuple[str, ...]
    """Sorted distinct imported members (the module text for whole-module imports)."""
    kinds: tuple[str, ...] = ()
    """Sorted distinct ``Import.kind`` values; empty when no analyses were given."""
    resolved_by: tuple[str, ...]
    """Sorted distinct ``Resolution.how`` values (``python:relative``, ``external``, ...)."""
    type_only: bool = False
    """Every import of ``source`` that points at ``target`` is ``type_only``: the edge exists for the
    type checker only, never at run time."""
    deferred: bool = False
    """No import of the pair runs when ``source`` is loaded, and at least one runs later (every one
    is ``deferred`` or ``type_only``, not all ``type_only``): a cycle through the edge cannot fail
    at import time."""


class Cycle(msgspec.Struct, frozen=True, kw_only=True):
    kind: Literal["scc", "self_import"]
    members: tuple[str, ...]
    """Sorted files of the strongly connected component (one file for a self-import)."""
    path: tuple[str, ...]
    """One concrete shortest cycle through the smallest member, closed: ``(a, b, c, a)``."""
    edge_count: int
    """Import edges inside the component: a measure of how tangled it is, beyond its size."""


def dependency_edges(
    resolutions: Iterable[Resolution],
    analyses: Mapping[str, FileAnalysis] | None = None,
) -> list[DepEdge]:
    """Fold resolutions into one edge per (importer, target), sorted by (source, external, target).

    ``analyses`` (path -> FileAnalysis) is optional and only adds the import kinds and the
    ``type_only``/``deferred`` flags, which Resolution does not carry."""
    groups: dict[tuple[str, bool, str], list[Resolution]] = defaultdict(list)
    for r in resolutions:
        if r.target is not None:
            groups[(r.importer, False, r.target)].append(r)
        elif r.external is not None:
            groups[(r.importer, True, r.external)].append(r)
    edges = []
    for (source, external, target), rs in sorted(groups.items()):
        kinds: set[str] = set()
        type_only = deferred = False
        analysis = analyses.get(source) if analyses is not None else None
        if analysis is not None:
            imports = [analysis.imports[r.index] for r in rs if r.index < len(analysis.imports)]
            kinds = {i.kind for i in imports}
            runtime = [i for i in imports if not i.type_only]
            type_only = bool(imports) and not runtime
            deferred = bool(runtime) and all(i.deferred for i in runtime)
        edges.append(
            DepEdge(
                source=source,
                target=target,
                external=external,
                count=len(rs),
                names=tuple(sorted({r.module if r.name is None else r.name for r in rs})),
                kinds=tuple(sorted(kinds)),
                resolved_by=tuple(sorted({r.how for r in rs})),
                type_only=type_only,
                deferred=deferred,
            )
        )
    return edges


def runtime_edges(edges: Iterable[DepEdge], *, skip_type_only: bool, skip_deferred: bool) -> list[DepEdge]:
    """The edges left when type-only edges (erased before the program runs) and/or deferred edges
    (loaded after the importing module, inside a function or by ``import()``) are left out: the
    cycles of what remains are those that can bite at run time, or at import time."""
    return [e for e in edges if not (skip_type_only and e.type_only) and not (skip_deferred and e.deferred)]


def _successors(edges: Iterable[DepEdge]) -> dict[str, list[str]]:
    succ: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if not e.external:
            succ[e.source].add(e.target)
            succ.setdefault(e.target, set())
    return {node: sorted(targets) for node, targets in succ.items()}


def _shortest_cycle(start: str, succ: Mapping[str, list[str]], members: set[str]) -> tuple[str, ...]:
    """Breadth-first from ``start`` back to itself inside the component; successors are sorted,
    so the cycle chosen among equally short ones is deterministic."""
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in succ[node]:
            if nxt not in members or nxt == node:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                path.reverse()
                return (*path, start)
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"{start} is not on a cycle inside its component")


def find_cycles(edges: Iterable[DepEdge]) -> list[Cycle]:
    """Every strongly connected component with more than one file, plus every self-import.

    Ordered largest first, then by members; self-imports (size 1) come last. A file that imports
    itself and also sits in a larger component is reported in both: they are separate problems."""
    import networkx as nx  # here, not at import: commands that never look for cycles start faster

    edge_list = [e for e in edges if not e.external]
    succ = _successors(edge_list)
    graph = nx.DiGraph()
    graph.add_nodes_from(succ)
    graph.add_edges_from((s, t) for s, targets in succ.items() for t in targets if s != t)
    cycles: list[Cycle] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        members = tuple(sorted(component))
        inner = sum(1 for m in members for t in succ[m] if t in component and t != m)
        cycles.append(
            Cycle(kind="scc", members=members, path=_shortest_cycle(members[0], succ, component), edge_count=inner)
        )
    for node in sorted(n for n, targets in succ.items() if n in targets):
        cycles.append(Cycle(kind="self_import", members=(node,), path=(node, node), edge_count=1))
    cycles.sort(key=lambda c: (-len(c.members), c.members, c.kind))
    return cycles
