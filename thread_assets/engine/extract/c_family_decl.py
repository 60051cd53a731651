"""Reading C and C++ declarators: names, parameters, return types, doc comments.

C hides a declaration's name and shape inside nested declarators (``char *(*f(int))[3]``), so
every question the extractor asks (what is declared, is it a function, what does it return)
starts by unwrapping that chain. Kept apart from the walk in ``c_family`` so each stays short.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from ..model import Parameter
from .common import Source, clean_comment, squash

NAME_TYPES = frozenset(
    {
        "identifier",
        "field_identifier",
        "type_identifier",
        "qualified_identifier",
        "destructor_name",
        "operator_name",
        "operator_cast",
        "template_function",
        "template_method",
        "structured_binding_declarator",
    }
)
_SKIP_IN_DECLARATOR = frozenset(
    {"type_qualifier", "attribute_specifier", "attribute_declaration", "ms_pointer_modifier", "comment"}
)
_PLAIN_NAMES = frozenset({"identifier", "field_identifier", "type_identifier", "namespace_identifier"})
_TIGHT = re.compile(r"\s*([^\w\s])\s*")
_TRAILING_DOC = ("///<", "//!<", "/**<", "/*!<")
_LEADING_DOC = ("/**", "/*!", "///", "//!", "//", "/*")


def unwrap(declarator: Node | None) -> tuple[Node | None, Node | None, bool]:
    """(name node, closest function_declarator, is it a function) for a declarator chain.

    A function is declared when the name sits directly in a function_declarator; ``(*fp)(int)``
    declares a pointer variable even though a function_declarator is on the path."""
    node = declarator
    func: Node | None = None
    last: Node | None = None
    while node is not None:
        if node.type in NAME_TYPES:
            return node, func, func is not None and last is func
        if node.type == "function_declarator":
            func = node
        if node.type != "attributed_declarator":
            last = node
        inner = node.child_by_field_name("declarator")
        if inner is None:
            inner = next((c for c in node.named_children if c.type not in _SKIP_IN_DECLARATOR), None)
        node = inner
    return None, func, False


def split_qualified(node: Node, src: Source) -> tuple[list[str], Node]:
    """``a::Foo<T>::bar`` -> (["a", "Foo<T>"], <bar node>); ``::f`` -> ([], <f node>)."""
    scopes: list[str] = []
    while node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is not None:
            scopes.append(squash(src.text(scope)))
        inner = node.child_by_field_name("name")
        if inner is None:
            break
        node = inner
    return scopes, node


def simple_name(node: Node, src: Source) -> str:
    """The bare name a name node declares: ``~Foo``, ``operator==``, ``operator bool``, ``get``."""
    kind = node.type
    if kind in _PLAIN_NAMES:
        return src.text(node)
    if kind in ("template_function", "template_method", "template_type"):
        inner = node.child_by_field_name("name")
        return simple_name(inner, src) if inner is not None else squash(src.text(node))
    if node.type == "qualified_identifier":
        return simple_name(split_qualified(node, src)[1], src)
    if node.type == "operator_cast":
        params = next((n for n in _walk(node) if n.type == "abstract_function_declarator"), None)
        text = src.slice(node.start_byte, params.start_byte if params is not None else node.end_byte)
        return _operator(text)
    if node.type == "operator_name":
        return _operator(src.text(node))
    return squash(src.text(node))


def _operator(text: str) -> str:
    """ctags' spelling, one space after the keyword: ``operator ==``, ``operator new[]``,
    ``operator PyObject*``."""
    rest = _TIGHT.sub(r"\1", squash(text.removeprefix("operator")))
    return f"operator {rest}"


def _walk(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        out.append(cur)
        stack.extend(reversed(cur.named_children))
    return out


def without_args(scope: str) -> str:
    """``Foo<T>`` -> ``Foo``: out-of-class definitions name the class with its parameters."""
    cut = scope.find("<")
    return scope if cut < 0 else scope[:cut].rstrip()


def type_text(src: Source, start: int, end: int, name: Node | None) -> str | None:
    """The declaration text between ``start`` and ``end`` with the declared name cut out:
    ``const char *s`` -> ``const char *``, ``void (*cb)(int)`` -> ``void (*)(int)``."""
    data = src.data
    if name is not None and start <= name.start_byte and name.end_byte <= end:
        raw = data[start : name.start_byte] + data[name.end_byte : end]
    else:
        raw = data[start:end]
    text = " ".join(raw.decode("utf-8", "replace").split())
    if "[" in text or "(" in text or ")" in text:
        text = text.replace(" [", "[").replace("( ", "(").replace(" )", ")")
    return text or None


_PARAMETER_KINDS = {
    "parameter_declaration": "positional",
    "optional_parameter_declaration": "positional",
    "variadic_parameter_declaration": "variadic",
    "explicit_object_parameter_declaration": "receiver",
    "variadic_parameter": "variadic",
    "...": "variadic",
}


def parameters(plist: Node | None, src: Source) -> list[Parameter]:
    if plist is None or (plist.named_child_count == 0 and plist.child_count <= 2):
        return []
    # C++'s bare `...` is an anonymous token: only look at every child when one may be there
    variadic = b"..." in src.data[plist.start_byte : plist.end_byte]
    out: list[Parameter] = []
    for child in plist.children if variadic else plist.named_children:
        kind = child.type
        pkind = _PARAMETER_KINDS.get(kind)
        if pkind is None:
            continue
        if kind in ("...", "variadic_parameter"):
            out.append(Parameter(name="...", kind="variadic"))
            continue
        declarator = child.child_by_field_name("declarator")
        name_node = unwrap(declarator)[0] if declarator is not None else None
        default = child.child_by_field_name("default_value") if kind == "optional_parameter_declaration" else None
        end = child.end_byte
        if default is not None:
            equals = next((c for c in child.children if c.type == "="), None)
            end = equals.start_byte if equals is not None else default.start_byte
        ptype = type_text(src, child.start_byte, end, name_node)
        if ptype == "void" and name_node is None and plist.named_child_count == 1:
            return []  # C's `f(void)`: no parameters
        out.append(
            Parameter(
                name=src.text(name_node) if name_node is not None else "",
                type=ptype,
                default=squash(src.text(default)) if default is not None else None,
                kind=pkind,
            )
        )
    return out


def macro_parameters(params: Node | None, src: Source) -> list[Parameter]:
    if params is None:
        return []
    out = []
    for child in params.children:
        if child.type == "identifier":
            out.append(Parameter(name=src.text(child)))
        elif child.type == "...":
            out.append(Parameter(name="...", kind="variadic"))
        elif child.type == "variadic_parameter":
            out.append(Parameter(name=src.text(child), kind="variadic"))
    return out


class Head:
    """What a declaration says before its declarator, read in one pass over its children:
    storage classes, attributes, the words of its type, where its body starts."""

    __slots__ = ("attributes", "body_start", "storage", "type_node", "type_words")

    def __init__(self, node: Node, declarator: Node | None, src: Source) -> None:
        self.storage: set[str] = set()
        self.attributes: list[str] = []
        self.type_words: list[str] = []
        self.body_start: int | None = None
        limit = declarator.start_byte if declarator is not None else node.end_byte
        seen_type = False
        self.type_node = type_node = node.child_by_field_name("type")
        for child in node.children:
            kind = child.type
            if kind == "storage_class_specifier":
                self.storage.add(src.text(child))
            elif kind in ("attribute_declaration", "attribute_specifier"):
                self.attributes.extend(_attribute_texts(child, src))
            elif kind in ("field_initializer_list", "compound_statement", "try_statement"):
                self.body_start = child.start_byte
                break
            elif child.start_byte >= limit:
                continue
            elif kind == "type_qualifier":
                text = src.text(child)
                if text in ("const", "volatile"):
                    self.type_words.append(text)
            elif kind == "ERROR" and seen_type:
                self.type_words.append(src.text(child))
            elif child == type_node:
                seen_type = True
                self.type_words.append(src.text(child))


def return_type(head: Head, declarator: Node, func: Node, src: Source) -> str | None:
    """The type words of the declaration plus whatever the declarator chain wraps around the
    function (``*``, ``&``, ``(*)(int)``). A trailing ``-> T`` wins. Constructors and
    destructors have none."""
    for child in func.named_children:
        if child.type == "trailing_return_type":
            descriptor = child.named_children[-1] if child.named_children else child
            return squash(src.text(descriptor))
    if not head.type_words:
        return None
    if declarator == func:
        return squash(" ".join(head.type_words))
    around = src.slice(declarator.start_byte, func.start_byte) + src.slice(func.end_byte, declarator.end_byte)
    around = "".join(around.split())
    return squash(" ".join(head.type_words) + (" " + around if around else ""))


def is_const_object(decl: Node, declarator: Node, src: Source) -> bool:
    """Is the declared object itself immutable? ``const int x`` and ``char *const p`` are;
    ``const char *s`` (a mutable pointer to const chars) is not."""
    node: Node | None = declarator
    while node is not None:
        if node.type == "pointer_declarator":
            return any(c.type == "type_qualifier" and src.text(c) == "const" for c in node.children)
        if node.type in NAME_TYPES:
            break
        inner = node.child_by_field_name("declarator")
        node = (
            inner
            if inner is not None
            else next((c for c in node.named_children if c.type not in _SKIP_IN_DECLARATOR), None)
        )
    return any(c.type == "type_qualifier" and src.text(c) in ("const", "constexpr", "constinit") for c in decl.children)


def attributes(node: Node, src: Source) -> list[str]:
    """``[[nodiscard]]`` -> ``nodiscard``; ``__attribute__((unused))`` -> ``unused``."""
    out: list[str] = []
    for child in node.children:
        if child.type in ("attribute_declaration", "attribute_specifier"):
            out.extend(_attribute_texts(child, src))
    return out


def _attribute_texts(node: Node, src: Source) -> list[str]:
    if node.type == "attribute_declaration":
        return [squash(src.text(a)) for a in node.named_children if a.type == "attribute"]
    inner = node.named_children[0] if node.named_children else None
    text = (src.text(inner) if inner is not None else src.text(node)).strip()
    return [squash(text[1:-1] if text.startswith("(") else text)]


def doc_comment(node: Node, src: Source) -> str | None:
    """Comments right above ``node`` (no blank line), or a Doxygen ``///<`` comment after it on
    its last line. A comment that trails an earlier declaration on its line is that one's."""
    lines: list[str] = []
    prev = node.prev_sibling
    row = node.start_point[0]
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= row - 1:
        text = src.text(prev)
        before = prev.prev_sibling
        trailing = before is not None and before.type != "comment" and before.end_point[0] == prev.start_point[0]
        if trailing or text.startswith(_TRAILING_DOC) or not text.startswith(_LEADING_DOC):
            break
        lines.insert(0, _clean(text))
        row = prev.start_point[0]
        prev = before
    if not lines:
        nxt = node.next_sibling
        if nxt is not None and nxt.type in (";", ","):
            nxt = nxt.next_sibling
        if nxt is not None and nxt.type == "comment" and nxt.start_point[0] == node.end_point[0]:
            text = src.text(nxt)
            if text.startswith(_TRAILING_DOC):
                lines.append(_clean(text))
    doc = "\n".join(x for x in lines if x).strip()
    return doc or None


def _clean(text: str) -> str:
    if text.startswith(("/**<", "/*!<", "/*!")):
        text = "/*" + text[4 if text[3:4] == "<" else 3 :]
    elif text.startswith(("///<", "//!<", "//!")):
        text = "//" + text[4 if text[3:4] == "<" else 3 :]
    return clean_comment(text)
