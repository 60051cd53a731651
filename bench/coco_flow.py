"""The CocoIndex 1.0 side of bench/scale.py: one update of a flow over a directory, into Postgres.

This file runs with the Python of CocoIndex's own virtualenv (bench/coco_venv.py makes it),
never the project's, so it imports nothing of Thread. The flow is what CocoIndex's own
code-indexing examples do, minus embeddings: per file, language detection
(``detect_code_language``), syntax-aware recursive chunking (``RecursiveSplitter``, tree-sitter
where CocoIndex has the grammar, separators elsewhere) and, for Python only, the classes and
functions found by the stdlib ``ast`` (CocoIndex ships no symbol extractor; other languages get
chunks only). Three tables: ``coco_files`` (one row per file), ``coco_chunks``, ``coco_symbols``.

A file's work is memoised by CocoIndex (``memo=True``): run again with the same state directory
(``COCOINDEX_DB``) and it re-reads every file's content fingerprint but re-processes only files
that changed, which is the one-shot update the bench times.

Usage: python bench/coco_flow.py ROOT POSTGRES_URL   (COCOINDEX_DB must be set)
"""

from __future__ import annotations

import ast
import pathlib
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import cocoindex as coco
from cocoindex.connectors import localfs, postgres
from cocoindex.ops.text import RecursiveSplitter, detect_code_language

PG_DB = coco.ContextKey[asyncpg.Pool]("thread_scale_bench_db")
CHUNK = {"chunk_size": 1000, "min_chunk_size": 300, "chunk_overlap": 300}  # CocoIndex's code example
_splitter = RecursiveSplitter()
_url: list[str] = []  # set by main before the update; the lifespan reads it


@dataclass
class FileRow:
    path: str
    language: str
    size: int
    chunks: int
    symbols: int


@dataclass
class ChunkRow:
    path: str
    seq: int
    text: str
    start_line: int
    end_line: int


@dataclass
class SymbolRow:
    path: str
    seq: int
    name: str
    kind: str
    line: int


def python_symbols(text: str) -> list[tuple[str, str, int]]:
    """Classes and functions with their lines; a file the stdlib cannot parse has none (as a
    parser that gives up would), so one bad file does not fail the run."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found = [
        (n.name, "class" if isinstance(n, ast.ClassDef) else "function", n.lineno)
        for n in ast.walk(tree)
        if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return sorted(found, key=lambda s: (s[2], s[0]))


@coco.lifespan
async def _lifespan(builder: coco.EnvironmentBuilder) -> AsyncIterator[None]:
    async with asyncpg.create_pool(_url[0]) as pool:
        builder.provide(PG_DB, pool)
        yield


@coco.fn(memo=True)
async def process_file(file: Any, files: Any, chunks: Any, symbols: Any) -> None:
    """One file's rows; memoised on the file's content, so an unchanged file costs a fingerprint."""
    text = await file.read_text()
    path = file.file_path.path.as_posix()
    language = detect_code_language(filename=file.file_path.path.name)
    pieces = _splitter.split(text, language=language, **CHUNK)
    for i, c in enumerate(pieces):
        chunks.declare_row(row=ChunkRow(path, i, c.text, c.start.line, c.end.line))
    found = python_symbols(text) if language == "python" else []
    for i, (name, kind, line) in enumerate(found):
        symbols.declare_row(row=SymbolRow(path, i, name, kind, line))
    files.declare_row(row=FileRow(path, language or "", len(text.encode()), len(pieces), len(found)))


@coco.fn
async def app_main(root: pathlib.Path) -> None:
    async def table(name: str, row: type, key: list[str]) -> Any:
        schema = await postgres.TableSchema.from_class(row, primary_key=key)
        return await postgres.mount_table_target(PG_DB, name, schema)

    files = await table("coco_files", FileRow, ["path"])
    chunks = await table("coco_chunks", ChunkRow, ["path", "seq"])
    symbols = await table("coco_symbols", SymbolRow, ["path", "seq"])
    walker = localfs.walk_dir(root, recursive=True)
    await coco.mount_each(process_file, walker.items(), files, chunks, symbols)


def main(argv: list[str]) -> int:
    root, url = pathlib.Path(argv[0]).resolve(), argv[1]
    _url.append(url)
    app = coco.App(coco.AppConfig(name="ThreadScaleBench"), app_main, root=root)
    app.update_blocking()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
