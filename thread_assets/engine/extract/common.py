"""Shared machinery for the per-language extractors.

Extractors never build ``Symbol``/``Call`` objects directly: they register drafts with a
:class:`Builder`, which assigns the stable local ids once the whole file is seen (an overload is
only known to be one when its twin turns up later in the file) and rewrites parent/caller links to
those ids.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import msgspec
from tree_sitter import Language, Node, Query, QueryCursor

from ..model import Call, CallType, Import, ImportKind, Location, Parameter, Symbol, SymbolKind, Visibility


class Source:
    """The file's bytes plus cheap, always-valid-UTF-8 text and location helpers."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")

    @staticmethod
    def loc(node: Node) -> Location:
        s, e = node.start_point, node.end_point
        return Location(
            start_line=s[0] + 1,
            start_col=s[1],
            end_line=e[0] + 1,
            end_col=e[1],
            start_byte=node.start_byte,
            end_byte=node.end_byte,
        )

    @staticmethod
    def loc_span(first: Node, last: Node) -> Location:
        s, e = first.start_point, last.end_point
        return Location(
            start_line=s[0] + 1,
            start_col=s[1],
            end_line=e[0] + 1,
            end_col=e[1],
            start_byte=first.start_byte,
            end_byte=last.end_byte,
        )


def squash(text: str, limit: int = 2000) -> str:
    """Collapse runs of whitespace so signatures spanning lines read as one line; cap length so
    a pathological declaration cannot bloat every row."""
    out = " ".join(text.split())
    return out if len(out) <= limit else out[: limit - 1] + "…"


@lru_cache(maxsize=256)
def compiled_query(language: Language, source: str) -> Query:
    """Queries are compiled once per (grammar, text) per process: compiling costs milliseconds."""
    return Query(language, source)


def kind_ids(language: Language, name: str) -> frozenset[int]:
    """Every node kind id named ``name``: ``kind_id in ids`` is ``type == name`` without building
    the type string."""
    return frozenset(i for i in range(language.node_kind_count) if language.node_kind_for_id(i) == name)


def field_id(language: Language, name: str) -> int:
    """Field ids for ``child_by_field_id``: ``child_by_field_name`` looks the name up among all
    field names on every call."""
    field = language.field_id_for_name(name)
    if field is None:
        raise LookupError(f"the {language.name} grammar has no field {name!r}")
    return field


def captures(language: Language, query_src: str, node: Node) -> dict[str, list[Node]]:
    return QueryCursor(compiled_query(language, query_src)).captures(node)


def matches(language: Language, query_src: str, node: Node) -> list[tuple[int, dict[str, list[Node]]]]:
    return QueryCursor(compiled_query(language, query_src)).matches(node)


@dataclass(slots=True)
class _SymbolDraft:
    name: str
    qualified_name: str
    kind: SymbolKind
    visibility: Visibility
    signature: str
    parameters: tuple[Parameter, ...]
    return_type: str | None
    generics: tuple[str, ...]
    decorators: tuple[str, ...]
    parent: int | None
    docstring: str | None
    exported: bool
    location: Location


# (caller handle, callee, name, receiver, call_type, arg_count, location): a plain tuple, since
# files hold tens of thousands of calls and a tuple costs a third of a dataclass to build.
_CallDraft = tuple[int | None, str, str, str | None, CallType, int, Location]


@dataclass
class Builder:
    """Collects drafts for one file; :meth:`finish` turns them into final records."""

    symbols: list[_SymbolDraft] = field(default_factory=list)
    calls: list[_CallDraft] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)

    def add_symbol(
        self,
        *,
        name: str,
        kind: SymbolKind,
        location: Location,
        parent: int | None = None,
        visibility: Visibility = "public",
        signature: str = "",
        parameters: Iterable[Parameter] = (),
        return_type: str | None = None,
        generics: Iterable[str] = (),
        decorators: Iterable[str] = (),
        docstring: str | None = None,
        exported: bool = False,
        qualified_name: str | None = None,
    ) -> int:
        """Register a symbol; returns a handle usable as ``parent=`` / ``caller=``.

        ``qualified_name`` defaults to the parent's qualified name + "." + name."""
        if qualified_name is None:
            qualified_name = name if parent is None else f"{self.symbols[parent].qualified_name}.{name}"
        self.symbols.append(
            _SymbolDraft(
                name=name,
                qualified_name=qualified_name,
                kind=kind,
                visibility=visibility,
                signature=signature,
                parameters=tuple(parameters),
                return_type=return_type,
                generics=tuple(generics),
                decorators=tuple(decorators),
                parent=parent,
                docstring=docstring,
                exported=exported,
                location=location,
            )
        )
        return len(self.symbols) - 1

    def qualified_name(self, handle: int | None) -> str | None:
        return None if handle is None else self.symbols[handle].qualified_name

    def add_call(
        self,
        *,
        caller: int | None,
        callee: str,
        name: str,
        call_type: CallType,
        arg_count: int,
        location: Location,
        receiver: str | None = None,
    ) -> None:
        self.calls.append((caller, callee, name, receiver, call_type, arg_count, location))

    def add_import(
        self,
        *,
        module: str,
        kind: ImportKind,
        location: Location,
        name: str | None = None,
        alias: str | None = None,
        bound: str | None = None,
        level: int = 0,
        type_only: bool = False,
        deferred: bool = False,
        conditional: bool = False,
        dynamic: bool = False,
    ) -> None:
        self.imports.append(
            Import(
                module=module,
                name=name,
                alias=alias,
                bound=bound,
                kind=kind,
                level=level,
                used=True,
                type_only=type_only,
                deferred=deferred,
                conditional=conditional,
                dynamic=dynamic,
                location=location,
            )
        )

    def finish(
        self, used_names: set[str] | None = None
    ) -> tuple[tuple[Symbol, ...], tuple[Import, ...], tuple[Call, ...]]:
        """Assign ids; mark imports unused when ``used_names`` (identifiers referenced outside
        import statements) is given and does not contain the import's bound name."""
        ids = _assign_ids(self.symbols)
        symbols = tuple(
            Symbol(
                id=ids[i],
                name=d.name,
                qualified_name=d.qualified_name,
                kind=d.kind,
                visibility=d.visibility,
                signature=d.signature,
                parameters=d.parameters,
                return_type=d.return_type,
                generics=d.generics,
                decorators=d.decorators,
                parent=None if d.parent is None else ids[d.parent],
                docstring=d.docstring,
                exported=d.exported,
                location=d.location,
            )
            for i, d in enumerate(self.symbols)
        )
        calls = tuple(
            Call(
                caller=None if caller is None else ids[caller],
                callee=callee,
                name=name,
                receiver=receiver,
                call_type=call_type,
                arg_count=arg_count,
                location=location,
            )
            for caller, callee, name, receiver, call_type, arg_count, location in self.calls
        )
        imports = tuple(self.imports)
        if used_names is not None:
            imports = tuple(_mark_used(imp, used_names) for imp in imports)
        return symbols, imports, calls


def _mark_used(imp: Import, used_names: set[str]) -> Import:
    if imp.kind in ("side_effect", "wildcard", "reexport") or imp.bound is None:
        return imp
    if imp.bound in used_names:
        return imp
    return msgspec.structs.replace(imp, used=False)


def _assign_ids(drafts: list[_SymbolDraft]) -> list[str]:
    """Qualified name; ``qn(types)`` for overloads; ``~N`` suffix if that still collides.

    Parents are resolved first (a parent always precedes its children in ``drafts``), and a
    child's id is built from its parent's final id so that children of overloads stay distinct."""
    by_qn: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(drafts):
        by_qn[d.qualified_name].append(i)
    ids: list[str] = [""] * len(drafts)
    seen: Counter[str] = Counter()
    for i, d in enumerate(drafts):
        if d.parent is not None and drafts[d.parent].qualified_name + "." + d.name == d.qualified_name:
            base = f"{ids[d.parent]}.{d.name}"
        else:
            base = d.qualified_name
        if len(by_qn[d.qualified_name]) > 1 and d.kind in ("function", "method"):
            base += "(" + ",".join(p.type or p.name for p in d.parameters) + ")"
        seen[base] += 1
        ids[i] = base if seen[base] == 1 else f"{base}~{seen[base]}"
    return ids


def names_in(
    root: Node, src: Source, language: Language, query_src: str, exclude: Iterable[tuple[int, int]] = ()
) -> set[str]:
    """Texts of every capture of ``query_src`` outside the given byte ranges (import statements):
    the set of names a file uses, for unused-import detection."""
    ranges = sorted(exclude)
    out: set[str] = set()
    for nodes in captures(language, query_src, root).values():
        for n in nodes:
            if ranges and any(s <= n.start_byte and n.end_byte <= e for s, e in ranges):
                continue
            out.add(src.text(n))
    return out


def clean_comment(text: str) -> str:
    text = text.strip()
    if text.startswith("/*"):
        text = text[2:]
        if text.endswith("*/"):
            text = text[:-2]
        body = []
        for line in text.splitlines():
            line = line.strip()
            line = line.removeprefix("*").removeprefix("*")
            body.append(line.strip())
        return "\n".join(body).strip()
    for marker in ("///", "//!", "//", "#"):
        if text.startswith(marker):
            return text[len(marker) :].strip()
    return text
