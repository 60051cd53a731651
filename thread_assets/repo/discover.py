"""Which files of a repository get indexed.

Honors ``.gitignore`` files at every level (deeper files override shallower ones, as git does),
a ``.threadignore`` with the same syntax, and extra include/exclude globs; skips VCS folders and
editor temp/swap files; never follows a symlink (a linked file is indexed only when its target is
a regular file inside the repository, under the link's own path).

Everything is stat-based: no file is opened here except ignore files, so a walk of a large tree
costs a few microseconds per file.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

IGNORE_FILES = (".gitignore", ".threadignore")
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".jj", ".thread"})
_JUNK_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".kate-swp")
_JUNK_NAMES = frozenset({"4913", ".DS_Store"})


def is_editor_junk(name: str) -> bool:
    """Editor temp and swap files (``x~``, ``.#x``, ``#x#``, ``.x.swp``, vim's ``4913`` probe,
    ``.DS_Store``, ``*.tmp``): plain string tests, as each costs one call per file of every walk
    (a gitignore spec of the same patterns is much slower)."""
    return (
        name.endswith(_JUNK_SUFFIXES)
        or name.startswith(".#")
        or (len(name) > 1 and name[0] == "#" and name[-1] == "#")
        or name in _JUNK_NAMES
    )


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: str
    """Repository-relative, POSIX separators."""
    abs_path: str
    size: int
    mtime_ns: int
    inode: int


class IgnoreRules:
    """Nested ignore specs, evaluated deepest-first: the first spec with an opinion decides."""

    def __init__(self, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> None:
        self._specs: dict[str, pathspec.GitIgnoreSpec] = {}
        self._include = pathspec.GitIgnoreSpec.from_lines(list(include)) if include else None
        self._exclude = pathspec.GitIgnoreSpec.from_lines(list(exclude)) if exclude else None

    def load_dir(self, root: Path, rel_dir: str) -> None:
        lines: list[str] = []
        for name in IGNORE_FILES:
            try:
                lines += (root / rel_dir / name).read_text(encoding="utf-8", errors="replace").splitlines()
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                continue
        if lines:
            self._specs[rel_dir] = pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, rel_path: str, is_dir: bool) -> bool:
        name = rel_path.rsplit("/", 1)[-1]
        if not is_dir and is_editor_junk(name):
            return True
        if not self._specs and self._exclude is None and self._include is None:
            return False
        probe = rel_path + "/" if is_dir else rel_path
        if self._exclude is not None and self._exclude.match_file(probe):
            return True
        if self._specs:  # no ignore file in the tree: no per-level lookups (a third of a walk's time)
            parts = rel_path.split("/")
            for depth in range(len(parts) - 1, -1, -1):
                spec = self._specs.get("/".join(parts[:depth]))
                if spec is None:
                    continue
                sub = "/".join(parts[depth:]) + ("/" if is_dir else "")
                verdict = spec.check_file(sub).include
                if verdict is not None:
                    return verdict
        if not is_dir and self._include is not None:
            return not self._include.match_file(rel_path)
        return False


def discover(root: str | Path, *, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Iterator[FoundFile]:
    """Yield every indexable regular file under ``root``, in a deterministic order: a directory's
    files by name, then its subdirectories.

    Directory listings are remembered between walks of this process (:class:`_ListingMemo`): a
    directory whose mtime and ctime are those of the remembered listing, both older than
    ``RACY_S`` before the listing was made, has the same entries and the same ignore verdicts, so
    only its files are stat'ed again (a sensor tick stats every file anyway, the listing and the
    rules are the rest of the walk). Any change to an ignore file starts over with no memo."""
    root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    key = (str(root_path), tuple(include), tuple(exclude))
    with _MEMO_LOCK:
        memo = _MEMOS.pop(key, None)
        if memo is None or not memo.ignore_files_unchanged(root_path):
            memo = _ListingMemo(IgnoreRules(include, exclude))
        try:
            found = memo.walk(root_path)
        except _IgnoreFileAppeared:
            memo = _ListingMemo(IgnoreRules(include, exclude))
            found = memo.walk(root_path)
        _MEMOS[key] = memo
        while len(_MEMOS) > MEMO_ROOTS:
            _MEMOS.pop(next(iter(_MEMOS)))
    yield from found


RACY_S = 2.0
"""A directory changed this recently may change again within the same timestamp tick (Linux
keeps coarse timestamps): its listing is not remembered (git's "racy" rule)."""
MEMO_ROOTS = 8
_MEMO_LOCK = threading.Lock()
_FILE, _LINK, _DIR = 0, 1, 2


class _IgnoreFileAppeared(Exception):
    """A directory listed again holds an ignore file the memo did not know: its subtree's
    remembered verdicts may be wrong, so the walk starts over."""


@dataclass(slots=True)
class _Listing:
    stamp: tuple[int, int]
    """The directory's (mtime_ns, ctime_ns) when listed."""
    entries: list[tuple[str, int]]
    """(name, kind) of the entries that pass the ignore rules, by name."""


class _ListingMemo:
    """The listings and ignore rules of one root (with its include/exclude globs)."""

    def __init__(self, rules: IgnoreRules) -> None:
        self.rules = rules
        self.listings: dict[str, _Listing] = {}
        self.ignore_stamps: dict[str, tuple[tuple[int, int, int] | None, ...]] = {}
        self.walked = False
        """Set after the first walk: from then on remembered listings may hold verdicts made
        without an ignore file that appears now."""

    def ignore_files_unchanged(self, root: Path) -> bool:
        racy = time.time_ns() - int(RACY_S * 1e9)
        for rel_dir, stamps in self.ignore_stamps.items():
            now = _ignore_stamps(root, rel_dir)
            if now != stamps or any(s is not None and s[0] >= racy for s in now):
                return False
        return True

    def walk(self, root: Path) -> list[FoundFile]:
        base = str(root)
        racy = time.time_ns() - int(RACY_S * 1e9)
        out: list[FoundFile] = []
        stack: list[str] = [""]
        while stack:
            rel_dir = stack.pop()
            path = f"{base}/{rel_dir}" if rel_dir else base
            try:
                st = os.stat(path)
            except OSError:
                continue
            stamp = (st.st_mtime_ns, st.st_ctime_ns)
            listing = self.listings.get(rel_dir)
            if listing is None or listing.stamp != stamp:
                entries = self._list(root, path, rel_dir)
                if entries is None:
                    self.listings.pop(rel_dir, None)
                    continue
                listing = _Listing(stamp, entries)
                if max(stamp) < racy:
                    self.listings[rel_dir] = listing
                else:
                    self.listings.pop(rel_dir, None)
            subdirs: list[str] = []
            for name, kind in listing.entries:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if kind == _DIR:
                    subdirs.append(rel)
                    continue
                full = f"{path}/{name}"
                if kind == _LINK:
                    found = _inside_link(root, rel, full)
                    if found is not None:
                        out.append(found)
                    continue
                try:
                    fst = os.stat(full, follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(fst.st_mode):
                    out.append(FoundFile(rel, full, fst.st_size, fst.st_mtime_ns, fst.st_ino))
            stack.extend(reversed(subdirs))
        self.walked = True
        return out

    def _list(self, root: Path, path: str, rel_dir: str) -> list[tuple[str, int]] | None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            return None
        # open ignore files only where the listing has one: trying to open one in every directory
        # made the failed opens over half of the walk
        if any(e.name in IGNORE_FILES for e in entries):
            if rel_dir not in self.ignore_stamps and self.walked:
                raise _IgnoreFileAppeared(rel_dir)
            self.rules.load_dir(root, rel_dir)
            self.ignore_stamps[rel_dir] = _ignore_stamps(root, rel_dir)
        elif rel_dir in self.ignore_stamps and self.walked:  # an ignore file went: its rules are still loaded
            raise _IgnoreFileAppeared(rel_dir)
        kept: list[tuple[str, int]] = []
        rules = self.rules
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                if entry.is_symlink():
                    if not rules.ignored(rel, False):
                        kept.append((entry.name, _LINK))
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name not in ALWAYS_SKIPPED_DIRS and not rules.ignored(rel, True):
                        kept.append((entry.name, _DIR))
                elif entry.is_file(follow_symlinks=False) and not rules.ignored(rel, False):
                    kept.append((entry.name, _FILE))
            except OSError:
                continue
        return kept


def _ignore_stamps(root: Path, rel_dir: str) -> tuple[tuple[int, int, int] | None, ...]:
    out: list[tuple[int, int, int] | None] = []
    for name in IGNORE_FILES:
        try:
            st = os.stat(root / rel_dir / name)
        except OSError:
            out.append(None)
            continue
        out.append((max(st.st_mtime_ns, st.st_ctime_ns), st.st_size, st.st_ino))
    return tuple(out)


_MEMOS: dict[tuple[str, tuple[str, ...], tuple[str, ...]], _ListingMemo] = {}


def _inside_link(root: Path, rel: str, link: str) -> FoundFile | None:
    """A symlinked file counts only when it resolves to a regular file inside the repository."""
    try:
        target = Path(link).resolve(strict=True)
        target.relative_to(root)
        st = target.stat()
    except (OSError, ValueError, RuntimeError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return FoundFile(rel, str(target), st.st_size, st.st_mtime_ns, st.st_ino)


def stat_paths(
    root: str | Path, paths: Iterable[str], *, include: Iterable[str] = (), exclude: Iterable[str] = ()
) -> list[FoundFile]:
    """The subset of ``paths`` (repository-relative) that :func:`discover` would yield, without
    walking the tree: each path's ancestors are checked against the same ignore rules (an ignored
    or VCS directory hides everything below it), and symlinks get the same treatment. What
    ``thread watch`` uses for the few paths a file-system event names."""
    root_path = Path(root).resolve()
    rules = IgnoreRules(include, exclude)
    loaded: set[str] = set()
    hidden: dict[str, bool] = {}

    def dir_hidden(rel_dir: str) -> bool:
        if rel_dir in hidden:
            return hidden[rel_dir]
        parent, _, name = rel_dir.rpartition("/")
        verdict = bool(rel_dir) and (
            dir_hidden(parent)
            or name in ALWAYS_SKIPPED_DIRS
            or (root_path / rel_dir).is_symlink()
            or rules_for(parent).ignored(rel_dir, True)
        )
        hidden[rel_dir] = verdict
        return verdict

    def rules_for(rel_dir: str) -> IgnoreRules:
        parts = rel_dir.split("/") if rel_dir else []
        for depth in range(len(parts) + 1):
            base = "/".join(parts[:depth])
            if base not in loaded:
                rules.load_dir(root_path, base)
                loaded.add(base)
        return rules

    out: list[FoundFile] = []
    for rel in paths:
        if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in rel.split("/")):
            continue
        parent = rel.rpartition("/")[0]
        if dir_hidden(parent) or rules_for(parent).ignored(rel, False):
            continue
        full = root_path / rel
        try:
            st = full.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode):
            found = _inside_link(root_path, rel, str(full))
            if found is not None:
                out.append(found)
        elif stat.S_ISREG(st.st_mode):
            out.append(FoundFile(rel, str(full), st.st_size, st.st_mtime_ns, st.st_ino))
    return out
