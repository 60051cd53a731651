"""What a JavaScript/TypeScript expression or type may hold, as :class:`Ref` values.

The evaluator answers from the file alone: a name bound in a local scope gives the values it is
given there; a name of the file's top level (a definition, a module variable, an import) stays
``n:NAME`` for the graph step to follow across files; a global of the language or host is
``b:NAME`` and everything reached from it is the library's. Declared types win over
initialisers, as for TypeScript's checker: ``let x: Foo = make()`` holds a ``Foo``.

Type arguments and casts are never values: ``f<Foo>()`` calls ``f``, ``(x as any)()`` calls
something only known at run time, and a cast's type types the value (``(x as Foo).m()``).
"""

from __future__ import annotations

from collections.abc import Iterable

from tree_sitter import Node

from ..model import Ref
from .javascript_builtins import (
    BUILTIN_RESULTS,
    DYNAMIC_CALLEES,
    ELEMENT_CALLBACKS,
    ELEMENT_GETTERS,
    GLOBAL_TYPES,
    GLOBAL_VALUES,
    NO_VALUE,
    PREDEFINED_TYPES,
    UNWRAPPED_TYPES,
)
from .javascript_scopes import Decl, Frame, fields, lookup, type_parameter

MAX_VALUES = 8
MAX_OPS = 12
MAX_DEPTH = 40
MAX_CHAIN = 24

_STRIPPED = frozenset({"parenthesized_expression", "non_null_expression", "instantiation_expression"})
_PASS_THROUGH = frozenset({"satisfies_expression", "await_expression"})
_TYPE_WRAPPERS = frozenset(
    {
        "type_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "parenthesized_type",
        "readonly_type",
        "constraint",
        "asserts_annotation",
    }
)
_LITERALS = {
    "string": "String",
    "template_string": "String",
    "number": "Number",
    "true": "Boolean",
    "false": "Boolean",
    "regex": "RegExp",
    "array": "Array",
}
_FUNCTION_VALUES = frozenset(
    {"function_expression", "function", "arrow_function", "generator_function", "class", "method_definition"}
)


def dedupe(refs: Iterable[Ref]) -> tuple[Ref, ...]:
    out = tuple(dict.fromkeys(refs))
    return out if len(out) <= MAX_VALUES else out[:MAX_VALUES]


class Evaluator:
    """Values of expressions and types in one file; holds what the scope walk recorded."""

    def __init__(self, data: bytes, language: str) -> None:
        self.data = data
        self.f = fields(language)
        self.top_names: set[str] = set()
        """Names the file's top level binds: declarations and imports (they shadow globals)."""
        self.fn_symbols: dict[int, str] = {}
        """Node id of a function, arrow or class value -> local id of the symbol it defines."""
        self.aliases: dict[str, Node] = {}
        """Top-level ``type X = ...`` of this file, expanded where a type names them."""
        self.program: Frame | None = None
        self.arrays: dict[int, tuple[Node, Frame]] = {}
        """``e:ID`` values: arrays whose element type is the type node ID (``items: Foo[]``);
        known inside this file only, written out as ``b:Array`` plus a ``NAME[]`` binding."""
        self.chain = 0
        """Declarations being evaluated, one inside the other."""
        self.member_types: dict[tuple[str, str], list[tuple[Node, Frame]]] = {}
        """(class local id, field) -> its declared types in this file."""
        self.member_names: set[str] = set()
        self.type_literals: dict[int, tuple[Node, Frame]] = {}
        """``t:ID`` values: instances of an object type literal (``record: {subs: Subscription}``),
        known inside this file only; members are read from the literal."""

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def extend(self, refs: tuple[Ref, ...], op: str) -> tuple[Ref, ...]:
        """Apply one op to each value. A builtin's members are the library's; calling one gives a
        builtin again only where the library's result is (``Object.keys(x)``, ``s.trim()``), not
        where it hands back the program's own values (``map.get(k)``, ``arr.pop()``)."""
        out: list[Ref] = []
        for r in refs:
            base = r.base
            if op.startswith(".("):  # a callback's parameter: what the callee declares for it
                if base.startswith("e:") and len(r.ops) == 1 and (r.ops[0], op) in ELEMENT_CALLBACKS:
                    out.extend(self.element_of((Ref(base),)))
                elif not base.startswith(("b:", "t:", "e:")) and len(r.ops) < MAX_OPS:
                    out.append(Ref(base, (*r.ops, op)))
            elif base.startswith("b:"):
                if op == "()":
                    if (not r.ops and base != "b:require") or (r.ops and r.ops[-1][1:] in BUILTIN_RESULTS):
                        out.append(Ref(base))
                elif op == "new":
                    out.append(Ref(base))
                elif op.startswith(".") and not op.endswith("[]"):
                    out.append(Ref(base, (op,)))
            elif base.startswith("t:"):
                if op.startswith(".") and not r.ops:
                    out.extend(self.literal_member(base, op[1:]))
            elif base.startswith("e:"):
                if not r.ops and op.startswith(".") and not op.endswith("[]"):
                    out.append(Ref(base, (op,)))  # one array method, for its result or its callback
                elif r.ops and op == "()" and r.ops[0] in ELEMENT_GETTERS:
                    out.extend(self.element_of((Ref(base),)))
                else:
                    out.extend(self.extend((Ref("b:Array", r.ops),), op))
            elif r.ops == ("new",) and op[1:] in self.member_names and (base[2:], op[1:]) in self.member_types:
                declared = self.declared_member(base[2:], op[1:])
                out.extend(declared or (Ref(base, (*r.ops, op)),))
            elif len(r.ops) < MAX_OPS:
                out.append(Ref(base, (*r.ops, op)))
                ops = r.ops
                if op == "()" and len(ops) >= 2 and ops[-1] in ELEMENT_GETTERS and ops[-2].startswith("."):
                    out.append(Ref(base, (*ops[:-2], f"{ops[-2]}[]")))  # ``this.items.pop()``: an element
        return tuple(out)

    def element_of(self, refs: tuple[Ref, ...]) -> tuple[Ref, ...]:
        """Elements of containers: a typed array's element type, ``NAME[]`` bindings."""
        out: list[Ref] = []
        for r in refs:
            base = r.base
            if base.startswith("e:"):
                found = self.arrays.get(int(base[2:]))
                if found is not None and not r.ops:
                    node, frame = found
                    out.extend(
                        self.literal_elements(node, frame) if node.type == "array" else self.type_refs(node, frame)
                    )
            elif base.startswith(("b:", "t:")):
                continue  # an element of a library container or of a literal type: not known here
            elif r.ops and r.ops[-1].startswith(".") and not r.ops[-1].endswith("[]"):
                out.append(Ref(base, (*r.ops[:-1], f"{r.ops[-1]}[]")))
            elif not r.ops and base.startswith("n:") and not base.endswith("[]"):
                out.append(Ref(f"{base}[]"))
        return dedupe(out)

    def declared_member(self, cls: str, name: str) -> tuple[Ref, ...]:
        """A field of a class of this file read on its instance: its declared type, as the checker
        reads it (``this.observers`` typed ``Array<QueryObserver>`` has QueryObserver elements)."""
        out: list[Ref] = []
        for type_node, frame in self.member_types[(cls, name)]:
            out.extend(self.type_refs(type_node, frame))
        return dedupe(out)

    def literal_member(self, base: str, name: str) -> tuple[Ref, ...]:
        found = self.type_literals.get(int(base[2:]))
        if found is None:
            return ()
        literal, frame = found
        for member in literal.named_children:
            if member.type == "property_signature":
                key = member.child_by_field_id(self.f.name)
                kind = member.child_by_field_id(self.f.type)
                if key is not None and kind is not None and self.text(key).strip("'\"") == name:
                    return self.type_refs(kind, frame)
        return ()

    # -- names and declarations -----------------------------------------------------------

    def name_values(self, name: str, frame: Frame) -> tuple[Ref, ...]:
        hit = lookup(frame, name)
        if hit is not None:
            where, decl = hit
            if where.kind == "program":
                return (Ref(f"n:{name}"),)
            return self.decl_values(decl)
        if name in NO_VALUE:
            return ()
        if name not in self.top_names and name in GLOBAL_VALUES:
            return (Ref(f"b:{name}"),)
        return (Ref(f"n:{name}"),)

    def decl_values(self, decl: Decl) -> tuple[Ref, ...]:
        if decl.cache is not None:
            return decl.cache
        if decl.busy or self.chain >= MAX_CHAIN:
            return ()  # a cycle, or a chain of aliases too long to follow (``x2 = x1``, ...)
        decl.busy = True
        self.chain += 1
        out = list(decl.fixed)
        for type_node, value, path, frame in decl.sources:
            if type_node is not None:
                refs = self.type_refs(type_node, frame)
            elif value is not None:
                refs = self.values(value, frame)
            else:
                continue
            for key in path:
                refs = self.element_of(refs) if key == "[]" else self.extend(refs, f".{key}")
            out.extend(refs)
        decl.busy = False
        self.chain -= 1
        decl.cache = dedupe(out)
        return decl.cache

    # -- expressions ----------------------------------------------------------------------

    def values(self, node: Node, frame: Frame, depth: int = 0) -> tuple[Ref, ...]:
        if depth > MAX_DEPTH:
            return ()
        t = node.type
        if t == "identifier":
            return self.name_values(self.text(node), frame)
        if t == "this":
            return frame.this
        if t == "member_expression":
            obj = node.child_by_field_id(self.f.object)
            prop = node.child_by_field_id(self.f.property)
            if obj is None or prop is None:
                return ()
            name = self.text(prop)
            if not name:
                return ()
            if obj.type == "super":
                return self.super_member(name, frame)
            return self.extend(self.values(obj, frame, depth + 1), f".{name}")
        if t == "subscript_expression":
            obj = node.child_by_field_id(self.f.object)
            key = _literal_key(self, node.child_by_field_id(self.f.index))
            if obj is None:
                return ()
            if key is not None:
                return self.extend(self.values(obj, frame, depth + 1), f".{key}")
            return self.elements(obj, frame, depth + 1)
        if t == "call_expression" or t == "new_expression":
            refs, reason = self.callee_values(node, frame, depth + 1)
            if reason is not None:
                return ()
            return self.extend(refs, "new" if t == "new_expression" else "()")
        if t in _STRIPPED or t in _PASS_THROUGH:
            inner = _first_named(node)
            return () if inner is None else self.values(inner, frame, depth + 1)
        if t == "as_expression" or t == "type_assertion":
            value, type_node = _cast_parts(node)
            if type_node is None:
                return ()
            if self.text(type_node) == "const" and value is not None:
                return self.values(value, frame, depth + 1)
            return self.type_refs(type_node, frame, depth + 1)
        if t == "sequence_expression":
            last = node.named_children[-1] if node.named_child_count else None
            return () if last is None else self.values(last, frame, depth + 1)
        if t == "ternary_expression":
            out: list[Ref] = []
            for part in (self.f.consequence, self.f.alternative):
                branch = node.child_by_field_id(part)
                if branch is not None:
                    out.extend(self.values(branch, frame, depth + 1))
            return dedupe(out)
        if t == "binary_expression":
            op = node.child_by_field_id(self.f.operator)
            word = "" if op is None else op.type
            right = node.child_by_field_id(self.f.right)
            if word in ("||", "??"):
                left = node.child_by_field_id(self.f.left)
                both = [n for n in (left, right) if n is not None]
                return dedupe(r for n in both for r in self.values(n, frame, depth + 1))
            if word == "&&" and right is not None:
                return self.values(right, frame, depth + 1)
            if word == "+":
                return ()
            return ()
        if t == "assignment_expression":
            right = node.child_by_field_id(self.f.right)
            return () if right is None else self.values(right, frame, depth + 1)
        if t in _FUNCTION_VALUES:
            sym = self.fn_symbols.get(node.id)
            return () if sym is None else (Ref(f"s:{sym}"),)
        if t == "array":  # an array literal: the library's Array, holding what the literal holds
            self.arrays[node.id] = (node, frame)
            return (Ref(f"e:{node.id}"),)
        builtin = _LITERALS.get(t)
        if builtin is not None:
            return (Ref(f"b:{builtin}"),)
        return ()

    def elements(self, obj: Node, frame: Frame, depth: int) -> tuple[Ref, ...]:
        """``obj[key]``: the values a container literal holds, or its ``NAME[]`` binding."""
        if obj.type == "identifier":
            hit = lookup(frame, self.text(obj))
            if hit is not None and hit[0].kind != "program":
                out: list[Ref] = []
                for _t, value, path, where in hit[1].sources:
                    if value is not None and not path:
                        out.extend(self.literal_elements(value, where))
                if out:
                    return dedupe(out)
        return self.element_of(self.values(obj, frame, depth))

    def literal_elements(self, value: Node, frame: Frame) -> tuple[Ref, ...]:
        """Values held by an object or array literal's members (``{a: f, b}``, ``[f, g]``)."""
        if value.type not in ("object", "array"):
            return ()
        out: list[Ref] = []
        for member in value.named_children:
            t = member.type
            if t == "pair":
                inner = member.child_by_field_id(self.f.value)
                if inner is not None:
                    out.extend(self.values(inner, frame))
            elif t == "shorthand_property_identifier":
                out.extend(self.name_values(self.text(member), frame))
            elif t != "comment" and t != "spread_element" and value.type == "array":
                out.extend(self.values(member, frame))
        return dedupe(r for r in out if not r.base.startswith(("b:", "t:", "e:")))

    def super_member(self, name: str, frame: Frame) -> tuple[Ref, ...]:
        if frame.cls is None:
            return ()
        if frame.static:
            return self.extend(self.heritage(frame), f".{name}")
        return (Ref(f"s:{frame.cls}", ("new", "super", f".{name}")),)

    def heritage(self, frame: Frame) -> tuple[Ref, ...]:
        if frame.heritage is None or frame.heritage_frame is None:
            return ()
        return self.values(frame.heritage, frame.heritage_frame)

    # -- callees --------------------------------------------------------------------------

    def callee_values(self, call: Node, frame: Frame, depth: int = 0) -> tuple[tuple[Ref, ...], str | None]:
        """What a call's callee may be, builtins included (``b:``), or a reason when the callee is
        hidden: ``dynamic`` for computed members on unknown containers, casts and ``eval``."""
        fn = call.child_by_field_id(self.f.constructor if call.type == "new_expression" else self.f.function)
        if fn is None:
            return (), "unknown"
        while fn.type in _STRIPPED or fn.type == "sequence_expression":
            inner = fn.named_children[-1] if fn.type == "sequence_expression" else _first_named(fn)
            if inner is None:
                return (), "unknown"
            fn = inner
        t = fn.type
        if t == "as_expression" or t == "type_assertion":
            return (), "dynamic"
        if t == "satisfies_expression":
            inner = _first_named(fn)
            if inner is None:
                return (), "unknown"
            fn, t = inner, inner.type
        if t == "super":
            refs = self.heritage(frame)
            return (refs, None) if refs else ((), "unknown")
        if t == "identifier":
            name = self.text(fn)
            if name in DYNAMIC_CALLEES and lookup(frame, name) is None and name not in self.top_names:
                return (), "dynamic"
        elif t == "subscript_expression":
            obj = fn.child_by_field_id(self.f.object)
            key = _literal_key(self, fn.child_by_field_id(self.f.index))
            if obj is not None and key is None:
                refs = self.elements(obj, frame, depth)
                return (refs, None) if refs else ((), "dynamic")
        elif t == "import":
            return (), "builtin"
        return self.values(fn, frame, depth), None

    # -- types ----------------------------------------------------------------------------

    def type_refs(self, node: Node, frame: Frame, depth: int = 0, unwrap: bool = False) -> tuple[Ref, ...]:
        """Instances a declared type describes: ``Foo | null`` -> a Foo; ``ns.Foo<T>`` -> ns's Foo;
        a type parameter -> its constraint; ``string`` -> the String builtin."""
        if depth > MAX_DEPTH:
            return ()
        t = node.type
        if t in _TYPE_WRAPPERS:
            inner = _first_named(node)
            return () if inner is None else self.type_refs(inner, frame, depth + 1, unwrap)
        if t == "type_identifier" or t == "identifier":
            return self.type_name(self.text(node), frame, depth)
        if t == "generic_type":
            name = node.child_by_field_id(self.f.name)
            if name is None:
                return ()
            args = node.child_by_field_id(self.f.type_arguments)
            if args is not None and args.named_child_count and self.text(name) in ("Array", "ReadonlyArray"):
                if lookup(frame, self.text(name)) is None and self.text(name) not in self.top_names:
                    element = args.named_children[0]
                    self.arrays[element.id] = (element, frame)
                    return (Ref(f"e:{element.id}"),)
            if args is not None and args.named_child_count and self.text(name) in UNWRAPPED_TYPES:
                if self.text(name) != "Promise" or unwrap:
                    return self.type_refs(args.named_children[0], frame, depth + 1, unwrap)
            return self.type_refs(name, frame, depth + 1)
        if t == "nested_type_identifier":
            parts = self.text(node).replace(" ", "").split(".")
            head = parts[0]
            if lookup(frame, head) is None and head not in self.top_names and head in GLOBAL_TYPES:
                return (Ref(f"b:{head}"),)
            return (Ref(f"n:{head}", (*(f".{p}" for p in parts[1:]), "new")),)
        if t == "union_type" or t == "intersection_type":
            return dedupe(r for c in node.named_children for r in self.type_refs(c, frame, depth + 1, unwrap))
        if t == "predefined_type":
            builtin = PREDEFINED_TYPES.get(self.text(node))
            return (Ref(f"b:{builtin}"),) if builtin else ()
        if t == "array_type":
            first = _first_named(node)
            if first is None:
                return (Ref("b:Array"),)
            self.arrays[first.id] = (first, frame)
            return (Ref(f"e:{first.id}"),)
        if t == "tuple_type":
            return (Ref("b:Array"),)
        if t == "this_type":
            return frame.this
        if t == "object_type":
            self.type_literals[node.id] = (node, frame)
            return (Ref(f"t:{node.id}"),)
        if t == "type_query":
            inner = _first_named(node)
            return () if inner is None else self.values(inner, frame, depth + 1)
        if t == "literal_type":
            inner = _first_named(node)
            builtin = None if inner is None else _LITERALS.get(inner.type)
            return (Ref(f"b:{builtin}"),) if builtin else ()
        return ()

    def type_name(self, name: str, frame: Frame, depth: int) -> tuple[Ref, ...]:
        is_parameter, constraint = type_parameter(frame, name)
        if is_parameter:
            return () if constraint is None else self.type_refs(constraint, frame, depth + 1)
        hit = lookup(frame, name)
        if hit is not None and hit[0].kind != "program" and hit[1].fixed:
            return self.extend(hit[1].fixed, "new")
        alias = self.aliases.get(name)
        if alias is not None and self.program is not None:
            return self.type_refs(alias, self.program, depth + 4)
        if name in PREDEFINED_TYPES:
            return (Ref(f"b:{PREDEFINED_TYPES[name]}"),)
        if name not in self.top_names and name in GLOBAL_TYPES:
            return (Ref(f"b:{name}"),)
        return (Ref(f"n:{name}", ("new",)),)


def _first_named(node: Node) -> Node | None:
    for child in node.named_children:
        if child.type != "comment":
            return child
    return None


def _cast_parts(node: Node) -> tuple[Node | None, Node | None]:
    """(value, type) of ``x as T`` / ``<T>x``."""
    named = [c for c in node.named_children if c.type != "comment"]
    if len(named) < 2:
        return (named[0] if named else None), None
    if node.type == "type_assertion":
        kind = named[0]
        if kind.type == "type_arguments" and kind.named_child_count:
            kind = kind.named_children[0]
        return named[1], kind
    return named[0], named[1]


def _literal_key(ev: Evaluator, index: Node | None) -> str | None:
    """``obj["name"]`` reads member ``name``; other indexes are computed."""
    if index is None or index.type != "string":
        return None
    text = ev.text(index)
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0] and "\\" not in text:
        return text[1:-1]
    return None
