"""The repository being indexed, and the versions that make Dagster see stale assets."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from thread_assets.engine import EXTRACTOR_VERSION
from thread_assets.engine.content_cache import CACHE_FILE
from thread_assets.indexable import indexable_files, is_indexable, stat_paths

__all__ = ["ThreadRepo", "indexable_files", "is_indexable", "stat_paths"]


class ThreadRepo(ConfigurableResource):
    """Where the repository lives and how it is named in the store (``repo`` column).

    ``include`` / ``exclude``: extra gitignore-style globs for discovery. ``workers``: analysis
    processes (0 = every CPU). ``error_ratio_threshold``: a file whose parse error ratio is above
    it makes the parse-quality check warn. ``cache_dir``: where the content-addressed analysis
    cache and the stat memo live (default ``<root>/.thread/cache``; ``"none"`` disables both)."""

    root: str
    name: str = ""
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    workers: int = 0
    timeout_s: float = 10.0
    error_ratio_threshold: float = 0.05
    cache_dir: str = ""

    @property
    def repo_name(self) -> str:
        return self.name or repo_name_for(self.root)

    @property
    def root_path(self) -> Path:
        return Path(self.root).expanduser().resolve()

    @property
    def cache_path(self) -> Path | None:
        return cache_dir_for(self.root_path, self.cache_dir)

    @property
    def analysis_cache_path(self) -> Path | None:
        base = self.cache_path
        return None if base is None else base / CACHE_FILE


def cache_dir_for(root: str | Path, configured: str = "") -> Path | None:
    """The cache directory of a repository: ``configured`` (``"none"`` for no cache) or
    ``<root>/.thread/cache``."""
    if configured.lower() == "none":
        return None
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(root).expanduser().resolve() / ".thread" / "cache"


def repo_name_for(root: str | Path) -> str:
    """Default repository name: the directory's name."""
    return Path(root).expanduser().resolve().name or "repo"


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
