"""``POST /api/analyze`` on a real ``thread serve``: what it answers is what the index stores (the
shop repository indexed through Dagster, row for row), files sent together resolve each other's
imports and calls, every limit and error is a JSON error, a hanging grammar costs one file a
record, and nothing reaches the store. ``--analyze-only`` serves analysis with no index at all."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from resources.store.rows import COLUMNS, plain
from resources.store.url import open_store
from thread_assets.api import openapi
from thread_assets.api.analyze import AnalyzeLimits, analyze_files

from .conftest import FILES, REPO, THREAD, TOKEN, free_port, serve, wait_healthy, without_timings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_BODY = 300_000
MAX_FILES = 30
TIMEOUT_S = 3
LIMIT_ARGS = (
    "--max-body",
    str(MAX_BODY),
    "--max-files",
    str(MAX_FILES),
    "--analyze-timeout",
    str(TIMEOUT_S),
    "--analyze-workers",
    "2",
)
SENT = {p: t for p, t in FILES.items() if p != "README.txt"}  # what the index holds


@pytest.fixture(scope="module")
def base(sqlite_url: str) -> Iterator[str]:
    with serve(sqlite_url, TOKEN, args=LIMIT_ARGS) as url:
        yield url


def post(base: str, body: Any = None, *, content: bytes | None = None, **kwargs: Any) -> httpx.Response:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    if content is None:
        return httpx.post(base + "/api/analyze", json=body, headers=headers, timeout=60, **kwargs)
    return httpx.post(base + "/api/analyze", content=content, headers=headers, timeout=60, **kwargs)


def error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return str(body["error"]["message"])


def stored(url: str, table: str) -> dict[str, list[dict[str, Any]]]:
    """The table's rows by file, as JSON values (``plain``), without repo and run provenance."""
    store = open_store(url, apply_schema=False)
    try:
        out: dict[str, list[dict[str, Any]]] = {}
        for row in store.export(table, repo=REPO):
            value = plain(table, list(row), list(row.values()))
            for key in ("repo", "run_id", "indexed_at"):
                value.pop(key, None)
            path = str(value["path"] if "path" in value else value["importer"])
            out.setdefault(path, []).append(value)
        return out
    finally:
        store.close()


def subset(row: dict[str, Any], of: dict[str, Any], rename: dict[str, str] | None = None) -> dict[str, Any]:
    """The values ``of`` holds for ``row``'s columns (renamed), to compare with ``row``. A store
    may keep an empty list as NULL (calls.targets): an empty list or object matches a NULL."""
    rename = rename or {}
    out = {k: of.get(rename.get(k, k), "<absent>") for k in row}
    return {k: None if row[k] is None and v in ([], {}) else v for k, v in out.items()}


def test_the_answer_is_what_the_index_stores(base: str, sqlite_url: str) -> None:
    """Every column of every stored row of every per-file table and of the call edges and import
    resolutions, for the whole shop repository sent in one request, equals the answer's."""
    r = post(base, {"files": [{"path": p, "content": t} for p, t in SENT.items()]})
    assert r.status_code == 200, r.text
    answer = {f["path"]: f for f in r.json()["files"]}
    assert list(answer) == list(SENT)
    files = stored(sqlite_url, "files")
    assert set(files) == set(SENT)
    for path, (row,) in files.items():
        got = answer[path]
        head = {k: v for k, v in row.items() if not k.startswith("summary_") and k in got}
        assert head == subset(head, got), path
        summary = {k.removeprefix("summary_"): v for k, v in row.items() if k in COLUMNS["files"][9:19]}
        summary.pop("parse_time_ms")  # a timing, not a property of the file
        assert summary == subset(summary, got["summary"]), path
    compared = 0
    for table, key in (("symbols", "symbols"), ("imports", "imports"), ("pattern_matches", "pattern_matches")):
        for path, rows in stored(sqlite_url, table).items():
            assert len(rows) == len(answer[path][key]), (table, path)
            for row, got in zip(rows, answer[path][key], strict=True):
                assert row == subset(row, got), (table, path)
                compared += 1
    for path, rows in stored(sqlite_url, "call_edges").items():  # the answer's calls are these
        assert len(rows) == len(answer[path]["calls"]), path
        for row, got in zip(rows, answer[path]["calls"], strict=True):
            assert row == subset(row, got), path
            compared += 1
    for path, rows in stored(sqlite_url, "calls").items():  # joined to their edges by call_index
        for row in rows:
            edges = [got for got in answer[path]["calls"] if got["call_index"] == row["ordinal"]]
            assert edges, (path, row)
            for got in edges:
                for key in ("ordinal", "caller", "reason"):  # the edge's: position, global id, verdict
                    row.pop(key, None)
                assert row == subset(row, got), path
                compared += 1
    for path, rows in stored(sqlite_url, "import_resolutions").items():
        for row, got in zip(rows, answer[path]["imports"], strict=True):
            assert row == subset(row, got, {"importer": "path", "import_index": "ordinal"}), path
            compared += 1
    assert compared > 100
    # and the graph is really there: calls and imports between the files sent resolve
    calls = {(c["caller"], c["target"], c["how"]) for c in answer["app/models.py"]["calls"]}
    assert ("app/models.py::Order.total", "app/views.py::render", "module_qualified") in calls
    imports = {(i["module"], i["target"]) for i in answer["app/views.py"]["imports"]}
    assert ("app.models", "app/models.py") in imports


def test_the_answer_matches_the_openapi_document(base: str) -> None:
    doc = openapi()
    schema = {**doc["paths"]["/api/analyze"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]}
    schema["components"] = doc["components"]
    files = [{"path": "a.py", "content": SENT["app/models.py"]}, {"path": "web/x.js", "content": SENT["web/index.js"]}]
    files += [{"path": "bin.dat", "content": "\x00\x01"}, {"path": "note.txt", "content": "hi"}]
    answer = post(base, {"files": files}).json()
    jsonschema.validate(answer, schema)
    request = {**doc["components"]["schemas"]["AnalyzeRequest"], "components": doc["components"]}
    jsonschema.validate({"files": files, "language": None}, request)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"files": files, "extra": 1}, request)
    assert [f["status"] for f in answer["files"]] == ["ok", "ok", "skipped", "skipped"]


def test_other_languages_resolve_between_files_sent(base: str) -> None:
    files = [
        {"path": "go.mod", "content": "module example.com/shop\n\ngo 1.22\n"},
        {
            "path": "cmd/main.go",
            "content": 'package main\n\nimport "example.com/shop/util"\n\nfunc main() { util.Help() }\n',
        },
        {"path": "util/util.go", "content": "package util\n\nfunc Help() int { return 1 }\n"},
        {"path": "web/a.ts", "content": "import { b } from './b'\nexport function a() { return b() }\n"},
        {"path": "web/b.ts", "content": "export function b() { return 2 }\n"},
    ]
    answer = {f["path"]: f for f in post(base, {"files": files}).json()["files"]}
    assert answer["go.mod"]["symbols"] == []  # a file sent for the Go resolver to read
    (go_import,) = answer["cmd/main.go"]["imports"]
    assert go_import["target"] == "util/util.go"
    assert [c["target"] for c in answer["cmd/main.go"]["calls"]] == ["util/util.go::Help"]
    assert [c["target"] for c in answer["web/a.ts"]["calls"]] == ["web/b.ts::b"]
    # alone, the same file resolves nothing
    (alone,) = post(base, {"files": files[1:2]}).json()["files"]
    assert alone["imports"][0]["target"] is None and alone["calls"][0]["target"] is None


def test_language_is_forced_or_detected(base: str) -> None:
    files = [{"path": "script", "content": "def f():\n    return 1\n"}, {"path": "x.rs", "content": "fn g() {}\n"}]
    detected = post(base, {"files": files}).json()["files"]
    assert [f["language"] for f in detected] == [None, "rust"]
    forced = post(base, {"files": files, "language": "python"}).json()["files"]
    assert [f["language"] for f in forced] == ["python", "python"]
    assert [s["name"] for s in forced[0]["symbols"]] == ["f"]
    per_file = post(base, {"files": [{**files[0], "language": "python"}, files[1]]}).json()["files"]
    assert [f["language"] for f in per_file] == ["python", "rust"]


def test_a_hanging_grammar_costs_one_file_a_record(base: str) -> None:
    """tree-sitter's COBOL grammar never returns on ``x = 1`` (the engine's own hang case)."""
    files = [
        {"path": "hang.cbl", "content": "x = 1\n", "language": "cobol"},
        {"path": "ok.py", "content": "def fine():\n    return 1\n"},
    ]
    t0 = time.monotonic()
    r = post(base, {"files": files})
    elapsed = time.monotonic() - t0
    assert r.status_code == 200, r.text
    hang, ok = r.json()["files"]
    assert (hang["status"], hang["reason"]) == ("error", f"timed out after {TIMEOUT_S}s (parser hang)")
    assert hang["symbols"] == [] and hang["summary"] is None
    assert ok["status"] == "ok" and [s["name"] for s in ok["symbols"]] == ["fine"]
    assert TIMEOUT_S <= elapsed < TIMEOUT_S + 20
    # the server goes on, with a fresh worker
    (again,) = post(base, {"files": files[1:]}).json()["files"]
    assert again["status"] == "ok"


def test_body_over_the_limit_is_413_declared_or_streamed(base: str) -> None:
    big = {"files": [{"path": "big.py", "content": "x = 1\n" * (MAX_BODY // 6 + 1)}]}
    message = error(post(base, big), 413)
    assert message == f"request body over the limit of {MAX_BODY} bytes"

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked, cut off while it streams
        yield b'{"files": [{"path": "big.py", "content": "'
        for _ in range(MAX_BODY // 10_000 + 2):
            yield b"x" * 10_000
        yield b'"}]}'

    assert error(post(base, content=chunks()), 413) == message  # type: ignore[arg-type]
    just = {"files": [{"path": "a.py", "content": "x" * (MAX_BODY - 100)}]}
    assert post(base, just).status_code == 200


def test_too_many_files_is_413(base: str) -> None:
    files = [{"path": f"m{i}.py", "content": f"v{i} = {i}\n"} for i in range(MAX_FILES + 1)]
    assert error(post(base, {"files": files}), 413) == f"{MAX_FILES + 1} files over the limit of {MAX_FILES}"
    assert len(post(base, {"files": files[:MAX_FILES]}).json()["files"]) == MAX_FILES


BAD = [
    (b"", "invalid JSON: Input data was truncated"),
    (b"{", "invalid JSON: Input data was truncated"),
    (b'{"files": [}', "invalid JSON"),
    (b"\xff", "invalid JSON"),
    (b"[]", "the body must be a JSON object"),
    (b"{}", "missing field 'files'"),
    (b'{"files": [], "x": 1}', "unknown field 'x' (the body takes files and language)"),
    (b'{"files": []}', "'files' must be a non-empty array of {path, content}"),
    (b'{"files": {"path": "a.py"}}', "'files' must be a non-empty array"),
    (b'{"files": ["a.py"]}', "files[0] must be an object with path and content"),
    (b'{"files": [{"content": ""}]}', "files[0].path must be a non-empty string"),
    (b'{"files": [{"path": "", "content": ""}]}', "files[0].path must be a non-empty string"),
    (b'{"files": [{"path": 3, "content": ""}]}', "files[0].path must be a non-empty string"),
    (b'{"files": [{"path": "a.py"}]}', "files[0].content must be a string (the file's text)"),
    (b'{"files": [{"path": "a.py", "content": null}]}', "files[0].content must be a string"),
    (b'{"files": [{"path": "a.py", "content": "", "size": 1}]}', "unknown field 'files[0].size'"),
    (b'{"files": [{"path": "/etc/passwd", "content": ""}]}', "files[0].path '/etc/passwd' must be relative"),
    (b'{"files": [{"path": "a/../b.py", "content": ""}]}', "must not have empty, '.' or '..' segments"),
    (b'{"files": [{"path": "a//b.py", "content": ""}]}', "must not have empty, '.' or '..' segments"),
    (b'{"files": [{"path": "./b.py", "content": ""}]}', "must not have empty, '.' or '..' segments"),
    (b'{"files": [{"path": "a/", "content": ""}]}', "must not have empty, '.' or '..' segments"),
    (b'{"files": [{"path": "a\\u0000", "content": ""}]}', "must not contain a NUL character"),
    (
        b'{"files": [{"path": "a.py", "content": ""}, {"path": "a.py", "content": "x"}]}',
        "files[1].path 'a.py' is given twice",
    ),
    (b'{"files": [{"path": "a.py", "content": ""}], "language": "klingon"}', "language must be a language name"),
    (b'{"files": [{"path": "a.py", "content": ""}], "language": 7}', "language must be a language name"),
    (
        b'{"files": [{"path": "a.py", "content": "", "language": "Python"}]}',
        "files[0].language must be a language name",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_invalid_bodies_are_400_naming_the_problem(base: str, body: bytes, message: str) -> None:
    assert message in error(post(base, content=body), 400)


def test_query_parameters_methods_and_token(base: str) -> None:
    ok = {"files": [{"path": "a.py", "content": "x = 1\n"}]}
    assert error(post(base, ok, params={"limit": "5"}), 400) == "unknown parameter 'limit'"
    for method in ("GET", "PUT", "DELETE"):
        r = httpx.request(method, base + "/api/analyze", headers=AUTH)
        assert error(r, 405) == "method not allowed (use POST)" and r.headers["allow"] == "POST"
    head = httpx.head(base + "/api/analyze", headers=AUTH)
    assert head.status_code == 405 and head.headers["allow"] == "POST"
    r = httpx.post(base + "/api/stats", headers=AUTH)
    assert error(r, 405) == "method not allowed (use GET)" and r.headers["allow"] == "GET, HEAD"
    assert error(post(base, ok, headers={"Authorization": ""}), 401) == "missing bearer token"
    assert error(post(base, ok, headers={"Authorization": "Bearer nope"}), 401) == "invalid bearer token"
    assert error(httpx.post(base + "/api/analyze/", json=ok, headers=AUTH), 404) == "no such route"


def test_nothing_is_written_to_the_store(base: str, sqlite_url: str) -> None:
    db = Path(sqlite_url.removeprefix("sqlite:///"))

    def fingerprint() -> tuple[str, ...]:
        return tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(db.parent.glob(db.name + "*")))

    before = fingerprint()
    stats = httpx.get(base + "/api/stats", headers=AUTH).json()
    new = {"files": [{"path": "app/new.py", "content": "def brand_new():\n    return 1\n"}]}
    assert post(base, new).status_code == 200
    assert post(base, {"files": [{"path": "app/models.py", "content": ""}]}).status_code == 200
    assert httpx.get(base + "/api/stats", headers=AUTH).json() == stats
    assert httpx.get(base + "/api/symbols?name=brand_new", headers=AUTH).json()["items"] == []
    assert fingerprint() == before


def test_in_process_call_needs_no_http() -> None:
    """What the MCP server's analyze tool calls: the same validation, as ApiError."""
    from thread_assets.api.contract import ApiError

    files = [{"path": "m.py", "content": "import os\n\ndef f():\n    return g()\n\ndef g():\n    return 1\n"}]
    (record,) = analyze_files(files, None, AnalyzeLimits(workers=1))["files"]
    assert [(c["caller"], c["target"]) for c in record["calls"]] == [("m.py::f", "m.py::g")]
    assert [(i["module"], i["used"], i["external"]) for i in record["imports"]] == [("os", False, "os")]
    with pytest.raises(ApiError) as raised:
        analyze_files(files * 2, None, AnalyzeLimits(workers=1))
    assert raised.value.status == 400
    with pytest.raises(ApiError) as raised:
        analyze_files(files, None, AnalyzeLimits(max_files=0))
    assert raised.value.status == 413


@contextmanager
def analyze_only(cwd: Path, *args: str) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("THREAD_STORE_URL", "THREAD_API_TOKEN")}
    command = [str(THREAD), "serve", "--analyze-only", "--port", str(port), *args]
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
        assert proc.stdout is not None
        proc.stdout.close()


def test_analyze_only_needs_no_index(tmp_path: Path) -> None:
    with analyze_only(tmp_path) as url:
        r = httpx.post(url + "/api/analyze", json={"files": [{"path": "a.py", "content": "def f(): pass\n"}]})
        assert r.status_code == 200 and r.json()["files"][0]["symbols"][0]["name"] == "f"
        for route in ("/api/stats", "/api/symbols?name=f", "/api/files/a.py/symbols", "/api/cycles"):
            assert "holds no index" in error(httpx.get(url + route), 404)
        assert httpx.get(url + "/openapi.json").json()["paths"]["/api/analyze"]["post"]
    assert list(tmp_path.iterdir()) == []  # no .thread/ made
    refused = subprocess.run(
        [str(THREAD), "serve", "--analyze-only", "--store", "sqlite:///x.db"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "--analyze-only serves no index" in refused.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--max-body", "0"), "--max-body must be 1 or more"),
        (("--max-files", "-1"), "--max-files must be 1 or more"),
        (("--analyze-timeout", "0"), "--analyze-timeout must be positive"),
        (("--analyze-workers", "0"), "--analyze-workers must be 1 or more"),
    ],
)
def test_bad_limits_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    done = subprocess.run(
        [str(THREAD), "serve", "--analyze-only", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_concurrent_requests_get_their_own_answers(base: str) -> None:
    """Requests analysed at once (the server's thread pool, the engine's shared warm workers)
    each get the answer they get alone."""
    from concurrent.futures import ThreadPoolExecutor

    bodies = [
        {"files": [{"path": f"p{i}/m.py", "content": f"def f{i}():\n    return g{i}()\n\n\ndef g{i}():\n    pass\n"}]}
        for i in range(8)
    ]
    alone = [without_timings(post(base, b).json()) for b in bodies]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda b: post(base, b), bodies))
    assert [r.status_code for r in together] == [200] * 8
    assert [without_timings(r.json()) for r in together] == alone
    assert [[c["target"] for c in a["files"][0]["calls"]] for a in alone] == [[f"p{i}/m.py::g{i}"] for i in range(8)]
