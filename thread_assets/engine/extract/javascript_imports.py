"""ES module imports, re-exports, ``require()`` and dynamic ``import()`` as :class:`Import` records.

Each function returns the byte range whose identifiers are the import's own (excluded when
deciding whether a bound name is used elsewhere), or None when the node imports nothing.
"""

from __future__ import annotations

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
    for part in clause.named_children:
        if part.type == "identifier":
            b.add_import(module=module, kind=kind, name="default", bound=src.text(part), location=loc)
        elif part.type == "namespace_import":
            ident = next((c for c in part.named_children if c.type == "identifier"), None)
            if ident is not None:
                b.add_import(module=module, kind=kind, bound=src.text(ident), location=loc)
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                name = _name(src, spec.child_by_field_name("name"))
                alias = _name(src, spec.child_by_field_name("alias"))
                b.add_import(module=module, kind=kind, name=name, alias=alias, bound=alias or name, location=loc)
    return node.start_byte, node.end_byte


def reexport(b: Builder, src: Source, node: Node) -> tuple[int, int] | None:
    """``export {a, b as c} from 'm'``, ``export * from 'm'``, ``export * as ns from 'm'``: they bind
    nothing locally, so ``bound`` stays None and ``alias`` carries the exported name."""
    source = node.child_by_field_name("source")
    if source is None:
        return None
    module = string_value(src, source)
    loc = src.loc(node)
    emitted = False
    for part in node.named_children:
        if part.type == "export_clause":
            for spec in part.named_children:
                if spec.type == "export_specifier":
                    name = _name(src, spec.child_by_field_name("name"))
                    alias = _name(src, spec.child_by_field_name("alias"))
                    b.add_import(module=module, kind="reexport", name=name, alias=alias, location=loc)
                    emitted = True
        elif part.type == "namespace_export":
            ident = part.named_children[-1] if part.named_children else None
            b.add_import(module=module, kind="reexport", alias=_name(src, ident), location=loc)
            emitted = True
    if not emitted:
        b.add_import(module=module, kind="reexport", location=loc)
    return node.start_byte, node.end_byte


def call_import(b: Builder, src: Source, call: Node, args: Node) -> tuple[int, int] | None:
    """``require('m')`` / ``import('m')`` with a literal specifier. Bound through the variable it
    initialises (``const x = require('m')``, ``const {a, b: c} = require('m')``,
    ``const m = await import('m')``); a bare statement is a side-effect import."""
    first = args.named_children[0] if args.named_child_count else None
    if first is None or first.type not in ("string", "template_string"):
        return None
    if first.type == "template_string" and any(c.type == "template_substitution" for c in first.named_children):
        return None
    module = string_value(src, first)
    kind = module_kind(module)
    loc = src.loc(call)
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
            b.add_import(module=module, kind=kind, name=member, bound=src.text(target), location=loc)
            return up.start_byte, up.end_byte
        if target is not None and target.type == "object_pattern" and member is None:
            for prop in target.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    b.add_import(module=module, kind=kind, name=src.text(prop), bound=src.text(prop), location=loc)
                elif prop.type == "pair_pattern":
                    key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                    if value is not None and value.type == "assignment_pattern":
                        value = value.child_by_field_name("left")
                    if key is not None and value is not None and value.type == "identifier":
                        b.add_import(
                            module=module,
                            kind=kind,
                            name=_name(src, key),
                            alias=src.text(value),
                            bound=src.text(value),
                            location=loc,
                        )
            return up.start_byte, up.end_byte
    if call.parent is not None and call.parent.type == "expression_statement":
        b.add_import(module=module, kind="side_effect", location=loc)
    else:
        b.add_import(module=module, kind=kind, name=member, location=loc)
    return None
