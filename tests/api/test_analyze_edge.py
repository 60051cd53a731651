"""The edge Worker's analysis routing in Miniflare, against real ``thread serve`` processes: an
origin URL (``ANALYZE_ORIGIN``, with or without a token of its own), the container binding
(``ANALYZER``), no backend (503) and a backend that does not answer (502).

Cloudflare Containers cannot run here, so the ``ANALYZER`` binding is a stand-in with the
Durable Object namespace's interface (``idFromName``, ``get``, a stub's ``fetch``) whose stubs
pass the request to a real ``thread serve --analyze-only``, as a container's Durable Object
passes it to the container's port; it also counts the instance names the Worker asked for. The
Worker code is the deployed one, byte for byte (``token_worker`` copies edge/src)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import miniflare

from .conftest import FILES, TOKEN, free_port, serve, token_worker, without_timings
from .test_analyze import analyze_only

EDGE_TOKEN = "edge-token"
BODY = {"files": [{"path": p, "content": FILES[p]} for p in ("app/models.py", "app/views.py", "app/__init__.py")]}

WRAPPER = """
import worker from "./index.js";
const ORIGIN = %(origin)s;
const CONTAINER = %(container)s;
const DEAD = %(dead)s;
const seen = {};
class ContainerStub {  // what a Container's Durable Object does: pass the request to its port
  constructor(name) { this.name = name; }
  async fetch(request) {
    seen[this.name] = (seen[this.name] ?? 0) + 1;
    const url = new URL(request.url);
    return fetch(CONTAINER + url.pathname + url.search, request);
  }
}
const ANALYZER = { idFromName: (name) => name, get: (id) => new ContainerStub(id) };
const MODES = {
  none: {},
  dead: { ANALYZE_ORIGIN: DEAD },
  origin: { ANALYZE_ORIGIN: ORIGIN },
  "origin-edge-token": { ANALYZE_ORIGIN: ORIGIN, API_TOKEN: %(edge)s, ANALYZE_TOKEN: %(token)s },
  container: { ANALYZER, ANALYZER_INSTANCES: "3", API_TOKEN: %(edge)s },
};
export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__seen") return Response.json(seen);
    const mode = MODES[request.headers.get("x-test-backend")];
    return worker.fetch(request, { ...env, ...mode }, ctx);
  },
};
"""


@pytest.fixture(scope="module")
def bases(sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    work = tmp_path_factory.mktemp("edge_analyze")
    with serve(sqlite_url, TOKEN) as origin, analyze_only(work) as container:
        entry = token_worker(work / "worker", None)
        entry.write_text(
            WRAPPER
            % {
                "origin": json.dumps(origin),
                "container": json.dumps(container),
                "dead": json.dumps(f"http://127.0.0.1:{free_port()}"),
                "edge": json.dumps(EDGE_TOKEN),
                "token": json.dumps(TOKEN),
            },
            encoding="utf-8",
        )
        try:
            with miniflare.local_d1(api_script=entry) as d1:
                assert d1.api_url
                yield {"worker": d1.api_url, "origin": origin, "container": container}
        except miniflare.MiniflareUnavailable as exc:
            pytest.skip(str(exc))


def worker_post(bases: dict[str, str], mode: str, token: str | None, body: Any = BODY) -> httpx.Response:
    headers = {"x-test-backend": mode, **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.post(bases["worker"] + "/api/analyze", json=body, headers=headers, timeout=60)


def same(a: httpx.Response, b: httpx.Response) -> None:
    assert (a.status_code, a.headers["content-type"]) == (b.status_code, b.headers["content-type"])
    assert without_timings(a.json()) == without_timings(b.json())


def test_origin_answers_through_the_worker(bases: dict[str, str]) -> None:
    direct = httpx.post(bases["origin"] + "/api/analyze", json=BODY, headers={"Authorization": f"Bearer {TOKEN}"})
    assert direct.status_code == 200
    # no token on the Worker: the client's header is the origin's business
    same(worker_post(bases, "origin", TOKEN), direct)
    refused = worker_post(bases, "origin", None)
    assert refused.status_code == 401 and refused.json()["error"]["message"] == "missing bearer token"
    assert refused.headers["www-authenticate"] == "Bearer"
    # a token on the Worker: checked there, and the origin gets ANALYZE_TOKEN instead
    same(worker_post(bases, "origin-edge-token", EDGE_TOKEN), direct)
    assert worker_post(bases, "origin-edge-token", TOKEN).json()["error"]["message"] == "invalid bearer token"
    bad = worker_post(bases, "origin-edge-token", EDGE_TOKEN, {"files": []})
    assert bad.status_code == 400 and "non-empty array" in bad.json()["error"]["message"]


def test_container_binding_answers_through_the_worker(bases: dict[str, str]) -> None:
    direct = httpx.post(bases["container"] + "/api/analyze", json=BODY)
    assert direct.status_code == 200
    for _ in range(12):
        same(worker_post(bases, "container", EDGE_TOKEN), direct)
    seen = httpx.get(bases["worker"] + "/__seen").json()
    assert set(seen) <= {"analyzer-0", "analyzer-1", "analyzer-2"} and len(seen) >= 2, seen
    assert sum(seen.values()) == 12
    assert worker_post(bases, "container", None).status_code == 401


def test_no_backend_is_503_and_a_silent_one_502(bases: dict[str, str]) -> None:
    none = worker_post(bases, "none", None)
    assert none.status_code == 503
    assert none.json()["error"] == {
        "status": 503,
        "code": "unavailable",
        "message": "no analysis backend: set ANALYZE_ORIGIN or bind the ANALYZER container (docs/deploy.md)",
    }
    dead = worker_post(bases, "dead", None)
    assert dead.status_code == 502
    assert dead.json()["error"]["message"] == "the analysis backend did not answer"
    # the other routes are the Worker's own, whatever the backend
    spec = httpx.get(bases["worker"] + "/openapi.json", headers={"x-test-backend": "dead"})
    assert spec.content == httpx.get(bases["origin"] + "/openapi.json").content


def test_the_worker_module_deployed_exports_the_container_class() -> None:
    """wrangler deploys src/worker.js (it bundles @cloudflare/containers, which workerd cannot load
    unbundled): it must re-export the Worker and the class wrangler.toml binds and migrates."""
    edge = Path(__file__).resolve().parents[2] / "edge"
    toml = (edge / "wrangler.toml").read_text(encoding="utf-8")
    assert 'main = "src/worker.js"' in toml
    assert 'class_name = "AnalysisContainer"' in toml and 'new_sqlite_classes = ["AnalysisContainer"]' in toml
    module = (edge / "src" / "worker.js").read_text(encoding="utf-8")
    assert 'export { default } from "./index.js";' in module
    assert 'export { AnalysisContainer } from "./container.js";' in module
    container = (edge / "src" / "container.js").read_text(encoding="utf-8")
    assert (
        'from "@cloudflare/containers"' in container and "export class AnalysisContainer extends Container" in container
    )
    assert '"--analyze-only"' in container
    version = json.loads((edge / "package.json").read_text(encoding="utf-8"))["dependencies"]["@cloudflare/containers"]
    lock = json.loads((edge / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@cloudflare/containers"]["version"] == version  # pinned, locked
