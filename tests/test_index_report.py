"""What `thread index` reports: a check calibrated per language that names its files, the files
an update added, changed, removed and renamed (a rename once), and a next-step command that runs
as printed."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance

from thread_assets.cli import build_parser, main
from thread_assets.cli.index import LISTED, thread_command, ui_command
from thread_assets.drivers.index import index_repository
from thread_assets.engine import analyze
from thread_assets.engine.languages import LANGUAGES
from thread_assets.orchestration.checks import classify_parse_quality
from thread_assets.repo.settings import RepoSettings

SETUP_CFG = """\
[metadata]
name = requests
description = Python HTTP for Humans.
license_file = LICENSE
provides-extra =
    socks
    use_chardet_on_py3
requires-dist =
    certifi>=2017.4.17
    charset_normalizer>=2,<4
    idna>=2.5,<4
    urllib3>=1.21.1,<3

[options]
packages = find:
python_requires = >=3.8

[tool:pytest]
addopts = -p no:cacheprovider --doctest-modules
doctest_optionflags = NORMALIZE_WHITESPACE ELLIPSIS

[flake8]
ignore = E203, E501, W503
per-file-ignores =
    src/requests/__init__.py:E402, F401
    src/requests/compat.py:E402, F401
"""
BROKEN_PY = "def f(:\n    )))) ((( ]]] \n  x = = = 1 ;;; @@@ !!\n"
CLEAN = {
    "pkg/__init__.py": "",
    "pkg/api.py": "from pkg import util\n\n\ndef get(url):\n    return util.fetch(url)\n",
    "pkg/util.py": "def fetch(url):\n    return url\n",
    "setup.cfg": SETUP_CFG,
}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DAGSTER_HOME", "THREAD_STORE_URL", "THREAD_ERROR_RATIO_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def index_json(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> dict[str, Any]:
    assert main(["index", str(root), "--json", "--workers", "1", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def index_text(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> str:
    assert main(["index", str(root), "--quiet", "--workers", "1", *extra]) == 0
    return capsys.readouterr().out


# -- item: the parse-quality check is calibrated per language and names its files --------------


def test_the_ini_grammar_misreads_a_valid_setup_cfg() -> None:
    """The premise of the calibration: configparser reads the file, the INI grammar reads a quarter
    of it as syntax errors (multi-line values), well above the 5% threshold."""
    parser = configparser.ConfigParser()
    parser.read_string(SETUP_CFG)
    assert parser["metadata"]["requires-dist"].split() == [
        "certifi>=2017.4.17",
        "charset_normalizer>=2,<4",
        "idna>=2.5,<4",
        "urllib3>=1.21.1,<3",
    ]
    analysis = analyze("setup.cfg", SETUP_CFG.encode())
    assert analysis.language == "ini" and analysis.summary is not None
    assert analysis.summary.error_ratio > 0.15


def test_only_trusted_grammars_count() -> None:
    trusted = {name for name, info in LANGUAGES.items() if info.trusts_syntax_errors}
    assert trusted == {"python", "go", "java", "javascript", "typescript", "tsx", "rust"}
    assert "preprocessor" in LANGUAGES["c"].misread_reason and "preprocessor" in LANGUAGES["cpp"].misread_reason
    assert "known to misread valid files" in LANGUAGES["ini"].misread_reason


def test_classification_fails_on_trusted_grammars_and_parser_failures_only() -> None:
    rows: list[dict[str, Any]] = [
        {"path": "setup.cfg", "language": "ini", "status": "ok", "error_ratio": 0.28},
        {"path": "uv.h", "language": "c", "status": "ok", "error_ratio": 1.0},
        {"path": "broken.py", "language": "python", "status": "ok", "error_ratio": 0.4},
        {"path": "fine.py", "language": "python", "status": "ok", "error_ratio": 0.01},
        {"path": "hang.cob", "language": "cobol", "status": "error", "reason": "timed out", "error_ratio": None},
        {"path": "blob.bin", "language": None, "status": "skipped", "error_ratio": None},
    ]
    found = classify_parse_quality(rows, 0.05)
    assert [(e["path"], e["reason"]) for e in found.failing] == [
        ("broken.py", "syntax errors in 40.0% of the bytes (threshold 5.0%)"),
        ("hang.cob", "parser failed: timed out"),
    ]
    assert [e["path"] for e in found.not_counted] == ["setup.cfg", "uv.h"]
    assert all("; not counted: " in e["reason"] for e in found.not_counted)


def test_clean_code_with_a_valid_setup_cfg_passes_and_names_it(tmp_path: Path) -> None:
    root = write(tmp_path / "requests", CLEAN)
    with DagsterInstance.ephemeral() as instance:
        summary = index_repository(root, store_url=f"sqlite:///{tmp_path / 'i.db'}", instance=instance, workers=1)
        key = _parse_quality_key()
        execution = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
        evaluation: Any = execution.event.dagster_event.event_specific_data  # type: ignore[union-attr]
    assert summary.checks["parse:parse_quality"] is True, summary.check_problems
    assert summary.files_with_parse_errors == 1  # still recorded, just not failing the check
    [named] = summary.check_problems
    assert named["check"] == "parse:parse_quality" and named["path"] == "setup.cfg" and named["counted"] is False
    assert "not counted: the ini grammar" in str(named["reason"])
    meta = {k: v.value for k, v in evaluation.metadata.items()}
    assert meta["not_counted"] == 1 and meta["above_threshold"] == 0
    assert meta["not_counted_files"][0]["path"] == "setup.cfg"
    assert "not counted" in evaluation.description and "setup.cfg" in evaluation.description


def _parse_quality_key() -> Any:
    from thread_assets.orchestration.assets import build_assets

    _assets, (parse_quality, _disk) = build_assets()
    return parse_quality.check_key


def test_a_failing_check_names_its_files_in_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write(tmp_path / "requests", {**CLEAN, "broken.py": BROKEN_PY})
    data = index_json(capsys, root)
    assert data["checks"]["parse:parse_quality"] is False
    by_path = {p["path"]: p for p in data["check_problems"]}
    assert by_path["broken.py"]["counted"] is True and by_path["broken.py"]["check"] == "parse:parse_quality"
    assert "syntax errors in" in by_path["broken.py"]["reason"]
    assert by_path["setup.cfg"]["counted"] is False

    (root / "pkg" / "util.py").write_text("def fetch(url):\n    return str(url)\n")
    (root / "broken.py").write_text(BROKEN_PY + "# still broken\n")
    text = index_text(capsys, root)
    lines = text.splitlines()
    failing = lines.index(next(line for line in lines if "parse:parse_quality is not passing" in line))
    assert lines[failing + 1].strip().startswith("broken.py: syntax errors in")
    assert any(line.strip().startswith("setup.cfg: ") and "not counted" in line for line in lines)


# -- item: updates name their files, a rename counts once, "analysed N of M" --------------------


def test_an_update_names_its_files_and_counts_a_rename_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write(tmp_path / "shop", {**CLEAN, "pkg/old.py": "def moved():\n    return 'moved'\n", "pkg/gone.py": ""})
    first = index_json(capsys, root)
    assert (first["added"], first["files"], first["analysed"]) == (6, 6, 6)
    (root / "pkg" / "old.py").rename(root / "pkg" / "new.py")
    (root / "pkg" / "gone.py").unlink()
    (root / "pkg" / "extra.py").write_text("X = 1\n")
    (root / "pkg" / "util.py").write_text("def fetch(url):\n    return repr(url)\n")

    data = index_json(capsys, root)
    assert (data["added"], data["changed"], data["removed"], data["renamed"]) == (1, 1, 1, 1)
    assert data["paths"] == {
        "added": ["pkg/extra.py"],
        "changed": ["pkg/util.py"],
        "removed": ["pkg/gone.py"],
        "renamed": [["pkg/old.py", "pkg/new.py"]],
    }
    assert data["added"] + data["changed"] + data["renamed"] + data["unchanged"] == data["files"] == 6

    (root / "pkg" / "api.py").write_text("def get(url):\n    return url\n")
    text = index_text(capsys, root)
    assert text.splitlines()[0].startswith("shop: analysed 1 of 6 files in ")
    assert "changed (1):\n  pkg/api.py\n" in text and "added (" not in text


def test_long_lists_stop_at_twenty_in_text_and_are_whole_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = LISTED + 5
    root = write(tmp_path / "many", {f"m{i:02}.py": f"V{i} = {i}\n" for i in range(count)})
    first = index_text(capsys, root)
    assert "added (" not in first, "a first index adds every file: the count says it, no list"
    for path in root.glob("m*.py"):
        path.write_text(path.read_text() + "W = 0\n")
    text = index_text(capsys, root)
    assert f"changed ({count}):" in text and "  and 5 more (--json lists them all)" in text
    assert sum(1 for line in text.splitlines() if line.startswith("  m")) == LISTED
    for path in root.glob("m*.py"):
        path.write_text(path.read_text() + "X = 0\n")
    data = index_json(capsys, root)
    assert sorted(data["paths"]["changed"]) == sorted(f"m{i:02}.py" for i in range(count))


# -- item: the next-step command works as printed ----------------------------------------------


def test_thread_command_is_how_thread_was_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "venv bin"
    bin_dir.mkdir()
    exe = bin_dir / "thread"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert thread_command(str(exe)) == shlex.quote(str(exe))  # not on PATH: the path, quoted
    assert thread_command(".venv/bin/thread") == ".venv/bin/thread"
    monkeypatch.setenv("PATH", str(bin_dir))
    assert thread_command(str(exe)) == "thread"  # on PATH and the same file
    link_dir = tmp_path / "other"
    link_dir.mkdir()
    (link_dir / "thread").symlink_to(exe)
    assert thread_command(str(link_dir / "thread")) == "thread"  # a link to the one on PATH
    assert thread_command("/usr/lib/python3/site-packages/thread_assets/cli/__main__.py") == (
        f"{shlex.quote(sys.executable)} -m thread_assets.cli"
    )


def test_ui_command_quotes_the_path_keeps_the_store_and_hides_passwords(tmp_path: Path) -> None:
    root = tmp_path / "my repo's code"
    root.mkdir()
    env: dict[str, str] = {}
    default = RepoSettings.resolve(root, env=env)
    assert ui_command(default, "/opt/t/thread") == f"/opt/t/thread ui {shlex.quote(str(root))}"
    assert shlex.split(ui_command(default, "/opt/t/thread"))[2] == str(root)
    explicit_default = RepoSettings.resolve(root, store_url=default.store_url, env=env)
    assert "--store" not in ui_command(explicit_default, "/opt/t/thread")
    other = RepoSettings.resolve(root, store_url=f"sqlite:///{tmp_path / 'elsewhere.db'}", env=env)
    assert shlex.split(ui_command(other, "/opt/t/thread"))[3:] == ["--store", f"sqlite:///{tmp_path / 'elsewhere.db'}"]
    secret = "postgresql://me:hunter2@db.example/idx"
    typed = ui_command(RepoSettings.resolve(root, store_url=secret, env=env), "/opt/t/thread")
    assert "hunter2" not in typed and "postgresql://me:***@db.example/idx" in typed
    from_env = ui_command(RepoSettings.resolve(root, env={"THREAD_STORE_URL": secret}), "/opt/t/thread")
    assert "hunter2" not in from_env and from_env.endswith('--store "$THREAD_STORE_URL"')
    home = RepoSettings.resolve(root, env={"DAGSTER_HOME": str(tmp_path / "dh")})
    assert shlex.split(ui_command(home, "/opt/t/thread"))[0] == f"DAGSTER_HOME={tmp_path / 'dh'}"


def test_the_printed_ui_command_runs_as_printed_and_is_never_wrapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path / ("a directory with a long name, spaces and 'quotes' " * 2).strip(), CLEAN)
    store = f"sqlite:///{tmp_path / 'the index with a long name.db'}"
    exe = Path(sys.executable).parent / "thread"
    monkeypatch.setattr(sys, "argv", [str(exe), "index", str(root)])
    monkeypatch.setenv("PATH", "/nonexistent")
    text = index_text(capsys, root, "--store", store)
    [line] = [line for line in text.splitlines() if line.startswith("Dagster UI: ")]
    words = shlex.split(line.removeprefix("Dagster UI: "))
    assert len(line) > 100 and words[0] == str(exe) and os.access(words[0], os.X_OK)
    args = build_parser().parse_args(words[1:])
    assert (args.command, args.path, args.store) == ("ui", str(root), store)
    assert json.loads(json.dumps(index_json(capsys, root, "--store", store)))["ui_command"] == line.removeprefix(
        "Dagster UI: "
    )
