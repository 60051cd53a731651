"""Thread's analysis engine: bytes in, plain data out. Imports nothing from Dagster.

The public API is what this module exports; everything else is internal and may change.
"""

from __future__ import annotations

from .analyze import DEFAULT_MAX_BYTES, analyze
from .detect import detect_language
from .languages import LANGUAGES, LanguageInfo
from .model import (
    EXTRACTOR_VERSION,
    Call,
    FileAnalysis,
    Import,
    Location,
    Parameter,
    ParseSummary,
    PatternMatch,
    Symbol,
    global_symbol_id,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTRACTOR_VERSION",
    "LANGUAGES",
    "Call",
    "FileAnalysis",
    "Import",
    "LanguageInfo",
    "Location",
    "Parameter",
    "ParseSummary",
    "PatternMatch",
    "Symbol",
    "analyze",
    "detect_language",
    "global_symbol_id",
]
