"""C includes against the compiler's own view, with a real ``compile_commands.json``.

The corpus is libuv as vendored in uvloop's sdist (PyPI). CMake configures it into a temporary
build directory with ``CMAKE_EXPORT_COMPILE_COMMANDS=ON`` (tests included); the database is
handed to the resolver as ``build/compile_commands.json``, absolute paths and all.

The compiler's view: every translation unit of the database is preprocessed with its own command
plus ``-E -dI``. The output keeps each ``#include`` directive the preprocessor acted on (those in
inactive ``#if`` branches are gone), and line markers say which file each directive sits in and
which file it opened (``# 1 "path" 1``). A directive whose header was already included (an
include guard or ``#pragma once``: no file is opened) says nothing about where it resolves in that
unit; it is taken from another unit that opened it, else from a probe: a one-line file holding
just that directive, written beside the includer (so a quoted include searches the same
directory first) and preprocessed with the flags of a unit that read the includer.

Our view: ``analyze`` on every ``.c``/``.h`` file and ``resolve_imports`` over a RepoContext of
the tree plus the database. Both sides become sets of ``(file, header as written, target)`` for
the files the compiler read, where the target is a repository file or ``external``; our includes
that the compiler never acted on (inactive branches: ``#ifdef _WIN32``, other platforms) are
counted apart, as the extractor does not evaluate the preprocessor.

Usage: python -m bench.c_compile_db_compare [--json] [--samples N] [--without-db]
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.support.corpora import fetch
from thread_assets.engine import analyze
from thread_assets.engine.resolve import RepoContext, resolve_imports

_MARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"((?: \d)*)$')
_DIRECTIVE = re.compile(r'^#\s*include(?:_next)?\s*([<"])([^>"]+)[>"]')

Key = tuple[str, str, str]
"""(including file, header as written, target file or ``external``)."""


def configure(src: Path, build: Path) -> Path:
    cmake = shutil.which("cmake")
    if cmake is None:
        raise SystemExit("cmake is needed to produce compile_commands.json (apt-get install cmake)")
    cmd = [cmake, "-S", str(src), "-B", str(build), "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DLIBUV_BUILD_TESTS=ON"]
    subprocess.run(cmd, capture_output=True, check=True)
    return build / "compile_commands.json"


def _preprocess_args(entry: dict[str, str]) -> list[str]:
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c":
            continue
        out.append(a)
    return [*out, "-E", "-dI", "-o", "-"]


def compiler_view(
    entries: list[dict[str, str]], root: Path
) -> tuple[dict[tuple[str, str], set[str]], dict[str, dict[str, str]], dict[tuple[str, str], str]]:
    """(file, header as written) -> targets seen, for every directive in an active branch; the
    repository files the compiler read, each with the first unit that read it; and each
    directive's bracket (``<`` or ``"``)."""
    resolved: dict[tuple[str, str], set[str]] = {}
    read: dict[str, dict[str, str]] = {}
    brackets: dict[tuple[str, str], str] = {}
    seen_units: set[str] = set()
    prefix = str(root) + "/"

    def rel(path: str) -> str:
        path = str(Path(path).resolve()) if not path.startswith("<") else path
        return path[len(prefix) :] if path.startswith(prefix) else "external"

    for entry in entries:
        if entry["file"] in seen_units:
            continue
        seen_units.add(entry["file"])
        proc = subprocess.run(_preprocess_args(entry), cwd=entry["directory"], capture_output=True, text=True)
        current = rel(entry["file"])
        pending: tuple[str, str] | None = None
        for line in proc.stdout.splitlines():
            if not line.startswith("#"):
                continue
            m = _MARKER.match(line)
            if m is not None:
                path, flags = m.group(2), m.group(3).split()
                if path.startswith("<"):
                    continue
                target = rel(path)
                if "1" in flags and pending is not None:
                    resolved.setdefault(pending, set()).add(target)
                if flags:  # entering or leaving a file; a bare marker just renumbers the same file
                    pending = None
                current = target
                if current != "external":
                    read.setdefault(current, entry)
                continue
            d = _DIRECTIVE.match(line)
            if d is not None and current != "external":
                pending = (current, d.group(2))
                resolved.setdefault(pending, set())
                brackets[pending] = d.group(1)
    return resolved, read, brackets


def probe(
    root: Path, unknown: list[tuple[str, str]], read: dict[str, dict[str, str]], brackets: dict[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """Where each directive the units never opened (its header was already included) resolves:
    a one-line file beside the includer, preprocessed with the flags of a unit that read it."""
    out: dict[tuple[str, str], str] = {}
    prefix = str(root) + "/"
    for n, (f, header) in enumerate(unknown):
        entry = read[f]
        spelled = f'"{header}"' if brackets[(f, header)] == '"' else f"<{header}>"
        path = root / Path(f).parent / f".thread-probe-{n}.c"
        path.write_text(f"#include {spelled}\n")
        try:
            args = [a for a in _preprocess_args(entry) if a != entry["file"]] + [str(path)]
            proc = subprocess.run(args, cwd=entry["directory"], capture_output=True, text=True)
        finally:
            path.unlink()
        for line in proc.stdout.splitlines():
            m = _MARKER.match(line)
            if m is not None and "1" in m.group(3).split() and not m.group(2).startswith("<"):
                target = str(Path(m.group(2)).resolve())
                if target.endswith("stdc-predef.h"):
                    continue
                out[(f, header)] = target[len(prefix) :] if target.startswith(prefix) else "external"
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--without-db", action="store_true", help="our side without the database (the rules before it)")
    args = ap.parse_args(argv)
    src = fetch("libuv").resolve()
    with tempfile.TemporaryDirectory(prefix="thread-libuv-build-") as tmp:
        t0 = time.perf_counter()
        db_path = configure(src, Path(tmp))
        db_bytes = db_path.read_bytes()
        entries = json.loads(db_bytes)
        resolved, compiler_read, brackets = compiler_view(entries, src)
        missing = sorted(k for k, t in resolved.items() if not t)
        for k, target in probe(src, missing, compiler_read, brackets).items():
            resolved[k].add(target)
        t_cc = time.perf_counter() - t0
    files = {p.relative_to(src).as_posix(): p for p in src.rglob("*") if p.is_file()}
    sources = {r: p for r, p in files.items() if p.suffix in (".c", ".h")}

    def read(rel: str) -> bytes | None:
        if rel == "build/compile_commands.json":
            return None if args.without_db else db_bytes
        p = files.get(rel)
        return p.read_bytes() if p is not None else None

    t0 = time.perf_counter()
    analyses = [analyze(r, p.read_bytes(), "c") for r, p in sorted(sources.items())]
    res = resolve_imports(analyses, RepoContext(files=frozenset(files), read=read))
    t_ours = time.perf_counter() - t0

    theirs: set[Key] = set()
    unknown = 0
    for (f, header), targets in resolved.items():
        if not targets:
            unknown += 1
            continue
        theirs.update((f, header, t) for t in targets)
    known = {(f, h) for (f, h), t in resolved.items() if t}
    ours: set[Key] = set()
    inactive: Counter[str] = Counter()
    how: Counter[str] = Counter()
    for r in res:
        if r.importer not in compiler_read or (r.how == "unresolved" and r.target is None and r.external is None):
            continue
        if (r.importer, r.module) not in resolved:
            inactive[r.how] += 1  # the compiler never acted on it: an inactive #if branch
            continue
        if (r.importer, r.module) not in known:
            continue
        how[r.how] += 1
        ours.add((r.importer, r.module, r.target or "external"))

    def score(a: set[Key], b: set[Key]) -> dict[str, float]:
        both = len(a & b)
        p = both / len(b) if b else 1.0
        rc = both / len(a) if a else 1.0
        return {
            "precision": round(p, 4),
            "recall": round(rc, 4),
            "f1": round(2 * p * rc / (p + rc), 4) if p + rc else 0,
        }

    internal = {k for k in theirs if k[2] != "external"}, {k for k in ours if k[2] != "external"}
    report = {
        "translation_units": len({e["file"] for e in entries}),
        "files_read_by_compiler": len(compiler_read),
        "directives_compiler": len(resolved),
        "directives_unknown_target": unknown,
        "keys_compiler": len(theirs),
        "keys_thread": len(ours),
        "all": score(theirs, ours),
        "internal": score(*internal),
        "ours_in_inactive_branches": dict(inactive),
        "how": dict(how),
        "only_compiler": sorted(theirs - ours)[: args.samples],
        "only_thread": sorted(ours - theirs)[: args.samples],
        "seconds": {"cmake_and_cc_E": round(t_cc, 1), "thread": round(t_ours, 1)},
    }
    print(json.dumps(report, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
