"""Go import resolution against ``go list -json`` on Go sources from Debian ``golang-*-dev`` packages.

The packages unpack into one GOPATH tree (``usr/share/gocode/src/<import path>``), each module
with its ``go.mod``. ``go list -e -json ./...`` runs there in GOPATH mode (``GO111MODULE=off``,
so no network) for linux/amd64 with cgo: for each package it gives the files one build takes
(``GoFiles``, ``CgoFiles``, ``TestGoFiles``, ``XTestGoFiles``), those it leaves out
(``IgnoredGoFiles``), and the imports of each of those three groups, with ``ImportMap`` for
vendored paths. An import that names a listed package is internal (to that package's
directory); any other (the standard library, a module not in the tree) is external.

Our side: ``analyze`` on every ``.go`` file of the tree and ``resolve_imports`` over a
:class:`RepoContext` of it, as ``thread index`` would. The files a linux/amd64 build takes are
chosen from what Thread records (``FileAnalysis.build_constraint`` and the file name's tags,
``extract/go_build.py``), not from go list, so a constraint misread shows as a disagreement.
Both sides become sets of ``(package directory, group, import path, where it resolves)``, where
``where`` is the target's directory, ``external`` or ``unresolved`` (a file's group is go list's
when it lists the file, else ``test`` for ``_test.go`` files and ``main`` otherwise), over the
directories go list lists as packages. Files under ``testdata`` or ``_``/``.`` directories are
in no package: their imports are counted apart.

Usage: python -m bench.go_list_compare [--json] [--samples N]
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support.corpora import CORPORA, Corpus, fetch
from thread_assets.engine import analyze
from thread_assets.engine.extract.go_build import builds, context_tags
from thread_assets.engine.resolve import RepoContext, resolve_imports
from thread_assets.engine.resolve.go import is_package_dir

CORPUS = Corpus(
    "go-toolchain",
    "deb",
    (
        "golang-golang-x-sys-dev=0.3.0-1",
        "golang-golang-x-text-dev=0.7.0-1",
        "golang-golang-x-sync-dev=0.1.0-1",
        "golang-github-spf13-cobra-dev=1.6.1-1",
        "golang-github-spf13-pflag-dev",
        "golang-github-stretchr-testify-dev=1.8.1-1",
        "golang-github-stretchr-objx-dev=0.5.0-1",
        "golang-github-davecgh-go-spew-dev=1.1.1-3",
        "golang-github-pmezard-go-difflib-dev=1.0.0-3",
        "golang-gopkg-yaml.v3-dev=3.0.1-3",
        "golang-github-google-go-cmp-dev=0.5.9-1",
        "golang-github-cpuguy83-go-md2man-v2-dev=2.0.2+ds1-1",
        "golang-github-russross-blackfriday-v2-dev=2.1.0-1",
    ),
    "usr/share/gocode/src",
    ("go",),
)
CORPORA.setdefault(CORPUS.name, CORPUS)

Key = tuple[str, str, str, str]
"""(package directory, group, import path, where it resolves)."""

_GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("main", ("GoFiles", "CgoFiles"), "Imports"),
    ("test", ("TestGoFiles",), "TestImports"),
    ("xtest", ("XTestGoFiles",), "XTestImports"),
)


def _go() -> str:
    go = shutil.which("go") or "/usr/lib/go/bin/go"
    if not Path(go).exists():
        raise SystemExit("the go command is needed: apt-get install golang-go (GOPATH mode needs no network)")
    return go


def go_list(src: Path) -> list[dict[str, Any]]:
    go = _go()
    env = {
        **os.environ,
        "GOPATH": str(src.parent),
        "GO111MODULE": "off",
        "GOOS": "linux",
        "GOARCH": "amd64",
        "CGO_ENABLED": "1",
        "GOFLAGS": "",
        "GOPROXY": "off",
    }
    out = subprocess.run([go, "list", "-e", "-json", "./..."], cwd=src, env=env, capture_output=True, check=True)
    text, decoder, pos, pkgs = out.stdout.decode(), json.JSONDecoder(), 0, []
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        obj, pos = decoder.raw_decode(text, pos)
        pkgs.append(obj)
    return pkgs


def go_release() -> int:
    go = _go()
    version = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout.strip()
    return int(version.removeprefix("go").split(".")[1])


def their_keys(src: Path, pkgs: list[dict[str, Any]]) -> tuple[set[Key], dict[str, str], dict[str, str]]:
    """go list's edges, each file's group, and import path -> package directory."""
    dirs = {p["ImportPath"]: Path(p["Dir"]).relative_to(src).as_posix() for p in pkgs}
    keys: set[Key] = set()
    group_of: dict[str, str] = {}
    for p in pkgs:
        d = dirs[p["ImportPath"]]
        imap = p.get("ImportMap") or {}
        for group, file_fields, imports_field in _GROUPS:
            for field in file_fields:
                for f in p.get(field) or ():
                    group_of[posixpath.join(d, f)] = group
            for ip in p.get(imports_field) or ():
                real = imap.get(ip, ip)
                keys.add((d, group, ip, dirs.get(real, "external")))
    return keys, group_of, dirs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--samples", type=int, default=15)
    args = ap.parse_args(argv)
    src = fetch(CORPUS.name)
    t0 = time.perf_counter()
    pkgs = go_list(src)
    theirs, group_of, dirs = their_keys(src, pkgs)
    listed = set(dirs.values())
    t_go = time.perf_counter() - t0

    files = sorted(p for p in src.rglob("*") if p.is_file() and (p.suffix == ".go" or p.name in ("go.mod", "go.work")))
    by_rel = {p.relative_to(src).as_posix(): p for p in files}
    t0 = time.perf_counter()
    analyses = [analyze(rel, p.read_bytes(), "go") for rel, p in by_rel.items() if rel.endswith(".go")]
    t_analyze = time.perf_counter() - t0

    def read(rel: str) -> bytes | None:
        p = by_rel.get(rel)
        return p.read_bytes() if p is not None else None

    t0 = time.perf_counter()
    resolutions = resolve_imports(analyses, RepoContext(files=frozenset(by_rel), read=read))
    t_resolve = time.perf_counter() - t0
    by_path = {a.path: a for a in analyses}
    tags = context_tags("linux", "amd64", cgo=True, release=go_release())
    taken = {
        a.path: not a.build_ignored and builds(a.path, a.build_constraint, tags) and a.status == "ok" for a in analyses
    }
    ours: set[Key] = set()
    how: Counter[str] = Counter()
    outside = Counter[str]()
    for r in resolutions:
        how[r.how] += 1
        d = posixpath.dirname(r.importer)
        if not is_package_dir(d) or d not in listed:
            outside[r.how] += 1
            continue
        if not taken[r.importer]:
            continue
        group = group_of.get(r.importer, "test" if r.importer.endswith("_test.go") else "main")
        where = posixpath.dirname(r.target) if r.target else ("external" if r.external else "unresolved")
        ours.add((d, group, r.module, where))

    # which files a linux/amd64 build takes: ours (from the recorded constraints) against go list's
    in_listed = [a.path for a in analyses if posixpath.dirname(a.path) in listed and by_path[a.path].status == "ok"]
    skipped = sorted(a.path for a in analyses if a.status != "ok")
    file_agree = sum(1 for p in in_listed if taken[p] == (p in group_of))
    ignored_go_list = {posixpath.join(dirs[p["ImportPath"]], f) for p in pkgs for f in (p.get("IgnoredGoFiles") or ())}
    flagged = {a.path for a in analyses if a.build_ignored}

    both = len(theirs & ours)
    precision = both / len(ours) if ours else 1.0
    recall = both / len(theirs) if theirs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    report = {
        "go_files": len(analyses),
        "packages": len(pkgs),
        "edges_go_list": len(theirs),
        "edges_thread": len(ours),
        "agreed": both,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "files_in_packages": len(in_listed),
        "file_selection_agreement": round(file_agree / len(in_listed), 4) if in_listed else 1.0,
        "files_not_analysed": skipped,
        "ignored_by_go_list": len(ignored_go_list),
        "flagged_never_builds": len(flagged),
        "flagged_but_taken_by_go_list": sorted(flagged & set(group_of)),
        "imports_outside_packages": dict(outside),
        "how": dict(how.most_common()),
        "only_go_list": sorted(theirs - ours)[: args.samples],
        "only_thread": sorted(ours - theirs)[: args.samples],
        "file_selection_disagreements": [
            (p, taken[p], p in group_of) for p in in_listed if taken[p] != (p in group_of)
        ][: args.samples],
        "seconds": {"go_list": round(t_go, 2), "analyze": round(t_analyze, 2), "resolve": round(t_resolve, 2)},
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for k, v in report.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
