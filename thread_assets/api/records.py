"""Engine records as the JSON rows the index stores, for answers that never touch a store.

``POST /api/analyze`` answers with the rows a store would hold for the files it was sent
(``resources/store/rows.py``, ``docs/schema.md``): a record's ``location`` flattened into
``start_line`` .. ``end_byte``, the file's ``path`` and the record's ``ordinal`` in front, a
symbol's local ``id`` as ``symbol_id`` next to its ``global_id``, a match's ``text`` as
``matched_text``; no ``repo`` (nothing is stored). Imports carry their resolution (``target``,
``external``, ``how``) and calls their call edge (global ``caller``, ``target``, ``how``), as the
``import_resolutions`` and ``call_edges`` tables join them.

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
EDGE_SKIP = frozenset({"path"})
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
    """``row`` with the fields of a graph record joined to it (the graph record's value wins, so a
    call's ``caller`` becomes the edge's global id); its location, the same, stays flattened."""
    for key, value in extra.items():
        if key not in skip and key != "location":
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
    ``resolutions`` and ``edges`` are this file's, in import and call order."""
    path = analysis.path
    out = {k: v for k, v in msgspec.to_builtins(analysis).items() if k not in FILE_SKIP}
    out["symbols"] = [_row("symbols", path, i, msgspec.to_builtins(s)) for i, s in enumerate(analysis.symbols)]
    by_index = {r.index: msgspec.to_builtins(r) for r in resolutions}
    out["imports"] = [
        _overlay(_row("imports", path, i, msgspec.to_builtins(m)), by_index.get(i, {}), RESOLUTION_SKIP)
        for i, m in enumerate(analysis.imports)
    ]
    edge_list = [msgspec.to_builtins(e) for e in edges]
    out["calls"] = [
        _overlay(_row("calls", path, i, msgspec.to_builtins(c)), edge_list[i] if i < len(edge_list) else {}, EDGE_SKIP)
        for i, c in enumerate(analysis.calls)
    ]
    out["pattern_matches"] = [_row("pattern_matches", path, i, msgspec.to_builtins(m)) for i, m in enumerate(matches)]
    return out


# ---- JSON schemas of the same rows (the OpenAPI document), from the records' own schemas


def _flat(table: str, name: str, components: Mapping[str, Any], extra: Iterable[str] = ()) -> dict[str, Any]:
    """The row schema of ``table`` from msgspec's schema of the record ``name`` (and of the graph
    records ``extra`` joined to it), transformed as :func:`_row` transforms the record."""
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
        skip = RESOLUTION_SKIP if other == "Resolution" else EDGE_SKIP
        for key, value in components[other]["properties"].items():
            if key not in skip and key != "location":
                properties[key] = value
    for key in LOCATION:
        properties[key] = {"type": "integer"}
    required += [*LOCATION, *(["global_id"] if table == "symbols" else [])]
    return {"type": "object", "properties": properties, "required": list(dict.fromkeys(required))}


def analysis_schemas() -> dict[str, Any]:
    """Components for the OpenAPI document: ``AnalyzedFile`` and the row schemas it refers to
    (``#/components/schemas/...``)."""
    _, raw = msgspec.json.schema_components(
        [FileAnalysis, Symbol, Import, Call, PatternMatch, ParseSummary, CallEdge, Resolution],
        ref_template="#/components/schemas/{name}",
    )
    components: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(raw))  # tuple defaults: JSON lists
    rows = {
        "SymbolRow": _flat("symbols", "Symbol", components),
        "ImportRow": _flat("imports", "Import", components, ["Resolution"]),
        "CallRow": _flat("calls", "Call", components, ["CallEdge"]),
        "PatternMatchRow": _flat("pattern_matches", "PatternMatch", components),
    }
    for table, key in (("imports", "ImportRow"), ("calls", "CallRow")):
        # a joined field may be absent when the graph had nothing for the record: not required
        rows[key]["description"] = f"a row of {table}, with what the graph says about it"
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
    return {
        "AnalyzedFile": analyzed,
        **rows,
        "ParseSummary": components["ParseSummary"],
        "Parameter": components["Parameter"],
    }
