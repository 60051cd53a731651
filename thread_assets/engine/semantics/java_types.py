"""Java type expressions as :class:`~thread_assets.engine.model.Ref` bases, and the names the
language gives every file without an import.

A type names a class; what the class is (a type of this file, of the package, an import, or a
``java.lang`` type) is decided by the scopes in :mod:`.java`; this module only takes the written
type apart: generic arguments and annotations dropped, arrays seen through to their element type
(an array has no methods of its own worth an edge), primitives and ``void`` holding nothing.
"""

from __future__ import annotations

from tree_sitter import Node

from ..extract.java_lang import JAVA_LANG as JAVA_LANG  # shared with the extractor; re-exported for .java

PRIMITIVE_TYPES = frozenset({"integral_type", "floating_point_type", "boolean_type", "void_type"})
_NAMED = frozenset({"type_identifier", "scoped_type_identifier", "generic_type"})


OBJECT_METHODS = frozenset({"toString", "equals", "hashCode", "clone", "finalize"})
"""``java.lang.Object``'s overridable methods: every class has them, defined or not."""
ENUM_METHODS = frozenset({"values", "valueOf", "ordinal", "name", "compareTo", "getDeclaringClass"})
"""What the compiler and ``java.lang.Enum`` give every enum."""
ENUM_ONLY_METHODS = frozenset({"values", "valueOf", "ordinal", "getDeclaringClass"})
"""Of those, the names other classes seldom define: the JDK's as an alternative on any receiver
(``values``/``valueOf`` only when called on a type, ``Color.values()``, not ``map.values()``)."""
ENUM_STATIC_METHODS = frozenset({"values", "valueOf"})

REFLECTIVE_CALLS = {
    "invoke": frozenset({"Method", "MethodHandle"}),
    "invokeExact": frozenset({"MethodHandle"}),
    "invokeWithArguments": frozenset({"MethodHandle"}),
    "newInstance": frozenset({"Class", "Constructor"}),
}
"""Calls whose callee is chosen at run time, by the receiver's declared type name."""


def strip_type(node: Node | None) -> Node | None:
    """The named type under generic arguments and annotations: ``@A Map.Entry<K, V>`` ->
    ``Map.Entry``. Arrays and primitives come back as they are."""
    while node is not None:
        t = node.type
        if t == "generic_type" or t == "annotated_type":
            node = next((c for c in node.named_children if c.type in _NAMED), None)
        else:
            return node
    return None


def type_segments(node: Node, data: bytes) -> list[str]:
    """``a.b.C`` (a scoped_type_identifier) -> ``["a", "b", "C"]``, annotations and generic
    arguments on inner segments (``Outer<T>.Inner``) dropped."""
    if node.type == "type_identifier":
        return [data[node.start_byte : node.end_byte].decode("utf-8", "replace")]
    out: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop()
        t = n.type
        if t in ("type_identifier", "identifier"):
            out.append(data[n.start_byte : n.end_byte].decode("utf-8", "replace"))
        elif t in ("scoped_type_identifier", "generic_type", "scoped_identifier"):
            stack.extend(reversed([c for c in n.named_children if c.type != "type_arguments"]))
    return out


def element_type(node: Node | None) -> Node | None:
    """The element type of a container as written: ``Foo[]`` -> ``Foo``; a generic type with one
    argument (``List<Foo>``, ``Optional<Foo>``, ``Iterable<? extends Foo>``) -> that argument;
    ``Map<K, V>`` -> ``V``. Anything else has no element type this pass can use."""
    if node is None:
        return None
    if node.type == "array_type":
        return node.child_by_field_name("element")
    if node.type == "generic_type":
        args = next((c for c in node.named_children if c.type == "type_arguments"), None)
        if args is None:
            return None
        named = [c for c in args.named_children if c.type not in ("line_comment", "block_comment")]
        if not named:
            return None
        last: Node | None = named[-1]
        if last is not None and last.type == "wildcard":
            last = next((c for c in last.named_children if c.type != "super"), None)  # ? extends Foo
        return last
    return None
