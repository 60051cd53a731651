"""House rules that CI enforces: the layers stay honest, and the package is lint- and type-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def test_engine_imports_nothing_from_dagster() -> None:
    """import-linter's contracts live in pyproject.toml ([tool.importlinter])."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("import-linter is not installed (pip install -e '.[dev]')")
    proc = run(exe, "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_engine_import_does_not_load_dagster() -> None:
    code = "import sys, thread_assets.engine as e; e.analyze('a.py', b'x = 1\\n'); print('dagster' in sys.modules)"
    proc = run(sys.executable, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_ruff_clean() -> None:
    proc = run(sys.executable, "-m", "ruff", "check", "thread_assets", "resources", "sensors", "bench", "tests")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_clean() -> None:
    proc = run(sys.executable, "-m", "mypy", "thread_assets", "resources", "sensors")
    assert proc.returncode == 0, proc.stdout + proc.stderr
