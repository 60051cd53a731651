"""Go type expressions taken apart for the semantic pass, and the universe scope's names.

A named type (``Server``, ``*Server``, ``pkg.Client``, ``List[T]``) holds methods; slices, arrays,
maps and channels hold none of their own but have an element type (what ``range`` and indexing
give); function, struct and interface literals name nothing a call could reach.
"""

from __future__ import annotations

from tree_sitter import Node

BUILTIN_FUNCTIONS = frozenset(
    {
        "append",
        "cap",
        "clear",
        "close",
        "complex",
        "copy",
        "delete",
        "imag",
        "len",
        "make",
        "max",
        "min",
        "new",
        "panic",
        "print",
        "println",
        "real",
        "recover",
    }
)
BUILTIN_TYPES = frozenset(
    {
        "any",
        "bool",
        "byte",
        "comparable",
        "complex128",
        "complex64",
        "error",
        "float32",
        "float64",
        "int",
        "int16",
        "int32",
        "int64",
        "int8",
        "rune",
        "string",
        "uint",
        "uint16",
        "uint32",
        "uint64",
        "uint8",
        "uintptr",
    }
)
"""Predeclared types: ``int(x)`` is a conversion, ``err.Error()`` a method of the builtin
``error`` interface."""

WRAPPERS = frozenset({"pointer_type", "parenthesized_type", "type_elem"})
CONTAINERS = frozenset({"slice_type", "array_type", "implicit_length_array_type", "map_type", "channel_type"})


def named_type(node: Node | None) -> Node | None:
    """The named type under pointers and parentheses (``*pkg.T`` -> ``pkg.T``); None for
    containers, literals of struct/interface/function types and anything unnamed."""
    while node is not None:
        t = node.type
        if t in WRAPPERS:
            node = next((c for c in node.named_children if c.type != "comment"), None)
        elif t == "generic_type":
            node = node.child_by_field_name("type")
        elif t in ("type_identifier", "qualified_type", "identifier", "selector_expression"):
            return node
        else:
            return None
    return None


def element_type(node: Node | None) -> Node | None:
    """What indexing or ``range`` yields: ``[]*T`` -> ``*T``, ``map[K]V`` -> ``V``, ``chan T`` ->
    ``T`` (pointers to arrays seen through)."""
    while node is not None and node.type in WRAPPERS:
        node = next((c for c in node.named_children if c.type != "comment"), None)
    if node is None or node.type not in CONTAINERS:
        return None
    if node.type == "map_type":
        return node.child_by_field_name("value")
    elem = node.child_by_field_name("element") or node.child_by_field_name("value")
    if elem is None:
        named = [c for c in node.named_children if c.type != "comment"]
        elem = named[-1] if named else None
    return elem
