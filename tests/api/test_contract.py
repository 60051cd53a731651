"""One contract, three servers: ``thread serve`` over SQLite, ``thread serve`` over Postgres and the
edge Worker over D1 (Miniflare: workerd running D1's own code, not a mock). The same repository is
indexed into each store through Dagster; the same requests (every route, pagination, filters,
odd paths, every error) must get the same status, the same JSON and the same headers that matter
from all three. ``POST /api/analyze`` too: the Worker forwards it to its analysis backend, here
the SQLite ``thread serve`` (``ANALYZE_ORIGIN``), and must answer as the servers do. Then an
end-to-end run: a real repository (a slice of Django) indexed into D1 through Dagster, read back
through the Worker as mounted by the shared harness, and compared with ``thread serve`` over the
same slice indexed into SQLite."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from resources.store.url import open_store
from tests.support import miniflare
from tests.support.postgres import throwaway_database
from thread_assets.api.analyze import MAX_BODY, MAX_FILES

from .conftest import FILES, REPO, TOKEN, file_symbols_url, index, serve, token_worker, without_timings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HEADERS = ("content-type", "allow", "www-authenticate")
Request = tuple[str, str, dict[str, str]] | tuple[str, str, dict[str, str], bytes]


@contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def local_d1(**kwargs: Any) -> Iterator[Any]:
    try:
        with miniflare.local_d1(**kwargs) as d1, environ(d1.env):
            yield d1
    except miniflare.MiniflareUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def targets(shop: Path, sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Base URL of each implementation, all three requiring the same bearer token."""
    with ExitStack() as stack:
        pg_url = stack.enter_context(throwaway_database())
        index(shop, pg_url)
        sqlite_base = stack.enter_context(serve(sqlite_url, TOKEN))
        worker = token_worker(
            tmp_path_factory.mktemp("worker"), TOKEN, ANALYZE_ORIGIN=sqlite_base + "/", ANALYZE_TOKEN=TOKEN
        )
        d1 = stack.enter_context(local_d1(api_script=worker))
        assert d1.api_url, "the harness mounted no API Worker"
        index(shop, d1.d1_url)
        yield {"sqlite": sqlite_base, "postgres": stack.enter_context(serve(pg_url, TOKEN)), "worker": d1.api_url}


def contract_requests(sqlite_url: str) -> list[Request]:
    store = open_store(sqlite_url, apply_schema=False)
    try:
        symbols = list(store.export("symbols"))
    finally:
        store.close()
    names = sorted({s["name"] for s in symbols} | {s["qualified_name"] for s in symbols})
    ids = [*sorted(s["global_id"] for s in symbols), "app/models.py::<module>", "app/views.py::<module>"]
    get: list[str] = ["/health", "/openapi.json"]
    get += ["/api/symbols?" + str(httpx.QueryParams({"name": n})) for n in names + ids[:8]]
    for p in ("h", "handler_", "Order.", "R", "ñ", "c", "zzz", "_", "%", "Ö"):
        get += ["/api/symbols?" + str(httpx.QueryParams({"name": p, "prefix": "true"}))]
    get += [
        "/api/symbols?name=helper&lang=go",
        "/api/symbols?name=helper&lang=javascript&kind=function",
        "/api/symbols?name=total&kind=method",
        f"/api/symbols?name=render&repo={REPO}",
        "/api/symbols?name=render&repo=other",
        "/api/symbols?name=h&prefix=1&kind=function&lang=python",
        "/api/symbols?name=h&prefix=0",
        "/api/symbols?name=handler_&prefix=false",
    ]
    get += [f"/api/symbols?name=handler_&prefix=true&limit=5&offset={o}" for o in (0, 5, 10, 15, 1000000000)]
    get += [f"/api/symbols?name=handler_&prefix=true&limit={n}" for n in (1, 11, 12, 13, 500)]
    paths = [*sorted(FILES), "nope.py", "app", "app/", "app/models.py/x", "APP/models.py"]
    get += [file_symbols_url(p) for p in paths]
    get += [file_symbols_url("app/handlers.py") + f"?limit=4&offset={o}" for o in (0, 4, 8, 12, 16)]
    get += [file_symbols_url("app/models.py") + "?repo=other", file_symbols_url("app/models.py") + f"?repo={REPO}"]
    # the same with the path as a query parameter, and paths only a query parameter carries well
    get += ["/api/files/symbols?" + str(httpx.QueryParams({"path": p})) for p in [*paths, "a\nb.py", "x/../app"]]
    get += [f"/api/files/symbols?path=app/handlers.py&limit=4&offset={o}" for o in (0, 12)]
    get += ["/api/files/symbols?path=app/models.py&repo=other", f"/api/files/symbols?path=app/models.py&repo={REPO}"]
    get += [file_symbols_url("a\nb.py"), file_symbols_url("app/models.py\n"), "/api/stats%0A", "/api/symbols%0A?name=a"]
    for way in ("callers", "callees"):
        get += [f"/api/{way}?" + str(httpx.QueryParams({"symbol": s})) for s in names + ids]
        get += [f"/api/{way}?symbol=dispatch&limit=3&offset={o}" for o in range(0, 18, 3)]
        get += [f"/api/{way}?symbol=render&repo=other", f"/api/{way}?symbol=render&repo={REPO}"]
    for way in ("hierarchy", "implementations"):  # types, methods, unknown names, paging, errors
        get += [f"/api/{way}?" + str(httpx.QueryParams({"symbol": s})) for s in names + ids[:12]]
        get += [f"/api/{way}?symbol=Order&limit=1&offset={o}" for o in (0, 1, 2)]
        get += [f"/api/{way}?symbol=zzz", f"/api/{way}", f"/api/{way}?symbol=", f"/api/{way}?symbol=Order&repo=other"]
    for p in [*sorted(FILES), "nope.py", "json", "fmt"]:
        for d in ("", "&direction=in", "&direction=out", "&direction=both"):
            get += ["/api/deps?" + str(httpx.QueryParams({"path": p})) + d]
    get += [f"/api/deps?path=app/models.py&limit=1&offset={o}" for o in range(5)]
    get += ["/api/cycles", "/api/cycles?limit=1", "/api/cycles?limit=1&offset=1", "/api/cycles?offset=7"]
    get += [f"/api/cycles?repo={REPO}", "/api/cycles?repo=other"]
    get += ["/api/cycles?skip_type_only=true", "/api/cycles?skip_deferred=1&limit=1&offset=1"]
    get += [f"/api/cycles?skip_type_only=true&skip_deferred=true&repo={REPO}", "/api/cycles?skip_deferred=maybe"]
    get += ["/api/stats", f"/api/stats?repo={REPO}", "/api/stats?repo=other", "/api/stats?repo="]
    # the repository map from the stored plan (a focus is thread serve's alone: test_repo_map.py)
    get += ["/api/map", f"/api/map?repo={REPO}", "/api/map?repo=other", "/api/map?focus="]
    get += [f"/api/map?tokens={n}" for n in (1, 7, 30, 64, 200, 100000)]
    get += ["/api/map?tokens=0", "/api/map?tokens=100001", "/api/map?tokens=x", "/api/map?tokens=5&tokens=6"]
    # errors: parameters
    get += [
        "/api/symbols",
        "/api/symbols?name=",
        "/api/symbols?name=a&nme=b",
        "/api/symbols?nme=b&name=",
        "/api/symbols?name=a&name=b",
        "/api/symbols?name=a&name=",
        "/api/symbols?=x&name=a",
        "/api/symbols?name=a&limit=0",
        "/api/symbols?name=a&limit=501",
        "/api/symbols?name=a&limit=%2B5",
        "/api/symbols?name=a&limit=%D9%A5",
        "/api/symbols?name=a&limit=1.5",
        "/api/symbols?name=a&limit=%205",
        "/api/symbols?name=a&limit=abc",
        "/api/symbols?name=a&offset=-1",
        "/api/symbols?name=a&offset=1000000001",
        "/api/symbols?name=a&offset=99999999999",
        "/api/symbols?name=a&offset=0000000007",
        "/api/symbols?name=a&prefix=yes",
        "/api/symbols?name=a&prefix=TRUE",
        "/api/symbols?limit=0",
        "/api/callers",
        "/api/callers?symbol=",
        "/api/callees?symbol=x&depth=2",
        "/api/deps",
        "/api/deps?path=a.py&direction=up",
        "/api/deps?path=a.py&direction=",
        "/api/cycles?limit=x",
        "/api/stats?limit=1",
        "/api/stats?repo=a&repo=b",
        file_symbols_url("app/models.py") + "?name=x",
        file_symbols_url("app/models.py") + "?limit=0",
        "/api/files//symbols?limit=0",
        "/api/files/symbols?path=",
        "/api/files/symbols?path=a&path=b",
        "/api/files/symbols?path=a&name=b",
        file_symbols_url("app/models.py") + "?path=app/models.py",
        "/api/symbols?name=a+b&kind=%E2%9C%93",
    ]
    # errors: routes
    get += ["/", "/api", "/api/", "/api/nope", "/api/stats/", "/api/symbols/", "/health/", "/API/stats", "/api/files"]
    get += ["/api/files/", "/api/files//symbols", "/api/files/symbols", "/openapi.yaml", "/api/%73tats"]
    requests: list[Request] = [("GET", url, AUTH) for url in get]
    requests += [(m, "/api/stats", AUTH) for m in ("POST", "PUT", "DELETE", "PATCH")]
    requests += [("POST", "/api/nope", AUTH), ("POST", "/health", {}), ("HEAD", "/api/stats", AUTH)]
    # auth
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": f"bearer {TOKEN}"},
        {"Authorization": f"BEARER  {TOKEN}"},
    ):
        for url in ("/api/stats", "/api/symbols?name=render", "/api/nope", "/health", "/openapi.json"):
            requests.append(("GET", url, headers))
        requests.append(("POST", "/api/stats", headers))
    return requests + analyze_requests()


def analyze_requests() -> list[Request]:
    """POST /api/analyze: answers, every kind of error, methods and the token."""

    def body(value: Any) -> bytes:
        return json.dumps(value).encode()

    shop = [{"path": p, "content": FILES[p]} for p in ("app/models.py", "app/views.py", "web/index.js")]
    bodies = [
        body({"files": shop}),
        body({"files": shop[:1], "language": "python"}),
        body({"files": [{"path": "a.cbl", "content": "       IDENTIFICATION DIVISION.\n", "language": "cobol"}]}),
        body({"files": [{"path": "x", "content": "\u0000binary"}]}),
        b"",
        b"{",
        b"[]",
        b'{"files": []}',
        body({"files": shop, "extra": 1}),
        body({"files": [{"path": "../a.py", "content": ""}]}),
        body({"files": [shop[0], shop[0]]}),
        body({"files": shop, "language": "klingon"}),
        body({"files": [{"path": f"m{i}.py", "content": ""} for i in range(MAX_FILES + 1)]}),
        body({"files": [{"path": "big.py", "content": "x" * (MAX_BODY + 1)}]}),
    ]
    requests: list[Request] = [("POST", "/api/analyze", AUTH, b) for b in bodies]
    requests += [("POST", "/api/analyze?x=1", AUTH, bodies[0]), ("POST", "/api/analyze/", AUTH, bodies[0])]
    requests += [("POST", "/api/%61nalyze", AUTH, bodies[1])]
    requests += [(m, "/api/analyze", AUTH) for m in ("GET", "HEAD", "PUT", "DELETE")]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        requests.append(("POST", "/api/analyze", headers, bodies[0]))
    return requests


def answer(client: httpx.Client, base: str, request: Request) -> dict[str, Any]:
    method, url, headers, *content = request
    r = client.request(method, base + url, headers=headers, content=content[0] if content else None)
    out: dict[str, Any] = {"status": r.status_code, **{h: r.headers.get(h) for h in HEADERS}}
    out["body"] = without_timings(r.json()) if r.content else None
    return out


def test_three_implementations_one_contract(targets: dict[str, str], sqlite_url: str) -> None:
    requests = contract_requests(sqlite_url)
    assert len(requests) > 400
    mismatches = []
    statuses: dict[int, int] = {}
    with httpx.Client(timeout=30) as client:
        for request in requests:
            answers = {name: answer(client, base, request) for name, base in targets.items()}
            reference = answers["sqlite"]
            statuses[reference["status"]] = statuses.get(reference["status"], 0) + 1
            for name, got in answers.items():
                if got != reference:
                    mismatches.append((request, name, got, reference))
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:3]}"
    # the list exercises every outcome
    assert {200, 400, 401, 404, 405, 413} <= set(statuses), statuses
    assert statuses[200] > 300


def test_pages_and_items_are_real(targets: dict[str, str]) -> None:
    """A few spot checks that the agreed answers are the right ones, not agreed emptiness."""
    with httpx.Client(base_url=targets["worker"], headers=AUTH) as worker:
        page = worker.get("/api/symbols?name=handler_&prefix=true&limit=5&offset=10").json()
        assert [i["name"] for i in page["items"]] == ["handler_10", "handler_11"] and page["next_offset"] is None
        first = worker.get("/api/symbols?name=handler_&prefix=true&limit=5").json()
        assert first["next_offset"] == 5 and len(first["items"]) == 5
        items = worker.get(file_symbols_url("ünï/cödé.py")).json()["items"]
        assert [i["name"] for i in items] == ["ñame"] and items[0]["exported"] is True
        deps = worker.get("/api/deps?path=app/models.py").json()["items"]
        assert {(d["direction"], d["target"]) for d in deps} >= {("out", "app/views.py"), ("out", "json")}
        assert all(isinstance(d["names"], list) and isinstance(d["external"], bool) for d in deps)
        cycles = worker.get("/api/cycles").json()["items"]
        assert any(c["members"] == ["app/models.py", "app/views.py"] for c in cycles)
        stats = worker.get("/api/stats").json()
        assert stats["files"] == len(FILES) - 1 and stats["files_by_language"]["python"] >= 8
        assert worker.get("/openapi.json").content == httpx.get(targets["sqlite"] + "/openapi.json").content
        repo_map = worker.get("/api/map?tokens=200").json()
        assert repo_map["files"][0]["path"] == "app/models.py" and repo_map["used"] <= 200
        focused = worker.get("/api/map?focus=web/util.js")
        assert focused.status_code == 501 and focused.json()["error"]["code"] == "not_implemented"


DJANGO_SLICE = ["/django/utils/**", "/django/dispatch/**", "/django/core/**"]
NOT_CODE = ["*.po", "*.mo", "*.xml", "*.md", "*.svg", "*.kml", "*.txt", "*.json"]


@pytest.mark.corpus
def test_end_to_end_django_slice_into_d1_through_dagster(tmp_path: Path) -> None:
    from dagster import DagsterInstance

    from tests.support.corpora import fetch
    from thread_assets.drivers.index import index_repository

    root = fetch("django").parent
    sqlite_url = f"sqlite:///{tmp_path / 'index.db'}"
    with local_d1() as d1:  # the Worker exactly as the harness mounts it: edge/src/index.js, no token
        assert d1.api_url, "the harness mounted no API Worker"
        summaries = {}
        for url in (d1.d1_url, sqlite_url):
            with DagsterInstance.ephemeral() as instance:
                summaries[url] = index_repository(
                    root,
                    store_url=url,
                    instance=instance,
                    include=DJANGO_SLICE,
                    exclude=NOT_CODE,
                    repo_name="django",
                    workers=1,
                )
        assert summaries[d1.d1_url].files == summaries[sqlite_url].files > 150
        assert all(summaries[d1.d1_url].checks.values()), summaries[d1.d1_url].checks
        with serve(sqlite_url) as python_base, httpx.Client(timeout=30) as client:
            stats = client.get(d1.api_url + "/api/stats?repo=django").json()
            assert stats == client.get(python_base + "/api/stats?repo=django").json()
            assert stats["files"] == summaries[d1.d1_url].files and stats["symbols"] > 1000
            store = open_store(sqlite_url, apply_schema=False)
            try:
                called = [e["target"] for e in store.export("call_edges", repo="django") if e["target"]]
            finally:
                store.close()
            top = max(sorted(set(called)), key=called.count)  # the most-called function of the slice
            assert called.count(top) > 10
            urls = [
                "/api/symbols?name=receiver",
                "/api/symbols?name=Signal.connect",
                "/api/symbols?name=force_&prefix=true&limit=7",
                f"/api/callers?symbol={top}&limit=5",
                f"/api/callers?symbol={top}&limit=5&offset=5",
                "/api/callees?symbol=django/dispatch/dispatcher.py::Signal.send",
                "/api/deps?path=django/utils/timezone.py",
                file_symbols_url("django/dispatch/dispatcher.py") + "?limit=10&offset=10",
                "/api/cycles?repo=django",
                "/api/cycles?repo=django&skip_deferred=true",
                "/api/cycles?repo=django&skip_type_only=true&skip_deferred=true&limit=3",
            ]
            for url in urls:
                got = client.get(d1.api_url + url)
                assert got.status_code == 200, (url, got.text)
                assert got.json() == client.get(python_base + url).json(), url
                assert got.json()["items"], url
            repo_map = client.get(d1.api_url + "/api/map?repo=django&tokens=600").json()  # repo_rank's plan on D1
            assert repo_map == client.get(python_base + "/api/map?repo=django&tokens=600").json()
            assert repo_map["files"] and 500 < repo_map["used"] <= 600
