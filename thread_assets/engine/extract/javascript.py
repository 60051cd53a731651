"""Full extraction for JavaScript, TypeScript and TSX (one grammar family, one module).

One query pass yields every definition, anonymous function, call and module statement
(``queries/<javascript|typescript>/extract.scm``; TSX uses the TypeScript query). The captures are
visited in source order from a heap while a stack of open scopes tracks which symbol encloses the
current node: enough to give parents, callers and the "not inside a function" rule for variables
without a Python walk of the whole tree. Handlers that discover a scope the query does not
capture (an object literal whose members become properties) push it onto the heap. Unused-import
detection searches the bytes for the few bound names instead of capturing every identifier.

Choices worth knowing: getters/setters are ``method`` (their signature keeps ``get``/``set``);
class fields initialised with a function are ``method``; ``const f = () => ...`` is a
``function`` at any depth (like a nested function declaration) while other locals of named
functions are not symbols; inside an anonymous wrapper at module level (IIFE, UMD factory) only
declarations whose value is a function, class or object literal are; ``super()`` is a
``constructor`` call; tagged templates and ``import()`` are not calls; object-literal members of
such variables and of ``a.b = {...}`` assignments are ``property``/``method`` of that symbol;
``Foo.prototype.m = function`` is method ``m`` of ``Foo``; ``name = function`` outside function
bodies defines function ``name`` (AMD loaders declare first, assign later); inside a function body
``a.b = function`` defines only when ``a`` is a module-level name (``local.onload = ...`` does not).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tree_sitter import Node

from ..model import SymbolKind
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, captures, squash
from .javascript_imports import call_import, import_statement, reexport, triple_slash
from .javascript_parts import (
    FUNCTION_VALUES,
    decorators,
    doc_comment,
    generics,
    header,
    member_name,
    parameters,
    type_text,
    visibility,
)

_QUERIES = Path(__file__).resolve().parent.parent / "queries"
_RANK = {"module": 0, "def": 1, "object": 2, "scope": 3, "call": 4}
_MEMBER_KINDS = frozenset({"method", "field", "property", "enum_member"})
_CONTAINER_KINDS = frozenset({"class", "interface", "enum", "constant", "variable"})
_NAME_TYPES = frozenset({"identifier", "type_identifier", "shorthand_property_identifier"})
"""Nodes that reference a name: TS type references and JSX element names (identifiers in the
tree) included, property names (``obj.x``) not."""
_DEFINING_VALUES = FUNCTION_VALUES | {"class", "object"}
_GLOBAL_OBJECTS = frozenset({"window", "global", "globalThis"})
_CHAIN_GAP = re.compile(r"\s*(\??\.)\s*")
_LAST_NAME = re.compile(r"[A-Za-z_$#][\w$]*")


@cache
def _query_text(language: str) -> str:
    folder = "javascript" if language == "javascript" else "typescript"
    return (_QUERIES / folder / "extract.scm").read_text(encoding="utf-8")


@dataclass(slots=True)
class _Scope:
    end: int
    parent: int | None
    """Handle new definitions attach to."""
    caller: int | None
    """Handle calls inside are attributed to."""
    in_function: bool
    """Inside the body of a named function or method: its variables are locals. Anonymous
    functions do not count: an IIFE or UMD factory body is a module's top level in practice."""
    kind: str
    """file | function | class | interface | object | namespace | anon."""
    node_id: int = -1


_Handler = Callable[[Node, _Scope], "_Scope | None"]
_Item = tuple[int, int, int, int, _Handler, Node]
"""(start byte, -end byte, rank, sequence, handler, node): sorts outer before inner, in source order."""


class _Extractor:
    def __init__(self, root: Node, src: Source, language: str) -> None:
        self.src = src
        self.lang = language_object(language)
        self.query = _query_text(language)
        self.root = root
        self.b = Builder()
        self.owners: dict[int, int] = {}
        """Node id of a function/class/object value -> handle of the symbol it defines."""
        self.top: dict[str, int] = {}
        self.module_names: set[str] = set()
        """Names declared at module level (also inside an IIFE/UMD wrapper), emitted or not."""
        self.exported_names: set[str] = set()
        self.excluded: list[tuple[int, int]] = []
        self.heap: list[_Item] = []
        self.seq = 0
        self._definitions: dict[str, _Handler] = {
            "function_declaration": self._function,
            "generator_function_declaration": self._function,
            "function_signature": self._function,
            "class_declaration": self._class_declaration,
            "abstract_class_declaration": self._class_declaration,
            "method_definition": self._method,
            "method_signature": self._method,
            "abstract_method_signature": self._method,
            "construct_signature": self._method,
            "public_field_definition": self._field,
            "field_definition": self._field,
            "property_signature": self._field,
            "lexical_declaration": self._variables,
            "variable_declaration": self._variables,
            "assignment_expression": self._assignment_statement,
            "interface_declaration": self._interface,
            "type_alias_declaration": self._type_alias,
            "enum_declaration": self._enum,
            "internal_module": self._namespace,
            "module": self._namespace,
        }
        """Handler per @def node type (the query's @def patterns, one entry each)."""

    # -- driver -------------------------------------------------------------------------------

    def run(self) -> Extraction:
        """Visit the captures in source order (outer before inner); object literals that handlers
        push while visiting are merged in from a small heap."""
        triple_slash(self.b, self.src, self.root)
        caps = captures(self.lang, self.query, self.root)
        definitions = self._definitions
        items: list[_Item] = []
        seq = 0
        fixed: tuple[tuple[str, _Handler | None], ...] = (
            ("module", self._module),
            ("def", None),
            ("scope", self._scope),
            ("call", self._call),
        )
        for cap, handler in fixed:
            rank = _RANK[cap]
            for n in caps.get(cap, ()):
                seq += 1
                items.append((n.start_byte, -n.end_byte, rank, seq, handler or definitions.get(n.type, _skip), n))
        self.seq = seq
        items.sort()
        pending = self.heap
        stack = [_Scope(end=1 << 62, parent=None, caller=None, in_function=False, kind="file")]
        top = stack[-1]
        for item in items:
            while pending and pending[0] < item:
                start, _e, _r, _s, visit, node = heapq.heappop(pending)
                while top.end <= start:
                    stack.pop()
                    top = stack[-1]
                pushed = visit(node, top)
                if pushed is not None:
                    stack.append(pushed)
                    top = pushed
            start = item[0]
            while top.end <= start:
                stack.pop()
                top = stack[-1]
            pushed = item[4](item[5], top)
            if pushed is not None:
                stack.append(pushed)
                top = pushed
        while pending:
            start, _e, _r, _s, visit, node = heapq.heappop(pending)
            while top.end <= start:
                stack.pop()
                top = stack[-1]
            pushed = visit(node, top)
            if pushed is not None:
                stack.append(pushed)
                top = pushed
        self._propagate_exports()
        return self.b.finish(self._used_names())

    def _push_object(self, node: Node) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (node.start_byte, -node.end_byte, _RANK["object"], self.seq, self._object, node))

    def _add(self, node: Node, name: str, kind: SymbolKind, scope: _Scope, **kw: object) -> int:
        handle = self.b.add_symbol(name=name, kind=kind, location=self.src.loc(node), parent=scope.parent, **kw)  # type: ignore[arg-type]
        if scope.parent is None and name not in self.top:
            self.top[name] = handle
        return handle

    def _exported(self, node: Node, scope: _Scope) -> bool:
        parent = node.parent
        if parent is None or parent.type != "export_statement":
            return False
        if scope.parent is None:
            return True
        owner = self.b.symbols[scope.parent]
        return owner.exported or owner.kind == "module"

    # -- definitions --------------------------------------------------------------------------

    def _class_declaration(self, node: Node, scope: _Scope) -> _Scope:
        return self._class(node, scope, self.src.text(node.child_by_field_name("name")) or "default")

    def _assignment_statement(self, node: Node, scope: _Scope) -> None:
        """Only a whole statement defines: ``f(a = 1)`` or ``x = y = 2``'s inner part do not.
        (Matching ``(expression_statement (assignment_expression))`` in the query costs more.)"""
        parent = node.parent
        if parent is not None and parent.type == "expression_statement":
            self._assignment(node, scope)

    def _interface(self, node: Node, scope: _Scope) -> _Scope:
        return self._simple_type(node, scope, "interface", node.child_by_field_name("body"))

    def _type_alias(self, node: Node, scope: _Scope) -> None:
        self._simple_type(node, scope, "type_alias", node.child_by_field_name("value"))

    def _function(self, node: Node, scope: _Scope, name: str | None = None) -> _Scope | None:
        src = self.src
        body = node.child_by_field_name("body")
        handle = self._add(
            node,
            name or src.text(node.child_by_field_name("name")),
            "function",
            scope,
            signature=header(src, node, body),
            parameters=parameters(src, node.child_by_field_name("parameters")),
            return_type=type_text(src, node.child_by_field_name("return_type")),
            generics=generics(src, node),
            decorators=decorators(src, node),
            docstring=doc_comment(src, node),
            exported=self._exported(node, scope),
        )
        if body is None:
            return None
        return _Scope(node.end_byte, handle, handle, True, "function", node.id)

    def _class(
        self, node: Node, scope: _Scope, name: str, signature: str | None = None, exported: bool | None = None
    ) -> _Scope:
        src = self.src
        body = node.child_by_field_name("body")
        handle = self._add(
            node,
            name,
            "class",
            scope,
            signature=signature or header(src, node, body),
            generics=generics(src, node),
            decorators=decorators(src, node),
            docstring=doc_comment(src, node),
            exported=self._exported(node, scope) if exported is None else exported,
        )
        return _Scope(node.end_byte, handle, handle, False, "class", node.id)

    def _simple_type(self, node: Node, scope: _Scope, kind: SymbolKind, body: Node | None) -> _Scope:
        src = self.src
        handle = self._add(
            node,
            src.text(node.child_by_field_name("name")),
            kind,
            scope,
            signature=header(src, node, body),
            generics=generics(src, node),
            docstring=doc_comment(src, node),
            exported=self._exported(node, scope),
        )
        return _Scope(node.end_byte, handle, scope.caller, False, kind, node.id)

    def _enum(self, node: Node, scope: _Scope) -> None:
        body = node.child_by_field_name("body")
        enum_scope = self._simple_type(node, scope, "enum", body)
        if body is None:
            return
        for member in body.named_children:
            name_node = member.child_by_field_name("name") if member.type == "enum_assignment" else member
            if name_node is None or name_node.type == "comment":
                continue
            self._add(
                member,
                member_name(self.src, name_node),
                "enum_member",
                enum_scope,
                signature=squash(self.src.text(member)),
                docstring=doc_comment(self.src, member),
            )

    def _namespace(self, node: Node, scope: _Scope) -> _Scope:
        name_node = node.child_by_field_name("name")
        kind: SymbolKind = "module" if name_node is not None and name_node.type == "string" else "namespace"
        body = node.child_by_field_name("body")
        handle = self._add(
            node,
            member_name(self.src, name_node),
            kind,
            scope,
            signature=header(self.src, node, body),
            docstring=doc_comment(self.src, node),
            exported=self._exported(node, scope)
            or (node.parent is not None and node.parent.type == "ambient_declaration"),
        )
        return _Scope(node.end_byte, handle, scope.caller, False, "namespace", node.id)

    @staticmethod
    def _direct_member(node: Node, scope: _Scope) -> bool:
        if scope.kind not in ("class", "interface", "object"):
            return False
        parent = node.parent
        if parent is None:
            return False
        if parent.id == scope.node_id:
            return True
        grand = parent.parent
        return grand is not None and grand.id == scope.node_id

    def _method(self, node: Node, scope: _Scope) -> _Scope | None:
        body = node.child_by_field_name("body")
        if not self._direct_member(node, scope):
            if body is None:
                return None
            return _Scope(node.end_byte, scope.parent, scope.caller, scope.in_function, "anon", node.id)
        src = self.src
        name = "new" if node.type == "construct_signature" else member_name(src, node.child_by_field_name("name"))
        params = node.child_by_field_name("parameters")
        handle = self._add(
            node,
            name,
            "method",
            scope,
            visibility=visibility(src, node, name),
            signature=header(src, node, body),
            parameters=parameters(src, params),
            return_type=type_text(src, node.child_by_field_name("return_type")),
            generics=generics(src, node),
            decorators=decorators(src, node),
            docstring=doc_comment(src, node),
        )
        if name == "constructor" and params is not None:
            self._parameter_properties(params, scope)
        if body is None:
            return None
        return _Scope(node.end_byte, handle, handle, True, "function", node.id)

    def _parameter_properties(self, params: Node, scope: _Scope) -> None:
        """``constructor(private x: T, readonly y = 1)`` declares fields ``x`` and ``y``."""
        src = self.src
        for param in params.named_children:
            if param.type not in ("required_parameter", "optional_parameter"):
                continue
            if not any(c.type in ("accessibility_modifier", "readonly", "override_modifier") for c in param.children):
                continue
            pattern = param.child_by_field_name("pattern")
            if pattern is None or pattern.type != "identifier":
                continue
            name = src.text(pattern)
            value = param.child_by_field_name("value")
            self._add(
                param,
                name,
                "field",
                scope,
                visibility=visibility(src, param, name),
                signature=header(src, param, value),
                decorators=decorators(src, param),
            )

    def _field(self, node: Node, scope: _Scope) -> None:
        if not self._direct_member(node, scope):
            return
        src = self.src
        name_node = node.child_by_field_name("name") or node.child_by_field_name("property")
        name = member_name(src, name_node)
        value = node.child_by_field_name("value")
        function = value if value is not None and value.type in FUNCTION_VALUES else None
        common = {
            "visibility": visibility(src, node, name),
            "signature": header(src, node, function.child_by_field_name("body") if function else value),
            "decorators": decorators(src, node),
            "docstring": doc_comment(src, node),
        }
        if function is not None:
            self.owners[function.id] = self._add(
                node,
                name,
                "method",
                scope,
                parameters=parameters(src, function.child_by_field_name("parameters")),
                return_type=type_text(src, function.child_by_field_name("return_type")),
                generics=generics(src, function),
                **common,  # type: ignore[arg-type]
            )
            return
        kind: SymbolKind = "property" if node.type == "property_signature" else "field"
        self._add(node, name, kind, scope, **common)  # type: ignore[arg-type]

    def _variables(self, node: Node, scope: _Scope) -> None:
        local = scope.in_function or scope.kind not in ("file", "namespace", "anon")
        if local:
            # Locals only matter when one holds a function; its text then has ``function`` or ``=>``.
            # This byte test settles most local declarations without touching the tree.
            data, start, end = self.src.data, node.start_byte, node.end_byte
            if data.find(b"=>", start, end) < 0 and data.find(b"function", start, end) < 0:
                return
        parent = node.parent
        if parent is None or parent.type not in (
            "program",
            "export_statement",
            "statement_block",
            "ambient_declaration",
        ):
            return
        # In an anonymous function at module level (IIFE, UMD factory) only declarations whose value
        # is a definition (function, class, object literal) are the module's symbols.
        wrapped = not local and scope.kind == "anon"
        declarators = [c for c in node.named_children if c.type == "variable_declarator"]
        if not local:
            for decl in declarators:
                target = decl.child_by_field_name("name")
                if target is not None and target.type == "identifier":
                    self.module_names.add(self.src.text(target))
        single = len(declarators) == 1  # one declarator: its symbol spans the statement (keyword, doc)
        if local or wrapped:
            wanted = FUNCTION_VALUES if local else _DEFINING_VALUES
            declarators = [d for d in declarators if _value_type(d) in wanted]
            if not declarators:
                return
        src = self.src
        keyword = src.text(node.children[0]) if node.children else "var"
        exported = self._exported(node, scope)
        doc = doc_comment(src, node)
        for decl in declarators:
            target = decl.child_by_field_name("name")
            value = decl.child_by_field_name("value")
            where = node if single else decl
            if target is None or (
                local and (value is None or value.type not in FUNCTION_VALUES or target.type != "identifier")
            ):
                continue
            if wrapped and (value is None or value.type not in _DEFINING_VALUES or target.type != "identifier"):
                continue
            if target.type != "identifier":
                for ident in _pattern_names(target):
                    kind: SymbolKind = "constant" if keyword == "const" else "variable"
                    self._add(
                        ident,
                        src.text(ident),
                        kind,
                        scope,
                        signature=f"{keyword} {squash(src.text(target))}",
                        exported=exported,
                        docstring=doc,
                    )
                continue
            name = src.text(target)
            if value is not None and value.type in FUNCTION_VALUES:
                self.owners[value.id] = self._add(
                    where,
                    name,
                    "function",
                    scope,
                    signature=f"{keyword} {header(src, decl, value.child_by_field_name('body'))}",
                    parameters=parameters(
                        src, value.child_by_field_name("parameters") or value.child_by_field_name("parameter")
                    ),
                    return_type=type_text(src, value.child_by_field_name("return_type")),
                    generics=generics(src, value),
                    docstring=doc,
                    exported=exported,
                )
                continue
            if value is not None and value.type == "class":
                self.owners[value.id] = self._class(
                    value, scope, name, f"{keyword} {header(src, decl, value.child_by_field_name('body'))}", exported
                ).parent  # type: ignore[assignment]
                continue
            kind = "constant" if keyword == "const" else "variable"
            handle = self._add(
                where,
                name,
                kind,
                scope,
                signature=f"{keyword} {header(src, decl, value)}",
                docstring=doc,
                exported=exported,
            )
            if value is not None and value.type == "object":
                self.owners[value.id] = handle
                self._push_object(value)

    def _object(self, node: Node, scope: _Scope) -> _Scope | None:
        """Members of an object literal that defines a symbol: ``key: value`` pairs become
        properties (methods when the value is a function); shorthand methods come through
        ``_method`` with this scope on top."""
        owner = self.owners.pop(node.id, None)
        if owner is None:
            return None
        src = self.src
        inner = _Scope(node.end_byte, owner, scope.caller, scope.in_function, "object", node.id)
        for member in node.named_children:
            if member.type == "pair":
                key, value = member.child_by_field_name("key"), member.child_by_field_name("value")
                name = member_name(src, key)
                if value is not None and value.type in FUNCTION_VALUES:
                    self.owners[value.id] = self._add(
                        member,
                        name,
                        "method",
                        inner,
                        signature=header(src, member, value.child_by_field_name("body")),
                        parameters=parameters(
                            src, value.child_by_field_name("parameters") or value.child_by_field_name("parameter")
                        ),
                        return_type=type_text(src, value.child_by_field_name("return_type")),
                        docstring=doc_comment(src, member),
                    )
                    continue
                handle = self._add(
                    member, name, "property", inner, signature=squash(src.text(key)), docstring=doc_comment(src, member)
                )
                if value is not None and value.type == "object":
                    self.owners[value.id] = handle
                    self._push_object(value)
            elif member.type == "shorthand_property_identifier":
                self._add(member, src.text(member), "property", inner, signature=src.text(member))
        return inner

    def _assignment(self, assign: Node, scope: _Scope) -> None:
        """CommonJS exports and ``Foo.prototype.bar = function`` / ``this.x = function``."""
        left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
        if left is None or right is None:
            return
        src = self.src
        if left.type == "identifier":
            # ``var define; ... define = function () {}`` at module level (AMD loaders, UMD wrappers)
            if right.type in FUNCTION_VALUES and not scope.in_function and scope.kind in ("file", "namespace", "anon"):
                self.owners[right.id] = self._add(
                    assign,
                    src.text(left),
                    "function",
                    scope,
                    signature=header(src, assign, right.child_by_field_name("body")),
                    parameters=parameters(
                        src, right.child_by_field_name("parameters") or right.child_by_field_name("parameter")
                    ),
                    docstring=doc_comment(src, assign.parent) if assign.parent is not None else None,
                )
            return
        if left.type != "member_expression":
            return
        if right.type not in _DEFINING_VALUES and not src.data.startswith((b"module", b"exports"), left.start_byte):
            return  # a plain value on a member: only CommonJS exports of a name matter (below)
        target = squash(src.text(left))
        prop = left.child_by_field_name("property")
        name = src.text(prop)
        if target == "module.exports":
            self._commonjs_default(right)
            return
        exported = target.startswith(("exports.", "module.exports."))
        owner_path = target.rsplit(".", 1)[0].replace(".prototype", "")
        parent: int | None = None
        qualified: str | None = None
        if exported:
            if right.type == "identifier":
                self.exported_names.add(src.text(right))
            qualified = name
        elif owner_path == "this":
            parent = scope.parent  # None in an anonymous function: the member stands alone
        elif owner_path in self.top:
            parent = self.top[owner_path]
        elif scope.in_function and not self._module_level(owner_path.split(".", 1)[0]):
            return  # ``local.onload = function`` in a function body: state of a local, not a definition
        else:
            qualified = f"{owner_path}.{name}"
        if right.type in FUNCTION_VALUES:
            kind: SymbolKind = "function" if exported or owner_path in _GLOBAL_OBJECTS else "method"
            self.owners[right.id] = self.b.add_symbol(
                name=name,
                kind=kind,
                location=src.loc(assign),
                parent=parent,
                qualified_name=qualified,
                signature=header(src, assign, right.child_by_field_name("body")),
                parameters=parameters(
                    src, right.child_by_field_name("parameters") or right.child_by_field_name("parameter")
                ),
                docstring=doc_comment(src, assign.parent) if assign.parent is not None else None,
                exported=exported,
            )
        elif right.type == "object":
            if target.endswith(".prototype") and target[: -len(".prototype")] in self.top:
                self.owners[right.id] = self.top[target[: -len(".prototype")]]
            else:
                kind = "property" if owner_path == "this" else "variable"
                self.owners[right.id] = self.b.add_symbol(
                    name=name,
                    kind=kind,
                    location=src.loc(assign),
                    parent=parent,
                    qualified_name=qualified,
                    signature=header(src, assign, right),
                    docstring=doc_comment(src, assign.parent) if assign.parent is not None else None,
                    exported=exported,
                )
            self._push_object(right)

    def _module_level(self, name: str) -> bool:
        return name in self.top or name in self.module_names or name in _GLOBAL_OBJECTS

    def _commonjs_default(self, value: Node) -> None:
        if value.type == "identifier":
            self.exported_names.add(self.src.text(value))
        elif value.type == "object":
            for member in value.named_children:
                if member.type == "shorthand_property_identifier":
                    self.exported_names.add(self.src.text(member))
                elif member.type == "pair":
                    inner = member.child_by_field_name("value")
                    if inner is not None and inner.type == "identifier":
                        self.exported_names.add(self.src.text(inner))

    # -- anonymous scopes, calls, module statements -------------------------------------------

    def _scope(self, node: Node, scope: _Scope) -> _Scope:
        owner = self.owners.pop(node.id, None)
        is_class = node.type == "class"
        if owner is not None:
            return _Scope(node.end_byte, owner, owner, not is_class, "class" if is_class else "function", node.id)
        parent = node.parent
        if is_class and node.child_by_field_name("name") is not None:
            return self._class(node, scope, self.src.text(node.child_by_field_name("name")) or "default")
        if parent is not None and parent.type == "export_statement":
            if is_class:
                return self._class(node, scope, "default", exported=True)
            pushed = self._function(node, scope, "default")
            if pushed is not None:
                return pushed
        return _Scope(node.end_byte, scope.parent, scope.caller, scope.in_function, "anon", node.id)

    def _call(self, node: Node, scope: _Scope) -> None:
        data = self.src.data
        if node.type == "new_expression":
            fn = node.child_by_field_name("constructor")
            if fn is None:
                return
            args = node.child_by_field_name("arguments")
            call_type = "constructor"
            fn_type = fn.type
        else:
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if fn is None or args is None or args.type == "template_string":
                return
            fn_type = fn.type
            call_type = "direct"
            if fn_type == "import":
                self._excluded(call_import(self.b, self.src, node, args, dynamic=True))
                return
            if fn_type == "identifier" and data[fn.start_byte : fn.end_byte] == b"require":
                self._excluded(call_import(self.b, self.src, node, args, dynamic=False))
        receiver: str | None = None
        if fn_type == "member_expression":
            obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
            callee = _tidy(data[fn.start_byte : fn.end_byte].decode("utf-8", "replace"))
            if obj is not None:
                receiver = _tidy(data[obj.start_byte : obj.end_byte].decode("utf-8", "replace"))
            name = "" if prop is None else data[prop.start_byte : prop.end_byte].decode("utf-8", "replace")
            if call_type == "direct":
                call_type = "method"
        elif fn_type == "identifier" or fn_type == "super":
            callee = name = data[fn.start_byte : fn.end_byte].decode("utf-8", "replace")
            if fn_type == "super":
                call_type = "constructor"
        else:
            inner = _unwrap(fn) if fn_type == "parenthesized_expression" else fn
            inner_type = inner.type
            if inner_type in _DEFINING_VALUES:
                # An IIFE or ``new (class {...})()``: the callee would be the definition's whole text.
                callee = name = "(class)" if inner_type == "class" else "(function)"
            else:
                callee = _tidy(data[fn.start_byte : fn.end_byte].decode("utf-8", "replace"))
                found = _LAST_NAME.findall(callee)
                name = found[-1] if found else callee
        arg_count = 0
        if args is not None:
            arg_count = args.named_child_count
            if arg_count and data.find(b"/", args.start_byte, args.end_byte) >= 0:
                arg_count = sum(1 for a in args.named_children if a.type != "comment")
        self.b.add_call(
            caller=scope.caller,
            callee=callee,
            name=name,
            receiver=receiver,
            call_type=call_type,  # type: ignore[arg-type]
            arg_count=arg_count,
            location=Source.loc(node),
        )

    def _module(self, node: Node, scope: _Scope) -> None:
        if node.type == "import_statement":
            self._excluded(import_statement(self.b, self.src, node))
            return
        if node.child_by_field_name("source") is not None:
            self._excluded(reexport(self.b, self.src, node))
            return
        for part in node.named_children:
            if part.type == "export_clause":
                for spec in part.named_children:
                    name = spec.child_by_field_name("name")
                    if spec.type == "export_specifier" and name is not None:
                        self.exported_names.add(self.src.text(name))
            elif part.type == "identifier":
                self.exported_names.add(self.src.text(part))

    def _excluded(self, span: tuple[int, int] | None) -> None:
        if span is not None:
            self.excluded.append(span)

    # -- finishing ----------------------------------------------------------------------------

    def _propagate_exports(self) -> None:
        """``export {a}`` / ``module.exports = a`` export what was declared elsewhere; members of an
        exported container are exported when public (parents precede children in the list)."""
        drafts = self.b.symbols
        for name in self.exported_names:
            handle = self.top.get(name)
            if handle is not None:
                drafts[handle].exported = True
        for d in drafts:
            if d.parent is not None and d.kind in _MEMBER_KINDS:
                owner = drafts[d.parent]
                if owner.kind in _CONTAINER_KINDS:
                    d.exported = owner.exported and d.visibility == "public"

    def _used_names(self) -> set[str]:
        """Which bound names occur as an identifier outside the import statements. Searches the bytes
        for the few bound names and asks the tree only about the hits: capturing every identifier
        in the query would cost more than the rest of the extraction. (One regex over all names was
        measured slower: compiling it per file costs more than a few ``bytes.find`` loops.)"""
        bound = {imp.bound for imp in self.b.imports if imp.bound}
        if not bound:
            return set()
        spans = sorted(self.excluded)
        starts = [s for s, _ in spans]
        data = self.src.data
        used: set[str] = set()
        for name in bound:
            needle = name.encode()
            pos = data.find(needle)
            while pos >= 0:
                end = pos + len(needle)
                i = bisect_right(starts, pos) - 1
                if not (i >= 0 and end <= spans[i][1]) and self._is_name_at(pos, end):
                    used.add(name)
                    break
                pos = data.find(needle, end)
        return used

    def _is_name_at(self, start: int, end: int) -> bool:
        data = self.src.data
        if start and (data[start - 1 : start].isalnum() or data[start - 1] in b"_$#"):
            return False
        if end < len(data) and (data[end : end + 1].isalnum() or data[end] in b"_$"):
            return False
        node = self.root.named_descendant_for_byte_range(start, end)
        return node is not None and node.type in _NAME_TYPES and node.start_byte == start and node.end_byte == end


def _skip(node: Node, scope: _Scope) -> None:
    return None


def _tidy(text: str) -> str:
    """Squash an expression's whitespace; a chain split over lines reads ``a.b().c``, not
    ``a .b() .c``. Single-line text without double spaces (nearly all of it) is returned as is."""
    if "\n" in text:
        return _CHAIN_GAP.sub(r"\1", squash(text))
    if "  " in text or "\t" in text or "\r" in text:
        return squash(text)
    return text


def _value_type(declarator: Node) -> str | None:
    value = declarator.child_by_field_name("value")
    return None if value is None else value.type


def _unwrap(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count:
        node = node.named_children[0]
    return node


def _pattern_names(pattern: Node) -> list[Node]:
    """Identifiers a destructuring pattern binds (defaults and keys left out)."""
    out: list[Node] = []
    todo = [pattern]
    while todo:
        n = todo.pop()
        t = n.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            out.append(n)
        elif t == "pair_pattern":
            value = n.child_by_field_name("value")
            if value is not None:
                todo.append(value)
        elif t in ("assignment_pattern", "object_assignment_pattern"):
            left = n.child_by_field_name("left")
            if left is not None:
                todo.append(left)
        elif t in ("object_pattern", "array_pattern", "rest_pattern"):
            todo.extend(reversed(n.named_children))
    out.sort(key=lambda x: x.start_byte)
    return out


def extract(root: Node, src: Source, language: str) -> Extraction:
    return _Extractor(root, src, language).run()
