"""The ``analyze`` tool: code sent inline, analysed as ``POST /api/analyze`` does (``api/analyze.py``),
nothing stored. For code an agent has not written to disk yet, or that the index does not hold."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ..analyze import AnalyzeLimits, analyze_files
from ..contract import ApiError
from .shapes import Row, analyze_item
from .tools import Refusal


class SourceFile(BaseModel):
    path: str = Field(description="repository-relative path, e.g. pkg/mod.py (imports between the files resolve)")
    content: str = Field(description="the file's text")
    language: str | None = Field(default=None, description="a language name; null: detected from path and text")


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
    limits = AnalyzeLimits()
    size = sum(len(f.content.encode("utf-8")) for f in files)
    if size > limits.max_body:
        raise Refusal(f"{size} bytes of content over the limit of {limits.max_body}: send fewer files at once")
    try:
        answer = analyze_files([f.model_dump() for f in files], language, limits)
    except ApiError as exc:
        raise Refusal(exc.message) from None
    return answer if detail == "full" else {"files": [analyze_item(r) for r in answer["files"]]}
