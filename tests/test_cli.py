"""The CLI as a user runs it: real commands, real output, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from thread_assets.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_languages_json_lists_every_grammar(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["languages", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 173
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
