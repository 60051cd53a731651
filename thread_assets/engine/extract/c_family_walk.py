"""The declaration walk of the C / C++ extractor.

It visits declaration-level nodes only (file scope, namespaces, ``extern "C"`` blocks, class
bodies, preprocessor branches, error-recovery nodes) with an explicit stack, never entering
function bodies; local types are handed to it afterwards from the refs query. It produces
:class:`Draft` records rather than Builder symbols because a definition found later in the file
may replace a declaration already seen (see :func:`merge_declarations`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from ..model import Location, Parameter, SymbolKind, Visibility
from . import c_family_decl as decl
from .common import Source, squash

_TRANSPARENT = frozenset(
    {"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef", "ERROR", "export_declaration"}
)
_TYPE_KINDS: dict[str, SymbolKind] = {
    "class_specifier": "class",
    "struct_specifier": "struct",
    "union_specifier": "union",
    "enum_specifier": "enum",
}
CLASS_KINDS = frozenset({"class", "struct", "union"})
_BROKEN_HEAD = frozenset({"function_declarator", "pointer_declarator"})
_LOCAL_STATEMENTS = frozenset({"declaration", "expression_statement", "compound_statement", "labeled_statement"})
_SPECIFIERS = frozenset(
    {
        "storage_class_specifier",
        "type_qualifier",
        "primitive_type",
        "sized_type_specifier",
        "type_identifier",
        "struct_specifier",
        "union_specifier",
        "enum_specifier",
        "qualified_identifier",
        "template_type",
        "attribute_specifier",
        "attribute_declaration",
    }
)


@dataclass(frozen=True, slots=True)
class _Scope:
    parent: int | None
    """Draft index of the enclosing namespace/class, None at file scope."""
    qn: str
    in_class: bool = False
    hidden: bool = False
    """Inside an anonymous namespace: internal linkage."""
    exported: bool = True


@dataclass(frozen=True, slots=True)
class _Item:
    node: Node
    scope: _Scope
    access: Visibility | None = None
    template: Node | None = None
    """Outermost template_declaration wrapping the node: signature start and doc comment anchor."""
    generics: tuple[str, ...] = ()
    anchor: Node | None = None
    """Node whose preceding comment documents this one (the enclosing declaration)."""
    handler: Callable[[Walker, _Item], None] | None = None
    """The handler for the node's type when already known (saves a node-type lookup)."""


@dataclass(slots=True)
class Draft:
    name: str
    qn: str
    kind: SymbolKind
    visibility: Visibility
    exported: bool
    location: Location
    parent: int | None
    signature: str = ""
    parameters: tuple[Parameter, ...] = ()
    return_type: str | None = None
    generics: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    docstring: str | None = None
    key: tuple[str, ...] | None = None
    declaration: bool = False
    dropped: bool = False


@dataclass
class Walker:
    src: Source
    cpp: bool
    drafts: list[Draft] = field(default_factory=list)
    scopes_by_qn: dict[str, int] = field(default_factory=dict)
    """Qualified name -> draft of namespaces and class-like types, for ``Foo::bar`` definitions."""
    type_names: set[str] = field(default_factory=set)
    bodies: list[tuple[int, int, int]] = field(default_factory=list)
    """(start, end, draft) of function bodies and class bodies: callers of the calls inside."""
    stack: list[_Item] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    """Start bytes of the type specifiers already read, so local types are read exactly once."""

    # -- driving ---------------------------------------------------------------------------

    def run(self, root: Node) -> None:
        self._push_members(root, _Scope(parent=None, qn=""))
        self._drain()

    def local_types(self, specs: list[Node]) -> None:
        """Types and type aliases defined inside function bodies (the walk does not enter
        bodies): children of the innermost enclosing function, private to it. Anonymous types
        are skipped unless a typedef names them: variables declared with them are locals."""
        for spec in sorted(specs, key=lambda n: n.start_byte):
            if spec.start_byte in self.seen:
                continue
            owner = self._enclosing_function(spec)
            if owner is None:
                continue
            if spec.type in _TYPE_KINDS and spec.child_by_field_name("name") is None:
                continue
            fn = self.drafts[owner]
            scope = _Scope(parent=owner, qn=fn.qn, hidden=True, exported=False)
            self.stack.append(_Item(spec, scope))
            self._drain()

    def _enclosing_function(self, node: Node) -> int | None:
        best: tuple[int, int] | None = None
        for start, end, index in self.bodies:
            if start <= node.start_byte and node.end_byte <= end and self.drafts[index].kind in ("function", "method"):
                if best is None or end - start < best[0]:
                    best = (end - start, index)
        return None if best is None else best[1]

    def _drain(self) -> None:
        while self.stack:
            item = self.stack.pop()
            handler = item.handler or _HANDLERS.get(item.node.type)
            if handler is not None:
                handler(self, item)

    def _push_members(self, node: Node, scope: _Scope, access: Visibility | None = None) -> None:
        items = [
            _Item(child, scope, access, handler=handler)
            for child, kind in _members(node)
            if (handler := _HANDLERS.get(kind)) is not None
        ]
        self.stack.extend(reversed(items))

    def _push_class_body(self, body: Node, scope: _Scope, default: Visibility) -> None:
        access: Visibility = default
        items: list[_Item] = []
        for child, kind in _members(body):
            if kind == "access_specifier":
                text = self.src.text(child).strip()
                access = "public" if text == "public" else "protected" if text == "protected" else "private"
            elif (handler := _HANDLERS.get(kind)) is not None:
                items.append(_Item(child, scope, access, handler=handler))
        self.stack.extend(reversed(items))

    def add(self, draft: Draft) -> int:
        self.drafts.append(draft)
        return len(self.drafts) - 1

    # -- shared pieces ------------------------------------------------------------------------

    def visibility(self, item: _Item, static: bool) -> Visibility:
        if item.scope.in_class:
            return item.access or "public"
        return "private" if static or item.scope.hidden else "public"

    def exported(self, item: _Item, static: bool) -> bool:
        if item.scope.in_class:
            return item.scope.exported and (item.access or "public") == "public"
        return item.scope.exported and not static and not item.scope.hidden

    def start(self, item: _Item) -> int:
        return item.template.start_byte if item.template is not None else item.node.start_byte

    def doc(self, item: _Item) -> str | None:
        anchor = item.template or item.anchor or item.node
        return decl.doc_comment(anchor, self.src)

    def child_qn(self, scope: _Scope, name: str) -> str:
        return f"{scope.qn}.{name}" if scope.qn else name

    def place(self, item: _Item, name_node: Node) -> tuple[_Scope, str, str, bool]:
        """Where a possibly qualified name lands: (scope, simple name, qualified name, found).
        ``found`` says whether a qualifier matched a namespace or type of this file."""
        scope = item.scope
        if name_node.type != "qualified_identifier":
            name = decl.simple_name(name_node, self.src)
            return scope, name, self.child_qn(scope, name), False
        scopes, last = decl.split_qualified(name_node, self.src)
        name = decl.simple_name(last, self.src)
        if not scopes:
            return _Scope(parent=None, qn=""), name, name, False
        for prefix in (scope.qn, ""):
            for variant in (scopes, [decl.without_args(s) for s in scopes]):
                qn = ".".join(([prefix] if prefix else []) + variant)
                target = self.scopes_by_qn.get(qn)
                if target is not None:
                    owner = self.drafts[target]
                    inner = _Scope(
                        parent=target,
                        qn=qn,
                        in_class=owner.kind in CLASS_KINDS,
                        hidden=scope.hidden,
                        exported=owner.exported,
                    )
                    return inner, name, f"{qn}.{name}", True
        qn = ".".join(([scope.qn] if scope.qn else []) + [decl.without_args(s) for s in scopes] + [name])
        return scope, name, qn, False

    # -- functions ------------------------------------------------------------------------------

    def function(
        self,
        item: _Item,
        node: Node,
        declarator: Node,
        name_node: Node,
        func: Node,
        is_decl: bool,
        head: decl.Head | None = None,
    ) -> None:
        src = self.src
        if head is None:
            head = decl.Head(node, declarator, src)
        static = "static" in head.storage
        scope, name, qn, found = self.place(item, name_node)
        qualified = name_node.type == "qualified_identifier"
        if scope.in_class:
            kind: SymbolKind = "method"
        elif qualified and not found and self.cpp:
            kind = "method"  # `Foo::bar` whose class lives in a header
        else:
            kind = "function"
        if func.type == "operator_cast":
            params = tuple(decl.parameters(_find(func, "parameter_list"), src))
        else:
            params = tuple(decl.parameters(func.child_by_field_name("parameters"), src))
        inner_item = item if scope is item.scope else _Item(node, scope, "public" if found else item.access)
        if qualified and found:
            visibility: Visibility = "public"
            exported = scope.exported and not static
        else:
            visibility = self.visibility(inner_item, static)
            exported = self.exported(inner_item, static)
        start = self.start(item)
        if is_decl:
            signature = self._declaration_signature(item, node, declarator)
        else:
            end = head.body_start if head.body_start is not None else node.end_byte
            signature = squash(src.slice(start, end).rstrip().rstrip(";"))
        decorators = head.attributes
        if b"__attribute__" in src.data[declarator.start_byte : declarator.end_byte]:
            decorators = decorators + decl.attributes(declarator, src)
        index = self.add(
            Draft(
                name=name,
                qn=qn,
                kind=kind,
                visibility=visibility,
                exported=exported,
                location=Source.loc(node),
                parent=scope.parent,
                signature=signature,
                parameters=params,
                return_type=decl.return_type(head, declarator, func, src) if func.type != "operator_cast" else None,
                generics=item.generics,
                decorators=tuple(decorators),
                docstring=self.doc(item),
                key=(qn, ",".join((p.type or p.name).replace(" ", "") for p in params)) if self.cpp else (qn,),
                declaration=is_decl,
            )
        )
        if head.body_start is not None:
            self.bodies.append((node.start_byte, node.end_byte, index))

    def _declaration_signature(self, item: _Item, node: Node, declarator: Node) -> str:
        declarators = node.children_by_field_name("declarator")
        start = self.start(item)
        if len(declarators) <= 1:
            return squash(self.src.slice(start, node.end_byte))
        head = self.src.slice(start, declarators[0].start_byte)
        return squash(head + self.src.text(declarator) + ";")

    # -- types ------------------------------------------------------------------------------------

    def type_spec(self, item: _Item, spec: Node, alias_name: str | None = None) -> int | None:
        """A struct/union/class/enum with a body; returns its draft (None if anonymous)."""
        body = spec.child_by_field_name("body")
        if body is None:
            return None
        self.seen.add(spec.start_byte)
        src = self.src
        kind = _TYPE_KINDS[spec.type]
        name_node = spec.child_by_field_name("name")
        anchor_item = _Item(spec, item.scope, item.access, item.template, item.generics, item.anchor or item.node)
        if name_node is None and alias_name is None:
            self._anonymous_body(item, spec, body, kind)
            return None
        if name_node is not None:
            scope, name, qn, _ = self.place(anchor_item, name_node)
            if name_node.type == "template_type":
                qn = f"{qn}{squash(src.text(name_node.child_by_field_name('arguments')))}"
        else:
            scope, name = item.scope, alias_name or ""
            qn = self.child_qn(scope, name)
        start = self.start(item) if item.template is not None else spec.start_byte
        index = self.add(
            Draft(
                name=name,
                qn=qn,
                kind=kind,
                visibility=self.visibility(item, False),
                exported=self.exported(item, False),
                location=Source.loc(spec),
                parent=scope.parent,
                signature=squash(src.slice(start, body.start_byte)),
                generics=item.generics,
                decorators=tuple(decl.attributes(spec, src)),
                docstring=self.doc(anchor_item),
            )
        )
        self.scopes_by_qn.setdefault(qn, index)
        self.type_names.add(name)
        inner = _Scope(
            parent=index, qn=qn, in_class=kind != "enum", hidden=item.scope.hidden, exported=self.drafts[index].exported
        )
        if kind == "enum":
            self._enumerators(body, inner)
        else:
            self.bodies.append((body.start_byte, body.end_byte, index))
            self._push_class_body(body, inner, "private" if kind == "class" else "public")
        return index

    def _anonymous_body(self, item: _Item, spec: Node, body: Node, kind: SymbolKind) -> None:
        """Members of an anonymous type belong to what encloses it: C11 anonymous members are
        reached as ``outer.member``, anonymous enumerators are plain names in the scope."""
        scope = item.scope
        if kind == "enum":
            self._enumerators(body, scope)
        else:
            inner = _Scope(
                parent=scope.parent, qn=scope.qn, in_class=True, hidden=scope.hidden, exported=scope.exported
            )
            self._push_class_body(body, inner, "public" if kind != "class" else "private")

    def _enumerators(self, body: Node, scope: _Scope) -> None:
        for child, kind in _members(body):
            if kind != "enumerator":
                continue
            name_node = child.child_by_field_name("name")
            if name_node is None:
                continue
            name = self.src.text(name_node)
            self.add(
                Draft(
                    name=name,
                    qn=self.child_qn(scope, name),
                    kind="enum_member",
                    visibility="private" if scope.hidden else "public",
                    exported=scope.exported and not scope.hidden,
                    location=Source.loc(child),
                    parent=scope.parent,
                    signature=squash(self.src.text(child)),
                    docstring=decl.doc_comment(child, self.src),
                )
            )

    # -- variables and fields ------------------------------------------------------------------

    def variable(
        self, item: _Item, node: Node, declarator: Node, name_node: Node, head: decl.Head, declarators: list[Node]
    ) -> int:
        src = self.src
        static = "static" in head.storage
        extern = "extern" in head.storage
        scope, name, qn, found = self.place(item, name_node)
        qualified = name_node.type == "qualified_identifier"
        target = declarator.child_by_field_name("declarator") if declarator.type == "init_declarator" else declarator
        if target is None:
            target = declarator
        head_end = declarators[0].start_byte if declarators else node.start_byte
        type_node = head.type_node
        body = (
            type_node.child_by_field_name("body") if type_node is not None and type_node.type in _TYPE_KINDS else None
        )
        if body is not None:  # `struct { ... } x;`: the members are symbols of their own
            prefix = src.slice(self.start(item), body.start_byte) + "{ ... } " + src.slice(body.end_byte, head_end)
        else:
            prefix = src.slice(self.start(item), head_end)
        signature = squash(prefix + src.text(target))
        if item.scope.in_class:
            kind: SymbolKind = "field"
        elif decl.is_const_object(node, declarator, src):
            kind = "constant"
        else:
            kind = "variable"
        if qualified and found and scope.in_class:
            visibility: Visibility = "public"
            exported = scope.exported
        else:
            visibility = self.visibility(item, static)
            exported = self.exported(item, static)
        return self.add(
            Draft(
                name=name,
                qn=qn,
                kind=kind,
                visibility=visibility,
                exported=exported,
                location=Source.loc(node),
                parent=scope.parent,
                signature=signature,
                decorators=tuple(head.attributes),
                docstring=self.doc(item),
                key=("var", qn),
                declaration=extern or qualified,
            )
        )

    # -- declarations (file scope and class bodies) ---------------------------------------------

    def declaration(self, item: _Item) -> None:
        node = item.node
        declarators = node.children_by_field_name("declarator")
        head = decl.Head(node, declarators[0] if declarators else None, self.src)
        type_node = head.type_node
        anonymous = type_node is not None and _is_anonymous_body(type_node)
        if type_node is not None and type_node.type in _TYPE_KINDS and not anonymous:
            self.type_spec(item, type_node)
        first: int | None = None
        for declarator in declarators:
            name_node, func, is_function = decl.unwrap(declarator)
            if declarator.type == "operator_cast":
                self.function(item, node, declarator, declarator, declarator, True, head)
                continue
            if name_node is None:
                continue
            if is_function and func is not None:
                if type_node is None and self._looks_like_macro_call(item, name_node):
                    continue
                self.function(item, node, declarator, name_node, func, True, head)
            elif name_node.type not in ("operator_name", "destructor_name"):
                index = self.variable(item, node, declarator, name_node, head, declarators)
                first = index if first is None else first
        if anonymous and type_node is not None:
            body = type_node.child_by_field_name("body")
            assert body is not None
            self.seen.add(type_node.start_byte)
            if first is None:
                self._anonymous_body(item, type_node, body, _TYPE_KINDS[type_node.type])
            else:
                holder = self.drafts[first]
                inner = _Scope(
                    parent=first, qn=holder.qn, in_class=True, hidden=item.scope.hidden, exported=holder.exported
                )
                kind = _TYPE_KINDS[type_node.type]
                if kind == "enum":
                    self._enumerators(body, item.scope)
                else:
                    self._push_class_body(body, inner, "private" if kind == "class" else "public")

    def friend(self, item: _Item) -> None:
        """A friend function defined in a class body (a "hidden friend") is a free function found
        by argument-dependent lookup; it is listed under its class, with kind function. Friend
        declarations without a body define nothing here."""
        inner = next((c for c in item.node.named_children if c.type == "function_definition"), None)
        if inner is None:
            return
        before = len(self.drafts)
        self.function_definition(_Item(inner, item.scope, "public", item.template, item.generics, item.node))
        for draft in self.drafts[before:]:
            draft.kind = "function"

    def _looks_like_macro_call(self, item: _Item, name_node: Node) -> bool:
        """``PYBIND11_TYPE_CASTER(T, name);`` parses as a declaration without a type. Only a
        constructor may be declared without one, and it bears its class's name."""
        if name_node.type not in ("identifier", "field_identifier"):
            return False
        if not item.scope.in_class or item.scope.parent is None:
            return True
        return self.src.text(name_node) != self.drafts[item.scope.parent].name

    def function_definition(self, item: _Item) -> None:
        node = item.node
        declarator = node.child_by_field_name("declarator")
        if declarator is None:
            return
        if declarator.type == "operator_cast":
            self.function(item, node, declarator, declarator, declarator, False)
            return
        name_node, func, _ = decl.unwrap(declarator)
        if name_node is None or func is None:
            self._macro_function(item)
            return
        self.function(item, node, declarator, name_node, func, False)

    def _macro_function(self, item: _Item) -> None:
        """``TEST_IMPL(name) { ... }``: a function whose header a macro expands. The parser sees
        type ``TEST_IMPL`` and a parenthesized declarator; name it after the macro (as ctags
        does) and keep the macro arguments as parameters so each definition gets its own id."""
        node = item.node
        type_node = node.child_by_field_name("type")
        declarator = node.child_by_field_name("declarator")
        body = node.child_by_field_name("body")
        if type_node is None or declarator is None or body is None:
            return
        if type_node.type != "type_identifier" or declarator.type != "parenthesized_declarator":
            return
        args = self.src.text(declarator).strip()[1:-1]
        params = tuple(Parameter(name=squash(a)) for a in args.split(",") if a.strip())
        index = self.add(
            Draft(
                name=self.src.text(type_node),
                qn=self.child_qn(item.scope, self.src.text(type_node)),
                kind="function",
                visibility=self.visibility(item, False),
                exported=self.exported(item, False),
                location=Source.loc(node),
                parent=item.scope.parent,
                signature=squash(self.src.slice(self.start(item), body.start_byte)),
                parameters=params,
                docstring=self.doc(item),
            )
        )
        self.bodies.append((node.start_byte, node.end_byte, index))

    def type_definition(self, item: _Item) -> None:
        src = self.src
        node = item.node
        self.seen.add(node.start_byte)
        type_node = node.child_by_field_name("type")
        declarators = node.children_by_field_name("declarator")
        names = [(d, decl.unwrap(d)[0]) for d in declarators]
        body = (
            type_node.child_by_field_name("body") if type_node is not None and type_node.type in _TYPE_KINDS else None
        )
        skip: Node | None = None
        orphan = False  # `typedef struct { ... } *handle_t;`: members go under the first alias
        if type_node is not None and body is not None:
            alias = None
            if type_node.child_by_field_name("name") is None:
                skip = next((d for d, n in names if d.type == "type_identifier"), None)
                alias = src.text(skip) if skip is not None else None
                orphan = skip is None and any(n is not None for _, n in names)
        if type_node is not None and body is not None and not orphan:
            typed = self.type_spec(
                _Item(type_node, item.scope, item.access, item.template, item.generics, node), type_node, alias
            )
            if typed is not None and alias is not None:
                draft = self.drafts[typed]
                draft.location = Source.loc(node)
                draft.signature = squash(f"{src.slice(self.start(item), body.start_byte)} {src.text(skip)}")
        for declarator, name_node in names:
            if name_node is None or declarator == skip:
                continue
            if body is not None and type_node is not None:
                text = f"{src.slice(self.start(item), body.start_byte)} {src.text(declarator)}"
            else:
                text = src.slice(self.start(item), node.end_byte).rstrip().rstrip(";")
            name = src.text(name_node)
            self.add(
                Draft(
                    name=name,
                    qn=self.child_qn(item.scope, name),
                    kind="type_alias",
                    visibility=self.visibility(item, False),
                    exported=self.exported(item, False),
                    location=Source.loc(node),
                    parent=item.scope.parent,
                    signature=squash(text),
                    generics=item.generics,
                    decorators=tuple(decl.attributes(node, src)),
                    docstring=self.doc(item),
                )
            )
            self.type_names.add(name)
        if orphan and type_node is not None and body is not None:
            self.seen.add(type_node.start_byte)
            holder = len(self.drafts) - sum(1 for _, n in names if n is not None)
            draft = self.drafts[holder]
            inner = _Scope(parent=holder, qn=draft.qn, in_class=True, hidden=item.scope.hidden, exported=draft.exported)
            if type_node.type == "enum_specifier":
                self._enumerators(body, item.scope)
            else:
                self._push_class_body(body, inner, "private" if type_node.type == "class_specifier" else "public")

    def alias_declaration(self, item: _Item) -> None:
        self.seen.add(item.node.start_byte)
        name_node = item.node.child_by_field_name("name")
        if name_node is None:
            return
        name = self.src.text(name_node)
        self.add(
            Draft(
                name=name,
                qn=self.child_qn(item.scope, name),
                kind="type_alias",
                visibility=self.visibility(item, False),
                exported=self.exported(item, False),
                location=Source.loc(item.node),
                parent=item.scope.parent,
                signature=squash(self.src.slice(self.start(item), item.node.end_byte).rstrip().rstrip(";")),
                generics=item.generics,
                decorators=tuple(decl.attributes(item.node, self.src)),
                docstring=self.doc(item),
            )
        )
        self.type_names.add(name)

    def broken_function(self, item: _Item) -> None:
        """A function header left in an ERROR node: specifiers, then the declarator."""
        node = item.node
        name_node, func, is_function = decl.unwrap(node)
        if name_node is None or func is None or not is_function or item.scope.in_class:
            return
        first = node
        prev = node.prev_named_sibling
        while prev is not None and prev.type in _SPECIFIERS:
            first = prev
            prev = prev.prev_named_sibling
        prefix = [n for n in _siblings(first, node) if n.type in _SPECIFIERS]
        static = any(n.type == "storage_class_specifier" and self.src.text(n) == "static" for n in prefix)
        words = [self.src.text(n) for n in prefix if n.type not in ("storage_class_specifier", "attribute_specifier")]
        around = "".join(self.src.slice(node.start_byte, func.start_byte).split())
        scope, name, qn, _ = self.place(item, name_node)
        params = tuple(decl.parameters(func.child_by_field_name("parameters"), self.src))
        self.add(
            Draft(
                name=name,
                qn=qn,
                kind="method" if name_node.type == "qualified_identifier" and self.cpp else "function",
                visibility=self.visibility(item, static),
                exported=self.exported(item, static),
                location=Source.loc_span(first, node),
                parent=scope.parent,
                signature=squash(self.src.slice(first.start_byte, node.end_byte)),
                parameters=params,
                return_type=squash(" ".join(words) + (" " + around if around else "")) or None,
                docstring=decl.doc_comment(first, self.src),
                key=(qn, ",".join((p.type or p.name).replace(" ", "") for p in params)) if self.cpp else (qn,),
            )
        )

    def namespace(self, item: _Item) -> None:
        node = item.node
        body = node.child_by_field_name("body")
        name_node = node.child_by_field_name("name")
        scope = item.scope
        if name_node is None:
            inner = _Scope(parent=scope.parent, qn=scope.qn, hidden=True, exported=False)
        else:
            parts = (
                [self.src.text(n) for n in name_node.named_children]
                if name_node.type == "nested_namespace_specifier"
                else [self.src.text(name_node)]
            )
            inner = scope
            for part in parts:
                qn = self.child_qn(inner, part)
                index = self.scopes_by_qn.get(qn)
                if index is None or self.drafts[index].kind != "namespace":
                    index = self.add(
                        Draft(
                            name=part,
                            qn=qn,
                            kind="namespace",
                            visibility="private" if scope.hidden else "public",
                            exported=inner.exported and not scope.hidden,
                            location=Source.loc(node),
                            parent=inner.parent,
                            signature=squash(
                                self.src.slice(node.start_byte, body.start_byte if body else node.end_byte)
                            ),
                            docstring=self.doc(item),
                        )
                    )
                    self.scopes_by_qn[qn] = index
                inner = _Scope(parent=index, qn=qn, hidden=scope.hidden, exported=self.drafts[index].exported)
        if body is not None:
            self._push_members(body, inner)

    def template(self, item: _Item) -> None:
        node = item.node
        params = node.child_by_field_name("parameters")
        generics = item.generics
        if params is not None:
            generics += tuple(squash(self.src.text(p)) for p in params.named_children if p.type != "comment")
        outer = item.template or node
        items = [
            _Item(child, item.scope, item.access, outer, generics)
            for child in node.named_children
            if child != params and child.type not in ("comment", "requires_clause")
        ]
        self.stack.extend(reversed(items))

    def linkage(self, item: _Item) -> None:
        body = item.node.child_by_field_name("body")
        if body is None:
            return
        if body.type == "declaration_list":
            self._push_members(body, item.scope, item.access)
        else:
            self.stack.append(_Item(body, item.scope, item.access, item.template, item.generics))

    def specifier(self, item: _Item) -> None:
        self.type_spec(item, item.node)


_HANDLERS = {
    "function_definition": Walker.function_definition,
    "declaration": Walker.declaration,
    "field_declaration": Walker.declaration,  # outside classes only in error recovery
    "type_definition": Walker.type_definition,
    "alias_declaration": Walker.alias_declaration,
    "namespace_definition": Walker.namespace,
    "template_declaration": Walker.template,
    "linkage_specification": Walker.linkage,
    "class_specifier": Walker.specifier,
    "struct_specifier": Walker.specifier,
    "union_specifier": Walker.specifier,
    "enum_specifier": Walker.specifier,
    "friend_declaration": Walker.friend,
    "function_declarator": Walker.broken_function,
    "pointer_declarator": Walker.broken_function,
}


def _members(node: Node) -> Iterator[tuple[Node, str]]:
    """Named children with their node types, looking through preprocessor conditionals and
    error recovery nodes.

    When the parser gives up inside a function, the ERROR node holds the function's
    declarator followed by its local declarations: the declarator is yielded (see
    ``Walker.broken_function``) and the locals after it are not."""
    stack = [(iter(node.named_children), node.type == "ERROR", False)]
    while stack:
        children, in_error, broken = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        kind = child.type
        if kind in _TRANSPARENT:
            stack.append((iter(child.named_children), kind == "ERROR", broken))
        elif in_error and kind in _BROKEN_HEAD:
            stack[-1] = (children, in_error, True)
            yield child, kind
        elif not (broken and kind in _LOCAL_STATEMENTS):
            yield child, kind


def _siblings(first: Node, last: Node) -> list[Node]:
    out = []
    node: Node | None = first
    while node is not None and node != last:
        out.append(node)
        node = node.next_named_sibling
    return out


def _is_anonymous_body(spec: Node) -> bool:
    return (
        spec.type in _TYPE_KINDS
        and spec.child_by_field_name("name") is None
        and spec.child_by_field_name("body") is not None
    )


def _find(node: Node, kind: str) -> Node | None:
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type == kind:
            return cur
        stack.extend(reversed(cur.named_children))
    return None


def merge_declarations(drafts: list[Draft]) -> None:
    """Keep one record per entity: a definition absorbs the prototypes / in-class declarations
    of the same key; without a definition only the first declaration stays."""
    groups: dict[tuple[str, ...], list[Draft]] = {}
    for d in drafts:
        if d.key is not None:
            groups.setdefault(d.key, []).append(d)
    for group in groups.values():
        if len(group) < 2:
            continue
        declared = [d for d in group if d.declaration]
        defined = [d for d in group if not d.declaration]
        if not declared:
            continue
        if not defined:
            for d in declared[1:]:
                d.dropped = True
            continue
        first = declared[0]
        for d in declared:
            d.dropped = True
        for d in defined:
            if d.kind == "field":
                continue
            if d.kind == "method" and first.kind == "method":
                d.visibility = first.visibility
                d.exported = first.exported
            d.docstring = d.docstring or first.docstring
            d.decorators = d.decorators or first.decorators
