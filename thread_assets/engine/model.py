"""Plain data the engine produces.

Everything here is a frozen msgspec Struct: picklable (results cross process boundaries in the
batch pool), JSON-encodable (golden files, the CLI's ``--json``) and cheap to build in the hot
loop.

Results of :func:`thread_assets.engine.analyze` depend only on (content, language, extractor
version); the file's path is carried in ``FileAnalysis.path`` and nowhere else. That is what lets
the content-addressed cache reuse one analysis for a renamed file or a second copy: re-key it with
``msgspec.structs.replace(analysis, path=new_path)``. Symbol ids are therefore *local* to the file
(``Foo.bar``); a store makes them global by prefixing the path (see :func:`global_symbol_id`).

Conventions: lines are 1-based, columns are 0-based byte offsets within the line (tree-sitter's
points, plus one on the row), byte ranges are half-open ``[start_byte, end_byte)``.
"""

from __future__ import annotations

from typing import Literal

import msgspec

EXTRACTOR_VERSION = "2"
"""Bump when any extractor's output can change: it is part of the cache key and Dagster code_version."""

SymbolKind = Literal[
    "function",
    "method",
    "class",
    "struct",
    "enum",
    "enum_member",
    "interface",
    "trait",
    "type_alias",
    "constant",
    "variable",
    "field",
    "property",
    "module",
    "namespace",
    "macro",
    "union",
    "impl",
    "other",
]
Visibility = Literal["public", "private", "protected", "crate", "package", "internal", "restricted"]
ImportKind = Literal["absolute", "relative", "wildcard", "side_effect", "reexport", "system"]
CallType = Literal["direct", "method", "constructor", "macro"]
ExtractionLevel = Literal["full", "generic", "parse"]
FileStatus = Literal["ok", "skipped", "error"]


class Location(msgspec.Struct, frozen=True, kw_only=True):
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    start_byte: int
    end_byte: int


class Parameter(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    type: str | None = None
    default: str | None = None
    # "positional" (plain), "variadic" (*args, ...rest, varargs), "keyword_variadic" (**kwargs),
    # "keyword_only", "positional_only", "receiver" (self/this/Go receiver), "optional" (TS x?)
    kind: str = "positional"


class Symbol(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    """Local stable id: the qualified name, plus ``(param types)`` when the qualified name is
    overloaded in this file, plus ``~N`` (N >= 2) if it still collides. Survives edits elsewhere
    in the file because it never contains a line number."""
    name: str
    qualified_name: str
    """Dotted path inside the file (``Outer.Inner.method``, ``impl Foo.new``-> ``Foo.new``)."""
    kind: SymbolKind
    visibility: Visibility
    signature: str
    parameters: tuple[Parameter, ...] = ()
    return_type: str | None = None
    generics: tuple[str, ...] = ()
    """Generic parameters with their bounds, as written: ``("T: Clone + Send", "'a")``."""
    decorators: tuple[str, ...] = ()
    """Decorators / attributes / annotations, as written without the leading ``@``/``#[``."""
    parent: str | None = None
    """Local id of the enclosing symbol, or None at file level."""
    docstring: str | None = None
    exported: bool = False
    location: Location


class Import(msgspec.Struct, frozen=True, kw_only=True):
    """One binding (or one side-effect / wildcard import) introduced by an import statement.

    ``from a import b, c as d`` gives two Imports: (module="a", name="b") and
    (module="a", name="c", alias="d"). ``import os.path`` gives (module="os.path", name=None,
    bound="os")."""

    module: str
    """The module as written: ``os.path``, ``.models``, ``./util``, ``crate::a::b``, ``stdio.h``."""
    name: str | None = None
    """Imported member, or None when the module itself is bound (or for side-effect imports)."""
    alias: str | None = None
    bound: str | None = None
    """The local name this import binds in the file (None for wildcard and side-effect imports)."""
    kind: ImportKind
    level: int = 0
    """Python relative-import level (number of leading dots); 0 elsewhere."""
    used: bool = True
    """Whether ``bound`` is referenced anywhere else in the file. Always True for side-effect,
    wildcard and re-export imports (they are used by definition)."""
    location: Location


class Call(msgspec.Struct, frozen=True, kw_only=True):
    caller: str | None
    """Local id of the innermost enclosing function/method symbol (or class, for calls in class
    bodies); None at file level."""
    callee: str
    """The callee expression as written (``self.save``, ``os.path.join``, ``Vec::new``, ``println!``)."""
    name: str
    """The last identifier of the callee (``save``, ``join``, ``new``, ``println``)."""
    receiver: str | None = None
    """The receiver/qualifier expression (``self``, ``os.path``, ``Vec``), or None."""
    call_type: CallType
    arg_count: int
    location: Location


class ParseSummary(msgspec.Struct, frozen=True, kw_only=True):
    language: str
    content_hash: str
    """xxh3_64 of the raw bytes, 16 hex digits."""
    size_bytes: int
    line_count: int
    node_count: int
    error_count: int
    """ERROR plus MISSING nodes."""
    error_ratio: float
    """Bytes covered by ERROR nodes over total bytes (0.0 for an empty file)."""
    max_depth: int
    parse_time_ms: float
    grammar_version: str


class PatternMatch(msgspec.Struct, frozen=True, kw_only=True):
    rule_id: str
    severity: str
    message: str
    text: str
    captures: dict[str, str]
    location: Location


class FileAnalysis(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    language: str | None
    status: FileStatus
    """``ok``: analysed (possibly with syntax errors, see summary.error_ratio); ``skipped``: not
    parsed on purpose (binary, too large, unknown language); ``error``: the parser failed, hung
    or crashed."""
    reason: str | None = None
    level: ExtractionLevel = "parse"
    content_hash: str | None = None
    size_bytes: int = 0
    summary: ParseSummary | None = None
    symbols: tuple[Symbol, ...] = ()
    imports: tuple[Import, ...] = ()
    calls: tuple[Call, ...] = ()
    extractor_version: str = EXTRACTOR_VERSION


def global_symbol_id(path: str, local_id: str) -> str:
    """Repository-wide symbol id: unique across files, stable across unrelated edits."""
    return f"{path}::{local_id}"
