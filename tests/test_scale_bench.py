"""The pieces of bench/scale.py on a tiny generated tree: the file sets and their copies, the
process-tree measurement, Thread's three steps from the shell and the Dagster UI's partition
query. CocoIndex is not installed here (its venv is the bench's own, made on first use)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench import scale, scale_trees
from bench.scale_measure import run_measured
from bench.scale_trees import FileSet, edit_files, link_tree, picker, work_copy

FILES = 14


def _tree(root: Path) -> Path:
    """A small Python package (the functions call each other across modules), a C file, and
    files no work item keeps."""
    pkg = root / "proj" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for i in range(FILES - 2):
        callee = f"from pkg.m{i - 1} import f{i - 1}\n" if i else ""
        body = f"f{i - 1}(x)" if i else "x"
        (pkg / f"m{i}.py").write_text(f"{callee}\n\ndef f{i}(x):\n    return {body}\n\n\nclass C{i}:\n    pass\n")
    (root / "proj" / "main.c").write_text("int main(void) { return 0; }\n")
    (root / "proj" / "notes.txt").write_text("not code\n")
    (root / "proj" / "docs").mkdir()
    (root / "proj" / "docs" / "a.py").write_text("x = 1\n")
    return root / "proj"


def test_a_file_set_keeps_its_directories_and_suffixes(tmp_path: Path) -> None:
    src = _tree(tmp_path)
    keep = picker(FileSet("t", "none", ("pkg",), (".py",)))
    assert link_tree(src, tmp_path / "out", keep) == FILES - 1
    kept = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert kept == sorted(f"pkg/{p.name}" for p in (src / "pkg").iterdir())
    assert link_tree(src, tmp_path / "all", picker(FileSet("t", "none", (), ()))) == FILES + 2


def test_cached_tree_is_made_once_whole_and_hard_linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _tree(tmp_path / "corpus")
    monkeypatch.setenv("THREAD_CORPUS_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(scale_trees, "fetch", lambda name: src)  # the registry download, not under test here
    spec = FileSet("tiny", "tiny", ("pkg",), (".py", ".c"), parent=True)
    tree = scale_trees.tree_of(spec)
    assert tree == tmp_path / "cache" / "scale-tiny" and (tree / ".complete").exists()
    assert (tree / "proj" / "pkg" / "m3.py").stat().st_ino == (src / "pkg" / "m3.py").stat().st_ino
    assert not list((tmp_path / "cache").glob(".scale-tiny.partial-*"))
    (tree / "marker").touch()
    assert scale_trees.tree_of(spec) == tree and (tree / "marker").exists()  # cached: not made again


def test_edits_are_seeded_and_never_reach_the_source(tmp_path: Path) -> None:
    src = _tree(tmp_path)
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    picks = []
    for n in range(2):
        copy, count = work_copy(src, tmp_path / f"w{n}")
        assert count == FILES + 2
        picks.append(edit_files(copy, 10, seed=7, tag="t", suffixes=(".py",)))
        edited = copy / picks[-1][0]
        assert edited.read_text().endswith("scale bench edit t\n")
        assert edited.stat().st_ino != (src / picks[-1][0]).stat().st_ino
    assert picks[0] == picks[1] and len(set(picks[0])) == 10
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before


def test_measurement_sees_the_largest_process_of_the_tree(tmp_path: Path) -> None:
    child = "import time; b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    m = run_measured([sys.executable, "-c", parent], cwd=tmp_path, interval=0.05)
    assert m.returncode == 0 and m.processes >= 2
    assert 150 <= m.largest_mb < 300, m
    assert m.tree_mb >= m.largest_mb > 0 and m.wall_s >= 1 and m.cpu_s > 0


@pytest.mark.skipif(not Path(sys.executable).with_name("thread").exists(), reason="needs the installed thread CLI")
def test_thread_steps_and_the_partition_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREAD_SCALE_WORK", str(tmp_path / "runs"))
    tree = _tree(tmp_path)
    steps, ui = scale.run_tool("tiny", "thread", tree, seed=3, edit=(".py",), workers=1, ui=True)
    full, same, edited = steps
    assert [s.step for s in steps] == list(scale.STEPS)
    indexed = FILES + 1  # the .txt is not indexed
    assert (full.analysed, same.analysed, edited.analysed) == (indexed, 0, 10)
    assert full.table_rows["files"] == indexed
    assert full.symbols == 2 * (FILES - 2) + 2  # f and C per module, C's main, docs/a.py's variable x
    assert full.table_rows["call_edges"] >= FILES - 3  # the calls resolve across modules
    assert same.rows == full.rows and edited.symbols == full.symbols
    assert full.largest_mb > 50 and full.store_mb > 0 and full.state_mb > 0
    assert ui is not None and ui.answered, ui
    assert (ui.keys, ui.materialized) == (indexed, indexed)
    assert os.listdir(tmp_path / "runs") == []  # the copy is gone
    lines = list(scale.table(steps, {"tiny": ui}))
    assert lines[0].startswith("tiny: 16 files") and any("PartitionHealthQuery" in line for line in lines)
