"""Java import resolution against javac's own view of which source file defines each class.

The corpus is the Java code of JPype (``jpype1`` sdist on PyPI): a Maven-layout module
(``native/jpype_module/src/main/java``) and a test harness rooted at ``test/harness``, 120-odd
files. javac compiles every file it accepts (two stray merge leftovers, ``Bad_BACKUP_*.java``,
declare a public class in a file of another name and are left out, as javac refuses them) with
``-g:source``; ``javap`` then names the source file each class came from (``Compiled from``),
which with the class's package gives the defining file: javac's map from class to file, whatever
the directories say.

Each ``import`` statement (read with a regular expression, independently of the tree-sitter
extractor) is resolved through that map: a single-type or static import to the file of the
longest class prefix of its name (``a.b.C.Inner`` and ``a.b.C.member`` -> ``a.b.C``'s file), an
on-demand ``a.b.*`` to the package (compared as its directory), anything that names no class of
the corpus to ``external``. Our side: ``analyze`` and ``resolve_imports`` over the corpus. Both
become sets of ``(file, import, target)``.

Usage: python -m bench.java_javac_compare [--json] [--samples N]
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.corpora import fetch
from thread_assets.engine import analyze
from thread_assets.engine.resolve import RepoContext, resolve_imports

_PACKAGE = re.compile(rb"^\s*package\s+([\w.]+)\s*;", re.M)
_IMPORT = re.compile(rb"^\s*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;", re.M)
_REJECTED = re.compile(r"^(.+?\.java):\d+: error: (?:class \w+ is public, should be declared|duplicate class)")

Key = tuple[str, str, str]


def javac_classes(root: Path, files: list[str]) -> dict[str, str]:
    """Class name (``a.b.C``, nested ``a.b.C$D``) -> repo-relative defining file, as javac built
    them; files javac refuses outright are dropped and the rest compiled again."""
    javac, javap = shutil.which("javac"), shutil.which("javap")
    if javac is None or javap is None:
        raise SystemExit("a JDK is needed (apt-get install default-jdk-headless)")
    kept = list(files)
    with tempfile.TemporaryDirectory(prefix="thread-javac-") as out:
        for _ in range(3):
            cmd = [javac, "-nowarn", "-proc:none", "-g:source", "-d", out, "-encoding", "UTF-8"]
            cmd += ["--add-exports", "java.base/jdk.internal.reflect=ALL-UNNAMED", *kept]
            proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
            if proc.returncode == 0:
                break
            bad = {m.group(1).removeprefix("./") for line in proc.stderr.splitlines() if (m := _REJECTED.match(line))}
            if not bad:
                raise SystemExit(proc.stderr[-2000:])
            kept = [f for f in kept if f not in bad]
        names = sorted(
            p.relative_to(out).with_suffix("").as_posix().replace("/", ".") for p in Path(out).rglob("*.class")
        )
        shown = subprocess.run([javap, "-cp", out, *names], capture_output=True, text=True, check=True).stdout
    sources = re.findall(r'^Compiled from "([^"]+)"', shown, re.M)
    assert len(sources) == len(names), "javap named no source for some class"
    by_package: dict[tuple[str, str], str] = {}
    for f in kept:
        pm = _PACKAGE.search((root / f).read_bytes())
        by_package[(pm.group(1).decode() if pm else "", posixpath.basename(f))] = f
    out_map: dict[str, str] = {}
    for name, source in zip(names, sources, strict=True):
        package = name.rsplit(".", 1)[0] if "." in name else ""
        defining = by_package.get((package, source))
        if defining is not None:
            out_map[name] = defining
    return out_map


def javac_view(root: Path, files: list[str], classes: dict[str, str]) -> set[Key]:
    package_dirs: dict[str, set[str]] = {}
    for name, f in classes.items():
        package_dirs.setdefault(name.rsplit(".", 1)[0], set()).add(posixpath.dirname(f))
    keys: set[Key] = set()
    for f in files:
        for m in _IMPORT.finditer((root / f).read_bytes()):
            static, name, star = bool(m.group(1)), m.group(2).decode(), bool(m.group(3))
            text = name + (".*" if star else "")
            if star and not static and name in package_dirs:
                keys.update((f, text, "pkg:" + d) for d in package_dirs[name])
                continue
            parts = name.split(".")
            target = "external"
            for end in range(len(parts), 0, -1):
                top = ".".join(parts[:end])
                if top in classes:
                    target = classes[top]
                    break
            keys.add((f, text, target))
    return keys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--samples", type=int, default=15)
    args = ap.parse_args(argv)
    root = fetch("jpype").resolve()
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.java") if p.name != "module-info.java")
    classes = javac_classes(root, files)
    compiled = sorted(set(classes.values()))
    theirs = javac_view(root, compiled, classes)

    analyses = [analyze(f, (root / f).read_bytes(), "java") for f in files]
    ours: set[Key] = set()
    for r in resolve_imports(analyses, RepoContext(files=frozenset(files))):
        if r.importer not in set(compiled):
            continue
        imp = next(a for a in analyses if a.path == r.importer).imports[r.index]
        text = r.module + ("" if imp.kind == "wildcard" or r.name is None else "." + r.name)
        text += ".*" if imp.kind == "wildcard" else ""
        if r.how == "java:package" and r.target is not None:
            ours.add((r.importer, text, "pkg:" + posixpath.dirname(r.target)))
        else:
            ours.add((r.importer, text, r.target or "external"))
    both = len(theirs & ours)
    p = both / len(ours) if ours else 1.0
    rc = both / len(theirs) if theirs else 1.0
    report = {
        "java_files": len(files),
        "compiled_by_javac": len(compiled),
        "classes": len(classes),
        "imports_javac": len(theirs),
        "imports_thread": len(ours),
        "internal_javac": sum(1 for k in theirs if k[2] != "external"),
        "precision": round(p, 4),
        "recall": round(rc, 4),
        "f1": round(2 * p * rc / (p + rc), 4) if p + rc else 0.0,
        "only_javac": sorted(theirs - ours)[: args.samples],
        "only_thread": sorted(ours - theirs)[: args.samples],
    }
    print(json.dumps(report, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
