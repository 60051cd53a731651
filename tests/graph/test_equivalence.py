"""After any sequence of edits (an exported name changed, a function added or removed, a body
touched), adds, deletes and renames, the incrementally updated graph tables equal a from-scratch
``write_graph`` of the same tree, row for row (``run_id`` aside), on SQLite and on Postgres.

The repository mixes Python packages (re-exports, ``import *``, module and type-qualified calls),
TypeScript with a ``tsconfig.json`` path alias, JavaScript, Go (a package over several files and a
``_test.go``, a ``go.mod``), Rust (a ``Cargo.toml``, ``pub use`` re-export) and C with a header."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from resources.store.sqlbase import SqlStore
from tests.support.graph import SLOTS, START, Tree, pool

PATHS = sorted(SLOTS)


def machine(store: SqlStore) -> type[RuleBasedStateMachine]:
    class Edits(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.root = Path(tempfile.mkdtemp(prefix="thread-graph-"))
            self.tree = Tree(self.root, store, repo=f"r{uuid.uuid4().hex[:8]}")
            for path, variant in START.items():
                self.tree.put(path, pool(path)[variant])
            update = self.tree.sync()
            assert update.mode == "full"
            self.tree.assert_matches_scratch()

        @rule(
            path=st.sampled_from(PATHS),
            variant=st.integers(0, 4),
            op=st.sampled_from(["put", "put", "put", "delete", "rename"]),
            dst=st.sampled_from(PATHS),
            now=st.booleans(),
        )
        def change(self, path: str, variant: int, op: str, dst: str, now: bool) -> None:
            files = self.tree.files
            if op == "delete" and path in files and len(files) > 3:
                self.tree.delete(path)
            elif op == "rename" and path in files and dst not in files and SLOTS[dst] == SLOTS[path]:
                self.tree.rename(path, dst)
            else:
                texts = pool(path)
                self.tree.put(path, texts[variant % len(texts)])
            if now:
                self.check()

        @rule()
        def check(self) -> None:
            update = self.tree.sync()
            assert update.mode in ("incremental", "unchanged")
            self.tree.assert_matches_scratch()

        def teardown(self) -> None:
            if hasattr(self, "tree"):
                self.check()
                shutil.rmtree(self.root, ignore_errors=True)

    return Edits


PROFILES = {"quick": (15, 12), "thorough": (200, 20)}
"""(examples, steps per example): the suite runs ``quick``; ``THREAD_PROPERTY_PROFILE=thorough``
in the environment runs the long one (docs/reliability.md)."""


def test_incremental_graph_equals_from_scratch(store: SqlStore) -> None:
    examples, steps = PROFILES[os.environ.get("THREAD_PROPERTY_PROFILE", "quick")]
    run_state_machine_as_test(
        machine(store),
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
