"""Symbols for every grammar without a dedicated extractor, guessed from node-type names.

Grammar authors name definition nodes after what they define (``function_definition``,
``class_declaration``, ``struct_item``, ``method``), so one table built from the grammar's own node
types (``Language.node_kind_for_id``) covers most of the 173 grammars; ``generic_rules`` corrects
the ones whose definitions hide behind neutral names (Lisp lists, Elixir calls, HCL blocks).

One QueryCursor pass captures every candidate node; parents come from a stack over the captures
in document order (no recursion, no walk of every node). Imports and calls are not extracted: a
guess there would be wrong more often than useful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Language, Node, Query, QueryCursor

from ..model import SymbolKind
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, squash
from .generic_rules import DROP_TYPES, EXTRA_TYPES, MAX_START_DEPTH, MERGE_CLAUSES, NAMERS, Namer


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_KEYWORDS: tuple[tuple[frozenset[str], SymbolKind], ...] = (
    (_words("method constructor destructor init deinit defmethod"), "method"),
    (_words("macro defmacro"), "macro"),
    (_words("function func fn fun defun def defproc proc procedure sub subroutine subprogram task"), "function"),
    (_words("rpc operation iterator converter"), "function"),
    (_words("enumerator variant"), "enum_member"),
    (_words("property signal event"), "property"),
    (_words("field"), "field"),
    (_words("class actor object contract primitive"), "class"),
    (_words("struct record message model exception error"), "struct"),
    (_words("interface protocol service"), "interface"),
    (_words("trait mixin concept"), "trait"),
    (_words("enum enumeration senum"), "enum"),
    (_words("union"), "union"),
    (_words("impl implementation extension instance"), "impl"),
    (_words("namespace"), "namespace"),
    (_words("module mod package program library circuit entity architecture unit"), "module"),
    (_words("type typedef typealias alias newtype synonym subtype"), "type_alias"),
    (_words("const constant"), "constant"),
    (_words("var variable val let global state static"), "variable"),
)
"""Words of a node type (split on ``_`` and camelCase) mapped to a kind; the first group with a
matching word wins, so ``method_declaration`` is a method and ``class_property`` a property."""

_DEF_SUFFIXES = ("definition", "declaration", "def", "decl", "item", "specifier", "statement")
_REJECT = _words(
    """parameter parameters param argument arguments call invocation expression expr literal list body
    clause reference ref import include using use identifier name keyword modifier modifiers declarator
    pattern local anonymous lambda arrow comment string end header head signature constraint annotation
    attribute instruction qualifier storage access explicit export friend default forward extern external
    assert generic spec lit tuple or destructured for catch pointer return result
    static_assert type_parameter access_specifier"""
)
"""Words that mark a node as a use, a part or a variant of a definition, never the definition."""
_COMPOUND_MEMBER = re.compile(r"enum_(member|case|entry|constant|value|field)")
_NAME_TYPES = ("ident", "name", "word", "symbol", "constant", "atom", "sym_lit")
_STATEMENT_HEADS = _words(
    "function class enum procedure subroutine method struct interface module package program namespace"
)
"""``*_statement`` is a definition only after one of these (``function_statement``, not ``if_statement``)."""
_BARE_DEFINITIONS = _words(
    "function method class module namespace struct interface trait enum macro subroutine procedure"
)
"""Node types that are just a word (Ruby ``method``, ``class``) or a modifier and a word (``singleton_method``)."""
_SKIP_FIELDS = _words("type return_type result superclass bases body value parameters type_parameters arguments")
_SKIP_FIELDS |= _words("modifiers attributes decorator")
"""Fields that hold something other than the name (``int`` in ``int x``, the superclass ...)."""
_DESCEND_INTO: tuple[str, ...] = ("declarator", "signature", "head", "header", "spec", "binding", "statement")
_DESCEND_INTO += ("definition", "prototype", "decl", "defn", "left", "lhs", "call")
"""Children whose type contains one of these may hold the name one level down (C declarators,
Julia ``signature``, F# ``function_declaration_left``)."""
_NOT_NAME_CONTAINERS = ("decl", "def", "list", "statement", "clause")
_NOT_NAMES = ("comment", "attribute", "decorator", "modifier", "keyword", "visibility", "annotation")
_CONTAINERS: frozenset[str] = frozenset({"class", "struct", "interface", "trait", "impl", "enum", "union"})
_CALLABLE: frozenset[str] = frozenset({"function", "method", "macro"})
_LOCAL_KINDS: frozenset[str] = frozenset({"variable", "constant", "field", "property"})


def _tokens(node_type: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", node_type).lower()
    return [t for t in spaced.split("_") if t]


def classify(node_type: str) -> SymbolKind | None:
    """The symbol kind a node type's name promises, or None when it is not definition-like."""
    tokens = _tokens(node_type)
    if not tokens or any(t in _REJECT for t in tokens) or "_".join(tokens) in _REJECT:
        return None
    lower = "_".join(tokens)
    if _COMPOUND_MEMBER.search(lower) or tokens[-1] in ("enumerator", "variant"):
        return "enum_member"
    last = tokens[-1]
    if last in _DEF_SUFFIXES:
        if last == "specifier" and tokens[0] not in ("class", "struct", "enum", "union"):
            return None
        if last == "statement" and tokens[0] not in _STATEMENT_HEADS:
            return None
        words = tokens[:-1]
    elif len(tokens) <= 2 and last in _BARE_DEFINITIONS:
        words = tokens  # ``method``, ``singleton_method``, ``private_function``
    else:
        return None
    for keywords, kind in _KEYWORDS:
        if any(w in keywords for w in words):
            return kind
    return None


@dataclass(frozen=True)
class GrammarSpec:
    kinds: dict[str, SymbolKind]
    namers: dict[str, Namer] = field(default_factory=dict)
    query: Query | None = None


def _valid_types(language: Language, types: list[str]) -> list[str]:
    ok = []
    for t in types:
        try:
            Query(language, f"({t}) @d")
        except Exception:  # a kind the query language cannot name (aliases, hidden rules)
            continue
        ok.append(t)
    return ok


@cache
def grammar_spec(language: str) -> GrammarSpec:
    """Candidate node types for one grammar, with their kinds and one compiled query."""
    lang = language_object(language)
    drop = DROP_TYPES.get(language, frozenset())
    kinds: dict[str, SymbolKind] = {}
    for i in range(lang.node_kind_count):
        name = lang.node_kind_for_id(i)
        if not name or not lang.node_kind_is_named(i) or not lang.node_kind_is_visible(i) or name in drop:
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            continue
        kind = classify(name)
        if kind is not None:
            kinds[name] = kind
    kinds.update(EXTRA_TYPES.get(language, {}))
    namers = NAMERS.get(language, {})
    for t in namers:
        kinds.setdefault(t, "other")
    types = sorted(kinds)
    if not types:
        return GrammarSpec(kinds={})
    query: Query | None
    try:
        query = Query(lang, _query_text(types))
    except Exception:
        types = _valid_types(lang, types)
        query = Query(lang, _query_text(types)) if types else None
    return GrammarSpec(kinds={t: kinds[t] for t in types}, namers=namers, query=query)


def _query_text(types: list[str]) -> str:
    return "[" + " ".join(f"({t})" for t in types) + "] @def"


def _clean(text: str) -> str | None:
    text = text.strip()
    if not text or "\n" in text or len(text) > 200:
        return None
    return text


def _is_name_type(node_type: str) -> bool:
    lower = node_type.lower()
    return any(t in lower for t in _NAME_TYPES) and not any(t in lower for t in _NOT_NAME_CONTAINERS)


def find_name(node: Node, src: Source) -> str | None:
    """The ``name`` field, else a declarator chain, else the first identifier-like child,
    looking at most three levels into header-like children (bounded, explicit stack). A child
    that names a type (``type_identifier``) is only the fallback: in most grammars a type before
    the name is the declared type, not the name."""
    named = node.child_by_field_name("name")
    if named is not None:
        if named.named_child_count == 0 or _is_name_type(named.type):
            return _clean(src.text(named).strip("\"'`"))
        node = named
    declarator = node.child_by_field_name("declarator")
    for _ in range(8):
        if declarator is None:
            break
        if _is_name_type(declarator.type):
            return _clean(src.text(declarator))
        declarator = declarator.child_by_field_name("declarator") or declarator.child_by_field_name("name")
    fallback: Node | None = None
    stack: list[tuple[Node, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        if depth:
            inner = current.child_by_field_name("name")
            if inner is not None and (inner.named_child_count == 0 or _is_name_type(inner.type)):
                return _clean(src.text(inner))
        deeper: list[Node] = []
        for i, child in enumerate(current.named_children[:12]):
            if current.field_name_for_named_child(i) in _SKIP_FIELDS:
                continue
            ctype = child.type.lower()
            if any(t in ctype for t in _NOT_NAMES):
                continue
            if _is_name_type(ctype):
                if "type" not in ctype.replace("typed", ""):
                    return _clean(src.text(child))
                fallback = fallback or child
            elif depth < 3 and any(t in ctype for t in _DESCEND_INTO):
                deeper.append(child)
        stack.extend((c, depth + 1) for c in reversed(deeper))
    return _clean(src.text(fallback)) if fallback is not None else None


def _name_and_kind(node: Node, src: Source, spec: GrammarSpec) -> tuple[str, SymbolKind] | None:
    namer = spec.namers.get(node.type)
    if namer is not None:
        named = namer(node, src)
        if named is None:
            return None
        return named[0], named[1] or spec.kinds[node.type]
    name = find_name(node, src)
    return (name, spec.kinds[node.type]) if name else None


def _depth(node: Node) -> int:
    depth = 0
    parent = node.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    return depth


def _document_order(nodes: list[Node]) -> list[Node]:
    """Outer before inner. Nodes with the same span (a wrapper and the definition inside it) come
    back from the cursor in no guaranteed order, so ties are broken by depth: rare, and cheap."""
    nodes = sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte))
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        j = i + 1
        span = (nodes[i].start_byte, nodes[i].end_byte)
        while j < len(nodes) and (nodes[j].start_byte, nodes[j].end_byte) == span:
            j += 1
        out.extend(nodes[i:j] if j == i + 1 else sorted(nodes[i:j], key=_depth))
        i = j
    return out


def extract(root: Node, src: Source, language: str) -> Extraction:
    spec = grammar_spec(language)
    if spec.query is None:
        return (), (), ()
    cursor = QueryCursor(spec.query)
    if language in MAX_START_DEPTH:
        cursor.set_max_start_depth(MAX_START_DEPTH[language])
    nodes = cursor.captures(root).get("def", [])
    nodes = _document_order(nodes)
    builder = Builder()
    merge = language in MERGE_CLAUSES
    # open scopes: (end_byte, handle, kind, name, start_row)
    stack: list[tuple[int, int, SymbolKind, str, int]] = []
    last_child: dict[int | None, tuple[str, SymbolKind, int]] = {}
    for node in nodes:
        if node.parent is None or node.named_child_count == 0:
            # the root (``module`` in Starlark) is the file itself; a leaf is a keyword or a name
            # token (Perl's ``function`` in ``foo(1)``, CMake's ``function`` keyword), never a definition
            continue
        while stack and stack[-1][0] <= node.start_byte:
            stack.pop()
        found = _name_and_kind(node, src, spec)
        if found is None:
            continue
        name, kind = found
        parent = stack[-1] if stack else None
        parent_handle = parent[1] if parent else None
        if parent is not None:
            if parent[3] == name and parent[4] == node.start_point[0]:
                continue  # a wrapper and its header both matched (Fortran ``function``/``function_statement``)
            if kind in _LOCAL_KINDS and parent[2] in _CALLABLE:
                continue  # locals are not symbols
            if kind == "function" and parent[2] in _CONTAINERS:
                kind = "method"
            elif kind == "variable" and parent[2] in _CONTAINERS:
                kind = "field"
        if merge:
            prev = last_child.get(parent_handle)
            if prev is not None and prev[0] == name and prev[1] == kind:
                continue
        line_end = src.data.find(b"\n", node.start_byte, min(node.end_byte, node.start_byte + 400))
        signature = squash(
            src.slice(node.start_byte, line_end if line_end != -1 else min(node.end_byte, node.start_byte + 400)), 200
        )
        handle = builder.add_symbol(
            name=name, kind=kind, location=Source.loc(node), parent=parent_handle, signature=signature
        )
        last_child[parent_handle] = (name, kind, handle)
        stack.append((node.end_byte, handle, kind, name, node.start_point[0]))
    return builder.finish()
