"""`thread index` and `thread audit` as a user runs them: a real repository, a real SQLite store
and a persistent SQLite Dagster instance under the repository's .thread/ directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.shop import without_thread_settings, write_repo
from thread_assets.cli import main


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    without_thread_settings(monkeypatch)
    return write_repo(
        tmp_path / "shop",
        {
            "shop/__init__.py": "",
            "shop/orders.py": "from shop import util\n\ndef total(xs):\n    return util.add(xs)\n",
            "shop/util.py": "import os\n\ndef add(xs):\n    return sum(xs)\n",
            "web.ts": "export function hello(name: string): string { return `hi ${name}`; }\n",
        },
    )


def index(capsys: pytest.CaptureFixture[str], root: Path) -> dict[str, object]:
    assert main(["index", str(root), "--json", "--workers", "1"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_index_then_update_then_audit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = index(capsys, repo)
    assert (first["files"], first["added"], first["analysed"]) == (4, 4, 4)
    assert first["by_language"] == {"python": 3, "typescript": 1}
    assert (repo / ".thread" / "index.db").exists() and (repo / ".thread" / "dagster" / "dagster.yaml").exists()

    assert main(["audit", str(repo)]) == 0
    capsys.readouterr()
    (repo / "shop" / "util.py").write_text("def add(xs):\n    return sum(xs)\n")
    (repo / "web.ts").unlink()
    assert main(["audit", str(repo), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["stale"], report["missing"]) == (["shop/util.py"], ["web.ts"])

    second = index(capsys, repo)
    assert (second["changed"], second["removed"], second["unchanged"]) == (1, 1, 2)
    assert main(["audit", str(repo)]) == 0
    capsys.readouterr()
    store = f"sqlite:///{repo / '.thread' / 'index.db'}"
    callers = json.loads(_run(capsys, "callers", "shop/util.py::add", "--store", store))
    assert [c["caller"] for c in callers] == ["shop/orders.py::total"]


def test_unchanged_repository_starts_no_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index(capsys, repo)
    again = index(capsys, repo)
    assert again["analysed"] == 0 and again["runs"] == []


def test_no_change_is_answered_without_dagster(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update that finds nothing to do is decided from the store and a stat walk: Dagster's
    update path is not entered; whatever the store says is behind still goes through it."""
    import resources.store.sqlbase as sqlbase
    import thread_assets.drivers.index as driver

    first = index(capsys, repo)
    entered: list[int] = []
    real = driver.index_repository

    def spy(*args: object, **kwargs: object) -> object:
        entered.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(driver, "index_repository", spy)
    again = index(capsys, repo)
    assert entered == [] and again["analysed"] == 0 and again["runs"] == []
    assert (again["files"], again["symbols"], again["by_language"]) == (
        first["files"],
        first["symbols"],
        first["by_language"],
    )

    # the graphs built by another engine: rebuilt through Dagster, though no file changed
    with monkeypatch.context() as patch:
        patch.setattr(sqlbase.SqlStore, "graph_input", lambda self, repo, kind, path: "an older engine")
        index(capsys, repo)
    assert entered == [1]

    # a per-file commit after the last graph build (a crash between the two): through Dagster
    store = sqlbase_store(repo)
    try:
        with store._transaction() as tx:
            tx.execute("UPDATE index_state SET files_version = files_version + 1 WHERE repo = :repo", {"repo": "shop"})
    finally:
        store.close()
    repaired = index(capsys, repo)
    assert entered == [1, 1] and repaired["runs"]

    (repo / "shop" / "util.py").write_text("def add(xs):\n    return 0\n")
    changed = index(capsys, repo)
    assert entered == [1, 1, 1] and changed["changed"] == 1


def sqlbase_store(root: Path) -> Any:
    from resources.store.url import open_store

    return open_store(f"sqlite:///{root / '.thread' / 'index.db'}", apply_schema=False)


def test_index_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("thread: error: no such directory")
    (tmp_path / "f.py").write_text("")
    assert main(["index", str(tmp_path / "f.py")]) == 2
    assert main(["index", str(tmp_path), "--store", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main([*args, "--json"]) == 0
    return capsys.readouterr().out
