"""Run part of a test as a user that permissions bind. The suite may run as root, whom mode bits
do not stop (CAP_DAC_OVERRIDE): then the child runs as ``nobody`` through ``setpriv``, on a
directory handed over to it; without either, the test skips and says why."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]

IN_PROCESS = """
import thread_assets.engine.batch
# analyse in this process: the pool's workers exec the interpreter again, whose path the
# unprivileged user may not be allowed to reach (setpriv resolved it with root's capabilities)
thread_assets.engine.batch.default_workers = lambda: 0
"""
"""Prepend to a child's code that analyses files."""


def unprivileged() -> list[str]:
    """The command prefix that runs a child without root's way past permissions."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot drop privileges to test permissions")
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no user 'nobody' to drop privileges to")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@contextlib.contextmanager
def shared_directory() -> Iterator[Path]:
    """A directory the child can own (pytest's tmp_path is reachable by its creator only)."""
    base = Path(tempfile.mkdtemp(prefix="thread-unprivileged-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for parent, dirs, _files in os.walk(base):  # mode-000 directories, before descending
            for name in dirs:
                path = os.path.join(parent, name)
                if not os.path.islink(path):
                    with contextlib.suppress(OSError):
                        os.chmod(path, 0o755)
        shutil.rmtree(base, ignore_errors=True)


def run_unprivileged(code: str, *args: str, owner_of: Path, timeout_s: float = 300) -> list[dict[str, Any]]:
    """Run ``code`` (Python, this project importable) as the unprivileged user, who is given
    ``owner_of`` and everything below it; each line it prints that starts with ``{`` is one JSON
    record."""
    prefix = unprivileged()
    if prefix:
        user = pwd.getpwnam("nobody")
        for path in [owner_of, *owner_of.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("THREAD_", "DAGSTER_", "COV_", "COVERAGE")) and k != "HOME"
    }
    env |= {"PYTHONPATH": str(PROJECT), "HOME": str(owner_of)}
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", code, *args],
        cwd=owner_of,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
