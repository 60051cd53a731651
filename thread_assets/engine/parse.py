"""Parsing and the per-file parse summary.

Parsers and languages are cached per process: building a parser is cheap but not free, and the
batch pool keeps worker processes alive across thousands of files.
"""

from __future__ import annotations

import time
from functools import cache
from importlib.metadata import version

import xxhash
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree
from tree_sitter_language_pack import get_language as _pack_language
from tree_sitter_language_pack import get_parser as _pack_parser

from .model import ParseSummary

PACK_VERSION = version("tree-sitter-language-pack")


def content_hash(data: bytes) -> str:
    return xxhash.xxh3_64_hexdigest(data)


@cache
def language_object(language: str) -> Language:
    return _pack_language(language)  # type: ignore[arg-type]


@cache
def parser_for(language: str) -> Parser:
    return _pack_parser(language)  # type: ignore[arg-type]


@cache
def grammar_version(language: str) -> str:
    """The grammar's own semantic version when it declares one, else the pack version and ABI:
    either way a change of grammar changes this string (it feeds Dagster code versions)."""
    lang = language_object(language)
    sem = lang.semantic_version
    if sem:
        return f"{language}@{'.'.join(map(str, sem))}"
    return f"{language}@tslp{PACK_VERSION}-abi{lang.abi_version}"


def parse(source: bytes, language: str) -> tuple[Tree, float]:
    """Returns the tree and the parse time in milliseconds."""
    parser = parser_for(language)
    t0 = time.perf_counter()
    tree = parser.parse(source)
    return tree, (time.perf_counter() - t0) * 1000.0


_ERROR_QUERY_SRC = "(ERROR) @error (MISSING) @missing"


def summarize(tree: Tree, source: bytes, language: str, parse_time_ms: float, digest: str) -> ParseSummary:
    """Node count is free (``descendant_count``); errors come from one query, and only when the
    tree has any; the depth needs a walk, kept as tight as Python allows (it is a noticeable share
    of the parse time)."""
    root = tree.root_node
    node_count = root.descendant_count
    error_count = 0
    error_bytes = 0
    if root.has_error:
        found = QueryCursor(_error_query(language)).captures(root)
        errors = sorted(found.get("error", ()), key=lambda n: (n.start_byte, -n.end_byte))
        error_count = len(errors) + len(found.get("missing", ()))
        covered_to = -1
        for node in errors:  # nested ERROR nodes: count their bytes once
            start, end = node.start_byte, node.end_byte
            if end <= covered_to:
                continue
            error_bytes += end - max(start, covered_to)
            covered_to = end
    max_depth = _max_depth(root) if node_count > 1 else 0
    size = len(source)
    lines = source.count(b"\n") + (1 if source and not source.endswith(b"\n") else 0)
    return ParseSummary(
        language=language,
        content_hash=digest,
        size_bytes=size,
        line_count=lines,
        node_count=node_count,
        error_count=error_count,
        error_ratio=round(min(error_bytes, size) / size, 6) if size else 0.0,
        max_depth=max_depth,
        parse_time_ms=round(parse_time_ms, 3),
        grammar_version=grammar_version(language),
    )


@cache
def _error_query(language: str) -> Query:
    return Query(language_object(language), _ERROR_QUERY_SRC)


def _max_depth(root: Node) -> int:
    """Deepest node below ``root`` (in edges). A subtree of N nodes is at most N - 1 deeper than
    its top, so one that cannot beat the deepest node seen so far is stepped over, not walked:
    most leaves and small expressions are never entered."""
    cursor = root.walk()
    first_child = cursor.goto_first_child
    next_sibling = cursor.goto_next_sibling
    parent = cursor.goto_parent
    depth = max_depth = 0
    while True:
        if first_child():
            depth += 1
            if depth > max_depth:
                max_depth = depth
        else:
            while not next_sibling():
                if not parent():
                    return max_depth
                depth -= 1
        while depth + cursor.node.descendant_count - 1 <= max_depth:  # type: ignore[union-attr]  # never None on a node
            while not next_sibling():
                if not parent():
                    return max_depth
                depth -= 1
