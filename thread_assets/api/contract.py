"""The query API's contract, as data: routes, parameters, limits, error messages, OpenAPI.

Two implementations serve it: ``thread serve`` (Starlette, any store URL; ``app.py``) and the
Cloudflare Worker (``edge/src/index.js``, D1). Both interpret the SAME tables: the Worker imports
``edge/src/contract.js``, which ``python -m thread_assets.api.edge`` generates from this module and
from the ``sql/`` files (a test fails when the committed file is stale). So a parameter, a limit or
a message is changed here once, and a client cannot tell which implementation answered.

Validation rules (the same in both):

1. the query string is read in order; a name the route does not take is an error
   (``unknown parameter 'x'``), and so is a name given twice;
2. an empty value counts as absent; a required parameter that is absent is an error (the OpenAPI
   document says so with ``minLength: 1``), and so is an empty path parameter
   (``/api/files//symbols``);
3. integers are ASCII digits only (no sign, no spaces, at most 10 digits) within [min, max];
   booleans are ``true``/``false``/``1``/``0``; choices are listed in the message;
4. the first error wins, in the order: query-string pass, then the path parameters, then the
   route's parameters in order.

A path parameter (``{path}``) is taken as it is, slashes and newlines included; every route that
takes one has a twin taking it as a query parameter instead (``/api/files/symbols?path=``), for
the clients and proxies that refuse or rewrite some paths (a newline, ``//``, ``%2F``).

Every error is ``{"error": {"status": N, "code": "...", "message": "..."}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .records import analysis_schemas

API_VERSION = "1.1.0"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
_DIGITS = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    type: str = "string"  # string | integer | boolean
    required: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    multiple: bool = False
    """May be given several times (``focus=a&focus=b``): the value is the list, in order."""


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # a {path} segment may contain slashes
    summary: str
    params: tuple[Param, ...] = ()
    paged: bool = False
    auth: bool = True
    result: str = "items"  # items | object
    path_params: tuple[str, ...] = field(default=())
    file: bool = False
    """Names one file: 404 when the index does not hold it."""
    method: str = "GET"
    """GET routes also answer HEAD; the POST route (analyze) takes a JSON body."""

    def all_params(self) -> tuple[Param, ...]:
        return self.params + (PAGE if self.paged else ())


REPO = Param("repo", "only this repository (when the index holds several)")
PAGE = (
    Param("limit", "page size", "integer", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT),
    Param(
        "offset", "rows to skip (the previous page's next_offset)", "integer", default=0, minimum=0, maximum=MAX_OFFSET
    ),
)

ROUTES: tuple[Route, ...] = (
    Route("health", "/health", "liveness: the server answers", auth=False, result="object"),
    Route("openapi", "/openapi.json", "this OpenAPI 3 document", auth=False, result="object"),
    Route(
        "symbols",
        "/api/symbols",
        "symbols whose name, qualified name or global id is `name` (or starts with it: prefix=true)",
        (
            Param("name", "name, qualified name (Class.method) or global id (path::Class.method)", required=True),
            Param("kind", "only this kind: function, method, class, ..."),
            Param("lang", "only files of this language"),
            Param("prefix", "match names starting with `name`", "boolean", default=False),
            REPO,
        ),
        paged=True,
    ),
    Route(
        "file_symbols",
        "/api/files/{path}/symbols",
        "the symbols of one file, in file order (404 if the index does not hold the file)",
        (REPO,),
        paged=True,
        path_params=("path",),
        file=True,
    ),
    Route(
        "file_symbols_query",
        "/api/files/symbols",
        "the symbols of one file, in file order (404 if the index does not hold the file): "
        "/api/files/{path}/symbols with the path as a query parameter",
        (Param("path", "repository-relative file path", required=True), REPO),
        paged=True,
        file=True,
    ),
    Route(
        "callers",
        "/api/callers",
        "resolved calls to a symbol",
        (Param("symbol", "global id (path::Qual.name), qualified name or name", required=True), REPO),
        paged=True,
    ),
    Route(
        "callees",
        "/api/callees",
        "resolved and unresolved calls made by a symbol",
        (Param("symbol", "global id (path::Qual.name), qualified name or name", required=True), REPO),
        paged=True,
    ),
    Route(
        "hierarchy",
        "/api/hierarchy",
        "ancestors and descendants of a class, struct, interface or trait (one row per relation reached)",
        (Param("symbol", "global id (path::Qual.name), qualified name or name of a type", required=True), REPO),
        paged=True,
    ),
    Route(
        "implementations",
        "/api/implementations",
        "types below an interface, trait or class; for Type.method, the methods a call through it may dispatch to",
        (Param("symbol", "global id, qualified name or name of a type or of a method", required=True), REPO),
        paged=True,
    ),
    Route(
        "deps",
        "/api/deps",
        "what a file imports (direction out) and what imports it (in)",
        (
            Param("path", "repository-relative file path", required=True),
            Param("direction", "out, in or both", choices=("in", "out", "both"), default="both"),
            REPO,
        ),
        paged=True,
    ),
    Route(
        "cycles",
        "/api/cycles",
        "every import cycle, largest first; without type-only and/or deferred edges, the cycles that remain",
        (
            Param("skip_type_only", "leave out edges whose imports are all type-only", "boolean", default=False),
            Param("skip_deferred", "leave out edges whose run-time imports are all deferred", "boolean", default=False),
            REPO,
        ),
        paged=True,
    ),
    Route("stats", "/api/stats", "index statistics", (REPO,), result="object"),
    Route(
        "map",
        "/api/map",
        "the repository map: the top-ranked symbols' signatures, file by file, within a token budget (cl100k_base "
        "tokens); ranks are PageRank over resolved calls, imports and the type hierarchy",
        (
            Param("tokens", "token budget of the map", "integer", default=1024, minimum=1, maximum=100_000),
            Param(
                "focus",
                "a file, directory or symbol the ranking is personalized on (repeatable); thread serve only: the "
                "edge Worker serves the precomputed ranks and answers 501 to a focus",
                multiple=True,
            ),
            REPO,
        ),
        result="object",
    ),
    Route(
        "analyze",
        "/api/analyze",
        "analyse source files sent in the body, together (imports and calls between them resolve); nothing is stored",
        result="object",
        method="POST",
    ),
)
ROUTES_BY_NAME = {r.name: r for r in ROUTES}

MESSAGES = {
    "unknown": "unknown parameter '{name}'",
    "repeated": "parameter '{name}' given more than once",
    "missing": "missing required parameter '{name}'",
    "integer": "parameter '{name}' must be an integer from {minimum} to {maximum}",
    "boolean": "parameter '{name}' must be true or false",
    "choice": "parameter '{name}' must be one of: {choices}",
    "no_route": "no such route",
    "method": "method not allowed (use {allow})",
    "no_token": "missing bearer token",
    "bad_token": "invalid bearer token",
    "no_file": "the index holds no file '{path}'",
    "internal": "internal error",
    "bad_host": "host '{host}' is not served here (thread serve --allowed-host adds a name)",
    "body_too_large": "request body over the limit of {limit} bytes",
    "no_index": "this server analyses only (thread serve --analyze-only): it holds no index to query",
    "no_analyzer": "no analysis backend: set ANALYZE_ORIGIN or bind the ANALYZER container (docs/deploy.md)",
    "analyzer_unreachable": "the analysis backend did not answer",
    "focus_unsupported": "this server serves the precomputed map only: a focus needs thread serve",
}
CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    500: "internal",
    501: "not_implemented",
    502: "bad_gateway",
    503: "unavailable",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.message)


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": CODES[status], "message": message}}


def bad(kind: str, **fields: Any) -> ApiError:
    return ApiError(400, MESSAGES[kind].format(**fields))


def parse_params(
    route: Route, items: Iterable[tuple[str, str]], path_values: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The route's parameters from the query string's (name, value) pairs, in order, and its path
    parameters from ``path_values``, or ApiError. A path parameter lands under its name, as the
    query parameter of the route's twin does, so one handler serves both."""
    params = route.all_params()
    allowed = {p.name for p in params}
    given: dict[str, str] = {}
    multiple: dict[str, list[str]] = {p.name: [] for p in params if p.multiple}
    for name, value in items:
        if name not in allowed:
            raise bad("unknown", name=name)
        if name in multiple:
            multiple[name].append(value)
            continue
        if name in given:
            raise bad("repeated", name=name)
        given[name] = value
    out: dict[str, Any] = {}
    for name in route.path_params:
        out[name] = (path_values or {}).get(name, "")
        if out[name] == "":
            raise bad("missing", name=name)
    for p in params:
        if p.multiple:
            out[p.name] = [v for v in multiple[p.name] if v != ""]
            continue
        raw = given.get(p.name, "")
        if raw == "":
            if p.required:
                raise bad("missing", name=p.name)
            out[p.name] = p.default
            continue
        out[p.name] = convert(p, raw)
    return out


def convert(p: Param, raw: str) -> Any:
    if p.type == "integer":
        if not _DIGITS.fullmatch(raw) or not (p.minimum or 0) <= int(raw) <= (p.maximum or 0):
            raise bad("integer", name=p.name, minimum=p.minimum, maximum=p.maximum)
        return int(raw)
    if p.type == "boolean":
        if raw not in ("true", "false", "1", "0"):
            raise bad("boolean", name=p.name)
        return raw in ("true", "1")
    if p.choices and raw not in p.choices:
        raise bad("choice", name=p.name, choices=", ".join(p.choices))
    return raw


def page(rows: Sequence[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """The envelope of a paginated answer; ``rows`` holds up to ``limit + 1`` rows (one more than
    the page, to know whether another page follows)."""
    more = len(rows) > limit
    return {
        "items": list(rows[:limit]),
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
    }


# ---- OpenAPI 3 (the same document from both implementations)


def _schema(p: Param) -> dict[str, Any]:
    if p.multiple:
        return {"type": "array", "items": {"type": p.type}}
    s: dict[str, Any] = {"type": p.type}
    if p.required and p.type == "string":
        s["minLength"] = 1  # an empty value counts as absent
    if p.choices:
        s["enum"] = list(p.choices)
    if p.default is not None:
        s["default"] = p.default
    if p.minimum is not None:
        s["minimum"] = p.minimum
    if p.maximum is not None:
        s["maximum"] = p.maximum
    return s


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


ANALYZE_SCHEMAS: dict[str, Any] = {
    "AnalyzeRequest": {
        "type": "object",
        "required": ["files"],
        "additionalProperties": False,
        "properties": {
            "files": {
                "type": "array",
                "minItems": 1,
                "description": "analysed together: imports and calls between these files resolve (configuration "
                "files such as go.mod, tsconfig.json or Cargo.toml are read by the resolvers too)",
                "items": {
                    "type": "object",
                    "required": ["path", "content"],
                    "additionalProperties": False,
                    "properties": {
                        "path": {
                            "type": "string",
                            "minLength": 1,
                            "description": "repository-relative POSIX path (pkg/mod.py): no leading '/', "
                            "no empty, '.' or '..' segment, each path once",
                        },
                        "content": {"type": "string", "description": "the file's text"},
                        "language": {
                            "type": ["string", "null"],
                            "description": "a name of `thread languages`; default: the request's language",
                        },
                    },
                },
            },
            "language": {
                "type": ["string", "null"],
                "description": "language of the files that name none (default: detected from path and content)",
            },
        },
    },
    "AnalyzeResult": {
        "type": "object",
        "required": ["files"],
        "properties": {
            "files": {
                "type": "array",
                "description": "one per file sent, in the order sent",
                "items": {"$ref": "#/components/schemas/AnalyzedFile"},
            }
        },
    },
    **analysis_schemas(),
}


def _json_content(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _analyze_operation(responses: dict[str, Any]) -> dict[str, Any]:
    responses["200"] = {
        "description": "each file's records (a file that could not be read, parsed or finished in time gets "
        "status skipped or error and the reason)",
        "content": _json_content("AnalyzeResult"),
    }
    responses["400"] = _error_response("invalid JSON, a missing, unknown or invalid field, or a query parameter")
    responses["405"] = _error_response("not a POST")
    responses["413"] = _error_response("the body or the number of files is over the server's limit")
    responses["502"] = _error_response("(edge Worker) the analysis backend did not answer")
    responses["503"] = _error_response("(edge Worker) no analysis backend is configured")
    return {"requestBody": {"required": True, "content": _json_content("AnalyzeRequest")}}


def openapi() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for r in ROUTES:
        parameters: list[dict[str, Any]] = [
            {
                "name": n,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "minLength": 1},
                "description": "repository-relative file path; may contain slashes (for a path the URL "
                "path cannot carry, the route without {path} takes it as a query parameter)",
            }
            for n in r.path_params
        ]
        parameters += [
            {"name": p.name, "in": "query", "required": p.required, "description": p.description, "schema": _schema(p)}
            for p in r.all_params()
        ]
        body = {"$ref": "#/components/schemas/Page"} if r.paged else {"type": "object"}
        responses: dict[str, Any] = {
            "200": {"description": "OK", "content": {"application/json": {"schema": body}}},
        }
        if r.all_params() or r.path_params:
            responses["400"] = _error_response("a parameter is missing, unknown, repeated or invalid")
        if r.auth:
            responses["401"] = _error_response("missing or invalid bearer token (when the server requires one)")
        if r.file:
            responses["404"] = _error_response("the index holds no such file")
        if r.name == "map":
            responses["501"] = _error_response("(edge Worker) a focus: only thread serve computes focused ranks")
        op: dict[str, Any] = {
            "operationId": r.name,
            "summary": r.summary,
            "parameters": parameters,
            "responses": responses,
        }
        if not r.auth:
            op["security"] = []
        if r.method == "POST":
            op.update(_analyze_operation(responses))
        paths[r.path] = {r.method.lower(): op}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thread query API",
            "version": API_VERSION,
            "description": "Read-only queries over a Thread index: symbols, calls, dependencies, cycles, "
            "statistics; and on-demand analysis of source sent inline (POST /api/analyze), which stores "
            "nothing. Served by `thread serve` and by the Cloudflare Worker in edge/, identically (the "
            "Worker hands /api/analyze to its analysis backend, a container running `thread serve`).",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Page": {
                    "type": "object",
                    "required": ["items", "limit", "offset", "next_offset"],
                    "properties": {
                        "items": {"type": "array", "items": {"type": "object"}},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "next_offset": {
                            "type": ["integer", "null"],
                            "description": "offset of the next page; null on the last page",
                        },
                    },
                },
                **ANALYZE_SCHEMAS,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "code", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "code": {"type": "string", "enum": sorted(CODES.values())},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
            },
        },
    }
