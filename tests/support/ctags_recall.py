"""Symbol recall and precision of Thread's extractors against universal-ctags.

For each language both support, ctags' definition tags of comparable kinds are matched against
our symbols on (name, line, kind class). Recall = ctags tags we also produce / ctags tags;
precision = our symbols of comparable kinds that ctags also produces / those symbols. Kinds that
one side deliberately does not emit (ctags: imports, prototypes, locals; ours: see IGNORED_OURS)
are left out of both sides, and the report lists sample misses so each class can be explained.

Locals: Thread does not emit variables declared inside a function body, and ctags' JavaScript
and TypeScript parsers tag many of them without any scope field (so ``scopeKind`` cannot tell them
apart from module-level ones). For those two languages a ctags variable/constant tag without a
class-like scope is checked against the syntax tree: when its declaration lies in the body of a
named function or method (a declaration, a method, or a function value bound to a name), it is a
local and left out of both sides. Anonymous callbacks and IIFEs do not count, since module code is
commonly wrapped in them. The number of tags left out this way is reported.

``python -m bench.ctags_recall`` prints the report; tests/engine/test_recall.py guards the recall.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

from tests.support.corpora import fetch
from thread_assets.engine import analyze
from thread_assets.engine.parse import parser_for

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

# A Python @property is a method to ctags ("member"); we call it a property.
OUR_KIND_OVERRIDES: dict[str, dict[str, str]] = {"python": {"property": "func"}}

LOCAL_SCOPES = frozenset({"function", "method", "generator", "func", "getter", "setter"})

# Languages whose ctags parser tags locals without a scope: local-ness is read from the syntax tree.
TREE_LOCALS = frozenset({"javascript", "typescript"})
_NAMED_FUNCTIONS = frozenset(
    {"function_declaration", "generator_function_declaration", "method_definition", "function_signature"}
)
_FUNCTION_VALUES = frozenset({"function_expression", "function", "arrow_function", "generator_function"})
_DECLARATION_STOPS = frozenset(
    {
        "variable_declarator",
        "for_in_statement",
        "assignment_expression",
        "expression_statement",
        "statement_block",
        "class_body",
        "program",
    }
)
_DECLARATIONS = frozenset({"variable_declarator", "for_in_statement", "assignment_expression"})
_NAME_NODES = ("identifier", "identifier_pattern", "string_fragment", "escape_sequence")
_BINDING_PARENTS = frozenset(
    {"variable_declarator", "pair", "public_field_definition", "field_definition", "assignment_expression"}
)

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


def _in_named_function(node: object) -> bool:
    up = node.parent  # type: ignore[attr-defined]
    while up is not None:
        if up.type in _NAMED_FUNCTIONS:
            return True
        if up.type in _FUNCTION_VALUES and up.parent is not None and up.parent.type in _BINDING_PARENTS:
            return True
        up = up.parent
    return False


def tree_locals(path: str, language: str, tags: set[tuple[str, int, str]]) -> set[tuple[str, int, str]]:
    """The tags among ``tags`` (name, line, kind class) that name a variable declared in a named
    function's body, or a key (property or method) of an object literal such a variable holds.
    ctags gives no column:
    the name's first occurrence on its line that the tree calls a name decides."""
    data = Path(path).read_bytes()
    root = parser_for(language).parse(data).root_node
    lines = data.split(b"\n")
    out: set[tuple[str, int, str]] = set()
    for tag in tags:
        name, line = tag[0].encode(), tag[1]
        if line > len(lines):
            continue
        text = lines[line - 1]
        col = text.find(name)
        while col >= 0:
            node = root.descendant_for_point_range((line - 1, col), (line - 1, col + len(name)))
            if node is not None and node.type.endswith(_NAME_NODES):
                up = node.parent
                while up is not None and up.type not in _DECLARATION_STOPS:
                    up = up.parent
                if tag[2] == "func" and (
                    node.parent is None or node.parent.type not in ("pair", "assignment_expression")
                ):
                    break  # nested functions are symbols; methods of a local object or a reassigned local are not
                if up is not None and up.type == "assignment_expression":
                    left = up.child_by_field_name("left")
                    if left is None or left.type != "identifier":
                        break  # ``obj.x = ...`` / ``this.x = ...``: a member, not a local
                if up is not None and up.type in _DECLARATIONS and _in_named_function(up):
                    out.add(tag)
                break
            col = text.find(name, col + 1)
    return out


def ctags_tags(files: list[Path], ctags_lang: str) -> tuple[dict[str, set[tuple[str, int, str]]], int]:
    """Comparable ctags definitions per file, and how many were left out as locals."""
    out: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
    unscoped: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
    """Variable-like tags whose scope ctags does not tell reliably (see the module docstring)."""
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
            if tag["name"].startswith(("AnonymousFunction", "__anon")):
                continue  # ctags' invented names (anonymous functions, lambdas, anonymous types): nothing to match
            if kinds[tag["kind"]] == "var" and tag.get("scopeKind") in LOCAL_SCOPES:
                continue  # locals: some ctags parsers (TypeScript) tag them; we deliberately do not emit them
            entry = (tag["name"], int(tag["line"]), kinds[tag["kind"]])
            out[tag["path"]].add(entry)
            if language in TREE_LOCALS and entry[2] in ("var", "type", "func"):
                unscoped[tag["path"]].add(entry)
    dropped = sum(len(out[p]) for p in out)
    for path, tags in unscoped.items():
        out[path] -= tree_locals(path, language, tags)
    dropped -= sum(len(out[p]) for p in out)
    return out, dropped


def measure(language: str, show_misses: int, exclude: tuple[str, ...] = ()) -> dict[str, object]:
    corpus, suffixes, ctags_lang = TARGETS[language]
    root = fetch(corpus)
    files = sorted(
        p
        for p in root.rglob("*")
        if p.suffix in suffixes
        and p.is_file()
        and not any(fnmatch.fnmatch(str(p.relative_to(root)), g) for g in exclude)
    )
    theirs, locals_dropped = ctags_tags(files, ctags_lang)
    hit = total = ours_total = ours_hit = nl_hit = skipped = 0
    misses: Counter[str] = Counter()
    miss_examples: list[str] = []
    extra_examples: list[str] = []
    for path in files:
        result = analyze(str(path), path.read_bytes(), language)
        if result.status != "ok":
            skipped += 1  # too large or unparseable on purpose: counted apart, not as misses
            continue
        kinds = OUR_KINDS | OUR_KIND_OVERRIDES.get(language, {})
        mine = {(s.name, s.location.start_line, kinds[s.kind]) for s in result.symbols if s.kind in kinds}
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
        "ctags_locals_dropped": locals_dropped,
        "recall": hit / total if total else 1.0,
        "recall_name_line": nl_hit / total if total else 1.0,
        "our_symbols": ours_total,
        "precision": ours_hit / ours_total if ours_total else 1.0,
        "misses_by_class": dict(misses.most_common()),
        "miss_examples": miss_examples,
        "extra_examples": extra_examples,
    }
