"""``compile_commands.json``: the include search path and macros each C/C++ file is compiled with.

A compilation database (CMake's ``CMAKE_EXPORT_COMPILE_COMMANDS``, Bear, Meson, ...) lists one
entry per translation unit: ``directory``, ``file`` and ``arguments`` (or one shell-quoted
``command``). Its paths are usually absolute, on the machine that built it; the repository root
there is found by matching entry files against the indexed paths (the prefix most entries share),
so a database built in another checkout still applies.

From each entry: ``-iquote`` directories (quoted includes only), ``-I``, ``-isystem`` and
``-idirafter`` directories in the compiler's order, and ``-D`` macros (for ``#include MACRO``).
Directories outside the repository (``/usr/include/...``) are kept as such: a header found in
none of the repository's directories is then a system or third-party one. Headers are not in the
database; they are searched with the union of every entry's directories, in order of first
appearance.
"""

from __future__ import annotations

import json
import posixpath
import shlex
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

LOCATIONS = ("compile_commands.json", "build/compile_commands.json")
"""Where a database is looked for besides any indexed file of that name."""


@dataclass(frozen=True)
class SearchPath:
    quote: tuple[str, ...] = ()
    """``-iquote`` directories, repo-relative (searched for ``#include "x"`` only)."""
    angle: tuple[str, ...] = ()
    """``-I``, ``-isystem``, ``-idirafter`` directories in that order, repo-relative; a directory
    outside the repository is kept with a leading ``/``."""
    defines: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CompileDb:
    source: str
    """Repo-relative path of the database."""
    per_file: dict[str, SearchPath]
    union: SearchPath


def find(files: Iterable[str], read: Callable[[str], bytes | None]) -> CompileDb | None:
    """The repository's compilation database: the shallowest indexed ``compile_commands.json``,
    else one of :data:`LOCATIONS`; None when there is none or it cannot be read."""
    file_set = frozenset(files)
    indexed = sorted((f for f in file_set if posixpath.basename(f) == "compile_commands.json"), key=_depth)
    for path in (*indexed, *LOCATIONS):
        data = read(path)
        if data is None:
            continue
        try:
            entries = json.loads(data)
        except ValueError:
            continue
        if isinstance(entries, list):
            return parse(path, entries, file_set)
    return None


def _depth(path: str) -> tuple[int, str]:
    return path.count("/"), path


def _arguments(entry: dict[str, object]) -> list[str]:
    args = entry.get("arguments")
    if isinstance(args, list):
        return [str(a) for a in args]
    command = entry.get("command")
    if isinstance(command, str):
        try:
            return shlex.split(command)
        except ValueError:
            return command.split()
    return []


def _repo_root(entries: list[tuple[str, dict[str, object]]], files: frozenset[str]) -> str | None:
    """The absolute directory the database's repository sat in: for each entry file, the prefix
    left when its longest indexed suffix is removed; the most common one wins."""
    votes: Counter[str] = Counter()
    for absolute, _ in entries:
        parts = absolute.strip("/").split("/")
        for i in range(len(parts)):
            if "/".join(parts[i:]) in files:
                votes["/" + "/".join(parts[:i])] += 1
                break
    return votes.most_common(1)[0][0] if votes else None


def _relative(path: str, root: str | None) -> str:
    """Repo-relative when inside ``root``, else the absolute path."""
    path = posixpath.normpath(path)
    if root is not None:
        if path == root.rstrip("/") or (root == "/" and path == "/"):
            return ""
        prefix = root.rstrip("/") + "/"
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def _flags(args: list[str], directory: str, root: str | None) -> SearchPath:
    quote: list[str] = []
    groups: dict[str, list[str]] = {"-I": [], "-isystem": [], "-idirafter": []}
    defines: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        for flag in ("-iquote", "-isystem", "-idirafter", "-I", "-D"):
            if arg == flag and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            elif arg.startswith(flag) and len(arg) > len(flag):
                value = arg[len(flag) :]
            else:
                continue
            if flag == "-D":
                name, _, text = value.partition("=")
                defines[name] = text if text else "1"
            else:
                d = _relative(posixpath.join(directory, value), root)
                (quote if flag == "-iquote" else groups[flag]).append(d)
            break
        i += 1
    angle = tuple(dict.fromkeys(groups["-I"] + groups["-isystem"] + groups["-idirafter"]))
    return SearchPath(quote=tuple(dict.fromkeys(quote)), angle=angle, defines=defines)


def parse(source: str, raw: list[object], files: frozenset[str]) -> CompileDb:
    entries: list[tuple[str, dict[str, object]]] = []
    for e in raw:
        if not isinstance(e, dict) or not isinstance(e.get("file"), str):
            continue
        directory = str(e.get("directory") or "/")
        entries.append((posixpath.normpath(posixpath.join(directory, str(e["file"]))), e))
    root = _repo_root(entries, files)
    per_file: dict[str, SearchPath] = {}
    quote: dict[str, None] = {}
    angle: dict[str, None] = {}
    defines: dict[str, str] = {}
    for absolute, e in entries:
        rel = _relative(absolute, root)
        directory = str(e.get("directory") or "/")
        sp = _flags(_arguments(e), directory, root)
        per_file.setdefault(rel, sp)
        quote.update(dict.fromkeys(sp.quote))
        angle.update(dict.fromkeys(sp.angle))
        for k, v in sp.defines.items():
            defines.setdefault(k, v)
    return CompileDb(
        source=source, per_file=per_file, union=SearchPath(quote=tuple(quote), angle=tuple(angle), defines=defines)
    )
