"""After any sequence of edits, adds, deletes, renames, reverts and duplicate copies, the
incremental index equals a from-scratch index of the same tree, row for row (provenance columns
aside) — driven through the file-change sensor and, separately, through the watch loop, on a
SQLite store and on a real Postgres store.

The repository mixes Python (a package with a re-export), JavaScript, Go (a package of two files)
and C (a header); the contents are drawn from small pools so that reverts and copies hit the
content-addressed cache, which the test also checks (a rename or copy is never parsed again)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dagster import instance_for_test
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from resources.store.url import open_store
from tests.support.incremental import dump, reused_from_cache, scratch_index, sensor_update
from tests.support.postgres import throwaway_database
from thread_assets.drivers.watch import Watcher

CONTENTS: dict[str, list[str]] = {
    "py": [
        "from pkg import helpers\n\ndef run():\n    return helpers.work(1)\n",
        "from pkg.helpers import work\n\nclass Job:\n    def go(self):\n        return work(2)\n",
        "import os\n\ndef run():\n    return os.getcwd()\n",
        "from pkg import *\n\ndef other():\n    return work(3)\n",
    ],
    "helpers": [
        "def work(x):\n    return x + 1\n",
        "def work(x):\n    return x * 2\n\ndef extra():\n    return work(0)\n",
        "def labour(x):\n    return x\n",
    ],
    "init": ["from .helpers import work\n", "", "from .helpers import *\n"],
    "js": [
        "import { helper } from './util.js'\nexport function main() { return helper(1) }\n",
        "export function helper(x) { return x + 1 }\n",
        "import * as u from './util.js'\nexport const f = () => u.helper(2)\n",
    ],
    "go": [
        "package lib\n\nfunc Add(a, b int) int { return a + b }\n",
        "package lib\n\nfunc Twice(a int) int { return Add(a, a) }\n",
        'package lib\n\nimport "fmt"\n\nfunc Show() { fmt.Println(Twice(1)) }\n',
    ],
    "c": ['#include "ring.h"\nint ring_size(void) { return 4; }\n', "int ring_size(void);\n", "int other(void);\n"],
}
SLOTS: dict[str, str] = {
    "pkg/__init__.py": "init",
    "pkg/helpers.py": "helpers",
    "pkg/app.py": "py",
    "pkg/more.py": "py",
    "top.py": "py",
    "web/index.js": "js",
    "web/util.js": "js",
    "web/extra.js": "js",
    "lib/a.go": "go",
    "lib/b.go": "go",
    "lib/c.go": "go",
    "c/ring.c": "c",
    "c/ring.h": "c",
}
START = {
    "pkg/__init__.py": 0,
    "pkg/helpers.py": 0,
    "pkg/app.py": 0,
    "web/index.js": 0,
    "web/util.js": 1,
    "lib/a.go": 0,
    "lib/b.go": 1,
    "c/ring.c": 0,
    "c/ring.h": 1,
}


class IncrementalIndex(RuleBasedStateMachine):
    """Subclasses pick the driver (sensor or watch) and the store."""

    driver = "sensor"
    store_kind = "sqlite"
    pg_url: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="thread-prop-"))
        self.root = self.tmp / "repo"
        self.root.mkdir()
        self.history: dict[str, list[str]] = {}
        self.last_reused = 0
        self.expect_reuse = False
        (self.tmp / "dagster").mkdir()
        self._instance_cm = instance_for_test(temp_dir=str(self.tmp / "dagster"))
        self.instance = self._instance_cm.__enter__()
        self.repo = f"prop-{uuid.uuid4().hex[:8]}"
        """One Postgres database per test function: each example indexes under a repository name of its own."""
        if self.store_kind == "pg":
            assert self.pg_url is not None
            self.store_url = self.pg_url
        else:
            self.store_url = f"sqlite:///{self.tmp / 'index.db'}"
        self.watcher: Watcher | None = None

    def teardown(self) -> None:
        self._instance_cm.__exit__(None, None, None)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- the tree

    def files(self) -> list[str]:
        return sorted(p for p in SLOTS if (self.root / p).exists())

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            self.history.setdefault(path, []).append(target.read_text())
        target.write_text(text)
        self.changed.add(path)

    @initialize()
    def start(self) -> None:
        self.changed: set[str] = set()
        for path, variant in START.items():
            self.write(path, CONTENTS[SLOTS[path]][variant])
        self.update()

    # ---- edits

    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(self.files()))
        self.write(path, data.draw(st.sampled_from(CONTENTS[SLOTS[path]])))

    @precondition(lambda self: len(self.files()) < len(SLOTS))
    @rule(data=st.data())
    def add(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(set(SLOTS) - set(self.files()))))
        self.write(path, data.draw(st.sampled_from(CONTENTS[SLOTS[path]])))

    @precondition(lambda self: len(self.files()) > 1)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(self.files()))
        (self.root / path).unlink()
        self.changed.add(path)

    def _free_slot_like(self, path: str) -> list[str]:
        kind = SLOTS[path]
        return sorted(p for p in SLOTS if SLOTS[p] == kind and not (self.root / p).exists())

    @precondition(lambda self: any(self._free_slot_like(p) for p in self.files()))
    @rule(data=st.data())
    def rename(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from([p for p in self.files() if self._free_slot_like(p)]))
        new = data.draw(st.sampled_from(self._free_slot_like(path)))
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        os.rename(self.root / path, self.root / new)
        self.changed |= {path, new}
        self.expect_reuse = True

    @precondition(lambda self: any(self._free_slot_like(p) for p in self.files()))
    @rule(data=st.data())
    def copy(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from([p for p in self.files() if self._free_slot_like(p)]))
        new = data.draw(st.sampled_from(self._free_slot_like(path)))
        self.write(new, (self.root / path).read_text())
        self.expect_reuse = True

    @precondition(lambda self: any(self.history.get(p) for p in self.files()))
    @rule(data=st.data())
    def revert(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from([p for p in self.files() if self.history.get(p)]))
        previous = self.history[path].pop()
        target = self.root / path
        # an edit may have written the bytes that were there: then the revert changes nothing
        self.expect_reuse |= target.read_text() != previous
        target.write_text(previous)
        self.changed.add(path)

    @rule(data=st.data())
    def touch(self, data: st.DataObject) -> None:
        """Same bytes, new mtime: re-hashed, never re-analysed."""
        path = data.draw(st.sampled_from(self.files()))
        st_ = os.stat(self.root / path)
        os.utime(self.root / path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 7))
        self.changed.add(path)

    # ---- update + compare

    def update(self) -> None:
        if self.driver == "sensor":
            result = sensor_update(self.instance, self.root, self.store_url, self.repo)
        else:
            if self.watcher is None:
                self.watcher = Watcher(self.root, store_url=self.store_url, instance=self.instance, repo_name=self.repo)
            self.watcher.note({str(self.root / p) for p in self.changed})
            report = self.watcher.flush()
            assert report is None or report.error is None, report.error
            result = report.outcome.result if report and report.outcome else None
        self.last_reused = reused_from_cache(result) if result is not None else 0
        self.changed = set()

    @invariant()
    def matches_scratch(self) -> None:
        if not hasattr(self, "changed"):
            return
        self.update()
        if self.expect_reuse:
            # a rename, copy or revert brings back content seen before: no parse for it
            assert self.last_reused >= 1
            self.expect_reuse = False
        scratch_url = f"sqlite:///{self.tmp / f'scratch-{uuid.uuid4().hex[:6]}.db'}"
        scratch = open_store(scratch_url)
        live = open_store(self.store_url)
        try:
            scratch_index(self.root, scratch, self.repo)
            expected, actual = dump(scratch, self.repo), dump(live, self.repo)
            for table in expected:
                assert actual[table] == expected[table], f"{table} differs after {self.driver} update"
        finally:
            scratch.close()
            live.close()


PROFILES = {"quick": (4, 6), "thorough": (200, 20)}
"""(examples, steps per example). The suite runs ``quick``; the thorough run is one command, with
``THREAD_PROPERTY_PROFILE=thorough`` in the environment: see docs/reliability.md."""
PROFILE = os.environ.get("THREAD_PROPERTY_PROFILE", "quick")
if PROFILE not in PROFILES:
    raise ValueError(f"THREAD_PROPERTY_PROFILE must be one of {sorted(PROFILES)}, not {PROFILE!r}")
PROPERTY_SETTINGS = settings(
    max_examples=PROFILES[PROFILE][0],
    stateful_step_count=PROFILES[PROFILE][1],
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _run(driver: str, store_kind: str, pg_url: str | None = None) -> None:
    machine: Callable[[], Any] = type(
        f"Incremental_{driver}_{store_kind}",
        (IncrementalIndex,),
        {"driver": driver, "store_kind": store_kind, "pg_url": pg_url},
    )
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(machine, settings=PROPERTY_SETTINGS)  # type: ignore[arg-type]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with throwaway_database("thread_prop") as url:
        yield url


@pytest.mark.parametrize("driver", ["sensor", "watch"])
def test_incremental_equals_scratch_sqlite(driver: str) -> None:
    _run(driver, "sqlite")


@pytest.mark.parametrize("driver", ["sensor", "watch"])
def test_incremental_equals_scratch_postgres(driver: str, pg_url: str) -> None:
    _run(driver, "pg", pg_url)
