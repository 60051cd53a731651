"""Which discovered files an index holds (Dagster-free: the sensor, ``thread watch``, the audit
and the indexer share it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from thread_assets.engine import detect_language
from thread_assets.engine.detect import language_by_name

from .discover import FoundFile, discover
from .discover import stat_paths as discover_paths

HEAD_BYTES = 1024


def indexable_files(root: str | Path, *, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[FoundFile]:
    """The files an index holds: every discovered file whose language is recognised (by name,
    extension or, for extension-less files, the first bytes), in discovery order."""
    return [f for f in discover(root, include=include, exclude=exclude) if is_indexable(f)]


def stat_paths(
    root: str | Path, paths: Sequence[str], *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[FoundFile]:
    """:func:`indexable_files` restricted to ``paths``, without a walk (see ``discover.stat_paths``)."""
    return [f for f in discover_paths(root, paths, include=include, exclude=exclude) if is_indexable(f)]


def is_indexable(found: FoundFile) -> bool:
    """A recognised language by name or extension or, for extension-less files, the first bytes."""
    base = found.path.rsplit("/", 1)[-1]
    return language_by_name(base) is not None or ("." not in base and _sniff(found))


def _sniff(found: FoundFile) -> bool:
    try:
        with open(found.abs_path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return False
    return detect_language(found.path, head) is not None
