"""CocoIndex in a virtualenv of its own, made by the bench on first use and cached.

CocoIndex and its dependencies must not enter the project's environment (they would change what
the test suite and the wheel see), so the bench installs ``cocoindex[postgres]`` from PyPI into
``$THREAD_BENCH_VENVS/cocoindex-VERSION`` (default ``~/.cache/thread/bench-venvs``). As with the
corpora: under a lock, into a temporary directory that is renamed into place whole once the
install imports, so a crashed install leaves nothing that looks ready. The venv is only ever
run as ``bin/python`` (its console scripts would carry the temporary path in their ``#!``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.corpora import _locked

VERSION = "1.0.26"


def venvs_root() -> Path:
    return Path(os.environ.get("THREAD_BENCH_VENVS", Path.home() / ".cache" / "thread" / "bench-venvs"))


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-2000:]}")


def cocoindex_python(version: str = VERSION) -> Path:
    """The interpreter of the CocoIndex venv, installing it first if needed."""
    root = venvs_root()
    name = f"cocoindex-{version}"
    dest = root / name
    if not (dest / ".complete").exists():
        root.mkdir(parents=True, exist_ok=True)
        with _locked(root / f".{name}.lock"):
            if not (dest / ".complete").exists():
                _install(version, root, dest)
    return dest / "bin" / "python"


def _install(version: str, root: Path, dest: Path) -> None:
    for stale in root.glob(f".{dest.name}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    print(f"bench: installing cocoindex {version} into {dest} (once)", file=sys.stderr, flush=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=root))
    partial.chmod(0o755)  # mkdtemp's 0700 would hide the venv from other users
    try:
        _run([sys.executable, "-m", "venv", str(partial)])
        python = str(partial / "bin" / "python")
        _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", f"cocoindex[postgres]=={version}"])
        _run([python, "-c", "import asyncpg, cocoindex; assert cocoindex.__version__ == " + repr(version)])
        (partial / ".complete").touch()
        os.replace(partial, dest)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
