"""Go build constraints are stored per file in every store, and what import resolution loads
back (``load_imports``) still knows which files never build."""

from __future__ import annotations

import uuid

from resources.store.rows import COLUMNS
from resources.store.sqlbase import SqlStore
from thread_assets.engine import analyze

SOURCES = {
    "gen.go": b'//go:build ignore\n\npackage main\n\nimport "fmt"\n',
    "sys_linux_amd64.go": b"// +build linux darwin\n\npackage sys\n",
    "plain_test.go": b"package sys\n",
    "main.py": b"import os\n",
}


def test_build_constraints_round_trip(store: SqlStore) -> None:
    repo = f"repo-{uuid.uuid4().hex[:8]}"
    batch = [analyze(p, s) for p, s in SOURCES.items()]
    store.write_files(repo, batch, run_id="run-1", indexed_at="2026-12-05T10:00:00Z")
    assert store.load_analyses(repo) == sorted(batch, key=lambda a: a.path)
    ignored = {a.path: a.build_ignored for a in store.load_imports(repo)}
    assert ignored == {"gen.go": True, "main.py": False, "plain_test.go": False, "sys_linux_amd64.go": False}
    rows = {r[1]: r for r in store._table_rows("files", repo, None)}
    cols = ("build_constraint", "build_ignored", "build_file_tags")
    at = [COLUMNS["files"].index(c) for c in cols]
    got = {p: tuple(r[i] for i in at) for p, r in rows.items()}
    assert got == {
        "gen.go": ("ignore", 1, None),
        "sys_linux_amd64.go": ("linux || darwin", 0, "linux amd64"),
        "plain_test.go": (None, 0, "test"),
        "main.py": (None, 0, None),
    }
