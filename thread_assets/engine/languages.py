"""The language table: every grammar tree-sitter-language-pack 0.13.0 bundles, how a file is
recognised as that language, and how deep extraction goes for it.

This is the one place that lists languages (like universal-ctags' parser table). Detection
(`detect.py`), the extractor registry (`extract/__init__.py`) and `thread languages` all read it.

NOTE (initial scaffold): only a handful of entries are filled; the full 173-entry table is being
written as part of issue 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import ExtractionLevel


@dataclass(frozen=True)
class LanguageInfo:
    name: str
    """The grammar name in tree-sitter-language-pack (``get_parser(name)``)."""
    display: str
    level: ExtractionLevel
    extensions: tuple[str, ...] = ()
    """Lower-case, with the dot: ``(".py", ".pyi")``."""
    filenames: tuple[str, ...] = ()
    """Exact base names: ``("Makefile", "GNUmakefile")``."""
    interpreters: tuple[str, ...] = ()
    """Shebang interpreters: ``("python", "python3")``."""
    extracts: str = ""
    """Human summary of what is extracted, for the table."""


FULL_EXTRACTS = "symbols (kinds, visibility, signatures, params, generics, docs), imports (+unused), calls"

LANGUAGES: dict[str, LanguageInfo] = {
    info.name: info
    for info in (
        LanguageInfo("python", "Python", "full", (".py", ".pyi", ".pyw"), (), ("python", "python3", "python2"), FULL_EXTRACTS),
        LanguageInfo("javascript", "JavaScript", "full", (".js", ".mjs", ".cjs", ".jsx"), (), ("node", "nodejs"), FULL_EXTRACTS),
        LanguageInfo("typescript", "TypeScript", "full", (".ts", ".mts", ".cts"), (), ("ts-node", "deno"), FULL_EXTRACTS),
        LanguageInfo("tsx", "TSX", "full", (".tsx",), (), (), FULL_EXTRACTS),
        LanguageInfo("rust", "Rust", "full", (".rs",), (), (), FULL_EXTRACTS),
        LanguageInfo("go", "Go", "full", (".go",), (), (), FULL_EXTRACTS),
        LanguageInfo("java", "Java", "full", (".java",), (), (), FULL_EXTRACTS),
        LanguageInfo("c", "C", "full", (".c", ".h"), (), (), FULL_EXTRACTS),
        LanguageInfo("cpp", "C++", "full", (".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp", ".tpp"), (), (), FULL_EXTRACTS),
    )
}
