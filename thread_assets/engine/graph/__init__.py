"""Graphs over many files' analyses: file dependencies (with cycles) and resolved calls.

Pure functions over plain records (``FileAnalysis``, ``Resolution``) returning plain, picklable
msgspec Structs, so they run the same in a Dagster asset, a test or a worker process.
"""

from __future__ import annotations

from .calls import CallEdge, HierarchyEdge, resolve_calls, resolve_hierarchy
from .deps import Cycle, DepEdge, dependency_edges, find_cycles
from .import_graph import ImportGraph

__all__ = [
    "CallEdge",
    "Cycle",
    "DepEdge",
    "HierarchyEdge",
    "ImportGraph",
    "dependency_edges",
    "find_cycles",
    "resolve_calls",
    "resolve_hierarchy",
]
