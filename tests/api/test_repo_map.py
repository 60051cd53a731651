"""The repository map on every surface: ``GET /api/map`` from ``thread serve`` over SQLite and over
Postgres (the same repository indexed into each through Dagster, so ``repo_rank`` stored its plan),
``thread map`` and the MCP tool ``repo_map``, all giving the same map, within the budget as the real
tokenizer counts it. The edge Worker's answers are in the three-way contract test."""

from __future__ import annotations

import json
import subprocess
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from tests.support.postgres import throwaway_database
from thread_assets.engine.tokens import count_tokens

from .conftest import REPO, ROOT, THREAD, index, serve
from .test_mcp import call, refused, run, stdio


@pytest.fixture(scope="module")
def servers(shop: Path, sqlite_url: str) -> Any:
    with ExitStack() as stack:
        pg_url = stack.enter_context(throwaway_database())
        index(shop, pg_url)
        yield {"sqlite": stack.enter_context(serve(sqlite_url)), "postgres": stack.enter_context(serve(pg_url))}


def get(base: str, query: str) -> httpx.Response:
    return httpx.get(f"{base}/api/map{query}", timeout=60)


def test_serve_answers_the_same_map_from_both_stores(servers: dict[str, str]) -> None:
    answers: dict[str, list[Any]] = {}
    queries = [
        "",
        "?tokens=1",
        "?tokens=30",
        "?tokens=80",
        "?tokens=100000",
        f"?tokens=60&repo={REPO}",
        "?repo=other",
        "?focus=web/util.js&tokens=60",
        "?focus=web&focus=cmd/main.go&tokens=60",
        "?focus=Order.total",
        "?focus=nope.py",
        "?tokens=0",
        "?tokens=100001",
        "?tokens=5&tokens=6",
        "?depth=2",
    ]
    for name, base in servers.items():
        answers[name] = [(r.status_code, r.json()) for r in (get(base, q) for q in queries)]
    assert answers["sqlite"] == answers["postgres"]
    by_query = dict(zip(queries, answers["sqlite"], strict=True))
    for q in queries[:8]:
        status, doc = by_query[q]
        assert status == 200, (q, doc)
        assert count_tokens(doc["text"]) <= doc["tokens"] and doc["used"] == count_tokens(doc["text"])
    status, full = by_query["?tokens=100000"]
    assert full["repo"] == REPO and full["focus"] == []
    ids = [s["id"] for f in full["files"] for s in f["symbols"]]
    assert "app/models.py::dispatch" in ids and len(set(ids)) == len(ids)
    # the first file holds the top-ranked symbol, and dispatch (called from every handler) leads
    top = max((s for f in full["files"] for s in f["symbols"]), key=lambda s: s["rank"])
    assert top["id"] == "app/models.py::dispatch" and full["files"][0]["path"] == "app/models.py"
    assert full["text"].startswith("app/models.py:\n")
    # a larger budget only adds
    small = {s["id"] for f in by_query["?tokens=30"][1]["files"] for s in f["symbols"]}
    assert small and small <= set(ids)
    assert by_query["?tokens=1"][1]["files"] == [] and by_query["?tokens=1"][1]["text"] == ""
    assert by_query["?repo=other"][1]["files"] == []
    # a focus on the JavaScript files brings them first
    focused = by_query["?focus=web/util.js&tokens=60"][1]
    assert focused["focus"] == ["web/util.js"] and focused["files"][0]["path"].startswith("web/")
    assert by_query["?focus=web&focus=cmd/main.go&tokens=60"][1]["focus"] == ["web", "cmd/main.go"]
    assert by_query["?focus=nope.py"][0] == 400 and "nope.py" in by_query["?focus=nope.py"][1]["error"]["message"]
    assert [by_query[q][0] for q in queries[-4:]] == [400, 400, 400, 400]


def test_the_cli_prints_the_same_map(shop: Path, sqlite_url: str, servers: dict[str, str]) -> None:
    def thread(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(THREAD), "map", "--store", sqlite_url, *args], capture_output=True, text=True, cwd=cwd, timeout=120
        )

    served = get(servers["sqlite"], "?tokens=80").json()
    text = thread("--tokens", "80")
    assert text.returncode == 0 and text.stdout == served["text"]
    assert f"{served['used']} of 80 tokens" in text.stderr
    as_json = thread("--tokens", "80", "--json")
    assert json.loads(as_json.stdout) == served
    focused = thread("--focus", "web/util.js", "--tokens", "60", "--json")
    assert json.loads(focused.stdout) == get(servers["sqlite"], "?focus=web/util.js&tokens=60").json()
    absolute = thread("--focus", str(shop / "web" / "util.js"), "--tokens", "60", "--json", cwd=shop)
    assert json.loads(absolute.stdout) == json.loads(focused.stdout)
    unknown = thread("--focus", "nope.py")
    assert unknown.returncode == 1 and "nope.py" in unknown.stderr and unknown.stdout == ""
    bad = thread("--tokens", "0")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_the_mcp_tool_gives_the_same_map(shop: Path, sqlite_url: str, servers: dict[str, str]) -> None:
    served = get(servers["sqlite"], "?tokens=80").json()
    focused = get(servers["sqlite"], "?tokens=60&focus=web/util.js").json()

    async def session(client: Client) -> None:
        body = await call(client, "repo_map", tokens=80)
        assert body["text"] == served["text"] and body["used"] == served["used"]
        assert body["files"] == [f["path"] for f in served["files"]]
        body = await call(client, "repo_map", tokens=60, focus=["web/util.js"])
        assert body["text"] == focused["text"]
        assert "nope.py" in await refused(client, "repo_map", focus=["nope.py"])

    run(stdio(sqlite_url, shop), session)
