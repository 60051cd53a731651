"""``thread watch`` on trees that fight back: symlinks out of the tree and into loops, symlinked
files inside it, names that are not UTF-8, directories it may not read. The watcher keeps going,
watches nothing outside the repository, and after every step the index equals a from-scratch
index of the tree (the real loop: watchfiles events, Dagster runs, a SQLite store)."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance

from resources.store.base import Store
from resources.store.url import open_store
from tests.dagster.test_watch import Live, assert_equals_scratch
from tests.support.shop import write_repo
from tests.support.unprivileged import IN_PROCESS, run_unprivileged, shared_directory
from thread_assets.repo.discover import directories

BAD = os.fsdecode(b"bad\xffname.py")


def inotify_watches() -> int:
    """Inotify watches this process holds (``/proc/self/fdinfo`` lists one line per watch)."""
    count = 0
    for info in glob.glob(f"/proc/{os.getpid()}/fdinfo/*"):
        try:
            with open(info) as fh:
                count += sum(1 for line in fh if line.startswith("inotify wd:"))
        except OSError:
            continue
    return count


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    with shared_directory() as base:
        yield base


@pytest.fixture
def dagster_instance() -> Iterator[DagsterInstance]:
    with DagsterInstance.ephemeral() as inst:
        yield inst


@pytest.fixture
def live_store(tmp_path: Path, dagster_instance: DagsterInstance) -> Iterator[tuple[Path, Live, Store]]:
    """The shop repository with symlinks out of it (``/usr``, its parent) and loops, watched."""
    shop = write_repo(tmp_path / "shop")
    os.symlink("/usr", shop / "usr")
    os.symlink("..", shop / "up")
    os.symlink(".", shop / "app/again")  # a loop: app/again/again/...
    os.symlink("self.py", shop / "self.py")  # resolves to itself
    url = f"sqlite:///{tmp_path / 'index.db'}"
    before = inotify_watches()
    live = Live(shop, url, dagster_instance).start()
    store = open_store(url)
    try:
        watching = inotify_watches() - before
        assert watching <= len(directories(shop)), f"{watching} watches for {len(directories(shop))} directories"
        yield shop, live, store
    finally:
        store.close()
        live.stop()  # raises if the loop died
    assert live.watcher.stats.failures == 0


def follow(tmp_path: Path, live: Live, store: Store, action: object) -> None:
    since = len(live.reports)
    action()  # type: ignore[operator]
    live.settle(store, since)
    assert_equals_scratch(tmp_path, live.root, store, "shop")


def test_symlinks_inside_are_kept_fresh_and_links_out_or_in_loops_are_never_followed(
    tmp_path: Path, live_store: tuple[Path, Live, Store]
) -> None:
    shop, live, store = live_store
    assert_equals_scratch(tmp_path, shop, store, "shop")
    assert not any(p.startswith(("usr/", "up/", "app/again/")) for p in store.file_states("shop"))

    # a symlinked file inside the tree is indexed under its own path, with its target's bytes
    follow(tmp_path, live, store, lambda: os.symlink("views.py", shop / "app/alias.py"))
    assert "app/alias.py" in store.file_states("shop")
    # the events name the target only: the link must follow it
    follow(tmp_path, live, store, lambda: (shop / "app/views.py").write_text("def render(o):\n    return 2\n"))
    states = store.file_states("shop")
    assert states["app/alias.py"].content_hash == states["app/views.py"].content_hash
    # another link through the first one, then the first one pointed elsewhere
    follow(tmp_path, live, store, lambda: os.symlink("app/alias.py", shop / "chain.py"))
    follow(tmp_path, live, store, lambda: relink(shop / "app/alias.py", "models.py"))
    states = store.file_states("shop")
    assert states["chain.py"].content_hash == states["app/models.py"].content_hash

    # loops created while watching, and a link to a directory out of the tree that then changes
    outside = tmp_path / "outside"
    outside.mkdir()

    def loops_and_links_out() -> None:
        os.symlink("ping", shop / "pong")
        os.symlink("pong", shop / "ping")
        os.symlink("lib", shop / "lib/lib")
        os.symlink(outside, shop / "ext")
        (outside / "x.py").write_text("X = 1\n")
        (shop / "lib/ring.h").write_text("int ring_size(void);\nint ring_cap(void);\n")

    follow(tmp_path, live, store, loops_and_links_out)
    assert not any(p.startswith("ext/") for p in store.file_states("shop"))

    # the target goes: so does the link; the link goes: its row goes
    follow(tmp_path, live, store, lambda: (shop / "app/models.py").unlink())
    assert "chain.py" not in store.file_states("shop")
    follow(tmp_path, live, store, lambda: (shop / "app/alias.py").unlink())
    assert "app/alias.py" not in store.file_states("shop")


def relink(link: Path, target: str) -> None:
    tmp = link.with_name(link.name + ".new~")
    os.symlink(target, tmp)
    os.replace(tmp, link)


def test_watch_keeps_going_past_names_that_are_not_utf8(tmp_path: Path, live_store: tuple[Path, Live, Store]) -> None:
    shop, live, store = live_store
    follow(tmp_path, live, store, lambda: (shop / BAD).write_text("def g():\n    return 1\n"))
    assert "bad%FFname.py" in store.file_states("shop")
    follow(tmp_path, live, store, lambda: (shop / BAD).write_text("def g():\n    return 2\n"))
    follow(tmp_path, live, store, lambda: write_repo(shop / os.fsdecode(b"dir\xfe"), {"mod.py": "M = 1\n"}))
    assert "dir%FE/mod.py" in store.file_states("shop")
    follow(tmp_path, live, store, lambda: (shop / "app/views.py").write_text("def render(o):\n    return 3\n"))
    follow(tmp_path, live, store, lambda: (shop / BAD).unlink())
    assert "bad%FFname.py" not in store.file_states("shop")


UNPRIVILEGED_WATCH = (
    IN_PROCESS
    + r"""
import json, os, sys, traceback
from pathlib import Path
from dagster import DagsterInstance
from resources.store.url import open_store
from tests.dagster.test_watch import Live, assert_equals_scratch

base = Path(sys.argv[1])
shop = base / "shop"
url = f"sqlite:///{base / 'index.db'}"
out = {"steps": []}
with DagsterInstance.ephemeral() as instance:
    live = Live(shop, url, instance)
    try:
        live.start()
        store = open_store(url)

        def follow(name, action):
            since = len(live.reports)
            action()
            live.settle(store, since)
            assert_equals_scratch(base, shop, store, "shop")
            out["steps"].append(name)

        follow("edit", lambda: (shop / "app/views.py").write_text("def render(o):\n    return 4\n"))

        def locked_late():
            (shop / "late").mkdir()
            (shop / "late/hidden.py").write_text("H = 1\n")
            (shop / "late").chmod(0)
            (shop / "lib/ring.h").write_text("int ring_size(void);\n/* late */\n")

        follow("a directory turns unreadable", locked_late)
        follow("a directory turns readable", lambda: (shop / "locked").chmod(0o755))
        out["paths"] = sorted(store.file_states("shop"))
        store.close()
    except BaseException:
        out["error"] = traceback.format_exc()
    finally:
        live.watcher.stop()
        live.thread.join(10)
        if live.error is not None:
            out["loop_error"] = repr(live.error)
        out["failures"] = live.watcher.stats.failures
print(json.dumps(out), flush=True)
"""
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="permissions and /etc as on Linux")
def test_watch_survives_directories_it_may_not_read_and_links_to_system_directories(shared_dir: Path) -> None:
    """As an unprivileged user (root reads everything): a directory with mode 000 present at
    start, a symlink to ``/etc`` (whose unreadable directories killed the recursive watch), one
    turning unreadable and one turning readable while watching."""
    shop = write_repo(shared_dir / "shop")
    write_repo(shop / "locked", {"inner.py": "I = 1\n"})
    os.symlink("/etc", shop / "etc")
    (shop / "locked").chmod(0)
    (result,) = run_unprivileged(UNPRIVILEGED_WATCH, str(shared_dir), owner_of=shared_dir)
    assert "error" not in result, result["error"]
    assert "loop_error" not in result, result["loop_error"]
    assert result["steps"] == ["edit", "a directory turns unreadable", "a directory turns readable"]
    assert "locked/inner.py" in result["paths"] and "late/hidden.py" not in result["paths"]
    assert not any(p.startswith("etc/") for p in result["paths"])
    assert result["failures"] == 0
