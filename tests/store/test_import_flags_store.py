"""Import flags and dependency-edge flags through every store (SQLite, Postgres, D1): written,
read back into the engine's records, shown by deps, and used by cycles without type-only or
deferred edges."""

from __future__ import annotations

from resources.store.sqlbase import SqlStore
from thread_assets.engine import RepoContext, analyze, dependency_edges, find_cycles, resolve_calls, resolve_imports

FILES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n",
    "pkg/b.py": "from pkg import c\ndef f():\n    from pkg import a\n",
    "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
}
REPO = "flags"


def test_flags_round_trip_and_filter_cycles(store: SqlStore) -> None:
    analyses = [analyze(p, src.encode(), "python") for p, src in FILES.items()]
    by_path = {a.path: a for a in analyses}
    res = resolve_imports(analyses, RepoContext(files=frozenset(FILES)))
    edges = dependency_edges(res, by_path)
    store.write_files(REPO, analyses)
    store.write_graph(REPO, res, edges, find_cycles(edges), resolve_calls(by_path, res))

    loaded = {a.path: a for a in store.load_analyses(REPO)}
    assert loaded["pkg/c.py"].imports == by_path["pkg/c.py"].imports
    assert [i.deferred for i in loaded["pkg/b.py"].imports] == [False, True]
    assert [i.type_only for i in loaded["pkg/c.py"].imports] == [False, True]

    out = {r["target"]: (r["type_only"], r["deferred"]) for r in store.deps("pkg/b.py", repo=REPO, direction="out")}
    assert out == {"pkg/c.py": (False, False), "pkg/a.py": (False, True)}
    into = {r["source"]: (r["type_only"], r["deferred"]) for r in store.deps("pkg/b.py", repo=REPO, direction="in")}
    assert into == {"pkg/a.py": (False, False), "pkg/c.py": (True, False)}

    def members(**skip: bool) -> list[list[str]]:
        return [r["members"] for r in store.cycles(repo=REPO, **skip)]

    everything = ["pkg/a.py", "pkg/b.py", "pkg/c.py"]
    assert members() == [everything]
    assert members(skip_type_only=True) == [["pkg/a.py", "pkg/b.py"]]
    assert members(skip_deferred=True) == [["pkg/b.py", "pkg/c.py"]]
    assert members(skip_type_only=True, skip_deferred=True) == []
    # the filtered rows have the stored rows' shape
    stored = store.cycles(repo=REPO)
    recomputed = store.cycles(repo=REPO, skip_type_only=False, skip_deferred=False)
    assert stored == recomputed
    one = store.cycles(repo=REPO, skip_type_only=True)[0]
    assert set(one) == set(stored[0]) and one["repo"] == REPO and one["ordinal"] == 0
    assert one["cycle_path"][0] == one["cycle_path"][-1] and one["member_count"] == 2
