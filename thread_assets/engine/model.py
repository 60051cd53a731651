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

EXTRACTOR_VERSION = "4"
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
ImportKind = Literal["absolute", "relative", "wildcard", "side_effect", "reexport", "system", "implicit"]
"""``implicit``: no import statement; a Java type of the file's own package used by its simple name
(``module`` the package, ``name`` the type, ``bound`` None: it binds nothing new)."""
CallType = Literal["direct", "method", "constructor", "macro"]
RelationKind = Literal["extends", "implements", "embeds", "impl", "supertrait", "metaclass", "keyword"]
CallReason = Literal["builtin", "external", "dynamic", "unknown"]
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
    type_only: bool = False
    """Only the type checker sees it: Python under ``if TYPE_CHECKING:``; TypeScript
    ``import type`` / ``export type`` / ``import {type X}`` and ``/// <reference>`` directives.
    Erased before the program runs, so it cannot take part in a runtime import cycle."""
    deferred: bool = False
    """Runs later than the module's own loading: inside a function body (Python; a ``require`` or
    ``import()`` inside a JavaScript function), so a cycle through it does not fail at import."""
    conditional: bool = False
    """Under a runtime branch (``try``/``except``, ``if``/``else``; ``TYPE_CHECKING`` guards are
    ``type_only`` instead): the module may not be loaded on every run."""
    dynamic: bool = False
    """JavaScript ``import()``: loaded asynchronously, on demand."""
    location: Location


class Ref(msgspec.Struct, frozen=True, array_like=True):
    """A value as the file's own scopes see it, for the graph step to evaluate across files.

    ``base`` is one of ``n:NAME`` (NAME looked up at the file's top level: definitions, module
    bindings, imports, wildcard imports; for Go the package, for Java the package's types),
    ``s:ID`` (the symbol of this file with local id ID), ``b:NAME`` (a builtin of the language),
    ``x:MODULE`` (something of an external module, as far as the file can tell), ``d:HOW`` (a
    value chosen at run time: ``d:getattr`` for ``getattr(obj, name)`` with a computed name; any
    call through it is ``dynamic``). ``ops`` apply
    left to right: ``.NAME`` (attribute or member; members are looked up through the class
    hierarchy), ``()`` (the result of calling it: a function's ``return`` binding, a class's
    instance), ``new`` (an instance of a type, without calling anything), ``super`` (the same
    instance seen from the class after the current one in its method resolution order). A name
    ending in ``[]`` (``n:handlers[]``, ``.handlers[]``) means an element of that container: the
    binding of that name.

    Examples: ``b = B(); b.m()`` -> ``Ref("n:B", ("()", ".m"))``; a parameter ``doc: Document`` in
    ``doc.write()`` -> ``Ref("n:Document", ("new", ".write"))``; a nested ``def helper`` called
    bare -> ``Ref("s:outer.helper")``."""

    base: str
    ops: tuple[str, ...] = ()


class Binding(msgspec.Struct, frozen=True, kw_only=True):
    """What a name holds, where other code can reach it: module-level variables (``scope`` None),
    class or struct members holding values (``scope`` the class's local id: ``self.x = Foo()``,
    a field declared ``client: QueryClient``), a function's results (``name`` ``return``) and the
    elements of a container (``name`` ending in ``[]``). Flow-insensitive: every value the name
    is ever given is listed."""

    scope: str | None = None
    name: str
    values: tuple[Ref, ...]


class TypeRelation(msgspec.Struct, frozen=True, kw_only=True):
    """One edge of the type hierarchy as written: ``class A(B, metaclass=M)`` gives (A, B,
    extends) and (A, M, metaclass); ``impl Display for Point`` gives (Point, Display, impl)."""

    type: str | None
    """Local id of the type in this file, or None when the type is defined elsewhere (a Rust
    ``impl Trait for Type`` of a type from another module; then see ``type_name``)."""
    type_name: str
    """The type as written at the relation (``Point``, ``crate::geo::Point``)."""
    base: str
    """The base as written, generic arguments removed (``Generic``, ``Comparable``, ``io::Write``)."""
    kind: RelationKind
    access: str | None = None
    """C++ base access and ``virtual`` (``public``, ``private virtual``); Python keyword name
    for ``kind == "keyword"``; None elsewhere."""
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
    targets: tuple[Ref, ...] = ()
    """What the callee may be, as the file's scopes see it (see :class:`Ref`); empty when the
    extractor has no semantic view of the call (then the graph step resolves by name)."""
    reason: CallReason | None = None
    """Why no target can exist, when the file alone tells: ``builtin`` (``len``, ``println!``),
    ``dynamic`` (``getattr(o, n)()``, ``obj[key]()``, ``eval``, reflection)."""


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
    relations: tuple[TypeRelation, ...] = ()
    bindings: tuple[Binding, ...] = ()
    build_constraint: str | None = None
    """Go: the build constraint the file's header declares (its ``//go:build`` line, or its
    ``// +build`` lines as one ``//go:build`` expression); None without one. What the file's
    name implies (``_linux``, ``_amd64``, ``_test``) is not here, since an analysis depends on
    content only: ``extract.go_build.name_tags(path)`` reads it and the stores record it beside."""
    build_ignored: bool = False
    """Go: the constraint holds only with the ``ignore`` tag, so no build takes the file
    (generators run with ``go run gen.go``). It stays indexed; its imports resolve to
    ``go:ignored`` and are left out of the dependency graph."""
    extractor_version: str = EXTRACTOR_VERSION


def global_symbol_id(path: str, local_id: str) -> str:
    """Repository-wide symbol id: unique across files, stable across unrelated edits."""
    return f"{path}::{local_id}"
