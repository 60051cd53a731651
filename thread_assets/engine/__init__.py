"""Thread's analysis engine: bytes in, plain data out. Imports nothing from Dagster.

The public API is what this module exports (plus ``patterns``, imported on its own so that
ast-grep is loaded only by those who run rules); everything else is internal and may change.
"""

from __future__ import annotations

from .analyze import DEFAULT_MAX_BYTES, analyze
from .batch import analyze_files, read_for_analysis
from .detect import detect_language
from .graph import (
    CallEdge,
    Cycle,
    DepEdge,
    HierarchyEdge,
    ImportGraph,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_hierarchy,
)
from .languages import LANGUAGES, LanguageInfo, language_rows
from .model import (
    EXTRACTOR_VERSION,
    Binding,
    Call,
    FileAnalysis,
    Import,
    Location,
    Parameter,
    ParseSummary,
    PatternMatch,
    Ref,
    Symbol,
    TypeRelation,
    global_symbol_id,
)
from .resolve import RepoContext, Resolution, resolve_imports

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTRACTOR_VERSION",
    "LANGUAGES",
    "Binding",
    "Call",
    "CallEdge",
    "Cycle",
    "DepEdge",
    "FileAnalysis",
    "HierarchyEdge",
    "Import",
    "ImportGraph",
    "LanguageInfo",
    "Location",
    "Parameter",
    "ParseSummary",
    "PatternMatch",
    "Ref",
    "RepoContext",
    "Resolution",
    "Symbol",
    "TypeRelation",
    "analyze",
    "analyze_files",
    "dependency_edges",
    "detect_language",
    "find_cycles",
    "global_symbol_id",
    "language_rows",
    "read_for_analysis",
    "resolve_calls",
    "resolve_hierarchy",
    "resolve_imports",
]
