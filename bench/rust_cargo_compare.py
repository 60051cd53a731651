"""Rust paths against ``cargo metadata`` plus a walk of each crate's module tree.

The corpus is thirteen crates from Debian's ``librust-*-dev`` packages (regex and its
dependencies, serde, serde_json, syn, quote, proc-macro2, ...), side by side as in a workspace:
a dependency of one crate on another of the corpus is a workspace dependency.

The reference: ``cargo metadata --no-deps --offline`` for each crate gives its targets (kind,
crate name, root file, edition) and its dependencies (with ``rename``). From each target's root,
the module tree is walked as rustc loads it: ``mod x;`` in a crate root or ``mod.rs`` is
``x.rs`` or ``x/mod.rs`` beside it, in any other file ``f.rs`` it is ``f/x.rs`` or
``f/x/mod.rs``, inline ``mod a { mod x; }`` adds ``a/``, and ``#[path]`` is taken relative to the
file's directory. The declarations themselves are the extractor's records (what is written);
where they lead is decided here. Each ``use`` path is then resolved by the 2018 rules: ``crate``,
``self``, ``super``, ``::name``, names of the extern prelude (the target's dependencies under
their renames, the package's own library for its other targets, ``std``/``core``/``alloc``),
child modules, else an item of the current module; for a 2015-edition target every path starts
at the crate root instead (its modules, then its ``extern crate`` names, else its items). A path
lands in the deepest module file it names; when that module re-exports the next name
(``pub use ...Name`` in its text), the reference accepts the file that defines it
(``struct|enum|fn|trait|type|const|static|mod|union Name``, or ``macro_rules! Name``) as found
by following the chain.

Both sides become sets of ``(file, path, target)``; files in no module tree (``build.rs`` is a
target too; stray files are not) are left out.

Usage: python -m bench.rust_cargo_compare [--json] [--samples N]
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.corpora import CORPORA, Corpus, fetch
from thread_assets.engine import analyze
from thread_assets.engine.model import FileAnalysis
from thread_assets.engine.resolve import RepoContext, resolve_imports

CORPUS = Corpus(
    "rust-toolchain",
    "deb",
    (
        "librust-regex-dev=1.7.1-1",
        "librust-regex-syntax-dev=0.6.27-1",
        "librust-aho-corasick-dev=0.7.19-1",
        "librust-memchr-dev=2.5.0-1",
        "librust-serde-dev=1.0.152-2",
        "librust-serde-derive-dev=1.0.152-1",
        "librust-serde-json-dev=1.0.87-1",
        "librust-itoa-dev=1.0.1-2",
        "librust-ryu-dev=1.0.2-1",
        "librust-syn-dev=1.0.107-1",
        "librust-proc-macro2-dev=1.0.47-1",
        "librust-quote-dev=1.0.21-1",
        "librust-unicode-ident-dev=1.0.0-1+b1",
    ),
    "usr/share/cargo/registry",
    ("rust",),
)
CORPORA.setdefault(CORPUS.name, CORPUS)

STD = frozenset({"std", "core", "alloc", "proc_macro", "test"})
Key = tuple[str, str, str]


@dataclass
class Target:
    package: str
    crate: str
    root: str
    edition: str
    kind: str
    prelude: dict[str, str] = field(default_factory=dict)
    """Extern prelude: name -> package name."""
    modules: dict[tuple[str, ...], str] = field(default_factory=dict)
    """Module path -> file."""


def metadata(registry: Path) -> list[dict[str, object]]:
    cargo = shutil.which("cargo")
    if cargo is None:
        raise SystemExit("cargo is needed (it needs no network with --offline --no-deps)")
    out = []
    for manifest in sorted(registry.glob("*/Cargo.toml")):
        cmd = [cargo, "metadata", "--no-deps", "--offline", "--format-version", "1", "--manifest-path", str(manifest)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            out.extend(json.loads(proc.stdout)["packages"])
    return out


def _mod_dir(file: str, is_root: bool) -> str:
    d, name = posixpath.split(file)
    return d if is_root or name == "mod.rs" else posixpath.join(d, name.removesuffix(".rs"))


def walk(target: Target, analyses: dict[str, FileAnalysis]) -> None:
    """rustc's module loading from the crate root, over the ``mod`` declarations each file has."""
    stack: list[tuple[tuple[str, ...], str, bool]] = [((), target.root, True)]
    while stack:
        path, file, is_root = stack.pop()
        if file in target.modules.values() and path:
            continue
        target.modules[path] = file
        a = analyses.get(file)
        if a is None:
            continue
        for imp in a.imports:
            if imp.kind != "side_effect":
                continue
            if imp.module.endswith(".rs") or "/" in imp.module:
                child = posixpath.normpath(posixpath.join(posixpath.dirname(file), imp.module))
                name = (imp.name or posixpath.basename(child).removesuffix(".rs")).split("::")[-1]
                if child in analyses:
                    stack.append(((*path, name), child, False))
                continue
            segs = imp.module.split("::")
            base = posixpath.join(_mod_dir(file, is_root), *segs)
            for candidate in (base + ".rs", base + "/mod.rs"):
                if candidate in analyses:
                    stack.append(((*path, *segs), candidate, False))
                    break


_DEF = r"(?:struct|enum|fn|trait|type|const|static|mod|union)\s+{name}\b|macro_rules!\s*{name}\b"


def reference(
    target: Target, targets: dict[str, Target], file: str, module: tuple[str, ...], text: str, sources: dict[str, bytes]
) -> tuple[str, str | None]:
    """(where the path lands, the re-exported name when the landing module re-exports it)."""
    segs = [s for s in text.split("::")]
    first = segs[0]

    def land(t: Target, base: tuple[str, ...], rest: list[str]) -> tuple[str, str | None]:
        for i in range(len(rest), -1, -1):
            hit = t.modules.get((*base, *rest[:i]))
            if hit is not None:
                left = rest[i:]
                if left:
                    body = sources.get(hit, b"").decode("utf-8", "replace")
                    if re.search(rf"pub(?:\([^)]*\))?\s+use\b[^;]*\b{re.escape(left[0])}\b", body) or re.search(
                        r"pub(?:\([^)]*\))?\s+use\b[^;]*\*\s*;", body
                    ):
                        return hit, left[0]
                return hit, None
        return "unresolved", None

    if first == "crate":
        return land(target, (), segs[1:])
    if first in ("self", "super"):
        ups = 0
        while ups < len(segs) and segs[ups] == "super":
            ups += 1
        if first == "self":
            return land(target, module, segs[1:])
        return land(target, module[: len(module) - ups], segs[ups:]) if ups <= len(module) else ("unresolved", None)
    if first == "":
        segs, first = segs[1:], segs[1]
        if target.edition == "2015":  # `::x` is the crate root's x
            module = ()
    if target.edition == "2015":  # paths start at the crate root, where `extern crate` items live
        module = ()
    if (*module, first) in target.modules:
        return land(target, module, segs)
    if first in STD:  # a dependency renamed `core` is optional (rustc-dep-of-std): the default build has std's
        return "external:" + first, None
    if first in target.prelude:
        other = targets.get(target.prelude[first])
        real = target.prelude[first].replace("-", "_")
        return land(other, (), segs[1:]) if other is not None else ("external:" + real, None)
    return (target.root if target.edition == "2015" else file), None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--samples", type=int, default=15)
    args = ap.parse_args(argv)
    registry = fetch(CORPUS.name).resolve()
    packages = metadata(registry)
    files = {p.relative_to(registry).as_posix(): p for p in registry.rglob("*") if p.is_file()}
    sources = {r: p.read_bytes() for r, p in files.items() if r.endswith(".rs")}
    analyses = {r: analyze(r, b, "rust") for r, b in sorted(sources.items())}

    libs: dict[str, Target] = {}
    targets: list[Target] = []
    for p in packages:
        deps = {}
        for d in p["dependencies"]:  # type: ignore[attr-defined]
            real = str(d["name"])
            deps[str(d.get("rename") or real).replace("-", "_")] = real
        for t in p["targets"]:  # type: ignore[attr-defined]
            root = Path(t["src_path"]).resolve().relative_to(registry).as_posix()
            kind = t["kind"][0]
            tgt = Target(str(p["name"]), str(t["name"]).replace("-", "_"), root, str(t["edition"]), kind)
            tgt.prelude = dict(deps)
            walk(tgt, analyses)
            targets.append(tgt)
            if kind in ("lib", "proc-macro", "rlib"):
                libs[str(p["name"])] = tgt
    for tgt in targets:
        lib = libs.get(tgt.package)
        if lib is not None and lib is not tgt:
            tgt.prelude.setdefault(lib.crate, tgt.package)

    owner: dict[str, tuple[Target, tuple[str, ...]]] = {}
    for tgt in sorted(targets, key=lambda t: t.kind != "lib"):
        for path, f in tgt.modules.items():
            owner.setdefault(f, (tgt, path))

    def read(rel: str) -> bytes | None:
        return files[rel].read_bytes() if rel in files else None

    res = resolve_imports(analyses.values(), RepoContext(files=frozenset(files), read=read))
    theirs: set[Key] = set()
    ours: set[Key] = set()
    how: Counter[str] = Counter()
    outside = 0
    for r in res:
        imp = analyses[r.importer].imports[r.index]
        if r.importer not in owner:
            outside += 1
            continue
        tgt, module = owner[r.importer]
        text = "::".join(x for x in (r.module, r.name) if x is not None)
        got = r.target or (f"external:{r.external}" if r.external else "unresolved")
        how[r.how] += 1
        if imp.kind == "side_effect":
            mod_segs = tuple(imp.module.split("::")) if not imp.module.endswith(".rs") else None
            want = tgt.modules.get((*module, *mod_segs)) if mod_segs else None
            if want is None and mod_segs is None:
                want = posixpath.normpath(posixpath.join(posixpath.dirname(r.importer), imp.module))
                want = want if want in analyses else None  # a #[path] file the package does not ship
            theirs.add((r.importer, "mod " + imp.module, want or "unresolved"))
            ours.add((r.importer, "mod " + imp.module, got))
            continue
        want, reexported = reference(tgt, libs, r.importer, module, text, sources)
        if reexported is not None and r.how == "rust:reexport" and r.target is not None:
            # the reference accepts the file that defines the re-exported name
            body = sources.get(r.target, b"").decode("utf-8", "replace")
            if re.search(_DEF.format(name=re.escape(text.split("::")[-1])), body) or re.search(
                _DEF.format(name=re.escape(reexported)), body
            ):
                want = r.target
        theirs.add((r.importer, text, want))
        ours.add((r.importer, text, got))
    both = len(theirs & ours)
    prec = both / len(ours) if ours else 1.0
    rc = both / len(theirs) if theirs else 1.0
    report = {
        "crates": len(packages),
        "targets": len(targets),
        "rust_files": len(analyses),
        "files_in_module_trees": len(owner),
        "imports_outside_module_trees": outside,
        "keys_reference": len(theirs),
        "keys_thread": len(ours),
        "precision": round(prec, 4),
        "recall": round(rc, 4),
        "f1": round(2 * prec * rc / (prec + rc), 4) if prec + rc else 0.0,
        "how": dict(how.most_common()),
        "only_reference": sorted(theirs - ours)[: args.samples],
        "only_thread": sorted(ours - theirs)[: args.samples],
    }
    print(json.dumps(report, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
