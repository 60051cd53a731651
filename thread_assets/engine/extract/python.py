"""Python: symbols, imports and calls from one query pass (``queries/python/tags.scm``).

The captures are merged in source order and walked with an explicit stack of open scopes (the
body byte range of each function and class), so the enclosing definition of anything is known
without climbing the tree. A scope covers only its *body*: default values, annotations, base
classes and decorators are evaluated in the enclosing scope, and calls there are attributed to it.

Decisions worth knowing:

- Kinds: ``class``; ``function`` (top level or nested in a function), ``method`` (directly in a
  class), ``property`` (a method decorated ``@property``, ``@cached_property``, or
  ``@x.setter/getter/deleter``); assignments at module level give ``constant`` when the name is
  UPPER_CASE, else ``variable``; in a class body ``field`` (plain and annotated); ``self.x = ...``
  in ``__init__`` gives a field too, unless the class body declares it. ``name = lambda ...`` is a
  function (method in a class), as ctags has it; ``X: TypeAlias = ...`` and ``type X = ...`` are
  ``type_alias``. Assignments inside functions are locals and are not emitted.
- Locations are the ``def``/``class`` node, without decorators (they are listed separately), so
  the start line is the ``def`` line, as in ctags and tracebacks.
- Visibility: ``_x`` and ``__x`` private, dunders and everything else public. Exported: a
  top-level public name, or, when the module assigns ``__all__``, membership in it; members of an
  exported class are exported when public; anything inside a function is not.
- A variable's or field's annotation (``x: int = 0``) is recorded as its ``return_type``: the
  model has no separate type slot, and it is the type a read of the name returns.
- Imports: ``import a as a`` and ``from m import x as x`` are ``reexport`` (the PEP 484 idiom for
  an explicit re-export); names listed in ``__all__`` count as used (a re-export is a use); names inside string
  annotations (``x: "Foo"``) count too.
- Calls: ``f()`` direct, ``a.b.f()`` method with receiver ``a.b``. A call is a ``constructor``
  when the callee's last name is a class defined in this file or is CapWords-named (starts with an
  upper-case letter and is not an ALL_CAPS constant; a single capital like ``Q`` counts): Python
  has no ``new``, so the naming convention (PEP 8) is the only local signal, and it is right for
  the standard library and nearly all third-party code. Other callee shapes (``f()()``,
  ``handlers[k]()``) are direct calls named after the innermost name.
"""

from __future__ import annotations

import re
from functools import cache
from operator import itemgetter
from pathlib import Path

from tree_sitter import Node

from ..model import CallType, ImportKind, Parameter, SymbolKind
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, captures, squash
from .python_text import docstring_of, is_compact, is_constructor_name, string_value, used_bound_names, visibility_of

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries" / "python"

_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "functools.cached_property", "abc.abstractproperty"})
_PROPERTY_SUFFIXES = (".setter", ".getter", ".deleter")
_UPPER = re.compile(r"_*[A-Z][A-Z0-9_]*")
_VAR_SIGNATURE_LIMIT = 200


@cache
def _query() -> str:
    return (QUERY_DIR / "tags.scm").read_text(encoding="utf-8")


class _Extractor:
    def __init__(self, root: Node, src: Source) -> None:
        self.root = root
        self.src = src
        self.b = Builder()
        # (body_start, body_end, handle, kind, node) of the definitions enclosing the cursor.
        self.stack: list[tuple[int, int, int, str, Node]] = []
        self.class_names: set[str] = set()
        self.all_names: set[str] = set()
        self.defines_all = False
        self.import_ranges: list[tuple[int, int]] = []
        self.class_fields: dict[int, set[str]] = {}
        self.pending_calls: list[tuple[Node, int | None]] = []
        # start byte of a decorated def/class -> its decorated_definition (``Node.parent`` walks
        # down from the root each time, so it is avoided in the hot path).
        self.decorated: dict[int, Node] = {}

    # -- scopes -----------------------------------------------------------------------------
    def scope_at(self, pos: int) -> tuple[int, int, int, str, Node] | None:
        stack = self.stack
        while stack and stack[-1][1] <= pos:
            stack.pop()
        for entry in reversed(stack):  # all end after pos now; a def's header is before its body
            if entry[0] <= pos:
                return entry
        return None

    # -- definitions ------------------------------------------------------------------------
    def definition(self, node: Node) -> None:
        scope = self.scope_at(node.start_byte)
        parent = scope[2] if scope else None
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = self.src.text(name_node)
        decorated = self.decorated.get(node.start_byte)
        decorators = tuple(
            squash(self.src.text(d)[1:].strip())
            for d in (decorated.named_children if decorated else ())
            if d.type == "decorator"
        )
        body = node.child_by_field_name("body")
        header_end = body.start_byte if body is not None else node.end_byte
        signature = squash(self.src.slice(node.start_byte, header_end).rstrip().removesuffix(":").rstrip())
        generics = self.generics(node.child_by_field_name("type_parameters"))
        in_class = scope is not None and scope[3] == "class"
        if node.type == "class_definition":
            kind: SymbolKind = "class"
            self.class_names.add(name)
            params: tuple[Parameter, ...] = ()
            ret = None
        else:
            kind = "method" if in_class else "function"
            if in_class and any(d in _PROPERTY_DECORATORS or d.endswith(_PROPERTY_SUFFIXES) for d in decorators):
                kind = "property"
            params = self.parameters(
                node.child_by_field_name("parameters"), in_class and "staticmethod" not in decorators
            )
            ret_node = node.child_by_field_name("return_type")
            ret = squash(self.src.text(ret_node)) if ret_node is not None else None
        handle = self.b.add_symbol(
            name=name,
            kind=kind,
            location=Source.loc(node),
            parent=parent,
            visibility=visibility_of(name),
            signature=signature,
            parameters=params,
            return_type=ret,
            generics=generics,
            decorators=decorators,
            docstring=docstring_of(body, self.src),
        )
        if body is not None:
            self.stack.append(
                (body.start_byte, body.end_byte, handle, "class" if kind == "class" else "function", node)
            )

    def generics(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        return tuple(squash(self.src.text(c)) for c in node.named_children if c.type != "comment")

    def parameters(self, node: Node | None, method: bool) -> tuple[Parameter, ...]:
        if node is None:
            return ()
        text = self.src.text
        out: list[Parameter] = []
        keyword_only = False
        for child in node.named_children:
            t = child.type
            if t == "comment":
                continue
            if t == "positional_separator":
                out = [
                    p
                    if p.kind == "receiver"
                    else Parameter(name=p.name, type=p.type, default=p.default, kind="positional_only")
                    for p in out
                ]
                continue
            if t == "keyword_separator":
                keyword_only = True
                continue
            inner = child
            ptype = default = None
            if t in ("typed_parameter", "typed_default_parameter", "default_parameter"):
                type_node = child.child_by_field_name("type")
                value_node = child.child_by_field_name("value")
                ptype = squash(text(type_node)) if type_node is not None else None
                default = squash(text(value_node)) if value_node is not None else None
                inner = child.child_by_field_name("name") or child.named_children[0]
            if inner.type == "list_splat_pattern":
                kind = "variadic"
                keyword_only = True
                name = text(inner).lstrip("*").strip()
            elif inner.type == "dictionary_splat_pattern":
                kind = "keyword_variadic"
                name = text(inner).lstrip("*").strip()
            else:
                name = text(inner)
                if method and not out:
                    kind = "receiver"
                else:
                    kind = "keyword_only" if keyword_only else "positional"
            out.append(Parameter(name=name, type=ptype, default=default, kind=kind))
        return tuple(out)

    # -- assignments ------------------------------------------------------------------------
    def assignment(self, node: Node) -> None:
        scope = self.scope_at(node.start_byte)
        if scope is not None and scope[3] == "function":
            # A local, unless it is ``self.x = ...`` in ``__init__``.
            if self.b.symbols[scope[2]].name == "__init__":
                left = node.child_by_field_name("left")
                if left is not None:
                    self.init_field(scope, node, left, node.child_by_field_name("type"))
            return
        left = node.child_by_field_name("left")
        if left is None:
            return
        right = node.child_by_field_name("right")
        type_node = node.child_by_field_name("type")
        parent = scope[2] if scope else None
        if left.type == "identifier":
            targets = [left]
        elif left.type in ("pattern_list", "tuple_pattern"):
            targets = [c for c in left.named_children if c.type == "identifier"]
        else:
            return
        signature = squash(self.src.text(node), _VAR_SIGNATURE_LIMIT)
        ann = squash(self.src.text(type_node)) if type_node is not None else None
        for target in targets:
            name = self.src.text(target)
            if parent is None and name == "__all__":
                self.defines_all = True
                self.collect_all(right)
            if right is not None and right.type == "lambda" and len(targets) == 1:
                lam = right.child_by_field_name("parameters")
                self.b.add_symbol(
                    name=name,
                    kind="method" if parent is not None else "function",
                    location=Source.loc(node),
                    parent=parent,
                    visibility=visibility_of(name),
                    signature=signature,
                    parameters=self.parameters(lam, False),
                )
                continue
            kind: SymbolKind
            if ann is not None and ann.strip("'\"").rsplit(".", 1)[-1] == "TypeAlias":
                kind = "type_alias"
            elif parent is not None:
                kind = "field"
                self.class_fields.setdefault(parent, set()).add(name)
            else:
                kind = "constant" if _UPPER.fullmatch(name) else "variable"
            self.b.add_symbol(
                name=name,
                kind=kind,
                location=Source.loc(node),
                parent=parent,
                visibility=visibility_of(name),
                signature=signature,
                return_type=ann if kind in ("field", "variable", "constant") else None,
            )

    def init_field(
        self, scope: tuple[int, int, int, str, Node], stmt: Node, left: Node, type_node: Node | None
    ) -> None:
        """``self.x = ...`` directly in ``__init__`` declares an instance field of the class."""
        if left.type != "attribute" or self.b.symbols[scope[2]].name != "__init__":
            return
        outer = self.b.symbols[scope[2]].parent
        if outer is None or self.b.symbols[outer].kind != "class":
            return
        params = self.b.symbols[scope[2]].parameters
        obj = left.child_by_field_name("object")
        attr = left.child_by_field_name("attribute")
        if (
            not params
            or params[0].kind != "receiver"
            or obj is None
            or attr is None
            or self.src.text(obj) != params[0].name
        ):
            return
        name = self.src.text(attr)
        seen = self.class_fields.setdefault(outer, set())
        if name in seen:
            return
        seen.add(name)
        self.b.add_symbol(
            name=name,
            kind="field",
            location=Source.loc(stmt),
            parent=outer,
            visibility=visibility_of(name),
            signature=squash(self.src.text(stmt), _VAR_SIGNATURE_LIMIT),
            return_type=squash(self.src.text(type_node)) if type_node is not None else None,
        )

    def augmented(self, node: Node) -> None:
        left = node.child_by_field_name("left")
        if left is not None and self.src.text(left) == "__all__" and self.scope_at(node.start_byte) is None:
            self.defines_all = True
            self.collect_all(node.child_by_field_name("right"))

    def collect_all(self, node: Node | None) -> None:
        if node is None:
            return
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type in ("string", "concatenated_string"):
                value = string_value(n, self.src)
                if value:
                    self.all_names.add(value)
            elif n.type in (
                "list",
                "tuple",
                "set",
                "binary_operator",
                "parenthesized_expression",
                "argument_list",
                "expression_list",
            ):
                stack.extend(n.named_children)

    def type_alias(self, node: Node) -> None:
        scope = self.scope_at(node.start_byte)
        if scope is not None and scope[3] == "function":
            return
        left = node.child_by_field_name("left")
        if left is None:
            return
        head = left.named_children[0] if left.named_children else left
        generic = None
        if head.type == "generic_type":
            generic = next((c for c in head.named_children if c.type == "type_parameter"), None)
            head = head.named_children[0]
        name = self.src.text(head)
        self.b.add_symbol(
            name=name,
            kind="type_alias",
            location=Source.loc(node),
            parent=scope[2] if scope else None,
            visibility=visibility_of(name),
            signature=squash(self.src.text(node), _VAR_SIGNATURE_LIMIT),
            generics=self.generics(generic),
        )

    # -- imports ----------------------------------------------------------------------------
    def import_statement(self, node: Node) -> None:
        self.import_ranges.append((node.start_byte, node.end_byte))
        text = self.src.text
        loc = Source.loc(node)
        add = self.b.add_import
        if node.type == "import_statement":
            for child in node.children_by_field_name("name"):
                if child.type == "aliased_import":
                    module = text(child.child_by_field_name("name"))
                    alias = text(child.child_by_field_name("alias"))
                    explicit: ImportKind = "reexport" if alias == module else "absolute"
                    add(module=module, alias=alias, bound=alias, kind=explicit, location=loc)
                else:
                    module = text(child)
                    add(module=module, bound=module.split(".", 1)[0].strip(), kind="absolute", location=loc)
            return
        if node.type == "future_import_statement":
            for child in node.children_by_field_name("name"):
                target = child.child_by_field_name("name") if child.type == "aliased_import" else child
                add(module="__future__", name=text(target), kind="side_effect", location=loc)
            return
        module_node = node.child_by_field_name("module_name")
        module = "".join(text(module_node).split())
        level = len(module) - len(module.lstrip("."))
        kind: ImportKind = "relative" if level else "absolute"
        names = node.children_by_field_name("name")
        if not names:
            if any(c.type == "wildcard_import" for c in node.named_children):
                add(module=module, kind="wildcard", level=level, location=loc)
            return
        for child in names:
            if child.type == "aliased_import":
                name = text(child.child_by_field_name("name"))
                alias = text(child.child_by_field_name("alias"))
                redundant: ImportKind = "reexport" if alias == name else kind
                add(module=module, name=name, alias=alias, bound=alias, kind=redundant, level=level, location=loc)
            else:
                name = text(child)
                add(module=module, name=name, bound=name, kind=kind, level=level, location=loc)

    # -- calls ------------------------------------------------------------------------------
    def emit_calls(self) -> None:
        """Calls are emitted last: a constructor is recognised by class names defined anywhere
        in the file, including after the call."""
        data = self.src.data
        constructor: dict[str, bool] = {}
        add_call = self.b.add_call
        loc = Source.loc
        for node, caller in self.pending_calls:
            fn = node.child_by_field_name("function")
            if fn is None:
                continue
            args = node.child_by_field_name("arguments")
            if args is None:
                arg_count = 0
            elif args.type == "argument_list":
                arg_count = args.named_child_count
                if data.find(b"#", args.start_byte, args.end_byte) >= 0:
                    arg_count = sum(1 for c in args.named_children if c.type != "comment")
            else:
                arg_count = 1
            callee = data[fn.start_byte : fn.end_byte].decode("utf-8", "replace")
            if not is_compact(callee):
                callee = squash(callee)
            receiver = None
            call_type: CallType
            ftype = fn.type
            if ftype == "identifier":
                name = callee
                call_type = "direct"
            elif ftype == "attribute":
                # The attribute is the last name after the last dot of the (squashed) callee.
                dot = callee.rfind(".")
                name = callee[dot + 1 :].lstrip()
                receiver = callee[:dot].rstrip()
                if not name.isidentifier():
                    attr = fn.child_by_field_name("attribute")
                    obj = fn.child_by_field_name("object")
                    if attr is None or obj is None:
                        continue
                    name, receiver = self.src.text(attr), squash(self.src.text(obj))
                call_type = "method"
                if receiver == "__all__" and name in ("extend", "append") and caller is None:
                    self.defines_all = True
                    self.collect_all(args)
            else:
                name = self.innermost_name(fn)
                call_type = "direct"
            is_ctor = constructor.get(name)
            if is_ctor is None:
                is_ctor = constructor[name] = name in self.class_names or is_constructor_name(name)
            if is_ctor:
                call_type = "constructor"
            add_call(
                caller=caller,
                callee=callee,
                name=name,
                receiver=receiver,
                call_type=call_type,
                arg_count=arg_count,
                location=loc(node),
            )

    def innermost_name(self, fn: Node) -> str:
        node: Node | None = fn
        while node is not None:
            if node.type == "identifier":
                return self.src.text(node)
            if node.type == "attribute":
                return self.src.text(node.child_by_field_name("attribute"))
            if node.type == "call":
                node = node.child_by_field_name("function")
            elif node.type == "subscript":
                node = node.child_by_field_name("value")
            elif node.named_child_count:
                node = node.named_children[0]
            else:
                break
        return squash(self.src.text(fn))

    # -- exports ----------------------------------------------------------------------------
    def apply_exports(self) -> None:
        symbols = self.b.symbols
        for d in symbols:
            if d.parent is None:
                d.exported = d.name in self.all_names if self.defines_all else d.visibility == "public"
            else:
                p = symbols[d.parent]
                d.exported = p.kind == "class" and p.exported and d.visibility == "public"


def extract(root: Node, src: Source, language: str) -> Extraction:
    lang = language_object("python")
    caps = captures(lang, _query(), root)
    ex = _Extractor(root, src)
    for deco in caps.get("decorated", ()):
        definition = deco.child_by_field_name("definition")
        if definition is not None:
            ex.decorated[definition.start_byte] = deco
    handlers = {"def": ex.definition, "assign": ex.assignment, "augassign": ex.augmented, "alias": ex.type_alias}
    events: list[tuple[int, int, int, str, Node]] = []
    for cap, rank in (("def", 0), ("alias", 0), ("assign", 1), ("augassign", 1), ("call", 2), ("import", 3)):
        for n in caps.get(cap, ()):
            events.append((n.start_byte, rank, -n.end_byte, cap, n))
    # Outer before inner at one start byte (``f(x)(y)``): document order, independent of capture order.
    events.sort(key=itemgetter(0, 1, 2))
    stack, pending = ex.stack, ex.pending_calls
    for start, _, _, cap, n in events:
        if cap == "call":  # the most frequent event: ``scope_at`` inlined
            while stack and stack[-1][1] <= start:
                stack.pop()
            caller = None
            for entry in reversed(stack):
                if entry[0] <= start:
                    caller = entry[2]
                    break
            pending.append((n, caller))
        elif cap == "import":
            ex.import_statement(n)
        else:
            handlers[cap](n)
    ex.emit_calls()
    ex.apply_exports()
    used = used_bound_names(root, src, ex.b.imports, ex.import_ranges)
    used |= ex.all_names
    return ex.b.finish(used)
