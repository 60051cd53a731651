"""The repository being indexed, and the versions that make Dagster see stale assets."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from thread_assets.discover import FoundFile, discover
from thread_assets.engine import EXTRACTOR_VERSION, detect_language

HEAD_BYTES = 1024


class ThreadRepo(ConfigurableResource):
    """Where the repository lives and how it is named in the store (``repo`` column).

    ``include`` / ``exclude``: extra gitignore-style globs for discovery. ``workers``: analysis
    processes (0 = every CPU). ``error_ratio_threshold``: a file whose parse error ratio is above
    it makes the parse-quality check warn."""

    root: str
    name: str = ""
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    workers: int = 0
    timeout_s: float = 10.0
    error_ratio_threshold: float = 0.05

    @property
    def repo_name(self) -> str:
        return self.name or repo_name_for(self.root)

    @property
    def root_path(self) -> Path:
        return Path(self.root).expanduser().resolve()


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


def indexable_files(root: str | Path, *, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[FoundFile]:
    """The files an index holds: every discovered file whose language is recognised (by name,
    extension or, for extension-less files, the first bytes), in discovery order."""
    out: list[FoundFile] = []
    for found in discover(root, include=include, exclude=exclude):
        if detect_language(found.path) is not None or ("." not in found.path.rsplit("/", 1)[-1] and _sniff(found)):
            out.append(found)
    return out


def _sniff(found: FoundFile) -> bool:
    try:
        with open(found.abs_path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return False
    return detect_language(found.path, head) is not None
