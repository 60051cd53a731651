"""Import resolution: every import of every file to a repository file or an external package.

Each language family has a module exposing ``make_resolver(ctx: RepoContext) -> LanguageResolver``.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from ..model import FileAnalysis
from .base import LanguageResolver, RepoContext, Resolution, resolution

RESOLVER_MODULES: dict[str, str] = {
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

__all__ = ["RepoContext", "Resolution", "resolve_imports"]


def resolve_imports(analyses: Iterable[FileAnalysis], ctx: RepoContext) -> list[Resolution]:
    """One Resolution per import of every analysed file, in (path, import index) order.
    Imports of languages without a resolver come back ``unresolved``; those of Go files that never
    build (``FileAnalysis.build_ignored``) ``go:ignored``, so they make no dependency edge."""
    resolvers: dict[str, LanguageResolver] = {}
    out: list[Resolution] = []
    for analysis in sorted(analyses, key=lambda a: a.path):
        lang = analysis.language
        if not analysis.imports or lang is None:
            continue
        module_name = RESOLVER_MODULES.get(lang)
        resolver = None
        if module_name is not None:
            resolver = resolvers.get(module_name)
            if resolver is None:
                resolver = import_module(f"{__name__}.{module_name}").make_resolver(ctx)
                resolvers[module_name] = resolver
        begin = getattr(resolver, "begin_file", None)
        if begin is not None:  # resolvers that read a file's imports as a whole (Rust's extern crate renames)
            begin(analysis.path, analysis.imports)
        for i, imp in enumerate(analysis.imports):
            if analysis.build_ignored:  # a Go file no build takes: kept, but no edge
                result: tuple[str | None, str | None, str] = (None, None, "go:ignored")
            elif resolver is not None:
                result = resolver.resolve(analysis.path, imp)
            else:
                result = (None, None, "unresolved")
            out.append(resolution(analysis.path, i, imp, result))
    return out
