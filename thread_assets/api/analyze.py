"""On-demand analysis of source sent inline: validation, limits and the engine, no HTTP, no store.

Every front end calls the same two functions: ``POST /api/analyze`` (``app.py``) reads the body
with :func:`parse_body`, and any caller holding the files already (the MCP server's ``analyze``
tool) calls :func:`analyze_files` with them; both raise :class:`~thread_assets.api.contract.ApiError`
(400 or 413, a message naming the field) for what the caller must fix.

The files of one request are analysed together, as one small repository: imports between them
resolve (a ``go.mod``, ``tsconfig.json`` or ``Cargo.toml`` sent along is read by the resolvers
too) and so do calls through those imports. Each file is parsed in the engine's batch pool, under
its time limit: a grammar that hangs costs that file an error record, never the request. Nothing
is written anywhere; the pool's workers stay warm between requests.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import msgspec

from thread_assets.engine import (
    DEFAULT_MAX_BYTES,
    LANGUAGES,
    CallEdge,
    RepoContext,
    Resolution,
    resolve_calls,
    resolve_imports,
)
from thread_assets.engine import analyze_files as run_batch
from thread_assets.engine.batch import default_workers
from thread_assets.engine.patterns import default_rules, languages_with_rules, run_rules

from .contract import ApiError
from .records import file_record

MAX_BODY = 10 * 1024 * 1024
MAX_FILES = 1000
TIMEOUT_S = 10.0
BYTES_PER_WORKER = 256 * 1024
"""Source a request must hold per parser process it uses: the pool keeps one warm worker per CPU
between requests, but a request that asks for more workers than are warm starts one, which
costs more than parsing a few hundred kilobytes (docs/benchmarks.md, "Query API latency")."""


@dataclass(frozen=True)
class AnalyzeLimits:
    max_body: int = MAX_BODY
    """Bytes of a request body (413 above)."""
    max_files: int = MAX_FILES
    """Files in one request (413 above)."""
    max_file_bytes: int = DEFAULT_MAX_BYTES
    """A larger file gets a ``skipped`` record (``too large``), as in an index."""
    timeout_s: float = TIMEOUT_S
    """Per file: past it the file's worker is killed and the file gets an ``error`` record."""
    workers: int | None = None
    """Parser processes per request, at most (None: one per CPU); fewer for a small request (one
    per ``BYTES_PER_WORKER`` of source), never more than files."""


_RUNNING = threading.BoundedSemaphore(max(2, default_workers()))
"""Requests analysed at once: each may use a worker per CPU, so more would only queue on the CPUs
while holding their bodies in memory; the rest wait here."""
_BODY_FIELDS = frozenset({"files", "language"})
_FILE_FIELDS = frozenset({"path", "content", "language"})


def too_large(what: str, limit: int) -> ApiError:
    return ApiError(413, f"{what} over the limit of {limit}")


def parse_body(raw: bytes) -> tuple[list[dict[str, Any]], str | None]:
    """``(files, language)`` from a request body, or ApiError(400) for invalid JSON or a body
    that is not an object with only ``files`` and ``language``."""
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise ApiError(400, f"invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, 'the body must be a JSON object: {"files": [{"path": ..., "content": ...}]}')
    unknown = sorted(set(body) - _BODY_FIELDS)
    if unknown:
        raise ApiError(400, f"unknown field '{unknown[0]}' (the body takes files and language)")
    if "files" not in body:
        raise ApiError(400, "missing field 'files'")
    return body["files"], body.get("language")


def check_files(files: Any, language: Any, limits: AnalyzeLimits) -> list[tuple[str, bytes, str | None]]:
    """The batch items of a request's files, or ApiError naming the first field at fault."""
    if not isinstance(files, list) or not files:
        raise ApiError(400, "'files' must be a non-empty array of {path, content}")
    if len(files) > limits.max_files:
        raise too_large(f"{len(files)} files", limits.max_files)
    default = _language(language, "language")
    items: list[tuple[str, bytes, str | None]] = []
    seen: set[str] = set()
    for i, f in enumerate(files):
        where = f"files[{i}]"
        if not isinstance(f, dict):
            raise ApiError(400, f"{where} must be an object with path and content")
        unknown = sorted(set(f) - _FILE_FIELDS)
        if unknown:
            raise ApiError(400, f"unknown field '{where}.{unknown[0]}' (a file takes path, content and language)")
        path, content = f.get("path"), f.get("content")
        if not isinstance(path, str) or not path:
            raise ApiError(400, f"{where}.path must be a non-empty string")
        problem = path_problem(path)
        if problem:
            raise ApiError(400, f"{where}.path {path!r} {problem}")
        if path in seen:
            raise ApiError(400, f"{where}.path {path!r} is given twice")
        seen.add(path)
        if not isinstance(content, str):
            raise ApiError(400, f"{where}.content must be a string (the file's text)")
        lang = _language(f.get("language"), f"{where}.language") or default
        items.append((path, content.encode("utf-8"), lang))
    return items


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a repository-relative POSIX path (imports resolve between these), or None."""
    if path.startswith("/"):
        return "must be relative (pkg/mod.py)"
    if "\x00" in path:
        return "must not contain a NUL character"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "must not have empty, '.' or '..' segments"
    return None


def _language(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in LANGUAGES:
        raise ApiError(400, f"{where} must be a language name of `thread languages` (or null to detect it)")
    return value


def analyze_files(files: list[dict[str, Any]], language: str | None, limits: AnalyzeLimits) -> dict[str, Any]:
    """``{"files": [...]}``: one record per file sent (in the order sent) with its ``files`` row and
    its symbols, imports, calls and pattern matches as the index would store them
    (``records.py``), imports and calls resolved across the files sent.

    ``files``: ``[{"path": "pkg/mod.py", "content": "...", "language": optional}]``; ``language``
    applies to the files that name none (None: detected from path and content). ApiError (400,
    413) names the first problem; a file the engine cannot read, parse or finish in time is not a
    problem but a record (``status`` ``skipped`` or ``error`` with its ``reason``)."""
    items = check_files(files, language, limits)
    size = sum(len(source) for _, source, _ in items)
    workers = min(limits.workers or default_workers(), 1 + size // BYTES_PER_WORKER)
    with _RUNNING:
        analyses = list(
            run_batch(
                items,
                workers=workers,
                timeout_s=limits.timeout_s,
                max_bytes=limits.max_file_bytes,
                keep_workers=True,
            )
        )
    data = {path: source for path, source, _ in items}
    resolutions = resolve_imports(analyses, RepoContext(files=frozenset(data), read=data.get))
    edges = resolve_calls(analyses, resolutions)
    rules = default_rules()
    with_rules = languages_with_rules(rules)
    by_file: dict[str, list[Resolution]] = defaultdict(list)
    for r in resolutions:
        by_file[r.importer].append(r)
    edges_of: dict[str, list[CallEdge]] = defaultdict(list)
    for e in edges:
        edges_of[e.path].append(e)
    out = []
    for a in analyses:
        ok = a.status == "ok" and a.language in with_rules
        matches = run_rules(data[a.path], a.language, rules) if ok and a.language else []
        out.append(file_record(a, by_file[a.path], edges_of[a.path], matches))
    return {"files": out}
