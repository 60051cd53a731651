"""The corpus downloader when several processes want the same corpus at once (pytest-xdist workers
on a cold cache) and when a download dies half-way: one process downloads, the others wait and get
the same finished tree, and the cache never holds a half corpus.

The processes are real ones running the real ``fetch`` (lock, temporary directory, rename); only
the registry fetch is replaced by a slow fake unpack, except in the last test, which downloads a
small real corpus."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import corpora

REPO = Path(__file__).resolve().parents[1]

FETCHER = r"""
import hashlib, os, sys, time
from pathlib import Path
from tests.support import corpora

name, mode, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def slow_unpack(corpus, work, tree):
    with open(os.environ["DOWNLOADS_LOG"], "a") as log:
        log.write(f"{os.getpid()}\n")
    target = tree / corpus.subdir
    target.mkdir(parents=True)
    for i in range(8):
        (target / f"m{i}.py").write_text(f"x = {i}\n")
        time.sleep(0.05)
        if mode == "crash" and i == 3:
            os._exit(3)  # killed mid-unpack: no clean-up runs

while not go.exists():
    time.sleep(0.005)
root = corpora.fetch(name, download=None if mode == "real" else slow_unpack)
digest = hashlib.sha256()
for p in sorted(root.rglob("*")):
    if p.is_file() and not p.is_symlink():
        digest.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
print(root, digest.hexdigest())
"""


def _fetch_at_once(tmp_path: Path, name: str, modes: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start one process per mode, release them together, and wait for all."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "THREAD_CORPUS_DIR": str(tmp_path / "cache"),
        "DOWNLOADS_LOG": str(tmp_path / "downloads.log"),
        "PYTHONPATH": str(REPO),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", FETCHER, name, mode, str(go)],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in modes
    ]
    time.sleep(0.3)  # all started and polling
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


def _downloads(tmp_path: Path) -> int:
    log = tmp_path / "downloads.log"
    return len(log.read_text().split()) if log.exists() else 0


def test_processes_fetching_one_corpus_at_once_share_one_download(tmp_path: Path) -> None:
    results = _fetch_at_once(tmp_path, "django", ["ok"] * 4)

    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert len({r.stdout for r in results}) == 1  # same path, same content
    assert _downloads(tmp_path) == 1
    assert sum("thread: downloading corpus django" in r.stderr for r in results) == 1
    cache = tmp_path / "cache"
    assert sorted(os.listdir(cache)) == [".django.lock", "django"]  # no temporary directory left
    tree = cache / "django" / corpora.CORPORA["django"].subdir
    assert sorted(p.name for p in tree.iterdir()) == [f"m{i}.py" for i in range(8)]


def test_a_download_killed_mid_unpack_leaves_no_corpus_and_the_next_one_cleans_up(tmp_path: Path) -> None:
    [crashed] = _fetch_at_once(tmp_path, "django", ["crash"])
    assert crashed.returncode == 3
    cache = tmp_path / "cache"
    assert not (cache / "django").exists()  # nothing half-done where the corpus goes

    results = _fetch_at_once(tmp_path, "django", ["ok", "ok"])

    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert _downloads(tmp_path) == 2  # the crashed one and one more
    assert sorted(os.listdir(cache)) == [".django.lock", "django"]  # the crashed one's leftovers gone
    tree = cache / "django" / corpora.CORPORA["django"].subdir
    assert len(list(tree.iterdir())) == 8


def test_a_failed_download_leaves_only_the_lock_and_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREAD_CORPUS_DIR", str(tmp_path))
    said: list[str] = []
    monkeypatch.setattr(corpora, "announce", said.append)

    def unreachable(corpus: corpora.Corpus, work: Path, tree: Path) -> None:
        (tree / "half").mkdir()
        raise RuntimeError("registry unreachable")

    def fine(corpus: corpora.Corpus, work: Path, tree: Path) -> None:
        (tree / corpus.subdir).mkdir(parents=True)
        (tree / corpus.subdir / "index.ts").write_text("export {}\n")

    with pytest.raises(RuntimeError, match="unreachable"):
        corpora.fetch("rxjs", download=unreachable)
    assert os.listdir(tmp_path) == [".rxjs.lock"]

    root = corpora.fetch("rxjs", download=fine)
    assert root == tmp_path / "rxjs" / "package" / "src"
    assert corpora.fetch("rxjs", download=unreachable) == root  # cached: no second download
    assert [line.split(" (")[0] for line in said] == ["thread: downloading corpus rxjs"] * 2


def test_pip_fetches_only_the_sdist_of_the_corpus_package() -> None:
    cmd = corpora._pip_download("uvloop==0.22.1")
    # the package itself from source, its build requirements (read for its metadata) as wheels:
    # (--no-binary :all: compiled Cython from source on a cold pip cache)
    assert cmd[cmd.index("--no-binary") + 1] == "uvloop"
    assert cmd.index("--only-binary") < cmd.index("--no-binary")  # pip: a later :all: would clear it
    assert cmd[cmd.index("--only-binary") + 1] == ":all:"


@pytest.mark.corpus
def test_processes_fetching_a_real_corpus_at_once(tmp_path: Path) -> None:
    results = _fetch_at_once(tmp_path, "pybind11", ["real"] * 3)

    if any("failed:" in r.stderr for r in results):  # offline: the registry's own error
        pytest.skip(f"corpus pybind11 unavailable: {results[0].stderr.strip()[-300:]}")
    assert [r.returncode for r in results] == [0] * 3, [r.stderr for r in results]
    assert len({r.stdout for r in results}) == 1
    assert sum("thread: downloading corpus pybind11" in r.stderr for r in results) == 1
    assert sorted(os.listdir(tmp_path / "cache")) == [".pybind11.lock", "pybind11"]
    root = Path(results[0].stdout.split()[0])
    assert (root / "pybind11" / "__init__.py").is_file()
