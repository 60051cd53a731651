"""``thread mcp``: the index as Model Context Protocol tools, for coding agents.

An agent reads an answer token by token, so every tool returns compact JSON (no indentation,
only the fields an agent acts on: ``path``, ``line``, ids it can pass to the next tool) in one
envelope, ``{"items": [...], "offset": N, "next_offset": N | null}``, and takes ``limit`` and
``offset``. The same JSON is the result's ``structuredContent``, for clients that read that
instead. A name or path the index does not hold is an error result that lists near spellings,
which an agent can retry with; a search that finds nothing is an empty page with a ``note``.

Tools are synchronous: the SDK runs each call in a worker thread, as Starlette does for
``thread serve``, and the stores are shared by threads the same way.
"""

from __future__ import annotations

import difflib
import functools
import hmac
import inspect
import json
import os
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from resources.store.base import Store, StoreError
from thread_assets.engine.languages import LANGUAGES
from thread_assets.engine.model import SymbolKind
from thread_assets.repo.settings import RepoSettings

from .contract import ApiError, page

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
LISTED = 50
"""Paths ``index_status`` names per kind (stale, missing, ...); the counts are always whole."""
SUGGESTIONS = 5
DOC_CHARS = 160

INSTRUCTIONS = """\
Thread is a code index of one repository: symbols, imports, resolved calls and import cycles.
Paths are repository-relative with '/'. A symbol id is 'path::Qualified.name' (the 'id' field
of find_symbol and file_symbols); callers and callees take an id, a qualified name or a name.
Lines are 1-based. Every list is one page: pass next_offset as offset for the next one.
Run index_status first when answers may be out of date: it says which files changed on disk
since they were indexed."""

Row = dict[str, Any]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"page size (1-{MAX_LIMIT})")]
Offset = Annotated[int, Field(ge=0, description="rows to skip: the previous page's next_offset")]
SymbolArg = Annotated[str, Field(min_length=1, description="a symbol id (path::Qual.name), qualified name or name")]
PathArg = Annotated[str, Field(min_length=1, description="repository-relative path (or absolute inside it)")]


@dataclass(frozen=True)
class Index:
    """What the tools read: the store, and the repository on disk it indexes (for ``index_status``
    and to accept absolute paths)."""

    store: Store
    settings: RepoSettings
    repo: str | None = None
    """Only this repository of the store (``--repo``); every one when None."""


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def result(body: Row) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=compact(body))], structured_content=body)


def failure(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)


class Refusal(Exception):
    """A call the index cannot answer as asked (an unknown file, symbol, kind or language): the
    message goes back to the agent as an error result, with what it could ask instead."""


def _paged(rows: Sequence[Row], shape: Callable[[Row], Row], limit: int, offset: int) -> Row:
    """The page envelope of ``rows`` (up to ``limit + 1`` of them), each row shaped; ``repo``
    moves to the envelope when every row shares it."""
    body = page(rows, limit, offset)
    repos = {row.get("repo") for row in body["items"]}
    items = [shape(row) for row in body["items"]]
    if len(repos) == 1 and None not in repos:
        body = {"repo": repos.pop(), **body}
    else:
        items = [{"repo": row.get("repo"), **item} for row, item in zip(body["items"], items, strict=True)]
    body["items"] = items
    return body


def _doc(text: str | None) -> str | None:
    if not text:
        return None
    first = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    return first if len(first) <= DOC_CHARS else first[: DOC_CHARS - 1] + "…"


def symbol_item(row: Row) -> Row:
    item = {
        "id": row["global_id"],
        "kind": row["kind"],
        "path": row["path"],
        "line": row["start_line"],
        "end_line": row["end_line"],
        "signature": row["signature"],
        "language": row.get("language"),
    }
    if row.get("parent"):
        item["parent"] = row["parent"]
    doc = _doc(row.get("docstring"))
    if doc:
        item["doc"] = doc
    return item


def call_item(row: Row) -> Row:
    item = {
        "path": row["path"],
        "line": row["start_line"],
        "caller": row["caller"],
        "call": row["callee"],
        "target": row["target"],
        "how": row["how"],
    }
    # what the semantic call graph adds, when it knows it: the called member's type, the
    # external module, why there is no target, and whether the edge is one possible dispatch
    for extra in ("receiver_type", "callee_module", "reason"):
        if row.get(extra):
            item[extra] = row[extra]
    if row.get("dispatch"):
        item["dispatch"] = True
    return item


def dep_item(row: Row) -> Row:
    item = {
        "direction": row["direction"],
        "source": row["source"],
        "target": row["target"],
        "external": row["external"],
        "names": row.get("names") or [],
    }
    if row.get("only"):  # every import of the edge is type-only or deferred
        item["only"] = row["only"]
    return item


def cycle_item(row: Row) -> Row:
    return {"kind": row["kind"], "files": row["member_count"], "cycle": row["cycle_path"]}


def hierarchy_item(row: Row) -> Row:
    item = {
        "symbol": row["symbol"],
        "direction": row["direction"],
        "depth": row["depth"],
        "type": row["type"],
        "kind": row["kind"],
        "base": row["base"],
        "target": row["target"],
        "path": row["path"],
        "line": row["start_line"],
    }
    for extra in ("module", "access"):
        if row.get(extra):
            item[extra] = row[extra]
    return item


def implementation_item(row: Row) -> Row:
    return {
        "symbol": row["symbol"],
        "implementation": row["implementation"],
        "kind": row["kind"],
        "path": row["path"],
        "line": row["start_line"],
        "depth": row["depth"],
        "relation": row["relation"],
    }


def near(word: str, candidates: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(word, list(candidates), n=SUGGESTIONS, cutoff=0.6)


def _did_you_mean(names: Sequence[str]) -> str:
    return f"; did you mean: {', '.join(names)}?" if names else ""


class Tools:
    """The tool functions over one :class:`Index`; :func:`build_server` registers them."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.store = index.store
        self.repo = index.repo

    # ---- helpers

    def near_names(self, name: str) -> list[str]:
        """Up to five symbol names spelt like ``name`` (its last part for ``path::Qual.name``)."""
        word = name.rsplit("::", 1)[-1].rsplit(".", 1)[-1]
        if not word:
            return []
        low, high = (len(word) * 3) // 7, (len(word) * 7 + 2) // 3  # where difflib's ratio can reach 0.6
        return near(word, self.store.symbol_names(repo=self.repo, min_length=low, max_length=high))

    def repo_path(self, path: str) -> str:
        """A path as the index keys files: an absolute one inside the repository becomes relative
        (agents often pass absolute paths); ``./`` and ``..`` inside it are normalised."""
        root = self.index.settings.root
        given = Path(path)
        if given.is_absolute():
            full = Path(os.path.normpath(given))
            for base in (root, root.resolve()):
                try:
                    return full.relative_to(base).as_posix()
                except ValueError:
                    continue
            raise Refusal(f"{path} is outside the repository ({root}): pass a repository-relative path")
        normal = posixpath.normpath(given.as_posix())
        if normal == ".." or normal.startswith("../"):
            raise Refusal(f"{path} is outside the repository: pass a repository-relative path")
        return normal

    def no_file(self, path: str) -> Refusal:
        paths = [row["path"] for row in self.store.export("files", repo=self.repo)]
        tail = [p for p in paths if p.endswith("/" + path)][:SUGGESTIONS]
        return Refusal(f"the index holds no file {path!r}{_did_you_mean(tail or near(path, paths))}")

    # ---- tools

    def find_symbol(
        self,
        name: Annotated[str, Field(min_length=1, description="a name, qualified name (Class.method) or id")],
        match: Annotated[
            Literal["exact", "prefix", "search"],
            Field(
                description="exact: the name as given; prefix: names starting with it; "
                "search: substring of names, qualified names and docstrings, best first"
            ),
        ] = "exact",
        kind: Annotated[SymbolKind | None, Field(description="only this kind (not with search)")] = None,
        language: Annotated[str | None, Field(description="only this language, e.g. python (not with search)")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """Find where symbols (functions, classes, methods, variables, types...) are defined: each
        with its id, kind, path, line span and signature."""
        if language is not None and language not in LANGUAGES:
            raise Refusal(f"unknown language {language!r}{_did_you_mean(near(language, list(LANGUAGES)))}")
        if match == "search":
            if kind or language:
                raise Refusal("match=search takes no kind or language: use exact or prefix to filter")
            rows = self.store.search_symbols(name, repo=self.repo, limit=offset + limit + 1)[offset:]
        else:
            rows = self.store.find_symbols(
                name,
                repo=self.repo,
                kind=kind,
                language=language,
                prefix=match == "prefix",
                limit=limit + 1,
                offset=offset,
            )
        body = _paged(rows, symbol_item, limit, offset)
        if not rows and offset == 0 and match == "exact":
            body["note"] = f"no symbol named {name!r}" + _did_you_mean(self.near_names(name))
        return body

    def file_symbols(
        self,
        path: PathArg,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Row:
        """The outline of one file: its symbols in file order, each with id, kind, line span,
        signature and parent (the enclosing class or module member)."""
        rel = self.repo_path(path)
        rows = self.store.file_symbols(rel, repo=self.repo, limit=limit + 1, offset=offset)
        if not rows and not self.store.has_file(rel, repo=self.repo):
            raise self.no_file(rel)
        return _paged(rows, symbol_item, limit, offset)

    def _calls(self, direction: str, symbol: str, limit: int, offset: int) -> Row:
        fetch = self.store.callers_page if direction == "callers" else self.store.callees_page
        rows = fetch(symbol, repo=self.repo, limit=limit + 1, offset=offset)
        self._named(symbol, rows, offset)
        return _paged(rows, call_item, limit, offset)

    def callers(
        self,
        symbol: SymbolArg,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """Who calls a symbol: each call site (path, line, the calling symbol's id, the call as
        written) whose target resolved to it. A bare name matches every symbol of that name."""
        return self._calls("callers", symbol, limit, offset)

    def callees(
        self,
        symbol: SymbolArg,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """What a symbol calls: each call in its body (path, line, the call as written) with the
        resolved target's id, or null when the target is outside the index (a library)."""
        return self._calls("callees", symbol, limit, offset)

    def _named(self, symbol: str, rows: Sequence[Row], offset: int) -> None:
        """A symbol the index does not hold is a Refusal naming near ones; one it holds with
        nothing to answer is an empty page."""
        if not rows and offset == 0 and not self.store.find_symbols(symbol, repo=self.repo, limit=1):
            raise Refusal(f"no symbol named {symbol!r}{_did_you_mean(self.near_names(symbol))}")

    def hierarchy(self, symbol: SymbolArg, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Row:
        """The type hierarchy around a class, interface, trait or struct: what it extends,
        implements or embeds, transitively (direction=ancestor, with depth), and what extends,
        implements or embeds it (descendant). A base outside the repository has target null."""
        rows = self.store.hierarchy(symbol, repo=self.repo, limit=limit + 1, offset=offset)
        self._named(symbol, rows, offset)
        return _paged(rows, hierarchy_item, limit, offset)

    def implementations(self, symbol: SymbolArg, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Row:
        """What implements an interface, trait or base class: every type below it in the
        hierarchy. For a method of such a type (Interface.method, or its id), the methods of
        those types that override or implement it: where a call through the type may go."""
        rows = self.store.implementations(symbol, repo=self.repo, limit=limit + 1, offset=offset)
        self._named(symbol, rows, offset)
        return _paged(rows, implementation_item, limit, offset)

    def dependencies(
        self,
        path: PathArg,
        direction: Annotated[
            Literal["out", "in", "both"], Field(description="out: what it imports; in: what imports it")
        ] = "both",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Row:
        """Import dependencies of a file: the files (or external modules, external=true) it
        imports, and the files that import it, with the imported names."""
        rel = self.repo_path(path)
        rows = self.store.deps(rel, repo=self.repo, direction=direction)
        if not rows and not self.store.has_file(rel, repo=self.repo):
            raise self.no_file(rel)
        return _paged(rows[offset : offset + limit + 1], dep_item, limit, offset)

    def cycles(
        self,
        skip_type_only: Annotated[
            bool,
            Field(
                description="leave out imports only for type checking (if TYPE_CHECKING, import type): "
                "the cycles left can fail at run time"
            ),
        ] = False,
        skip_deferred: Annotated[
            bool,
            Field(description="leave out imports made inside functions: the cycles left fail at import time"),
        ] = False,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """Every import cycle between files (each strongly connected component, and files that
        import themselves), with one cycle path through its files."""
        rows = self.store.cycles(repo=self.repo, skip_type_only=skip_type_only, skip_deferred=skip_deferred)
        return _paged(rows[offset : offset + limit + 1], cycle_item, limit, offset)

    def index_status(self) -> Row:
        """Is the index fresh? Compares every indexed file with the disk: files changed since
        indexing (stale), deleted (missing), new and not indexed (unindexed), and whether the
        import and call graphs lag the files. Answers about listed files may be out of date."""
        from thread_assets.repo.audit import audit

        settings = self.index.settings
        name = self.repo or settings.name
        found = audit(
            settings.root,
            self.store,
            name,
            include=settings.include,
            exclude=settings.exclude,
            memo=settings.stat_memo(),
        )
        body: Row = {
            "repo": name,
            "root": str(settings.root),
            "fresh": found.fresh,
            "checked": found.checked,
        }
        for what in ("stale", "missing", "unindexed"):
            paths = getattr(found, what)
            body[what] = {"count": len(paths), "paths": paths[:LISTED]}
        body["graphs_stale"] = found.graphs_stale
        if found.checked and len(found.missing) == found.checked:
            body["note"] = (
                f"no indexed file of {name!r} is under {settings.root}: the server runs outside the repository"
                " (start it there, or pass --root and --repo)"
            )
        elif not found.fresh:
            body["note"] = f"run `thread index {settings.root}` to bring the index up to date"
        return body


class SourceFile(BaseModel):
    path: str = Field(description="repository-relative path, e.g. pkg/mod.py (imports between the files resolve)")
    content: str = Field(description="the file's text")
    language: str | None = Field(default=None, description="a language name; null: detected from path and text")


def analyze_item(record: Row) -> Row:
    """One analysed file, compact: what an agent reads to understand code it has not indexed."""
    item: Row = {"path": record["path"], "language": record.get("language"), "status": record["status"]}
    if record.get("reason"):
        item["reason"] = record["reason"]
    summary = record.get("summary") or {}
    if summary.get("error_count"):
        item["syntax_errors"] = summary["error_count"]
    item["symbols"] = [
        {k: v for k, v in symbol_item(s).items() if k not in ("path", "language")} for s in record["symbols"]
    ]
    item["imports"] = [
        {
            "line": i["start_line"],
            "module": i.get("module"),
            "name": i.get("name"),
            "target": i.get("target"),
            "external": i.get("external"),
            "used": i.get("used"),
        }
        for i in record["imports"]
    ]
    item["calls"] = [{k: v for k, v in call_item(c).items() if k != "path"} for c in record["calls"]]
    item["pattern_matches"] = [
        {
            "line": m["start_line"],
            "rule": m.get("rule_id"),
            "severity": m.get("severity"),
            "message": m.get("message"),
            "text": m.get("matched_text"),
        }
        for m in record["pattern_matches"]
    ]
    return item


def analyze(
    files: Annotated[list[SourceFile], Field(min_length=1, description="the files to analyse together")],
    language: Annotated[str | None, Field(description="language of the files that name none")] = None,
    detail: Annotated[
        Literal["compact", "full"],
        Field(description="compact: ids, lines, signatures, targets; full: every field of the index's rows"),
    ] = "compact",
) -> Row:
    """Analyse source code sent inline, without indexing or storing it (code not written to
    disk yet, or from another repository): each file's symbols, imports and calls, resolved
    between the files sent together, and pattern findings (eval, unsafe calls...)."""
    from .analyze import AnalyzeLimits, analyze_files

    limits = AnalyzeLimits()
    size = sum(len(f.content.encode("utf-8")) for f in files)
    if size > limits.max_body:
        raise Refusal(f"{size} bytes of content over the limit of {limits.max_body}: send fewer files at once")
    try:
        answer = analyze_files([f.model_dump() for f in files], language, limits)
    except ApiError as exc:
        raise Refusal(exc.message) from None
    return answer if detail == "full" else {"files": [analyze_item(r) for r in answer["files"]]}


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
