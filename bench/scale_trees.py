"""The file sets bench/scale.py indexes, and the throw-away copies each tool runs on.

A work item's file set (Django's .py/.js/.html/.css files, the kernel subset's
.c/.h/.S/.py/.sh files) is a tree of hard links into the downloaded corpus, made once and cached
next to the corpora: under a lock, in a temporary directory renamed into place whole, as
tests/support/corpora.py does for the corpora themselves. Each measured run then gets its own
hard-linked copy of that tree (cheap even for the 78k files of Linux), so both tools see exactly
the same files and nothing either writes lands in the cache. Edits replace a file (write a new
one, rename it over), which breaks its link and leaves the cached corpus as it was.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.corpora import _locked, cache_root, fetch


@dataclass(frozen=True)
class FileSet:
    """Which files of a corpus make a work item."""

    name: str
    corpus: str
    under: tuple[str, ...]
    """Paths (relative to the corpus's root) whose files are taken; the whole corpus when empty."""
    suffixes: tuple[str, ...]
    """File suffixes taken; every file when empty."""
    parent: bool = False
    """Index the corpus directory's parent, keeping the corpus under its own name (``django/``), so
    that absolute imports of the package resolve as they do in a checkout."""
    edit: tuple[str, ...] = ()
    """Suffixes of the files the update step edits (default: ``suffixes``): source files, so that
    both tools have 10 files of real work to redo."""

    @property
    def edited_suffixes(self) -> tuple[str, ...]:
        return self.edit or self.suffixes


FILE_SETS = {
    s.name: s
    for s in (
        FileSet("django", "django", (), (".py", ".js", ".html", ".css"), parent=True),
        FileSet("kernel", "linux", ("fs", "net", "kernel", "mm", "include"), (".c", ".h", ".S", ".py", ".sh")),
        FileSet("linux", "linux", (), (), edit=(".c", ".h")),
    )
}

Picker = Callable[[Path], bool]


def _walk(root: Path) -> Iterator[Path]:
    """Every file and symlink under ``root``, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(dirpath)
        for name in sorted(filenames) + sorted(d for d in dirnames if (base / d).is_symlink()):
            yield base / name


def _link(src: Path, dst: Path) -> None:
    """A hard link (or a copy across file systems); a symlink is recreated as the same symlink."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copy2(src, dst)


def link_tree(src: Path, dst: Path, keep: Picker | None = None, *, prefix: str = "") -> int:
    """Hard-link the files of ``src`` that ``keep`` accepts into ``dst`` (under ``prefix``); the
    number of files linked. A cached tree's ``.complete`` marker is not part of it."""
    n = 0
    for path in _walk(src):
        rel = path.relative_to(src)
        if rel.as_posix() == ".complete" or (keep is not None and not keep(rel)):
            continue
        _link(path, dst / prefix / rel)
        n += 1
    return n


def picker(file_set: FileSet) -> Picker:
    def keep(rel: Path) -> bool:
        inside = not file_set.under or rel.parts[0] in file_set.under
        return inside and (not file_set.suffixes or rel.suffix in file_set.suffixes)

    return keep


def tree_of(file_set: FileSet) -> Path:
    """The cached tree of a file set (a corpus whole is its own tree); made on first use."""
    source = fetch(file_set.corpus)
    if not file_set.under and not file_set.suffixes and not file_set.parent:
        return source
    root = cache_root()
    dest = root / f"scale-{file_set.name}"
    if not (dest / ".complete").exists():
        root.mkdir(parents=True, exist_ok=True)
        with _locked(root / f".scale-{file_set.name}.lock"):
            if not (dest / ".complete").exists():
                for stale in root.glob(f".scale-{file_set.name}.partial-*"):
                    shutil.rmtree(stale, ignore_errors=True)
                shutil.rmtree(dest, ignore_errors=True)
                partial = Path(tempfile.mkdtemp(prefix=f".scale-{file_set.name}.partial-", dir=root))
                try:
                    prefix = source.name if file_set.parent else ""
                    link_tree(source, partial, picker(file_set), prefix=prefix)
                    (partial / ".complete").touch()
                    os.replace(partial, dest)
                finally:
                    shutil.rmtree(partial, ignore_errors=True)
    return dest


def work_copy(tree: Path, where: Path) -> tuple[Path, int]:
    """A fresh hard-linked copy of ``tree`` inside the directory ``where``, and its file count."""
    dest = where / tree.name
    return dest, link_tree(tree, dest)


COMMENTS = {".py": "# {}", ".sh": "# {}", ".js": "// {}", ".html": "<!-- {} -->"}
"""How an edit is written in each language; anything else (C, headers, assembly, CSS) takes ``/* */``."""


def edit_files(root: Path, n: int, seed: int, tag: str, suffixes: tuple[str, ...] = ()) -> list[str]:
    """Append a comment line to ``n`` files (of ``suffixes``, or any) picked with ``seed``, the
    same ones for every tool and run; each file is rewritten and renamed over, so a hard link to
    the cache is broken, not written through. Returns their paths relative to ``root``."""
    files = sorted(
        p
        for p in _walk(root)
        if p.is_file() and not p.is_symlink() and ".thread" not in p.parts and (not suffixes or p.suffix in suffixes)
    )
    picked = random.Random(seed).sample(files, min(n, len(files)))
    for path in picked:
        line = COMMENTS.get(path.suffix, "/* {} */").format(f"scale bench edit {tag}")
        data = path.read_bytes()
        fresh = path.with_name(f".{path.name}.edit")
        fresh.write_bytes(data + (b"" if data.endswith(b"\n") or not data else b"\n") + line.encode() + b"\n")
        os.replace(fresh, path)
    return [p.relative_to(root).as_posix() for p in picked]
