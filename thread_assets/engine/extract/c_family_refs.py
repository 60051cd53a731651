"""Records the C / C++ extractor reads from the refs query: macros, imports and calls."""

from __future__ import annotations

import re

from tree_sitter import Node

from . import c_family_decl as decl
from .c_family_walk import CLASS_KINDS, Walker
from .common import Builder, Source, squash

_LAST_IDENT = re.compile(r"[A-Za-z_~][A-Za-z0-9_]*")


def emit_macros(builder: Builder, nodes: list[Node], src: Source) -> set[str]:
    names: set[str] = set()
    for node in sorted(nodes, key=lambda n: n.start_byte):
        name_node = node.child_by_field_name("name")
        if name_node is None:
            continue
        name = src.text(name_node)
        names.add(name)
        params = node.child_by_field_name("parameters")
        head_end = params.end_byte if params is not None else name_node.end_byte
        builder.add_symbol(
            name=name,
            kind="macro",
            location=Source.loc(node),
            signature=squash("#define " + src.slice(name_node.start_byte, head_end)),
            parameters=decl.macro_parameters(params, src),
            docstring=decl.doc_comment(node, src),
            exported=True,
            qualified_name=name,
        )
    return names


def emit_imports(builder: Builder, refs: dict[str, list[Node]], src: Source) -> list[tuple[int, int]]:
    """Includes, C++20 imports, using declarations and namespace aliases, in file order."""
    found = [(n.start_byte, tag, n) for tag in ("include", "import", "using", "alias") for n in refs.get(tag, [])]
    ranges: list[tuple[int, int]] = []
    for _, tag, node in sorted(found, key=lambda t: t[0]):
        loc = Source.loc(node)
        if tag in ("include", "import"):
            path = node.child_by_field_name("path" if tag == "include" else "header")
            if path is None and tag == "import":
                name = node.child_by_field_name("name")
                if name is not None:
                    builder.add_import(module=squash(src.text(name)), kind="absolute", location=loc)
                continue
            if path is None:
                continue
            text = src.text(path).strip()
            if path.type == "system_lib_string":
                builder.add_import(module=text[1:-1].strip(), kind="system", location=loc)
            elif path.type == "string_literal":
                builder.add_import(module=text[1:-1], kind="relative", location=loc)
            else:  # `#include SOME_MACRO`: computed, cannot be resolved statically
                builder.add_import(module=text, kind="absolute", location=loc)
        elif tag == "using":
            if node.parent is not None and node.parent.type == "field_declaration_list":
                continue  # `using Base::f;` re-declares a member, it imports nothing
            target = next((c for c in node.named_children if c.type != "comment"), None)
            if target is None:
                continue
            ranges.append((node.start_byte, node.end_byte))
            if any(c.type == "namespace" for c in node.children):
                builder.add_import(module=squash(src.text(target)).replace(" ", ""), kind="wildcard", location=loc)
            elif target.type == "qualified_identifier":
                text = "".join(src.text(target).split())
                module, _, member = text.rpartition("::")
                builder.add_import(module=module or "::", name=member, bound=member, kind="absolute", location=loc)
        else:
            name_node = node.child_by_field_name("name")
            target = next((c for c in node.named_children if c != name_node and c.type != "comment"), None)
            if name_node is None or target is None:
                continue
            ranges.append((node.start_byte, node.end_byte))
            alias = src.text(name_node)
            module = "".join(src.text(target).split())
            builder.add_import(module=module, alias=alias, bound=alias, kind="absolute", location=loc)
    return ranges


def emit_calls(
    builder: Builder,
    nodes: list[Node],
    src: Source,
    callers: list[tuple[int, int, int]],
    macros: set[str],
    walker: Walker,
    cpp: bool,
) -> None:
    """One record per call and ``new``; the caller comes from a sweep over the sorted bodies
    (nested bodies are properly nested, so a stack of open ones suffices). This loop runs for
    every call in the file: it avoids field lookups and decoding where it can."""
    class_names = {n for d in walker.drafts if d.kind in CLASS_KINDS for n in (d.qn, d.name)}
    type_names = walker.type_names if cpp else set()
    data = src.data
    add_call = builder.add_call
    loc = Source.loc
    open_bodies: list[tuple[int, int]] = []  # (end, handle) of nested bodies, innermost last
    next_body = 0
    for node in nodes:
        start = node.start_byte
        while next_body < len(callers) and callers[next_body][0] <= start:
            body_start, neg_end, handle = callers[next_body]
            while open_bodies and open_bodies[-1][0] <= body_start:
                open_bodies.pop()
            open_bodies.append((-neg_end, handle))
            next_body += 1
        while open_bodies and open_bodies[-1][0] <= start:
            open_bodies.pop()
        caller = open_bodies[-1][1] if open_bodies else None
        if cpp and node.type == "new_expression":
            _add_new(builder, node, src, caller)
            continue
        parts = node.children
        if len(parts) < 2:
            continue
        fn, args = parts[0], parts[-1]
        if fn.type == "identifier":
            name = data[fn.start_byte : fn.end_byte].decode("utf-8", "replace")
            call_type = "macro" if name in macros else "constructor" if name in type_names else "direct"
            callee, receiver = name, None
        else:
            callee, name, receiver, call_type = _classify(fn, src, type_names, class_names)
        add_call(
            caller=caller,
            callee=callee,
            name=name,
            receiver=receiver,
            call_type=call_type,  # type: ignore[arg-type]
            arg_count=_arg_count(args, data),
            location=loc(node),
        )


def _arg_count(args: Node | None, data: bytes) -> int:
    if args is None or args.type not in ("argument_list", "initializer_list"):
        return 0
    count = args.named_child_count
    if count and b"/" in data[args.start_byte : args.end_byte]:  # a comment may be among them
        count = sum(1 for c in args.named_children if c.type != "comment")
    return count


def _add_new(builder: Builder, node: Node, src: Source, caller: int | None) -> None:
    type_node = node.child_by_field_name("type")
    callee = squash(src.text(type_node)) if type_node is not None else "new"
    receiver = None
    name = callee
    if type_node is not None:
        if type_node.type == "qualified_identifier":
            scopes, last = decl.split_qualified(type_node, src)
            receiver = "::".join(scopes) or None
            name = decl.simple_name(last, src)
        else:
            name = decl.simple_name(type_node, src)
    builder.add_call(
        caller=caller,
        callee=callee,
        name=name,
        receiver=receiver,
        call_type="constructor",
        arg_count=_arg_count(node.child_by_field_name("arguments"), src.data),
        location=Source.loc(node),
    )


def _classify(fn: Node, src: Source, type_names: set[str], class_names: set[str]) -> tuple[str, str, str | None, str]:
    """(callee, name, receiver, call type) for a callee that is not a plain identifier."""
    callee = squash(src.text(fn))
    kind = fn.type
    if kind == "field_expression":
        obj = fn.child_by_field_name("argument")
        member = fn.child_by_field_name("field")
        receiver = squash(src.text(obj)) if obj is not None else None
        return callee, decl.simple_name(member, src) if member is not None else callee, receiver, "method"
    if kind == "qualified_identifier":
        scopes, last = decl.split_qualified(fn, src)
        name = decl.simple_name(last, src)
        receiver = "::".join(scopes) or None
        if scopes and (decl.without_args(scopes[-1]) == name or name in type_names):
            return callee, name, receiver, "constructor"
        if scopes and ("<" in scopes[-1] or ".".join(decl.without_args(s) for s in scopes) in class_names):
            return callee, name, receiver, "method"
        return callee, name, receiver, "direct"
    if kind == "template_function":
        name = decl.simple_name(fn, src)
        return callee, name, None, "constructor" if name in type_names else "direct"
    idents = _LAST_IDENT.findall(callee)
    return callee, idents[-1] if idents else callee, None, "direct"
