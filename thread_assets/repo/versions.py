"""The versions that make Dagster see stale assets when the extractors, the grammars or the
bundled pattern rules change (``code_version`` of the assets; no Dagster here)."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from importlib.resources import files

from thread_assets.engine import EXTRACTOR_VERSION


@cache
def extraction_code_version() -> str:
    """Changes when the extractors or the grammars change: stale per-file assets in the UI."""
    return f"extractor-{EXTRACTOR_VERSION}+ts-pack-{version('tree-sitter-language-pack')}"


@cache
def patterns_code_version() -> str:
    """The extraction version plus ast-grep's version and a digest of the bundled rules."""
    digest = hashlib.sha256()
    rules = files("thread_assets.engine").joinpath("rules")
    for entry in sorted(rules.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return f"{extraction_code_version()}+ast-grep-{version('ast-grep-py')}+rules-{digest.hexdigest()[:12]}"
