"""``thread audit`` names what discovery passed over (a FIFO, a dangling symlink, one pointing
outside the repository, to a directory or in a loop, a directory it cannot list), with the reason:
an index can be fresh and still miss files the user expects in it. A real repository, a real
SQLite store, and for the unreadable directory a child process that permissions bind."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from resources.store.url import open_store
from tests.support.shop import without_thread_settings, write_repo
from tests.support.unprivileged import run_unprivileged, shared_directory
from thread_assets.cli import main
from thread_assets.repo.audit import Skipped, audit

SKIPPED = [
    {"path": "gone.py", "reason": "dangling symlink"},
    {"path": "lib/linked", "reason": "symlink to a directory (not followed)"},
    {"path": "loop.py", "reason": "symlink loop"},
    {"path": "out.py", "reason": "symlink to outside the repository"},
    {"path": "pipe.py", "reason": "not a regular file (a FIFO)"},
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    without_thread_settings(monkeypatch)
    root = write_repo(tmp_path / "repo", {"lib/real.py": "def real():\n    return 1\n", ".gitignore": "*.fifo\n"})
    (tmp_path / "outside.py").write_text("def outside():\n    return 2\n")
    os.mkfifo(root / "pipe.py")
    os.mkfifo(root / "ignored.fifo")  # an ignore rule hides it: not worth a mention
    (root / "gone.py").symlink_to("nowhere.py")
    (root / "out.py").symlink_to(tmp_path / "outside.py")
    (root / "loop.py").symlink_to("loop.py")
    (root / "lib" / "linked").symlink_to(root / "lib")
    (root / "alias.py").symlink_to("lib/real.py")  # a link to a file inside: indexed, not skipped
    return root


def test_audit_lists_what_discovery_skipped_with_the_reason(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(repo), "--json", "--workers", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == 3  # .gitignore, alias.py, lib/real.py

    assert main(["audit", str(repo), "--json"]) == 0  # skipped files do not make the index stale
    report = json.loads(capsys.readouterr().out)
    assert report["fresh"] is True and report["skipped"] == SKIPPED

    assert main(["audit", str(repo)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("fresh: all 3 indexed files match the disk")
    assert "5 skipped: " in text
    for entry in SKIPPED:
        assert f"{entry['path']} ({entry['reason']})" in text.replace("\n", ""), entry
    assert "ignored.fifo" not in text


def test_the_asset_check_path_does_not_list_skipped_files(repo: Path) -> None:
    store = open_store(f"sqlite:///{repo.parent / 'index.db'}")
    try:
        assert audit(repo, store, "repo").skipped == []
        asked = audit(repo, store, "repo", list_skipped=True).skipped
        assert asked == [Skipped(**entry) for entry in SKIPPED]
    finally:
        store.close()


AUDIT_AS_USER = r"""
import json, sys
from pathlib import Path
from resources.store.url import open_store
from thread_assets.repo.audit import audit

root = Path(sys.argv[1])
store = open_store("sqlite:///:memory:")
result = audit(root, store, "r", list_skipped=True)
print(json.dumps({"skipped": [[s.path, s.reason] for s in result.skipped], "unindexed": result.unindexed}))
"""


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    with shared_directory() as base:
        yield base


def test_an_unreadable_directory_is_listed(shared_dir: Path) -> None:
    """As root, mode bits stop nothing: the audit runs as an unprivileged user (``setpriv``)."""
    root = shared_dir / "repo"
    (root / "locked" / "inner").mkdir(parents=True)
    (root / "locked" / "inner" / "hidden.py").write_text("x = 1\n")
    (root / "open.py").write_text("y = 2\n")
    (root / "locked").chmod(0o000)
    [record] = run_unprivileged(AUDIT_AS_USER, str(root), owner_of=shared_dir)
    assert record == {
        "skipped": [["locked", "directory not readable (permission denied)"]],
        "unindexed": ["open.py"],
    }
