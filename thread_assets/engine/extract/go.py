"""Go: symbols, imports and calls.

Modelling choices (Go has no classes, so some kinds are a choice):
- ``type X struct{...}`` is a struct, ``type X interface{...}`` an interface (its methods are
  methods), every other type declaration, defined (``type X int``) or alias (``type A = B``), is a
  ``type_alias``; the signature (``type X int`` vs ``type A = B``) tells them apart.
- Methods are qualified by their receiver type (``Type.Method``); the type's symbol is the parent
  when it is declared in the same file, else the method has no parent but keeps that qualified
  name. The receiver is the first parameter, of kind ``receiver``.
- Struct fields, embedded fields (named after their type) and fields of anonymous struct types
  nested in a field's type are fields. Declarations inside function bodies are locals: not emitted.
- Exported (capitalised) names are public and exported; the rest are ``package`` (package-private).
- Imports bind the package: ``bound`` is the alias, else a guess of the package name from the
  path (last element, skipping a ``/vN`` major-version suffix). Dot imports are wildcard, blank
  imports side-effect.
- Calls: ``f()`` direct; ``pkg.F()`` where ``pkg`` is an imported package name is direct with
  ``receiver=pkg`` (it is a qualified function, not a method); any other ``x.M()`` is a method
  call. Conversions like ``T(x)`` are indistinguishable from calls without type information and
  are recorded as direct calls; composite literals are not calls.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tree_sitter import Node

from ..model import Parameter
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, captures, squash
from .go_java_scopes import innermost_scopes

_QUERIES = Path(__file__).resolve().parent.parent / "queries" / "go"
_IDENT = re.compile(r"[^\W\d]\w*")
_DIRECTIVE = re.compile(r"//(go:|line |export |extern |[a-z0-9]+:[a-z0-9])")
_MAJOR_VERSION = re.compile(r"v[0-9]+")
_VALUE_LIMIT = 120
"""Const/var signatures include the value only when the whole spec is this short."""


@cache
def _query(name: str) -> str:
    return (_QUERIES / f"{name}.scm").read_text(encoding="utf-8")


def extract(root: Node, src: Source, language: str) -> Extraction:
    lang = language_object(language)
    ex = _GoExtractor(src)
    ex.run(root)
    found = captures(lang, _query("refs"), root)
    ex.collect_calls(found.get("call", []), found.get("conv", []))
    return ex.builder.finish({src.text(n) for n in found.get("use", ())})


def package_name_guess(path: str) -> str:
    """The name an import binds without an alias: Go takes it from the package clause of the
    imported files, which an extractor cannot see; the path's last element (minus ``/vN``,
    ``.vN`` and ``go-`` decorations) is right for the overwhelming majority of packages."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return path
    last = parts[-1]
    if _MAJOR_VERSION.fullmatch(last) and len(parts) > 1:
        last = parts[-2]
    last = re.sub(r"\.v[0-9]+$", "", last)
    last = last.removeprefix("go-").removesuffix("-go").removesuffix(".go")
    return last.replace("-", "_").replace(".", "_") or parts[-1]


def is_exported(name: str) -> bool:
    return bool(name) and name[0].isupper()


def doc_comment(node: Node, src: Source) -> str | None:
    """Comment lines directly above ``node`` (no blank line), minus compiler directives
    (``//go:generate``, ``//nolint:x``), which Go's own doc tooling drops too."""
    lines: list[str] = []
    prev = node.prev_sibling
    expected_row = node.start_point[0] - 1
    while prev is not None and prev.type == "comment" and prev.end_point[0] == expected_row:
        if prev.start_point[0] == node.start_point[0]:
            break
        text = src.text(prev)
        if text.startswith("/*"):
            body = text[2:-2] if text.endswith("*/") else text[2:]
            cleaned = [ln.strip().removeprefix("*").strip() for ln in body.splitlines()]
            lines[:0] = cleaned
        elif not _DIRECTIVE.match(text):
            lines.insert(0, text[2:].removeprefix(" ").rstrip())
        expected_row = prev.start_point[0] - 1
        prev = prev.prev_sibling
    doc = "\n".join(lines).strip()
    return doc or None


def _arg_count(args: Node, data: bytes) -> int:
    """Named children minus comments; the child list is only materialised when a comment can be
    there at all (``/`` in the argument text), which is rare."""
    n = args.named_child_count
    if n and b"/" in data[args.start_byte : args.end_byte]:
        n = sum(1 for c in args.named_children if c.type != "comment")
    return n


def _header(node: Node, body: Node | None, src: Source) -> str:
    end = body.start_byte if body is not None else node.end_byte
    return squash(src.slice(node.start_byte, end))


def _visibility(name: str) -> tuple[str, bool]:
    return ("public", True) if is_exported(name) else ("package", False)


def _type_base_name(node: Node | None, src: Source) -> str:
    """``*pkg.T[K]`` -> ``T``: the named type under pointers, qualifiers and type arguments."""
    while node is not None:
        t = node.type
        if t in ("type_identifier", "identifier", "field_identifier"):
            return src.text(node)
        if t == "qualified_type":
            node = node.child_by_field_name("name")
        elif t == "generic_type":
            node = node.child_by_field_name("type")
        elif t in ("pointer_type", "parenthesized_type", "type_elem"):
            node = next((c for c in node.named_children if c.type != "comment"), None)
        else:
            break
    return ""


class _GoExtractor:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.builder = Builder()
        self.types: dict[str, int] = {}
        self.packages: set[str] = set()
        self.scopes: list[tuple[int, int, int]] = []
        self.pending_methods: dict[str, list[Node]] = {}

    # ---- top level -------------------------------------------------------------------------
    def run(self, root: Node) -> None:
        declared_later = self._declared_type_names(root)
        for node in root.named_children:
            t = node.type
            if t == "import_declaration":
                self._imports(node)
            elif t == "function_declaration":
                self._function(node)
            elif t == "method_declaration":
                recv = self._receiver_type(node)
                if recv and recv not in self.types and recv in declared_later:
                    self.pending_methods.setdefault(recv, []).append(node)
                else:
                    self._method(node, recv)
            elif t == "type_declaration":
                for spec in node.named_children:
                    if spec.type in ("type_spec", "type_alias"):
                        self._type_spec(spec, node)
            elif t in ("const_declaration", "var_declaration"):
                self._values(node)
        for recv in sorted(self.pending_methods):  # types that never materialised (syntax errors)
            for m in self.pending_methods.pop(recv):
                self._method(m, recv)

    @staticmethod
    def _declared_type_names(root: Node) -> set[str]:
        names: set[str] = set()
        for node in root.named_children:
            if node.type == "type_declaration":
                for spec in node.named_children:
                    name = spec.child_by_field_name("name")
                    if name is not None:
                        names.add(name.text.decode("utf-8", "replace") if name.text else "")
        return names

    # ---- imports ---------------------------------------------------------------------------
    def _imports(self, decl: Node) -> None:
        specs: list[Node] = []
        for child in decl.named_children:
            if child.type == "import_spec":
                specs.append(child)
            elif child.type == "import_spec_list":
                specs.extend(c for c in child.named_children if c.type == "import_spec")
        for spec in specs:
            path_node = spec.child_by_field_name("path")
            if path_node is None:
                continue
            path = self.src.text(path_node).strip('"`')
            name_node = spec.child_by_field_name("name")
            loc = Source.loc(spec)
            if name_node is None:
                bound = package_name_guess(path)
                self.packages.add(bound)
                self.builder.add_import(module=path, kind="absolute", bound=bound, location=loc)
            elif name_node.type == "dot":
                self.builder.add_import(module=path, kind="wildcard", alias=".", location=loc)
            elif name_node.type == "blank_identifier":
                self.builder.add_import(module=path, kind="side_effect", alias="_", location=loc)
            else:
                alias = self.src.text(name_node)
                self.packages.add(alias)
                self.builder.add_import(module=path, kind="absolute", alias=alias, bound=alias, location=loc)

    # ---- functions and methods -------------------------------------------------------------
    def _function(self, node: Node) -> None:
        name = self.src.text(node.child_by_field_name("name"))
        vis, exported = _visibility(name)
        body = node.child_by_field_name("body")
        handle = self.builder.add_symbol(
            name=name,
            kind="function",
            location=Source.loc(node),
            visibility=vis,  # type: ignore[arg-type]
            exported=exported,
            signature=_header(node, body, self.src),
            parameters=self._parameters(node.child_by_field_name("parameters")),
            return_type=self._result(node),
            generics=self._type_params(node.child_by_field_name("type_parameters")),
            docstring=doc_comment(node, self.src),
        )
        self.scopes.append((node.start_byte, node.end_byte, handle))

    def _receiver_type(self, node: Node) -> str:
        recv = node.child_by_field_name("receiver")
        if recv is None:
            return ""
        decl = next((c for c in recv.named_children if c.type == "parameter_declaration"), None)
        return _type_base_name(decl.child_by_field_name("type"), self.src) if decl is not None else ""

    def _method(self, node: Node, recv_type: str) -> None:
        name = self.src.text(node.child_by_field_name("name"))
        vis, exported = _visibility(name)
        body = node.child_by_field_name("body")
        parent = self.types.get(recv_type)
        receiver = [
            Parameter(name=p.name, type=p.type, kind="receiver")
            for p in self._parameters(node.child_by_field_name("receiver"))
        ]
        handle = self.builder.add_symbol(
            name=name,
            kind="method",
            location=Source.loc(node),
            parent=parent,
            qualified_name=f"{recv_type}.{name}" if recv_type else name,
            visibility=vis,  # type: ignore[arg-type]
            exported=exported,
            signature=_header(node, body, self.src),
            parameters=receiver + self._parameters(node.child_by_field_name("parameters")),
            return_type=self._result(node),
            docstring=doc_comment(node, self.src),
        )
        self.scopes.append((node.start_byte, node.end_byte, handle))

    def _parameters(self, plist: Node | None) -> list[Parameter]:
        out: list[Parameter] = []
        if plist is None:
            return out
        for decl in plist.named_children:
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            type_node = decl.child_by_field_name("type")
            type_text = squash(self.src.text(type_node)) if type_node is not None else None
            variadic = decl.type == "variadic_parameter_declaration"
            if variadic and type_text is not None:
                type_text = "..." + type_text
            kind = "variadic" if variadic else "positional"
            names = decl.children_by_field_name("name")
            if not names:
                out.append(Parameter(name="_", type=type_text, kind=kind))
            for n in names:
                out.append(Parameter(name=self.src.text(n), type=type_text, kind=kind))
        return out

    def _result(self, node: Node) -> str | None:
        result = node.child_by_field_name("result")
        return squash(self.src.text(result)) if result is not None else None

    def _type_params(self, plist: Node | None) -> list[str]:
        out: list[str] = []
        if plist is None:
            return out
        for decl in plist.named_children:
            if decl.type != "type_parameter_declaration":
                continue
            constraint = decl.child_by_field_name("type")
            bound = squash(self.src.text(constraint)) if constraint is not None else ""
            for n in decl.children_by_field_name("name"):
                out.append(f"{self.src.text(n)} {bound}".strip())
        return out

    # ---- types -----------------------------------------------------------------------------
    def _type_spec(self, spec: Node, decl: Node) -> None:
        name_node = spec.child_by_field_name("name")
        if name_node is None:
            return
        name = self.src.text(name_node)
        type_node = spec.child_by_field_name("type")
        vis, exported = _visibility(name)
        ttype = type_node.type if type_node is not None else ""
        is_alias = spec.type == "type_alias"
        kind = "struct" if ttype == "struct_type" and not is_alias else "type_alias"
        if ttype == "interface_type" and not is_alias:
            kind = "interface"
        body: Node | None = None
        if kind == "struct" and type_node is not None:
            body = next((c for c in type_node.named_children if c.type == "field_declaration_list"), None)
        elif kind == "interface" and type_node is not None:
            body = next((c for c in type_node.children if c.type == "{"), None)
        grouped = any(c.type == "(" for c in decl.children)
        start = spec.start_byte if grouped else decl.start_byte
        header = self.src.slice(start, body.start_byte if body is not None else spec.end_byte)
        signature = squash(header if not grouped else "type " + header)
        doc = doc_comment(spec, self.src) if grouped else doc_comment(decl, self.src)
        handle = self.builder.add_symbol(
            name=name,
            kind=kind,  # type: ignore[arg-type]
            location=Source.loc(spec if grouped else decl),
            visibility=vis,  # type: ignore[arg-type]
            exported=exported,
            signature=signature,
            generics=self._type_params(spec.child_by_field_name("type_parameters")),
            docstring=doc,
        )
        self.types.setdefault(name, handle)
        if kind == "struct" and body is not None:
            self._fields(body, handle)
        elif kind == "interface" and type_node is not None:
            self._interface_methods(type_node, handle)
        for m in self.pending_methods.pop(name, []):
            self._method(m, name)

    def _fields(self, field_list: Node, parent: int) -> None:
        """Depth-first with an explicit stack of iterators, so nested anonymous structs keep
        source order without recursion."""
        stack = [(iter(field_list.named_children), parent)]
        while stack:
            children, owner = stack[-1]
            fd = next(children, None)
            if fd is None:
                stack.pop()
                continue
            if fd.type != "field_declaration":
                continue
            type_node = fd.child_by_field_name("type")
            names = [self.src.text(n) for n in fd.children_by_field_name("name")]
            if not names:  # embedded field: named after its type
                base = _type_base_name(type_node, self.src)
                names = [base] if base else []
            nested = self._anonymous_struct(type_node)
            for name in names:
                vis, exported = _visibility(name)
                handle = self.builder.add_symbol(
                    name=name,
                    kind="field",
                    location=Source.loc(fd),
                    parent=owner,
                    visibility=vis,  # type: ignore[arg-type]
                    exported=exported,
                    signature=self._field_signature(fd, nested),
                    docstring=doc_comment(fd, self.src),
                )
                if nested is not None:
                    stack.append((iter(nested.named_children), handle))

    def _field_signature(self, fd: Node, nested: Node | None) -> str:
        end = nested.start_byte if nested is not None else fd.end_byte
        return squash(self.src.slice(fd.start_byte, end))

    @staticmethod
    def _anonymous_struct(type_node: Node | None) -> Node | None:
        """The field list of a struct type written inline in a field's type (``X struct{...}``,
        ``Xs []struct{...}``, ``P *struct{...}``)."""
        node = type_node
        while node is not None and node.type in ("pointer_type", "slice_type", "array_type"):
            node = node.child_by_field_name("element") or next(
                (c for c in node.named_children if c.type.endswith("_type")), None
            )
        if node is not None and node.type == "struct_type":
            return next((c for c in node.named_children if c.type == "field_declaration_list"), None)
        return None

    def _interface_methods(self, iface: Node, parent: int) -> None:
        for elem in iface.named_children:
            if elem.type != "method_elem":
                continue
            name = self.src.text(elem.child_by_field_name("name"))
            vis, exported = _visibility(name)
            self.builder.add_symbol(
                name=name,
                kind="method",
                location=Source.loc(elem),
                parent=parent,
                visibility=vis,  # type: ignore[arg-type]
                exported=exported,
                signature=squash(self.src.text(elem)),
                parameters=self._parameters(elem.child_by_field_name("parameters")),
                return_type=self._result(elem),
                docstring=doc_comment(elem, self.src),
            )

    # ---- const / var -----------------------------------------------------------------------
    def _values(self, decl: Node) -> None:
        keyword = "const" if decl.type == "const_declaration" else "var"
        kind = "constant" if keyword == "const" else "variable"
        specs: list[Node] = []
        for child in decl.named_children:
            if child.type in ("const_spec", "var_spec"):
                specs.append(child)
            elif child.type == "var_spec_list":
                specs.extend(c for c in child.named_children if c.type == "var_spec")
        grouped = len(specs) != 1 or any(c.type in ("(", "var_spec_list") for c in decl.children)
        for spec in specs:
            text = self.src.text(spec)
            if len(text) > _VALUE_LIMIT:
                value = spec.child_by_field_name("value")
                head = self.src.slice(spec.start_byte, value.start_byte) if value is not None else text
                text = head.rstrip() + " …" if value is not None else head
            signature = squash(f"{keyword} {text}")
            doc = doc_comment(spec, self.src) if grouped else doc_comment(decl, self.src)
            loc = Source.loc(spec if grouped else decl)
            for n in spec.children_by_field_name("name"):
                if n.type != "identifier":
                    continue
                name = self.src.text(n)
                if name == "_":
                    continue
                vis, exported = _visibility(name)
                self.builder.add_symbol(
                    name=name,
                    kind=kind,  # type: ignore[arg-type]
                    location=loc,
                    visibility=vis,  # type: ignore[arg-type]
                    exported=exported,
                    signature=signature,
                    docstring=doc,
                )

    # ---- calls -----------------------------------------------------------------------------
    def collect_calls(self, calls: list[Node], conversions: list[Node]) -> None:
        generic = [
            n for n in conversions if (t := n.child_by_field_name("type")) is not None and t.type == "generic_type"
        ]
        found = calls + generic if generic else calls
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))  # chained calls share a start: outer first
        callers = innermost_scopes(self.scopes, [n.start_byte for n in found])
        for node, caller in zip(found, callers, strict=True):
            if node.type == "type_conversion_expression":
                self._generic_call(node, caller)
                continue
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if fn is None:
                continue
            arg_count = 0 if args is None else _arg_count(args, self.src.data)
            target = fn
            if target.type in ("index_expression", "generic_type"):  # F[T](x), pkg.F[T](x)
                inner = target.child_by_field_name("operand") or target.child_by_field_name("type")
                target = inner if inner is not None else target
            self._add_call(node, target, fn, caller, arg_count)

    def _generic_call(self, node: Node, caller: int | None) -> None:
        gtype = node.child_by_field_name("type")
        assert gtype is not None
        base = gtype.child_by_field_name("type")
        arg_count = sum(1 for c in node.named_children if c.id != gtype.id and c.type != "comment")
        if base is None:
            return
        if base.type == "qualified_type":
            pkg = base.child_by_field_name("package")
            name = self.src.text(base.child_by_field_name("name"))
            self.builder.add_call(
                caller=caller,
                callee=squash(self.src.text(gtype)),
                name=name,
                receiver=self.src.text(pkg),
                call_type="direct",
                arg_count=arg_count,
                location=Source.loc(node),
            )
        else:
            self.builder.add_call(
                caller=caller,
                callee=squash(self.src.text(gtype)),
                name=self.src.text(base),
                call_type="direct",
                arg_count=arg_count,
                location=Source.loc(node),
            )

    def _add_call(self, node: Node, target: Node, fn: Node, caller: int | None, arg_count: int) -> None:
        loc = Source.loc(node)
        targs = node.child_by_field_name("type_arguments")  # Map[string, int](...)
        callee_text = squash(self.src.slice(fn.start_byte, targs.end_byte if targs is not None else fn.end_byte))
        if target.type == "selector_expression":
            operand = target.child_by_field_name("operand")
            field = target.child_by_field_name("field")
            receiver = squash(self.src.text(operand))
            is_pkg = operand is not None and operand.type == "identifier" and receiver in self.packages
            self.builder.add_call(
                caller=caller,
                callee=callee_text,
                name=self.src.text(field),
                receiver=receiver,
                call_type="direct" if is_pkg else "method",
                arg_count=arg_count,
                location=loc,
            )
            return
        if target.type == "func_literal":
            body = target.child_by_field_name("body")
            callee = _header(target, body, self.src)
            name = "func"
        else:
            callee = callee_text
            idents = _IDENT.findall(self.src.text(target))
            name = idents[-1] if idents else callee
        self.builder.add_call(
            caller=caller, callee=callee, name=name, call_type="direct", arg_count=arg_count, location=loc
        )
