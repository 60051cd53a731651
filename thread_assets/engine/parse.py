"""Parsing and the per-file parse summary.

Parsers and languages are cached per process: building a parser is cheap but not free, and the
batch pool keeps worker processes alive across thousands of files.
"""

from __future__ import annotations

import time
from functools import cache
from importlib.metadata import version

import xxhash
from tree_sitter import Language, Parser, Tree
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


def summarize(tree: Tree, source: bytes, language: str, parse_time_ms: float, digest: str) -> ParseSummary:
    """One cursor walk gives node count, depth and error bytes together (a walk costs about a
    fifth of the parse; three separate passes would cost three times that)."""
    root = tree.root_node
    node_count = root.descendant_count
    error_count = 0
    error_bytes = 0
    max_depth = 0
    if node_count > 1:
        has_error = root.has_error
        cursor = root.walk()
        depth = 0
        while True:
            if has_error:
                node = cursor.node
                assert node is not None
                if node.is_error:
                    error_count += 1
                    error_bytes += node.end_byte - node.start_byte
                    # the error subtree's bytes are counted once; do not descend
                    if cursor.goto_next_sibling():
                        continue
                    moved = False
                    while cursor.goto_parent():
                        depth -= 1
                        if cursor.goto_next_sibling():
                            moved = True
                            break
                    if not moved:
                        break
                    continue
                if node.is_missing:
                    error_count += 1
            if cursor.goto_first_child():
                depth += 1
                if depth > max_depth:
                    max_depth = depth
                continue
            moved = False
            while True:
                if cursor.goto_next_sibling():
                    moved = True
                    break
                if not cursor.goto_parent():
                    break
                depth -= 1
            if not moved:
                break
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
