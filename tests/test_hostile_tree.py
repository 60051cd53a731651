"""Trees that fight back: file names that are not UTF-8, files that cannot be read. Each gets a
record (or is left out, as a from-scratch index leaves it out) and the rest is indexed; after every
step the index equals a from-scratch index of the tree and ``audit`` agrees.

Permissions do not bind root, so the unreadable cases run in a child process as ``nobody``
(``setpriv``) when the suite runs as root."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance

from resources.store.base import Store
from resources.store.url import open_store
from tests.support.incremental import dump, scratch_index
from tests.support.unprivileged import IN_PROCESS, run_unprivileged, shared_directory
from thread_assets.cli import main
from thread_assets.drivers.index import index_repository
from thread_assets.repo.audit import audit
from thread_assets.repo.changes import StatMemo, detect_changes
from thread_assets.repo.discover import disk_path, index_path, stat_paths
from thread_assets.repo.indexable import indexable_files

PROJECT = Path(__file__).resolve().parents[1]
BAD = os.fsdecode(b"bad\xffname.py")
"""``bad\\xffname.py`` as Python's ``os`` functions name it (a lone surrogate for the byte)."""
BAD_DIR = os.fsdecode(b"dir\xfe")


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


# ---- names that are not UTF-8


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("pkg/mod.py", "pkg/mod.py"),
        ("100%.py", "100%.py"),
        ("caf\u00e9.py", "caf\u00e9.py"),
        (BAD, "bad%FFname.py"),
        (f"{BAD_DIR}/mod.py", "dir%FE/mod.py"),
        ("a%41.py", "a%2541.py"),
        (os.fsdecode(b"50%\xff.py"), "50%25%FF.py"),
        (f"100%/{BAD}", "100%/bad%FFname.py"),
    ],
)
def test_index_paths_are_text_reversible_and_ordinary_names_stay_as_they_are(name: str, stored: str) -> None:
    assert index_path(name) == stored
    stored.encode("utf-8")  # storable anywhere
    assert disk_path(stored) == name


def test_discovery_with_ignore_files_keeps_names_that_are_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, {"ok.py": "x = 1\n", BAD: "y = 2\n", f"{BAD_DIR}/mod.py": "z = 3\n", "x.log": ""})
    (tmp_path / ".gitignore").write_bytes(b"*.log\nskip\xff*\n")  # a pattern with the byte itself
    (tmp_path / os.fsdecode(b"skip\xffme.py")).write_text("")
    found = {f.path: f for f in indexable_files(tmp_path)}
    assert sorted(found) == [".gitignore", "bad%FFname.py", "dir%FE/mod.py", "ok.py"]
    assert Path(found["bad%FFname.py"].abs_path).read_text() == "y = 2\n"
    # what thread watch looks at: the same files under the same paths
    assert [f.path for f in stat_paths(tmp_path, sorted(found))] == sorted(found)
    assert stat_paths(tmp_path, ["bad%ffname.py", "skip%FFme.py"]) == [], "only the paths discovery gives"


@pytest.mark.parametrize("gitignore", [False, True], ids=["no-ignore-file", "gitignore"])
def test_a_name_that_is_not_utf8_gets_a_record_and_the_rest_is_indexed(tmp_path: Path, gitignore: bool) -> None:
    root = tmp_path / "repo"
    write(
        root,
        {
            "ok.py": "def f():\n    return 1\n",
            BAD: "def g():\n    return f()\n",
            f"{BAD_DIR}/mod.py": "import ok\n",
            "a%41.py": "A = 1\n",
        },
    )
    if gitignore:
        (root / ".gitignore").write_text("*.log\n")
    url = f"sqlite:///{tmp_path / 'index.db'}"
    with DagsterInstance.ephemeral() as instance:
        first = index_repository(root, store_url=url, instance=instance, repo_name="r")
        expected = {"ok.py", "bad%FFname.py", "dir%FE/mod.py", "a%2541.py"} | ({".gitignore"} if gitignore else set())
        assert first.added == len(expected)
        store = open_store(url)
        try:
            assert set(store.file_states("r")) == expected
            assert [(s["path"], s["name"]) for s in store.find_symbols("g", repo="r")] == [("bad%FFname.py", "g")]
            assert_matches_disk(tmp_path, root, store, "r")

            again = index_repository(root, store_url=url, instance=instance, repo_name="r")
            assert (again.added, again.changed, again.removed, again.analysed) == (0, 0, 0, 0)

            os.rename(root / BAD, root / "good.py")
            renamed = index_repository(root, store_url=url, instance=instance, repo_name="r")
            assert renamed.paths.renamed == [("bad%FFname.py", "good.py")]
            (root / "good.py").rename(root / os.fsdecode(b"back\xff.py"))
            shutil.rmtree(root / BAD_DIR)
            index_repository(root, store_url=url, instance=instance, repo_name="r")
            assert "dir%FE/mod.py" not in store.file_states("r") and "back%FF.py" in store.file_states("r")
            assert_matches_disk(tmp_path, root, store, "r")
        finally:
            store.close()


def test_thread_analyze_takes_a_file_or_tree_whose_names_are_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, {BAD: "def g():\n    return 1\n", "a%41.py": "A = 1\n", ".gitignore": "*.log\n"})
    for target, files in [(tmp_path / BAD, 1), (tmp_path / "a%41.py", 1), (tmp_path, 3)]:
        assert main(["analyze", str(target), "--workers", "0", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["files"] == files, target


def assert_matches_disk(tmp_path: Path, root: Path, store: Store, repo: str) -> None:
    result = audit(root, store, repo)
    assert result.fresh, result
    assert not detect_changes(root, store.file_states(repo), memo=StatMemo(None, str(root)))
    scratch = open_store("sqlite:///:memory:")
    try:
        scratch_index(root, scratch, repo)
        assert dump(scratch, repo) == dump(store, repo)
    finally:
        scratch.close()


# ---- files that cannot be read


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    with shared_directory() as base:
        yield base


UNREADABLE_STEPS = (
    IN_PROCESS
    + r"""
import json, os, sys
from pathlib import Path
from resources.store.url import open_store
from tests.support.incremental import dump, scratch_index
from thread_assets.drivers.index import index_repository
from thread_assets.repo.audit import audit
from thread_assets.repo.changes import detect_changes
from thread_assets.repo.settings import RepoSettings

root = Path(sys.argv[1])
secret = root / "secret.py"

def step(name):
    summary = index_repository(root)
    settings = RepoSettings.resolve(root)
    store = open_store(settings.store_url)
    try:
        states = store.file_states(settings.name)
        again = detect_changes(root, states, memo=settings.stat_memo())
        result = audit(root, store, settings.name)
        scratch = open_store("sqlite:///:memory:")
        scratch_index(root, scratch, settings.name)
        files = store.export("files", repo=settings.name)
        rows = {r["path"]: [r["status"], r["reason"], r["size_bytes"]] for r in files}
        print(json.dumps({
            "step": name,
            "counts": [summary.added, summary.changed, summary.removed, summary.analysed],
            "again": again.describe() if again else "",
            "audit": [result.stale, result.missing, result.unindexed],
            "equal": dump(scratch, settings.name) == dump(store, settings.name),
            "rows": rows,
        }), flush=True)
    finally:
        store.close()

step("unreadable")
step("again")
step("and again")
secret.chmod(0o644)
settings = RepoSettings.resolve(root)
store = open_store(settings.store_url)
print(json.dumps({"step": "readable, not indexed yet", "audit": audit(root, store, settings.name).stale}))
store.close()
step("readable")
secret.chmod(0o000)
step("unreadable once more")
secret.chmod(0o200)
secret.write_text("def secret():\n    return 'longer than before'\n")
secret.chmod(0o000)
step("grown while unreadable")
"""
)


def test_an_unreadable_file_gets_a_stable_record(shared_dir: Path) -> None:
    root = shared_dir / "repo"
    write(root, {"ok.py": "def ok():\n    return 1\n", "secret.py": "S = 1\n", "locked/inner.py": "I = 1\n"})
    (root / "secret.py").chmod(0o000)
    (root / "locked").chmod(0o000)
    steps = {s["step"]: s for s in run_unprivileged(UNREADABLE_STEPS, str(root), owner_of=shared_dir)}
    assert steps.pop("readable, not indexed yet")["audit"] == ["secret.py"], "audit sees it turn readable"
    assert list(steps) == [
        "unreadable",
        "again",
        "and again",
        "readable",
        "unreadable once more",
        "grown while unreadable",
    ]
    for name, s in steps.items():
        assert s["again"] == "", f"{name}: a detection right after the index still finds {s['again']}"
        assert s["audit"] == [[], [], []], f"{name}: audit names {s['audit']}"
        assert s["equal"], f"{name}: the index differs from a from-scratch index"
    rows: dict[str, Any] = {name: s["rows"] for name, s in steps.items()}
    status, reason, size = rows["unreadable"]["secret.py"]
    assert (status, size) == ("error", len("S = 1\n")) and reason.startswith("unreadable: PermissionError")
    assert "locked/inner.py" not in rows["unreadable"], "a directory it cannot list is left out, as by discovery"
    assert steps["unreadable"]["counts"] == [2, 0, 0, 2]
    assert steps["again"]["counts"] == [0, 0, 0, 0], "an unreadable file is not changed at every index"
    assert steps["and again"]["counts"] == [0, 0, 0, 0]
    assert steps["readable"]["counts"] == [0, 1, 0, 1] and rows["readable"]["secret.py"][0] == "ok"
    assert steps["unreadable once more"]["counts"] == [0, 1, 0, 1], "turning unreadable is a change"
    assert rows["unreadable once more"]["secret.py"][0] == "error"
    assert steps["grown while unreadable"]["counts"] == [0, 1, 0, 1]
    assert rows["grown while unreadable"]["secret.py"][2] == len("def secret():\n    return 'longer than before'\n")


# ---- contents and shapes: NUL bytes, a huge file, a deep tree, newlines and '%' in names

BIG_BYTES = 50 * 1024 * 1024
DEPTH = 300
DEEP = "/".join(["d"] * DEPTH) + "/deep.py"


def make_deep(root: Path, name: str, depth: int = DEPTH) -> None:
    """``depth`` nested directories called ``name`` with ``deep.py`` at the bottom, made by relative
    paths from inside (an absolute path may not fit PATH_MAX)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"def deep():\n    return 1\n")
        os.close(out)
    finally:
        os.close(fd)


def make_big(path: Path) -> None:
    """Real Python source past ``BIG_BYTES`` (not a sparse file of NULs: it must be "too large", not "binary")."""
    chunk = b"".join(b"def f_%07d():\n    return 1\n" % i for i in range(40_000))
    with path.open("wb") as fh:
        while fh.tell() < BIG_BYTES:
            fh.write(chunk)


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_nul_bytes_a_huge_file_a_deep_tree_and_odd_names_each_get_a_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    write(root, {"ok.py": "def ok():\n    return 1\n", "new\nline.py": "N = 1\n", "100%.py": "P = 1\n"})
    write(root, {"%2F.py": "Q = 1\n", "pkg/a%41\n%.py": "R = 1\n"})
    (root / "nul.py").write_bytes(b"def f():\n    return '\x00'\n")
    (root / "late_nul.py").write_bytes(b"x = 1\n" * 2000 + b"y = '\x00'\n")  # past git's 8 KiB sniff
    (root / "blob.py").write_bytes(bytes(range(256)) * 16)
    make_big(root / "big.py")
    make_deep(root, "d")
    url = f"sqlite:///{tmp_path / 'index.db'}"

    first = cli_json(capsys, "index", str(root), "--store", url, "--json", "--workers", "1")
    expected = {
        "ok.py": ("ok", None),
        "new\nline.py": ("ok", None),
        "100%.py": ("ok", None),
        "%252F.py": ("ok", None),
        "pkg/a%2541\n%25.py": ("ok", None),  # once one "%" is escaped, every one is
        "nul.py": ("skipped", "binary: NUL byte in the first 8 KiB"),
        "late_nul.py": ("ok", None),
        "blob.py": ("skipped", "binary: NUL byte in the first 8 KiB"),
        "big.py": ("skipped", f"too large: {(root / 'big.py').stat().st_size} bytes > limit 2097152"),
        DEEP: ("ok", None),
    }
    assert sorted(first["paths"]["added"]) == sorted(expected)
    assert {p["path"]: (p["status"], p["reason"]) for p in first["problems"]} == {
        path: want for path, want in expected.items() if want[0] != "ok"
    }
    store = open_store(url)
    try:
        rows = {r["path"]: (r["status"], r["reason"]) for r in store.export("files", repo="repo")}
        assert rows == expected
        assert [s["path"] for s in store.find_symbols("deep", repo="repo")] == [DEEP]
        assert [s["path"] for s in store.find_symbols("ok", repo="repo")] == ["ok.py"]

        again = cli_json(capsys, "index", str(root), "--store", url, "--json", "--workers", "1")
        assert (again["added"], again["changed"], again["removed"], again["analysed"]) == (0, 0, 0, 0)
        report = cli_json(capsys, "audit", str(root), "--store", url, "--json")
        assert report["fresh"] is True and report["skipped"] == [], report
        assert_matches_disk(tmp_path, root, store, "repo")
    finally:
        store.close()


def test_a_path_beyond_path_max_is_left_out_with_a_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    write(root, {"ok.py": "def ok():\n    return 1\n"})
    name = "directory_named_long"  # 300 levels of 21 bytes: past PATH_MAX (4096)
    make_deep(root, name)
    url = f"sqlite:///{tmp_path / 'index.db'}"
    first = cli_json(capsys, "index", str(root), "--store", url, "--json", "--workers", "1")
    assert first["paths"]["added"] == ["ok.py"]
    again = cli_json(capsys, "index", str(root), "--store", url, "--json", "--workers", "1")
    assert (again["added"], again["changed"], again["removed"], again["analysed"]) == (0, 0, 0, 0)
    report = cli_json(capsys, "audit", str(root), "--store", url, "--json")
    assert report["fresh"] is True
    [skipped] = report["skipped"]
    assert skipped["reason"] == "path too long for the operating system (ENAMETOOLONG)"
    assert (
        len(f"{root}/{skipped['path']}".encode())
        >= os.pathconf(root, "PC_PATH_MAX")
        > len(f"{root}/{skipped['path'].rsplit('/', 1)[0]}".encode())
    ), "the first directory too long to open is named"
    store = open_store(url)
    try:
        assert_matches_disk(tmp_path, root, store, "repo")
    finally:
        store.close()
