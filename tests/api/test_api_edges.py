"""The API's edges: a file path no URL path carries well (a newline), the twin route that takes it
as a query parameter, ``minLength`` on required strings in the OpenAPI document, and the ``Host``
check of ``thread serve`` against DNS rebinding. Real stores and servers: a ``thread serve``
process, the Worker on Miniflare over a real local D1."""

from __future__ import annotations

import socket
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

with warnings.catch_warnings():  # starlette 1.x: "install httpx2" (the TestClient works with httpx)
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from thread_assets.api import ROUTES, create_app, openapi
from thread_assets.cli.serve import allowed_hosts

from .conftest import TOKEN, file_symbols_url, serve
from .test_contract import local_d1

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ODD = {
    "new\nline.py": "def across():\n    return 1\n",
    "plain.py": "def plain():\n    return across()\n",
    "ends with/symbols/symbols.py": "def deep():\n    return 2\n",
}


def index_odd(root: Path, store_url: str) -> None:
    from dagster import DagsterInstance

    from thread_assets.drivers.index import index_repository

    for rel, text in ODD.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    with DagsterInstance.ephemeral() as instance:
        summary = index_repository(root, store_url=store_url, instance=instance, repo_name="odd", workers=1)
    assert summary.files == len(ODD), summary


@pytest.fixture(scope="module")
def odd_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("odd")
    url = f"sqlite:///{tmp / 'index.db'}"
    index_odd(tmp / "odd", url)
    return url


@pytest.fixture(scope="module")
def odd(odd_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(odd_url)) as c:
        yield c


def query_url(path: str, extra: str = "") -> str:
    return "/api/files/symbols?" + str(httpx.QueryParams({"path": path})) + extra


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def test_a_path_with_a_newline_in_the_url_path_and_as_a_query_parameter(odd: TestClient) -> None:
    """Regression: Starlette's ``{path:path}`` (``.*``) stops at a newline, so such a file was a
    404 "no such route" from ``thread serve`` (while the Worker answered)."""
    assert names(odd.get(file_symbols_url("new\nline.py"))) == ["across"]
    assert names(odd.get(query_url("new\nline.py"))) == ["across"]
    for path in ODD:
        assert names(odd.get(query_url(path))) == names(odd.get(file_symbols_url(path))) != []
    page = odd.get(query_url("plain.py", "&limit=1&offset=0")).json()
    assert page["limit"] == 1 and [i["name"] for i in page["items"]] == ["plain"]


def test_a_trailing_newline_is_part_of_the_path(odd: TestClient) -> None:
    """Regression: ``$`` matched before a trailing newline: ``/api/stats%0A`` was ``/api/stats``."""
    r = odd.get("/api/stats%0A")
    assert r.status_code == 404 and r.json()["error"]["message"] == "no such route"
    r = odd.get(file_symbols_url("plain.py\n"))
    assert r.status_code == 404 and r.json()["error"]["message"] == "the index holds no file 'plain.py\n'"


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/files//symbols", 400, "missing required parameter 'path'"),
        ("/api/files//symbols?limit=0", 400, "missing required parameter 'path'"),
        ("/api/files/symbols", 400, "missing required parameter 'path'"),
        ("/api/files/symbols?path=", 400, "missing required parameter 'path'"),
        ("/api/files/symbols?path=a&path=b", 400, "parameter 'path' given more than once"),
        ("/api/files/plain.py/symbols?path=plain.py", 400, "unknown parameter 'path'"),
        ("/api/files/symbols?path=nope.py", 404, "the index holds no file 'nope.py'"),
        ("/api/files/symbols?path=plain.py&repo=other", 404, "the index holds no file 'plain.py'"),
    ],
)
def test_empty_and_wrong_paths(odd: TestClient, url: str, status: int, message: str) -> None:
    r = odd.get(url)
    assert (r.status_code, r.json()["error"]["message"]) == (status, message)


def test_required_strings_have_min_length_in_openapi() -> None:
    doc = openapi()
    seen = 0
    for route in ROUTES:
        required = {p.name for p in route.all_params() if p.required and p.type == "string"}
        for param in doc["paths"][route.path][route.method.lower()]["parameters"]:
            schema = param["schema"]
            if param["in"] == "path" or param["name"] in required:
                assert param["required"] and schema.get("minLength") == 1, (route.path, param)
                seen += 1
            else:
                assert "minLength" not in schema, (route.path, param)
    assert seen >= 6  # symbols name, file path (both routes), callers/callees symbol, deps path
    query = doc["paths"]["/api/files/symbols"]["get"]
    assert "404" in query["responses"] and "404" in doc["paths"]["/api/files/{path}/symbols"]["get"]["responses"]


def test_the_worker_answers_as_thread_serve_for_odd_paths(odd_url: str, tmp_path: Path) -> None:
    urls = [
        file_symbols_url("new\nline.py"),
        query_url("new\nline.py"),
        query_url("ends with/symbols/symbols.py", "&limit=1"),
        file_symbols_url("ends with/symbols/symbols.py"),
        file_symbols_url("plain.py\n"),
        "/api/stats%0A",
        "/api/files//symbols",
        "/api/files/symbols?path=",
        query_url("nope\n.py"),
    ]
    with local_d1() as d1, serve_process(odd_url) as base, httpx.Client(timeout=30) as client:
        assert d1.api_url, "the harness mounted no API Worker"
        index_odd(tmp_path / "odd", d1.d1_url)
        for url in urls:
            worker, python = client.get(d1.api_url + url), client.get(base + url)
            assert (worker.status_code, worker.json()) == (python.status_code, python.json()), url
        assert names(client.get(d1.api_url + query_url("new\nline.py"))) == ["across"]


# ---- the Host check (DNS rebinding)


def serve_process(store_url: str, *args: str) -> AbstractContextManager[str]:
    """``thread serve`` on a free loopback port with ``args`` and no token in its environment."""
    return serve(store_url, env={"THREAD_API_TOKEN": ""}, args=args)


def get(base: str, host: str, **headers: str) -> httpx.Response:
    return httpx.get(base + "/api/stats", headers={"Host": host, **headers}, timeout=10)


def refused(r: httpx.Response, host: str) -> bool:
    message = f"host '{host}' is not served here (thread serve --allowed-host adds a name)"
    return r.status_code == 400 and r.json() == {"error": {"status": 400, "code": "bad_request", "message": message}}


def test_without_a_token_only_local_names_and_addresses_are_served(sqlite_url: str) -> None:
    """Regression: without a token, a page on any domain that rebinds its name to 127.0.0.1
    could read the whole index through the visitor's browser."""
    with serve_process(sqlite_url) as base:
        port = base.rsplit(":", 1)[1]
        for host in ("attacker.example", f"attacker.example:{port}", "localhost.attacker.example", "127.0.0.1.nip.io"):
            assert refused(get(base, host), host), host
        assert refused(httpx.get(base + "/health", headers={"Host": "attacker.example"}), "attacker.example")
        for host in (f"localhost:{port}", "LOCALHOST", "localhost.", f"127.0.0.1:{port}", "[::1]", "10.1.2.3:80"):
            assert get(base, host).status_code == 200, host


def test_allowed_host_adds_names_and_a_token_lifts_the_check(sqlite_url: str) -> None:
    with serve_process(sqlite_url, "--allowed-host", "index.example", "--allowed-host", "Other.Example.") as base:
        assert get(base, "index.example:8000").status_code == 200
        assert get(base, "other.example").status_code == 200
        assert get(base, "localhost").status_code == 200
        assert refused(get(base, "attacker.example"), "attacker.example")
    with serve_process(sqlite_url, "--allowed-host", "*") as base:
        assert get(base, "attacker.example").status_code == 200
    with serve_process(sqlite_url, "--token", TOKEN) as base:  # a rebinding page cannot send the token
        assert get(base, "attacker.example", Authorization=f"Bearer {TOKEN}").status_code == 200
        assert get(base, "attacker.example").status_code == 401
    with serve_process(sqlite_url, "--token", TOKEN, "--allowed-host", "index.example") as base:
        assert refused(get(base, "attacker.example", Authorization=f"Bearer {TOKEN}"), "attacker.example")


def test_default_names_follow_the_bound_address() -> None:
    assert allowed_hosts("127.0.0.1", []) == ["localhost"]
    assert allowed_hosts("::1", ["a.example"]) == ["localhost", "a.example"]
    assert allowed_hosts("myhost.lan", []) == ["localhost", "myhost.lan"]
    assert allowed_hosts("0.0.0.0", []) == ["localhost", socket.gethostname()]
    assert allowed_hosts("::", []) == ["localhost", socket.gethostname()]


def test_create_app_without_allowed_hosts_serves_any_host(sqlite_url: str) -> None:
    """The library default (tests, embedding) is unchanged: only ``thread serve`` checks names."""
    with TestClient(create_app(sqlite_url)) as client:
        assert client.get("/api/stats", headers={"Host": "attacker.example"}).status_code == 200
    with TestClient(create_app(sqlite_url, allowed_hosts=["localhost"])) as client:
        r = client.get("/api/stats", headers={"Host": "attacker.example"})
        assert refused(r, "attacker.example")
