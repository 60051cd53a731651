"""Engine records as the JSON rows the index stores, for answers that never touch a store.

``POST /api/analyze`` answers with the rows a store would hold for the files it was sent
(``resources/store/rows.py``, ``docs/schema.md``): a record's ``location`` flattened into
``start_line`` .. ``end_byte``, the file's ``path`` and the record's ``ordinal`` in front, a
symbol's local ``id`` as ``symbol_id`` next to its ``global_id``, a match's ``text`` as
``matched_text``; no ``repo`` (nothing is stored). Imports carry their resolution (``target``,
``external``, ``how``), as ``import_resolutions`` joins them. Calls are the ``call_edges`` rows
(one per possible target: a call dispatched to several implementations has several; at least one
per call), each joined with the fields only its call has (``receiver``, ``arg_count``, ...), as the
``callers``/``callees`` queries join them; ``call_index`` is the call's ordinal in ``calls``.

The rows are built from ``msgspec.to_builtins`` of the records, not from a list of fields, so a
field the engine gains appears in the answer (and in the JSON schemas below) with no change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from thread_assets.engine import (
    Call,
    CallEdge,
    FileAnalysis,
    Import,
    Location,
    ParseSummary,
    PatternMatch,
    Resolution,
    Symbol,
    global_symbol_id,
)

LOCATION = tuple(Location.__struct_fields__)
RENAMED = {"symbols": {"id": "symbol_id"}, "pattern_matches": {"text": "matched_text"}}
"""Record field -> stored column, where they differ."""
RESOLUTION_SKIP = frozenset({"importer", "index"})
"""Fields of a Resolution that only say which import it is (the row already does)."""
FILE_SKIP = frozenset({"symbols", "imports", "calls"})


def _row(table: str, path: str, ordinal: int, record: Mapping[str, Any]) -> dict[str, Any]:
    renamed = RENAMED.get(table, {})
    row: dict[str, Any] = {"path": path, "ordinal": ordinal}
    location = None
    for key, value in record.items():
        if key == "location":
            location = value
        else:
            row[renamed.get(key, key)] = value
    if table == "symbols":
        row["global_id"] = global_symbol_id(path, record["id"])
    if location is not None:
        row.update(location)
    return row


def _overlay(row: dict[str, Any], extra: Mapping[str, Any], skip: frozenset[str]) -> dict[str, Any]:
    """``row`` with the fields of the record joined to it that it lacks (``skip`` aside; the
    location, the same, stays flattened)."""
    for key, value in extra.items():
        if key not in skip and key != "location" and key not in row:
            row[key] = value
    return row


def file_record(
    analysis: FileAnalysis,
    resolutions: Iterable[Resolution],
    edges: Iterable[CallEdge],
    matches: Iterable[PatternMatch],
) -> dict[str, Any]:
    """One file's answer: the ``files`` row (with its ``summary`` as an object, null when the file
    was not parsed) and its ``symbols``, ``imports``, ``calls`` and ``pattern_matches`` rows.
    ``resolutions`` and ``edges`` are this file's, in import and call order (what
    ``resolve_imports`` and ``resolve_calls`` give)."""
    path = analysis.path
    out = {k: v for k, v in msgspec.to_builtins(analysis).items() if k not in FILE_SKIP}
    out["symbols"] = [_row("symbols", path, i, msgspec.to_builtins(s)) for i, s in enumerate(analysis.symbols)]
    by_index = {r.index: msgspec.to_builtins(r) for r in resolutions}
    out["imports"] = [
        _overlay(_row("imports", path, i, msgspec.to_builtins(m)), by_index.get(i, {}), RESOLUTION_SKIP)
        for i, m in enumerate(analysis.imports)
    ]
    calls = [msgspec.to_builtins(c) for c in analysis.calls]
    out["calls"] = []
    for n, edge in enumerate(msgspec.to_builtins(e) for e in edges):
        row = _row("call_edges", path, n, {k: v for k, v in edge.items() if k != "path"})
        out["calls"].append(_overlay(row, calls[edge.get("call_index", n)], frozenset()))
    out["pattern_matches"] = [_row("pattern_matches", path, i, msgspec.to_builtins(m)) for i, m in enumerate(matches)]
    return out


# ---- JSON schemas of the same rows (the OpenAPI document), from the records' own schemas


def _flat(table: str, name: str, components: Mapping[str, Any], extra: Iterable[str] = ()) -> dict[str, Any]:
    """The row schema of ``table`` from msgspec's schema of the record ``name`` (and of the records
    ``extra`` joined to it), transformed as :func:`_row` transforms the record."""
    renamed = RENAMED.get(table, {})
    schema = components[name]
    properties: dict[str, Any] = {"path": {"type": "string"}, "ordinal": {"type": "integer"}}
    required = ["path", "ordinal"]
    for key, value in schema["properties"].items():
        if key == "location":
            continue
        properties[renamed.get(key, key)] = value
    if table == "symbols":
        properties["global_id"] = {"type": "string", "description": "path::symbol_id, unique in the repository"}
    required += [renamed.get(k, k) for k in schema.get("required", []) if k != "location"]
    for other in extra:
        skip = RESOLUTION_SKIP if other == "Resolution" else frozenset()
        for key, value in components[other]["properties"].items():
            if key not in skip and key != "location" and key not in properties:
                properties[key] = value
    for key in LOCATION:
        properties[key] = {"type": "integer"}
    required += [*LOCATION, *(["global_id"] if table == "symbols" else [])]
    return {"type": "object", "properties": properties, "required": list(dict.fromkeys(required))}


def analysis_schemas() -> dict[str, Any]:
    """Components for the OpenAPI document: ``AnalyzedFile``, the row schemas it refers to and the
    schemas of the engine's records (``#/components/schemas/...``)."""
    _, raw = msgspec.json.schema_components(
        [FileAnalysis, Symbol, Import, Call, PatternMatch, ParseSummary, CallEdge, Resolution],
        ref_template="#/components/schemas/{name}",
    )
    components: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(raw))  # tuple defaults: JSON lists
    rows = {
        "SymbolRow": _flat("symbols", "Symbol", components),
        "ImportRow": _flat("imports", "Import", components, ["Resolution"]),
        "CallRow": _flat("call_edges", "CallEdge", components, ["Call"]),
        "PatternMatchRow": _flat("pattern_matches", "PatternMatch", components),
    }
    rows["ImportRow"]["description"] = "a row of imports, with its resolution (import_resolutions)"
    rows["CallRow"]["description"] = (
        "a row of call_edges (one per possible target, at least one per call; call_index: the call's "
        "ordinal), with what only its call has (receiver, arg_count, ...)"
    )
    file_schema = components["FileAnalysis"]
    properties = {k: v for k, v in file_schema["properties"].items() if k not in FILE_SKIP}
    properties["summary"] = {"anyOf": [{"$ref": "#/components/schemas/ParseSummary"}, {"type": "null"}]}
    for field, ref in (
        ("symbols", "SymbolRow"),
        ("imports", "ImportRow"),
        ("calls", "CallRow"),
        ("pattern_matches", "PatternMatchRow"),
    ):
        properties[field] = {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}}
    analyzed = {
        "type": "object",
        "description": "one file sent: its files row (status ok, skipped or error, with the reason) and its rows",
        "properties": properties,
        "required": [*file_schema.get("required", []), "symbols", "imports", "calls", "pattern_matches"],
    }
    # every record schema msgspec made is kept: the rows and the engine's own records refer to them
    return {**components, "AnalyzedFile": analyzed, **rows}
