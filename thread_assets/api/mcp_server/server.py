"""The MCP server: the tools registered on the SDK's ``MCPServer``, their answers as compact
JSON, and the streamable HTTP application (with an optional bearer token)."""

from __future__ import annotations

import functools
import hmac
import inspect
import json
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from resources.store.base import StoreError

from .inline import analyze
from .shapes import Row
from .tools import Index, Refusal, Tools

INSTRUCTIONS = """\
Thread is a code index of one repository: symbols, imports, resolved calls, the type hierarchy
and import cycles. Paths are repository-relative with '/'. A symbol id is 'path::Qualified.name'
(the 'id' field of find_symbol and file_symbols); callers, callees, hierarchy and implementations
take an id, a qualified name or a name.
Lines are 1-based. Every list is one page: pass next_offset as offset for the next one.
Run index_status first when answers may be out of date: it says which files changed on disk
since they were indexed."""


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def result(body: Row) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=compact(body))], structured_content=body)


def failure(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)


def _call(fn: Callable[..., Row]) -> Callable[..., CallToolResult]:
    """``fn`` as a tool: its answer as compact JSON, a Refusal or a store failure as an error
    result with its one-line message (never a traceback). Keeps ``fn``'s signature and docstring,
    which the SDK turns into the tool's input schema and description."""

    @functools.wraps(fn)
    def tool(*args: Any, **kwargs: Any) -> CallToolResult:
        try:
            return result(fn(*args, **kwargs))
        except (Refusal, StoreError) as exc:
            return failure(str(exc))

    tool.__annotations__ = {**fn.__annotations__, "return": CallToolResult}
    return tool


READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


def tool_functions(tools: Tools) -> dict[str, Callable[..., Row]]:
    return {
        "find_symbol": tools.find_symbol,
        "file_symbols": tools.file_symbols,
        "callers": tools.callers,
        "callees": tools.callees,
        "hierarchy": tools.hierarchy,
        "implementations": tools.implementations,
        "dependencies": tools.dependencies,
        "cycles": tools.cycles,
        "repo_map": tools.repo_map,
        "index_status": tools.index_status,
        "analyze": analyze,
    }


def build_server(index: Index) -> MCPServer:
    """The MCP server of one index, with every tool registered (its JSON schema from the
    annotated signature, its description from the docstring)."""
    server: MCPServer = MCPServer(
        "thread", instructions=INSTRUCTIONS, version=_version(), log_level="WARNING", warn_on_duplicate_tools=False
    )
    for name, fn in tool_functions(Tools(index)).items():
        description = inspect.cleandoc(fn.__doc__ or "")
        server.add_tool(_call(fn), name=name, description=description, annotations=READ_ONLY, structured_output=False)
    return server


def _version() -> str:
    try:
        return version("thread")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0"


class BearerToken:
    """Every HTTP request needs ``Authorization: Bearer <token>`` (compared in constant time);
    without one, 401 before the MCP transport sees the request."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
            scheme, _, credentials = header.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(credentials.strip(), self.token):
                response = JSONResponse(
                    {"error": "a bearer token is required: Authorization: Bearer <token>"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def http_app(server: MCPServer, *, host: str, token: str | None) -> ASGIApp:
    """The streamable HTTP transport at ``/mcp``: stateless (every request stands alone, as the
    tools keep no state between calls) with plain JSON answers. On a loopback ``host`` the SDK
    refuses other ``Host`` and ``Origin`` headers (against DNS rebinding); ``token``: a bearer
    token every request must carry."""
    app: ASGIApp = server.streamable_http_app(stateless_http=True, json_response=True, host=host)
    return BearerToken(app, token) if token else app
