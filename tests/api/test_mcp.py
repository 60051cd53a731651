"""``thread mcp`` through a real MCP client session of the official SDK: the server spawned as a
subprocess over stdio, and over streamable HTTP, on the small repository of ``conftest.py``
indexed through Dagster. Every answer is checked against the store itself."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from resources.store.url import open_index
from tests.support.postgres import throwaway_database
from tests.support.shop import write_repo

from .conftest import REPO, ROOT, THREAD, free_port, index

TOOLS = {
    "find_symbol",
    "file_symbols",
    "callers",
    "callees",
    "hierarchy",
    "implementations",
    "dependencies",
    "cycles",
    "repo_map",
    "index_status",
    "analyze",
}
SENT = [
    {"path": "pkg/a.py", "content": "from pkg.b import helper\n\n\ndef run(x):\n    return helper(x)\n"},
    {"path": "pkg/b.py", "content": "def helper(x):\n    return eval(x)\n"},
]
Session = Callable[[Client], Awaitable[None]]


def stdio(store_url: str, root: Path, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=str(THREAD), args=["mcp", "--store", store_url, "--root", str(root), *extra], cwd=str(ROOT)
    )


def run(server: StdioServerParameters | Any, session: Session) -> None:
    async def main() -> None:
        with anyio.fail_after(60):
            async with Client(server) as client:
                await session(client)

    anyio.run(main)


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    answer = await client.call_tool(tool, arguments)
    assert not answer.is_error, answer.content
    body = json.loads(answer.content[0].text)  # type: ignore[union-attr]
    assert body == answer.structured_content
    return body  # type: ignore[no-any-return]


async def refused(client: Client, tool: str, **arguments: Any) -> str:
    answer = await client.call_tool(tool, arguments)
    assert answer.is_error, answer.content
    return answer.content[0].text  # type: ignore[union-attr]


async def every_page(client: Client, tool: str, limit: int, **arguments: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        body = await call(client, tool, limit=limit, offset=offset, **arguments)
        assert len(body["items"]) <= limit and body["offset"] == offset
        rows += body["items"]
        offset = body["next_offset"]
    return rows


def test_stdio_session_answers_every_tool_as_the_store_does(shop: Path, sqlite_url: str) -> None:
    with closing(open_index(sqlite_url)) as store:
        callers = store.callers("dispatch", limit=1000)
        outline = store.file_symbols("app/models.py", limit=1000)
        deps_in = store.deps("app/models.py", direction="in")

    async def session(client: Client) -> None:
        listed = (await client.list_tools()).tools
        assert {t.name for t in listed} == TOOLS
        for tool in listed:
            assert tool.description and "\n    " not in tool.description, tool.name
            assert tool.input_schema["type"] == "object"
            for name, prop in tool.input_schema["properties"].items():  # what a model reads to fill it in
                assert prop.get("description"), (tool.name, name)
            assert tool.annotations is not None and tool.annotations.read_only_hint
        find = next(t for t in listed if t.name == "find_symbol").input_schema["properties"]
        assert find["match"]["enum"] == ["exact", "prefix", "search"]
        assert "class" in json.dumps(find["kind"])

        found = await call(client, "find_symbol", name="dispatch")
        assert found["repo"] == REPO and found["next_offset"] is None
        assert [(s["id"], s["path"], s["line"]) for s in found["items"]] == [
            ("app/models.py::dispatch", "app/models.py", 19)
        ]
        prefix = await call(client, "find_symbol", name="handler_", match="prefix", kind="function", limit=5)
        assert [s["id"] for s in prefix["items"]] == [f"app/handlers.py::handler_{i:02d}" for i in range(5)]
        assert prefix["next_offset"] == 5
        searched = await call(client, "find_symbol", name="order", match="search")
        assert "app/models.py::Order" in {s["id"] for s in searched["items"]}
        only_js = await call(client, "find_symbol", name="helper", language="javascript")
        assert [s["path"] for s in only_js["items"]] == ["web/util.js"]
        missed = await call(client, "find_symbol", name="dispach")
        assert missed["items"] == [] and "dispatch" in missed["note"]

        paged = await every_page(client, "callers", 4, symbol="dispatch")
        assert [(c["path"], c["line"], c["caller"]) for c in paged] == [
            (r["path"], r["start_line"], r["caller"]) for r in callers
        ]
        assert len(paged) >= 14 and {c["target"] for c in paged} == {"app/models.py::dispatch"}
        callees = await call(client, "callees", symbol="app/models.py::Order.total")
        assert {(c["target"], c["line"]) for c in callees["items"]} >= {
            ("app/views.py::render", 12),
            ("app/models.py::dispatch", 12),
        }

        external = (await call(client, "callees", symbol="app/models.py::dispatch"))["items"]
        assert [(c["call"], c["target"], c["callee_module"], c["reason"]) for c in external] == [
            ("json.dumps", None, "json", "external")
        ]

        absolute = str(shop / "app" / "models.py")
        assert [s["id"] for s in await every_page(client, "file_symbols", 2, path=absolute)] == [
            r["global_id"] for r in outline
        ]
        importers = await call(client, "dependencies", path="app/models.py", direction="in")
        assert [(d["source"], d["direction"]) for d in importers["items"]] == [(r["source"], "in") for r in deps_in]
        assert any(
            d["external"] and d["target"] == "json"
            for d in (await call(client, "dependencies", path="app/models.py", direction="out"))["items"]
        )
        cycles = await call(client, "cycles")
        assert sorted(c["cycle"][0] for c in cycles["items"]) == ["app/models.py", "web/index.js"]

        status = await call(client, "index_status")
        assert status["fresh"] is True and status["checked"] == 15 and status["stale"]["count"] == 0

        assert "did you mean: dispatch" in await refused(client, "callers", symbol="dispach")
        assert "did you mean: app/models.py" in await refused(client, "file_symbols", path="models.py")
        assert "outside the repository" in await refused(client, "dependencies", path="../elsewhere.py")
        assert "did you mean: python" in await refused(client, "find_symbol", name="x", language="pyhton")
        assert "limit" in await refused(client, "cycles", limit=0)

    run(stdio(sqlite_url, shop), session)


QUESTIONS: list[tuple[str, dict[str, Any]]] = [
    ("find_symbol", {"name": "dispatch"}),
    ("find_symbol", {"name": "handler_", "match": "prefix", "limit": 3, "offset": 2}),
    ("find_symbol", {"name": "rend", "match": "search"}),
    ("find_symbol", {"name": "helper", "language": "go"}),
    ("file_symbols", {"path": "app/models.py"}),
    ("callers", {"symbol": "dispatch", "limit": 5, "offset": 5}),
    ("callees", {"symbol": "app/models.py::Order.total"}),
    ("dependencies", {"path": "app/views.py"}),
    ("cycles", {}),
    ("index_status", {}),
]


def test_postgres_answers_as_sqlite(shop: Path, sqlite_url: str) -> None:
    """The same tools over the same repository indexed into Postgres: the same answers."""
    answers: dict[str, list[dict[str, Any]]] = {}

    def ask(name: str) -> Session:
        async def session(client: Client) -> None:
            answers[name] = [await call(client, tool, **arguments) for tool, arguments in QUESTIONS]

        return session

    with throwaway_database("thread_mcp") as pg_url:
        index(shop, pg_url)
        run(stdio(pg_url, shop), ask("postgres"))
    run(stdio(sqlite_url, shop), ask("sqlite"))
    assert answers["postgres"] == answers["sqlite"]
    assert all(answer.get("items", True) for answer in answers["sqlite"]), answers["sqlite"]


def test_analyze_resolves_between_the_files_sent_and_stores_nothing(shop: Path, sqlite_url: str) -> None:
    with closing(open_index(sqlite_url)) as store:
        before = store.stats()

    async def session(client: Client) -> None:
        a, b = (await call(client, "analyze", files=SENT))["files"]
        assert (a["path"], a["status"], b["status"]) == ("pkg/a.py", "ok", "ok")
        assert [(s["id"], s["line"]) for s in a["symbols"]] == [("pkg/a.py::run", 4)]
        assert [(i["line"], i["target"]) for i in a["imports"]] == [(1, "pkg/b.py")]
        assert [(c["line"], c["caller"], c["target"]) for c in a["calls"]] == [(5, "pkg/a.py::run", "pkg/b.py::helper")]
        assert [m["rule"] for m in b["pattern_matches"]] == ["python-eval-exec"]
        full = (await call(client, "analyze", files=SENT[:1], detail="full"))["files"][0]
        assert full["symbols"][0]["global_id"] == "pkg/a.py::run" and "start_byte" in full["symbols"][0]
        assert full["imports"][0]["target"] is None  # pkg/b.py was not sent this time
        assert "must be relative" in await refused(client, "analyze", files=[{"path": "/abs.py", "content": ""}])
        assert "language" in await refused(client, "analyze", files=SENT, language="klingon")

    run(stdio(sqlite_url, shop), session)
    with closing(open_index(sqlite_url)) as store:
        assert store.stats() == before


def test_index_status_names_what_changed_on_disk(shop: Path, sqlite_url: str, tmp_path: Path) -> None:
    """A copy of the indexed repository and its index, then edits on disk the index never saw."""
    root = shutil.copytree(shop, tmp_path / "shop")
    db = tmp_path / "index.db"
    shutil.copyfile(sqlite_url.removeprefix("sqlite:///"), db)
    (root / "app" / "views.py").write_text("def render(order):\n    return 'changed'\n", encoding="utf-8")
    (root / "web" / "util.js").unlink()
    (root / "app" / "new.py").write_text("NEW = 1\n", encoding="utf-8")

    async def session(client: Client) -> None:
        status = await call(client, "index_status")
        assert status["fresh"] is False and status["repo"] == REPO
        assert status["stale"] == {"count": 1, "paths": ["app/views.py"]}
        assert status["missing"] == {"count": 1, "paths": ["web/util.js"]}
        assert status["unindexed"] == {"count": 1, "paths": ["app/new.py"]}
        assert "thread index" in status["note"]

    run(stdio(f"sqlite:///{db}", root), session)

    async def elsewhere(client: Client) -> None:
        status = await call(
            client,
            "index_status",
        )
        assert status["fresh"] is False and status["missing"]["count"] == status["checked"] == 15
        assert "outside the repository" in status["note"]

    (tmp_path / "other" / REPO).mkdir(parents=True)
    run(stdio(f"sqlite:///{db}", tmp_path / "other" / REPO), elsewhere)


SMALL = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n\n\ndef run():\n    return b.VALUE\n",
    "pkg/b.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg import a\n\nVALUE = 1\n",
    "pkg/c.py": "def late():\n    from pkg import d\n    return d.X\n",
    "pkg/d.py": "from pkg import c\n\nX = 1\n",
    "pkg/shapes.py": (
        "class Shape:\n    def area(self):\n        raise NotImplementedError\n\n\n"
        "class Square(Shape):\n    def area(self):\n        return 4\n\n\n"
        "class Cube(Square):\n    def area(self):\n        return 6\n"
    ),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository whose two import cycles each close through one kind of edge, a type-only
    import (a <-> b) and a deferred one (c <-> d), and a three-level class hierarchy; indexed
    through Dagster."""
    from dagster import DagsterInstance

    from thread_assets.drivers.index import index_repository

    base = tmp_path_factory.mktemp("small")
    root = write_repo(base / "small", SMALL)
    url = f"sqlite:///{base / 'index.db'}"
    with DagsterInstance.ephemeral() as instance:
        index_repository(root, store_url=url, instance=instance, repo_name="small", workers=1)
    return root, url


def test_cycles_without_type_only_or_deferred_edges(small: tuple[Path, str]) -> None:
    async def session(client: Client) -> None:
        async def heads(**flags: bool) -> list[str]:
            return [c["cycle"][0] for c in (await call(client, "cycles", **flags))["items"]]

        assert await heads() == ["pkg/a.py", "pkg/c.py"]
        assert await heads(skip_type_only=True) == ["pkg/c.py"]
        assert await heads(skip_deferred=True) == ["pkg/a.py"]
        assert await heads(skip_type_only=True, skip_deferred=True) == []

    run(stdio(small[1], small[0]), session)


def test_hierarchy_and_implementations(small: tuple[Path, str]) -> None:
    async def session(client: Client) -> None:
        around = (await call(client, "hierarchy", symbol="Square"))["items"]
        assert [(h["direction"], h["depth"], h["type"], h["target"], h["line"]) for h in around] == [
            ("ancestor", 1, "pkg/shapes.py::Square", "pkg/shapes.py::Shape", 6),
            ("descendant", 1, "pkg/shapes.py::Cube", "pkg/shapes.py::Square", 11),
        ]
        below = await call(client, "implementations", symbol="Shape", limit=1)
        assert [(i["implementation"], i["depth"]) for i in below["items"]] == [("pkg/shapes.py::Square", 1)]
        rest = await call(client, "implementations", symbol="Shape", limit=1, offset=below["next_offset"])
        assert [(i["implementation"], i["depth"]) for i in rest["items"]] == [("pkg/shapes.py::Cube", 2)]
        overrides = await call(client, "implementations", symbol="pkg/shapes.py::Shape.area")
        assert [(i["implementation"], i["line"]) for i in overrides["items"]] == [
            ("pkg/shapes.py::Square.area", 7),
            ("pkg/shapes.py::Cube.area", 12),
        ]
        assert (await call(client, "hierarchy", symbol="run"))["items"] == []  # a function: no types around it
        assert "did you mean: Square" in await refused(client, "hierarchy", symbol="Squar")

    run(stdio(small[1], small[0]), session)


@contextmanager
def http_server(store_url: str, root: Path, token: str) -> Iterator[str]:
    port = free_port()
    command = [str(THREAD), "mcp", "--store", store_url, "--root", str(root), "--http", str(port), "--token", token]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"thread mcp exited with {proc.returncode}: {proc.stdout.read().decode()}")  # type: ignore[union-attr]
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()


def test_streamable_http_needs_the_token_and_answers_like_stdio(shop: Path, sqlite_url: str) -> None:
    token = "mcp-test-token"
    with http_server(sqlite_url, shop, token) as url:
        hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        headers = {"Accept": "application/json, text/event-stream"}
        refused_401 = httpx.post(url, json=hello, headers=headers)
        assert refused_401.status_code == 401 and refused_401.headers["www-authenticate"] == "Bearer"
        wrong = httpx.post(url, json=hello, headers={**headers, "Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        rebinding = httpx.post(
            url, json=hello, headers={**headers, "Authorization": f"Bearer {token}", "Host": "evil.example"}
        )
        assert rebinding.status_code == 421  # the SDK refuses a foreign Host on loopback

        async def session(client: Client) -> None:
            assert {t.name for t in (await client.list_tools()).tools} == TOOLS
            found = await call(client, "find_symbol", name="Order", kind="class")
            assert [(s["id"], s["line"]) for s in found["items"]] == [("app/models.py::Order", 5)]
            assert (await call(client, "index_status"))["fresh"] is True

        async def main() -> None:
            with anyio.fail_after(60):
                async with create_mcp_http_client(headers={"Authorization": f"Bearer {token}"}) as http:
                    assert isinstance(http, httpx2.AsyncClient)
                    async with Client(streamable_http_client(url, http_client=http)) as client:
                        await session(client)

        anyio.run(main)


def test_no_index_is_one_line_and_nothing_starts(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(THREAD), "mcp", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("thread: error: no index at") and done.stderr.count("\n") == 1


def test_a_busy_port_is_one_line(sqlite_url: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [str(THREAD), "mcp", "--store", sqlite_url, "--http", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "in use" in done.stderr and "pick another --http" in done.stderr


@pytest.mark.parametrize("args", [["--http", "70000"], ["--root", "/nonexistent/dir"]])
def test_bad_options_are_one_line(args: list[str]) -> None:
    done = subprocess.run([str(THREAD), "mcp", *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
