"""The CLI as a user runs it: real commands, real output, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from thread_assets.cli import main
from thread_assets.engine.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def test_languages_json_lists_every_grammar(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["languages", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["language"] for r in rows] == sorted(LANGUAGES)
    full = {r["language"] for r in rows if r["level"] == "full"}
    assert full == {"python", "javascript", "typescript", "tsx", "rust", "go", "java", "c", "cpp"}


def test_analyze_summarises_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text('from .a import f\n\n__all__ = ["f"]\n')
    (tmp_path / "pkg" / "a.py").write_text("import os\nfrom . import b\n\ndef f():\n    return b.g()\n")
    (tmp_path / "pkg" / "b.py").write_text("from . import a\n\ndef g():\n    return a.f()\n")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01")
    out_file = tmp_path / "out.jsonl"
    assert main(["analyze", str(tmp_path), "--workers", "0", "--json", "-o", str(out_file)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["files"] == 3
    assert summary["by_language"] == {"python": 3}
    assert summary["unused_imports"] == 1  # os
    assert summary["cycles"] == 1 and summary["largest_cycle"] == ["pkg/a.py", "pkg/b.py"]
    assert summary["calls_resolved"] == 2
    lines = out_file.read_text().splitlines()
    assert sorted(json.loads(x)["path"] for x in lines) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]


def test_user_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    for args in (["analyze", str(tmp_path / "missing")], ["analyze", str(tmp_path), "--workers", "-1"]):
        proc = subprocess.run(
            [sys.executable, "-m", "thread_assets.cli", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 2
        assert proc.stderr.startswith("thread: error: ") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr


@pytest.fixture
def indexed_store(tmp_path: Path) -> str:
    """A real SQLite store holding a small analysed repository (engine + store, no Dagster)."""
    from resources.store.url import open_store
    from thread_assets.engine import (
        RepoContext,
        analyze,
        dependency_edges,
        find_cycles,
        resolve_calls,
        resolve_imports,
    )

    files = {
        "app/__init__.py": b"",
        "app/models.py": b"from app import views\n\nclass Order:\n    def total(self):\n"
        b"        return views.render(self)\n",
        "app/views.py": b"from app import models\n\ndef render(obj):\n    return str(obj)\n\n"
        b"def page():\n    return render(1)\n",
    }
    analyses = [analyze(p, src) for p, src in files.items()]
    res = resolve_imports(analyses, RepoContext(files=frozenset(files)))
    edges = dependency_edges(res)
    url = f"sqlite:///{tmp_path / 'index.db'}"
    store = open_store(url)
    store.write_files("repo", analyses)
    store.write_graph("repo", res, edges, find_cycles(edges), resolve_calls(analyses, res))
    store.close()
    return url


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_query_commands_answer_from_the_store(indexed_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(capsys, "find", "render", "--store", indexed_store)
    assert [(r["path"], r["kind"]) for r in found] == [("app/views.py", "function")]  # type: ignore[index]
    callers = run_json(capsys, "callers", "app/views.py::render", "--store", indexed_store)
    assert sorted(r["caller"] for r in callers) == ["app/models.py::Order.total", "app/views.py::page"]  # type: ignore[index]
    callees = run_json(capsys, "callees", "app/models.py::Order.total", "--store", indexed_store)
    assert [r["target"] for r in callees] == ["app/views.py::render"]  # type: ignore[index]
    deps = run_json(capsys, "deps", "app/views.py", "--store", indexed_store)
    assert {(r["direction"], r["source"], r["target"]) for r in deps} == {  # type: ignore[index]
        ("out", "app/views.py", "app/models.py"),
        ("in", "app/models.py", "app/views.py"),
    }
    cycles = run_json(capsys, "cycles", "--store", indexed_store)
    assert [c["members"] for c in cycles] == [["app/models.py", "app/views.py"]]  # type: ignore[index]
    stats = run_json(capsys, "stats", "--store", indexed_store)
    assert stats["files"] == 3  # type: ignore[index]


def test_export_formats(indexed_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import polars as pl

    assert main(["export", "symbols", "--store", indexed_store]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["qualified_name"] for r in rows} == {"Order", "Order.total", "render", "page"}
    out = tmp_path / "symbols.parquet"
    assert main(["export", "symbols", "--format", "parquet", "-o", str(out), "--store", indexed_store]) == 0
    assert pl.read_parquet(out).height == 4
    assert main(["export", "nope", "--store", indexed_store]) == 2
    assert main(["find", "x", "--store", "mysql://nowhere/db"]) == 2
