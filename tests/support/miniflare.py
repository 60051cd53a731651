"""A real local Cloudflare D1 for tests: Miniflare (``edge/dev/miniflare.mjs``) with the D1 REST
shim on one port and the API Worker (``edge/src/index.js``, when it exists) on another, both bound
to the same D1 database. Never a mock: workerd runs D1's own code over SQLite.

    with local_d1() as d1:
        store = d1.store()                      # a D1Store on it, or open_store(d1.d1_url) with d1.env
        httpx.get(d1.api_url + "/...")           # the API Worker reads what the store wrote

``npm ci --prefix edge`` runs only when ``edge/node_modules`` is missing (scripts/test.sh does it
up front). Without node/npm the caller gets :class:`MiniflareUnavailable` (fixtures skip on it).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
EDGE = ROOT / "edge"
LAUNCHER = EDGE / "dev" / "miniflare.mjs"
START_TIMEOUT = float(os.environ.get("THREAD_MINIFLARE_TIMEOUT", "60"))


class MiniflareUnavailable(RuntimeError):
    """node or npm is missing: D1 tests cannot run here (they skip, saying so)."""


@dataclass(frozen=True)
class LocalD1:
    rest_base: str
    """The REST API base, e.g. ``http://127.0.0.1:PORT/client/v4`` (stands for Cloudflare's)."""
    api_url: str | None
    """The API Worker's URL, or None when ``edge/src/index.js`` does not exist."""
    token: str
    account: str
    database: str
    pid: int

    @property
    def d1_url(self) -> str:
        return f"d1://{self.account}/{self.database}"

    @property
    def env(self) -> dict[str, str]:
        """What ``open_store(d1_url)`` reads to reach this D1."""
        return {"THREAD_D1_TOKEN": self.token, "THREAD_D1_API_BASE": self.rest_base}

    def store(self, **kwargs: Any) -> Any:
        from resources.store.d1 import D1Store

        return D1Store(self.account, self.database, self.token, api_base=self.rest_base, **kwargs)


def ensure_node_modules() -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise MiniflareUnavailable("node and npm are needed for the local D1 (Miniflare); not found on PATH")
    if (EDGE / "node_modules" / "miniflare").is_dir():
        return
    done = subprocess.run(
        [npm, "ci", "--prefix", str(EDGE), "--no-audit", "--no-fund", "--loglevel=error"],
        capture_output=True,
        text=True,
        env={**os.environ, "WRANGLER_SEND_METRICS": "false"},
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"npm ci --prefix edge failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _drain(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line)


@contextmanager
def local_d1(
    *,
    persist: Path | None = None,
    api_port: int = 0,
    port: int = 0,
    api_script: Path | None = None,
    api_token: str | None = None,
) -> Iterator[LocalD1]:
    """Start Miniflare, wait for its ready line, yield where it listens; kill its process group after.

    ``persist``: keep the D1 database in that directory (default: in memory, gone at exit);
    ``api_script``: the API Worker to mount instead of ``edge/src/index.js``; ``api_token``: its
    ``API_TOKEN`` secret (none: the API Worker asks for no token)."""
    ensure_node_modules()
    token = "local-" + secrets.token_hex(16)
    account = uuid.uuid4().hex  # 32 hex digits, like a Cloudflare account id
    database = str(uuid.uuid4())
    command = [
        shutil.which("node") or "node",
        str(LAUNCHER),
        "--port",
        str(port),
        "--api-port",
        str(api_port),
        "--account",
        account,
        "--database",
        database,
    ]
    if persist is not None:
        command += ["--persist", str(persist)]
    if api_script is not None:
        command += ["--api-script", str(api_script)]
    proc = subprocess.Popen(
        command,
        cwd=EDGE,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if k != "THREAD_API_TOKEN"},
            "THREAD_D1_TOKEN": token,
            "WRANGLER_SEND_METRICS": "false",
            **({"THREAD_API_TOKEN": api_token} if api_token else {}),
        },
        start_new_session=True,  # its own process group: workerd children die with it
    )
    assert proc.stdout is not None and proc.stderr is not None
    stderr: list[str] = []
    threading.Thread(target=_drain, args=(proc.stderr, stderr), daemon=True).start()
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        reader.join(START_TIMEOUT)
        line = ready[0] if ready else ""
        if not line.strip():
            try:  # stdout closed: the launcher is exiting; else it is still not ready
                code: int | None = proc.wait(5) if ready else proc.poll()
            except subprocess.TimeoutExpired:
                code = None
            state = f"exited with {code}" if code is not None else f"not ready after {START_TIMEOUT:.0f} s"
            time.sleep(0.2)  # the last of stderr
            raise RuntimeError(f"Miniflare (edge/dev/miniflare.mjs) {state}; stderr:\n{''.join(stderr)[-4000:]}")
        info = json.loads(line)
        yield LocalD1(
            rest_base=info["rest_base"].rstrip("/"),
            api_url=info.get("api_url"),
            token=token,
            account=account,
            database=database,
            pid=proc.pid,
        )
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM to the launcher (it disposes Miniflare, which stops and reaps workerd), then
    SIGKILL to the whole process group for anything still there."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            proc.terminate()
        with suppress(subprocess.TimeoutExpired):
            proc.wait(5)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(5)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


if __name__ == "__main__":  # python tests/support/miniflare.py: a local D1 until Ctrl-C
    with local_d1(persist=EDGE / ".d1") as d1:
        print(json.dumps({**d1.__dict__, "d1_url": d1.d1_url, "env": d1.env}), flush=True)
        with suppress(KeyboardInterrupt):
            signal.pause()
