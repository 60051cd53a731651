"""Real code nobody here wrote, fetched from package registries by pinned version and cached
outside the repository (``$THREAD_CORPUS_DIR``, default ``~/.cache/thread/corpora``).

Nothing third-party is committed: each corpus is a recipe (registry + pinned name) and the first
use downloads and unpacks it. Debian binary packages are used where they carry sources
(``golang-*-dev`` ship Go sources, ``librust-*-dev`` ship crate sources).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Corpus:
    name: str
    registry: str  # "pypi" | "npm" | "deb"
    packages: tuple[str, ...]
    subdir: str
    """Directory inside the unpacked tree that is the corpus proper."""
    languages: tuple[str, ...]


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus("django", "pypi", ("django==5.2.8",), "django-5.2.8/django", ("python", "javascript")),
        Corpus("rxjs", "npm", ("rxjs@7.8.2",), "package/src", ("typescript",)),
        Corpus(
            "go",
            "deb",
            ("golang-github-spf13-cobra-dev=1.6.1-1", "golang-github-stretchr-testify-dev", "golang-golang-x-text-dev"),
            "usr/share/gocode/src",
            ("go",),
        ),
        Corpus(
            "rust",
            "deb",
            ("librust-regex-dev", "librust-regex-syntax-dev=0.6.27-1", "librust-serde-dev=1.0.152-2"),
            "usr/share/cargo/registry",
            ("rust",),
        ),
        Corpus("jpype", "pypi", ("jpype1==1.6.0",), "jpype1-1.6.0", ("java", "cpp", "c")),
        Corpus("libuv", "pypi", ("uvloop==0.22.1",), "uvloop-0.22.1/vendor/libuv", ("c",)),
        Corpus("pybind11", "pypi", ("pybind11==3.0.1",), "pybind11-3.0.1", ("cpp",)),
    )
}


def cache_root() -> Path:
    return Path(os.environ.get("THREAD_CORPUS_DIR", Path.home() / ".cache" / "thread" / "corpora"))


def fetch(name: str) -> Path:
    """Path of the unpacked corpus, downloading it on first use. Raises RuntimeError (with the
    command that failed) when the registry is unreachable."""
    corpus = CORPORA[name]
    dest = cache_root() / name
    done = dest / ".complete"
    if not done.exists():
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            _download(corpus, Path(tmp), dest)
        done.touch()
    return dest / corpus.subdir


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-2000:]}")


def _download(corpus: Corpus, tmp: Path, dest: Path) -> None:
    if corpus.registry == "pypi":
        for spec in corpus.packages:
            _run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                    spec,
                    "-d",
                    str(tmp),
                ],
                tmp,
            )
        for archive in tmp.glob("*.tar.gz"):
            with tarfile.open(archive) as tf:
                tf.extractall(dest, filter="data")
    elif corpus.registry == "npm":
        for spec in corpus.packages:
            _run(["npm", "pack", "-q", spec], tmp)
        for archive in tmp.glob("*.tgz"):
            with tarfile.open(archive) as tf:
                tf.extractall(dest, filter="data")
    elif corpus.registry == "deb":
        _run(["apt-get", "download", "-q", *corpus.packages], tmp)
        for deb in tmp.glob("*.deb"):
            _run(["dpkg-deb", "-x", str(deb), str(dest)], tmp)
    else:  # pragma: no cover - the table above is the only input
        raise ValueError(corpus.registry)


def files_of(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and p.suffix in suffixes)
