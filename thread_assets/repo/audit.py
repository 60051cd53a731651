"""Is the index fresh against disk? Shared by the ``index_matches_disk`` asset check and
``thread audit``; no Dagster here, so the CLI answers without loading an instance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from resources.store.base import Store

from .changes import StatMemo, current_digest
from .discover import discover
from .indexable import is_indexable


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class AuditResult:
    stale: list[str]
    """Indexed, but the bytes on disk hash differently."""
    missing: list[str]
    """Indexed, but gone from disk."""
    unindexed: list[str]
    """On disk and indexable, but not in the index."""
    checked: int
    graphs_stale: bool = False
    """Per-file rows changed after the last graph build (an update died between the two commits):
    resolutions, dependency edges, cycles and call edges may be out of date."""
    skipped: list[Skipped] = field(default_factory=list)
    """What discovery passed over that no ignore rule hides: FIFOs and other special files,
    directories it cannot list, symlinks it does not follow (dangling, pointing outside the
    repository, to a directory, in a loop). Their files are not indexed, so a fresh index can still
    miss what the user expects in it. Only listed when asked for (``list_skipped``)."""

    @property
    def fresh(self) -> bool:
        return not (self.stale or self.missing or self.unindexed or self.graphs_stale)


def audit(
    root: str | Path,
    store: Store,
    repo: str,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    memo: StatMemo | None = None,
    list_skipped: bool = False,
) -> AuditResult:
    """Compares every indexed file on disk with its stored hash (the stored hashes are the
    truth). With a stat ``memo``, a file whose (size, mtime, inode) match the memo's is not read
    again; without one every file is hashed. ``list_skipped``: also name what discovery passed
    over (that walk lists every directory again: the asset check after each update does without)."""
    states = store.file_states(repo)
    skipped: list[Skipped] = []
    on_skip = (lambda path, reason: skipped.append(Skipped(path, reason))) if list_skipped else None
    walk = discover(root, include=include, exclude=exclude, on_skip=on_skip)
    on_disk = {f.path: f for f in walk if is_indexable(f)}
    memo = memo or StatMemo(None, str(root))
    stale: list[str] = []
    for path, state in states.items():
        found = on_disk.get(path)
        if found is None:
            continue
        if state.content_hash is None:  # unread when indexed (too large, unreadable): until it can be read
            if found.size != state.size_bytes or current_digest(found, memo)[0] is not None:
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
        graphs_stale=store.graphs_behind(repo),
        skipped=sorted(skipped, key=lambda s: s.path),
    )
