"""What each tool answers: a store row (or an analysed file) cut to the fields an agent acts on.

An agent reads an answer token by token, so rows keep ``path``, ``line`` and the ids it can
pass to the next tool, and drop what it cannot use (columns, bytes, provenance); a field the
semantic call graph fills only sometimes (``receiver_type``, ``reason``...) appears only when set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..contract import page

Row = dict[str, Any]
DOC_CHARS = 160
"""A docstring is cut to its first paragraph, at most this long."""


def paged(rows: Sequence[Row], shape: Callable[[Row], Row], limit: int, offset: int) -> Row:
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
