"""Real code nobody here wrote, fetched from package registries by pinned version and cached
outside the repository (``$THREAD_CORPUS_DIR``, default ``~/.cache/thread/corpora``).

Nothing third-party is committed: each corpus is a recipe (registry + pinned name) and the first
use downloads and unpacks it. Debian binary packages are used where they carry sources
(``golang-*-dev`` ship Go sources, ``librust-*-dev`` ship crate sources).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    bench_only: bool = False
    """Used by the resolution benchmarks only (bench/grimp_compare.py, bench/depcruise_compare.py),
    not by the test suite's pass over every corpus, which keeps its time."""
    tarball: str | None = None
    """A tarball inside the downloaded package (path in the unpacked tree) that holds the sources:
    unpacked in its place, then deleted (``linux-source-*`` ships the kernel as one ``.tar.xz``)."""


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus("django", "pypi", ("django==5.2.8",), "django-5.2.8/django", ("python", "javascript")),
        Corpus("pip", "pypi", ("pip==25.2",), "pip-25.2/src/pip", ("python",), bench_only=True),
        Corpus("rxjs", "npm", ("rxjs@7.8.2",), "package/src", ("typescript",)),
        Corpus("msw", "npm", ("msw@2.15.0",), "package", ("typescript",), bench_only=True),
        Corpus("svelte", "npm", ("svelte@5.59.1",), "package", ("javascript",), bench_only=True),
        Corpus("trpc-server", "npm", ("@trpc/server@11.25.2",), "package", ("typescript",), bench_only=True),
        Corpus("trpc-client", "npm", ("@trpc/client@11.25.2",), "package", ("typescript",), bench_only=True),
        Corpus("query-core", "npm", ("@tanstack/query-core@5.108.4",), "package", ("typescript",), bench_only=True),
        Corpus("react-query", "npm", ("@tanstack/react-query@5.108.4",), "package", ("tsx",), bench_only=True),
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
        Corpus("jep", "pypi", ("jep==4.3.2",), "jep-4.3.2", ("java",), bench_only=True),
        Corpus("openjdk-src", "deb", ("openjdk-17-source",), "usr/lib/jvm/openjdk-17/lib", ("java",), bench_only=True),
        Corpus("libuv", "pypi", ("uvloop==0.22.1",), "uvloop-0.22.1/vendor/libuv", ("c",)),
        Corpus("pybind11", "pypi", ("pybind11==3.0.1",), "pybind11-3.0.1", ("cpp",)),
        Corpus(
            "linux",
            "deb",
            ("linux-source-6.1=6.1.192-3",),
            "linux-source-6.1",
            ("c",),
            bench_only=True,  # 78,579 files, 1.5 GB unpacked: bench/scale.py only
            tarball="usr/src/linux-source-6.1.tar.xz",
        ),
    )
}


def cache_root() -> Path:
    return Path(os.environ.get("THREAD_CORPUS_DIR", Path.home() / ".cache" / "thread" / "corpora"))


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


announce: Callable[[str], None] = _say
"""Where the one line per corpus downloaded goes. Standard error by default; the test suite's
``tests/conftest.py`` routes it past pytest's output capture, so a long first run is not silent."""

Download = Callable[[Corpus, Path, Path], None]
"""``download(corpus, work, tree)``: fetch into the scratch directory ``work`` and unpack into
``tree``; both lie inside a temporary directory of the cache that is removed afterwards."""


def fetch(name: str, *, download: Download | None = None) -> Path:
    """Path of the unpacked corpus, downloading it on first use. Raises RuntimeError (with the
    command that failed) when the registry is unreachable.

    Safe to call from several processes at once (pytest-xdist workers): one holds a per-corpus lock
    (``flock`` on ``.NAME.lock`` in the cache) around check, download and unpack, the others wait
    and then find the corpus ready. The download is unpacked into a temporary directory of the cache
    and renamed into place whole, so a corpus directory is either complete or absent; what a crashed
    download leaves (``.NAME.partial-*``) is removed by the next one. ``download`` replaces the
    registry fetch (tests only)."""
    corpus = CORPORA[name]
    root = cache_root()
    dest = root / name
    if not (dest / ".complete").exists():
        root.mkdir(parents=True, exist_ok=True)
        with _locked(root / f".{name}.lock"):
            if not (dest / ".complete").exists():  # nobody finished it while we waited
                _install(corpus, root, dest, download or _download)
    return dest / corpus.subdir


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # released by close, or by the kernel if the process dies
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _install(corpus: Corpus, root: Path, dest: Path, download: Download) -> None:
    """Under the corpus's lock: download into a fresh temporary directory, then rename into place."""
    for stale in root.glob(f".{corpus.name}.partial-*"):  # a crashed download's; only lock holders write these
        shutil.rmtree(stale, ignore_errors=True)
    if dest.exists():  # an unfinished corpus from before downloads were atomic
        shutil.rmtree(dest)
    announce(f"thread: downloading corpus {corpus.name} ({' '.join(corpus.packages)}; once, cached in {root})")
    partial = Path(tempfile.mkdtemp(prefix=f".{corpus.name}.partial-", dir=root))
    try:
        work, tree = partial / "download", partial / "tree"
        work.mkdir()
        tree.mkdir()
        download(corpus, work, tree)
        (tree / ".complete").touch()
        os.replace(tree, dest)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-2000:]}")


def _pip_download(spec: str) -> list[str]:
    """Only the sdist of ``spec``: its own name is ``--no-binary``, everything else ``--only-binary``,
    so the build requirements pip installs to read the sdist's metadata come as wheels and nothing
    is compiled (``--no-binary :all:`` built Cython from source for uvloop; docs/benchmarks.md, "Test suite")."""
    name = spec.split("==")[0]
    return ["download", "-q", "--no-deps", "--only-binary", ":all:", "--no-binary", name, spec]


def _download(corpus: Corpus, tmp: Path, dest: Path) -> None:
    if corpus.registry == "pypi":
        for spec in corpus.packages:
            _run([sys.executable, "-m", "pip", *_pip_download(spec), "-d", str(tmp)], tmp)
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
        if corpus.tarball is not None:
            _run(["tar", "-xJf", str(dest / corpus.tarball), "--no-same-owner", "-C", str(dest)], tmp)
            (dest / corpus.tarball).unlink()
            upstream_gitignore(dest / corpus.subdir)
    else:  # pragma: no cover - the table above is the only input
        raise ValueError(corpus.registry)


DEBIAN_PACKAGING_IGNORE = ("/*", "!/debian/")
"""Lines Debian's ``linux-source`` appends to the kernel's top-level ``.gitignore`` (its packaging
repository tracks only ``debian/``): with them every file of the tree is git-ignored, and a tool
that honours ``.gitignore`` indexes nothing. Upstream Linux has neither."""


def upstream_gitignore(root: Path) -> None:
    """Drop Debian's packaging lines from ``root/.gitignore``, leaving upstream's rules."""
    ignore = root / ".gitignore"
    if not ignore.is_file():
        return
    lines = ignore.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.strip() not in DEBIAN_PACKAGING_IGNORE]
    if kept != lines:
        fresh = ignore.with_name(".gitignore.upstream")
        fresh.write_text("\n".join(kept) + "\n", encoding="utf-8")
        fresh.replace(ignore)


def files_of(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and p.suffix in suffixes)
