from __future__ import annotations

import os
from pathlib import Path

import pytest

from thread_assets.discover import IgnoreRules, discover


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
