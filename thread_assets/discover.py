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
    (a gitignore spec of the same patterns cost ~6 us per file)."""
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
    files by name, then its subdirectories."""
    root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    rules = IgnoreRules(include, exclude)
    base = str(root_path)
    stack: list[str] = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(f"{base}/{rel_dir}" if rel_dir else base), key=lambda e: e.name)
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            continue
        # open ignore files only where the listing has one: on Django's 2,455 directories the
        # failed opens were over half of the walk (3,660 files: 130 -> 57 ms)
        if any(e.name in IGNORE_FILES for e in entries):
            rules.load_dir(root_path, rel_dir)
        subdirs: list[str] = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                if entry.is_symlink():
                    found = _inside_link(root_path, rel, entry.path)
                    if found is not None and not rules.ignored(rel, False):
                        yield found
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in ALWAYS_SKIPPED_DIRS and not rules.ignored(rel, True):
                        subdirs.append(rel)
                    continue
                if not entry.is_file(follow_symlinks=False) or rules.ignored(rel, False):
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield FoundFile(rel, entry.path, st.st_size, st.st_mtime_ns, st.st_ino)
        stack.extend(reversed(subdirs))


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
