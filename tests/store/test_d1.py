"""What the D1 store promises on top of the shared behaviour, against a real local D1 (Miniflare):
atomic batches, statements within D1's limits, staging of writes too large for one batch, retries
on 429/5xx/transport errors through a real fault-injecting HTTP proxy (never on SQL errors), a
token that appears nowhere, exact 64-bit integers, migrations that follow sql/, and the API Worker
seeing the same database."""

from __future__ import annotations

import http.server
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from resources.store import StoreError, open_store
from resources.store.d1 import (
    MAX_PARAMS,
    MIGRATIONS_DIR,
    STATEMENT_BYTES,
    D1SqlError,
    D1Store,
    _Stmt,
    migrations,
)
from tests.support.miniflare import LocalD1, local_d1
from thread_assets.engine import FileAnalysis, Location, ParseSummary, Symbol

BIG = 2**63 - 1


def _repo() -> str:
    return f"d1-{uuid.uuid4().hex[:8]}"


# ---- a real HTTP proxy in front of Miniflare that can answer 429/5xx, reset, stall or echo


@dataclass
class Proxy:
    upstream: str
    faults: list[tuple[Any, ...]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    base: str = ""

    def statements(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in self.requests:
            out += r["body"].get("batch", [r["body"]])
        return out


@pytest.fixture
def proxy(local_d1_server: LocalD1) -> Iterator[Proxy]:
    state = Proxy(local_d1_server.rest_base)
    upstream = httpx.Client(timeout=60)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            state.requests.append({"path": self.path, "body": json.loads(raw), "headers": dict(self.headers)})
            fault = state.faults.pop(0) if state.faults else None
            if fault and fault[0] == "reset":
                self.close_connection = True
                self.connection.close()
                return
            if fault and fault[0] == "stall":
                time.sleep(fault[1])
                self.close_connection = True
                return
            if fault and fault[0] == "status":
                status = fault[1]
                headers = fault[2] if len(fault) > 2 else {}
                body = fault[3] if len(fault) > 3 else b""
                body = body or json.dumps({"success": False, "errors": [{"code": 7500, "message": "busy"}]}).encode()
                if body == b"echo":
                    body = json.dumps({"errors": [{"code": 1, "message": self.headers["authorization"]}]}).encode()
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            path = self.path.split("/client/v4", 1)[1]
            answer = upstream.post(
                state.upstream + path, content=raw, headers={"authorization": self.headers["authorization"]}
            )
            self.send_response(answer.status_code)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}/client/v4"
    yield state
    server.shutdown()
    server.server_close()
    upstream.close()


def _through(proxy: Proxy, d1: LocalD1, **kwargs: Any) -> D1Store:
    kwargs = {"backoff": 0.01, "max_backoff": 0.2, **kwargs}
    store = D1Store(d1.account, d1.database, d1.token, api_base=proxy.base, **kwargs)
    proxy.requests.clear()
    return store


def _big_file(path: str, symbols: int, doc: int = 300) -> FileAnalysis:
    loc = Location(start_line=1, start_col=0, end_line=2, end_col=BIG, start_byte=BIG - 1, end_byte=BIG)
    return FileAnalysis(
        path=path,
        language="python",
        status="ok",
        size_bytes=BIG,
        summary=ParseSummary(
            language="python",
            content_hash="h",
            size_bytes=BIG,
            line_count=2**53 + 1,
            node_count=0,
            error_count=0,
            error_ratio=0.1,
            max_depth=1,
            parse_time_ms=1e-300,
            grammar_version="g",
        ),
        symbols=tuple(
            Symbol(
                id=f"f{i}",
                name=f"f{i}",
                qualified_name=f"mod.f{i}",
                kind="function",
                visibility="public",
                signature=f"def f{i}(x: 'é')",
                docstring=("doc 🐍 " * doc)[: doc * 3] + str(i),
                location=loc,
            )
            for i in range(symbols)
        ),
    )


# ---- atomicity and limits


def test_a_failing_statement_leaves_the_whole_batch_unwritten(d1_store: D1Store) -> None:
    repo = _repo()
    d1_store.write_files(repo, [FileAnalysis(path="ok.py", language="python", status="ok")])
    good = _Stmt("DELETE FROM files WHERE repo = ?1", [repo])
    bad = _Stmt("INSERT INTO files (repo, path) VALUES (?1, 'x.py')", [repo])  # NOT NULL columns missing
    with pytest.raises(D1SqlError, match="NOT NULL constraint failed"):
        d1_store._send([good, bad])
    assert list(d1_store.file_states(repo)) == ["ok.py"]  # the DELETE before it was rolled back


def test_nothing_is_sent_when_the_transaction_body_raises(proxy: Proxy, local_d1_server: LocalD1) -> None:
    store = _through(proxy, local_d1_server)
    repo = _repo()
    with pytest.raises(KeyError), store._transaction() as tx:
        tx.execute("DELETE FROM files WHERE repo = :repo", {"repo": repo})
        assert tx.select("SELECT COUNT(*) FROM files WHERE repo = :repo", {"repo": repo}) == [(0,)]
        raise KeyError("boom")
    assert [r["path"].rsplit("/", 1)[1] for r in proxy.requests] == ["raw"]  # the read only
    store.close()


def test_many_symbols_are_chunked_within_d1_statement_limits(
    proxy: Proxy, local_d1_server: LocalD1, d1_store: D1Store
) -> None:
    store = _through(proxy, local_d1_server)
    repo = _repo()
    analysis = _big_file("many.py", 1500)
    store.write_files(repo, [analysis])
    assert store.last_write.batches == 1 and not store.last_write.staged
    inserts = [s for s in proxy.statements() if s["sql"].startswith("INSERT INTO symbols")]
    assert len(inserts) > 10  # 1500 symbols with 900-character docstrings: many statements
    for s in proxy.statements():
        size = len(s["sql"].encode()) + sum(len(str(p).encode()) for p in s.get("params") or [])
        assert len(s.get("params") or []) <= MAX_PARAMS and size <= STATEMENT_BYTES, s["sql"][:80]
    assert d1_store.load_analyses(repo) == [analysis]
    assert d1_store.search_symbols("f1499", repo=repo)[0]["name"] == "f1499"
    store.close()


def test_a_write_too_large_for_one_batch_is_staged_and_still_atomic(
    proxy: Proxy, local_d1_server: LocalD1, d1_store: D1Store
) -> None:
    store = _through(proxy, local_d1_server, batch_bytes=300_000)
    repo = _repo()
    files = [_big_file(f"pkg/m{i}.py", 400) for i in range(4)]
    store.write_files(repo, files, run_id="r1")
    report = store.last_write
    assert report.staged and report.batches >= 4 and report.bytes > 300_000
    assert all(len(json.dumps(r["body"])) < 2 * 300_000 for r in proxy.requests)
    assert d1_store.load_analyses(repo) == files
    assert d1_store.search_symbols("f399", repo=repo, limit=10)[0]["path"] == "pkg/m0.py"
    # the final batch fails (a NOT NULL violation in the last file): nothing changes, staging is empty
    before = {t: list(d1_store.export(t, repo=repo)) for t in ("files", "symbols")}
    bad = FileAnalysis(path="pkg/m3.py", language="python", status=None)  # type: ignore[arg-type]
    with pytest.raises(D1SqlError, match="NOT NULL"):
        store.write_files(repo, [_big_file("pkg/m0.py", 400, doc=10), *files[1:3], bad])
    assert {t: list(d1_store.export(t, repo=repo)) for t in ("files", "symbols")} == before
    assert d1_store._select("SELECT COUNT(*) FROM _thread_staging", {})[1] == [(0,)]
    store.close()


def test_64_bit_integers_and_doubles_are_exact(d1_store: D1Store) -> None:
    repo = _repo()
    analysis = _big_file("big.py", 2)
    d1_store.write_files(repo, [analysis])
    assert d1_store.load_analyses(repo) == [analysis]
    assert d1_store.file_states(repo)["big.py"].size_bytes == BIG
    (row,) = d1_store._select(
        "SELECT typeof(size_bytes), typeof(line_count), typeof(parse_time_ms) FROM files WHERE repo = :repo",
        {"repo": repo},
    )[1]
    assert row == ("integer", "integer", "real")
    assert next(d1_store.export("symbols", repo=repo))["end_byte"] == BIG


def test_export_pages_by_key(d1_store: D1Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import resources.store.d1 as d1

    repo = _repo()
    d1_store.write_files(repo, [_big_file("a.py", 7, doc=1), _big_file("b.py", 6, doc=1)])
    monkeypatch.setattr(d1, "EXPORT_PAGE", 4)
    rows = list(d1_store.export("symbols", repo=repo))
    assert [(r["path"], r["ordinal"]) for r in rows] == [("a.py", i) for i in range(7)] + [
        ("b.py", i) for i in range(6)
    ]


# ---- retries, errors, the token


def test_retries_429_5xx_resets_and_timeouts_then_succeeds(proxy: Proxy, local_d1_server: LocalD1) -> None:
    store = _through(proxy, local_d1_server, timeout=1.0)
    proxy.faults += [
        ("status", 429, {"retry-after": "0"}),
        ("status", 503),
        ("reset",),
        ("stall", 1.5),
        ("status", 502),
    ]
    repo = _repo()
    store.write_files(repo, [FileAnalysis(path="r.py", language="python", status="ok")])
    assert len(proxy.requests) == 6 and not proxy.faults
    assert list(store.file_states(repo)) == ["r.py"]
    store.close()


def test_retry_after_is_honoured(proxy: Proxy, local_d1_server: LocalD1) -> None:
    store = _through(proxy, local_d1_server)
    proxy.faults.append(("status", 429, {"retry-after": "1"}))
    started = time.perf_counter()
    assert store._select("SELECT 7", {})[1] == [(7,)]
    assert time.perf_counter() - started >= 1.0 and len(proxy.requests) == 2
    store.close()


def test_gives_up_after_max_attempts_with_one_line(proxy: Proxy, local_d1_server: LocalD1) -> None:
    store = _through(proxy, local_d1_server, max_attempts=3)
    proxy.faults += [("status", 503)] * 3
    with pytest.raises(StoreError) as err:
        store._select("SELECT 1", {})
    assert len(proxy.requests) == 3
    assert "HTTP 503" in str(err.value) and "after 3 attempts" in str(err.value) and "\n" not in str(err.value)
    store.close()


def test_sql_errors_are_never_retried(proxy: Proxy, local_d1_server: LocalD1) -> None:
    store = _through(proxy, local_d1_server)
    with pytest.raises(D1SqlError, match="no such table: nope"):
        store._select("SELECT * FROM nope", {})
    assert len(proxy.requests) == 1
    store.close()


def test_the_token_appears_in_no_url_repr_exception_or_log(
    proxy: Proxy, local_d1_server: LocalD1, caplog: pytest.LogCaptureFixture
) -> None:
    token = local_d1_server.token
    caplog.set_level(logging.DEBUG)
    store = _through(proxy, local_d1_server, max_attempts=2)
    texts = [store.url, repr(store), str(store.__dict__.get("_endpoint"))]
    proxy.faults += [("status", 500, {}, b"echo"), ("status", 500, {}, b"echo")]
    for fault in (lambda: store._select("SELECT 1", {}), lambda: store._select("SELECT * FROM nope", {})):
        with pytest.raises((StoreError, D1SqlError)) as err:
            fault()
        texts += [str(err.value), repr(err.value)]
    assert proxy.requests[0]["headers"]["Authorization"] == f"Bearer {token}"  # where it belongs
    wrong = D1Store(local_d1_server.account, local_d1_server.database, "x" + token, api_base=proxy.base, check=False)
    with pytest.raises(StoreError, match=r"rejected the token .* \(HTTP 403: Authentication error") as err:
        wrong._select("SELECT 1", {})
    texts.append(str(err.value))
    for text in [*texts, caplog.text]:
        assert token not in text
    assert "Bearer ***" in texts[3]  # the echoed header was scrubbed
    store.close()


def test_open_store_errors_are_one_clear_line(local_d1_server: LocalD1, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREAD_D1_API_BASE", local_d1_server.rest_base)
    monkeypatch.setenv("THREAD_D1_TOKEN", "wrong-token")
    with pytest.raises(StoreError, match=r"^the D1 API rejected the token for d1://") as err:
        open_store(local_d1_server.d1_url)
    assert "wrong-token" not in str(err.value)
    monkeypatch.setenv("THREAD_D1_TOKEN", local_d1_server.token)
    with pytest.raises(StoreError, match=r"^D1 database not found: d1://.*/nope \(API http://127\.0\.0\.1"):
        open_store(f"d1://{local_d1_server.account}/nope")
    with pytest.raises(StoreError, match=r"^cannot reach the D1 API for d1://a/b \(API http://127\.0\.0\.1:1\)"):
        D1Store("a", "b", "t", api_base="http://127.0.0.1:1", max_attempts=2, backoff=0.01)
    store = open_store(local_d1_server.d1_url)
    assert isinstance(store, D1Store) and store.url == local_d1_server.d1_url
    store.close()


# ---- schema, migrations, the API Worker on the same database


def test_migrations_are_generated_from_sql_and_apply_idempotently(d1_store: D1Store) -> None:
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in sorted(MIGRATIONS_DIR.glob("*.sql"))}
    assert on_disk == migrations(), "edge/migrations/ drifted from sql/: run python -m resources.store.d1"
    d1_store.apply_schema()
    d1_store.apply_schema()
    names = d1_store._select("SELECT name FROM d1_migrations ORDER BY id", {})[1]
    assert names == [(n,) for n in migrations()]


API_PROBE = """
export default {
  async fetch(request, env) {
    const { results } = await env.DB.prepare("SELECT path, size_bytes FROM files WHERE repo = ?1").bind("shared").all();
    return Response.json(results);
  },
};
"""


def test_the_api_worker_reads_what_the_store_wrote(tmp_path: Path) -> None:
    script = tmp_path / "probe.js"
    script.write_text(API_PROBE, encoding="utf-8")
    with local_d1(api_script=script, persist=tmp_path / "d1") as d1:
        assert d1.api_url and d1.api_url != d1.rest_base
        store = d1.store()
        store.apply_schema()
        store.write_files("shared", [FileAnalysis(path="w.py", language="python", status="ok", size_bytes=12)])
        assert httpx.get(d1.api_url + "/").json() == [{"path": "w.py", "size_bytes": 12}]
        store.close()
    assert any((tmp_path / "d1").rglob("*.sqlite"))  # persisted


def test_a_launcher_failure_reports_its_stderr(tmp_path: Path) -> None:
    script = tmp_path / "broken.js"
    script.write_text("export default { fetch( }", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"(?s)Miniflare .*exited with .*stderr:\n.*\S"), local_d1(api_script=script):
        pass


def test_bulk_insert_statements_decode_like_the_rows(d1_store: D1Store) -> None:
    """The JSON path keeps text that looks like numbers or JSON as text, and NULL apart from ''."""
    repo = _repo()
    analysis = FileAnalysis(
        path="t.py",
        language="python",
        status="ok",
        symbols=(
            Symbol(
                id="1",
                name="12",
                qualified_name='{"a": 1}',
                kind="function",
                visibility="public",
                signature="",
                docstring="null",
                return_type="",
                parent=None,
                location=Location(start_line=0, start_col=0, end_line=0, end_col=0, start_byte=0, end_byte=0),
            ),
        ),
    )
    d1_store.write_files(repo, [analysis])
    assert d1_store.load_analyses(repo) == [analysis]
    assert msgspec.json.decode(next(d1_store.export("symbols", repo=repo))["parameters"]) == []
