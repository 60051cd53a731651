from __future__ import annotations

import os
from pathlib import Path

import pytest

from thread_assets.repo.discover import IgnoreRules, discover


def tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def paths(root: Path, **kw: object) -> list[str]:
    return sorted(f.path for f in discover(root, **kw))  # type: ignore[arg-type]


def test_nested_gitignore_threadignore_and_negation(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            ".gitignore": "*.log\nbuild/\n",
            "a.py": "",
            "debug.log": "",
            "build/out.py": "",
            "pkg/.gitignore": "!keep.log\ngen_*.py\n",
            "pkg/keep.log": "",
            "pkg/other.log": "",
            "pkg/gen_x.py": "",
            "pkg/mod.py": "",
            "pkg/.threadignore": "secret/\n",
            "pkg/secret/s.py": "",
            ".git/config": "",
        },
    )
    assert paths(tmp_path) == [
        ".gitignore",
        "a.py",
        "pkg/.gitignore",
        "pkg/.threadignore",
        "pkg/keep.log",
        "pkg/mod.py",
    ]


def test_editor_junk_and_globs(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": "", "a.py~": "", ".a.py.swp": "", "#a.py#": "", "docs/x.md": "", "src/y.rs": ""})
    assert paths(tmp_path) == ["a.py", "docs/x.md", "src/y.rs"]
    assert paths(tmp_path, exclude=["docs/"]) == ["a.py", "src/y.rs"]
    assert paths(tmp_path, include=["*.rs"]) == ["src/y.rs"]


def test_symlinks_never_leave_the_repository(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    tree(repo, {"a.py": "x = 1\n"})
    tree(outside, {"secret.py": "", "d/z.py": ""})
    os.symlink(outside / "secret.py", repo / "leak.py")
    os.symlink(outside / "d", repo / "linkdir")
    os.symlink(repo / "a.py", repo / "alias.py")
    found = {f.path: f for f in discover(repo)}
    assert sorted(found) == ["a.py", "alias.py"]
    assert found["alias.py"].abs_path == str((repo / "a.py").resolve())


def test_stat_fields_and_errors(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": "abc"})
    (f,) = list(discover(tmp_path))
    assert f.size == 3 and f.mtime_ns > 0 and f.inode > 0
    with pytest.raises(NotADirectoryError):
        list(discover(tmp_path / "a.py"))


def test_ignore_specs_use_the_re2_backend() -> None:
    """Performance, not behaviour: with google-re2 installed (a dependency) pathspec matches all of
    a spec's patterns in one RE2 set; its pure-Python backend would cost a sensor tick ~20%."""
    rules = IgnoreRules(exclude=["*.po", "build/"])
    assert rules._exclude is not None
    assert type(rules._exclude._backend).__module__.startswith("pathspec._backends.re2")


SETTLE_S = 0.06
"""Longer than the file system's timestamp tick, so a change after it gets a new ctime."""


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Listings are remembered once SETTLE_S old (instead of 2 s); returns the directories listed
    from disk, walk after walk (the others came from the memo)."""
    from thread_assets.repo import discover as module

    monkeypatch.setattr(module, "RACY_S", SETTLE_S / 2)
    listed: list[str] = []
    original = module._ListingMemo._list

    def spy(self: object, root: Path, path: str, rel_dir: str) -> object:
        listed.append(rel_dir)
        return original(self, root, path, rel_dir)  # type: ignore[arg-type]

    monkeypatch.setattr(module._ListingMemo, "_list", spy)
    return listed


def _settle() -> None:
    import time

    time.sleep(SETTLE_S)


def _stats(root: Path) -> dict[str, tuple[int, int]]:
    return {f.path: (f.size, f.mtime_ns) for f in discover(root)}


def test_remembered_listings_follow_every_change(tmp_path: Path, remembered: list[str]) -> None:
    tree(tmp_path, {".gitignore": "*.log\n", "a.py": "1", "pkg/b.py": "2", "pkg/sub/c.py": "3", "x.log": ""})
    _settle()
    first = _stats(tmp_path)
    assert sorted(first) == [".gitignore", "a.py", "pkg/b.py", "pkg/sub/c.py"]
    remembered.clear()
    assert _stats(tmp_path) == first and remembered == [], "an unchanged tree is not listed again"

    (tmp_path / "pkg/b.py").write_text("changed, longer")  # in place: the directory is unchanged
    assert _stats(tmp_path)["pkg/b.py"][0] == len("changed, longer") and remembered == []
    _settle()
    (tmp_path / "pkg/new.py").write_text("4")
    (tmp_path / "pkg/sub/c.py").rename(tmp_path / "pkg/sub/d.py")
    (tmp_path / "a.py").unlink()
    (tmp_path / "pkg/deeper/more").mkdir(parents=True)
    (tmp_path / "pkg/deeper/more/e.py").write_text("5")
    got = sorted(_stats(tmp_path))
    assert got == [".gitignore", "pkg/b.py", "pkg/deeper/more/e.py", "pkg/new.py", "pkg/sub/d.py"]
    assert sorted(remembered) == ["", "pkg", "pkg/deeper", "pkg/deeper/more", "pkg/sub"]
    assert got == sorted(f.path for f in _fresh_walk(tmp_path))


def test_an_ignore_file_change_forgets_the_remembered_verdicts(tmp_path: Path, remembered: list[str]) -> None:
    tree(tmp_path, {"a.py": "", "pkg/b.py": "", "pkg/gen.py": "", "pkg/sub/c.log": "", "pkg/sub/keep.py": ""})
    everything = ["a.py", "pkg/b.py", "pkg/gen.py", "pkg/sub/c.log", "pkg/sub/keep.py"]

    def settled() -> list[str]:
        _settle()
        return paths(tmp_path)  # lists what changed, and remembers it

    assert settled() == everything
    (tmp_path / "pkg/.gitignore").write_text("*.log\n")  # appears above a remembered directory
    assert paths(tmp_path) == ["a.py", "pkg/.gitignore", "pkg/b.py", "pkg/gen.py", "pkg/sub/keep.py"]
    settled()
    remembered.clear()
    (tmp_path / "pkg/.gitignore").write_text("gen.py\n")  # edited in place: no directory changes
    assert paths(tmp_path) == ["a.py", "pkg/.gitignore", "pkg/b.py", "pkg/sub/c.log", "pkg/sub/keep.py"]
    assert remembered, "the memo was dropped"
    settled()
    (tmp_path / ".threadignore").write_text("b.py\n")
    assert paths(tmp_path) == [".threadignore", "a.py", "pkg/.gitignore", "pkg/sub/c.log", "pkg/sub/keep.py"]
    settled()
    (tmp_path / ".threadignore").unlink()
    (tmp_path / "pkg/.gitignore").unlink()
    assert paths(tmp_path) == everything


def test_a_restored_directory_mtime_does_not_hide_a_new_file(tmp_path: Path, remembered: list[str]) -> None:
    """tar and rsync -t put a directory's mtime back after writing into it; its ctime still moves."""
    tree(tmp_path, {"pkg/a.py": ""})
    _settle()
    assert paths(tmp_path) == ["pkg/a.py"]
    before = os.stat(tmp_path / "pkg")
    _settle()
    (tmp_path / "pkg/b.py").write_text("")
    os.utime(tmp_path / "pkg", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(tmp_path / "pkg").st_mtime_ns == before.st_mtime_ns
    assert paths(tmp_path) == ["pkg/a.py", "pkg/b.py"]


def test_recent_directories_are_always_listed_again(tmp_path: Path) -> None:
    """With the default racy window a tree made just now is never remembered: a change within the
    same timestamp tick as the listing cannot be missed."""
    from thread_assets.repo import discover as module

    tree(tmp_path, {"a.py": ""})
    assert paths(tmp_path) == ["a.py"]
    (tmp_path / "b.py").write_text("")  # likely within the same tick as the listing above
    assert paths(tmp_path) == ["a.py", "b.py"]
    memo = module._MEMOS[(str(tmp_path.resolve()), (), ())]
    assert memo.listings == {}


def _fresh_walk(root: Path) -> list[object]:
    from thread_assets.repo import discover as module

    module._MEMOS.clear()
    return list(discover(root))
