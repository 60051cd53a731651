"""Thread as ``pip install .`` installs it: a wheel built from a copy of the source tree, installed
into a fresh virtualenv, then ``thread index`` and ``thread find`` run from a directory outside
the checkout, so nothing of the source tree is on ``sys.path``. The stores read the repository's
top-level ``sql/``; only a wheel that carries it (as ``resources/store/sql/``) passes.

The fresh virtualenv gets Thread from the wheel and nothing else: a ``.pth`` line puts this
environment's site-packages after its own, so the dependencies are reused instead of installed
(a ``.pth`` file in a directory added that way is not run, so this checkout's editable install
stays out). The wheel itself is built as pip builds it, in an isolated build environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("thread_assets", "resources", "sensors")
BUILD_INPUTS = ("pyproject.toml", "README.md", *PACKAGES, "sql")
SKIPPED = ("__pycache__", "*.pyc", ".thread", "*.egg-info")


def source_copy(into: Path) -> Path:
    """What the build reads, copied: a build writes build/ and *.egg-info beside pyproject.toml,
    and a stale build/ of the shared checkout could supply files the tree no longer has."""
    into.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns(*SKIPPED))
        else:
            shutil.copy2(ROOT / name, into / name)
    return into


def files_under(root: Path, top: str) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / top).rglob("*") if p.is_file()}


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_wheel_carries_the_sql_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    src = source_copy(tmp_path / "src")
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path / "dist"), str(src)],
        cwd=tmp_path,
    )
    (wheel,) = (tmp_path / "dist").glob("thread-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (top_level,) = (n for n in names if n.endswith(".dist-info/top_level.txt"))
        tops = set(archive.read(top_level).decode().split())
    sql = files_under(src, "sql")
    assert "sql/schema.sql" in sql and any(n.startswith("sql/queries/") for n in sql)
    assert {"resources/store/" + n for n in sql} <= names, "the wheel lacks sql/ (as resources/store/sql/)"
    # no top-level package of a generic name: only ours, and no sql/ at the root of site-packages
    assert tops == set(PACKAGES)
    assert not any(n.startswith("sql/") for n in names)
    # pyproject.toml lists the packages: every module and data file of the tree must be in the wheel
    code = set().union(*(files_under(src, p) for p in PACKAGES))
    missing = sorted(code - names)
    assert not missing, f"not in the wheel (add the package or the data glob to pyproject.toml): {missing}"

    venv = tmp_path / "venv"
    run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp_path).strip()
    )
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "_thread_deps.pth").write_text("".join(f"{p}\n" for p in ours))
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index"]
    run([*pip, "--ignore-installed", str(wheel)], cwd=tmp_path)

    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "orders.py").write_text("from pkg.util import add\n\n\ndef total(xs):\n    return add(xs)\n")
    (repo / "pkg" / "util.py").write_text("def add(xs):\n    return sum(xs)\n")
    skip = ("THREAD_", "DAGSTER_", "PYTHON", "VIRTUAL_ENV", "COV_CORE_", "COVERAGE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env |= {"THREAD_WORKERS": "1", "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}"}
    thread = str(venv / "bin" / "thread")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    # the installed code, with the SQL inside it, not this checkout's
    where = run(
        [
            str(python),
            "-c",
            "import thread_assets, resources.store.sqlbase as s; print(thread_assets.__file__, s.SQL_DIR)",
        ],
        cwd=elsewhere,
        env=env,
    ).split()
    assert where == [str(site / "thread_assets" / "__init__.py"), str(site / "resources" / "store" / "sql")]

    summary = json.loads(run([thread, "index", str(repo), "--json", "--quiet"], cwd=elsewhere, env=env))
    assert (summary["files"], summary["analysed"]) == (2, 2)
    # query commands work on the current directory's index: the exact name (sql/queries/) and the
    # substring search (sql/sqlite/, over FTS5)
    exact = json.loads(run([thread, "find", "total", "--json"], cwd=repo, env=env))
    assert [(s["path"], s["kind"]) for s in exact] == [("pkg/orders.py", "function")]
    searched = json.loads(run([thread, "find", "ota", "--search", "--json"], cwd=repo, env=env))
    assert [s["global_id"] for s in searched] == ["pkg/orders.py::total"]
