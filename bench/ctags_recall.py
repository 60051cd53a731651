"""Symbol recall and precision of Thread's extractors against universal-ctags.

For each language both support, ctags' definition tags of comparable kinds are matched against
our symbols on (name, line, kind class). Recall = ctags tags we also produce / ctags tags;
precision = our symbols of comparable kinds that ctags also produces / those symbols. Kinds that
one side deliberately does not emit (ctags: imports, prototypes, locals; ours: see IGNORED_OURS)
are left out of both sides, and the report lists sample misses so each class can be explained.

Usage: python -m bench.ctags_recall [LANG ...] [--misses N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bench.corpora import fetch
from thread_assets.engine import analyze

# language -> (corpus, file suffixes, ctags --languages name)
TARGETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "python": ("django", (".py",), "Python"),
    "javascript": ("django", (".js",), "JavaScript"),
    "typescript": ("rxjs", (".ts",), "TypeScript"),
    "rust": ("rust", (".rs",), "Rust"),
    "go": ("go", (".go",), "Go"),
    "java": ("jpype", (".java",), "Java"),
    "c": ("libuv", (".c",), "C"),
    "cpp": ("pybind11", (".cpp", ".cc", ".hpp"), "C++"),
}

# ctags kind -> kind class; a ctags kind missing here is not compared.
CTAGS_KINDS: dict[str, dict[str, str]] = {
    "python": {"class": "type", "function": "func", "member": "func", "variable": "var"},
    "javascript": {
        "class": "type",
        "function": "func",
        "method": "func",
        "generator": "func",
        "getter": "func",
        "setter": "func",
        "constant": "var",
        "variable": "var",
        "field": "var",
        "property": "var",
    },
    "typescript": {
        "class": "type",
        "function": "func",
        "method": "func",
        "generator": "func",
        "interface": "type",
        "enum": "type",
        "enumerator": "var",
        "alias": "type",
        "namespace": "module",
        "constant": "var",
        "variable": "var",
        "property": "var",
    },
    "rust": {
        "function": "func",
        "method": "func",
        "struct": "type",
        "enum": "type",
        "interface": "type",
        "typedef": "type",
        "macro": "macro",
        "module": "module",
        "field": "var",
        "enumerator": "var",
        "variable": "var",
        "implementation": "impl",
    },
    "go": {
        "func": "func",
        "struct": "type",
        "interface": "type",
        "type": "type",
        "talias": "type",
        "const": "var",
        "var": "var",
        "member": "var",
        "methodSpec": "func",
    },
    "java": {
        "class": "type",
        "interface": "type",
        "enum": "type",
        "annotation": "type",
        "method": "func",
        "field": "var",
        "enumConstant": "var",
        "package": "module",
    },
    "c": {
        "function": "func",
        "struct": "type",
        "union": "type",
        "enum": "type",
        "typedef": "type",
        "macro": "macro",
        "enumerator": "var",
        "member": "var",
        "variable": "var",
    },
    "cpp": {
        "function": "func",
        "class": "type",
        "struct": "type",
        "union": "type",
        "enum": "type",
        "typedef": "type",
        "macro": "macro",
        "enumerator": "var",
        "member": "var",
        "variable": "var",
        "namespace": "module",
    },
}

LOCAL_SCOPES = frozenset({"function", "method", "generator", "func", "getter", "setter"})

OUR_KINDS: dict[str, str] = {
    "function": "func",
    "method": "func",
    "class": "type",
    "struct": "type",
    "enum": "type",
    "interface": "type",
    "trait": "type",
    "type_alias": "type",
    "union": "type",
    "enum_member": "var",
    "constant": "var",
    "variable": "var",
    "field": "var",
    "property": "var",
    "module": "module",
    "namespace": "module",
    "macro": "macro",
    "impl": "impl",
}


def ctags_tags(files: list[Path], ctags_lang: str) -> dict[str, set[tuple[str, int, str]]]:
    out: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
    language = next(k for k, v in TARGETS.items() if v[2] == ctags_lang)
    kinds = CTAGS_KINDS[language]
    chunk = 200
    for i in range(0, len(files), chunk):
        proc = subprocess.run(
            [
                "ctags",
                "--output-format=json",
                "--fields=+nKzZ",
                f"--languages={ctags_lang}",
                "-f",
                "-",
                *map(str, files[i : i + chunk]),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        for line in proc.stdout.splitlines():
            try:
                tag = json.loads(line)
            except json.JSONDecodeError:
                continue
            if tag.get("_type") != "tag" or tag.get("kind") not in kinds:
                continue
            if "roles" in tag and tag["roles"] != "def":
                continue
            if tag["name"].startswith("AnonymousFunction"):
                continue  # ctags' synthetic names for anonymous functions: nothing to match
            if kinds[tag["kind"]] == "var" and tag.get("scopeKind") in LOCAL_SCOPES:
                continue  # locals: some ctags parsers (TypeScript) tag them; we deliberately do not emit them
            out[tag["path"]].add((tag["name"], int(tag["line"]), kinds[tag["kind"]]))
    return out


def measure(language: str, show_misses: int) -> dict[str, object]:
    corpus, suffixes, ctags_lang = TARGETS[language]
    root = fetch(corpus)
    files = sorted(p for p in root.rglob("*") if p.suffix in suffixes and p.is_file())
    theirs = ctags_tags(files, ctags_lang)
    hit = total = ours_total = ours_hit = nl_hit = skipped = 0
    misses: Counter[str] = Counter()
    miss_examples: list[str] = []
    extra_examples: list[str] = []
    for path in files:
        result = analyze(str(path), path.read_bytes(), language)
        if result.status != "ok":
            skipped += 1  # too large or unparseable on purpose: counted apart, not as misses
            continue
        mine = {(s.name, s.location.start_line, OUR_KINDS[s.kind]) for s in result.symbols if s.kind in OUR_KINDS}
        mine_nl = {(n, ln) for n, ln, _ in mine}
        ref = theirs.get(str(path), set())
        ref_nl = {(n, ln) for n, ln, _ in ref}
        for tag in ref:
            total += 1
            if tag[:2] in mine_nl:
                nl_hit += 1
            if tag in mine:
                hit += 1
            else:
                reason = "kind differs" if tag[:2] in mine_nl else "missing"
                misses[f"{tag[2]}:{reason}"] += 1
                if len(miss_examples) < show_misses:
                    miss_examples.append(f"{path.relative_to(root)}:{tag[1]} {tag[0]} ({tag[2]}, {reason})")
        for sym in mine:
            ours_total += 1
            if sym in ref:
                ours_hit += 1
            elif (sym[0], sym[1]) not in ref_nl and len(extra_examples) < show_misses:
                extra_examples.append(f"{path.relative_to(root)}:{sym[1]} {sym[0]} ({sym[2]})")
    return {
        "language": language,
        "files": len(files),
        "files_skipped": skipped,
        "ctags_tags": total,
        "recall": hit / total if total else 1.0,
        "recall_name_line": nl_hit / total if total else 1.0,
        "our_symbols": ours_total,
        "precision": ours_hit / ours_total if ours_total else 1.0,
        "misses_by_class": dict(misses.most_common()),
        "miss_examples": miss_examples,
        "extra_examples": extra_examples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("languages", nargs="*", default=list(TARGETS))
    ap.add_argument("--misses", type=int, default=15, help="sample misses and extras to print")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if shutil.which("ctags") is None:
        print("universal-ctags is not installed (apt-get install universal-ctags)", file=sys.stderr)
        return 2
    results = [measure(lang, args.misses) for lang in args.languages]
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for r in results:
        print(
            f"{r['language']:<11} files={r['files']:<5} skipped={r['files_skipped']} ctags={r['ctags_tags']:<6} "
            f"recall={r['recall']:.2%} "
            f"(name+line {r['recall_name_line']:.2%}) "
            f"ours={r['our_symbols']:<6} precision={r['precision']:.2%}  misses={r['misses_by_class']}"
        )
        for m in r["miss_examples"]:  # type: ignore[attr-defined]
            print("    miss ", m)
        for m in r["extra_examples"]:  # type: ignore[attr-defined]
            print("    extra", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
