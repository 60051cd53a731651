"""Is the index fresh against disk? Shared by the ``index_matches_disk`` asset check and
``thread audit``; no Dagster here, so the CLI answers without loading an instance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xxhash

from resources.store.base import Store

from .assets.repo import indexable_files
from .engine import read_for_analysis


@dataclass(frozen=True)
class AuditResult:
    stale: list[str]
    """Indexed, but the bytes on disk hash differently."""
    missing: list[str]
    """Indexed, but gone from disk."""
    unindexed: list[str]
    """On disk and indexable, but not in the index."""
    checked: int

    @property
    def fresh(self) -> bool:
        return not (self.stale or self.missing or self.unindexed)


def audit(
    root: str | Path, store: Store, repo: str, *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> AuditResult:
    """Hashes every indexed file that is on disk (the stored hashes are the truth, not mtimes)."""
    states = store.file_states(repo)
    on_disk = {f.path: f for f in indexable_files(root, include=include, exclude=exclude)}
    stale: list[str] = []
    for path, state in states.items():
        found = on_disk.get(path)
        if found is None:
            continue
        if state.content_hash is None:
            if found.size != state.size_bytes:
                stale.append(path)
            continue
        data = read_for_analysis(found.abs_path)
        if not isinstance(data, bytes) or xxhash.xxh3_64_hexdigest(data) != state.content_hash:
            stale.append(path)
    return AuditResult(
        stale=sorted(stale),
        missing=sorted(set(states) - set(on_disk)),
        unindexed=sorted(set(on_disk) - set(states)),
        checked=len(states),
    )
