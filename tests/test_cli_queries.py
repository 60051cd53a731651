"""The query commands and ``thread serve`` on wrong input: no index (missing file, empty SQLite
file, empty Postgres database), unknown names, kinds, languages and files, absolute paths, limits,
bad flags, a busy port; and what they print: readable call tables, stats without raw JSON, one
representation of booleans and lists in ``--json`` and ``export``, the watch summary's count."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from resources.store.base import StoreError
from resources.store.rows import COLUMNS
from resources.store.url import open_index, open_store
from thread_assets.cli import build_parser, main
from thread_assets.cli.queries import KINDS
from thread_assets.cli.watch import BatchPrinter
from thread_assets.drivers.watch import BatchReport, WatchStats
from thread_assets.repo.changes import ChangeSet

ROOT = Path(__file__).resolve().parent.parent
THREAD = [sys.executable, "-m", "thread_assets.cli"]
QUERIES = (
    ["find", "Session"],
    ["callers", "Session"],
    ["callees", "Session"],
    ["deps", "app.py"],
    ["cycles"],
    ["stats"],
    ["export", "symbols"],
)
CALLER = "InvoiceReconciliationCoordinator.reconcile_outstanding_invoices_for_customer_account"
FILES = {
    "services/__init__.py": b"",
    "services/billing/__init__.py": b"",
    "services/billing/ledger.py": b"def compute_outstanding_balance_for_customer_account(account):\n"
    b"    return 0\n\n\ndef settle(account):\n    return compute_outstanding_balance_for_customer_account(account)\n",
    "services/billing/invoices.py": b"from services.billing import ledger\n\n\n"
    b"class InvoiceReconciliationCoordinator:\n"
    b"    @property\n    def reconcile_outstanding_invoices_for_customer_account(self, account: int = 1):\n"
    b"        return ledger.compute_outstanding_balance_for_customer_account(account)\n\n\n"
    b"def session_total():\n    return 1\n\n\ndef session_count():\n    return 2\n\n\ndef lonely():\n    return 3\n",
}


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "THREAD_STORE_URL"} | (env or {})
    return subprocess.run(
        [*THREAD, *args], cwd=cwd, env=environ, capture_output=True, text=True, check=False, timeout=60
    )


def one_line_error(stderr: str, *needles: str) -> None:
    assert stderr.startswith("thread: error: ") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, stderr


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real SQLite index of a small repository with long names (engine + store, no Dagster)."""
    from thread_assets.engine import RepoContext, analyze, dependency_edges, find_cycles, resolve_calls, resolve_imports

    analyses = [analyze(p, src) for p, src in FILES.items()]
    res = resolve_imports(analyses, RepoContext(files=frozenset(FILES)))
    edges = dependency_edges(res)
    url = f"sqlite:///{tmp_path_factory.mktemp('queries') / 'index.db'}"
    store = open_store(url)
    store.write_files("billing", analyses)
    store.write_graph("billing", res, edges, find_cycles(edges), resolve_calls(analyses, res))
    store.close()
    return url


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory, no THREAD_STORE_URL."""
    monkeypatch.delenv("THREAD_STORE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---- no index


def test_no_index_is_one_line_and_creates_nothing(bare: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in QUERIES:
        assert main(list(args)) == 2, args
        one_line_error(capsys.readouterr().err, f"no index at sqlite:///{bare}/.thread/index.db", "thread index")
        nothere = bare / "nothere.db"
        assert main([*args, "--store", f"sqlite:///{nothere}"]) == 2, args
        one_line_error(capsys.readouterr().err, "no index at")
    assert list(bare.iterdir()) == [], "a query created files"
    proc = run("find", "Session", cwd=bare)
    assert proc.returncode == 2 and proc.stdout == ""
    one_line_error(proc.stderr, "no index at")
    assert list(bare.iterdir()) == []


def test_a_database_without_tables_is_one_line(bare: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = bare / "empty.db"
    sqlite3.connect(empty).close()
    for args in QUERIES:
        assert main([*args, "--store", f"sqlite:///{empty}"]) == 2, args
        one_line_error(capsys.readouterr().err, f"sqlite:///{empty} holds no Thread index", "thread index")
    garbage = bare / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert main(["stats", "--store", f"sqlite:///{garbage}"]) == 2
    one_line_error(capsys.readouterr().err, "file is not a database")
    with pytest.raises(StoreError, match="holds no Thread index"):
        open_index(f"sqlite:///{empty}")


def test_an_empty_postgres_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.postgres import throwaway_database

    with throwaway_database("thread_cli_empty") as url:
        for args in QUERIES:
            assert main([*args, "--store", url]) == 2, args
            one_line_error(capsys.readouterr().err, "holds no Thread index", "thread index")
        store = open_store(url)  # a writer creates the tables: then it is an (empty) index
        store.close()
        assert main(["stats", "--json", "--store", url]) == 0
        assert json.loads(capsys.readouterr().out)["files"] == 0


def test_d1_without_tables_holds_no_index() -> None:
    from tests.support.miniflare import MiniflareUnavailable, local_d1

    try:
        with local_d1() as d1:
            store = d1.store()
            try:
                assert store.has_index() is False
                store.apply_schema()
                assert store.has_index() is True
                assert store.symbol_names() == []
            finally:
                store.close()
    except MiniflareUnavailable as exc:
        pytest.skip(str(exc))


def test_serve_without_an_index_does_not_start(bare: Path) -> None:
    empty = bare / "empty.db"
    sqlite3.connect(empty).close()
    for extra in ([], ["--store", f"sqlite:///{empty}"]):
        proc = run("serve", "--port", "0", *extra, cwd=bare)
        assert proc.returncode == 2, proc
        one_line_error(proc.stderr, "index")
        assert "http://" not in proc.stderr
    assert sorted(p.name for p in bare.iterdir()) == ["empty.db"]


def test_serve_on_a_busy_port_is_one_line(store_url: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run("serve", "--store", store_url, "--port", str(port))
    assert proc.returncode == 2 and proc.stdout == ""
    one_line_error(proc.stderr, f"cannot listen on 127.0.0.1:{port}", "--port")


def test_create_app_refuses_a_store_without_an_index(tmp_path: Path) -> None:
    from thread_assets.api import create_app

    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="holds no Thread index"):
        create_app(f"sqlite:///{empty}")


# ---- wrong input


def test_unknown_symbols_exit_1_with_near_names(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("find", "callers", "callees"):
        assert main([command, "settel", "--store", store_url]) == 1, command
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == "thread: no symbol named 'settel'; did you mean: settle?\n", command
        assert main([command, "settel", "--store", store_url, "--json"]) == 1
        captured = capsys.readouterr()
        assert json.loads(captured.out) == [] and "no symbol named 'settel'" in captured.err
    assert main(["find", "session_totl", "--store", store_url]) == 1
    assert "did you mean: session_total, session_count?" in capsys.readouterr().err
    assert main(["callers", "services/billing/ledger.py::setle", "--store", store_url]) == 1
    assert "did you mean: settle?" in capsys.readouterr().err
    assert main(["find", "zzzzzzzzzz", "--store", store_url]) == 1
    assert capsys.readouterr().err == "thread: no symbol named 'zzzzzzzzzz'\n"
    assert main(["find", "settle", "--kind", "class", "--store", store_url]) == 1
    assert "no class named 'settle'; found as: function (python)" in capsys.readouterr().err
    assert main(["find", "nothing_like_it", "--prefix", "--store", store_url]) == 1
    capsys.readouterr()


def test_a_known_symbol_without_callers_is_not_an_error(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["callers", "lonely", "--store", store_url]) == 0
    assert "none" in capsys.readouterr().out
    assert main(["callers", "lonely", "--store", store_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unknown_kind_and_language_list_the_valid_ones(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["find", "settle", "--kind", "klass", "--store", store_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown --kind 'klass'; did you mean: class?" in err
    assert all(kind in err for kind in KINDS)
    assert main(["find", "settle", "--lang", "pyhton", "--store", store_url]) == 2
    assert "did you mean: python" in capsys.readouterr().err
    assert main(["find", "settle", "--kind", "function", "--lang", "python", "--store", store_url, "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["settle"]
    assert main(["find", "settle", "--search", "--kind", "function", "--store", store_url]) == 2
    capsys.readouterr()


def test_deps_takes_absolute_paths_inside_the_repository(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["deps", "services/billing/invoices.py", "--store", store_url, "--json"]) == 0
    relative = json.loads(capsys.readouterr().out)
    assert relative
    for spelling in (str(tmp_path / "services/billing/invoices.py"), "./services/billing/../billing/invoices.py"):
        assert main(["deps", spelling, "--store", store_url, "--json"]) == 0, spelling
        assert json.loads(capsys.readouterr().out) == relative
    assert main(["deps", "/etc/passwd", "--store", store_url]) == 2
    one_line_error(capsys.readouterr().err, "/etc/passwd is outside the repository", "relative")
    assert main(["deps", "billing/invoices.py", "--store", store_url]) == 1
    assert capsys.readouterr().err == (
        "thread: the index holds no file 'billing/invoices.py'; did you mean: services/billing/invoices.py?\n"
    )


def test_limits_say_when_they_cut(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["find", "session_", "--prefix", "--limit", "1", "--store", store_url]) == 0
    captured = capsys.readouterr()
    assert captured.err == "thread: showing the first 1; --limit N for more\n"
    assert main(["find", "session_", "--prefix", "--limit", "2", "--store", store_url]) == 0
    assert capsys.readouterr().err == ""
    assert main(["find", "session_", "--prefix", "--limit", "1", "--store", store_url, "--json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 1 and captured.err == ""
    assert (
        main(["callers", "compute_outstanding_balance_for_customer_account", "--limit", "1", "--store", store_url]) == 0
    )
    assert "showing the first 1" in capsys.readouterr().err
    assert main(["find", "x", "--limit", "0", "--store", store_url]) == 2
    one_line_error(capsys.readouterr().err, "--limit must be 1 or more")
    parsers = {a.dest: a for p in ("find", "callers") for a in _sub(p)._actions}
    assert parsers["limit"].help and "default" in parsers["limit"].help


def _sub(name: str) -> object:
    import argparse

    (sub,) = (a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def test_a_bad_flag_shows_the_commands_usage() -> None:
    proc = run("find", "Session", "--bogus")
    assert proc.returncode == 2
    assert (
        proc.stderr.startswith("usage: thread find ")
        and "thread find: error: unrecognized arguments: --bogus" in proc.stderr
    )
    assert "{index," not in proc.stderr
    proc = run("stats", "--nope")
    assert proc.returncode == 2 and proc.stderr.startswith("usage: thread stats ")


# ---- what they print


def test_callers_table_is_readable_at_140_columns(
    store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    assert main(["callers", "compute_outstanding_balance_for_customer_account", "--store", store_url]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 140
    assert any(CALLER in line for line in out.splitlines()), out  # whole, on one line
    assert "services/billing/ledger.py::compute_outstanding_balance_for_customer_account" in out  # the title
    assert "module_qualified" in out  # how, whole
    assert main(["callees", f"services/billing/invoices.py::{CALLER}", "--store", store_url]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert any(
        "services/billing/ledger.py::compute_outstanding_balance_for_customer_account" in line
        for line in out.splitlines()
    )


def test_stats_are_tables_not_json(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", store_url]) == 0
    out = capsys.readouterr().out
    assert "{" not in out and "None" not in out
    assert "repo " not in out and "repository" not in out
    for title in ("files by language", "import resolutions", "call resolution", "parse errors"):
        assert title in out
    assert "%" in out  # ratios as percentages
    assert main(["stats", "--store", store_url, "--repo", "billing"]) == 0
    assert "repository billing" in capsys.readouterr().out


def test_export_has_one_representation(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import polars as pl

    assert main(["find", "InvoiceReconciliationCoordinator", "--store", store_url, "--json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert found["exported"] is True
    assert main(["export", "symbols", "--store", store_url]) == 0
    rows = {r["global_id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    exported = rows[found["global_id"]]
    for key, value in found.items():
        if key in exported:
            assert exported[key] == value, key
    method = rows[f"services/billing/invoices.py::{CALLER}"]
    assert method["decorators"] == ["property"] and method["parameters"][1]["name"] == "account"
    assert isinstance(method["exported"], bool)

    assert main(["export", "symbols", "--format", "csv", "--store", store_url]) == 0
    table = {r["global_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    line = table[f"services/billing/invoices.py::{CALLER}"]
    assert line["exported"] in ("true", "false") and json.loads(line["decorators"]) == ["property"]
    assert json.loads(line["parameters"]) == method["parameters"] and line["docstring"] == ""
    assert main(["export", "cycles", "--format", "csv", "--store", store_url]) == 0
    assert capsys.readouterr().out.splitlines() == [",".join(COLUMNS["cycles"])]

    out = tmp_path / "dep_edges.parquet"
    assert main(["export", "dep_edges", "--format", "parquet", "-o", str(out), "--store", store_url]) == 0
    frame = pl.read_parquet(out)
    assert frame.schema["external"] == pl.Boolean and frame.schema["names"] == pl.String
    assert json.loads(frame["names"][0]) == json.loads(frame["names"][0]) and frame.height > 0


def test_watch_summary_counts_what_it_printed(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.console import Console

    printer = BatchPrinter(Console(), as_json=False)
    printer(BatchReport(ChangeSet(), None, 0.1))  # the catch-up scan: nothing to do
    printer(BatchReport(ChangeSet(modified=["a.py"]), None, 0.2))
    printer(BatchReport(ChangeSet(), None, 0.1))  # a rescan after an ignore file changed
    printer(BatchReport(ChangeSet(added=["b.py"]), None, 0.3, error="store down", attempt=1))
    printer(BatchReport(ChangeSet(added=["b.py"]), None, 0.3))
    stats = WatchStats(batches=4, failures=1)
    lines = capsys.readouterr().out.splitlines()
    updates = [x for x in lines if "-> indexed in" in x]
    assert len(updates) == 2 and len([x for x in lines if "update failed" in x]) == 1
    assert printer.summary(stats.failures) == "stopped after 2 update(s), 1 failed attempt(s)"
