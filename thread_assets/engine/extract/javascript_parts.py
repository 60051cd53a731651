"""Pieces of a JS/TS declaration: parameters, generics, decorators, signature text, doc comment.

Kept apart from :mod:`.javascript` so the traversal there reads as the list of declaration kinds
it handles; everything here looks at one declaration node and its direct children only.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from ..model import Parameter, Visibility
from .common import Source, clean_comment, squash

FUNCTION_VALUES = frozenset({"function_expression", "function", "arrow_function", "generator_function"})
"""Initialiser node types that make a variable, field or property a function in all but name."""


def type_text(src: Source, node: Node | None) -> str | None:
    """A ``type_annotation`` (``: T``) or bare type node as the type alone."""
    if node is None:
        return None
    text = squash(src.text(node))
    if node.type.endswith("annotation"):
        text = text.removeprefix("?").removeprefix(":").strip()
    return text or None


def parameters(src: Source, params: Node | None) -> tuple[Parameter, ...]:
    """``formal_parameters`` of JS (bare patterns) and TS (required/optional_parameter wrappers)."""
    if params is None:
        return ()
    out: list[Parameter] = []
    for child in params.named_children:
        kind = "positional"
        ptype: str | None = None
        default: str | None = None
        pattern: Node | None = child
        if child.type in ("required_parameter", "optional_parameter"):
            pattern = child.child_by_field_name("pattern")
            ptype = type_text(src, child.child_by_field_name("type"))
            value = child.child_by_field_name("value")
            default = squash(src.text(value)) if value is not None else None
            if child.type == "optional_parameter":
                kind = "optional"
        elif child.type == "assignment_pattern":
            pattern = child.child_by_field_name("left")
            default = squash(src.text(child.child_by_field_name("right"))) or None
        elif child.type in ("comment", "decorator"):
            continue
        if pattern is None:
            continue
        if pattern.type == "rest_pattern":
            kind = "variadic"
            inner = pattern.named_children
            pattern = inner[0] if inner else pattern
        elif pattern.type == "this":
            kind = "receiver"
        out.append(Parameter(name=squash(src.text(pattern)), type=ptype, default=default, kind=kind))
    return tuple(out)


def generics(src: Source, node: Node) -> tuple[str, ...]:
    tps = node.child_by_field_name("type_parameters")
    if tps is None:
        return ()
    return tuple(squash(src.text(tp)) for tp in tps.named_children if tp.type == "type_parameter")


def decorators(src: Source, node: Node) -> tuple[str, ...]:
    """Decorators as written without ``@``. TS puts a member's decorators before it as siblings in
    the class body, JS inside the member; an exported class's are its siblings inside ``export``."""
    found: list[Node] = [c for c in node.children if c.type == "decorator"]
    prev = node.prev_named_sibling
    before: list[Node] = []
    while prev is not None and prev.type == "decorator":
        before.insert(0, prev)
        prev = prev.prev_named_sibling
    return tuple(squash(src.text(d))[1:].strip() for d in before + found)


def visibility(src: Source, node: Node, name: str) -> Visibility:
    if name.startswith("#"):
        return "private"
    for child in node.children:
        if child.type == "accessibility_modifier":
            word = src.text(child)
            if word in ("private", "protected"):
                return word  # type: ignore[return-value]
            return "public"
    return "public"


def doc_comment(src: Source, node: Node) -> str | None:
    """The JSDoc block right above the declaration (above its ``export`` / decorators if any).
    Plain ``//`` and ``/* */`` comments are commentary, not documentation, as in JSDoc tooling."""
    anchor = node
    parent = node.parent
    if parent is not None and parent.type in ("export_statement", "ambient_declaration"):
        anchor = parent
    prev = anchor.prev_sibling
    while prev is not None and prev.type == "decorator":
        prev = prev.prev_sibling
    if prev is None or prev.type != "comment":
        return None
    if prev.end_point[0] < anchor.start_point[0] - 1:
        return None
    text = src.text(prev)
    if not text.startswith("/**") or text.startswith("/**/"):
        return None
    return clean_comment(text) or None


def header(src: Source, node: Node, body: Node | None) -> str:
    """Declaration text up to the body, decorators and trailing ``;``/``=``/``{`` left out."""
    start = node.start_byte
    for child in node.children:
        if child.type != "decorator" and child.type != "comment":
            start = child.start_byte
            break
    end = body.start_byte if body is not None else node.end_byte
    text = squash(src.slice(start, end))
    return text.rstrip(";{= ").rstrip() if body is not None else text.rstrip(";,").rstrip()


_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "ux" and len(code) > 1:
        value = int(code[1:].strip("{}"), 16)
        # Lone surrogates (halves of a pair written as two escapes) are not encodable: keep as written.
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group(0)
    return _SIMPLE_ESCAPES.get(code, code)


def string_value(src: Source, node: Node) -> str:
    """Contents of a string literal (quotes removed, escapes decoded): ``'\\u00C0'`` names the
    same property or module as ``'À'``."""
    text = src.text(node)
    if len(text) >= 2 and text[0] in "'\"`" and text[-1] == text[0]:
        text = text[1:-1]
    return _ESCAPE.sub(_unescape, text) if "\\" in text else text


def member_name(src: Source, node: Node | None) -> str:
    if node is None:
        return ""
    if node.type == "string":
        return string_value(src, node)
    return squash(src.text(node))
