"""C and C++ declarations taken apart for the semantic pass, and the standard library's names.

A value is kept as a :class:`Val`: the Refs the graph step evaluates (``refs``) and, for the
standard containers the file declares (``std::vector<Foo>``, ``std::map<K, Foo>``), their element
type (``inner``), which ``for (auto& x : v)``, ``v[i]`` and ``v.front()`` give.
"""

from __future__ import annotations

from tree_sitter import Node

from ..model import Ref

Refs = tuple[Ref, ...]


class Val:
    __slots__ = ("closure", "inner", "refs", "smart")

    def __init__(self, refs: Refs = (), inner: Refs = (), closure: bool = False, smart: bool = False) -> None:
        self.refs = refs
        self.inner = inner
        self.closure = closure
        self.smart = smart
        """A smart pointer or ``optional``: ``->`` and ``*`` reach ``inner``, ``.`` its own methods."""


CONTAINERS = frozenset(
    [
        "vector",
        "list",
        "deque",
        "set",
        "multiset",
        "unordered_set",
        "unordered_multiset",
        "array",
        "forward_list",
        "stack",
        "queue",
        "priority_queue",
        "span",
        "initializer_list",
    ]
)
MAPS = frozenset(["map", "multimap", "unordered_map", "unordered_multimap"])
MAKERS = frozenset({"make_unique", "make_shared", "static_pointer_cast", "dynamic_pointer_cast", "move", "forward"})
"""Standard function templates whose result is (a pointer to) their first type argument's instance."""

_DECLARATOR_WRAPPERS = frozenset(
    {
        "init_declarator",
        "pointer_declarator",
        "reference_declarator",
        "array_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
        "function_declarator",
    }
)


def declarator_name(d: Node | None, data: bytes) -> str:
    """The name a declarator declares: ``*p``, ``&r``, ``a[4]``, ``(*fp)(int)``, ``x = 1``."""
    cur = d
    for _ in range(16):
        if cur is None:
            return ""
        t = cur.type
        if t in ("identifier", "field_identifier"):
            return data[cur.start_byte : cur.end_byte].decode("utf-8", "replace")
        if t in _DECLARATOR_WRAPPERS:
            nxt = cur.child_by_field_name("declarator")
            if nxt is None:
                nxt = next(
                    (c for c in cur.named_children if c.type.endswith("declarator") or c.type == "identifier"), None
                )
            cur = nxt
            continue
        return ""
    return ""


def strip_template_args(text: str) -> str:
    """``ns::Box<int>::make`` -> ``ns::Box::make``."""
    if "<" not in text:
        return "".join(text.split())
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join("".join(out).split())
