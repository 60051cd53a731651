"""One settings object, one precedence rule (flag, then environment, then default), used by every
command; the code location's module is a leaf that only Dagster loads."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.support.shop import without_thread_settings, write_repo
from thread_assets.cli import main
from thread_assets.repo.settings import STORE_DIR, RepoSettings, SettingsError, location_roots, query_store_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    without_thread_settings(monkeypatch)
    return write_repo(
        tmp_path / "shop",
        {
            "shop/__init__.py": "",
            "shop/util.py": "def add(xs):\n    return sum(xs)\n",
            "shop/orders.py": "from shop.util import add\n\ndef total(xs):\n    return add(xs)\n",
            "deploy": "#!/usr/bin/env python3\nprint('an extension-less script')\n",
        },
    )


def _files(url: str) -> list[str]:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT path FROM files"))


def test_flag_beats_environment_beats_default(repo: Path, tmp_path: Path) -> None:
    default = RepoSettings.resolve(repo, env={})
    assert default.store_url == f"sqlite:///{repo / STORE_DIR / 'index.db'}" and default.store_is_default
    assert default.cache_dir == repo / STORE_DIR / "cache" and default.dagster_home == repo / STORE_DIR / "dagster"
    assert (default.name, default.workers, default.include) == ("shop", 0, ())
    env = {
        "THREAD_STORE_URL": "sqlite:////env/index.db",
        "THREAD_CACHE_DIR": str(tmp_path / "env-cache"),
        "DAGSTER_HOME": str(tmp_path / "env-home"),
        "THREAD_WORKERS": "3",
        "THREAD_INCLUDE": "src/**, lib/**",
        "THREAD_REPO_NAME": "env-name",
    }
    from_env = RepoSettings.resolve(repo, env=env)
    assert from_env.store_url == "sqlite:////env/index.db" and not from_env.store_is_default
    assert (from_env.cache_dir, from_env.dagster_home) == (tmp_path / "env-cache", tmp_path / "env-home")
    assert (from_env.name, from_env.workers, from_env.include) == ("env-name", 3, ("src/**", "lib/**"))
    flags = RepoSettings.resolve(
        repo, env=env, store_url="sqlite:////flag.db", cache_dir="none", workers=1, include=[], repo_name="flag"
    )
    assert (flags.store_url, flags.cache_dir, flags.workers, flags.include, flags.name) == (
        "sqlite:////flag.db",
        None,
        1,
        (),
        "flag",
    )
    assert flags.memo_path is None and flags.stat_memo().path is None


def test_query_commands_use_the_same_rule_with_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert query_store_url(None, env={}) == f"sqlite:///{tmp_path.resolve() / STORE_DIR / 'index.db'}"
    assert query_store_url(None, env={"THREAD_STORE_URL": "d1://a/b"}) == "d1://a/b"
    assert query_store_url("sqlite:////x.db", env={"THREAD_STORE_URL": "d1://a/b"}) == "sqlite:////x.db"


@pytest.mark.parametrize(
    ("name", "value"),
    [("THREAD_WORKERS", "many"), ("THREAD_WORKERS", "-2"), ("THREAD_ERROR_RATIO_THRESHOLD", "high")],
)
def test_a_bad_setting_is_named(repo: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name if value != "-2" else "workers"):
        RepoSettings.resolve(repo, env={name: value})


def test_location_roots(tmp_path: Path) -> None:
    assert location_roots({"THREAD_REPO_ROOT": str(tmp_path)}) == ([tmp_path], True)
    assert location_roots({"THREAD_REPO_ROOTS": f"{tmp_path}/a:{tmp_path}/b"}) == (
        [tmp_path / "a", tmp_path / "b"],
        False,
    )
    with pytest.raises(SettingsError, match="not both"):
        location_roots({"THREAD_REPO_ROOTS": "/a:/b", "THREAD_REPO_ROOT": "/c"})


def test_thread_store_url_reaches_index_audit_and_the_query_commands(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("THREAD_STORE_URL", url)
    assert main(["index", str(repo), "--json", "--workers", "1"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["store_url"] == url
    assert _files(url) == ["deploy", "shop/__init__.py", "shop/orders.py", "shop/util.py"]
    assert not (repo / STORE_DIR / "index.db").exists(), "the default store was written although the env names one"

    assert main(["audit", str(repo), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["checked"] == 4

    monkeypatch.chdir(tmp_path)  # no index here: only the environment points at the store
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == 4
    assert main(["find", "add", "--json"]) == 0
    assert [r["path"] for r in json.loads(capsys.readouterr().out)] == ["shop/util.py"]
    assert main(["callers", "shop/util.py::add", "--json"]) == 0
    assert [r["caller"] for r in json.loads(capsys.readouterr().out)] == ["shop/orders.py::total"]

    other = tmp_path / "other.db"
    assert main(["stats", "--json", "--store", f"sqlite:///{other}"]) == 2  # the flag wins: no index there
    assert capsys.readouterr().err.startswith(f"thread: error: no index at sqlite:///{other}")
    assert not other.exists(), "a query must not create an empty database"
    sqlite3.connect(other).close()
    assert main(["stats", "--json", "--store", f"sqlite:///{other}"]) == 2
    assert "holds no Thread index" in capsys.readouterr().err


def test_thread_store_url_reaches_ui(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``thread ui`` hands the store to the webserver process it becomes: capture what it would exec."""
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("THREAD_STORE_URL", url)
    monkeypatch.setenv("THREAD_REPO_ROOTS", "/nonexistent")  # a daemon's setting: the UI of one repository drops it
    seen: dict[str, object] = {}

    def fake_execve(exe: str, argv: list[str], env: dict[str, str]) -> None:
        seen.update(exe=exe, argv=argv, env=env)
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", fake_execve)
    with pytest.raises(SystemExit):
        main(["ui", str(repo), "--port", "3999"])
    env = seen["env"]
    assert isinstance(env, dict)
    assert env["THREAD_STORE_URL"] == url and env["THREAD_REPO_ROOT"] == str(repo)
    assert env["DAGSTER_HOME"] == str(repo / STORE_DIR / "dagster") and "THREAD_REPO_ROOTS" not in env
    assert "thread_assets.definitions" in list(seen["argv"])  # type: ignore[arg-type]


def test_a_daemon_setting_does_not_break_the_cli(repo: Path, tmp_path: Path) -> None:
    """The code location reads THREAD_REPO_ROOTS; ``thread index`` never loads it."""
    env = {**os.environ, "THREAD_REPO_ROOTS": "/nonexistent", "HOME": str(tmp_path)}
    env.pop("THREAD_STORE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "thread_assets.cli", "index", str(repo), "--json", "--workers", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"] == 4


def test_a_bad_setting_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THREAD_WORKERS", "lots")
    assert main(["audit", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "THREAD_WORKERS" in err


def test_analyze_chooses_the_files_index_chooses(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(repo), "--json", "--workers", "0"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["files"] == 4 and summary["by_language"]["python"] == 4
    assert main(["analyze", str(repo / "deploy"), "--json", "--workers", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == 1


def test_the_code_location_module_is_a_leaf() -> None:
    graph = grimp.build_graph("thread_assets", "resources", "sensors", cache_dir=None)
    assert graph.find_modules_that_directly_import("thread_assets.definitions") == set()


def test_no_import_cycle_between_modules() -> None:
    import networkx as nx

    graph = grimp.build_graph("thread_assets", "resources", "sensors", cache_dir=None)
    edges = nx.DiGraph(
        [(module, imported) for module in graph.modules for imported in graph.find_modules_directly_imported_by(module)]
    )
    cycles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert cycles == []
