"""Engine records <-> table rows, shared by every backend so that all of them store the same bytes.

Each table's columns are listed once here (``COLUMNS``), in the order of ``sql/schema.sql``; rows
are plain tuples in that order. Conventions: booleans are 0/1, tuples and dicts are msgspec JSON
text, a missing ``ParseSummary`` is NULL in every ``summary``-derived column, and ``ordinal`` is
the record's position in its file (symbols, imports, calls, matches, call edges) or in the
repository's list (cycles), so that reading back in key order gives the records in their
original order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import msgspec

from thread_assets.engine import (
    Binding,
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
    Ref,
    Resolution,
    Symbol,
    TypeRelation,
    global_symbol_id,
)
from thread_assets.engine.extract.go_build import name_tags
from thread_assets.engine.graph import HierarchyEdge
from thread_assets.engine.graph.deps import find_cycles, runtime_edges

Row = tuple[Any, ...]

LOC = ("start_line", "start_col", "end_line", "end_col", "start_byte", "end_byte")
SUMMARY = (
    "summary_language",
    "summary_content_hash",
    "summary_size_bytes",
    "line_count",
    "node_count",
    "error_count",
    "error_ratio",
    "max_depth",
    "parse_time_ms",
    "grammar_version",
)
_FILE_HEAD = (
    "repo",
    "path",
    "language",
    "status",
    "reason",
    "level",
    "content_hash",
    "size_bytes",
    "extractor_version",
)
_BUILD = ("build_constraint", "build_ignored", "build_file_tags")
"""Go build constraints (the file name's part, build_file_tags, is derived from the path)."""
_SYMBOL_HEAD = ("repo", "path", "ordinal", "symbol_id", "global_id", "name", "qualified_name", "kind", "visibility")
_SYMBOL_BODY = ("signature", "parameters", "return_type", "generics", "decorators", "parent", "docstring", "exported")
_IMPORT_HEAD = ("repo", "path", "ordinal", "module", "name", "alias", "bound", "kind", "level", "used")
_IMPORT_FLAGS = ("type_only", "deferred", "conditional", "dynamic")
_CALL_HEAD = ("repo", "path", "ordinal", "caller", "callee", "name", "receiver", "call_type", "arg_count")
_MATCH_HEAD = ("repo", "path", "ordinal", "rule_id", "severity", "message", "matched_text", "captures")
_RESOLUTION = ("repo", "importer", "import_index", "module", "name", "target", "external", "how", "run_id")
_DEP = (
    *("repo", "source", "external", "target", "import_count", "names", "kinds", "resolved_by", "run_id"),
    *("type_only", "deferred"),
)
_CYCLE = ("repo", "ordinal", "kind", "members", "cycle_path", "member_count", "edge_count", "run_id")
_EDGE_HEAD = ("repo", "path", "ordinal", "caller", "callee", "name", "call_type", "target", "how")
_EDGE_VERDICT = ("call_index", "receiver_type", "callee_module", "reason", "dispatch")
_RELATION = ("repo", "path", "ordinal", "type_id", "type_name", "base", "kind", "access")
_HIERARCHY = ("repo", "path", "ordinal", "type", "type_name", "base", "kind", "access", "target", "module")

COLUMNS: dict[str, tuple[str, ...]] = {
    "files": (*_FILE_HEAD, *SUMMARY, "run_id", "indexed_at", *_BUILD),
    "symbols": (*_SYMBOL_HEAD, *_SYMBOL_BODY, *LOC),
    "imports": (*_IMPORT_HEAD, *LOC, *_IMPORT_FLAGS),
    "calls": (*_CALL_HEAD, *LOC, "targets", "reason"),
    "pattern_matches": (*_MATCH_HEAD, *LOC),
    "bindings": ("repo", "path", "ordinal", "scope", "name", "refs"),
    "type_relations": (*_RELATION, *LOC),
    "import_resolutions": _RESOLUTION,
    "dep_edges": _DEP,
    "cycles": _CYCLE,
    "call_edges": (*_EDGE_HEAD, *LOC, "run_id", *_EDGE_VERDICT),
    "type_hierarchy": (*_HIERARCHY, *LOC, "run_id"),
    "graph_inputs": ("repo", "kind", "path", "digest"),
    # the repository map (resources/store/ranks.py)
    "symbol_ranks": (
        "repo",
        "symbol",
        "path",
        "ordinal",
        "name",
        "kind",
        "start_line",
        "score",
        "depth",
        "line",
        "tokens",
        "map_position",
        "file_position",
        "cumulative_tokens",
        "run_id",
    ),
    "rank_state": ("repo", "digest", "nodes", "edges", "iterations", "warm", "seconds", "run_id", "computed_at"),
}
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "files": ("repo", "path"),
    "symbols": ("repo", "path", "ordinal"),
    "imports": ("repo", "path", "ordinal"),
    "calls": ("repo", "path", "ordinal"),
    "pattern_matches": ("repo", "path", "ordinal"),
    "bindings": ("repo", "path", "ordinal"),
    "type_relations": ("repo", "path", "ordinal"),
    "type_hierarchy": ("repo", "path", "ordinal"),
    "import_resolutions": ("repo", "importer", "import_index"),
    "dep_edges": ("repo", "source", "external", "target"),
    "cycles": ("repo", "ordinal"),
    "call_edges": ("repo", "path", "ordinal"),
    "graph_inputs": ("repo", "kind", "path"),
}
PATH_COLUMN: dict[str, str] = {
    "files": "path",
    "symbols": "path",
    "imports": "path",
    "calls": "path",
    "pattern_matches": "path",
    "import_resolutions": "importer",
    "call_edges": "path",
    "bindings": "path",
    "type_relations": "path",
    "type_hierarchy": "path",
}
"""The column naming the file a row belongs to (dep_edges and cycles are handled apart)."""

JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "symbols": ("parameters", "generics", "decorators"),
    "pattern_matches": ("captures",),
    "calls": ("targets",),
    "bindings": ("refs",),
    "dep_edges": ("names", "kinds", "resolved_by"),
    "cycles": ("members", "cycle_path"),
}
BOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "files": ("build_ignored",),
    "symbols": ("exported",),
    "imports": ("used", *_IMPORT_FLAGS),
    "dep_edges": ("external", "type_only", "deferred"),
    "call_edges": ("dispatch",),
}

_encode = msgspec.json.Encoder().encode
_PARAMS = msgspec.json.Decoder(tuple[Parameter, ...])
_STRS = msgspec.json.Decoder(tuple[str, ...])
_CAPTURES = msgspec.json.Decoder(dict[str, str])
_ANY = msgspec.json.Decoder()


def to_json(value: Any) -> str:
    return _encode(value).decode()


def _loc(loc: Location) -> Row:
    return (loc.start_line, loc.start_col, loc.end_line, loc.end_col, loc.start_byte, loc.end_byte)


def _location(row: Sequence[Any], at: int) -> Location:
    return Location(
        start_line=row[at],
        start_col=row[at + 1],
        end_line=row[at + 2],
        end_col=row[at + 3],
        start_byte=row[at + 4],
        end_byte=row[at + 5],
    )


# ---- per-file records -> rows


def file_row(repo: str, a: FileAnalysis, run_id: str, indexed_at: str) -> Row:
    s = a.summary
    summary: Row = (
        (None,) * len(SUMMARY)
        if s is None
        else (
            s.language,
            s.content_hash,
            s.size_bytes,
            s.line_count,
            s.node_count,
            s.error_count,
            s.error_ratio,
            s.max_depth,
            s.parse_time_ms,
            s.grammar_version,
        )
    )
    head = (repo, a.path, a.language, a.status, a.reason, a.level, a.content_hash, a.size_bytes, a.extractor_version)
    tags = " ".join(name_tags(a.path)) if a.language == "go" else ""
    return (*head, *summary, run_id, indexed_at, a.build_constraint, int(a.build_ignored), tags or None)


def symbol_rows(repo: str, a: FileAnalysis) -> Iterator[Row]:
    for i, s in enumerate(a.symbols):
        yield (
            repo,
            a.path,
            i,
            s.id,
            global_symbol_id(a.path, s.id),
            s.name,
            s.qualified_name,
            s.kind,
            s.visibility,
            s.signature,
            to_json(s.parameters),
            s.return_type,
            to_json(s.generics),
            to_json(s.decorators),
            s.parent,
            s.docstring,
            int(s.exported),
            *_loc(s.location),
        )


def import_rows(repo: str, a: FileAnalysis) -> Iterator[Row]:
    for i, m in enumerate(a.imports):
        head = (repo, a.path, i, m.module, m.name, m.alias, m.bound, m.kind, m.level, int(m.used))
        yield (*head, *_loc(m.location), int(m.type_only), int(m.deferred), int(m.conditional), int(m.dynamic))


def call_rows(repo: str, a: FileAnalysis) -> Iterator[Row]:
    for i, c in enumerate(a.calls):
        head = (repo, a.path, i, c.caller, c.callee, c.name, c.receiver, c.call_type, c.arg_count)
        yield (*head, *_loc(c.location), to_json(c.targets) if c.targets else None, c.reason)


def binding_rows(repo: str, a: FileAnalysis) -> Iterator[Row]:
    for i, b in enumerate(a.bindings):
        yield (repo, a.path, i, b.scope, b.name, to_json(b.values))


def relation_rows(repo: str, a: FileAnalysis) -> Iterator[Row]:
    for i, r in enumerate(a.relations):
        yield (repo, a.path, i, r.type, r.type_name, r.base, r.kind, r.access, *_loc(r.location))


def match_rows(repo: str, path: str, matches: Sequence[PatternMatch]) -> Iterator[Row]:
    for i, m in enumerate(matches):
        head = (repo, path, i, m.rule_id, m.severity, m.message, m.text, to_json(m.captures))
        yield (*head, *_loc(m.location))


def per_file_rows(
    repo: str,
    analyses: Sequence[FileAnalysis],
    matches: Mapping[str, Sequence[PatternMatch]],
    run_id: str,
    indexed_at: str,
) -> dict[str, list[Row]]:
    """Rows of every per-file table for one batch, keyed by table name."""
    rows: dict[str, list[Row]] = {
        t: [] for t in ("files", "symbols", "imports", "calls", "pattern_matches", "bindings", "type_relations")
    }
    for a in analyses:
        rows["files"].append(file_row(repo, a, run_id, indexed_at))
        rows["symbols"].extend(symbol_rows(repo, a))
        rows["imports"].extend(import_rows(repo, a))
        rows["calls"].extend(call_rows(repo, a))
        rows["bindings"].extend(binding_rows(repo, a))
        rows["type_relations"].extend(relation_rows(repo, a))
    for path in sorted(matches):
        rows["pattern_matches"].extend(match_rows(repo, path, matches[path]))
    return rows


# ---- rows -> per-file records (rows in COLUMNS order)


def analysis_from_rows(
    file: Sequence[Any],
    symbols: Iterable[Sequence[Any]],
    imports: Iterable[Sequence[Any]],
    calls: Iterable[Sequence[Any]],
    bindings: Iterable[Sequence[Any]] = (),
    relations: Iterable[Sequence[Any]] = (),
) -> FileAnalysis:
    summary = None
    if file[9] is not None:
        summary = ParseSummary(
            language=file[9],
            content_hash=file[10],
            size_bytes=file[11],
            line_count=file[12],
            node_count=file[13],
            error_count=file[14],
            error_ratio=file[15],
            max_depth=file[16],
            parse_time_ms=file[17],
            grammar_version=file[18],
        )
    return FileAnalysis(
        path=file[1],
        language=file[2],
        status=file[3],
        reason=file[4],
        level=file[5],
        content_hash=file[6],
        size_bytes=file[7],
        extractor_version=file[8],
        summary=summary,
        build_constraint=file[21],
        build_ignored=bool(file[22]),
        symbols=tuple(_symbol(r) for r in symbols),
        imports=tuple(_import(r) for r in imports),
        calls=tuple(_call(r) for r in calls),
        bindings=tuple(_binding(r) for r in bindings),
        relations=tuple(_relation(r) for r in relations),
    )


_REFS = msgspec.json.Decoder(tuple[Ref, ...])


def _binding(r: Sequence[Any]) -> Binding:
    return Binding(scope=r[3], name=r[4], values=_REFS.decode(r[5]))


def _relation(r: Sequence[Any]) -> TypeRelation:
    return TypeRelation(type=r[3], type_name=r[4], base=r[5], kind=r[6], access=r[7], location=_location(r, 8))


def _symbol(r: Sequence[Any]) -> Symbol:
    return Symbol(
        id=r[3],
        name=r[5],
        qualified_name=r[6],
        kind=r[7],
        visibility=r[8],
        signature=r[9],
        parameters=_PARAMS.decode(r[10]),
        return_type=r[11],
        generics=_STRS.decode(r[12]),
        decorators=_STRS.decode(r[13]),
        parent=r[14],
        docstring=r[15],
        exported=bool(r[16]),
        location=_location(r, 17),
    )


def _import(r: Sequence[Any]) -> Import:
    return Import(
        module=r[3],
        name=r[4],
        alias=r[5],
        bound=r[6],
        kind=r[7],
        level=r[8],
        used=bool(r[9]),
        location=_location(r, 10),
        type_only=bool(r[16]),
        deferred=bool(r[17]),
        conditional=bool(r[18]),
        dynamic=bool(r[19]),
    )


def _call(r: Sequence[Any]) -> Call:
    return Call(
        caller=r[3],
        callee=r[4],
        name=r[5],
        receiver=r[6],
        call_type=r[7],
        arg_count=r[8],
        location=_location(r, 9),
        targets=_REFS.decode(r[15]) if r[15] else (),
        reason=r[16],
    )


def match_from_row(r: Sequence[Any]) -> PatternMatch:
    return PatternMatch(
        rule_id=r[3],
        severity=r[4],
        message=r[5],
        text=r[6],
        captures=_CAPTURES.decode(r[7]),
        location=_location(r, 8),
    )


# ---- graph records <-> rows


def call_edge_rows(repo: str, call_edges: Iterable[CallEdge], run_id: str, ordinals: dict[str, int]) -> list[Row]:
    """Rows of ``call_edges``, numbered per file; ``ordinals`` carries the numbering from one
    batch of a file's edges to the next (a streamed full build writes them in batches)."""
    rows = []
    for e in call_edges:
        i = ordinals.get(e.path, 0)
        ordinals[e.path] = i + 1
        head = (repo, e.path, i, e.caller, e.callee, e.name, e.call_type, e.target, e.how, *_loc(e.location), run_id)
        rows.append((*head, e.call_index, e.receiver_type, e.callee_module, e.reason, int(e.dispatch)))
    return rows


def graph_rows(
    repo: str,
    resolutions: Sequence[Resolution],
    dep_edges: Sequence[DepEdge],
    cycles: Sequence[Cycle],
    call_edges: Iterable[CallEdge],
    run_id: str,
    hierarchy: Sequence[HierarchyEdge] = (),
) -> dict[str, list[Row]]:
    """Call edges are numbered per file in the order given (``resolve_calls``: calls in file
    order, a call's several edges in target order); ``call_index`` is the call's ordinal in
    ``calls``. Hierarchy rows likewise, in relation order."""
    edges = call_edge_rows(repo, call_edges, run_id, {})
    h_ordinals: dict[str, int] = {}
    h_rows = []
    for h in hierarchy:
        i = h_ordinals.get(h.path, 0)
        h_ordinals[h.path] = i + 1
        head = (repo, h.path, i, h.type, h.type_name, h.base, h.kind, h.access, h.target, h.module)
        h_rows.append((*head, *_loc(h.location), run_id))
    return {
        "import_resolutions": [
            (repo, r.importer, r.index, r.module, r.name, r.target, r.external, r.how, run_id) for r in resolutions
        ],
        "dep_edges": [
            (
                repo,
                d.source,
                int(d.external),
                d.target,
                d.count,
                to_json(d.names),
                to_json(d.kinds),
                to_json(d.resolved_by),
                run_id,
                int(d.type_only),
                int(d.deferred),
            )
            for d in dep_edges
        ],
        "cycles": [
            (repo, i, c.kind, to_json(c.members), to_json(c.path), len(c.members), c.edge_count, run_id)
            for i, c in enumerate(cycles)
        ],
        "call_edges": edges,
        "type_hierarchy": h_rows,
    }


def resolution_from_row(r: Sequence[Any]) -> Resolution:
    return Resolution(importer=r[1], index=r[2], module=r[3], name=r[4], target=r[5], external=r[6], how=r[7])


def dep_edge_from_row(r: Sequence[Any]) -> DepEdge:
    return DepEdge(
        source=r[1],
        external=bool(r[2]),
        target=r[3],
        count=r[4],
        names=_STRS.decode(r[5]),
        kinds=_STRS.decode(r[6]),
        resolved_by=_STRS.decode(r[7]),
        type_only=bool(r[9]),
        deferred=bool(r[10]),
    )


def cycle_from_row(r: Sequence[Any]) -> Cycle:
    return Cycle(kind=r[2], members=_STRS.decode(r[3]), path=_STRS.decode(r[4]), edge_count=r[6])


def call_edge_from_row(r: Sequence[Any]) -> CallEdge:
    return CallEdge(
        path=r[1],
        caller=r[3],
        callee=r[4],
        name=r[5],
        call_type=r[6],
        target=r[7],
        how=r[8],
        location=_location(r, 9),
        call_index=r[16] if r[16] is not None else 0,
        receiver_type=r[17],
        callee_module=r[18],
        reason=r[19],
        dispatch=bool(r[20]),
    )


def hierarchy_from_row(r: Sequence[Any]) -> HierarchyEdge:
    return HierarchyEdge(
        path=r[1],
        type=r[3],
        type_name=r[4],
        base=r[5],
        kind=r[6],
        access=r[7],
        target=r[8],
        module=r[9],
        location=_location(r, 10),
    )


def imports_analysis(file: Sequence[Any], imports: Iterable[Sequence[Any]]) -> FileAnalysis:
    """A FileAnalysis carrying only what import resolution reads: path, language, status and the
    imports, and whether the file never builds (``file`` is ``(repo, path, language, status,
    build_ignored)``)."""
    return FileAnalysis(
        path=file[1],
        language=file[2],
        status=file[3],
        build_ignored=bool(file[4]),
        imports=tuple(_import(r) for r in imports),
    )


def plain(table: str, columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """A query/export row as a JSON-able dict: JSON text decoded, 0/1 flags as booleans."""
    out = dict(zip(columns, row, strict=True))
    for c in JSON_COLUMNS.get(table, ()):
        if c in out and out[c] is not None:
            out[c] = _ANY.decode(out[c])
    for c in BOOL_COLUMNS.get(table, ()):
        if c in out and out[c] is not None:
            out[c] = bool(out[c])
    return out


def filtered_cycles(
    pairs: Iterable[Mapping[str, Any]], *, skip_type_only: bool, skip_deferred: bool
) -> list[dict[str, Any]]:
    """Rows shaped like ``cycles`` rows (per repository, numbered as stored ones are) of the graph
    of ``dep_pairs`` rows without the edges left out."""
    by_repo: dict[str, list[DepEdge]] = {}
    for p in pairs:
        edge = DepEdge(
            source=p["source"],
            target=p["target"],
            count=1,
            names=(),
            resolved_by=(),
            type_only=bool(p["type_only"]),
            deferred=bool(p["deferred"]),
        )
        by_repo.setdefault(p["repo"], []).append(edge)
    out: list[dict[str, Any]] = []
    for repo in sorted(by_repo):
        kept = runtime_edges(by_repo[repo], skip_type_only=skip_type_only, skip_deferred=skip_deferred)
        for i, c in enumerate(find_cycles(kept)):
            row = (repo, i, c.kind, list(c.members), list(c.path), len(c.members), c.edge_count)
            out.append(dict(zip(_CYCLE[:-1], row, strict=True)))
    return out
