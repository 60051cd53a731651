"""Is the index fresh against disk? Shared by the ``index_matches_disk`` asset check and
``thread audit``; no Dagster here, so the CLI answers without loading an instance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from resources.store.base import Store

from .changes import StatMemo, current_digest
from .indexable import indexable_files


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
    root: str | Path,
    store: Store,
    repo: str,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    memo: StatMemo | None = None,
) -> AuditResult:
    """Compares every indexed file on disk with its stored hash (the stored hashes are the
    truth). With a stat ``memo``, a file whose (size, mtime, inode) match the memo's is not read
    again; without one every file is hashed."""
    states = store.file_states(repo)
    on_disk = {f.path: f for f in indexable_files(root, include=include, exclude=exclude)}
    memo = memo or StatMemo(None, str(root))
    stale: list[str] = []
    for path, state in states.items():
        found = on_disk.get(path)
        if found is None:
            continue
        if state.content_hash is None:
            if found.size != state.size_bytes:
                stale.append(path)
            continue
        digest, _read = current_digest(found, memo)
        if digest != state.content_hash:
            stale.append(path)
    memo.save()
    return AuditResult(
        stale=sorted(stale),
        missing=sorted(set(states) - set(on_disk)),
        unindexed=sorted(set(on_disk) - set(states)),
        checked=len(states),
    )
