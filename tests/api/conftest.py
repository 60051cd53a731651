"""A small real multi-language repository indexed through Dagster into real stores (SQLite, a
throwaway Postgres database, a local D1 on Miniflare), and real servers over them: ``thread serve``
subprocesses on loopback, and the edge Worker on Miniflare. No mocks anywhere."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
THREAD = Path(sys.executable).parent / "thread"
TOKEN = "api-test-token"
REPO = "shop"

_MANY = "".join(f"def handler_{i:02d}(event):\n    return dispatch(event, {i})\n\n" for i in range(12))
FILES = {
    "app/__init__.py": "",
    "app/models.py": (
        'from app import views\nimport json\n\n\nclass Order:\n    """An order."""\n\n'
        "    def __init__(self, lines: list[int] | None = None) -> None:\n        self.lines = lines or []\n\n"
        "    def total(self, tax: float = 0.2) -> float:\n        return views.render(self) + dispatch(self, 1)\n\n"
        "    @property\n    def size(self):\n        return len(self.lines)\n\n\n"
        "def dispatch(event, n):\n    return json.dumps([event, n])\n"
    ),
    "app/views.py": (
        "from app import models\nfrom app.models import dispatch\n\n\n"
        "def render(order):\n    return str(order) + dispatch(order, 2)\n\n\ndef café():\n    return render(None)\n"
    ),
    "app/handlers.py": "from app.models import dispatch\n\n\n" + _MANY,
    "web/index.js": (
        "import { helper } from './util.js'\n"
        "export class Cart {\n  constructor(items) { this.items = items }\n"
        "  total() { return helper(this.items.length) }\n}\n"
        "export function main() { return new Cart([1, 2]).total() + helper(1) }\n"
    ),
    "web/util.js": "import { main } from './index.js'\nexport function helper(x) { return x + 1 }\n",
    "cmd/main.go": (
        'package main\n\nimport "fmt"\n\nfunc helper() int { return 1 }\n\nfunc main() { fmt.Println(helper()) }\n'
    ),
    "lib/ring.c": (
        '#include "ring.h"\nint ring_size(void) { return 4; }\nint ring_twice(void) { return 2 * ring_size(); }\n'
    ),
    "lib/ring.h": "int ring_size(void);\nint ring_twice(void);\n",
    "src/lib.rs": (
        "pub struct Ring { size: usize }\n\nimpl Ring {\n    pub fn new(size: usize) -> Self { Ring { size } }\n}\n"
    ),
    "docs dir/space name.py": "def spaced():\n    return 1\n",
    "ünï/cödé.py": "def ñame():\n    return 'ü'\n",
    "tab\tname.py": "def tabbed():\n    return spaced()\n",
    "100%.py": "PERCENT = 100\n",
    "a...b.py": "def dots():\n    return 1\n",
    "README.txt": "not indexed: no language\n",
}


def write_repo(root: Path) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def index(root: Path, store_url: str) -> None:
    """Through Dagster, as ``thread index`` does (ephemeral instance)."""
    from dagster import DagsterInstance

    from thread_assets.drivers.index import index_repository

    with DagsterInstance.ephemeral() as instance:
        summary = index_repository(root, store_url=store_url, instance=instance, repo_name=REPO, workers=1)
    assert summary.files == len(FILES) - 1, summary


def file_symbols_url(path: str) -> str:
    return "/api/files/" + quote(path, safe="/") + "/symbols"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(base: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {out[-3000:]}")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{base} not healthy after {timeout} s")


@contextmanager
def serve(
    store_url: str, token: str | None = None, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[str]:
    """``thread serve`` in a subprocess on a free loopback port (with ``args``); yields its base URL.
    An ``env`` value of "" removes that variable."""
    port = free_port()
    command = [str(THREAD), "serve", "--store", store_url, "--port", str(port), *args]
    if token:
        command += ["--token", token]
    environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if v != "" or k not in (env or {})}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stdout:
            proc.stdout.close()


def token_worker(into: Path, token: str | None, **bindings: str) -> Path:
    """The Worker exactly as deployed (edge/src copied byte for byte) behind an entry module that
    adds the API_TOKEN secret binding and any other string ``bindings`` (ANALYZE_ORIGIN, ...),
    which the shared Miniflare harness only takes from wrangler.toml [vars] (where a secret must
    not go). workerd refuses modules outside the script's directory, hence the copy."""
    into.mkdir(parents=True, exist_ok=True)
    for js in (ROOT / "edge" / "src").glob("*.js"):
        shutil.copyfile(js, into / js.name)
    added = {**({"API_TOKEN": token} if token else {}), **bindings}
    entry = into / "with_token.js"
    entry.write_text(
        'import worker from "./index.js";\n'
        f"const ADDED = {json.dumps(added)};\n"
        "export default {\n"
        "  fetch: (request, env, ctx) => worker.fetch(request, { ...env, ...ADDED }, ctx),\n"
        "};\n",
        encoding="utf-8",
    )
    return entry


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_repo(tmp_path_factory.mktemp("repo") / "shop")


@pytest.fixture(scope="session")
def sqlite_url(shop: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'index.db'}"
    index(shop, url)
    return url


def without_timings(value: Any) -> Any:
    """An analysis answer without ``parse_time_ms`` (a timing, different at every parse)."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k != "parse_time_ms"}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value
