"""How long the Dagster UI takes to show an asset's partitions, timed at the GraphQL request.

The Partitions tab of an asset page (and the partition bar on its overview) is filled by one
request, ``PartitionHealthQuery``: every partition key and the materialized, materializing and
failed ones. The query below is the one dagster-webserver 1.13's bundled UI sends (found in
``dagster_webserver/webapp/build/_next/static/chunks/*.js``), sent the way the UI sends it.
``thread ui`` is started on the indexed copy exactly as a user starts it (webserver, daemon, code
server), the clock starts when the command does, and the UI counts as ready once its GraphQL
endpoint knows the asset. Then the query is timed twice: the first answer (nothing cached in the
webserver yet) and the second.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PARTITION_HEALTH = """
query PartitionHealthQuery($assetKey: AssetKeyInput!) {
  assetNodeOrError(assetKey: $assetKey) {
    ... on AssetNode {
      id
      partitionKeysByDimension { name type partitionKeys }
      assetPartitionStatuses {
        ... on TimePartitionStatuses { ranges { status startTime endTime startKey endKey } }
        ... on DefaultPartitionStatuses { materializedPartitions materializingPartitions failedPartitions }
        ... on MultiPartitionStatuses {
          primaryDimensionName
          ranges {
            primaryDimStartKey primaryDimEndKey primaryDimStartTime primaryDimEndTime
            secondaryDim {
              ... on TimePartitionStatuses { ranges { status startTime endTime startKey endKey } }
              ... on DefaultPartitionStatuses { materializedPartitions materializingPartitions failedPartitions }
            }
          }
        }
      }
    }
  }
}
"""
KNOWN = "query AssetKnown($assetKey: AssetKeyInput!) { assetNodeOrError(assetKey: $assetKey) { __typename } }"
LOCATIONS = """
query Locations { workspaceOrError { ... on Workspace { locationEntries {
  name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }
"""


@dataclass(frozen=True)
class UiTiming:
    ready_s: float | None
    """From ``thread ui`` starting to its GraphQL endpoint knowing the asset."""
    first_s: float | None
    second_s: float | None
    keys: int
    materialized: int
    error: str | None

    @property
    def answered(self) -> bool:
        return self.error is None and self.keys > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def graphql(port: int, query: str, variables: dict[str, Any], timeout: float) -> dict[str, Any]:
    name = query.split("(")[0].split()[-1]
    body = json.dumps({"operationName": name, "query": query, "variables": variables}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        answer: dict[str, Any] = json.load(resp)
    return answer


def _wait_known(port: int, key: dict[str, Any], proc: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"thread ui exited {proc.returncode} before answering")
        try:
            node = graphql(port, KNOWN, {"assetKey": key}, timeout=30)["data"]["assetNodeOrError"]
            if node["__typename"] == "AssetNode":
                return
            entries = graphql(port, LOCATIONS, {}, timeout=30)["data"]["workspaceOrError"]["locationEntries"]
        except (OSError, urllib.error.URLError, KeyError, TypeError, ValueError):
            entries = []  # not listening yet
        for entry in entries:
            loaded = entry["locationOrLoadError"] or {}
            if loaded.get("__typename") == "PythonError":
                raise RuntimeError(f"code location {entry['name']} failed to load: {loaded['message'][-1500:]}")
        time.sleep(0.25)
    raise TimeoutError("thread ui did not know the asset in time")


def _counts(answer: dict[str, Any]) -> tuple[int, int]:
    node = answer["data"]["assetNodeOrError"]
    keys = sum(len(d["partitionKeys"]) for d in node["partitionKeysByDimension"])
    return keys, len(node["assetPartitionStatuses"].get("materializedPartitions") or [])


def time_partitions(copy: Path, env: dict[str, str], asset: str = "parse", timeout_s: float = 900) -> UiTiming:
    """Start ``thread ui`` on an indexed copy, time the partition query, stop the UI (its whole
    process group: webserver, daemon and code server)."""
    port = _free_port()
    exe = Path(sys.executable).with_name("thread")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "thread_assets.cli"]
    cmd += ["ui", str(copy), "--port", str(port)]
    key = {"path": [asset]}
    ready = first = second = None
    keys = materialized = 0
    error = None
    with tempfile.TemporaryFile() as log:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=copy, env=env, stdout=log, stderr=log, start_new_session=True)
        try:
            _wait_known(port, key, proc, t0 + timeout_s)
            ready = time.monotonic() - t0
            for attempt in range(2):
                t1 = time.monotonic()
                answer = graphql(port, PARTITION_HEALTH, {"assetKey": key}, timeout=timeout_s)
                took = time.monotonic() - t1
                if attempt == 0:
                    first = took
                else:
                    second = took
                if answer.get("errors"):
                    raise RuntimeError(json.dumps(answer["errors"])[:500])
                keys, materialized = _counts(answer)
        except (OSError, RuntimeError, KeyError, TypeError, ValueError) as exc:
            log.seek(0)
            error = f"{type(exc).__name__}: {exc}; ui log: {log.read().decode(errors='replace')[-1500:]}"
        finally:
            _stop(proc)
    return UiTiming(ready, first, second, keys, materialized, error)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the UI's process group (dagster dev stops its children on it); whatever of the
    group is still there 30 s later gets SIGKILL."""
    group = proc.pid  # start_new_session: the group's id is the leader's pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        proc.poll()
        try:
            os.killpg(group, 0)  # anyone of the group left?
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    proc.wait(10)
