"""Extractor registry: which module extracts what for each language.

Each full extractor module exposes ``extract(root: Node, src: Source, language: str)
-> tuple[tuple[Symbol, ...], tuple[Import, ...], tuple[Call, ...]]`` (usually ``builder.finish(...)``).
Modules are imported lazily so a worker process only loads what its files need.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from tree_sitter import Node

from ..model import Call, Import, Symbol
from .common import Source

Extraction = tuple[tuple[Symbol, ...], tuple[Import, ...], tuple[Call, ...]]


class Extractor(Protocol):
    def __call__(self, root: Node, src: Source, language: str) -> Extraction: ...


FULL_MODULES: dict[str, str] = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "tsx": "javascript",
    "rust": "rust",
    "go": "go",
    "java": "java",
    "c": "c_family",
    "cpp": "c_family",
}


def extractor_for(language: str, level: str) -> Extractor | None:
    if level == "full" and language in FULL_MODULES:
        module = import_module(f"{__name__}.{FULL_MODULES[language]}")
        return module.extract  # type: ignore[no-any-return]
    if level == "generic":
        module = import_module(f"{__name__}.generic")
        return module.extract  # type: ignore[no-any-return]
    return None
