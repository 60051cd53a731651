"""Callees of Python calls: the callee text, the called name and the receiver.

Half of the Python extractor's matches are calls, so the common shapes are read as cheaply as
possible: in a file without syntax errors a callee written as a plain (dotted) ASCII name is read
off the bytes between the call's start and its arguments, and shapes are cached by text across
files (``self.assertEqual`` repeats thousands of times in a repository). Everything else asks the
tree, with the same result.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from ..parse import language_object
from .common import Source, field_id, kind_ids, squash
from .python_text import is_compact

# (callee text, name, receiver, shape). Shapes: ``f``, ``a.b.f``, anything else (``f()()``,
# ``handlers[k]()``), which is a direct call named after the innermost name.
CalleeShape = tuple[str, str, str | None, int]
NAME_CALLEE, DOTTED_CALLEE, OTHER_CALLEE = 0, 1, 2
NEEDS_TREE: CalleeShape = ("", "", None, OTHER_CALLEE)
"""Marker of a text that is not a plain (dotted) name: ask the tree."""

CALLEE_CACHE_LIMIT = 16384
_DOTTED_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")

text_shape_cache: dict[bytes, CalleeShape] = {}
"""Shapes (or ``NEEDS_TREE``) by the bytes from a call's start to its arguments. Only for files
without syntax errors: there only blanks can follow the callee."""

# A shape whose name is None when the attribute's last name cannot be read off the text.
_PartialShape = tuple[str, str | None, str | None, int]
_callee_cache: dict[tuple[int, bytes], _PartialShape] = {}
"""Shapes of names and dotted names by (kind id, bytes) of the function node: for those two
kinds they follow from the text alone."""


_LANGUAGE = language_object("python")


def _field_id(name: str) -> int:
    return field_id(_LANGUAGE, name)


# Field ids: ``child_by_field_name`` looks the name up among all field names on every call.
_FIELD_ATTRIBUTE = _field_id("attribute")
_FIELD_FUNCTION = _field_id("function")
_FIELD_OBJECT = _field_id("object")
_FIELD_VALUE = _field_id("value")
_IDENTIFIER_IDS = kind_ids(_LANGUAGE, "identifier")
_ATTRIBUTE_IDS = kind_ids(_LANGUAGE, "attribute")


def shape_of_text(head: bytes) -> CalleeShape:
    """The shape of a callee written as a plain ASCII (dotted) name followed by blanks, as
    :func:`callee_shape` finds it on the tree; ``NEEDS_TREE`` for anything else."""
    head = head.rstrip()
    if not _DOTTED_NAME.fullmatch(head):
        return NEEDS_TREE
    callee = head.decode("ascii")
    dot = callee.rfind(".")
    if dot < 0:
        # ``None()``/``True()`` are not identifiers, but come out the same: name = text, direct.
        return callee, callee, None, NAME_CALLEE
    return callee, callee[dot + 1 :], callee[:dot], DOTTED_CALLEE


def callee_shape(call: Node, src: Source) -> CalleeShape | None:
    """The shape of a call's callee from its function node; None when it has none usable."""
    fn = call.child_by_field_id(_FIELD_FUNCTION)
    if fn is None:
        return None
    fn_kind = fn.kind_id
    key = (fn_kind, src.data[fn.start_byte : fn.end_byte])
    shape = _callee_cache.get(key)
    if shape is None:
        shape = _shape_of_node(fn, fn_kind, key[1], src)
        if shape[3] != OTHER_CALLEE:  # the others depend on the tree, not only the text
            if len(_callee_cache) >= CALLEE_CACHE_LIMIT:
                _callee_cache.clear()
            _callee_cache[key] = shape
    callee, name, receiver, kind = shape
    if name is None:
        attr = fn.child_by_field_id(_FIELD_ATTRIBUTE)
        obj = fn.child_by_field_id(_FIELD_OBJECT)
        if attr is None or obj is None:
            return None
        return callee, src.text(attr), squash(src.text(obj)), DOTTED_CALLEE
    return callee, name, receiver, kind


def _shape_of_node(fn: Node, fn_kind: int, raw: bytes, src: Source) -> _PartialShape:
    """For an attribute whose last name cannot be read off the text, name is None: the caller
    asks the tree."""
    callee = raw.decode("utf-8", "replace")
    if not is_compact(callee):
        callee = squash(callee)
    if fn_kind in _IDENTIFIER_IDS:
        return callee, callee, None, NAME_CALLEE
    if fn_kind in _ATTRIBUTE_IDS:
        # The attribute is the last name after the last dot of the (squashed) callee.
        dot = callee.rfind(".")
        name = callee[dot + 1 :].lstrip()
        if not name.isidentifier():
            return callee, None, None, DOTTED_CALLEE
        return callee, name, callee[:dot].rstrip(), DOTTED_CALLEE
    return callee, _innermost_name(fn, src), None, OTHER_CALLEE


def _innermost_name(fn: Node, src: Source) -> str:
    node: Node | None = fn
    while node is not None:
        if node.type == "identifier":
            return src.text(node)
        if node.type == "attribute":
            return src.text(node.child_by_field_id(_FIELD_ATTRIBUTE))
        if node.type == "call":
            node = node.child_by_field_id(_FIELD_FUNCTION)
        elif node.type == "subscript":
            node = node.child_by_field_id(_FIELD_VALUE)
        elif node.named_child_count:
            node = node.named_children[0]
        else:
            break
    return squash(src.text(fn))
