"""Rust ``use`` trees, ``extern crate`` and ``mod x;`` as :class:`Import` records.

A ``use`` tree binds one name per leaf, so ``use a::{b, c::{d, e as f}};`` becomes three
imports: (module ``a``, name ``b``), (``a::c``, ``d``), (``a::c``, ``e`` as ``f``). The module is
the full path before the leaf; a leaf of ``self`` (``use a::b::{self}``) and a one-segment path
(``use regex;``) bind the module itself (name None). ``use a::*`` is a ``wildcard`` import of
module ``a``; any ``pub``/``pub(...)`` use is a ``reexport``; paths starting with ``self`` or
``super`` are ``relative``; the rest (``crate::``, ``::x``, other crates) ``absolute``; ``as _``
binds nothing. An import's location is its use-tree leaf (``e as f``), so an unused one can be
pointed at precisely; ``extern crate`` and ``mod x;`` use the whole item.

Paths starting with ``self``/``super`` are relative and are rewritten to be relative to the
*file's* module: inside ``mod tests { use super::*; }`` the module is ``self``, not ``super``.
The resolver only knows files, and ``use super::*`` in an inline test module is the most common
relative import in Rust; without the rewrite it would point at the parent file.
"""

from __future__ import annotations

from tree_sitter import Node

from ..model import ImportKind
from .common import Builder, Source

_PATH_LEAVES = frozenset({"identifier", "scoped_identifier", "self", "super", "crate", "metavariable"})


def path_segments(src: Source, node: Node | None) -> list[str]:
    """``a :: b::c`` -> ["a", "b", "c"]; a leading ``::`` gives an empty first segment."""
    if node is None:
        return []
    return "".join(src.text(node).split()).split("::")


def rebase(segments: list[str], inline_modules: tuple[str, ...]) -> list[str]:
    """Make a self/super path relative to the file's module instead of the inline module."""
    if not inline_modules or not segments:
        return segments
    if segments[0] == "self":
        return ["self", *inline_modules, *segments[1:]]
    ups = 0
    while ups < len(segments) and segments[ups] == "super":
        ups += 1
    if ups == 0:
        return segments
    if ups <= len(inline_modules):
        return ["self", *inline_modules[: len(inline_modules) - ups], *segments[ups:]]
    return ["super"] * (ups - len(inline_modules)) + segments[ups:]


def _kind(segments: list[str], reexport: bool, wildcard: bool) -> ImportKind:
    if reexport:
        return "reexport"
    if wildcard:
        return "wildcard"
    if segments and segments[0] in ("self", "super"):
        return "relative"
    return "absolute"


def add_use(builder: Builder, src: Source, node: Node, inline_modules: tuple[str, ...]) -> None:
    """One Import per leaf of the use tree (explicit stack: use trees can nest arbitrarily)."""
    reexport = any(c.type == "visibility_modifier" for c in node.children)
    argument = node.child_by_field_name("argument")
    if argument is None:
        return
    stack: list[tuple[list[str], Node]] = [([], argument)]
    leaves: list[tuple[list[str], str | None, bool, Node]] = []
    while stack:
        prefix, cur = stack.pop()
        t = cur.type
        if t == "use_list":
            for child in reversed(cur.named_children):
                if child.type not in ("line_comment", "block_comment"):
                    stack.append((prefix, child))
        elif t == "scoped_use_list":
            path = cur.child_by_field_name("path")
            lst = cur.child_by_field_name("list")
            if lst is not None:
                stack.append(([*prefix, *path_segments(src, path)] if path is not None else prefix, lst))
        elif t == "use_as_clause":
            alias_node = cur.child_by_field_name("alias")
            segs = path_segments(src, cur.child_by_field_name("path"))
            leaves.append(([*prefix, *segs], src.text(alias_node) if alias_node is not None else None, False, cur))
        elif t == "use_wildcard":
            path = next((c for c in cur.named_children if c.type in _PATH_LEAVES), None)
            leaves.append(([*prefix, *path_segments(src, path)], None, True, cur))
        elif t in _PATH_LEAVES:
            leaves.append(([*prefix, *path_segments(src, cur)], None, False, cur))
    for segments, alias, wildcard, leaf in leaves:
        segments = rebase(segments, inline_modules)
        loc = src.loc(leaf)
        kind = _kind(segments, reexport, wildcard)
        if wildcard:
            builder.add_import(module="::".join(segments), kind=kind, location=loc)
            continue
        if segments and segments[-1] == "self":
            segments = segments[:-1]
            module, name = "::".join(segments), None
        elif len(segments) == 1:
            module, name = segments[0], None
        else:
            module, name = "::".join(segments[:-1]), segments[-1]
        bound = alias if alias is not None else (segments[-1] if segments else None)
        if bound == "_":
            bound = None
        builder.add_import(module=module, name=name, alias=alias, bound=bound, kind=kind, location=loc)


def add_extern_crate(builder: Builder, src: Source, node: Node) -> None:
    name = node.child_by_field_name("name")
    alias = node.child_by_field_name("alias")
    crate = src.text(name)
    alias_text = src.text(alias) if alias is not None else None
    bound = alias_text if alias_text is not None else crate
    kind: ImportKind = "reexport" if any(c.type == "visibility_modifier" for c in node.children) else "absolute"
    builder.add_import(
        module=crate, alias=alias_text, bound=None if bound == "_" else bound, kind=kind, location=src.loc(node)
    )


def add_mod_declaration(
    builder: Builder, name: str, path_attr: str | None, inline_modules: tuple[str, ...], node: Node
) -> None:
    """``mod x;`` pulls ``x.rs`` / ``x/mod.rs`` into the crate: a side-effect import whose module
    is the declared module's path from the file's module (``a::x`` inside ``mod a { mod x; }``),
    or the ``#[path = "..."]`` file when one is given; then ``name`` is the module's path from
    the file's module, which the file path no longer says."""
    declared = "::".join((*inline_modules, name))
    if path_attr is not None:
        builder.add_import(module=path_attr, name=declared, kind="side_effect", location=Source.loc(node))
    else:
        builder.add_import(module=declared, kind="side_effect", location=Source.loc(node))
