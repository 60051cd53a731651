"""``thread serve`` behaviour on a real SQLite index: auth, 400s, 404s, pagination, OpenAPI, and
the guards that keep the edge Worker's copy of the contract and SQL in step."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.routing import Route

with warnings.catch_warnings():  # starlette 1.x: "install httpx2" (the TestClient works with httpx)
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from resources.store.base import StoreError
from resources.store.sqlbase import SQL_DIR
from thread_assets.api import ROUTES, create_app, openapi
from thread_assets.api.contract import MAX_LIMIT
from thread_assets.api.edge import QUERIES, TARGET, ordered, render
from thread_assets.cli import build_parser

from .conftest import FILES, REPO, TOKEN, file_symbols_url, serve

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_url)) as c:
        yield c


@pytest.fixture(scope="module")
def locked(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_url, token=TOKEN)) as c:
        yield c


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code
    return body["error"]


def with_page(url: str, limit: int, offset: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}limit={limit}&offset={offset}"


def walk(client: TestClient, url: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get(with_page(url, limit, offset)).json()
        assert page["limit"] == limit and page["offset"] == offset and len(page["items"]) <= limit
        items += page["items"]
        offset = page["next_offset"]
    return items


def test_health_and_openapi_are_public(locked: TestClient) -> None:
    assert locked.get("/health").json() == {"status": "ok"}
    assert locked.get("/openapi.json").json()["openapi"].startswith("3.")


def test_openapi_lists_every_route(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert doc == openapi()
    app_paths = {r.path.replace("{path:path}", "{path}") for r in client.app.routes if isinstance(r, Route)}  # type: ignore[attr-defined]
    assert set(doc["paths"]) == app_paths == {r.path for r in ROUTES}
    for route in ROUTES:
        op = doc["paths"][route.path][route.method.lower()]
        names = {p["name"] for p in op["parameters"]}
        assert names == {p.name for p in route.all_params()} | set(route.path_params)
        assert ("401" in op["responses"]) == route.auth


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "missing bearer token"),
        ({"Authorization": "Basic " + TOKEN}, "missing bearer token"),
        ({"Authorization": "Bearer"}, "missing bearer token"),
        ({"Authorization": "Bearer wrong"}, "invalid bearer token"),
        ({"Authorization": "Bearer " + TOKEN + "x"}, "invalid bearer token"),
    ],
)
def test_bad_token_is_401(locked: TestClient, headers: dict[str, str], message: str) -> None:
    for url in ("/api/stats", "/api/symbols?name=render", "/api/no-such-route"):
        r = locked.get(url, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert error_of(r) == {"status": 401, "code": "unauthorized", "message": message}


def test_good_token(locked: TestClient) -> None:
    for scheme in ("Bearer", "bearer"):
        r = locked.get("/api/stats", headers={"Authorization": f"{scheme} {TOKEN}"})
        assert r.status_code == 200 and r.json()["files"] == len(FILES) - 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/symbols", "missing required parameter 'name'"),
        ("/api/symbols?name=", "missing required parameter 'name'"),
        ("/api/symbols?name=a&nme=b", "unknown parameter 'nme'"),
        ("/api/symbols?name=a&name=b", "parameter 'name' given more than once"),
        ("/api/symbols?name=a&limit=0", f"parameter 'limit' must be an integer from 1 to {MAX_LIMIT}"),
        ("/api/symbols?name=a&limit=501", f"parameter 'limit' must be an integer from 1 to {MAX_LIMIT}"),
        ("/api/symbols?name=a&limit=%2B5", f"parameter 'limit' must be an integer from 1 to {MAX_LIMIT}"),
        ("/api/symbols?name=a&limit=%D9%A5", f"parameter 'limit' must be an integer from 1 to {MAX_LIMIT}"),
        ("/api/symbols?name=a&offset=-1", "parameter 'offset' must be an integer from 0 to 1000000000"),
        ("/api/symbols?name=a&offset=99999999999", "parameter 'offset' must be an integer from 0 to 1000000000"),
        ("/api/symbols?name=a&prefix=yes", "parameter 'prefix' must be true or false"),
        ("/api/callers", "missing required parameter 'symbol'"),
        ("/api/callees?symbol=x&depth=2", "unknown parameter 'depth'"),
        ("/api/deps", "missing required parameter 'path'"),
        ("/api/deps?path=a.py&direction=up", "parameter 'direction' must be one of: in, out, both"),
        ("/api/cycles?limit=x", f"parameter 'limit' must be an integer from 1 to {MAX_LIMIT}"),
        ("/api/stats?limit=1", "unknown parameter 'limit'"),
        ("/api/files/app/models.py/symbols?name=x", "unknown parameter 'name'"),
    ],
)
def test_bad_parameters_are_400(client: TestClient, url: str, message: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    assert error_of(r) == {"status": 400, "code": "bad_request", "message": message}


def test_unknown_routes_and_methods(client: TestClient) -> None:
    for url in ("/api/nope", "/api", "/api/stats/", "/", "/api/files/app/models.py"):
        r = client.get(url)
        assert r.status_code == 404 and error_of(r)["message"] == "no such route"
    r = client.post("/api/stats")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD" and error_of(r)["code"] == "method_not_allowed"
    r = client.get("/api/files/nope.py/symbols")
    assert r.status_code == 404 and error_of(r)["message"] == "the index holds no file 'nope.py'"
    assert client.get("/api/files/app/models.py/symbols?repo=other").status_code == 404


def test_files_symbols_with_slashes_and_odd_names(client: TestClient) -> None:
    for path in sorted(p for p in FILES if p.endswith(".py") and FILES[p]):
        r = client.get(file_symbols_url(path))
        assert r.status_code == 200, (path, r.text)
        items = r.json()["items"]
        assert items and {i["path"] for i in items} == {path}
        assert [i["ordinal"] for i in items] == list(range(len(items)))
    items = client.get("/api/files/app/models.py/symbols").json()["items"]
    total = next(i for i in items if i["qualified_name"] == "Order.total")
    assert [p["name"] for p in total["parameters"]] == ["self", "tax"] and total["return_type"] == "float"
    assert next(i for i in items if i["name"] == "size")["decorators"] == ["property"]
    assert client.get("/api/files/app/__init__.py/symbols").json()["items"] == []  # known file, no symbols


def test_pagination_walks_match_one_big_page(client: TestClient) -> None:
    for url in (
        "/api/symbols?name=handler_&prefix=true",
        "/api/files/app/handlers.py/symbols",
        "/api/callers?symbol=dispatch",
        "/api/callees?symbol=" + "app/models.py::<module>",
        "/api/deps?path=app/models.py",
        "/api/cycles",
    ):
        whole = client.get(with_page(url, MAX_LIMIT, 0)).json()
        assert whole["next_offset"] is None
        assert walk(client, url, 1) == walk(client, url, 5) == whole["items"], url
    assert len(client.get("/api/symbols?name=handler_&prefix=true").json()["items"]) == 12
    assert len(client.get("/api/callers?symbol=dispatch").json()["items"]) >= 14
    past = client.get("/api/symbols?name=render&offset=100").json()
    assert past == {"items": [], "limit": 50, "offset": 100, "next_offset": None}


def test_queries_answer_what_the_store_answers(client: TestClient, sqlite_url: str) -> None:
    from resources.store.url import open_store

    store = open_store(sqlite_url, apply_schema=False)
    try:
        assert client.get("/api/symbols?name=render").json()["items"] == store.find_symbols("render")
        got = client.get("/api/symbols?name=R&prefix=1&lang=rust&kind=struct").json()["items"]
        assert got == store.find_symbols("R", prefix=True, language="rust", kind="struct") != []
        assert client.get("/api/callers?symbol=render").json()["items"] == store.callers("render")
        assert client.get("/api/deps?path=web/util.js&direction=in").json()["items"] == store.deps(
            "web/util.js", direction="in"
        )
        assert client.get(f"/api/stats?repo={REPO}").json() == store.stats(repo=REPO)
        assert client.get("/api/stats?repo=other").json()["files"] == 0
        assert client.get("/api/cycles").json()["items"] == store.cycles()
    finally:
        store.close()


def test_input_is_bound_never_sql(client: TestClient) -> None:
    for evil in ("x' OR '1'='1", 'x"; DROP TABLE symbols; --', "%", "_", "*"):
        for url in ("/api/symbols", "/api/callers"):
            key = "name" if url.endswith("symbols") else "symbol"
            r = client.get(url, params={key: evil})
            assert r.status_code == 200 and r.json()["items"] == []
        if evil != "_":  # a real prefix (__init__)
            assert client.get("/api/symbols", params={"name": evil, "prefix": "true"}).json()["items"] == []
    assert client.get("/api/stats").json()["symbols"] > 0


def test_json_is_deterministic(client: TestClient) -> None:
    for url in ("/api/stats", "/api/symbols?name=h&prefix=true", "/api/deps?path=app/views.py"):
        assert client.get(url).content == client.get(url).content


def test_create_app_bad_store() -> None:
    with pytest.raises(StoreError):
        create_app("mysql://nope")


def test_cli_serve_registered_and_errors() -> None:
    args = build_parser().parse_args(["serve", "--store", "sqlite:///x.db", "--port", "9", "--token", "t"])
    assert (args.command, args.host, args.port, args.token) == ("serve", "127.0.0.1", 9, "t")
    done = subprocess.run(
        [sys.executable, "-m", "thread_assets.cli", "serve", "--store", "mysql://x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.startswith("thread: error: unsupported store URL")


def test_thread_serve_process_with_env_token(sqlite_url: str) -> None:
    with serve(sqlite_url, env={"THREAD_API_TOKEN": TOKEN}) as base:
        assert httpx.get(base + "/api/stats").status_code == 401
        r = httpx.get(base + "/api/stats", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert "server" not in r.headers


def test_edge_contract_module_is_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(), "run: python -m thread_assets.api.edge"


def test_edge_sql_is_the_sql_files() -> None:
    import json
    import re

    text = TARGET.read_text(encoding="utf-8")
    sql = json.loads(re.search(r"export const SQL = (\{.*\});\n", text, re.S)[1])  # type: ignore[index]
    assert set(sql) == set(QUERIES)
    for name, q in sql.items():
        own = SQL_DIR / "sqlite" / f"{name}.sql"
        source = (own if own.exists() else SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")
        assert q == ordered(source)
        names = q["params"]
        assert re.sub(r"\?(\d+)", lambda m, names=names: ":" + names[int(m[1]) - 1], q["sql"]) == source


@pytest.mark.parametrize("name", ["callers", "callees"])
def test_paged_call_queries_track_the_unpaged_ones(name: str) -> None:
    unpaged = (SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    paged = (SQL_DIR / "queries" / f"{name}_page.sql").read_text(encoding="utf-8").splitlines()
    assert paged[0].startswith("--") and paged[1:-1] == unpaged[:-1]
    assert unpaged[-1] == "LIMIT :limit" and paged[-1] == "LIMIT :limit OFFSET :offset"
