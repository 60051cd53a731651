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

Same-package references. A type of the file's own package needs no import; javac's view of
those dependencies comes from its own attribution: ``bench/JavacRefs.java`` (run with the JDK's
single-file source launcher) analyses the same files through the compiler API and prints, for
every name javac attributes to a class of the file's package declared in another file, the pair
(file, defining file). Our side: the internal dependency edges (``dependency_edges`` over the
resolutions, implicit imports included) between two files of the same package. Both are sets of
``(file, target file)``, compared as a second block of figures (``same_package_*``).

The second corpus is jep (``jep`` sdist on PyPI), a Maven layout whose tests
(``src/test/java``) share packages with the main code (``src/main/java``); it is read the same way.

The third is the JDK's own ``java.util`` tree (369 files with its subpackages, from ``src.zip``
of Debian's ``openjdk-17-source``), for the same-package figures only: javac compiles it as a
patch of ``java.base`` (``--patch-module``), so its classes cannot be told from the JDK's own by
``javap`` and the import block is left out.

Usage: python -m bench.java_javac_compare [--json] [--samples N] [--corpus jpype|jep|jdk-util ...]
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
import zipfile
from collections.abc import Set as AbstractSet
from pathlib import Path

from tests.support.corpora import fetch
from thread_assets.engine import analyze
from thread_assets.engine.graph.deps import dependency_edges
from thread_assets.engine.model import FileAnalysis
from thread_assets.engine.resolve import RepoContext, Resolution, resolve_imports

_PACKAGE = re.compile(rb"^\s*package\s+([\w.]+)\s*;", re.M)
_IMPORT = re.compile(rb"^\s*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;", re.M)
_REJECTED = re.compile(r"^(.+?\.java):\d+: error: (?:class \w+ is public, should be declared|duplicate class)")

Key = tuple[str, str, str]
CORPORA_USED = ("jpype", "jep", "jdk-util")
_JDK_PACKAGE = "java.base/java/util/"
_JAVAC_OPTIONS = [
    "-nowarn",
    "-proc:none",
    "-encoding",
    "UTF-8",
    "--add-exports",
    "java.base/jdk.internal.reflect=ALL-UNNAMED",
]
_REFS = Path(__file__).resolve().parent / "JavacRefs.java"


def javac_same_package(root: Path, files: list[str], options: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    """(file, defining file) for each class of the file's own package javac attributes a name of
    the file to, the class being declared in another file (see ``JavacRefs.java``)."""
    java = shutil.which("java")
    if java is None:
        raise SystemExit("a JDK is needed (apt-get install default-jdk-headless)")
    cmd = [java, str(_REFS), *_JAVAC_OPTIONS, *options, "--", *files]
    out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=True).stdout
    pairs: set[tuple[str, str]] = set()
    for line in out.splitlines():
        user, target, _how = line.split("\t")
        pairs.add((posixpath.normpath(user), posixpath.normpath(target)))
    return pairs


def thread_same_package(
    root: Path, files: list[str], analyses: list[FileAnalysis], resolutions: list[Resolution]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Our internal edges between two files that declare the same package, and the subset that
    exists only through implicit imports."""
    package = {}
    for f in files:
        pm = _PACKAGE.search((root / f).read_bytes())
        package[f] = pm.group(1).decode() if pm else ""
    edges = dependency_edges(resolutions, {a.path: a for a in analyses})
    same = {
        (e.source, e.target): e.kinds
        for e in edges
        if not e.external and e.source != e.target and package.get(e.source) == package.get(e.target)
    }
    return set(same), {pair for pair, kinds in same.items() if kinds == ("implicit",)}


def scores(theirs: AbstractSet[tuple[str, ...]], ours: AbstractSet[tuple[str, ...]]) -> tuple[float, float, float]:
    both = len(theirs & ours)
    p = both / len(ours) if ours else 1.0
    rc = both / len(theirs) if theirs else 1.0
    return round(p, 4), round(rc, 4), round(2 * p * rc / (p + rc), 4) if p + rc else 0.0


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


def compare_jdk_util(samples: int) -> dict[str, object]:
    archive = fetch("openjdk-src") / "src.zip"
    with tempfile.TemporaryDirectory(prefix="thread-jdk-") as tmp, zipfile.ZipFile(archive) as zf:
        root = Path(tmp)
        files = sorted(n for n in zf.namelist() if n.startswith(_JDK_PACKAGE) and n.endswith(".java"))
        zf.extractall(root, files)
        javac_pairs = javac_same_package(root, files, ("--patch-module", "java.base=java.base"))
        analyses = [analyze(f, (root / f).read_bytes(), "java") for f in files]
        resolutions = resolve_imports(analyses, RepoContext(files=frozenset(files)))
        our_pairs, implicit_only = thread_same_package(root, files, analyses, resolutions)
    sp, sr, sf = scores(javac_pairs, our_pairs)
    return {
        "corpus": "jdk-util",
        "java_files": len(files),
        "same_package_edges_javac": len(javac_pairs),
        "same_package_edges_thread": len(our_pairs),
        "same_package_edges_implicit_only": len(implicit_only),
        "same_package_precision": sp,
        "same_package_recall": sr,
        "same_package_f1": sf,
        "same_package_only_javac": sorted(javac_pairs - our_pairs)[:samples],
        "same_package_only_thread": sorted(our_pairs - javac_pairs)[:samples],
    }


def compare(corpus: str, samples: int) -> dict[str, object]:
    if corpus == "jdk-util":
        return compare_jdk_util(samples)
    root = fetch(corpus).resolve()
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.java") if p.name != "module-info.java")
    classes = javac_classes(root, files)
    compiled = sorted(set(classes.values()))
    theirs = javac_view(root, compiled, classes)

    analyses = [analyze(f, (root / f).read_bytes(), "java") for f in files]
    ours: set[Key] = set()
    resolutions = resolve_imports(analyses, RepoContext(files=frozenset(files)))
    for r in resolutions:
        if r.importer not in set(compiled):
            continue
        imp = next(a for a in analyses if a.path == r.importer).imports[r.index]
        if imp.kind == "implicit":
            continue  # no import statement: compared below, as same-package edges
        text = r.module + ("" if imp.kind == "wildcard" or r.name is None else "." + r.name)
        text += ".*" if imp.kind == "wildcard" else ""
        if r.how == "java:package" and r.target is not None:
            ours.add((r.importer, text, "pkg:" + posixpath.dirname(r.target)))
        else:
            ours.add((r.importer, text, r.target or "external"))
    p, rc, f1 = scores(theirs, ours)
    kept = set(compiled)
    javac_pairs = javac_same_package(root, compiled)
    our_pairs, implicit_only = thread_same_package(root, files, analyses, resolutions)
    our_pairs = {(a, b) for a, b in our_pairs if a in kept and b in kept}
    sp, sr, sf = scores(javac_pairs, our_pairs)
    return {
        "corpus": corpus,
        "java_files": len(files),
        "compiled_by_javac": len(compiled),
        "classes": len(classes),
        "imports_javac": len(theirs),
        "imports_thread": len(ours),
        "internal_javac": sum(1 for k in theirs if k[2] != "external"),
        "precision": p,
        "recall": rc,
        "f1": f1,
        "only_javac": sorted(theirs - ours)[:samples],
        "only_thread": sorted(ours - theirs)[:samples],
        "same_package_edges_javac": len(javac_pairs),
        "same_package_edges_thread": len(our_pairs),
        "same_package_edges_implicit_only": len(implicit_only & our_pairs),
        "same_package_precision": sp,
        "same_package_recall": sr,
        "same_package_f1": sf,
        "same_package_only_javac": sorted(javac_pairs - our_pairs)[:samples],
        "same_package_only_thread": sorted(our_pairs - javac_pairs)[:samples],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--corpus", action="append", choices=CORPORA_USED, help="default: all of them")
    args = ap.parse_args(argv)
    reports = [compare(c, args.samples) for c in args.corpus or CORPORA_USED]
    if args.json:
        print(json.dumps(reports, indent=1))
    else:
        print("\n\n".join("\n".join(f"{k}: {v}" for k, v in r.items()) for r in reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
