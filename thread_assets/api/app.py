"""``thread serve``: the read-only query API over any store URL, as a Starlette application.

The routes, parameters, messages and OpenAPI document come from ``contract.py`` (shared with the
edge Worker). Store calls are synchronous and run in Starlette's thread pool; every one binds its
parameters (the SQL lives in ``sql/``). Responses are compact UTF-8 JSON with rows in the store's
deterministic order. ``POST /api/analyze`` is the one route that reads no store (``analyze.py``):
with no store at all (``thread serve --analyze-only``) it is the only one that answers.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from resources.store.base import Store
from resources.store.ranks import MapError, repo_map
from resources.store.url import open_index

from .analyze import AnalyzeLimits, analyze_files, parse_body
from .contract import MESSAGES, ROUTES, ROUTES_BY_NAME, ApiError, error_body, openapi, page, parse_params
from .webhooks import SHUTDOWN_S, GitHubHooks

log = logging.getLogger("thread.api")
_encode = msgspec.json.Encoder().encode
ALLOW = "GET, HEAD"
POST_PATHS = frozenset(r.path for r in ROUTES if r.method == "POST")


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(_encode(body), status_code=status, headers=headers, media_type="application/json")


def error_response(exc: ApiError) -> Response:
    return json_response(exc.body(), exc.status, exc.headers)


class BearerAuth:
    """Every ``/api/`` request needs ``Authorization: Bearer <token>`` when a token is set; checked
    before routing, so unknown ``/api/`` routes answer 401 too (nothing is revealed)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is not None and scope["type"] == "http" and scope["path"].startswith("/api/"):
            problem = self._problem(scope)
            if problem:
                headers = {"WWW-Authenticate": "Bearer"}
                await error_response(ApiError(401, MESSAGES[problem], headers))(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _problem(self, scope: Scope) -> str | None:
        assert self.token is not None
        header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        if header is None:
            return "no_token"
        scheme, _, credentials = header.partition(b" ")
        if scheme.lower() != b"bearer" or not credentials.strip():
            return "no_token"
        return None if hmac.compare_digest(credentials.strip(), self.token) else "bad_token"


class HostGuard:
    """Answers only requests whose ``Host`` is an allowed name or an IP address. Against DNS
    rebinding: a page on the attacker's domain, once that name resolves to this server's address,
    may read what the browser fetches from it, unless the server refuses the attacker's name. An
    IP address is always accepted, as a rebinding page cannot send one (its ``Host`` is its own
    domain name), and so is a request without ``Host`` (browsers always send one)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = {host_name(name) for name in allowed}
        self.anyone = "*" in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.anyone and scope["type"] in ("http", "websocket"):
            header = next((v for k, v in scope["headers"] if k == b"host"), None)
            if header is not None and not self.accepts(header.decode("latin-1")):
                host = header.decode("latin-1")
                await error_response(ApiError(400, MESSAGES["bad_host"].format(host=host)))(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def accepts(self, header: str) -> bool:
        name = host_name(header)
        if name in self.allowed:
            return True
        try:
            ipaddress.ip_address(name[1:-1] if name.startswith("[") else name)
        except ValueError:
            return False
        return True


def host_name(host: str) -> str:
    """The name part of a ``Host`` header (``name[:port]``, ``[v6][:port]``), lower-case, without
    a trailing dot (``localhost.`` is ``localhost``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rpartition(":")[0].rstrip(".") if ":" in host else host.rstrip(".")


Handler = Callable[[Store, dict[str, Any]], Any]


def _symbols(store: Store, q: dict[str, Any]) -> Any:
    rows = store.find_symbols(
        q["name"],
        repo=q["repo"],
        kind=q["kind"],
        language=q["lang"],
        prefix=q["prefix"],
        limit=q["limit"] + 1,
        offset=q["offset"],
    )
    return page(rows, q["limit"], q["offset"])


def _file_symbols(store: Store, q: dict[str, Any]) -> Any:
    path = q["path"]
    rows = store.file_symbols(path, repo=q["repo"], limit=q["limit"] + 1, offset=q["offset"])
    if not rows and not store.has_file(path, repo=q["repo"]):
        raise ApiError(404, MESSAGES["no_file"].format(path=path))
    return page(rows, q["limit"], q["offset"])


def _calls(direction: str) -> Handler:
    def handler(store: Store, q: dict[str, Any]) -> Any:
        fn = store.callers_page if direction == "callers" else store.callees_page
        return page(fn(q["symbol"], repo=q["repo"], limit=q["limit"] + 1, offset=q["offset"]), q["limit"], q["offset"])

    return handler


def _types(direction: str) -> Handler:
    def handler(store: Store, q: dict[str, Any]) -> Any:
        fn = store.hierarchy if direction == "hierarchy" else store.implementations
        return page(fn(q["symbol"], repo=q["repo"], limit=q["limit"] + 1, offset=q["offset"]), q["limit"], q["offset"])

    return handler


def _deps(store: Store, q: dict[str, Any]) -> Any:
    rows = store.deps(q["path"], repo=q["repo"], direction=q["direction"])
    return page(rows[q["offset"] : q["offset"] + q["limit"] + 1], q["limit"], q["offset"])


def _cycles(store: Store, q: dict[str, Any]) -> Any:
    rows = store.cycles(repo=q["repo"], skip_type_only=q["skip_type_only"], skip_deferred=q["skip_deferred"])
    return page(rows[q["offset"] : q["offset"] + q["limit"] + 1], q["limit"], q["offset"])


def _stats(store: Store, q: dict[str, Any]) -> Any:
    return store.stats(repo=q["repo"])


def _map(store: Store, q: dict[str, Any]) -> Any:
    try:
        return repo_map(store, repo=q["repo"], tokens=q["tokens"], focus=q["focus"])
    except MapError as exc:
        raise ApiError(400, str(exc)) from None


HANDLERS: dict[str, Handler] = {
    "symbols": _symbols,
    "file_symbols": _file_symbols,
    "file_symbols_query": _file_symbols,
    "callers": _calls("callers"),
    "callees": _calls("callees"),
    "hierarchy": _types("hierarchy"),
    "implementations": _types("implementations"),
    "deps": _deps,
    "cycles": _cycles,
    "stats": _stats,
    "map": _map,
}


async def read_body(request: Request, limit: int) -> bytes:
    """The body, or ApiError(413) as soon as it is known to be over ``limit`` bytes: from
    ``Content-Length`` before reading anything, else while it streams in."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, MESSAGES["body_too_large"].format(limit=limit))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, MESSAGES["body_too_large"].format(limit=limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _analyze_endpoint(limits: AnalyzeLimits) -> Callable[[Request], Awaitable[Response]]:
    route = ROUTES_BY_NAME["analyze"]

    async def endpoint(request: Request) -> Response:
        try:
            parse_params(route, request.query_params.multi_items())  # it takes none: a 400 names one
            files, language = parse_body(await read_body(request, limits.max_body))
            body = await run_in_threadpool(analyze_files, files, language, limits)
        except ApiError as exc:
            return error_response(exc)
        return json_response(body)

    return endpoint


async def _no_index(request: Request) -> Response:
    return error_response(ApiError(404, MESSAGES["no_index"]))


def _endpoint(name: str, store: Store) -> Callable[[Request], Awaitable[Response]]:
    route = ROUTES_BY_NAME[name]
    handler = HANDLERS[name]

    async def endpoint(request: Request) -> Response:
        try:
            params = parse_params(route, request.query_params.multi_items(), request.path_params)
            body = await run_in_threadpool(handler, store, params)
        except ApiError as exc:
            return error_response(exc)
        return json_response(body)

    return endpoint


class _Route(StarletteRoute):
    """A route whose ``{path:path}`` matches any path, a newline included, and whose end is the
    path's end: Starlette's pattern (``.*`` and ``$``) stops at a newline and lets a trailing one
    through (``/api/stats%0A`` answered as ``/api/stats``), where the Worker does neither."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        pattern = self.path_regex.pattern
        self.path_regex = re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern, re.DOTALL)


def create_app(
    store_url: str | None,
    token: str | None = None,
    *,
    store: Store | None = None,
    allowed_hosts: Iterable[str] | None = None,
    limits: AnalyzeLimits | None = None,
    hooks: GitHubHooks | None = None,
) -> Starlette:
    """The ASGI application serving the contract over the index at ``store_url`` (opened now, so
    a bad URL or a store without an index fails here with a StoreError; closed at shutdown).
    ``store_url`` None (and no ``store``): no index, only ``/api/analyze`` answers (the query
    routes say so with a 404). ``token``: bearer token required on ``/api/`` routes, none if empty.
    ``allowed_hosts``: the ``Host`` names answered (see :class:`HostGuard`; ``*``: any), every one
    if None. ``limits``: of ``/api/analyze`` (default :class:`AnalyzeLimits`). ``hooks``: serve
    ``POST /hooks/github`` (``webhooks.py``), whose updates in progress are let finish at shutdown."""
    if store is None and store_url is not None:
        store = open_index(store_url)
    spec = _encode(openapi())
    health = _encode({"status": "ok"})

    async def get_health(request: Request) -> Response:
        return Response(health, media_type="application/json")

    async def get_openapi(request: Request) -> Response:
        return Response(spec, media_type="application/json")

    def path_of(name: str) -> str:
        return ROUTES_BY_NAME[name].path.replace("{path}", "{path:path}")

    routes = [
        _Route("/health", get_health, methods=["GET"]),
        _Route("/openapi.json", get_openapi, methods=["GET"]),
        *(
            _Route(path_of(name), _endpoint(name, store) if store is not None else _no_index, methods=["GET"])
            for name in HANDLERS
        ),
        _Route(ROUTES_BY_NAME["analyze"].path, _analyze_endpoint(limits or AnalyzeLimits()), methods=["POST"]),
        *([hooks.route()] if hooks is not None else []),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(ApiError(404, MESSAGES["no_route"]))

    async def not_allowed(request: Request, exc: Exception) -> Response:
        allow = "POST" if request.scope["path"] in POST_PATHS else ALLOW
        return error_response(ApiError(405, MESSAGES["method"].format(allow=allow.split(",")[0]), {"Allow": allow}))

    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("query failed: %s %s", request.method, request.url.path)
        return json_response(error_body(500, MESSAGES["internal"]), 500)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if hooks is not None:
                await run_in_threadpool(hooks.close, SHUTDOWN_S)
            if store is not None:
                store.close()

    middleware = [Middleware(BearerAuth, token=token)]
    if allowed_hosts is not None:
        middleware.insert(0, Middleware(HostGuard, allowed=list(allowed_hosts)))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: not_found, 405: not_allowed, Exception: internal},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.store = store
    return app
