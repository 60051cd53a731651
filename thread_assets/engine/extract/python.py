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
  function (method in a class), as ctags has it; any other lambda is a private function
  ``<lambda>`` (``outer.<lambda>``, ``~2`` for a second one), since a call may reach it and the
  calls in its body are made by it; ``X: TypeAlias = ...`` and ``type X = ...`` are
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

import functools
import re
from collections.abc import Callable, Iterable
from functools import cache
from operator import itemgetter
from pathlib import Path

from tree_sitter import Node, Query, QueryCursor

from ..model import CallType, ImportKind, Location, Parameter, SymbolKind
from ..parse import language_object
from . import Extraction
from .common import Builder, Source, compiled_query, field_id, kind_ids, squash
from .python_callees import (
    CALLEE_CACHE_LIMIT,
    DOTTED_CALLEE,
    NEEDS_TREE,
    callee_shape,
    shape_of_text,
    text_shape_cache,
)
from .python_text import (
    NOT_STRING_STARTS,
    WORD_BYTES,
    docstring_of,
    is_constructor_name,
    may_start_string,
    string_value,
    used_bound_names,
    visibility_of,
)

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries" / "python"

_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "functools.cached_property", "abc.abstractproperty"})
_PROPERTY_SUFFIXES = (".setter", ".getter", ".deleter")
_UPPER = re.compile(r"_*[A-Z][A-Z0-9_]*")
_VAR_SIGNATURE_LIMIT = 200

# Event codes, one per capture name of tags.scm. ``code >> 2`` is the rank that orders events
# starting at the same byte (definitions, then assignments, then calls, then imports), so codes
# never decrease along events in document order.
_DECORATED, _FUNCTION, _CLASS, _ALIAS = 0, 1, 2, 3
_ASSIGN, _AUGASSIGN, _LAMBDA = 4, 5, 6
_CALL = 8
_IMPORT, _IMPORT_FROM, _FUTURE_IMPORT = 12, 13, 14
_SEMANTIC = 16
"""Matches the extractor skips: they are for the semantic pass (see ``matches_for``)."""
_CODES = {
    "decorated": _DECORATED,
    "function": _FUNCTION,
    "class": _CLASS,
    "alias": _ALIAS,
    "assign": _ASSIGN,
    "augassign": _AUGASSIGN,
    "lambda": _LAMBDA,
    "call": _CALL,
    "import": _IMPORT,
    "import_from": _IMPORT_FROM,
    "future_import": _FUTURE_IMPORT,
    **dict.fromkeys(
        ("comprehension", "walrus", "for", "with", "except", "global", "nonlocal", "return", "yield", "raise"),
        _SEMANTIC,
    ),
}

# Scope kinds on the stack. ``__init__`` is told apart once, when it is pushed, because every
# assignment inside a function asks whether it may declare an instance field.
_FUNCTION_SCOPE, _INIT_SCOPE, _CLASS_SCOPE = 0, 1, 2

# (body_start, body_end, handle, scope kind, receiver name of an ``__init__`` whose fields count).
Scope = tuple[int, int, int, int, bytes | None]

_LANGUAGE = language_object("python")


def _field_id(name: str) -> int:
    return field_id(_LANGUAGE, name)


# Field ids: ``child_by_field_name`` looks the name up among all field names on every call.
_FIELD_ALIAS = _field_id("alias")
_FIELD_ARGUMENTS = _field_id("arguments")
_FIELD_ATTRIBUTE = _field_id("attribute")
_FIELD_BODY = _field_id("body")
_FIELD_DEFINITION = _field_id("definition")
_FIELD_LEFT = _field_id("left")
_FIELD_MODULE_NAME = _field_id("module_name")
_FIELD_NAME = _field_id("name")
_FIELD_OBJECT = _field_id("object")
_FIELD_PARAMETERS = _field_id("parameters")
_FIELD_RETURN_TYPE = _field_id("return_type")
_FIELD_RIGHT = _field_id("right")
_FIELD_TYPE = _field_id("type")
_FIELD_TYPE_PARAMETERS = _field_id("type_parameters")
_FIELD_VALUE = _field_id("value")
_ARGUMENT_LIST_IDS = kind_ids(_LANGUAGE, "argument_list")

# (parameters, return type, generics) of a def or class.
Header = tuple[tuple[Parameter, ...], str | None, tuple[str, ...]]
_HEADER_CACHE_LIMIT = 8192
_header_cache: dict[tuple[bytes, bool, bool], Header] = {}
"""Headers by (text after the name, is-class, is-method): ``(self):`` and friends repeat across a
whole repository. Only filled from and read for files without syntax errors, where equal text
parses equally."""


@cache
def _query() -> str:
    return (QUERY_DIR / "tags.scm").read_text(encoding="utf-8")


# (event code, capture name) per pattern index of the compiled query.
PatternCodes = tuple[tuple[int, str], ...]


@cache
def _pattern_codes(query: Query, source: str) -> PatternCodes:
    """(event code, capture name) per pattern index of the compiled query."""
    out = []
    for i in range(query.pattern_count):
        capture = re.findall(r"@([\w.]+)", source[query.start_byte_for_pattern(i) : query.end_byte_for_pattern(i)])
        out.append((_CODES[capture[-1]], capture[-1]))
    return tuple(out)


_loc = Source.loc


def _is_property_decorator(decorator: str) -> bool:
    return decorator in _PROPERTY_DECORATORS or decorator.endswith(_PROPERTY_SUFFIXES)


class _OutOfOrder(Exception):
    """The query's matches did not arrive in document order: sort them and start over."""


class _Extractor:
    def __init__(self, root: Node, src: Source, codes: PatternCodes, class_names: set[str]) -> None:
        self.root = root
        self.src = src
        self.codes = codes
        self.data = src.data
        # Equal text parses equally only where the parser did no error recovery.
        self.clean = not root.has_error
        self.b = Builder()
        self.stack: list[Scope] = []
        # Class names known so far (all of them on a second run, see ``misjudged_constructors``)
        # and whether each call name seen is a constructor.
        self.class_names = class_names
        self.constructor: dict[str, bool] = {}
        # Bytes before the arguments of calls whose callee is a plain (dotted) name that starts
        # a word: its first name is an identifier outside any import (see ``callee_heads``).
        self.heads: set[bytes] = set()
        self.all_names: set[str] = set()
        self.defines_all = False
        self.import_ranges: list[tuple[int, int]] = []
        self.class_fields: dict[int, set[str]] = {}
        # start byte of a decorated def/class -> its decorated_definition (``Node.parent`` walks
        # down from the root each time, so it is avoided in the hot path).
        self.decorated: dict[int, Node] = {}
        # start byte of a lambda bound to a module or class name -> that name's symbol.
        self.named_lambdas: dict[int, int] = {}

    # -- the event loop ---------------------------------------------------------------------
    def run(self, matches: Iterable[tuple[int, dict[str, list[Node]]]], check_order: bool) -> None:
        """Dispatch the query's matches in document order (outer before inner at one start byte)
        with the stack of open scopes. With ``check_order``, raise :class:`_OutOfOrder` on the
        first match that sorts before its predecessor. Calls, half of all matches, are handled
        inline: a method call per call is a measurable share of the extraction."""
        codes = self.codes
        stack = self.stack
        data = self.data
        clean = self.clean
        class_names = self.class_names
        add_call = self.b.add_call
        text_shapes = text_shape_cache
        argument_list = _ARGUMENT_LIST_IDS
        constructor = self.constructor
        heads = self.heads
        word_bytes = WORD_BYTES
        last_key = -1
        for pattern, caps in matches:
            code, capture = codes[pattern]
            if code >= _SEMANTIC:
                continue
            node = caps[capture][0]
            start = node.start_byte
            if check_order:
                # Ties need the rank too, but only where error recovery nests things oddly: in a
                # clean tree nothing starts at the very byte of a call, import or def it is in.
                key = start if clean else (start << 4) | code
                if key < last_key:
                    raise _OutOfOrder
                last_key = key
            if code >= _IMPORT:
                self.import_statement(node, code)
                continue
            if code == _DECORATED:
                definition = node.child_by_field_id(_FIELD_DEFINITION)
                if definition is not None:
                    self.decorated[definition.start_byte] = node
                continue
            # The innermost scope whose body contains ``start`` (a def's header precedes its body).
            while stack and stack[-1][1] <= start:
                stack.pop()
            scope = None
            if stack:
                scope = stack[-1]
                if scope[0] > start:
                    scope = None
                    for entry in reversed(stack):
                        if entry[0] <= start:
                            scope = entry
                            break
            if code == _CALL:
                caller = None if scope is None else scope[2]
                end = node.end_byte
                args = node.child_by_field_id(_FIELD_ARGUMENTS)
                shape = None
                if clean and args is not None:
                    # Without syntax errors only blanks separate the callee from the arguments:
                    # a plain (dotted) name is read off the bytes without touching its node.
                    head = data[start : args.start_byte]
                    shape = text_shapes.get(head)
                    if shape is None:
                        shape = shape_of_text(head)
                        if len(text_shapes) >= CALLEE_CACHE_LIMIT:
                            text_shapes.clear()
                        text_shapes[head] = shape
                    if shape is NEEDS_TREE:
                        shape = None
                    elif not start or data[start - 1] not in word_bytes:
                        heads.add(head)
                if shape is None:
                    shape = callee_shape(node, self.src)
                    if shape is None:
                        continue
                callee, name, receiver, shape_kind = shape
                if args is None:
                    arg_count = 0
                elif args.kind_id in argument_list:
                    arg_count = args.named_child_count
                    # Comments are named children too: count them out when a '#' may be one.
                    if arg_count and data.find(b"#", start, end) >= 0:
                        arg_count = sum(1 for c in args.named_children if c.type != "comment")
                else:
                    arg_count = 1
                if shape_kind == DOTTED_CALLEE:
                    call_type: CallType = "method"
                    if receiver == "__all__" and caller is None and name in ("extend", "append"):
                        self.defines_all = True
                        self.collect_all(args)
                else:
                    call_type = "direct"
                is_ctor = constructor.get(name)
                if is_ctor is None:
                    is_ctor = constructor[name] = name in class_names or is_constructor_name(name)
                if is_ctor:
                    call_type = "constructor"
                # Rows count b"\n" only, columns are bytes: the end point follows from the bytes.
                row, col = node.start_point
                lines = data.count(b"\n", start, end)
                add_call(
                    caller=caller,
                    callee=callee,
                    name=name,
                    receiver=receiver,
                    call_type=call_type,
                    arg_count=arg_count,
                    location=Location(
                        start_line=row + 1,
                        start_col=col,
                        end_line=row + 1 + lines,
                        end_col=end - data.rfind(b"\n", start, end) - 1 if lines else col + end - start,
                        start_byte=start,
                        end_byte=end,
                    ),
                )
            elif code == _ASSIGN:
                if scope is None or scope[3] == _CLASS_SCOPE:
                    self.assignment(node, scope)
                elif scope[3] == _INIT_SCOPE and scope[4] is not None:
                    # A local, unless it is ``self.x = ...`` in ``__init__`` (the target starts
                    # the statement, so other names are ruled out on the bytes).
                    if clean and not data.startswith(scope[4], start):
                        continue
                    left = node.child_by_field_id(_FIELD_LEFT)
                    if left is not None:
                        self.init_field(scope, node, left, node.child_by_field_id(_FIELD_TYPE))
            elif code in (_FUNCTION, _CLASS):
                self.definition(node, code == _CLASS, scope, start)
            elif code == _AUGASSIGN:
                self.augmented(node, scope)
            elif code == _ALIAS:
                self.type_alias(node, scope)
            elif code == _LAMBDA:
                self.lambda_(node, scope)

    # -- definitions ------------------------------------------------------------------------
    def definition(self, node: Node, is_class: bool, scope: Scope | None, start: int) -> None:
        parent = scope[2] if scope else None
        name_node = node.child_by_field_id(_FIELD_NAME)
        if name_node is None:
            return
        data = self.data
        name_end = name_node.end_byte
        name = data[name_node.start_byte : name_end].decode("utf-8", "replace")
        decorated = self.decorated.get(start)
        decorators: tuple[str, ...] = ()
        if decorated is not None:
            decorators = tuple(
                squash(self.src.text(d)[1:].strip()) for d in decorated.named_children if d.type == "decorator"
            )
        body = node.child_by_field_id(_FIELD_BODY)
        header_end = body.start_byte if body is not None else node.end_byte
        signature = squash(data[start:header_end].decode("utf-8", "replace").rstrip().removesuffix(":").rstrip())
        in_class = scope is not None and scope[3] == _CLASS_SCOPE
        method = not is_class and in_class and "staticmethod" not in decorators
        header = None
        if self.clean:
            key = (data[name_end:header_end], is_class, method)
            header = _header_cache.get(key)
        if header is None:
            header = self.header(node, is_class, method)
            if self.clean:
                if len(_header_cache) >= _HEADER_CACHE_LIMIT:
                    _header_cache.clear()
                _header_cache[key] = header
        params, ret, generics = header
        receiver: bytes | None = None
        if is_class:
            kind: SymbolKind = "class"
            self.class_names.add(name)
        else:
            kind = "method" if in_class else "function"
            if in_class and decorators and any(_is_property_decorator(d) for d in decorators):
                kind = "property"
            if name == "__init__" and in_class and params and params[0].kind == "receiver":
                # b"" (no filter) when the name is not the file's own bytes (invalid UTF-8).
                receiver = b"" if "\ufffd" in params[0].name else params[0].name.encode("utf-8")
        # Most bodies start with a name or keyword: no docstring, and no need to ask the tree.
        if body is None or (
            self.clean
            and (
                (header_end < len(data) and data[header_end] in NOT_STRING_STARTS)
                or not may_start_string(data, header_end)
            )
        ):
            docstring = None
        else:
            docstring = docstring_of(body, self.src)
        handle = self.b.add_symbol(
            name=name,
            kind=kind,
            location=_loc(node),
            parent=parent,
            visibility=visibility_of(name),
            signature=signature,
            parameters=params,
            return_type=ret,
            generics=generics,
            decorators=decorators,
            docstring=docstring,
        )
        if body is not None:
            if is_class:
                scope_kind = _CLASS_SCOPE
            else:
                scope_kind = _INIT_SCOPE if name == "__init__" else _FUNCTION_SCOPE
            self.stack.append((header_end, body.end_byte, handle, scope_kind, receiver))

    def header(self, node: Node, is_class: bool, method: bool) -> Header:
        """Parameters, return type and generics of a def/class: all of them lie between the name
        and the body."""
        generics = self.generics(node.child_by_field_id(_FIELD_TYPE_PARAMETERS))
        if is_class:
            return (), None, generics
        params = self.parameters(node.child_by_field_id(_FIELD_PARAMETERS), method)
        ret_node = node.child_by_field_id(_FIELD_RETURN_TYPE)
        return params, squash(self.src.text(ret_node)) if ret_node is not None else None, generics

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
                type_node = child.child_by_field_id(_FIELD_TYPE)
                value_node = child.child_by_field_id(_FIELD_VALUE)
                ptype = squash(text(type_node)) if type_node is not None else None
                default = squash(text(value_node)) if value_node is not None else None
                inner = child.child_by_field_id(_FIELD_NAME) or child.named_children[0]
                t = inner.type
            if t == "list_splat_pattern":
                kind = "variadic"
                keyword_only = True
                name = text(inner).lstrip("*").strip()
            elif t == "dictionary_splat_pattern":
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
    def assignment(self, node: Node, scope: Scope | None) -> None:
        """An assignment at module level or in a class body (locals never get here)."""
        left = node.child_by_field_id(_FIELD_LEFT)
        if left is None:
            return
        right = node.child_by_field_id(_FIELD_RIGHT)
        type_node = node.child_by_field_id(_FIELD_TYPE)
        parent = scope[2] if scope else None
        left_type = left.type
        if left_type == "identifier":
            targets = [left]
        elif left_type in ("pattern_list", "tuple_pattern"):
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
                lam = right.child_by_field_id(_FIELD_PARAMETERS)
                self.named_lambdas[right.start_byte] = self.b.add_symbol(
                    name=name,
                    kind="method" if parent is not None else "function",
                    location=_loc(node),
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
                location=_loc(node),
                parent=parent,
                visibility=visibility_of(name),
                signature=signature,
                return_type=ann if kind in ("field", "variable", "constant") else None,
            )

    def lambda_(self, node: Node, scope: Scope | None) -> None:
        """A lambda is a function symbol and the scope of the calls in its body: the one a
        module or class name is bound to has that name; any other is ``<lambda>`` (private, so
        never exported), named apart by the builder's ``~N`` when a scope holds several."""
        body = node.child_by_field_id(_FIELD_BODY)
        if body is None:
            return
        handle = self.named_lambdas.pop(node.start_byte, None)
        if handle is None:
            head = self.data[node.start_byte : body.start_byte].decode("utf-8", "replace")
            handle = self.b.add_symbol(
                name="<lambda>",
                kind="function",
                location=_loc(node),
                parent=scope[2] if scope else None,
                visibility="private",
                signature=squash(head.rstrip().removesuffix(":").rstrip()),
                parameters=self.parameters(node.child_by_field_id(_FIELD_PARAMETERS), False),
            )
        self.stack.append((body.start_byte, body.end_byte, handle, _FUNCTION_SCOPE, None))

    def init_field(self, scope: Scope, stmt: Node, left: Node, type_node: Node | None) -> None:
        """``self.x = ...`` directly in ``__init__`` declares an instance field of the class.
        ``scope`` is an ``__init__`` method whose first parameter is a receiver."""
        if left.type != "attribute":
            return
        symbols = self.b.symbols
        outer = symbols[scope[2]].parent
        if outer is None or symbols[outer].kind != "class":
            return
        receiver = symbols[scope[2]].parameters[0].name
        obj = left.child_by_field_id(_FIELD_OBJECT)
        attr = left.child_by_field_id(_FIELD_ATTRIBUTE)
        if obj is None or attr is None or self.src.text(obj) != receiver:
            return
        name = self.src.text(attr)
        seen = self.class_fields.setdefault(outer, set())
        if name in seen:
            return
        seen.add(name)
        self.b.add_symbol(
            name=name,
            kind="field",
            location=_loc(stmt),
            parent=outer,
            visibility=visibility_of(name),
            signature=squash(self.src.text(stmt), _VAR_SIGNATURE_LIMIT),
            return_type=squash(self.src.text(type_node)) if type_node is not None else None,
        )

    def augmented(self, node: Node, scope: Scope | None) -> None:
        left = node.child_by_field_id(_FIELD_LEFT)
        if left is not None and self.src.text(left) == "__all__" and scope is None:
            self.defines_all = True
            self.collect_all(node.child_by_field_id(_FIELD_RIGHT))

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

    def type_alias(self, node: Node, scope: Scope | None) -> None:
        if scope is not None and scope[3] != _CLASS_SCOPE:
            return
        left = node.child_by_field_id(_FIELD_LEFT)
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
            location=_loc(node),
            parent=scope[2] if scope else None,
            visibility=visibility_of(name),
            signature=squash(self.src.text(node), _VAR_SIGNATURE_LIMIT),
            generics=self.generics(generic),
        )

    # -- imports ----------------------------------------------------------------------------
    def import_statement(self, node: Node, code: int) -> None:
        loc = _loc(node)
        self.import_ranges.append((loc.start_byte, loc.end_byte))
        text = self.src.text
        type_only, deferred, conditional = import_flags(node, text)
        add = functools.partial(self.b.add_import, type_only=type_only, deferred=deferred, conditional=conditional)
        if code == _IMPORT:
            for child in node.children_by_field_id(_FIELD_NAME):
                if child.type == "aliased_import":
                    module = text(child.child_by_field_id(_FIELD_NAME))
                    alias = text(child.child_by_field_id(_FIELD_ALIAS))
                    explicit: ImportKind = "reexport" if alias == module else "absolute"
                    add(module=module, alias=alias, bound=alias, kind=explicit, location=loc)
                else:
                    module = text(child)
                    add(module=module, bound=module.split(".", 1)[0].strip(), kind="absolute", location=loc)
            return
        if code == _FUTURE_IMPORT:
            for child in node.children_by_field_id(_FIELD_NAME):
                target = child.child_by_field_id(_FIELD_NAME) if child.type == "aliased_import" else child
                add(module="__future__", name=text(target), kind="side_effect", location=loc)
            return
        module_node = node.child_by_field_id(_FIELD_MODULE_NAME)
        module = "".join(text(module_node).split())
        level = len(module) - len(module.lstrip("."))
        kind: ImportKind = "relative" if level else "absolute"
        names = node.children_by_field_id(_FIELD_NAME)
        if not names:
            if any(c.type == "wildcard_import" for c in node.named_children):
                add(module=module, kind="wildcard", level=level, location=loc)
            return
        for child in names:
            if child.type == "aliased_import":
                name = text(child.child_by_field_id(_FIELD_NAME))
                alias = text(child.child_by_field_id(_FIELD_ALIAS))
                redundant: ImportKind = "reexport" if alias == name else kind
                add(module=module, name=name, alias=alias, bound=alias, kind=redundant, level=level, location=loc)
            else:
                name = text(child)
                add(module=module, name=name, bound=name, kind=kind, level=level, location=loc)

    # -- calls ------------------------------------------------------------------------------
    def callee_heads(self) -> set[str]:
        """First names of plain (dotted) callees: each occurs as an identifier outside import
        statements, so an import binding it is used without searching the file for it."""
        return {shape_of_text(head)[0].split(".", 1)[0] for head in self.heads}

    def misjudged_constructors(self) -> bool:
        """A call is a constructor call when it names a class defined anywhere in the file.
        Calls are judged as they come, against the classes defined so far: a class defined after
        a call naming it (and not CapWords-named) makes that judgement wrong, and the file must
        run again knowing all class names. Rare: such names are lower-case class names."""
        class_names = self.class_names
        return any(not is_ctor and name in class_names for name, is_ctor in self.constructor.items())

    # -- exports ----------------------------------------------------------------------------
    def apply_exports(self) -> None:
        symbols = self.b.symbols
        for d in symbols:
            if d.parent is None:
                d.exported = d.name in self.all_names if self.defines_all else d.visibility == "public"
            else:
                p = symbols[d.parent]
                d.exported = p.kind == "class" and p.exported and d.visibility == "public"


_TYPE_CHECKING = re.compile(r"(?:\w+\s*\.\s*)*TYPE_CHECKING")
_BRANCHES = frozenset({"try_statement", "if_statement", "match_statement"})
_FUNCTIONS = frozenset({"function_definition", "lambda"})


def import_flags(node: Node, text: Callable[[Node | None], str]) -> tuple[bool, bool, bool]:
    """(``type_only``, ``deferred``, ``conditional``) of one import statement, from its ancestors.

    ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``) makes its body type-only and is not a
    runtime condition; its ``else`` is the runtime branch, so it counts as conditional. A function
    (or lambda) anywhere above defers the import to the call; a class body does not, it runs at
    import time. Imports are rare enough that climbing the tree for each costs nothing."""
    type_only = deferred = conditional = False
    child, parent = node, node.parent
    while parent is not None:
        kind = parent.type
        if kind in _FUNCTIONS:
            deferred = True
        elif kind in _BRANCHES:
            guard = kind == "if_statement" and _TYPE_CHECKING.fullmatch(text(parent.child_by_field_name("condition")))
            if guard and child.type == "block":
                type_only = True
            else:
                conditional = True
        child, parent = parent, parent.parent
    return type_only, deferred, conditional


def extract(root: Node, src: Source, language: str) -> Extraction:
    query_src = _query()
    query = compiled_query(_LANGUAGE, query_src)
    codes = _pattern_codes(query, query_src)
    matches = QueryCursor(query).matches(root)
    ex = _Extractor(root, src, codes, set())
    try:
        # One-node patterns complete when the cursor enters their node: document order.
        ex.run(matches, check_order=True)
    except _OutOfOrder:
        ex = _Extractor(root, src, codes, set())
        matches = _sorted_matches(matches, codes)
        ex.run(matches, check_order=False)
    if ex.misjudged_constructors():
        ex = _Extractor(root, src, codes, ex.class_names)
        ex.run(matches, check_order=False)
    ex.apply_exports()
    used = used_bound_names(root, src, ex.b.imports, ex.import_ranges, ex.callee_heads())
    used |= ex.all_names
    global _last_matches
    _last_matches = (src.data, matches, tuple(capture for _, capture in codes))
    return ex.b.finish(used)


Matches = list[tuple[int, dict[str, list[Node]]]]
_last_matches: tuple[bytes, Matches, tuple[str, ...]] | None = None


def matches_for(src: Source) -> tuple[Matches, tuple[str, ...]] | None:
    """The query matches of the last file extracted, in document order, with the capture name
    of each pattern index, when ``src`` holds that very file (the semantic pass runs right after
    the extractor on the same tree): one cursor walk serves both. None otherwise."""
    global _last_matches
    last = _last_matches
    if last is None or last[0] is not src.data:
        return None
    _last_matches = None
    return last[1], last[2]


def _sorted_matches(
    matches: list[tuple[int, dict[str, list[Node]]]], codes: PatternCodes
) -> list[tuple[int, dict[str, list[Node]]]]:
    """Document order by (start, rank, -end), decorated definitions first at their start."""
    keyed = []
    for i, (pattern, caps) in enumerate(matches):
        code, capture = codes[pattern]
        node = caps[capture][0]
        keyed.append((node.start_byte, (code >> 2) if code else -1, -node.end_byte, i))
    keyed.sort(key=itemgetter(0, 1, 2))
    return [matches[k[3]] for k in keyed]
