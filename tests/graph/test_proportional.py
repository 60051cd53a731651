"""The incremental update does work proportional to what changed, and says what it did."""

from __future__ import annotations

from pathlib import Path

from resources.store.base import Store
from resources.store.sqlbase import SqlStore
from resources.store.url import open_store
from tests.support.graph import CORE, POOLS, START, Tree, pool

IMPORTERS = 12


def _tree(tmp_path: Path) -> tuple[Tree, Store]:
    store = open_store(f"sqlite:///{tmp_path / 'index.db'}")
    assert isinstance(store, SqlStore)
    tree = Tree(tmp_path / "repo", store)
    for path, variant in START.items():
        tree.put(path, pool(path)[variant])
    # many files importing pkg/core.py directly, and app.py through pkg/__init__.py's re-export
    for i in range(IMPORTERS):
        tree.put(f"users/u{i}.py", f"from pkg.core import helper\n\n\ndef use{i}():\n    return helper({i})\n")
    assert tree.sync().mode == "full"
    tree.assert_matches_scratch()
    return tree, store


def test_body_only_edit_resolves_that_file_only(tmp_path: Path) -> None:
    tree, store = _tree(tmp_path)
    try:
        tree.put("pkg/core.py", CORE[1])  # bodies change, names do not
        update = tree.sync()
        assert update.mode == "incremental"
        assert update.changed == ["pkg/core.py"] and update.imports_resolved == 1
        assert update.resolutions_changed == [] and update.exports_changed == []
        assert update.calls_resolved == ["pkg/core.py"]
        assert not update.cycles_recomputed
        tree.assert_matches_scratch()
    finally:
        store.close()


def test_exported_name_change_resolves_importers_and_reexport_users(tmp_path: Path) -> None:
    tree, store = _tree(tmp_path)
    try:
        tree.put("pkg/core.py", CORE[2])  # helper -> aid
        update = tree.sync()
        assert update.exports_changed == ["pkg/core.py"]
        users = {f"users/u{i}.py" for i in range(IMPORTERS)}
        # direct importers, the re-exporting __init__, and app.py one hop further
        assert users | {"pkg/core.py", "pkg/__init__.py", "pkg/util.py", "app.py"} <= set(update.calls_resolved)
        assert "web/index.ts" not in update.calls_resolved and "lib/a.go" not in update.calls_resolved
        tree.assert_matches_scratch()
        edges = {e["path"]: e for e in store.export("call_edges", repo=tree.repo) if e["path"] == "app.py"}
        assert edges["app.py"]["how"] == "unresolved"  # helper is gone behind the re-export
    finally:
        store.close()


def test_go_sibling_and_config_changes(tmp_path: Path) -> None:
    tree, store = _tree(tmp_path)
    try:
        tree.put("lib/a.go", POOLS["go_a"][1])  # body only: the package's other files are untouched
        update = tree.sync()
        assert update.calls_resolved == ["lib/a.go"]
        tree.assert_matches_scratch()

        tree.put("lib/a.go", POOLS["go_a"][2])  # Add -> Plus: every file of the package, and its importers
        update = tree.sync()
        assert {"lib/a.go", "lib/b.go", "lib/a_test.go", "cmd/main.go"} <= set(update.calls_resolved)
        assert not any(p.startswith("users/") for p in update.calls_resolved)
        tree.assert_matches_scratch()

        tree.put("go.mod", POOLS["gomod"][1])  # a config file the Go resolver read
        update = tree.sync()
        assert update.config_changed == ["go.mod"] and update.imports_resolved == len(tree.files)
        assert "cmd/main.go" in update.resolutions_changed
        tree.assert_matches_scratch()
    finally:
        store.close()


def test_add_delete_and_no_change(tmp_path: Path) -> None:
    tree, store = _tree(tmp_path)
    try:
        assert tree.sync().mode == "unchanged"
        tree.put("pkg/extra.py", "from pkg.core import Engine\n\n\ndef more():\n    return Engine().run()\n")
        update = tree.sync()
        assert update.added == ["pkg/extra.py"] and update.calls_resolved == ["pkg/extra.py"]
        tree.assert_matches_scratch()
        tree.delete("pkg/util.py")
        update = tree.sync()
        assert update.removed == ["pkg/util.py"] and update.cycles_recomputed
        tree.assert_matches_scratch()
    finally:
        store.close()
