"""A small query API over the dependency edges, in the spirit of grimp's ImportGraph.

The class only answers questions; the data stays the plain, picklable ``DepEdge`` records, so a
store can persist edges and rebuild the graph cheaply anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .deps import Cycle, DepEdge, find_cycles


class ImportGraph:
    """Files as nodes, internal imports as edges; external packages are kept per file, not as nodes
    (a package name and a file path live in different namespaces)."""

    def __init__(self, edges: Iterable[DepEdge], files: Iterable[str] = ()) -> None:
        self._edges: dict[tuple[str, str], DepEdge] = {}
        self._external: dict[str, list[DepEdge]] = {}
        self._graph = nx.DiGraph()
        self._graph.add_nodes_from(files)
        for e in sorted(edges, key=lambda e: (e.source, e.external, e.target)):
            if e.external:
                self._external.setdefault(e.source, []).append(e)
                self._graph.add_node(e.source)
            else:
                self._edges[(e.source, e.target)] = e
                self._graph.add_edge(e.source, e.target)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(sorted(self._graph.nodes))

    def edges(self) -> list[DepEdge]:
        """Internal edges, sorted by (source, target)."""
        return [self._edges[k] for k in sorted(self._edges)]

    def edge(self, source: str, target: str) -> DepEdge | None:
        return self._edges.get((source, target))

    def dependencies(self, path: str) -> tuple[str, ...]:
        """Files ``path`` imports directly."""
        return tuple(sorted(self._graph.successors(path))) if path in self._graph else ()

    def dependents(self, path: str) -> tuple[str, ...]:
        """Files that import ``path`` directly."""
        return tuple(sorted(self._graph.predecessors(path))) if path in self._graph else ()

    def external_dependencies(self, path: str) -> tuple[str, ...]:
        return tuple(sorted({e.target for e in self._external.get(path, ())}))

    def transitive_dependencies(self, path: str) -> tuple[str, ...]:
        """Everything ``path`` needs, directly or not (itself excluded)."""
        return tuple(sorted(nx.descendants(self._graph, path))) if path in self._graph else ()

    def transitive_dependents(self, path: str) -> tuple[str, ...]:
        """Everything a change to ``path`` can affect: the files to re-check after an edit."""
        return tuple(sorted(nx.ancestors(self._graph, path))) if path in self._graph else ()

    def shortest_chain(self, source: str, target: str) -> tuple[str, ...] | None:
        """One shortest import chain from ``source`` to ``target``, or None."""
        if source not in self._graph or target not in self._graph:
            return None
        try:
            return tuple(nx.shortest_path(self._graph, source, target))
        except nx.NetworkXNoPath:
            return None

    def cycles(self) -> list[Cycle]:
        return find_cycles(self._edges.values())
