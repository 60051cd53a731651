"""A small multi-language repository whose files take contents from small pools, applied to a
store the way the per-file asset does, and the from-scratch oracle to compare with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resources.store.base import GRAPH_TABLES
from resources.store.sqlbase import SqlStore
from resources.store.url import open_store
from thread_assets.engine import (
    FileAnalysis,
    RepoContext,
    analyze,
    dependency_edges,
    find_cycles,
    resolve_calls,
    resolve_hierarchy,
    resolve_imports,
)
from thread_assets.engine.graph.incremental import GraphUpdate, update_graph
from thread_assets.orchestration.graphs import config_reader

REPO = "demo"
PROVENANCE = {"run_id"}

CORE = [
    # 0: base
    "def helper(x):\n    return x\n\n\nclass Engine:\n    def run(self):\n        return self.step()\n\n"
    "    def step(self):\n        return helper(1)\n",
    # 1: body only
    "def helper(x):\n    y = x\n    return x\n\n\nclass Engine:\n    def run(self):\n        print(1)\n"
    "        return self.step()\n\n    def step(self):\n        return helper(2)\n",
    # 2: exported name changed
    "def aid(x):\n    return x\n\n\nclass Engine:\n    def run(self):\n        return self.step()\n\n"
    "    def step(self):\n        return aid(1)\n",
    # 3: a function added
    "def helper(x):\n    return x\n\n\ndef extra():\n    return helper(3)\n\n\nclass Engine:\n"
    "    def run(self):\n        return extra()\n",
    # 4: an abstract method: calls to it dispatch to the overrides in other files
    "import abc\n\n\ndef helper(x):\n    return x\n\n\nclass Engine(abc.ABC):\n    def run(self):\n"
    "        return self.step()\n\n    @abc.abstractmethod\n    def step(self):\n        return helper(0)\n",
]
POOLS: dict[str, list[str]] = {
    "core": CORE,
    "init": [
        "from .core import helper\n",
        "from .core import *\n",
        "",
        "from .core import helper as assist\nfrom .util import tool\n",
        "from .core import Engine\nfrom .core import aid\n",
    ],
    "util": [
        "from pkg.core import Engine\n\n\ndef tool():\n    return Engine().run()\n",
        "import pkg.core\n\n\ndef tool():\n    return pkg.core.helper(3)\n",
        "def tool():\n    return 0\n",
        "from . import core\n\n\ndef tool():\n    return core.Engine.run(None) + core.aid(1)\n",
        "from pkg.core import Engine\n\n\nclass Turbo(Engine):\n    def step(self):\n        return 2\n\n\n"
        "def tool():\n    return Turbo().run()\n",
    ],
    "app": [
        "from pkg import helper\n\n\ndef main():\n    return helper(2)\n",
        "from pkg import *\n\n\ndef main():\n    return helper(1) + tool()\n",
        "import pkg.util as u\n\n\ndef main():\n    return u.tool()\n",
        "from pkg.util import tool\nfrom pkg.core import Engine\n\n\ndef main():\n    return tool() + Engine().run()\n",
        "from pkg import assist, tool, Engine, aid\n\n\ndef main():\n"
        "    return assist(1) + tool() + aid(2) + Engine().step()\n",
    ],
    "ts_util": [
        "export function helper(x: number) { return x + 1 }\n",
        "export function helper2(x: number) { return x }\nexport function helper(y: number) { return helper2(y) }\n",
        "export const other = 1\nexport function renamed() { return other }\n",
        "export interface Shape { area(): number }\nexport class Sq implements Shape { area() { return 1 } }\n"
        "export function helper(s: Shape) { return s.area() }\n",
    ],
    "ts_index": [
        "import { helper } from '@/util'\nexport function main() { return helper(1) }\n",
        "import * as u from './util'\nexport const f = () => u.helper(2)\n",
        "export { helper } from './util'\nexport function main() { return 1 }\n",
        "import { renamed } from '@/util'\nexport function main() { return renamed() }\n",
        "import { Sq } from '@/util'\nexport class Big extends Sq { area() { return 2 } }\n"
        "export function main() { return new Big().area() }\n",
    ],
    "js_app": [
        "import { helper } from './index'\nhelper(3)\n",
        "import { main } from './index.ts'\nmain()\n",
        "import { helper, main } from './index'\nexport function go() { return helper(main()) }\n",
    ],
    "tsconfig": [
        '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["web/*"]}}}\n',
        '{"compilerOptions": {"baseUrl": "."}}\n',
    ],
    "gomod": ["module example.com/m\n\ngo 1.21\n", "module example.com/other\n\ngo 1.21\n"],
    "go_a": [
        "package lib\n\nfunc Add(a, b int) int { return a + b }\n",
        "package lib\n\nfunc Add(a, b int) int { return b + a + 0 }\n",
        "package lib\n\nfunc Plus(a, b int) int { return a + b }\n",
        # a type that satisfies go_b's Runner by its method set (no relation written anywhere)
        "package lib\n\ntype Fast struct{}\n\nfunc (f Fast) Run() int { return 1 }\n\n"
        "func Add(a, b int) int { return a + b }\n",
    ],
    "go_b": [
        "package lib\n\nfunc Twice(a int) int { return Add(a, a) }\n",
        "package lib\n\ntype T struct{}\n\nfunc (t *T) Run() int { return t.Step() }\n\n"
        "func (t *T) Step() int { return Add(1, 2) }\n\nfunc Twice(a int) int { return Plus(a, a) }\n",
        "package lib\n\ntype Runner interface{ Run() int }\n\nfunc Drive(r Runner) int { return r.Run() }\n\n"
        "func Twice(a int) int { return Add(a, a) }\n",
    ],
    "go_test": [
        'package lib\n\nimport "testing"\n\nfunc helperT() int { return Twice(2) }\n\n'
        "func TestX(t *testing.T) { helperT(); Add(1, 1) }\n",
        'package lib\n\nimport "testing"\n\nfunc TestY(t *testing.T) { Plus(1, 2); helperT() }\n',
    ],
    "go_main": [
        'package main\n\nimport "example.com/m/lib"\n\nfunc main() { lib.Add(1, 2); lib.Twice(3) }\n',
        'package main\n\nimport (\n\t"fmt"\n\t"example.com/m/lib"\n)\n\n'
        "func main() { fmt.Println(lib.Plus(1, 2)); t := lib.T{}; t.Run() }\n",
    ],
    "cargo": ['[package]\nname = "demo"\nversion = "0.1.0"\n'],
    "rs_lib": [
        "pub mod shapes;\npub use shapes::area;\n\npub fn run() -> u32 {\n    area(2)\n}\n",
        "mod shapes;\nuse crate::shapes::Square;\n\npub fn run() -> u32 {\n    Square::new().side()\n}\n",
        "mod shapes;\n\npub fn run() -> u32 {\n    shapes::area(3)\n}\n",
    ],
    "rs_shapes": [
        "pub fn area(x: u32) -> u32 {\n    x * x\n}\n\npub struct Square {\n    s: u32,\n}\n\nimpl Square {\n"
        "    pub fn new() -> Self {\n        Square { s: 1 }\n    }\n\n    pub fn side(&self) -> u32 {\n"
        "        self.s\n    }\n}\n",
        "pub fn area(x: u32) -> u32 {\n    x + 0\n}\n",
    ],
    "c_h": ["int ring_size(void);\n", "int ring_size(void);\nint ring_cap(void);\n"],
    "c_c": [
        '#include "ring.h"\nint ring_size(void) { return 4; }\n',
        '#include "ring.h"\nint ring_cap(void) { return ring_size() * 2; }\nint ring_size(void) { return 8; }\n',
        '#include "ring.h"\n#include <stdio.h>\nint main(void) { printf("%d", ring_cap()); return ring_size(); }\n',
    ],
}
SLOTS: dict[str, str] = {
    "pkg/__init__.py": "init",
    "pkg/core.py": "core",
    "pkg/core2.py": "core",
    "pkg/util.py": "util",
    "app.py": "app",
    "tools/app2.py": "app",
    "tsconfig.json": "tsconfig",
    "web/util.ts": "ts_util",
    "web/index.ts": "ts_index",
    "web/app.js": "js_app",
    "go.mod": "gomod",
    "lib/a.go": "go_a",
    "lib/b.go": "go_b",
    "lib/c.go": "go_a",
    "lib/a_test.go": "go_test",
    "cmd/main.go": "go_main",
    "Cargo.toml": "cargo",
    "src/lib.rs": "rs_lib",
    "src/shapes.rs": "rs_shapes",
    "c/ring.h": "c_h",
    "c/ring.c": "c_c",
    "c/main.c": "c_c",
}
START: dict[str, int] = {
    "pkg/__init__.py": 0,
    "pkg/core.py": 0,
    "pkg/util.py": 0,
    "app.py": 0,
    "tsconfig.json": 0,
    "web/util.ts": 0,
    "web/index.ts": 0,
    "web/app.js": 0,
    "go.mod": 0,
    "lib/a.go": 0,
    "lib/b.go": 0,
    "lib/a_test.go": 0,
    "cmd/main.go": 0,
    "Cargo.toml": 0,
    "src/lib.rs": 0,
    "src/shapes.rs": 0,
    "c/ring.h": 0,
    "c/ring.c": 0,
    "c/main.c": 2,
}


def pool(path: str) -> list[str]:
    return POOLS[SLOTS[path]]


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def analyse(root: Path, paths: list[str]) -> list[FileAnalysis]:
    return [analyze(p, (root / p).read_bytes()) for p in sorted(paths)]


def scratch_dump(root: Path, tree: dict[str, str], repo: str = REPO) -> dict[str, list[dict[str, Any]]]:
    """The graph tables of a from-scratch index of ``tree`` (engine + write_graph, fresh store)."""
    store = open_store("sqlite:///:memory:")
    assert isinstance(store, SqlStore)
    try:
        analyses = analyse(root, list(tree))
        store.write_files(repo, analyses)
        by_path = {a.path: a for a in analyses}
        resolutions = resolve_imports(
            analyses, RepoContext(files=frozenset(by_path), read=config_reader(root), root_name=root.name)
        )
        edges = dependency_edges(resolutions, by_path)
        hierarchy = resolve_hierarchy(by_path, resolutions)
        calls = resolve_calls(by_path, resolutions, hierarchy=hierarchy)
        store.write_graph(repo, resolutions, edges, find_cycles(edges), calls, hierarchy=hierarchy)
        return dump(store, repo)
    finally:
        store.close()


def dump(store: SqlStore, repo: str = REPO) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [{k: v for k, v in row.items() if k not in PROVENANCE} for row in store.export(table, repo=repo)]
        for table in GRAPH_TABLES
    }


class Tree:
    """The working tree and the store's per-file rows, kept in step as the per-file asset would."""

    def __init__(self, root: Path, store: SqlStore, repo: str = REPO) -> None:
        self.root = root
        self.store = store
        self.repo = repo
        self.files: dict[str, str] = {}
        self.dirty: set[str] = set()
        self.gone: set[str] = set()

    def put(self, path: str, text: str) -> None:
        write(self.root, path, text)
        self.files[path] = text
        self.dirty.add(path)
        self.gone.discard(path)

    def delete(self, path: str) -> None:
        (self.root / path).unlink()
        del self.files[path]
        self.dirty.discard(path)
        self.gone.add(path)

    def rename(self, src: str, dst: str) -> None:
        text = self.files[src]
        self.delete(src)
        self.put(dst, text)

    def sync(self) -> GraphUpdate:
        """Per-file rows of what changed (``delete_files`` first, as the update does), then the
        incremental graph update."""
        if self.gone:
            self.store.delete_files(self.repo, sorted(self.gone))
        if self.dirty:
            self.store.write_files(self.repo, analyse(self.root, sorted(self.dirty)))
        self.dirty.clear()
        self.gone.clear()
        return update_graph(
            self.store, self.repo, config_reader(self.root), run_id="incremental", root_name=self.root.name
        )

    def assert_matches_scratch(self) -> None:
        got, want = dump(self.store, self.repo), scratch_dump(self.root, self.files, self.repo)
        for table in GRAPH_TABLES:
            assert got[table] == want[table], f"{table} differs from a from-scratch build"
