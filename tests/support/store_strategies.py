"""Hypothesis strategies for every record a store keeps, valid as the engine would build them but
with the awkward values a store gets wrong: unicode and emoji, newlines, empty strings next to
None, 64-bit integers, floats that do not round-trip through a lossy text format.

Text excludes NUL (Postgres TEXT cannot hold it) and lone surrogates (not UTF-8); the engine
decodes sources with replacement characters, so it never produces either.
"""

from __future__ import annotations

from hypothesis import strategies as st

from thread_assets.engine import (
    Call,
    CallEdge,
    Cycle,
    DepEdge,
    FileAnalysis,
    Import,
    Location,
    Parameter,
    ParseSummary,
    PatternMatch,
    Resolution,
    Symbol,
)
from thread_assets.engine.model import CallType, FileStatus, ImportKind, SymbolKind, Visibility

_ALPHABET = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
EDGY = ["", " ", "é", "日本語", "🐍🚀", "a\nb", "line1\r\nline2", "%", "_", "\\", "'", '"', "O'Brien", "a%b_c"]

text = st.one_of(st.text(_ALPHABET, max_size=30), st.sampled_from(EDGY))
opt_text = st.none() | text
names = st.one_of(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True), st.sampled_from(["ñame", "🐍", "x"]))
int64 = st.integers(min_value=0, max_value=2**63 - 1)
small = st.integers(min_value=0, max_value=2**31 - 1)
floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
paths = st.one_of(
    st.from_regex(r"[a-z]{1,6}(/[a-z_]{1,6}){0,2}\.(py|rs|go|ts)", fullmatch=True),
    st.sampled_from(["src/ünïcode.py", "docs/🚀.md", "a b/c d.py", "x%_.py"]),
)


def _literals(alias: object) -> list[str]:
    return list(alias.__args__)  # type: ignore[attr-defined]


locations = st.builds(
    Location, start_line=small, start_col=small, end_line=small, end_col=small, start_byte=int64, end_byte=int64
)
parameters = st.builds(
    Parameter,
    name=text,
    type=opt_text,
    default=opt_text,
    kind=st.sampled_from(["positional", "variadic", "receiver", ""]),
)
symbols = st.builds(
    Symbol,
    id=text,
    name=names | text,
    qualified_name=text,
    kind=st.sampled_from(_literals(SymbolKind)),
    visibility=st.sampled_from(_literals(Visibility)),
    signature=text,
    parameters=st.lists(parameters, max_size=3).map(tuple),
    return_type=opt_text,
    generics=st.lists(text, max_size=2).map(tuple),
    decorators=st.lists(text, max_size=2).map(tuple),
    parent=opt_text,
    docstring=opt_text,
    exported=st.booleans(),
    location=locations,
)
imports = st.builds(
    Import,
    module=text,
    name=opt_text,
    alias=opt_text,
    bound=opt_text,
    kind=st.sampled_from(_literals(ImportKind)),
    level=small,
    used=st.booleans(),
    location=locations,
)
calls = st.builds(
    Call,
    caller=opt_text,
    callee=text,
    name=text,
    receiver=opt_text,
    call_type=st.sampled_from(_literals(CallType)),
    arg_count=small,
    location=locations,
)
summaries = st.builds(
    ParseSummary,
    language=text,
    content_hash=text,
    size_bytes=int64,
    line_count=int64,
    node_count=int64,
    error_count=int64,
    error_ratio=floats,
    max_depth=int64,
    parse_time_ms=floats,
    grammar_version=text,
)


@st.composite
def analyses(draw: st.DrawFn, path: str) -> FileAnalysis:
    return FileAnalysis(
        path=path,
        language=draw(opt_text),
        status=draw(st.sampled_from(_literals(FileStatus))),
        reason=draw(opt_text),
        level=draw(st.sampled_from(["full", "generic", "parse"])),
        content_hash=draw(opt_text),
        size_bytes=draw(int64),
        summary=draw(st.none() | summaries),
        symbols=tuple(draw(st.lists(symbols, max_size=4))),
        imports=tuple(draw(st.lists(imports, max_size=3))),
        calls=tuple(draw(st.lists(calls, max_size=3))),
        extractor_version=draw(text),
    )


def batches(max_files: int = 4) -> st.SearchStrategy[list[FileAnalysis]]:
    """Files with distinct paths, as one write_files batch."""
    return st.lists(paths, min_size=1, max_size=max_files, unique=True).flatmap(
        lambda ps: st.tuples(*[analyses(p) for p in ps]).map(list)
    )


pattern_matches = st.builds(
    PatternMatch,
    rule_id=text,
    severity=st.sampled_from(["error", "warning", "info", "hint"]),
    message=text,
    text=text,
    captures=st.dictionaries(st.text(_ALPHABET, max_size=8), text, max_size=3),
    location=locations,
)
resolutions = st.builds(
    Resolution,
    importer=paths,
    index=small,
    module=text,
    name=opt_text,
    target=st.none() | paths,
    external=opt_text,
    how=text,
)
dep_edges = st.builds(
    DepEdge,
    source=paths,
    target=paths | text,
    external=st.booleans(),
    count=int64,
    names=st.lists(text, max_size=3).map(tuple),
    kinds=st.lists(text, max_size=2).map(tuple),
    resolved_by=st.lists(text, max_size=2).map(tuple),
)
cycles = st.builds(
    Cycle,
    kind=st.sampled_from(["scc", "self_import"]),
    members=st.lists(paths, min_size=1, max_size=4).map(tuple),
    path=st.lists(paths, min_size=2, max_size=5).map(tuple),
    edge_count=int64,
)
call_edges = st.builds(
    CallEdge,
    path=paths,
    caller=text,
    callee=text,
    name=text,
    call_type=st.sampled_from(_literals(CallType)),
    location=locations,
    target=opt_text,
    how=st.sampled_from(["same_file", "import", "unresolved", "constructor"]),
)
