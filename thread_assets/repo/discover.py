"""Which files of a repository get indexed.

Honors ``.gitignore`` files at every level (deeper files override shallower ones, as git does),
a ``.threadignore`` with the same syntax, and extra include/exclude globs; skips VCS folders and
editor temp/swap files; never follows a symlink (a linked file is indexed only when its target is
a regular file inside the repository, under the link's own path).

A file name need not be valid UTF-8, while every store, Dagster and JSON need text: a path
component that is not (or that could be mistaken for an escaped one) is percent-escaped in the
path the index knows the file by (:func:`index_path`; :func:`disk_path` undoes it), so such a
file is indexed like any other instead of failing the whole repository.

Everything is stat-based: no file is opened here except ignore files, so a walk of a large tree
costs a few microseconds per file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

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


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_SURROGATE = re.compile(r"[\udc80-\udcff]")


def index_path(rel: str) -> str:
    """The path the index knows ``rel`` (as the file system names it: undecodable bytes are
    ``os.fsdecode``'s lone surrogates) by. A component holding such bytes, or a ``%`` followed
    by two hex digits, gets ``%`` and those bytes percent-encoded (``bad\\xffname.py`` ->
    ``bad%FFname.py``, ``a%41.py`` -> ``a%2541.py``); every other component is kept as it is. So
    the result is valid UTF-8, ordinary names are their own paths, and a stored path holds an
    escape exactly when one of its components was escaped: :func:`disk_path` needs no flag.
    Component-wise, so a directory's index path is a prefix of its files' ones."""
    if rel.isascii() and "%" not in rel:
        return rel
    if not _SURROGATE.search(rel) and not _ESCAPE.search(rel):
        return rel
    return "/".join(_escape_component(part) for part in rel.split("/"))


def _escape_component(part: str) -> str:
    if not _SURROGATE.search(part) and not _ESCAPE.search(part):
        return part
    return "".join(
        f"%{ord(ch) - 0xDC00:02X}" if 0xDC80 <= ord(ch) <= 0xDCFF else "%25" if ch == "%" else ch for ch in part
    )


def disk_path(path: str) -> str:
    """The file-system name (surrogate-escaped ``str``, as ``os`` functions take it) of an index
    path made by :func:`index_path`."""
    if "%" not in path or not _ESCAPE.search(path):
        return path
    return "/".join(
        unquote_to_bytes(part).decode("utf-8", "surrogateescape") if _ESCAPE.search(part) else part
        for part in path.split("/")
    )


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: str
    """Repository-relative, POSIX separators, as the index knows it (:func:`index_path`)."""
    abs_path: str
    """What to open: the file itself, or the target of a symlink."""
    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int = 0
    """Changes with permissions too: a file that turned (un)readable is looked at again."""


def _found(path: str, abs_path: str, st: os.stat_result) -> FoundFile:
    return FoundFile(path, abs_path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


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
        try:
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
        except UnicodeEncodeError:
            # a name that is not valid UTF-8 (RE2 takes UTF-8 only): matched with U+FFFD per
            # undecodable byte, as ignore files are read (a pattern's bad byte is U+FFFD too)
            return self.ignored(_SURROGATE.sub("\ufffd", rel_path), is_dir)
        return False


def discover(
    root: str | Path,
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    on_skip: Callable[[str, str], None] | None = None,
) -> Iterator[FoundFile]:
    """Yield every indexable regular file under ``root``, in a deterministic order: a directory's
    files by name, then its subdirectories.

    ``on_skip(path, reason)`` hears of each entry passed over that no ignore rule hides (a FIFO, a
    directory that cannot be listed, a symlink not followed), for ``thread audit`` to name them;
    that walk lists every directory again, as the memo below remembers kept entries only.

    Directory listings are remembered between walks of this process (:class:`_ListingMemo`): a
    directory whose mtime and ctime are those of the remembered listing, both older than
    ``RACY_S`` before the listing was made, has the same entries and the same ignore verdicts, so
    only its files are stat'ed again (a sensor tick stats every file anyway, the listing and the
    rules are the rest of the walk). Any change to an ignore file starts over with no memo."""
    root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    if on_skip is not None:
        yield from _ListingMemo(IgnoreRules(include, exclude), on_skip).walk(root_path)
        return
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


def directories(root: str | Path, *, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> list[str]:
    """The absolute paths of the directories :func:`discover` lists, the root first: what
    ``thread watch`` watches, each alone (not recursively), so that it sees what an index sees
    and nothing more: no symlinked directory (inside the tree or out of it, a loop included), no
    ignored or VCS directory, none it cannot list."""
    root_path = Path(root).resolve()
    memo = _ListingMemo(IgnoreRules(include, exclude))
    base = str(root_path)
    out: list[str] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        path = f"{base}/{rel_dir}" if rel_dir else base
        entries = memo._list(root_path, path, rel_dir)
        if entries is None:
            continue
        out.append(path)
        stack.extend(reversed([f"{rel_dir}/{name}" if rel_dir else name for name, kind in entries if kind == _DIR]))
    return out


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

    def __init__(self, rules: IgnoreRules, on_skip: Callable[[str, str], None] | None = None) -> None:
        self.rules = rules
        self.on_skip = on_skip
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
            except OSError as exc:
                self._too_long(exc, rel_dir)
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
                    found = _inside_link(root, index_path(rel), full)
                    if found is not None:
                        out.append(found)
                    elif self.on_skip is not None:
                        self.on_skip(index_path(rel), _link_problem(root, full))
                    continue
                try:
                    fst = os.stat(full, follow_symlinks=False)
                except OSError as exc:
                    self._too_long(exc, rel)
                    continue
                if stat.S_ISREG(fst.st_mode):
                    path_in_index = rel if rel.isascii() and "%" not in rel else index_path(rel)
                    out.append(
                        FoundFile(path_in_index, full, fst.st_size, fst.st_mtime_ns, fst.st_ino, fst.st_ctime_ns)
                    )
            stack.extend(reversed(subdirs))
        self.walked = True
        return out

    def _too_long(self, exc: OSError, rel: str) -> None:
        """A path beyond the OS's limit (PATH_MAX) cannot be opened by its absolute path: it is left
        out, and ``on_skip`` hears why."""
        if self.on_skip is not None and rel and exc.errno == errno.ENAMETOOLONG:
            self.on_skip(index_path(rel), "path too long for the operating system (ENAMETOOLONG)")

    def _list(self, root: Path, path: str, rel_dir: str) -> list[tuple[str, int]] | None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except (PermissionError, FileNotFoundError, NotADirectoryError) as exc:
            if self.on_skip is not None and isinstance(exc, PermissionError):
                self.on_skip(index_path(rel_dir) or ".", "directory not readable (permission denied)")
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
                elif entry.is_file(follow_symlinks=False):
                    if not rules.ignored(rel, False):
                        kept.append((entry.name, _FILE))
                elif self.on_skip is not None and not rules.ignored(rel, False):
                    self.on_skip(index_path(rel), f"not a regular file ({_special_kind(entry)})")
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


def _inside_link(root: Path, path: str, link: str) -> FoundFile | None:
    """A symlinked file counts only when it resolves to a regular file inside the repository
    (``path``: the link's index path)."""
    try:
        target = Path(link).resolve(strict=True)
        target.relative_to(root)
        st = target.stat()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return _found(path, str(target), st)


def _link_problem(root: Path, link: str) -> str:
    """Why :func:`_inside_link` turns ``link`` down, in words."""
    try:
        target = Path(link).resolve(strict=True)
    except RuntimeError:
        return "symlink loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        return "dangling symlink" if isinstance(exc, FileNotFoundError) else f"symlink not followed ({exc.strerror})"
    try:
        target.relative_to(root)
    except ValueError:
        return "symlink to outside the repository"
    return "symlink to a directory (not followed)" if target.is_dir() else "symlink to something not a regular file"


def _special_kind(entry: os.DirEntry[str]) -> str:
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISBLK(mode) or stat.S_ISCHR(mode) else "a special file"


def stat_paths(
    root: str | Path, paths: Iterable[str], *, include: Iterable[str] = (), exclude: Iterable[str] = ()
) -> list[FoundFile]:
    """The subset of ``paths`` (repository-relative index paths) that :func:`discover` would
    yield, without walking the tree: each path's ancestors are checked against the same ignore
    rules (an ignored or VCS directory hides everything below it, and so does one the walk cannot
    list), and symlinks get the same treatment. What ``thread watch`` uses for the few paths a
    file-system event names."""
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
            or not os.access(root_path / rel_dir, os.R_OK | os.X_OK)
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
    for path in paths:
        rel = disk_path(path)
        if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in rel.split("/")):
            continue
        if index_path(rel) != path:  # not a path discovery would give (say, a needless escape)
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
            found = _inside_link(root_path, path, str(full))
            if found is not None:
                out.append(found)
        elif stat.S_ISREG(st.st_mode):
            out.append(_found(path, str(full), st))
    return out
