"""Java: symbols, imports and calls.

Modelling choices:
- Records are ``class`` symbols (their signature starts with ``record``); their components are
  the record's parameters and also ``field`` symbols (private, as the compiler makes them).
- Annotation types (``@interface``) are ``interface`` symbols, their elements ``method`` symbols;
  the signature (``@interface Name``) tells them apart from plain interfaces. No decorator is
  invented for them: decorators are only the annotations written on a declaration.
- Constructors (including compact record constructors) are ``method`` symbols named after the
  class, so ``Foo.Foo(int)`` and ``Foo.Foo(int,int)`` are the overload ids.
- ``static final`` fields and interface fields are ``constant``, other fields ``field``.
- The package declaration is a ``namespace`` symbol named with the dotted package; it is not the
  parent of the file's types (qualified names stay file-local).
- Anonymous classes and enum-constant bodies are not symbols, nor is anything declared in them;
  calls inside them belong to the enclosing method (or class, in a field initializer).
- Visibility: the written modifier, else ``package``; members of interfaces and annotation types
  default to ``public``, enum constants are ``public``, enum constructors ``private``.
  ``exported`` means public.
- Imports: ``import a.b.C;`` binds C (module ``a.b``, name ``C``); ``import static a.b.C.m;``
  binds m (module ``a.b.C``); on-demand imports (``a.b.*``, ``static a.b.C.*``) are wildcards with
  the package or class as the module.
- Same-package references: a type of the file's own package needs no import, so each simple name
  used as a type (``Helper x``, ``new Helper()``, ``extends Helper``, ``List<Helper>``,
  ``Helper.class``, ``@Helper``) or as the head of a qualified expression (``Helper.run()``,
  ``Helper.X``, ``Helper::m``) is recorded once, at its first use, as an ``implicit`` import
  (module the package, name the type, no bound name), unless the file declares it (its types,
  nested and local ones included, and type parameters), imports it by a single-type import, or
  it is a ``java.lang`` type. Only capitalised names count (``com.other.X`` is a qualified name,
  ``var`` a keyword; a qualified name of the file's own package, ``com.acme.X`` in ``com.acme``,
  counts as X), and a head that names a variable or constant of the file (``LOG.info()``)
  is not a type. The resolver decides whether the package has such a file: the name may as well
  come from an on-demand import or be a member type inherited from a supertype.
- Calls: ``m()`` is direct (implicit ``this``: no receiver), ``x.m()`` / ``super.m()`` method
  calls, ``new Foo()`` and ``this(...)`` / ``super(...)`` constructor calls.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tree_sitter import Node

from ..model import Location, Parameter, Visibility
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, captures, clean_comment, squash
from .go_java_scopes import innermost_scopes
from .java_lang import JAVA_LANG

_QUERIES = Path(__file__).resolve().parent.parent / "queries" / "java"
_TYPE_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "class",
    "annotation_type_declaration": "interface",
}
_BODIES = frozenset({"class_body", "interface_body", "enum_body", "enum_body_declarations", "annotation_type_body"})
_PUBLIC_MEMBERS = frozenset({"interface_declaration", "annotation_type_declaration"})
_ANNOTATIONS = frozenset({"marker_annotation", "annotation"})
_COMMENTS = frozenset({"line_comment", "block_comment"})
_VISIBILITIES: dict[str, Visibility] = {"public": "public", "protected": "protected", "private": "private"}
_VALUE_DECLS = frozenset(
    {
        "variable_declarator",
        "formal_parameter",
        "catch_formal_parameter",
        "spread_parameter",
        "enum_constant",
        "inferred_parameters",
        "lambda_expression",
        "resource",
        "instanceof_expression",
        "record_pattern_component",
    }
)
"""Parents of an identifier that declares a value (variable, parameter, constant) of that name."""
_HEADS = frozenset({"method_invocation", "field_access"})
_QUALIFIED = frozenset({"field_access", "scoped_type_identifier", "scoped_identifier"})
"""Dotted names: ``a.b.C`` in an expression, a type, an annotation."""
"""Expressions whose ``object`` may be a type name: ``Helper.run()``, ``Helper.X``."""
_VALUE_LIMIT = 120
"""Field signatures include the initialiser only when the declarator is this short."""


@cache
def _query() -> str:
    return (_QUERIES / "outline.scm").read_text(encoding="utf-8")


def extract(root: Node, src: Source, language: str) -> Extraction:
    found = captures(language_object(language), _query(), root)
    ex = _JavaExtractor(src)
    import_ranges = ex.file_level(root)
    ex.declarations(found)
    ex.calls(found.get("call", []) + found.get("new", []) + found.get("ctor_call", []))
    # Imports precede every declaration, so one bound excludes them; bytes are decoded once per name.
    imports_end = max((e for _, e in import_ranges), default=0)
    data = src.data
    raw = {data[n.start_byte : n.end_byte] for n in found.get("use", ()) if n.start_byte >= imports_end}
    used = {r.decode("utf-8", "replace") for r in raw}
    ex.implicit_imports(sorted((n for n in found.get("use", ()) if n.start_byte >= imports_end), key=_start))
    return ex.builder.finish(used)


def _start(node: Node) -> int:
    return node.start_byte


def javadoc(node: Node, src: Source) -> str | None:
    """The ``/** ... */`` comment before a declaration. Javadoc attaches the nearest preceding doc
    comment even across blank lines, so only another declaration in between breaks the link."""
    prev = node.prev_named_sibling
    while prev is not None and prev.type == "line_comment":
        prev = prev.prev_named_sibling
    if prev is None or prev.type != "block_comment":
        return None
    text = src.text(prev)
    if not text.startswith("/**") or text.startswith("/**/"):
        return None
    return clean_comment(text) or None


class _Modifiers:
    __slots__ = ("annotations", "keywords", "node")

    def __init__(self, node: Node | None, src: Source) -> None:
        self.node = node
        self.keywords: list[str] = []
        self.annotations: list[str] = []
        if node is None:
            return
        for child in node.children:
            if child.type in _ANNOTATIONS:
                self.annotations.append(squash(src.text(child)[1:].strip()))
            elif child.type not in _COMMENTS:
                self.keywords.append(src.text(child))

    def visibility(self) -> Visibility | None:
        return next((_VISIBILITIES[k] for k in self.keywords if k in _VISIBILITIES), None)


def _arg_count(args: Node, data: bytes) -> int:
    """Named children minus comments; the child list is only materialised when a comment can be
    there at all (``/`` in the argument text), which is rare."""
    n = args.named_child_count
    if n and b"/" in data[args.start_byte : args.end_byte]:
        n = sum(1 for c in args.named_children if c.type not in _COMMENTS)
    return n


def _location(node: Node, mods: _Modifiers) -> Location:
    """The definition without its leading annotations: like Python decorators and Rust attributes
    they are reported as decorators, and the definition starts at its first keyword (the line
    ctags and IDEs point at)."""
    if mods.node is None or not mods.annotations:
        return Source.loc(node)
    first = next((c for c in mods.node.children if c.type not in _ANNOTATIONS and c.type not in _COMMENTS), None)
    if first is None:
        first = mods.node.next_sibling
        while first is not None and first.type in _COMMENTS:
            first = first.next_sibling
    return Source.loc(node) if first is None else Source.loc_span(first, node)


def _modifiers_of(node: Node) -> Node | None:
    for child in node.children:
        if child.type == "modifiers":
            return child
        if child.is_named and child.type not in _COMMENTS:
            return None
    return None


class _JavaExtractor:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.builder = Builder()
        self.handles: dict[int, int] = {}
        """Node id of an emitted declaration -> its handle."""
        self.skipped: set[int] = set()
        self.scopes: list[tuple[int, int, int]] = []
        self.package = ""

    # ---- package and imports ---------------------------------------------------------------
    def file_level(self, root: Node) -> list[tuple[int, int]]:
        ranges: list[tuple[int, int]] = []
        for node in root.named_children:
            if node.type == "package_declaration":
                name_node = next(
                    (c for c in node.named_children if c.type in ("scoped_identifier", "identifier")), None
                )
                if name_node is not None:
                    name = squash(self.src.text(name_node)).replace(" ", "")
                    self.package = name
                    keyword = next((c for c in node.children if c.type == "package"), node)
                    annotations = [
                        squash(self.src.text(c)[1:].strip()) for c in node.named_children if c.type in _ANNOTATIONS
                    ]
                    self.builder.add_symbol(
                        name=name,
                        kind="namespace",
                        location=Source.loc_span(keyword, node),
                        visibility="public",
                        exported=True,
                        signature=f"package {name}",
                        decorators=annotations,
                        docstring=javadoc(node, self.src),
                    )
                ranges.append((node.start_byte, node.end_byte))
            elif node.type == "import_declaration":
                self._import(node)
                ranges.append((node.start_byte, node.end_byte))
        return ranges

    def _import(self, node: Node) -> None:
        wildcard = any(c.type == "asterisk" for c in node.children)
        path_node = next((c for c in node.named_children if c.type in ("scoped_identifier", "identifier")), None)
        if path_node is None:
            return
        path = "".join(self.src.text(path_node).split())
        loc = Source.loc(node)
        if wildcard:
            self.builder.add_import(module=path, kind="wildcard", location=loc)
            return
        module, _, name = path.rpartition(".")
        if not module:
            module, name = path, path
        self.builder.add_import(module=module, name=name, bound=name, kind="absolute", location=loc)

    def implicit_imports(self, uses: list[Node]) -> None:
        """One ``implicit`` import per type name the file uses without importing or declaring it
        (see the module docstring), in order of first use."""
        data = self.src.data
        declared: set[str] = set(JAVA_LANG)
        declared.update(i.bound for i in self.builder.imports if i.bound and i.kind == "absolute")
        values: set[str] = set()
        first: dict[str, Node] = {}
        heads: dict[str, Node] = {}
        package_head = self.package.partition(".")[0].encode()
        for node in uses:
            if not 65 <= data[node.start_byte] <= 90:  # A-Z: Java type names are capitalised
                if package_head and data[node.start_byte : node.end_byte] == package_head:
                    self._qualified_by_package(node, first)
                continue
            parent = node.parent
            if parent is None:
                continue
            ptype = parent.type
            name = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
            if node.type == "type_identifier":
                if ptype == "type_parameter":
                    declared.add(name)
                elif ptype != "scoped_type_identifier" or parent.named_children[0].id == node.id:
                    first.setdefault(name, node)
            elif ptype in _TYPE_KINDS:
                declared.add(name)
            elif ptype in _VALUE_DECLS:
                values.add(name)
            elif ptype in _HEADS:
                obj = parent.child_by_field_name("object")
                if obj is not None and obj.id == node.id:
                    heads.setdefault(name, node)
            elif ptype in _ANNOTATIONS or ptype == "method_reference":
                head = parent.child_by_field_name("name") if ptype in _ANNOTATIONS else parent.named_children[0]
                if head is not None and head.id == node.id:
                    first.setdefault(name, node)
        for name, node in heads.items():
            if name not in values and (name not in first or node.start_byte < first[name].start_byte):
                first[name] = node
        for name, node in sorted(first.items(), key=lambda item: item[1].start_byte):
            if name not in declared:
                self.builder.add_import(module=self.package, name=name, kind="implicit", location=Source.loc(node))

    def _qualified_by_package(self, node: Node, first: dict[str, Node]) -> None:
        """``a.b.C`` written out in full in a file of package ``a.b``: C is of the package too."""
        cur = node
        while (
            (parent := cur.parent) is not None and parent.type in _QUALIFIED and parent.named_children[0].id == cur.id
        ):
            cur = parent
            text = "".join(self.src.text(cur).split())
            if text == self.package:
                outer = cur.parent
                if outer is not None and outer.type in _QUALIFIED and outer.named_children[0].id == cur.id:
                    name_node = outer.named_children[-1]
                    if 65 <= self.src.data[name_node.start_byte] <= 90:
                        first.setdefault(self.src.text(name_node), name_node)
                return
            if not self.package.startswith(text + "."):
                return

    # ---- declarations ----------------------------------------------------------------------
    def declarations(self, found: dict[str, list[Node]]) -> None:
        decls: list[tuple[int, str, Node]] = []
        for cap in ("type", "method", "field", "enum_constant"):
            decls.extend((n.start_byte, cap, n) for n in found.get(cap, ()))
        decls.sort(key=lambda d: d[0])
        for _, cap, node in decls:
            owner = self._owner(node)
            if owner is False:
                self.skipped.add(node.id)
                continue
            parent_handle, owner_node = owner  # type: ignore[misc]
            if cap == "type":
                self._type(node, parent_handle, owner_node)
            elif cap == "method":
                self._method(node, parent_handle, owner_node)
            elif cap == "field":
                self._field(node, parent_handle, owner_node)
            else:
                self._enum_constant(node, parent_handle)

    def _owner(self, node: Node) -> tuple[int | None, Node | None] | bool:
        """(handle, node) of the nearest emitted enclosing declaration; False when the declaration
        lives in an anonymous class body or an enum constant's body (not emitted)."""
        child = node
        cur = node.parent
        while cur is not None:
            if child.type == "class_body" and cur.type in ("object_creation_expression", "enum_constant"):
                return False
            if cur.id in self.handles:
                return self.handles[cur.id], cur
            if cur.id in self.skipped:
                return False
            child, cur = cur, cur.parent
        return None, None

    def _common(self, node: Node, owner_node: Node | None, default: Visibility) -> tuple[_Modifiers, Visibility]:
        mods = _Modifiers(_modifiers_of(node), self.src)
        vis = mods.visibility()
        if vis is None:
            member_of_interface = owner_node is not None and owner_node.type in _PUBLIC_MEMBERS
            vis = (
                "public" if member_of_interface and node.parent is not None and node.parent.type in _BODIES else default
            )
        return mods, vis

    def _signature(self, node: Node, mods: _Modifiers, end: int) -> str:
        """Header without annotations (they are the decorators) and without the body."""
        start = node.start_byte
        prefix = ""
        if mods.node is not None:
            prefix = " ".join(mods.keywords)
            start = mods.node.end_byte
        return squash(f"{prefix} {self.src.slice(start, end)}".strip())

    def _type(self, node: Node, parent: int | None, owner_node: Node | None) -> None:
        name = self.src.text(node.child_by_field_name("name"))
        mods, vis = self._common(node, owner_node, "package")
        body = node.child_by_field_name("body")
        params = self._parameters(node.child_by_field_name("parameters")) if node.type == "record_declaration" else []
        handle = self.builder.add_symbol(
            name=name,
            kind=_TYPE_KINDS[node.type],  # type: ignore[arg-type]
            location=_location(node, mods),
            parent=parent,
            visibility=vis,
            exported=vis == "public",
            signature=self._signature(node, mods, body.start_byte if body is not None else node.end_byte),
            parameters=params,
            generics=self._generics(node.child_by_field_name("type_parameters")),
            decorators=mods.annotations,
            docstring=javadoc(node, self.src),
        )
        self.handles[node.id] = handle
        self.scopes.append((node.start_byte, node.end_byte, handle))
        if node.type == "record_declaration":
            plist = node.child_by_field_name("parameters")
            for comp, param in zip(self._parameter_nodes(plist), params, strict=True):
                self.builder.add_symbol(
                    name=param.name,
                    kind="field",
                    location=Source.loc(comp),
                    parent=handle,
                    visibility="private",
                    signature=squash(f"private final {param.type} {param.name}"),
                    decorators=_Modifiers(_modifiers_of(comp), self.src).annotations,
                )

    def _method(self, node: Node, parent: int | None, owner_node: Node | None) -> None:
        ctor = node.type in ("constructor_declaration", "compact_constructor_declaration")
        default: Visibility = (
            "private" if ctor and owner_node is not None and owner_node.type == "enum_declaration" else "package"
        )
        mods, vis = self._common(node, owner_node, default)
        body = node.child_by_field_name("body")
        end = body.start_byte if body is not None else node.end_byte
        if body is None and node.type != "annotation_type_element_declaration":
            end = node.end_byte - 1 if self.src.slice(node.end_byte - 1, node.end_byte) == ";" else node.end_byte
        rtype = node.child_by_field_name("type")
        params = self._parameters(node.child_by_field_name("parameters"))
        if node.type == "compact_constructor_declaration" and owner_node is not None:  # the canonical one
            params = self._parameters(owner_node.child_by_field_name("parameters"))
        handle = self.builder.add_symbol(
            name=self.src.text(node.child_by_field_name("name")),
            kind="method",
            location=_location(node, mods),
            parent=parent,
            visibility=vis,
            exported=vis == "public",
            signature=self._signature(node, mods, end).removesuffix(";").rstrip(),
            parameters=params,
            return_type=None if ctor or rtype is None else squash(self.src.text(rtype)),
            generics=self._generics(node.child_by_field_name("type_parameters")),
            decorators=mods.annotations,
            docstring=javadoc(node, self.src),
        )
        self.handles[node.id] = handle
        self.scopes.append((node.start_byte, node.end_byte, handle))

    def _field(self, node: Node, parent: int | None, owner_node: Node | None) -> None:
        mods, vis = self._common(node, owner_node, "package")
        in_interface = owner_node is not None and owner_node.type in _PUBLIC_MEMBERS
        constant = node.type == "constant_declaration" or in_interface or {"static", "final"} <= set(mods.keywords)
        type_node = node.child_by_field_name("type")
        type_text = squash(self.src.text(type_node)) if type_node is not None else ""
        doc = javadoc(node, self.src)
        prefix = " ".join([*mods.keywords, type_text])
        for decl in node.children_by_field_name("declarator"):
            name = self.src.text(decl.child_by_field_name("name"))
            text = self.src.text(decl)
            if len(text) > _VALUE_LIMIT and (value := decl.child_by_field_name("value")) is not None:
                text = self.src.slice(decl.start_byte, value.start_byte).rstrip() + " …"
            self.builder.add_symbol(
                name=name,
                kind="constant" if constant else "field",
                location=_location(node, mods),
                parent=parent,
                visibility=vis,
                exported=vis == "public",
                signature=squash(f"{prefix} {text}"),
                decorators=mods.annotations,
                docstring=doc,
            )

    def _enum_constant(self, node: Node, parent: int | None) -> None:
        mods = _Modifiers(_modifiers_of(node), self.src)
        body = node.child_by_field_name("body")
        end = body.start_byte if body is not None else node.end_byte
        handle = self.builder.add_symbol(
            name=self.src.text(node.child_by_field_name("name")),
            kind="enum_member",
            location=_location(node, mods),
            parent=parent,
            visibility="public",
            exported=True,
            signature=self._signature(node, mods, end),
            decorators=mods.annotations,
            docstring=javadoc(node, self.src),
        )
        self.handles[node.id] = handle

    @staticmethod
    def _parameter_nodes(plist: Node | None) -> list[Node]:
        if plist is None:
            return []
        return [c for c in plist.named_children if c.type in ("formal_parameter", "spread_parameter")]

    def _parameters(self, plist: Node | None) -> list[Parameter]:
        out: list[Parameter] = []
        for p in self._parameter_nodes(plist):
            if p.type == "formal_parameter":
                type_node = p.child_by_field_name("type")
                name_node = p.child_by_field_name("name")
                dims = p.child_by_field_name("dimensions")
                type_text = squash(self.src.text(type_node)) + (self.src.text(dims) if dims is not None else "")
                out.append(Parameter(name=self.src.text(name_node), type=type_text))
            else:
                type_node = next(
                    (c for c in p.named_children if c.type not in ("modifiers", "variable_declarator")), None
                )
                decl = next((c for c in p.named_children if c.type == "variable_declarator"), None)
                name = self.src.text(decl.child_by_field_name("name")) if decl is not None else "_"
                out.append(Parameter(name=name, type=squash(self.src.text(type_node)) + "...", kind="variadic"))
        return out

    def _generics(self, tparams: Node | None) -> list[str]:
        if tparams is None:
            return []
        return [squash(self.src.text(t)) for t in tparams.named_children if t.type == "type_parameter"]

    # ---- calls -----------------------------------------------------------------------------
    def calls(self, nodes: list[Node]) -> None:
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))  # chained calls share a start: outer first
        callers = innermost_scopes(self.scopes, [n.start_byte for n in nodes])
        for node, caller in zip(nodes, callers, strict=True):
            args = node.child_by_field_name("arguments")
            arg_count = 0 if args is None else _arg_count(args, self.src.data)
            loc = Source.loc(node)
            if node.type == "method_invocation":
                name = self.src.text(node.child_by_field_name("name"))
                obj = node.child_by_field_name("object")
                if obj is None:
                    self.builder.add_call(
                        caller=caller, callee=name, name=name, call_type="direct", arg_count=arg_count, location=loc
                    )
                else:
                    receiver = squash(self.src.text(obj))
                    self.builder.add_call(
                        caller=caller,
                        callee=f"{receiver}.{name}",
                        name=name,
                        receiver=receiver,
                        call_type="method",
                        arg_count=arg_count,
                        location=loc,
                    )
            elif node.type == "object_creation_expression":
                self._constructor_call(node, caller, arg_count)
            else:
                keyword = node.child_by_field_name("constructor")
                obj = node.child_by_field_name("object")
                name = self.src.text(keyword)
                qualifier = squash(self.src.text(obj)) if obj is not None else None
                self.builder.add_call(
                    caller=caller,
                    callee=f"{qualifier}.{name}" if qualifier else name,
                    name=name,
                    receiver=qualifier,
                    call_type="constructor",
                    arg_count=arg_count,
                    location=loc,
                )

    def _constructor_call(self, node: Node, caller: int | None, arg_count: int) -> None:
        type_node = node.child_by_field_name("type")
        while type_node is not None and type_node.type == "generic_type":
            type_node = next((c for c in type_node.named_children if c.type != "type_arguments"), None)
        if type_node is None:
            return
        callee = "".join(self.src.text(type_node).split())
        qualifier, _, name = callee.rpartition(".")
        first = node.children[0] if node.children else None
        outer = first if first is not None and first.type != "new" and first.type not in _COMMENTS else None
        receiver = squash(self.src.text(outer)) if outer is not None else (qualifier or None)
        self.builder.add_call(
            caller=caller,
            callee=f"{receiver}.{callee}" if outer is not None and receiver else callee,
            name=name,
            receiver=receiver,
            call_type="constructor",
            arg_count=arg_count,
            location=Source.loc(node),
        )
