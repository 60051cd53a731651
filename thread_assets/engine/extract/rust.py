"""Full extraction for Rust: items, use trees and calls in one query pass.

Symbols
  ``function``; ``method`` (a fn in an ``impl`` or ``trait``, with or without a body);
  ``struct``, ``union``, ``enum``, ``enum_member`` (variants), ``field`` (named fields of structs,
  unions and struct-like variants; tuple fields have no name and are skipped), ``trait``,
  ``impl``, ``type_alias`` (``type`` items and associated types), ``constant`` (``const`` and
  ``static``), ``module`` (``mod x { }`` and ``mod x;``), ``macro`` (``macro_rules!``). Items
  nested in function bodies are emitted (they are items, not locals); ``let`` bindings are not.

Qualified names
  Inline modules, functions, types, traits and variants nest with dots (``tests.helper``,
  ``Shape.Circle.radius``). An impl block is named after its self type with paths and generic
  arguments stripped (``impl<T> fmt::Display for Wrapper<T>`` -> name ``Wrapper``, as ctags
  does); its qualified name is ``impl Wrapper`` or ``impl Display for Wrapper``. Its items are
  qualified by the type, not the block: ``Wrapper.new`` for an inherent impl and
  ``Wrapper.<Display>.fmt`` for a trait impl (the trait keeps its generic arguments,
  ``Wrapper.<From<u8>>.from``), so ``fmt`` of ``Display`` and of ``Debug`` never collide.

Visibility
  ``pub`` public, ``pub(crate)`` (and 2015's ``crate``) crate, ``pub(super)`` / ``pub(in path)``
  restricted, ``pub(self)`` and none private. Trait items and enum variants (and their fields)
  take their parent's visibility; items of trait impls and impl blocks themselves are public
  (they are reachable wherever the type and trait are). ``macro_rules!`` macros are public only
  with ``#[macro_export]``. ``exported`` means "part of the crate's public API as far as this
  file shows": visibility public and every enclosing module, type and trait exported; items in
  function bodies never are. ``#[macro_export]`` macros are always exported.

Parameters
  ``self`` receivers are kind ``receiver`` with the type they stand for (``&self`` ->
  ``&Self``, ``&'a mut self`` -> ``&'a mut Self``, ``self: Box<Self>`` -> ``Box<Self>``); other
  parameters keep their pattern as name (``(a, b)``, ``mut`` dropped); C variadics are
  ``variadic``. Generics list type, lifetime and const parameters as written, then the
  where-clause predicates (``T: Clone``). Attributes are decorators without ``#[``/``]``; outer
  doc comments (``///``, ``/** */``) are the docstring, plus inner ones (``//!``) at the top of
  an inline module.

Imports: see :mod:`.rust_uses` (``use`` leaves, ``extern crate`` absolute, ``mod x;`` a
side-effect import of module ``x``). A ``use`` is used when its bound name appears as an
identifier or type identifier outside use declarations, macro names and attribute arguments
included (``#[derive(Serialize)]``). Traits imported only for their methods look unused: that
needs type information.

Calls
  ``f()`` direct; ``a::b::f()`` direct with receiver ``a::b``; ``x.m()`` method with receiver
  ``x``; ``name!(...)`` macro (``std::println!`` has receiver ``std``). A call is a
  ``constructor`` when the callee's last segment is CapWords (tuple structs and variants:
  ``Some(x)``, ``Ast::Literal(l)``) or when a CapWords qualifier (a type or ``Self``) is called
  with ``new``, ``default``, ``from`` or a ``new_``/``with_``/``from_`` name: Rust has no
  constructors, and these are its conventions for one. Macro ``arg_count`` is the number of
  top-level comma-separated token groups (``vec![0; n]`` counts 1). Macro arguments are flat token
  trees to the grammar; calls in them are recovered from the tokens (a name right before a
  parenthesised group, its receiver chain walked back over ``.``/``::``/names/groups), except in
  ``macro_rules!`` bodies. This finds half again as many calls on real code (``assert_eq!(f(x),
  y)``, ``write!(f, "{}", self.name())``); a tuple pattern in ``matches!`` reads as a call.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from collections.abc import Callable
from functools import cache
from pathlib import Path

from tree_sitter import Node

from ..model import CallType, Parameter, SymbolKind, Visibility
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, captures
from .common import squash as _squash
from .rust_uses import add_extern_crate, add_mod_declaration, add_use

_QUERY_FILE = Path(__file__).resolve().parent.parent / "queries" / "rust" / "extract.scm"

_CONSTRUCTOR_NAMES = frozenset({"new", "default", "from"})
_CONSTRUCTOR_PREFIXES = ("new_", "with_", "from_")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_GENERIC_ARGS = re.compile(r"<.*>")
_COMMENTS = frozenset({"line_comment", "block_comment"})
_FUNCTION_KINDS = frozenset({"function", "method"})
_TYPE_FRAMES = frozenset({"impl", "trait", "struct", "enum", "union"})
_NAME_NODES = frozenset({"identifier", "type_identifier"})
_DEFINING_TOKENS = frozenset({"fn", "struct", "enum", "union", "trait", "mod", "macro_rules!"})
_CHAIN_TOKENS = frozenset(
    {"identifier", "self", "super", "crate", "token_tree", "integer_literal", ".", "::", "?", "metavariable"}
)


@cache
def _query() -> str:
    return _QUERY_FILE.read_text(encoding="utf-8")


class _Frame:
    """An open container while walking items in document order."""

    __slots__ = (
        "caller",
        "end",
        "exported",
        "fn_handle",
        "handle",
        "kind",
        "modules",
        "prefix",
        "trait_impl",
        "type_handle",
        "visibility",
    )

    def __init__(
        self,
        end: int,
        handle: int | None,
        kind: str,
        prefix: str,
        visibility: Visibility,
        exported: bool,
        modules: tuple[str, ...],
        trait_impl: bool = False,
        parent: _Frame | None = None,
    ) -> None:
        self.end = end
        self.handle = handle
        self.kind = kind
        self.prefix = prefix
        self.visibility = visibility
        self.exported = exported
        """For children: may they be exported at all?"""
        self.modules = modules
        """Inline module names from the file's module down to here."""
        self.trait_impl = trait_impl
        self.fn_handle: int | None = handle if kind in _FUNCTION_KINDS else parent.fn_handle if parent else None
        self.type_handle: int | None = handle if kind in _TYPE_FRAMES else parent.type_handle if parent else None
        self.caller = self.fn_handle if self.fn_handle is not None else self.type_handle
        """Caller of calls directly in this frame: innermost function, else innermost type."""


def extract(root: Node, src: Source, language: str) -> Extraction:
    items = captures(language_object(language), _query(), root).get("item", [])
    # Outer nodes first. The query's own order of nodes sharing a start (a.b().c() and a.b())
    # varies with the cursor's state, so it is never relied on.
    items.sort(key=_outer_first)
    ex = _Extractor(src)
    for node in items:
        ex.visit(node)
    used = None
    if ex.builder.imports:
        bound = {imp.bound for imp in ex.builder.imports if imp.bound}
        used = _used_names(root, src, bound, ex.import_ranges) | ex.macro_use_crates
    return ex.builder.finish(used)


def _outer_first(node: Node) -> tuple[int, int]:
    return node.start_byte, -node.end_byte


def _used_names(root: Node, src: Source, bound: set[str], ranges: list[tuple[int, int]]) -> set[str]:
    """Which bound names occur as an identifier outside use declarations.

    Scanning the bytes for the few bound names and asking the tree what each hit is costs far
    less than capturing every identifier of the file (a third of all nodes)."""
    if not bound:
        return set()
    pattern = re.compile(
        rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(bound, key=len, reverse=True)) + rb")\b"
    )
    starts = [s for s, _ in ranges]
    found: set[bytes] = set()
    for m in pattern.finditer(src.data):
        word = m.group()
        if word in found:
            continue
        b = m.start()
        i = bisect_right(starts, b) - 1
        if i >= 0 and b < ranges[i][1]:
            continue
        node = root.descendant_for_byte_range(b, m.end())
        if node is not None and node.type in _NAME_NODES and node.start_byte == b and node.end_byte == m.end():
            found.add(word)
            if len(found) == len(bound):
                break
    return {w.decode("utf-8", "replace") for w in found}


class _Extractor:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.builder = Builder()
        self.stack: list[_Frame] = [_Frame(1 << 62, None, "file", "", "public", True, ())]
        self.import_ranges: list[tuple[int, int]] = []
        self.macro_use_crates: set[str] = set()
        self.handlers: dict[str, Callable[[Node], None]] = {
            "call_expression": self._call,
            "macro_invocation": self._macro_call,
            "identifier": self._token_tree_call,
            "function_item": self._function,
            "function_signature_item": self._function,
            "struct_item": self._struct,
            "union_item": self._union,
            "enum_item": self._enum,
            "field_declaration": self._field,
            "enum_variant": self._variant,
            "impl_item": self._impl,
            "trait_item": self._trait,
            "type_item": self._type_alias,
            "associated_type": self._type_alias,
            "const_item": self._constant,
            "static_item": self._constant,
            "mod_item": self._module,
            "macro_definition": self._macro_def,
            "use_declaration": self._use,
            "extern_crate_declaration": self._extern_crate,
        }

    # -- dispatch ---------------------------------------------------------------------------

    def visit(self, node: Node) -> None:
        stack = self.stack
        start = node.start_byte
        while stack[-1].end <= start:
            stack.pop()
        self.handlers[node.type](node)

    def _struct(self, node: Node) -> None:
        self._type(node, "struct")

    def _union(self, node: Node) -> None:
        self._type(node, "union")

    def _enum(self, node: Node) -> None:
        self._type(node, "enum")

    def _type_alias(self, node: Node) -> None:
        self._simple(node, "type_alias", self._text_sig(node))

    def _constant(self, node: Node) -> None:
        self._simple(node, "constant", self._const_sig(node))

    def _use(self, node: Node) -> None:
        self.import_ranges.append((node.start_byte, node.end_byte))
        add_use(self.builder, self.src, node, self.stack[-1].modules)

    def _extern_crate(self, node: Node) -> None:
        self.import_ranges.append((node.start_byte, node.end_byte))
        add_extern_crate(self.builder, self.src, node)
        decorators, _ = self._leading(node)
        name = node.child_by_field_name("alias") or node.child_by_field_name("name")
        if name is not None and any(d.startswith("macro_use") for d in decorators):
            self.macro_use_crates.add(self.src.text(name))

    # -- shared helpers ---------------------------------------------------------------------

    def _member_context(self, own: Visibility) -> tuple[Visibility, bool]:
        """Visibility and exported flag of an item given its own modifier and its container."""
        top = self.stack[-1]
        if top.kind == "trait":
            return top.visibility, top.exported
        if top.kind == "impl" and top.trait_impl:
            return "public", top.exported
        return own, own == "public" and top.exported

    def _qualified(self, name: str) -> str:
        prefix = self.stack[-1].prefix
        return f"{prefix}.{name}" if prefix else name

    def _add(
        self,
        node: Node,
        name: str,
        kind: SymbolKind,
        visibility: Visibility,
        exported: bool,
        signature: str,
        qualified_name: str | None = None,
        parameters: list[Parameter] | None = None,
        return_type: str | None = None,
        generics: tuple[str, ...] = (),
    ) -> int:
        decorators, doc = self._leading(node)
        return self.builder.add_symbol(
            name=name,
            kind=kind,
            location=self.src.loc(node),
            parent=self.stack[-1].handle,
            visibility=visibility,
            signature=signature,
            decorators=decorators,
            docstring=doc,
            exported=exported,
            qualified_name=qualified_name if qualified_name is not None else self._qualified(name),
            parameters=parameters or (),
            return_type=return_type,
            generics=generics,
        )

    def _push(
        self,
        node: Node,
        handle: int | None,
        kind: str,
        prefix: str,
        vis: Visibility,
        exported: bool,
        trait_impl: bool = False,
    ) -> None:
        modules = self.stack[-1].modules
        self.stack.append(
            _Frame(node.end_byte, handle, kind, prefix, vis, exported, modules, trait_impl, self.stack[-1])
        )

    def _leading(self, node: Node) -> tuple[tuple[str, ...], str | None]:
        """Attributes and outer doc comments are siblings before the item, in any order."""
        data = self.src.data
        before = data[max(0, node.start_byte - 256) : node.start_byte].rstrip()
        newline = before.rfind(b"\n")
        last_line = before[newline + 1 :]
        complete = newline >= 0 or node.start_byte <= 256
        if complete and not (last_line.endswith((b"]", b"*/")) or b"//" in last_line):
            return (), None  # the usual case, decided from bytes without touching the tree
        attrs: list[str] = []
        docs: list[Node] = []
        prev = node.prev_sibling
        while prev is not None:
            t = prev.type
            if t == "attribute_item":
                text = self.src.text(prev)
                attrs.append(squash(text[2:-1] if text.startswith("#[") and text.endswith("]") else text))
            elif t in _COMMENTS:
                if prev.child_by_field_name("outer") is not None:
                    docs.append(prev)
                elif prev.child_by_field_name("inner") is not None:
                    break
            else:
                break
            prev = prev.prev_sibling
        attrs.reverse()
        docs.reverse()
        return tuple(attrs), self._doc_text(docs)

    def _doc_text(self, comments: list[Node]) -> str | None:
        lines: list[str] = []
        for c in comments:
            body = self.src.text(c.child_by_field_name("doc"))
            if c.type == "line_comment":
                lines.append(body.rstrip("\r\n"))
                continue
            for i, line in enumerate(body.splitlines()):
                stripped = line.lstrip()
                if i > 0 and stripped.startswith("*"):
                    line = stripped[1:]
                lines.append(line)
        if not lines:
            return None
        if all(line.startswith(" ") or not line.strip() for line in lines):
            lines = [line[1:].rstrip() for line in lines]
        doc = textwrap.dedent("\n".join(line.rstrip() for line in lines)).strip("\n")
        return doc or None

    def _visibility(self, node: Node) -> Visibility:
        first = node.named_child(0)
        if first is None or first.type != "visibility_modifier":
            return "private"
        text = "".join(self.src.text(first).split())
        if text == "pub":
            return "public"
        if text in ("pub(crate)", "crate"):
            return "crate"
        if text == "pub(self)":
            return "private"
        return "restricted"

    def _header(self, node: Node, body: Node | None) -> str:
        """Declaration text up to the body (or the whole item without its ``;``)."""
        if body is not None:
            return squash(self.src.slice(node.start_byte, body.start_byte))
        return self._text_sig(node)

    def _text_sig(self, node: Node) -> str:
        return squash(self.src.text(node)).removesuffix(";").rstrip()

    def _const_sig(self, node: Node) -> str:
        value = node.child_by_field_name("value")
        if value is None:
            return self._text_sig(node)
        return squash(self.src.slice(node.start_byte, value.start_byte)).removesuffix("=").rstrip()

    def _generics(self, node: Node) -> tuple[str, ...]:
        out: list[str] = []
        params = node.child_by_field_name("type_parameters")
        if params is not None:
            out.extend(
                squash(self.src.text(p))
                for p in params.named_children
                if p.type not in _COMMENTS and p.type != "attribute_item"
            )
        for child in node.children:
            if child.type == "where_clause":
                out.extend(squash(self.src.text(p)) for p in child.named_children if p.type == "where_predicate")
        return tuple(out)

    # -- items ------------------------------------------------------------------------------

    def _function(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = self.src.text(name_node)
        top = self.stack[-1]
        kind: SymbolKind = "method" if top.kind in ("impl", "trait") else "function"
        vis, exported = self._member_context(self._visibility(node))
        body = node.child_by_field_name("body")
        ret = node.child_by_field_name("return_type")
        handle = self._add(
            node,
            name,
            kind,
            vis,
            exported,
            self._header(node, body),
            parameters=self._parameters(node.child_by_field_name("parameters")),
            return_type=squash(self.src.text(ret)) if ret is not None else None,
            generics=self._generics(node),
        )
        if body is not None:
            self._push(node, handle, kind, self.builder.symbols[handle].qualified_name, vis, False)

    def _parameters(self, params: Node | None) -> list[Parameter]:
        out: list[Parameter] = []
        if params is None:
            return out
        text = self.src.text
        for p in params.named_children:
            t = p.type
            if t == "self_parameter":
                written = squash(text(p))
                receiver_type = (
                    written[:-4] + "Self" if written.startswith("&") and written.endswith("self") else "Self"
                )
                out.append(Parameter(name="self", type=receiver_type, kind="receiver"))
            elif t == "parameter":
                pattern = p.child_by_field_name("pattern")
                ptype = p.child_by_field_name("type")
                pname = squash(text(pattern)) if pattern is not None else "_"
                kind = "receiver" if pname == "self" else "positional"
                out.append(Parameter(name=pname, type=squash(text(ptype)) if ptype is not None else None, kind=kind))
            elif t == "variadic_parameter":
                pattern = p.child_by_field_name("pattern")
                out.append(Parameter(name=text(pattern) if pattern is not None else "...", kind="variadic"))
            elif t not in _COMMENTS and t not in ("attribute_item", "ERROR"):
                out.append(Parameter(name="_", type=squash(text(p))))  # 2015 anonymous parameter: a type
        return out

    def _type(self, node: Node, kind: SymbolKind) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        vis, exported = self._member_context(self._visibility(node))
        body = node.child_by_field_name("body")
        braced = body is not None and body.type in ("field_declaration_list", "enum_variant_list")
        handle = self._add(
            node,
            self.src.text(name_node),
            kind,
            vis,
            exported,
            self._header(node, body if braced else None),
            generics=self._generics(node),
        )
        if braced:
            self._push(node, handle, kind, self.builder.symbols[handle].qualified_name, vis, exported)

    def _variant(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        top = self.stack[-1]
        if name_node is None or top.kind != "enum":
            return
        handle = self._add(
            node, self.src.text(name_node), "enum_member", top.visibility, top.exported, self._text_sig(node)
        )
        body = node.child_by_field_name("body")
        if body is not None and body.type == "field_declaration_list":
            self._push(
                node, handle, "variant", self.builder.symbols[handle].qualified_name, top.visibility, top.exported
            )

    def _field(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        top = self.stack[-1]
        if name_node is None or top.kind not in ("struct", "union", "variant"):
            return
        if top.kind == "variant":
            vis, exported = top.visibility, top.exported
        else:
            vis = self._visibility(node)
            exported = vis == "public" and top.exported
        self._add(node, self.src.text(name_node), "field", vis, exported, self._text_sig(node).removesuffix(","))

    def _trait(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        vis, exported = self._member_context(self._visibility(node))
        body = node.child_by_field_name("body")
        handle = self._add(
            node,
            self.src.text(name_node),
            "trait",
            vis,
            exported,
            self._header(node, body),
            generics=self._generics(node),
        )
        if body is not None:
            self._push(node, handle, "trait", self.builder.symbols[handle].qualified_name, vis, exported)

    def _impl(self, node: Node) -> None:
        self_type = node.child_by_field_name("type")
        if self_type is None:
            return
        trait = node.child_by_field_name("trait")
        type_name = self._base_name(self_type)
        trait_name = self._trait_display(trait) if trait is not None else None
        negative = trait is not None and any(c.type == "!" for c in node.children)
        if trait_name is not None and negative:
            trait_name = "!" + trait_name
        qn_tail = f"impl {trait_name} for {type_name}" if trait_name else f"impl {type_name}"
        outer = self.stack[-1]
        exported = outer.exported
        body = node.child_by_field_name("body")
        handle = self._add(
            node,
            type_name,
            "impl",
            "public",
            exported,
            self._header(node, body),
            qualified_name=self._qualified(qn_tail),
            generics=self._generics(node),
        )
        if body is not None:
            member_prefix = self._qualified(f"{type_name}.<{trait_name}>" if trait_name else type_name)
            self._push(node, handle, "impl", member_prefix, "public", exported, trait_impl=trait is not None)

    def _base_name(self, node: Node) -> str:
        """The named type at the heart of a type expression: ``&'a mut Foo<T>`` -> ``Foo``."""
        cur: Node | None = node
        while cur is not None:
            t = cur.type
            if t in ("type_identifier", "primitive_type", "identifier"):
                return self.src.text(cur)
            if t in ("scoped_type_identifier", "scoped_identifier"):
                cur = cur.child_by_field_name("name")
            elif t in ("generic_type", "reference_type", "pointer_type", "array_type"):
                cur = cur.child_by_field_name("type") or cur.child_by_field_name("element")
            elif t == "dynamic_type" or t == "abstract_type":
                cur = cur.child_by_field_name("trait")
            elif t == "tuple_type" or t == "bounded_type":
                named = [c for c in cur.named_children if c.type not in _COMMENTS]
                cur = named[-1] if t == "tuple_type" and named else (named[0] if named else None)
            else:
                break
        return squash(self.src.text(node))

    def _trait_display(self, trait: Node) -> str:
        """``fmt::Display`` -> ``Display``; ``convert::From<u8>`` -> ``From<u8>``."""
        if trait.type == "generic_type":
            base = trait.child_by_field_name("type")
            args = trait.child_by_field_name("type_arguments")
            if base is not None:
                return self._trait_display(base) + (squash(self.src.text(args)) if args is not None else "")
        if trait.type == "scoped_type_identifier":
            name = trait.child_by_field_name("name")
            if name is not None:
                return self.src.text(name)
        return squash(self.src.text(trait))

    def _simple(self, node: Node, kind: SymbolKind, signature: str) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        vis, exported = self._member_context(self._visibility(node))
        self._add(node, self.src.text(name_node), kind, vis, exported, signature, generics=self._generics(node))

    def _module(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = self.src.text(name_node)
        vis, exported = self._member_context(self._visibility(node))
        body = node.child_by_field_name("body")
        handle = self._add(node, name, "module", vis, exported, self._header(node, body))
        top = self.stack[-1]
        if body is None:
            decorators = self.builder.symbols[handle].decorators
            path_attr = next(
                (_string_value(d[4:]) for d in decorators if d.startswith("path") and d[4:].lstrip().startswith("=")),
                None,
            )
            add_mod_declaration(self.builder, name, path_attr, top.modules, node)
            return
        inner = self._inner_doc(body)
        if inner:
            draft = self.builder.symbols[handle]
            draft.docstring = f"{draft.docstring}\n\n{inner}" if draft.docstring else inner
        qn = self.builder.symbols[handle].qualified_name
        self.stack.append(_Frame(node.end_byte, handle, "module", qn, vis, exported, (*top.modules, name), False, top))

    def _inner_doc(self, body: Node) -> str | None:
        docs: list[Node] = []
        for child in body.named_children:
            if child.type not in _COMMENTS:
                break
            if child.child_by_field_name("inner") is not None:
                docs.append(child)
        return self._doc_text(docs)

    def _macro_def(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = self.src.text(name_node)
        handle = self._add(node, name, "macro", "private", False, f"macro_rules! {name}")
        draft = self.builder.symbols[handle]
        if any(d == "macro_export" or d.startswith("macro_export(") for d in draft.decorators):
            draft.visibility, draft.exported = "public", True
        self._push(node, handle, "macro", draft.qualified_name, draft.visibility, False)

    # -- calls ------------------------------------------------------------------------------

    def _call(self, node: Node) -> None:
        fn = node.child_by_field_name("function")
        if fn is None:
            return
        inner = fn
        if inner.type == "generic_function":
            inner = inner.child_by_field_name("function") or inner
        text = self.src.text
        t = inner.type
        receiver: str | None = None
        call_type: CallType = "direct"
        if t == "identifier":
            name = text(inner)
            if name[:1].isupper():
                call_type = "constructor"
        elif t == "scoped_identifier":
            name = text(inner.child_by_field_name("name"))
            path = inner.child_by_field_name("path")
            if path is not None:
                receiver = squash(text(path))
            if name[:1].isupper() or (
                path is not None
                and path.type != "bracketed_type"
                and _constructor_name(name)
                and self._base_name(path)[:1].isupper()
            ):
                call_type = "constructor"
        elif t == "field_expression":
            name = text(inner.child_by_field_name("field"))
            receiver = squash(text(inner.child_by_field_name("value")))
            call_type = "method"
        else:
            found = _IDENT.findall(text(inner))
            name = found[-1] if found else squash(text(inner))
        args = node.child_by_field_name("arguments")
        count = 0
        if args is not None:
            count = args.named_child_count
            data, lo, hi = self.src.data, args.start_byte, args.end_byte
            if count and (data.find(b"/", lo, hi) >= 0 or data.find(b"#", lo, hi) >= 0):  # maybe comments or attributes
                count = sum(1 for a in args.named_children if a.type not in _COMMENTS and a.type != "attribute_item")
        self.builder.add_call(
            caller=self.stack[-1].caller,
            callee=squash(text(fn)),
            name=name,
            receiver=receiver,
            call_type=call_type,
            arg_count=count,
            location=self.src.loc(node),
        )

    def _macro_call(self, node: Node) -> None:
        macro = node.child_by_field_name("macro")
        if macro is None:
            return
        text = self.src.text
        receiver = None
        if macro.type == "scoped_identifier":
            name = text(macro.child_by_field_name("name"))
            path = macro.child_by_field_name("path")
            receiver = squash(text(path)) if path is not None else None
        else:
            name = text(macro)
        last = node.named_child(node.named_child_count - 1)
        tree = last if last is not None and last.type == "token_tree" else None
        caller = self.stack[-1].caller
        self.builder.add_call(
            caller=caller,
            callee=squash(text(macro)) + "!",
            name=name,
            receiver=receiver,
            call_type="macro",
            arg_count=_token_tree_args(tree) if tree is not None else 0,
            location=self.src.loc(node),
        )

    def _token_tree_call(self, name_node: Node) -> None:
        """A call written inside macro arguments, which the grammar leaves as flat token trees:
        a name right before a parenthesised tree (``name!`` before one: a macro), with the
        receiver chain in front of a ``.``/``::`` walked back over names, trees and ``<...>``.
        Definitions (``fn name(``, ``struct Name(``) and ``macro_rules!`` bodies are skipped."""
        if self.stack[-1].kind == "macro":
            return
        nxt = name_node.next_sibling
        if nxt is None:
            return
        call_type: CallType = "direct"
        if nxt.type == "!":
            call_type = "macro"
            nxt = nxt.next_sibling
            if nxt is None or nxt.type != "token_tree":
                return
        elif nxt.type != "token_tree":
            return
        if self.src.data[nxt.start_byte] != 40:  # "(": not an index or a brace block
            return
        prev = name_node.prev_sibling
        if prev is None or prev.type in _DEFINING_TOKENS:
            return
        first = name_node
        receiver = None
        if prev.type in (".", "::"):
            start = _chain_start(prev)
            if start is not None:
                first = start
                receiver = squash(self.src.slice(start.start_byte, prev.start_byte))
                if call_type == "direct" and prev.type == ".":
                    call_type = "method"
        name = self.src.text(name_node)
        if call_type == "direct" and (
            name[:1].isupper() or (receiver and _constructor_name(name) and _last_segment(receiver)[:1].isupper())
        ):
            call_type = "constructor"
        callee = squash(self.src.slice(first.start_byte, name_node.end_byte))
        self.builder.add_call(
            caller=self.stack[-1].caller,
            callee=callee + "!" if call_type == "macro" else callee,
            name=name,
            receiver=receiver,
            call_type=call_type,
            arg_count=_token_tree_args(nxt),
            location=Source.loc_span(first, nxt),
        )


def squash(text: str) -> str:
    """common.squash, skipped for the usual single-line text with single spaces."""
    if "\n" in text or "  " in text or "\t" in text or len(text) > 2000:
        return _squash(text)
    return text.strip()


def _last_segment(path: str) -> str:
    """``a::Foo::<T>`` -> ``Foo``."""
    found = _IDENT.findall(_GENERIC_ARGS.sub("", path))
    return found[-1] if found else ""


def _constructor_name(name: str) -> bool:
    return name in _CONSTRUCTOR_NAMES or name.startswith(_CONSTRUCTOR_PREFIXES)


def _chain_start(sep: Node) -> Node | None:
    """First token of the receiver chain ending just before ``sep`` (``self.a.b``, ``x.f()``,
    ``Foo::<T>``), or None when nothing chains there. The tree's opening delimiter (the only
    token without a previous sibling) is never part of it."""
    start = None
    cur = sep.prev_sibling
    while cur is not None and cur.prev_sibling is not None:
        t = cur.type
        if t == ">":
            depth = 0
            while cur is not None and cur.prev_sibling is not None:
                depth += 1 if cur.type == ">" else -1 if cur.type == "<" else 0
                if depth == 0:
                    break
                cur = cur.prev_sibling
            if cur is None or cur.prev_sibling is None:
                break
        elif t not in _CHAIN_TOKENS:
            break
        start = cur
        cur = cur.prev_sibling
    while start is not None and start.type in (".", "::", "?") and start.end_byte < sep.start_byte:
        start = start.next_sibling
    return None if start is None or start.start_byte >= sep.start_byte else start


def _token_tree_args(tree: Node) -> int:
    """Top-level comma-separated groups; a trailing comma opens no new group."""
    count = 0
    pending = False
    for child in tree.children[1:-1]:
        t = child.type
        if t == ",":
            if pending:
                count += 1
            pending = False
        elif t not in _COMMENTS:
            pending = True
    return count + (1 if pending else 0)


def _string_value(text: str) -> str | None:
    """``= "sub/x.rs"`` -> ``sub/x.rs`` (the value of a ``#[path = ...]`` attribute)."""
    text = text.strip().removeprefix("=").strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return None
