"""ES module imports, re-exports, ``require()`` and dynamic ``import()`` as :class:`Import` records.

Each function returns the byte range whose identifiers are the import's own (excluded when
deciding whether a bound name is used elsewhere), or None when the node imports nothing.
"""

from __future__ import annotations

import functools
import re

from tree_sitter import Node

from ..model import ImportKind
from .common import Builder, Source
from .javascript_parts import string_value


def module_kind(module: str) -> ImportKind:
    return "relative" if module.startswith(("./", "../")) or module in (".", "..") else "absolute"


def _name(src: Source, node: Node | None) -> str | None:
    if node is None:
        return None
    return string_value(src, node) if node.type == "string" else src.text(node)


def import_statement(b: Builder, src: Source, node: Node) -> tuple[int, int] | None:
    source = node.child_by_field_name("source")
    clause = next((c for c in node.named_children if c.type in ("import_clause", "import_require_clause")), None)
    if clause is not None and clause.type == "import_require_clause":
        source = clause.child_by_field_name("source")
        ident = next((c for c in clause.named_children if c.type == "identifier"), None)
        if source is None or ident is None:
            return None
        module = string_value(src, source)
        b.add_import(module=module, kind=module_kind(module), bound=src.text(ident), location=src.loc(node))
        return node.start_byte, node.end_byte
    if source is None:
        return None
    module = string_value(src, source)
    kind = module_kind(module)
    loc = src.loc(node)
    if clause is None:
        b.add_import(module=module, kind="side_effect", location=loc)
        return node.start_byte, node.end_byte
    whole = _type_keyword(node)
    for part in clause.named_children:
        if part.type == "identifier":
            b.add_import(module=module, kind=kind, name="default", bound=src.text(part), location=loc, type_only=whole)
        elif part.type == "namespace_import":
            ident = next((c for c in part.named_children if c.type == "identifier"), None)
            if ident is not None:
                b.add_import(module=module, kind=kind, bound=src.text(ident), location=loc, type_only=whole)
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                name = _name(src, spec.child_by_field_name("name"))
                alias = _name(src, spec.child_by_field_name("alias"))
                b.add_import(
                    module=module,
                    kind=kind,
                    name=name,
                    alias=alias,
                    bound=alias or name,
                    location=loc,
                    type_only=whole or _type_keyword(spec),
                )
    return node.start_byte, node.end_byte


def _type_keyword(node: Node) -> bool:
    """``import type``/``import typeof``/``export type`` on a statement, ``type`` on one specifier:
    TypeScript (and Flow) erase these, the compiled program never loads the module for them."""
    return any(c.type in ("type", "typeof") for c in node.children if not c.is_named)


def reexport(b: Builder, src: Source, node: Node) -> tuple[int, int] | None:
    """``export {a, b as c} from 'm'``, ``export * from 'm'``, ``export * as ns from 'm'``: they bind
    nothing locally, so ``bound`` stays None and ``alias`` carries the exported name."""
    source = node.child_by_field_name("source")
    if source is None:
        return None
    module = string_value(src, source)
    loc = src.loc(node)
    whole = _type_keyword(node)
    emitted = False
    for part in node.named_children:
        if part.type == "export_clause":
            for spec in part.named_children:
                if spec.type == "export_specifier":
                    name = _name(src, spec.child_by_field_name("name"))
                    alias = _name(src, spec.child_by_field_name("alias"))
                    b.add_import(
                        module=module,
                        kind="reexport",
                        name=name,
                        alias=alias,
                        location=loc,
                        type_only=whole or _type_keyword(spec),
                    )
                    emitted = True
        elif part.type == "namespace_export":
            ident = part.named_children[-1] if part.named_children else None
            b.add_import(module=module, kind="reexport", alias=_name(src, ident), location=loc, type_only=whole)
            emitted = True
    if not emitted:
        b.add_import(module=module, kind="reexport", location=loc, type_only=whole)
    return node.start_byte, node.end_byte


def call_import(b: Builder, src: Source, call: Node, args: Node, *, dynamic: bool) -> tuple[int, int] | None:
    """``require('m')`` / ``import('m')`` with a literal specifier. Bound through the variable it
    initialises (``const x = require('m')``, ``const {a, b: c} = require('m')``,
    ``const m = await import('m')``); a bare statement is a side-effect import.

    ``import()`` is ``dynamic`` and always ``deferred`` (it loads after the importing module has
    run); a ``require`` is deferred inside a function; either is ``conditional`` under an ``if``,
    ``try``, ``switch`` or ``?:``. An ``import('m')`` inside a type (``typeof import('m')``) is a
    type-only import."""
    first = args.named_children[0] if args.named_child_count else None
    if first is None or first.type not in ("string", "template_string"):
        return None
    if first.type == "template_string" and any(c.type == "template_substitution" for c in first.named_children):
        return None
    module = string_value(src, first)
    kind = module_kind(module)
    loc = src.loc(call)
    in_type, in_function, conditional = _context(call)
    if in_type:
        add = functools.partial(b.add_import, type_only=True)
    else:
        add = functools.partial(b.add_import, dynamic=dynamic, deferred=dynamic or in_function, conditional=conditional)
    up = call.parent
    member: str | None = None
    while up is not None and up.type in ("await_expression", "parenthesized_expression", "member_expression"):
        if up.type == "member_expression":
            if member is not None:
                break
            prop = up.child_by_field_name("property")
            member = src.text(prop) if prop is not None else None
        up = up.parent
    if up is not None and up.type == "variable_declarator":
        target = up.child_by_field_name("name")
        if target is not None and target.type == "identifier":
            add(module=module, kind=kind, name=member, bound=src.text(target), location=loc)
            return up.start_byte, up.end_byte
        if target is not None and target.type == "object_pattern" and member is None:
            for prop in target.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    add(module=module, kind=kind, name=src.text(prop), bound=src.text(prop), location=loc)
                elif prop.type == "pair_pattern":
                    key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                    if value is not None and value.type == "assignment_pattern":
                        value = value.child_by_field_name("left")
                    if key is not None and value is not None and value.type == "identifier":
                        add(
                            module=module,
                            kind=kind,
                            name=_name(src, key),
                            alias=src.text(value),
                            bound=src.text(value),
                            location=loc,
                        )
            return up.start_byte, up.end_byte
    if call.parent is not None and call.parent.type == "expression_statement":
        add(module=module, kind="side_effect", location=loc)
    else:
        add(module=module, kind=kind, name=member, location=loc)
    return None


_BRANCHES = frozenset({"if_statement", "else_clause", "try_statement", "switch_statement", "ternary_expression"})
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "generator_function",
        "generator_function_declaration",
        "method_definition",
    }
)


_TYPES = frozenset(
    {"type_annotation", "type_query", "type_alias_declaration", "type_arguments", "interface_declaration"}
)


def _context(node: Node) -> tuple[bool, bool, bool]:
    """(in a type, inside a function body, under a branch) for a call: climbing is cheap next to
    parsing. ``typeof import('fs')`` and ``import('./x').T`` in a type are type-only imports,
    whatever surrounds the type."""
    in_function = conditional = False
    parent = node.parent
    while parent is not None:
        kind = parent.type
        if kind in _TYPES:
            return True, False, False
        if kind in _FUNCTIONS:
            in_function = True
        elif kind in _BRANCHES:
            conditional = True
        parent = parent.parent
    return False, in_function, conditional


_REFERENCE = re.compile(r"///\s*<reference\s+(path|types)\s*=\s*[\"']([^\"']+)[\"']")


def triple_slash(b: Builder, src: Source, root: Node) -> None:
    """``/// <reference path="..." />`` (a file, relative to this one) and ``/// <reference
    types="..." />`` (a package's types) at the top of a file, before any statement, the only place
    TypeScript reads them. Type-only side-effect imports; ``lib=`` names a compiler built-in."""
    for child in root.children:
        if child.type != "comment":
            break
        found = _REFERENCE.match(src.text(child))
        if found is None:
            continue
        attr, value = found.groups()
        if attr == "path" and not value.startswith((".", "/")):
            value = "./" + value
        b.add_import(module=value, kind="side_effect", location=src.loc(child), type_only=True)
