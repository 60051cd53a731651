"""Per-grammar corrections to the generic extractor's naming heuristics.

The generic extractor guesses definition nodes from node-type names. Some grammars define things
with nodes whose names say nothing (a Lisp list, an Elixir ``call``, an HCL ``block``, a Make
``rule``); for those a *namer* looks at the node and returns (name, kind), or None when the node
is not a definition after all. Every namer touches a bounded number of nodes (no subtree walks).
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from ..model import SymbolKind
from .common import Source

Named = tuple[str, SymbolKind | None] | None
"""(name, kind); a None kind keeps the kind the node type was classified as."""
Namer = Callable[[Node, Source], Named]


def _first_named(node: Node, types: tuple[str, ...]) -> Node | None:
    for child in node.named_children:
        if child.type in types:
            return child
    return None


def _one_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


# --- Lisp family: (defn name ...), (define (name args) ...), (defun name ...) -------------------

_LISP_HEADS: dict[str, SymbolKind] = {
    "defn": "function",
    "defn-": "function",
    "defun": "function",
    "defmacro": "macro",
    "defmacro-": "macro",
    "define-syntax": "macro",
    "define-syntax-rule": "macro",
    "defmethod": "method",
    "defgeneric": "function",
    "defmulti": "function",
    "defprotocol": "interface",
    "defrecord": "struct",
    "defstruct": "struct",
    "define-record-type": "struct",
    "deftype": "type_alias",
    "defclass": "class",
    "definterface": "interface",
    "ns": "namespace",
    "defpackage": "namespace",
    "def": "variable",
    "defonce": "variable",
    "defvar": "variable",
    "defparameter": "variable",
    "defconstant": "constant",
    "defconst": "constant",
    "define": "function",
    "define-values": "variable",
    "struct": "struct",
    "defwindow": "other",
    "defwidget": "function",
    "defpoll": "variable",
    "deflisten": "variable",
    "defcustom": "variable",
    "defface": "variable",
    "defgroup": "other",
    "defsubst": "function",
    "cl-defun": "function",
    "cl-defmacro": "macro",
    "cl-defmethod": "method",
    "cl-defgeneric": "function",
    "cl-defstruct": "struct",
    "define-minor-mode": "function",
    "define-derived-mode": "function",
}
_LISP_SYMBOLS = ("sym_lit", "symbol", "sym_name")


_LISP_PREFIXES = (b"def", b"ns", b"struct", b"cl-def", b"define")


def _lisp_form(node: Node, src: Source) -> Named:
    """Runs on every list of the file: the byte check rejects non-defining forms before any node
    is touched (a query predicate on the head measured slower than this)."""
    if not src.data.startswith(_LISP_PREFIXES, node.start_byte + 1):
        return None
    kids = [c for c in node.named_children[:3] if c.type not in ("comment", "meta_lit", "old_meta_lit")]
    if len(kids) < 2 or kids[0].type not in _LISP_SYMBOLS:
        return None
    head = src.text(kids[0])
    kind = _LISP_HEADS.get(head)
    if kind is None:
        return None
    target = kids[1]
    if target.type in ("list", "list_lit"):  # (define (f x) ...): the name is the list's head
        inner = target.named_children
        if not inner or inner[0].type not in _LISP_SYMBOLS:
            return None
        return src.text(inner[0]), "function"
    if target.type not in _LISP_SYMBOLS:
        return None
    if head == "define" and (len(node.named_children) < 3 or node.named_children[2].type not in ("lambda", "list")):
        kind = "variable"
    return src.text(target), kind


_ELISP_SPECIAL_DEFS: dict[bytes, SymbolKind] = {b"defvar": "variable", b"defconst": "constant"}


def _elisp_special_form(node: Node, src: Source) -> Named:
    """``(defvar x ...)`` is a ``special_form`` whose keyword is anonymous: read it from the bytes."""
    head = src.data[node.start_byte + 1 : node.start_byte + 10].split(None, 1)
    kind = _ELISP_SPECIAL_DEFS.get(head[0]) if head else None
    if kind is None:
        return None
    name = _first_named(node, ("symbol",))
    return (src.text(name), kind) if name is not None else None


def _commonlisp_defun(node: Node, src: Source) -> Named:
    header = _first_named(node, ("defun_header",))
    if header is None:
        return None
    name = header.child_by_field_name("function_name")
    keyword = header.child_by_field_name("keyword")
    if name is None:
        return None
    word = src.text(keyword).lower() if keyword is not None else "defun"
    kind: SymbolKind = "macro" if "macro" in word else "method" if "method" in word else "function"
    return src.text(name), kind


# --- Elixir: def/defp/defmodule are ordinary calls -----------------------------------------------

_ELIXIR_HEADS: dict[str, SymbolKind] = {
    "defmodule": "module",
    "def": "function",
    "defp": "function",
    "defmacro": "macro",
    "defmacrop": "macro",
    "defguard": "macro",
    "defguardp": "macro",
    "defdelegate": "function",
    "defprotocol": "interface",
    "defimpl": "impl",
    "defstruct": "struct",
    "defexception": "struct",
}


def _elixir_call(node: Node, src: Source) -> Named:
    if not src.data.startswith(b"def", node.start_byte):
        return None
    target = node.child_by_field_name("target")
    if target is None or target.type != "identifier":
        return None
    kind = _ELIXIR_HEADS.get(src.text(target))
    if kind is None:
        return None
    args = _first_named(node, ("arguments",))
    if kind == "struct":
        return "__struct__", "struct"
    if args is None or not args.named_children:
        return None
    first = args.named_children[0]
    for _ in range(3):  # def f(x) when guard / def f(x) / def f
        if first.type == "binary_operator":
            left = first.child_by_field_name("left")
            if left is None:
                return None
            first = left
        elif first.type == "call":
            callee = first.child_by_field_name("target")
            if callee is None:
                return None
            first = callee
        else:
            break
    if first.type not in ("identifier", "alias", "atom", "operator_identifier"):
        return None
    return src.text(first), kind


# --- Make, CMake, Dockerfile, SQL, HCL, Markdown -------------------------------------------------


def _make_rule(node: Node, src: Source) -> Named:
    targets = _first_named(node, ("targets",))
    if targets is None:
        return None
    words = src.text(targets).split()
    return (words[0], "other") if words else None


def _cmake_command(node: Node, src: Source) -> Named:
    command = _first_named(node, ("function_command", "macro_command"))
    if command is None:
        return None
    args = _first_named(command, ("argument_list",))
    if args is None or not args.named_children:
        return None
    return src.text(args.named_children[0]), ("macro" if node.type == "macro_def" else "function")


def _docker_stage(node: Node, src: Source) -> Named:
    alias = node.child_by_field_name("as")
    return (src.text(alias), "other") if alias is not None else None


_SQL_KINDS: dict[str, SymbolKind] = {
    "create_table": "other",
    "create_view": "other",
    "create_materialized_view": "other",
    "create_index": "other",
    "create_sequence": "other",
    "create_trigger": "other",
    "create_function": "function",
    "create_procedure": "function",
    "create_type": "type_alias",
    "create_schema": "namespace",
    "create_database": "namespace",
}


def _sql_create(node: Node, src: Source) -> Named:
    ref = _first_named(node, ("object_reference", "identifier"))
    if ref is None:
        return None
    return src.text(ref), _SQL_KINDS.get(node.type, "other")


_HCL_KINDS: dict[str, SymbolKind] = {"module": "module", "variable": "variable", "locals": "variable"}


def _hcl_block(node: Node, src: Source) -> Named:
    parent = node.parent
    if parent is None or parent.parent is None or parent.parent.type != "config_file":
        return None  # nested blocks (lifecycle, ingress...) are settings, not definitions
    parts: list[str] = []
    kind: SymbolKind = "other"
    for child in node.named_children:
        if child.type == "identifier" and not parts:
            parts.append(src.text(child))
            kind = _HCL_KINDS.get(parts[0], "other")
        elif child.type == "string_lit":
            parts.append(src.text(child).strip('"'))
        elif child.type == "block_start":
            break
    return (".".join(parts), kind) if parts else None


def _markdown_section(node: Node, src: Source) -> Named:
    heading = _first_named(node, ("atx_heading", "setext_heading"))
    if heading is None:
        return None
    content = heading.child_by_field_name("heading_content")
    if content is None:
        content = _first_named(heading, ("paragraph", "inline"))
    text = _one_line(src.text(content)) if content is not None else ""
    return (text, "other") if text else None


def _r_assignment(node: Node, src: Source) -> Named:
    lhs, rhs = node.child_by_field_name("lhs"), node.child_by_field_name("rhs")
    operator = node.child_by_field_name("operator")
    if lhs is None or rhs is None:
        return None
    op = src.text(operator) if operator is not None else ""
    if op in ("->", "->>"):
        lhs, rhs = rhs, lhs
    if rhs.type != "function_definition" or lhs.type not in ("identifier", "string"):
        return None
    return src.text(lhs).strip("\"'`"), "function"


def _lua_function(node: Node, src: Source) -> Named:
    name = node.child_by_field_name("name")
    if name is None:
        return None
    text = src.text(name)
    if ":" in text:
        return text.rsplit(":", 1)[1], "method"
    return text.rsplit(".", 1)[-1], "function"


def _zig_fn(node: Node, src: Source) -> Named:
    name = node.child_by_field_name("function")
    return (src.text(name), "function") if name is not None else None


_ZIG_CONTAINERS: dict[str, SymbolKind] = {"struct": "struct", "enum": "enum", "union": "union", "opaque": "struct"}


def _zig_var(node: Node, src: Source) -> Named:
    name = node.child_by_field_name("variable_type_function")
    if name is None:
        return None
    kind: SymbolKind = "constant" if src.data[node.start_byte : node.start_byte + 5] == b"const" else "variable"
    for expr in node.named_children:
        suffix = _first_named(expr, ("SuffixExpr",)) if expr.type == "ErrorUnionExpr" else None
        container = _first_named(suffix, ("ContainerDecl",)) if suffix is not None else None
        if container is not None:
            decl_type = _first_named(container, ("ContainerDeclType",))
            word = src.text(decl_type).split("(")[0].strip() if decl_type is not None else ""
            kind = _ZIG_CONTAINERS.get(word, kind)
    return src.text(name), kind


def _erlang_fun(node: Node, src: Source) -> Named:
    clause = _first_named(node, ("function_clause",))
    name = clause.child_by_field_name("name") if clause is not None else None
    return (src.text(name), "function") if name is not None else None


def _proto_named(kind: SymbolKind, name_type: str) -> Namer:
    def namer(node: Node, src: Source) -> Named:
        name = _first_named(node, (name_type,))
        return (src.text(name), kind) if name is not None else None

    return namer


def _org_section(node: Node, src: Source) -> Named:
    headline = node.child_by_field_name("headline")
    item = headline.child_by_field_name("item") if headline is not None else None
    return (_one_line(src.text(item)), None) if item is not None else None


def _rego_rule(node: Node, src: Source) -> Named:
    head = _first_named(node, ("rule_head",))
    var = _first_named(head, ("var",)) if head is not None else None
    return (src.text(var), "function") if var is not None else None


def _rego_package(node: Node, src: Source) -> Named:
    ref = _first_named(node, ("ref",))
    return (src.text(ref), "module") if ref is not None else None


def _direct_identifier(node: Node, src: Source) -> Named:
    """Thrift puts the defined name in a field called ``type``; the first plain identifier
    child is the name in every Thrift definition."""
    ident = _first_named(node, ("identifier",))
    return (src.text(ident), None) if ident is not None else None


def _field_text(*fields: str, strip: str = "") -> Namer:
    def namer(node: Node, src: Source) -> Named:
        for name in fields:
            child = node.child_by_field_name(name)
            if child is not None:
                text = _one_line(src.text(child)).strip(strip).strip()
                return (text, None) if text else None
        return None

    return namer


def _first_child_text(types: tuple[str, ...], strip: str = "") -> Namer:
    def namer(node: Node, src: Source) -> Named:
        child = _first_named(node, types)
        if child is None:
            return None
        text = _one_line(src.text(child)).strip(strip).strip()
        return (text, None) if text else None

    return namer


def _swift_class(node: Node, src: Source) -> Named:
    name = node.child_by_field_name("name")
    if name is None:
        return None
    word = node.child_by_field_name("declaration_kind")
    kinds: dict[str, SymbolKind] = {"struct": "struct", "enum": "enum", "extension": "impl", "actor": "class"}
    return src.text(name), kinds.get(src.text(word) if word is not None else "", "class")


def _kotlin_class(node: Node, src: Source) -> Named:
    """Kotlin spells interfaces and enums as ``class_declaration`` with a keyword in front."""
    name = _first_named(node, ("type_identifier", "simple_identifier"))
    if name is None:
        return None
    words = src.slice(node.start_byte, name.start_byte).split()
    kind: SymbolKind = "interface" if "interface" in words else "enum" if "enum" in words else "class"
    return src.text(name), kind


def _haskell_function(node: Node, src: Source) -> Named:
    """``function`` also names function *types* (``a -> b``); only declarations have a name."""
    name = node.child_by_field_name("name")
    return (src.text(name), "function") if name is not None else None


def _has_binding_ancestor(node: Node, limit: int = 64) -> bool:
    parent = node.parent
    while parent is not None and limit:
        if parent.type == "binding":
            return True
        parent, limit = parent.parent, limit - 1
    return False


def _nix_binding(node: Node, src: Source) -> Named:
    """Top-level attributes only: nested attribute sets are data, not definitions."""
    path = node.child_by_field_name("attrpath")
    if path is None or _has_binding_ancestor(node):
        return None
    value = node.child_by_field_name("expression")
    kind: SymbolKind = "function" if value is not None and value.type == "function_expression" else "variable"
    return _one_line(src.text(path)), kind


def _jsonnet_bind(node: Node, src: Source) -> Named:
    function = node.child_by_field_name("function")
    if function is not None:
        return src.text(function), "function"
    ident = _first_named(node, ("id",))
    return (src.text(ident), "variable") if ident is not None else None


def _tablegen_def(node: Node, src: Source) -> Named:
    value = _first_named(node, ("value", "identifier"))
    if value is not None and value.type == "value":
        value = _first_named(value, ("identifier",))
    return (src.text(value), None) if value is not None else None


def _llvm_define(node: Node, src: Source) -> Named:
    header = _first_named(node, ("function_header",))
    name = header.child_by_field_name("name") if header is not None else None
    return (src.text(name), "function") if name is not None else None


def _typst_let(node: Node, src: Source) -> Named:
    pattern = node.child_by_field_name("pattern")
    if pattern is None:
        return None
    if pattern.type == "call":
        item = pattern.child_by_field_name("item")
        return (src.text(item), "function") if item is not None else None
    return (src.text(pattern), "variable") if pattern.type == "ident" else None


_GN_TARGETS = frozenset(
    {
        "executable",
        "static_library",
        "shared_library",
        "source_set",
        "group",
        "action",
        "action_foreach",
        "component",
        "test",
        "loadable_module",
        "rust_library",
        "copy",
        "config",
        "bundle_data",
        "generated_file",
    }
)


def _gn_call(node: Node, src: Source) -> Named:
    function = node.child_by_field_name("function")
    if function is None:
        return None
    word = src.text(function)
    if word != "template" and word not in _GN_TARGETS:
        return None
    arg = _first_named(node, ("primary_expression",))
    string = _first_named(arg, ("string",)) if arg is not None else None
    if string is None:
        return None
    return src.text(string).strip('"'), ("function" if word == "template" else "other")


def _ocaml_binding(node: Node, src: Source) -> Named:
    """value_definition -> let_binding pattern; the first binding names the definition."""
    binding = _first_named(node, ("let_binding",))
    if binding is None:
        return None
    pattern = binding.child_by_field_name("pattern")
    if pattern is None or pattern.type not in ("value_name", "value_pattern"):
        return None
    has_params = _first_named(binding, ("parameter",)) is not None
    body = binding.child_by_field_name("body")
    is_fun = has_params or (body is not None and body.type in ("fun_expression", "function_expression"))
    return src.text(pattern), "function" if is_fun else "variable"


NAMERS: dict[str, dict[str, Namer]] = {
    "clojure": {"list_lit": _lisp_form},
    "scheme": {"list": _lisp_form},
    "racket": {"list": _lisp_form},
    "commonlisp": {"list_lit": _lisp_form, "defun": _commonlisp_defun},
    "elixir": {"call": _elixir_call},
    "make": {"rule": _make_rule},
    "cmake": {"function_def": _cmake_command, "macro_def": _cmake_command},
    "dockerfile": {"from_instruction": _docker_stage},
    "sql": {t: _sql_create for t in _SQL_KINDS},
    "hcl": {"block": _hcl_block},
    "terraform": {"block": _hcl_block},
    "markdown": {"section": _markdown_section},
    "r": {"binary_operator": _r_assignment},
    "lua": {"function_declaration": _lua_function},
    "luau": {"function_declaration": _lua_function},
    "ocaml": {"value_definition": _ocaml_binding},
    "thrift": {
        t: _direct_identifier
        for t in (
            "struct_definition",
            "union_definition",
            "exception_definition",
            "enum_definition",
            "senum_definition",
            "service_definition",
            "function_definition",
            "typedef_definition",
            "const_definition",
            "interaction_definition",
        )
    },
    "swift": {"class_declaration": _swift_class},
    "kotlin": {"class_declaration": _kotlin_class},
    "haskell": {"function": _haskell_function},
    "nix": {"binding": _nix_binding},
    "jsonnet": {"bind": _jsonnet_bind},
    "tablegen": {"def": _tablegen_def, "defm": _tablegen_def},
    "llvm": {"fn_define": _llvm_define, "global_global": _first_child_text(("global_var",))},
    "typst": {"let": _typst_let, "heading": _first_child_text(("text",))},
    "gn": {"call_expression": _gn_call},
    "ini": {"section": _first_child_text(("section_name",), "[] ")},
    "latex": {
        t: _field_text("declaration", "name", "text", "command", strip="{}")
        for t in (
            "new_command_definition",
            "environment_definition",
            "label_definition",
            "section",
            "subsection",
            "subsubsection",
            "chapter",
            "part",
            "paragraph",
        )
    },
    "rst": {"section": _first_child_text(("title",))},
    "org": {"section": _org_section},
    "bibtex": {"entry": _field_text("key")},
    "chatito": {
        t: _first_child_text(("intent", "slot", "alias"), "%@~[]") for t in ("intent_def", "slot_def", "alias_def")
    },
    "ungrammar": {"node": _first_child_text(("definition",))},
    "yuck": {"list": _lisp_form},
    "elisp": {"special_form": _elisp_special_form, "list": _lisp_form},
    "d": {"module_declaration": _first_child_text(("module_fqn",))},
    "rego": {"rule": _rego_rule, "module": _rego_package},
    "zig": {"FnProto": _zig_fn, "VarDecl": _zig_var},
    "erlang": {"fun_decl": _erlang_fun},
    "proto": {
        "message": _proto_named("struct", "message_name"),
        "enum": _proto_named("enum", "enum_name"),
        "service": _proto_named("interface", "service_name"),
        "rpc": _proto_named("method", "rpc_name"),
    },
}
"""Node types whose meaning a namer decides; they are candidates whatever their type name says."""


EXTRA_TYPES: dict[str, dict[str, SymbolKind]] = {
    "haskell": {
        "function": "function",
        "bind": "function",
        "data_type": "struct",
        "newtype": "struct",
        "class": "interface",
        "type_synomym": "type_alias",
        "type_family": "type_alias",
    },
    "purescript": {
        "function": "function",
        "data": "struct",
        "newtype": "struct",
        "class_declaration": "interface",
        "type_alias": "type_alias",
    },
    "ruby": {
        "class": "class",
        "module": "module",
        "method": "function",
        "singleton_method": "function",
        "singleton_class": "class",
    },
    "perl": {
        "package_statement": "module",
        "subroutine_declaration_statement": "function",
        "method_declaration_statement": "method",
        "class_statement": "class",
    },
    "janet": {"def": "variable", "extra_defs": "function"},
    "fennel": {"fn": "function", "lambda": "function", "macro": "macro"},
    "elisp": {"function_definition": "function", "macro_definition": "macro"},
    "asm": {"label": "function"},
    "tcl": {"procedure": "function"},
    "julia": {"abstract_definition": "type_alias", "primitive_definition": "type_alias"},
    "graphql": {
        "input_object_type_definition": "struct",
        "object_type_definition": "class",
        "operation_definition": "function",
        "fragment_definition": "function",
    },
    "kotlin": {"object_declaration": "class", "companion_object": "class"},
    "fortran": {
        "program": "module",
        "module": "module",
        "function": "function",
        "subroutine": "function",
        "derived_type_definition": "struct",
        "interface": "interface",
    },
    "ninja": {"rule": "other"},
    "swift": {"protocol_function_declaration": "method", "init_declaration": "method"},
    "latex": {"new_command_definition": "macro", "environment_definition": "macro", "label_definition": "other"},
    "capnp": {"struct": "struct", "enum": "enum", "interface": "interface", "method": "method"},
    "smali": {"class_directive": "class", "method_definition": "method", "field_definition": "field"},
    "wat": {"module_field_func": "function", "module_field_global": "variable", "module_field_type": "type_alias"},
    "wast": {"module_field_func": "function", "module_field_global": "variable", "module": "module"},
    "llvm": {"global_global": "variable"},
    "typst": {"heading": "other", "let": "variable"},
    "ungrammar": {"node": "other"},
    "objc": {
        "class_interface": "class",
        "class_implementation": "impl",
        "category_interface": "class",
        "category_implementation": "impl",
        "protocol_declaration": "interface",
    },
    "elm": {"value_declaration": "function", "port_annotation": "function"},
    "gleam": {"constant": "constant", "type_alias": "type_alias"},
    "fsharp": {"function_or_value_defn": "function"},
    "fsharp_signature": {"value_definition": "function"},
    "agda": {"function": "function", "data": "struct", "record": "struct"},
    "prisma": {
        "model_block": "struct",
        "enum_block": "enum",
        "datasource_block": "other",
        "generator_block": "other",
        "type_block": "struct",
        "view_block": "struct",
    },
    "smithy": {
        "service_statement": "interface",
        "structure_statement": "struct",
        "operation_statement": "function",
        "resource_statement": "other",
        "union_statement": "union",
        "enum_statement": "enum",
        "intEnum_statement": "enum",
    },
    "kconfig": {"config": "variable", "menuconfig": "variable", "menu": "module", "choice": "enum"},
    "linkerscript": {"output_section": "other"},
    "pascal": {
        "defProc": "function",
        "declProc": "function",
        "program": "module",
        "unit": "module",
        "library": "module",
    },
    "ada": {"package_body": "module", "subprogram_body": "function"},
    "dart": {
        "function_signature": "function",
        "method_signature": "method",
        "getter_signature": "method",
        "setter_signature": "method",
        "constructor_signature": "method",
    },
    "scss": {"mixin_statement": "function"},
    "bicep": {
        "parameter_declaration": "variable",
        "resource_declaration": "other",
        "output_declaration": "other",
        "module_declaration": "module",
        "type_declaration": "type_alias",
        "user_defined_function": "function",
    },
    "puppet": {"defined_resource_type": "class", "node_definition": "other", "function_declaration": "function"},
    "gdscript": {
        "const_statement": "constant",
        "variable_statement": "variable",
        "signal_statement": "property",
        "class_name_statement": "class",
        "class_definition": "class",
        "enum_definition": "enum",
    },
    "qmljs": {"ui_property": "property", "ui_signal": "property"},
    "ocaml_interface": {"value_specification": "function"},
    "dtd": {"elementdecl": "other", "GEDecl": "constant", "PEDecl": "constant"},
    "uxntal": {"label": "function", "macro": "macro"},
    "tablegen": {"class": "class", "def": "variable", "multiclass": "class", "defm": "variable"},
}

DROP_TYPES: dict[str, frozenset[str]] = {
    "latex": frozenset({"enum_item"}),
    "markdown": frozenset({"atx_heading", "setext_heading"}),
    "ocaml": frozenset({"let_binding"}),
    "erlang": frozenset({"function_clause"}),
    "r": frozenset({"function_definition"}),
    "graphql": frozenset(
        {
            "definition",
            "type_definition",
            "type_system_definition",
            "executable_definition",
            "type_extension",
            "type_system_extension",
        }
    ),
    "netlinx": frozenset({"define_function"}),
    "d": frozenset({"module_def"}),
    "perl": frozenset({"function", "method"}),
    "objc": frozenset({"implementation_definition"}),
    "sql": frozenset({"function_declaration"}),
    "php": frozenset({"function_static_declaration", "static_variable_declaration", "global_declaration"}),
}

MERGE_CLAUSES = frozenset({"haskell", "purescript", "elm", "agda", "erlang"})
"""Languages where one function is written as several adjacent clauses: keep the first."""

MAX_START_DEPTH: dict[str, int] = {
    **dict.fromkeys(("elisp", "commonlisp", "scheme", "racket", "clojure", "janet", "fennel", "yuck"), 2),
    **dict.fromkeys(("dockerfile", "ini", "bibtex", "asm"), 1),
    **dict.fromkeys(("hcl", "terraform"), 2),
    "sql": 3,
}
"""Grammars whose definitions only appear near the top (Lisp forms at top level or in a ``progn``,
Make rules, SQL statements): the query cursor does not look deeper, which makes extraction
several times faster on Emacs Lisp, whose query otherwise cost as much as the parse."""
