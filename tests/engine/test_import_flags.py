"""Import flags (type_only, deferred, conditional, dynamic) as the extractors record them, and what
the dependency graph makes of them: edge flags and cycles without type-only or deferred edges."""

from __future__ import annotations

from thread_assets.engine import RepoContext, analyze, dependency_edges, find_cycles, resolve_imports
from thread_assets.engine.graph.deps import runtime_edges
from thread_assets.engine.model import Import


def flags(imp: Import) -> str:
    return "".join(
        c for c, on in zip("TDCY", (imp.type_only, imp.deferred, imp.conditional, imp.dynamic), strict=True) if on
    )


def imports_of(path: str, source: str, language: str) -> list[tuple[str, str | None, str]]:
    return [(i.module, i.name, flags(i)) for i in analyze(path, source.encode(), language).imports]


def test_python_flags() -> None:
    source = (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from a import A\nelse:\n    import b\n"
        "if typing.TYPE_CHECKING:\n    import c\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"
        "def f():\n    import lazy\n    if x:\n        from . import q\n"
        "class K:\n    import in_class_body\n"
        "g = lambda: __import__('x')\n"
        "match v:\n    case 1:\n        import m1\n"
    )
    assert imports_of("m.py", source, "python") == [
        ("os", None, ""),
        ("typing", "TYPE_CHECKING", ""),
        ("a", "A", "T"),
        ("b", None, "C"),  # the runtime branch of a TYPE_CHECKING guard
        ("c", None, "T"),
        ("ujson", None, "C"),
        ("json", None, "C"),
        ("lazy", None, "D"),
        (".", "q", "DC"),
        ("in_class_body", None, ""),  # a class body runs at import time
        ("m1", None, "C"),
    ]


def test_typescript_flags() -> None:
    source = (
        '/// <reference path="globals.d.ts" />\n'
        '/// <reference types="node" />\n'
        '/// <reference lib="es2020" />\n'
        "import type { A } from './a';\n"
        "import { type B, C } from './b';\n"
        "export type { D } from './d';\n"
        "export { type E, F } from './e';\n"
        "export * from './all';\n"
        "async function g() { const m = await import('./m'); if (x) { require('./r'); } }\n"
        "try { require('./t'); } catch {}\n"
        "const z = cond ? require('./y') : null;\n"
        "const lazy = import('./z');\n"
        "const eager = require('./eager');\n"
    )
    assert imports_of("x.ts", source, "typescript") == [
        ("./globals.d.ts", None, "T"),
        ("node", None, "T"),
        ("./a", "A", "T"),
        ("./b", "B", "T"),
        ("./b", "C", ""),
        ("./d", "D", "T"),
        ("./e", "E", "T"),
        ("./e", "F", ""),
        ("./all", None, ""),
        ("./m", None, "DY"),
        ("./r", None, "DC"),
        ("./t", None, "C"),
        ("./y", None, "C"),
        ("./z", None, "DY"),
        ("./eager", None, ""),
    ]


def test_import_types_are_type_only() -> None:
    source = "let fs: typeof import('fs');\nfunction f(a: import('./z').Z) {}\ntype T = import('./x').Y;\n"
    assert imports_of("x.ts", source, "typescript") == [("fs", None, "T"), ("./z", "Z", "T"), ("./x", "Y", "T")]


def test_triple_slash_only_at_the_top() -> None:
    source = 'const x = 1;\n/// <reference path="late.d.ts" />\n'
    assert imports_of("x.ts", source, "typescript") == []


def test_javascript_callbacks_defer_require() -> None:
    source = "describe('x', () => { const a = require('./a'); });\nconst b = require('./b');\n"
    assert imports_of("x.js", source, "javascript") == [("./a", None, "D"), ("./b", None, "")]


REPO = {
    # a -> b eagerly; b -> a only inside a function; b -> c eagerly; c -> b only for the type checker
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n",
    "pkg/b.py": "from pkg import c\ndef f():\n    from pkg import a\n",
    "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
    "pkg/d.py": "from pkg import e\n",
    "pkg/e.py": "from typing import TYPE_CHECKING\nimport pkg.d\nif TYPE_CHECKING:\n    from pkg.d import X\n",
}


def edges_of(files: dict[str, str]):  # type: ignore[no-untyped-def]
    analyses = [analyze(p, src.encode(), "python") for p, src in files.items()]
    res = resolve_imports(analyses, RepoContext(files=frozenset(files)))
    return dependency_edges(res, {a.path: a for a in analyses})


def test_edge_flags_need_every_import_of_the_pair() -> None:
    got = {(e.source, e.target): (e.type_only, e.deferred) for e in edges_of(REPO) if not e.external}
    assert got[("pkg/a.py", "pkg/b.py")] == (False, False)
    assert got[("pkg/b.py", "pkg/a.py")] == (False, True)
    assert got[("pkg/c.py", "pkg/b.py")] == (True, False)
    # e imports d eagerly and for the type checker: the eager import decides
    assert got[("pkg/e.py", "pkg/d.py")] == (False, False)


def test_cycles_with_and_without_deferred_and_type_only_edges() -> None:
    edges = edges_of(REPO)

    def members(skip_type_only: bool, skip_deferred: bool) -> list[tuple[str, ...]]:
        kept = runtime_edges(edges, skip_type_only=skip_type_only, skip_deferred=skip_deferred)
        return [c.members for c in find_cycles(kept)]

    assert members(False, False) == [("pkg/a.py", "pkg/b.py", "pkg/c.py"), ("pkg/d.py", "pkg/e.py")]
    assert members(True, False) == [("pkg/a.py", "pkg/b.py"), ("pkg/d.py", "pkg/e.py")]
    assert members(False, True) == [("pkg/b.py", "pkg/c.py"), ("pkg/d.py", "pkg/e.py")]
    assert members(True, True) == [("pkg/d.py", "pkg/e.py")]
