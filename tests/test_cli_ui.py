"""``thread ui`` is the live system a user expects: the webserver and the daemon on the
repository's instance, the file-change sensor running without a click, freshness evaluated. An
edit shows up as a new materialization, seen through the webserver's GraphQL endpoint."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERY = """{
  assetOrError(assetKey: {path: ["parse"]}) {
    ... on Asset { assetMaterializations(limit: 20) { partition runId timestamp } }
  }
  assetNodes { assetKey { path } freshnessStatusInfo { freshnessStatus } }
  runsOrError { ... on Runs { results { runId status tags { key value } } } }
  repositoriesOrError { ... on RepositoryConnection { nodes {
    sensors { name sensorState { status ticks(limit: 20) { status runIds } } }
  } } }
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class UI:
    def __init__(self, repo: Path, tmp: Path) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("THREAD_", "DAGSTER_"))}
        env |= {"THREAD_SENSOR_INTERVAL_S": "1", "FRESHNESS_DAEMON_INTERVAL_SECONDS": "2", "HOME": str(tmp)}
        self.log = tmp / "ui.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "thread_assets.cli", "ui", str(repo), "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the webserver, daemon and code servers are its children
        )

    def query(self) -> dict[str, Any]:
        body = json.dumps({"query": QUERY}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            data: dict[str, Any] = json.load(response)["data"]
            return data

    def wait_for(self, what: str, ok: Callable[[dict[str, Any]], bool], timeout_s: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        last: dict[str, Any] = {}
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"thread ui exited: {self.log.read_text()[-3000:]}"
            try:
                last = self.query()
                if ok(last):
                    return last
            except (OSError, KeyError, TypeError):
                pass
            time.sleep(0.5)
        raise AssertionError(
            f"{what}: not seen in {timeout_s} s; last answer {last}; log:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[tuple[UI, Path]]:
    repo = tmp_path / "shop"
    repo.mkdir()
    (repo / "util.py").write_text("def add(a, b):\n    return a + b\n")
    (repo / "main.py").write_text("from util import add\n\n\ndef total(xs):\n    return add(xs, 1)\n")
    server = UI(repo, tmp_path)
    try:
        yield server, repo
    finally:
        server.stop()


def _materialized(data: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [m for m in data["assetOrError"]["assetMaterializations"] if m["partition"] == path]


def _successful_sensor_runs(data: dict[str, Any]) -> set[str]:
    return {
        r["runId"]
        for r in data["runsOrError"]["results"]
        if r["status"] == "SUCCESS" and {"key": "thread/update", "value": "sensor"} in r["tags"]
    }


def test_an_edit_shows_up_in_the_ui_with_no_other_command(ui: tuple[UI, Path]) -> None:
    server, repo = ui
    first = server.wait_for(
        "the sensor's first index of the repository", lambda d: len(_successful_sensor_runs(d)) >= 1
    )
    (sensor,) = first["repositoriesOrError"]["nodes"][0]["sensors"]
    assert sensor["name"] == "thread_file_changes" and sensor["sensorState"]["status"] == "RUNNING"
    assert {m["partition"] for m in first["assetOrError"]["assetMaterializations"]} == {"util.py", "main.py"}
    before = len(_materialized(first, "util.py"))

    (repo / "util.py").write_text("def add(a, b):\n    return b + a\n")

    def edit_landed(d: dict[str, Any]) -> bool:
        found = _materialized(d, "util.py")
        return len(found) > before and found[0]["runId"] in _successful_sensor_runs(d)

    after = server.wait_for("a sensor run materializing the edited file", edit_landed)
    newest = _materialized(after, "util.py")[0]
    assert not any(m["runId"] == newest["runId"] for m in _materialized(after, "main.py")), "only the edit ran"
    ticks = after["repositoriesOrError"]["nodes"][0]["sensors"][0]["sensorState"]["ticks"]
    assert any(newest["runId"] in t["runIds"] for t in ticks), "the run came from a sensor tick"

    fresh = server.wait_for(
        "freshness evaluated",
        lambda d: any(
            a["assetKey"]["path"] == ["call_graph"]
            and (a["freshnessStatusInfo"] or {}).get("freshnessStatus") == "HEALTHY"
            for a in d["assetNodes"]
        ),
    )
    assert fresh["assetNodes"]
    assert (repo / ".thread" / "index.db").is_file() and (repo / ".thread" / "dagster" / "dagster.yaml").is_file()


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "thread_assets.cli", "ui", str(tmp_path), "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"thread: error: cannot listen on 127.0.0.1:{port}") and proc.stderr.count("\n") == 1
