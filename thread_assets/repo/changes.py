"""What changed on disk since the store last saw it: stat first, hash only what changed.

Shared by ``thread index``, the file-change sensor and ``thread watch``; no Dagster here.

The store's content hashes are the truth: a file is to be analysed when it is on disk and its
bytes hash differently from the store's row (or it has no row, or the row was made by another
extractor version); a stored file that is gone from disk is removed. The :class:`StatMemo` only
saves reading: it remembers, per path, the ``(size, mtime_ns, inode, ctime_ns)`` at which a content
hash was computed, so an unchanged file costs one ``stat`` (in the walk) and a dict probe. A memo
entry is trusted only when its stat matches exactly and the file was not modified (nor its
permissions changed) within ``RACY_NS`` of the moment the memo was written (the "racy git"
problem: a write in the same timestamp tick as the hash leaves the stat unchanged), so a touched
file is re-hashed and found unchanged, never re-analysed. A file that could not be read (no
permission, too large) has no hash to remember: it is looked at again each time (a ``stat`` and
at most a refused ``open``), and it is unchanged as long as it stays unreadable at the size its
row records, so it neither churns nor hides the moment it becomes readable. Losing the memo costs
one re-hash of every file, never a wrong answer; it lives next to the index
(``<root>/.thread/cache/stat-memo.msgpack``), not in a sensor cursor (cursors have size limits).
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import msgspec
import xxhash

from resources.store.base import FileState
from thread_assets.engine import EXTRACTOR_VERSION
from thread_assets.engine.batch import read_for_analysis

from .discover import FoundFile
from .indexable import indexable_files, stat_paths

RACY_NS = 2_000_000_000
"""Entries whose file was modified this close to the memo's writing are re-hashed next time."""
MEMO_FILE = "stat-memo.msgpack"


class _Entry(msgspec.Struct, array_like=True):
    size: int
    mtime_ns: int
    inode: int
    digest: str | None
    ctime_ns: int = 0


class _MemoFile(msgspec.Struct):
    root: str
    written_ns: int
    entries: dict[str, _Entry]


class StatMemo:
    """``path -> (size, mtime_ns, inode, content hash)``, persisted as one msgpack file."""

    def __init__(self, path: Path | None, root: str) -> None:
        self.path = path
        self.root = root
        self.entries: dict[str, _Entry] = {}
        self.written_ns = 0
        self.dirty = False
        if path is not None:
            try:
                data = msgspec.msgpack.decode(path.read_bytes(), type=_MemoFile)
            except (OSError, msgspec.DecodeError, msgspec.ValidationError):
                return
            if data.root == root:
                self.entries = data.entries
                self.written_ns = data.written_ns

    def lookup(self, found: FoundFile) -> str | Literal[False]:
        """The memoised hash, or False when the file must be read again."""
        entry = self.entries.get(found.path)
        if (
            entry is None
            or entry.digest is None
            or entry.size != found.size
            or entry.mtime_ns != found.mtime_ns
            or entry.inode != found.inode
            or entry.ctime_ns != found.ctime_ns
            or max(found.mtime_ns, found.ctime_ns) >= self.written_ns - RACY_NS
        ):
            return False
        return entry.digest

    def remember(self, found: FoundFile, digest: str | None) -> None:
        self.entries[found.path] = _Entry(found.size, found.mtime_ns, found.inode, digest, found.ctime_ns)
        self.dirty = True

    def forget(self, paths: Iterable[str]) -> None:
        for p in paths:
            if self.entries.pop(p, None) is not None:
                self.dirty = True

    def save(self) -> None:
        """Atomically (write + rename): a crash leaves the old memo or the new one."""
        if self.path is None or not self.dirty:
            return
        self.written_ns = time.time_ns()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        blob = msgspec.msgpack.encode(_MemoFile(self.root, self.written_ns, self.entries))
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".stat-memo.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.dirty = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic-GC pass while a change detection runs. It allocates a few objects per file, none
    in cycles (refcounting frees them), but in a process holding Dagster's definitions each
    allocation burst can trigger a full collection over millions of objects, which made some
    sensor ticks several times slower than the typical one; with collections paused those
    outliers go (docs/benchmarks.md). Collection resumes (and catches up) afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def memo_path(cache_dir: str | Path | None) -> Path | None:
    return None if cache_dir is None else Path(cache_dir) / MEMO_FILE


@dataclass
class ChangeSet:
    """The difference between disk and the store, in discovery order."""

    added: list[str] = field(default_factory=list)
    """On disk and indexable, no row in the store."""
    modified: list[str] = field(default_factory=list)
    """Stored, but the bytes (or the extractor version) differ."""
    removed: list[str] = field(default_factory=list)
    """Stored, gone from disk (or no longer indexable)."""
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(old, new) pairs among removed x added with the same content: the analysis is reused."""
    on_disk: list[str] = field(default_factory=list)
    """Every indexable path on disk, in discovery order."""
    scanned: int = 0
    hashed: int = 0
    """Files read and hashed by this detection (the rest were answered by the stat memo)."""
    seconds: float = 0.0
    partial: bool = False
    """Only a scope of paths was looked at (``on_disk`` is not the whole repository)."""

    @property
    def to_analyse(self) -> list[str]:
        wanted = set(self.added) | set(self.modified)
        return [p for p in self.on_disk if p in wanted]

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    def describe(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.modified)} changed", f"{len(self.removed)} removed"]
        if self.renamed:
            parts.append(f"{len(self.renamed)} renamed")
        return ", ".join(parts)


def _digest_of(found: FoundFile) -> str | None:
    data = read_for_analysis(found.abs_path)
    return xxhash.xxh3_64_hexdigest(data) if isinstance(data, bytes) else None


def current_digest(found: FoundFile, memo: StatMemo) -> tuple[str | None, bool]:
    """The file's content hash now (None when unreadable) and whether it was read and hashed."""
    digest = memo.lookup(found)
    if digest is not False:
        return digest, False
    fresh = _digest_of(found)
    if fresh is None:  # nothing to vouch for: no entry, so the memo is not rewritten for it each time
        memo.forget([found.path])
        return None, False
    memo.remember(found, fresh)
    return fresh, True


def _differs(found: FoundFile, digest: str | None, state: FileState) -> bool:
    if state.extractor_version != EXTRACTOR_VERSION:
        return True
    if digest is None or state.content_hash is None:
        # unreadable now or when indexed: the row records why; re-analyse only if that may change
        return digest != state.content_hash or found.size != state.size_bytes
    return digest != state.content_hash


def detect_changes(
    root: str | Path,
    states: Mapping[str, FileState],
    *,
    memo: StatMemo | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    force: bool = False,
    found: Sequence[FoundFile] | None = None,
    scope: Iterable[str] | None = None,
) -> ChangeSet:
    """Compare the indexable files under ``root`` with the store's ``states``.

    ``found`` skips the walk (a caller that already listed the files); ``force`` reports every
    file as modified. ``scope``: only these paths are looked at (``thread watch`` passes the
    paths the file system reported); a path in scope that is stored but not indexable on disk
    any more is removed, and ``on_disk`` then lists the scope's indexable files only."""
    started = time.perf_counter()
    if scope is not None:
        scoped = set(scope)
        files = stat_paths(root, sorted(scoped), include=include, exclude=exclude)
        states = {p: s for p, s in states.items() if p in scoped}
    else:
        files = list(found) if found is not None else indexable_files(root, include=include, exclude=exclude)
    memo = memo or StatMemo(None, str(root))
    changes = ChangeSet(on_disk=[f.path for f in files], scanned=len(files), partial=scope is not None)
    digests: dict[str, str | None] = {}
    for f in files:
        digest, read = current_digest(f, memo)
        changes.hashed += read
        state = states.get(f.path)
        if state is None:
            changes.added.append(f.path)
            digests[f.path] = digest
        elif force or _differs(f, digest, state):
            changes.modified.append(f.path)
    on_disk = set(changes.on_disk)
    changes.removed = sorted(p for p in states if p not in on_disk)
    memo.forget(changes.removed if scope is not None else [p for p in memo.entries if p not in on_disk])
    if changes.removed and changes.added:
        by_hash = {digests[p]: p for p in changes.added if digests[p] is not None}
        changes.renamed = [
            (old, by_hash[h]) for old in changes.removed if (h := states[old].content_hash) is not None and h in by_hash
        ]
    changes.seconds = time.perf_counter() - started
    return changes
