"""Semantic pass for JavaScript, TypeScript and TSX.

One query pass over the tree yields scopes (functions, classes, blocks, namespaces), declarations,
calls, assignments and returns, visited in source order with a stack of open scopes (as the
extractor visits its own captures). Declarations are recorded first and evaluated on demand, so
hoisting and use-before-declaration need no second walk. Then every call gets its targets:

- names: a parameter, ``let``/``const``/``var``, catch or loop variable, or local function
  shadows the top level (``new Class()`` on a parameter ``Class`` is not the file's ``Class``);
  a local function is its symbol (``s:outer.helper``); a local variable is what it was given
  (``const c = new Client()`` -> ``Client`` instance) or what its declared type says;
- receivers: ``this`` in methods and class fields (arrows keep the enclosing ``this``), fields and
  parameter properties by their declared types and by ``this.x = ...`` anywhere in the class,
  typed parameters and variables, ``new Foo()``, results of calls (``return`` bindings);
- ``super(...)`` calls the base class (its constructor), ``super.m()`` looks past the class;
- ``ns.f()`` on a namespace import or a TS ``namespace`` is ``n:ns`` ``.f``: the graph step
  follows the module and its ``export *`` chains;
- globals of the language and hosts (``console``, ``JSON``, ``Promise``, ``Object.keys``) and
  values of builtin types (a ``string`` parameter, a ``[]`` literal) are ``builtin``; computed
  members and casts in callee position (``obj[key]()``, ``(f as any)()``) are ``dynamic``.

Bindings record module and namespace variables, class and interface fields (declared types,
parameter properties, ``#private`` fields, ``this.x = ...``), container literals (``NAME[]``) and
function results (declared return types, ``Promise<T>`` awaited to ``T``, else the returned
values). Relations record ``extends`` / ``implements`` of classes and interfaces.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache

from tree_sitter import Node

from ..extract.common import Source, captures
from ..model import Binding, Call, Import, Ref, Symbol, TypeRelation
from ..parse import language_object
from .javascript_results import Results
from .javascript_scopes import Frame, declare, lookup
from .javascript_values import Evaluator

_GROUPS: dict[str, tuple[str, ...]] = {
    "fn": (
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "generator_function",
        "arrow_function",
        "method_definition",
    ),
    "cls": ("class_declaration", "abstract_class_declaration", "class"),
    "blk": ("switch_body", "for_statement", "for_in_statement", "catch_clause"),
    "ns": ("internal_module", "module"),
    "var": ("lexical_declaration", "variable_declaration"),
    "call": ("call_expression", "new_expression"),
    "asg": (),
    "ret": ("return_statement",),
    "fld": ("public_field_definition", "field_definition"),
    "sig": ("method_signature", "abstract_method_signature", "function_signature", "property_signature"),
    "iface": ("interface_declaration",),
    "alias": ("type_alias_declaration",),
    "narrow": (),
    "dflt": (),
}
_RANK = {name: i for i, name in enumerate(_GROUPS)}
_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_FUNCTION_KINDS = frozenset({"function", "method"})
_SCAN = 8
"""Symbols looked at, backwards from a function node, for the one it defines: that symbol starts
at the node or at its declaration a level or two up, so only the nearest few can be it."""
_TS_PARAMETERS = frozenset({"required_parameter", "optional_parameter"})
_CALLBACKS = frozenset({"arrow_function", "function_expression", "function"})
_MODIFIERS = frozenset({"accessibility_modifier", "readonly", "override_modifier"})


@cache
def _query(language: str) -> str:
    lang = language_object(language)
    parts = []
    for group, kinds in _GROUPS.items():
        present = [k for k in kinds if lang.id_for_node_kind(k, True) is not None]
        if present:
            parts.append("[" + " ".join(f"({k})" for k in present) + f"] @{group}")
    # ``export default <expression>``: the module's ``default`` binding
    parts.append("(export_statement value: (_) @dflt)")
    # ``if (x instanceof Foo) {...}``: x is a Foo in the block
    parts.append(
        "(if_statement condition: (parenthesized_expression"
        ' (binary_expression left: (identifier) operator: "instanceof")) consequence: (statement_block)) @narrow'
    )
    # only assignments that give a local or a field a value: ``x = ...``, ``this.x = ...``
    parts.append("(assignment_expression left: [(identifier) (member_expression object: (this))]) @asg")
    return "\n".join(parts)


def semantics(
    root: Node,
    src: Source,
    language: str,
    symbols: tuple[Symbol, ...],
    imports: tuple[Import, ...],
    calls: tuple[Call, ...],
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    return _Pass(root, src, language, symbols, imports).run(calls)


class _Pass(Results):
    def __init__(
        self, root: Node, src: Source, language: str, symbols: tuple[Symbol, ...], imports: tuple[Import, ...]
    ) -> None:
        self.root = root
        self.src = src
        self.language = language
        self.typed = language != "javascript"
        self.ev = Evaluator(src.data, language)
        self.f = self.ev.f
        self.symbols = {s.id: s for s in symbols}
        ordered = sorted(symbols, key=lambda s: (s.location.start_byte, -s.location.end_byte))
        self.sym_list = ordered
        self.sym_starts = [s.location.start_byte for s in ordered]
        self.children: dict[tuple[str, str], str] = {}
        self.top_symbols: dict[str, Symbol] = {}
        self.constructors: set[str] = set()
        """Functions given prototype methods (``F.prototype.m = function``): ``this`` in them is an F."""
        for s in symbols:
            if s.parent is None:
                self.top_symbols.setdefault(s.name, s)
                self.ev.top_names.add(s.name)
            else:
                self.children.setdefault((s.parent, s.name), s.id)
                if s.kind == "method" and self.symbols[s.parent].kind == "function":
                    self.constructors.add(s.parent)
        self.required: set[str] = set()
        """``const util = require("./util")``: names an import binds that are also variables of the
        file. The graph step reads the variable (of no known value) before the import, so calls
        through them are left to its name-based resolution, which follows the import."""
        self.packages = {imp.bound for imp in imports if imp.bound and not imp.module.startswith((".", "/"))}
        """Names bound by imports of packages (not relative paths): outside the repository, mostly."""
        for imp in imports:
            if imp.bound:
                self.ev.top_names.add(imp.bound)
                top = self.top_symbols.get(imp.bound)
                if top is not None and top.kind in ("variable", "constant"):
                    self.required.add(f"n:{imp.bound}")
        self.relations: list[TypeRelation] = []
        self.call_sites: list[tuple[Node, Frame]] = []
        self.functions: list[tuple[Node, Frame]] = []
        self.scopes: list[Frame] = []
        """Program and namespace frames: their variables are bindings other files reach."""
        self.fields: dict[tuple[str, str], list[tuple[Node | None, Node | None, Frame]]] = {}
        self.signatures: list[tuple[str, Node, Frame]] = []
        self.assignments: list[tuple[str, Node, Frame]] = []
        self.callbacks: list[tuple[str, str, Node, Frame]] = []
        self.stack: list[Frame] = []
        self.defaults: list[tuple[Node, Frame]] = []
        self.blocks: dict[int, Frame] = {}
        self.slots: dict[str, tuple[Frame, list[str | None]]] = {}
        """Function symbol -> its frame and the parameters callers' arguments give values to."""

    # -- driver ---------------------------------------------------------------------------

    def run(self, calls: tuple[Call, ...]) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
        program = Frame(end=1 << 62, parent=None, kind="program", node=self.root)
        self.ev.program = program
        self.scopes.append(program)
        self.stack.append(program)
        self._walk(program)
        for name, right, frame in self.assignments:
            hit = lookup(frame, name)
            if hit is not None:
                hit[1].sources.append((None, right, (), frame))
        self._arguments()
        return self.resolve_calls(calls), tuple(self.relations), self.bindings()

    def _walk(self, program: Frame) -> None:
        caps = captures(language_object(self.language), _query(self.language), self.root)
        items: list[tuple[int, int, int, int, str, Node]] = []
        seq = 0
        for group, nodes in caps.items():
            rank = _RANK[group]
            for n in nodes:
                seq += 1
                items.append((n.start_byte, -n.end_byte, rank, seq, group, n))
        items.sort()
        handlers = {
            "fn": self._function,
            "cls": self._class,
            "blk": self._block,
            "ns": self._namespace,
            "var": self._variables,
            "asg": self._assignment,
            "ret": self._return,
            "fld": self._field,
            "sig": self._signature,
            "iface": self._interface,
            "alias": self._alias,
            "narrow": self._narrow,
            "dflt": self._default,
        }
        stack = self.stack
        sites = self.call_sites
        for start, _end, _rank, _seq, group, node in items:
            top = stack[-1]
            while top.end <= start:
                stack.pop()
                top = stack[-1]
            if group == "call":  # most items: recorded here, resolved once every declaration is known
                sites.append((node, top))
                continue
            pushed = handlers[group](node, top)
            if pushed is not None:
                stack.append(pushed)

    def _arguments(self) -> None:
        """Higher-order calls within the file: ``apply(helper)`` gives the parameter of ``apply``
        the value ``helper``, so ``fn()`` inside ``apply`` reaches it. Only calls naming a function
        of this file bare, and only parameters without a declared type (or typed by a function
        type): a declared class type is what the checker reads, whatever is passed."""
        if not self.slots:
            return
        for call, frame in self.call_sites:
            fn = call.child_by_field_id(self.f.function)
            if fn is None or fn.type != "identifier" or call.type != "call_expression":
                continue
            name = self.ev.text(fn)
            hit = lookup(frame, name)
            sym: str | None = None
            if hit is not None and hit[0].kind != "program":
                fixed = hit[1].fixed
                sym = fixed[0].base[2:] if len(fixed) == 1 and fixed[0].base.startswith("s:") else None
            else:
                top = self.top_symbols.get(name)
                sym = top.id if top is not None and top.kind == "function" else None
            target = self.slots.get(sym) if sym is not None else None
            args = call.child_by_field_id(self.f.arguments)
            if target is None or args is None:
                continue
            fn_frame, slots = target
            j = 0
            for arg in args.named_children:
                if arg.type == "comment":
                    continue
                if arg.type == "spread_element" or j >= len(slots):
                    break
                slot = slots[j]
                if slot is not None:
                    declare(fn_frame, slot, source=(None, arg, (), frame))
                j += 1

    def _default(self, node: Node, top: Frame) -> None:
        """``export default router`` / ``export default new Client()``: what importers of the
        module's default get (a default function or class is a symbol already)."""
        if node.type not in _CALLBACKS and node.type != "class" and top.kind == "program":
            self.defaults.append((node, top))

    def _narrow(self, node: Node, top: Frame) -> None:
        """``if (x instanceof Foo) { x.m() }``: inside the block x is a Foo, whatever it was."""
        cond = node.child_by_field_id(self.f.condition)
        block = node.child_by_field_id(self.f.consequence)
        test = cond.named_children[0] if cond is not None and cond.named_child_count else None
        if test is None or block is None or test.type != "binary_expression":
            return
        left, right = test.child_by_field_id(self.f.left), test.child_by_field_id(self.f.right)
        if left is None or right is None or left.type != "identifier":
            return
        refs = self.ev.extend(self.ev.values(right, top), "new")
        if not refs or any(r.base.startswith("b:") for r in refs):
            return
        frame = self.blocks.get(block.id)
        if frame is None:
            frame = self._child(top, block.end_byte, "block")
            frame.body_start = block.start_byte
            self.blocks[block.id] = frame
            self.stack.append(frame)
        declare(frame, self.ev.text(left), fixed=refs)

    def _block_scope(self, node: Node, top: Frame) -> Frame:
        """The scope a ``let``/``const``/``class``/function declaration lives in: a block that
        declares something gets its frame on the first such declaration (blocks are not captured:
        matching every block costs more than the declarations' parent links)."""
        parent = node.parent
        if parent is not None and parent.type == "export_statement":
            parent = parent.parent
        if parent is None or parent.type != "statement_block" or parent.start_byte == top.body_start:
            return top
        frame = self.blocks.get(parent.id)
        if frame is None:
            frame = self._child(top, parent.end_byte, "block")
            frame.body_start = parent.start_byte
            self.blocks[parent.id] = frame
            self.stack.append(frame)
        return frame

    # -- symbols --------------------------------------------------------------------------

    def _symbol_for(self, node: Node, top: Frame, kinds: frozenset[str]) -> str | None:
        """The symbol the extractor made of this function/class node: the innermost one of the
        right kind whose location holds the node and starts inside the enclosing scope."""
        limit = -1
        f: Frame | None = top
        while f is not None:
            if f.kind != "block" and f.node is not None:
                limit = f.node.start_byte if f.kind != "program" else -1
                break
            f = f.parent
        start, end = node.start_byte, node.end_byte
        i = bisect_right(self.sym_starts, start) - 1
        stop = max(-1, i - _SCAN)
        while i > stop and self.sym_starts[i] > limit:
            s = self.sym_list[i]
            if s.location.end_byte >= end and s.kind in kinds:
                return s.id
            i -= 1
        return None

    def _this_of(self, sym: str | None) -> tuple[Ref, ...]:
        """``this`` inside a function that is a method of a class, a prototype method, a
        constructor function, or a method of an object-literal symbol."""
        if sym is None:
            return ()
        s = self.symbols[sym]
        if s.kind == "function" and sym in self.constructors:
            return (Ref(f"s:{sym}", ("new",)),)
        if s.kind != "method" or s.parent is None:
            return ()
        parent = self.symbols[s.parent]
        if parent.kind in ("class", "function"):
            return (Ref(f"s:{parent.id}", ("new",)),)
        if parent.kind in ("variable", "constant", "property"):
            return (Ref(f"s:{parent.id}"),)
        return ()

    # -- scopes ---------------------------------------------------------------------------

    @staticmethod
    def _child(top: Frame, end: int, kind: str, node: Node | None = None) -> Frame:
        return Frame(
            end=end,
            parent=top,
            kind=kind,
            this=top.this,
            cls=top.cls,
            static=top.static,
            heritage=top.heritage,
            heritage_frame=top.heritage_frame,
            node=node,
        )

    def _function(self, node: Node, top: Frame) -> Frame:
        t = node.type
        if t in _DECLARATIONS:
            top = self._block_scope(node, top)
        sym = self._symbol_for(node, top, _FUNCTION_KINDS)
        if t == "arrow_function":
            frame = self._child(top, node.end_byte, "arrow", node)
        else:
            frame = Frame(end=node.end_byte, parent=top, kind="function", node=node)
            if t == "method_definition" and top.kind == "class":
                frame.cls, frame.heritage, frame.heritage_frame = top.cls, top.heritage, top.heritage_frame
                frame.static = any(c.type == "static" for c in node.children)
                if top.cls is not None:
                    frame.this = (Ref(f"s:{top.cls}"),) if frame.static else (Ref(f"s:{top.cls}", ("new",)),)
            else:
                frame.this = self._this_of(sym)
        frame.symbol = sym
        frame.returns = []
        body = node.child_by_field_id(self.f.body)
        if body is not None:
            frame.body_start = body.start_byte
        if sym is not None:
            self.ev.fn_symbols[node.id] = sym
        name = node.child_by_field_id(self.f.name)
        if name is not None and t != "method_definition":
            fixed = (Ref(f"s:{sym}"),) if sym is not None else ()
            declare(top if t in _DECLARATIONS else frame, self.ev.text(name), fixed=fixed)
        self._type_parameters(node, frame)
        params = node.child_by_field_id(self.f.parameters)
        if params is not None:
            slots = self._parameters(params, frame)
            if sym is not None and any(slots):
                self.slots[sym] = (frame, slots)
        else:
            single = node.child_by_field_id(self.f.parameter)
            if single is not None:
                self._pattern(single, None, None, frame, frame)
        if t == "method_definition" and top.kind == "class" and top.cls is not None and params is not None:
            if name is not None and self.ev.text(name) == "constructor":
                self._parameter_properties(params, frame, top.cls)
            rt = node.child_by_field_id(self.f.return_type)
            if name is not None and rt is not None and any(c.type == "get" for c in node.children):
                # a getter reads like a field of its declared type: ``this.cache.clear()``
                self._declared_member((top.cls, self.ev.text(name)), rt, frame)
        if self.typed:  # JavaScript declares no parameter types for callbacks to take
            if sym is not None and params is not None:
                self._callback_parameters(sym, params, frame)
            if t in _CALLBACKS:
                self._contextual_parameters(node, params, frame, top)
        body = node.child_by_field_id(self.f.body)
        if t == "arrow_function" and body is not None and body.type != "statement_block":
            frame.returns.append((body, frame))
        self.functions.append((node, frame))
        return frame

    def _class(self, node: Node, top: Frame) -> Frame:
        if node.type != "class":
            top = self._block_scope(node, top)
        sym = self._symbol_for(node, top, frozenset({"class"}))
        frame = Frame(end=node.end_byte, parent=top, kind="class", node=node, cls=sym)
        if sym is not None:
            frame.this = (Ref(f"s:{sym}", ("new",)),)
            self.ev.fn_symbols[node.id] = sym
        name = node.child_by_field_id(self.f.name)
        if name is not None:
            fixed = (Ref(f"s:{sym}"),) if sym is not None else ()
            declare(frame if node.type == "class" else top, self.ev.text(name), fixed=fixed)
        self._type_parameters(node, frame)
        frame.heritage_frame = top
        for child in node.children:
            if child.type == "class_heritage":
                self._heritage(child, frame, sym)
        return frame

    def _heritage(self, heritage: Node, frame: Frame, sym: str | None) -> None:
        for part in heritage.named_children:
            if part.type == "extends_clause":
                for value in part.children_by_field_name("value"):
                    frame.heritage = frame.heritage or value
                    self._relation(sym, value, "extends")
            elif part.type == "implements_clause":
                for base in part.named_children:
                    self._relation(sym, base, "implements")
            elif part.type != "comment":  # JavaScript: the expression itself
                frame.heritage = frame.heritage or part
                self._relation(sym, part, "extends")

    def _relation(self, sym: str | None, base: Node, kind: str) -> None:
        if sym is None:
            return
        self.relations.append(
            TypeRelation(
                type=sym,
                type_name=self.symbols[sym].name,
                base=_without_type_arguments(self.ev.text(base)),
                kind=kind,  # type: ignore[arg-type]
                location=Source.loc(base),
            )
        )

    def _interface(self, node: Node, top: Frame) -> None:
        sym = self._symbol_for(node, top, frozenset({"interface"}))
        for child in node.named_children:
            if child.type == "extends_type_clause":
                for base in child.named_children:
                    if base.type != "comment":
                        self._relation(sym, base, "extends")

    def _alias(self, node: Node, top: Frame) -> None:
        name, value = node.child_by_field_id(self.f.name), node.child_by_field_id(self.f.value)
        if top.kind == "program" and name is not None and value is not None:
            self.ev.aliases.setdefault(self.ev.text(name), value)

    def _block(self, node: Node, top: Frame) -> Frame:
        frame = self._child(top, node.end_byte, "block")
        frame.body_start = node.start_byte  # ``switch`` bodies, loop headers, catch clauses
        t = node.type
        if t == "catch_clause":
            param = node.child_by_field_id(self.f.parameter)
            if param is not None:
                self._pattern(param, None, None, frame, frame)
        elif t == "for_in_statement":
            kind = node.child_by_field_id(self.f.kind)
            left = node.child_by_field_id(self.f.left)
            if kind is not None and left is not None:
                target = frame if self.ev.text(kind) != "var" else top.hoist()
                op = node.child_by_field_id(self.f.operator)
                right = node.child_by_field_id(self.f.right)
                if op is not None and self.ev.text(op) == "of" and right is not None and left.type == "identifier":
                    declare(target, self.ev.text(left), source=(None, right, ("[]",), top))
                else:
                    self._pattern(left, None, None, frame, target)
        return frame

    def _namespace(self, node: Node, top: Frame) -> Frame:
        sym = self._symbol_for(node, top, frozenset({"namespace", "module"}))
        name, body = node.child_by_field_id(self.f.name), node.child_by_field_id(self.f.body)
        if name is not None and name.type in ("identifier", "nested_identifier"):
            first = self.ev.text(name).split(".", 1)[0]
            fixed = (Ref(f"s:{sym}"),) if sym is not None and "." not in self.ev.text(name) else ()
            declare(self._block_scope(node.parent or node, top), first, fixed=fixed)
        frame = self._child(top, node.end_byte, "namespace", node)
        frame.this = ()
        frame.symbol = sym
        frame.body_start = body.start_byte if body is not None else -1
        self.scopes.append(frame)
        return frame

    def _type_parameters(self, node: Node, frame: Frame) -> None:
        tps = node.child_by_field_id(self.f.type_parameters)
        if tps is None:
            return
        frame.types = {}
        for tp in tps.named_children:
            if tp.type == "type_parameter":
                name = tp.child_by_field_id(self.f.name)
                if name is not None:
                    frame.types[self.ev.text(name)] = tp.child_by_field_id(self.f.constraint)

    # -- declarations ---------------------------------------------------------------------

    def _parameters(self, params: Node, frame: Frame) -> list[str | None]:
        """Declare the parameters; returns, by position, the names a caller's argument may give a
        value to (untyped or function-typed identifiers; None for the others)."""
        slots: list[str | None] = []
        for child in params.named_children:
            t = child.type
            if t == "required_parameter" or t == "optional_parameter":
                pattern = child.child_by_field_id(self.f.pattern)
                ptype = child.child_by_field_id(self.f.type)
                if pattern is None:
                    continue
                if pattern.type == "this":
                    if ptype is not None:
                        frame.this = self.ev.type_refs(ptype, frame)
                    continue
                self._pattern(pattern, ptype, child.child_by_field_id(self.f.value), frame, frame)
                open_type = ptype is None or self._function_type(ptype, 0) is not None
                slots.append(self.ev.text(pattern) if pattern.type == "identifier" and open_type else None)
            elif t != "comment" and t != "decorator":
                self._pattern(child, None, None, frame, frame)
                slots.append(self.ev.text(child) if child.type == "identifier" else None)
        return slots

    def _callback_parameters(self, sym: str, params: Node, frame: Frame) -> None:
        """A parameter typed by a function type: what that type declares for the callback's own
        parameters and ``this``, as bindings ``(J)(I)`` / ``(J)(this)`` of the function, for the
        callbacks its callers pass (``operate((source, subscriber) => ...)`` types ``subscriber``)."""
        j = 0
        for child in params.named_children:
            t = child.type
            if t == "comment" or t == "decorator":
                continue
            pattern = child.child_by_field_id(self.f.pattern) if t in _TS_PARAMETERS else None
            if pattern is not None and pattern.type == "this":
                continue
            fn_type = self._function_type(child.child_by_field_id(self.f.type) if t in _TS_PARAMETERS else None, 0)
            if fn_type is not None:
                inner = fn_type.child_by_field_id(self.f.parameters)
                i = 0
                for p in () if inner is None else inner.named_children:
                    if p.type not in _TS_PARAMETERS:
                        continue
                    pat, ptype = p.child_by_field_id(self.f.pattern), p.child_by_field_id(self.f.type)
                    slot = "this" if pat is not None and pat.type == "this" else str(i)
                    if ptype is not None:
                        self.callbacks.append((sym, f"({j})({slot})", ptype, frame))
                    if slot != "this":
                        i += 1
            j += 1

    def _function_type(self, node: Node | None, depth: int) -> Node | None:
        if node is None or depth > 4:
            return None
        t = node.type
        if t == "function_type":
            return node
        if t in ("type_annotation", "parenthesized_type"):
            return self._function_type(node.named_children[0] if node.named_child_count else None, depth + 1)
        if t == "union_type":
            for member in node.named_children:
                found = self._function_type(member, depth + 1)
                if found is not None:
                    return found
            return None
        if t == "type_identifier":
            return self._function_type(self.ev.aliases.get(self.ev.text(node)), depth + 1)
        return None

    def _contextual_parameters(self, node: Node, params: Node | None, frame: Frame, top: Frame) -> None:
        """Untyped parameters (and ``this``) of a function passed as argument J of a call take
        what the callee declares for them: ``.(J)(I)`` of the callee (of its ``constructor`` for
        ``new``), a binding of the function the graph step reads."""
        parent = node.parent
        arg = node
        while parent is not None and parent.type in ("ternary_expression", "parenthesized_expression"):
            arg, parent = parent, parent.parent  # ``scheduler ? (subscriber) => ... : ...``
        if parent is None or parent.type != "arguments":
            return
        call = parent.parent
        if call is None or call.type not in ("call_expression", "new_expression"):
            return
        callee = call.child_by_field_id(self.f.constructor if call.type == "new_expression" else self.f.function)
        if callee is None:
            return
        root = callee
        while root.type == "member_expression":
            inner = root.child_by_field_id(self.f.object)
            if inner is None:
                break
            root = inner
        if root.type == "identifier" and self.ev.text(root) in self.packages:
            hit = lookup(top, self.ev.text(root))
            if hit is None or hit[0].kind == "program":
                return  # a package's callback (``app.get("/", (req, res) => ...)``): its types are not here
        j = 0
        for other in parent.named_children:
            if other.id == arg.id:
                break
            if other.type != "comment":
                j += 1
        prefix: tuple[str, ...] = ("constructor",) if call.type == "new_expression" else ()
        if params is None:
            single = node.child_by_field_id(self.f.parameter)
            if single is not None:
                self._pattern(single, None, callee, top, frame, (*prefix, f"({j})(0)"))
            return
        if node.type != "arrow_function" and not frame.this:
            frame.this = self.ev.extend(self.ev.values(callee, top), f".({j})(this)") if prefix == () else ()
        i = 0
        for child in params.named_children:
            t = child.type
            if t == "comment" or t == "decorator":
                continue
            pattern = child.child_by_field_id(self.f.pattern) if t in _TS_PARAMETERS else child
            if pattern is None:
                continue
            if pattern.type == "this":
                continue
            if t not in _TS_PARAMETERS or child.child_by_field_id(self.f.type) is None:
                if pattern.type in ("identifier", "object_pattern"):
                    self._pattern(pattern, None, callee, top, frame, (*prefix, f"({j})({i})"))
            i += 1

    def _parameter_properties(self, params: Node, frame: Frame, cls: str) -> None:
        """``constructor(private client: QueryClient)`` declares the field ``client``."""
        for child in params.named_children:
            if child.type not in ("required_parameter", "optional_parameter"):
                continue
            if not any(c.type in _MODIFIERS for c in child.children):
                continue
            pattern = child.child_by_field_id(self.f.pattern)
            if pattern is not None and pattern.type == "identifier":
                key = (cls, self.ev.text(pattern))
                declared = child.child_by_field_id(self.f.type)
                self.fields.setdefault(key, []).append((declared, child.child_by_field_id(self.f.value), frame))
                if declared is not None:
                    self._declared_member(key, declared, frame)

    def _pattern(
        self,
        pattern: Node,
        ptype: Node | None,
        value: Node | None,
        frame: Frame,
        target: Frame,
        path: tuple[str, ...] | None = (),
    ) -> None:
        """Declare the names a binding pattern binds in ``target``; each holds the property
        ``path`` of the declared type or value (unknown below an array pattern)."""
        t = pattern.type
        text = self.ev.text
        if t == "identifier" or t == "shorthand_property_identifier_pattern":
            source = (ptype, value, path, frame) if path is not None and (ptype or value) else None
            declare(target, text(pattern), source=source)
        elif t == "object_pattern":
            for member in pattern.named_children:
                mt = member.type
                sub = None if path is None else path
                if mt == "shorthand_property_identifier_pattern":
                    self._pattern(member, ptype, value, frame, target, None if sub is None else (*sub, text(member)))
                elif mt == "pair_pattern":
                    key, inner = member.child_by_field_id(self.f.key), member.child_by_field_id(self.f.value)
                    if inner is not None:
                        deeper = None if sub is None or key is None else (*sub, text(key).strip("'\""))
                        self._pattern(inner, ptype, value, frame, target, deeper)
                elif mt == "object_assignment_pattern":
                    left, right = member.child_by_field_id(self.f.left), member.child_by_field_id(self.f.right)
                    if left is not None:
                        deeper = None if sub is None else (*sub, text(left))
                        self._pattern(left, ptype, value, frame, target, deeper)
                        if right is not None:
                            declare(target, text(left), source=(None, right, (), frame))
                elif mt == "rest_pattern":
                    for name in _names(member):
                        declare(target, text(name))
        elif t == "assignment_pattern":
            left, right = pattern.child_by_field_id(self.f.left), pattern.child_by_field_id(self.f.right)
            if left is not None:
                self._pattern(left, ptype, value, frame, target, path)
                if right is not None and left.type == "identifier":
                    declare(target, text(left), source=(None, right, (), frame))
        elif t in ("array_pattern", "rest_pattern"):
            for name in _names(pattern):
                declare(target, text(name))

    def _variables(self, node: Node, top: Frame) -> None:
        if node.type == "variable_declaration":
            target = top.hoist()
        else:
            target = top = self._block_scope(node, top)
        for decl in node.named_children:
            if decl.type != "variable_declarator":
                continue
            name = decl.child_by_field_id(self.f.name)
            if name is None:
                continue
            value = decl.child_by_field_id(self.f.value)
            self._pattern(name, decl.child_by_field_id(self.f.type), value, top, target)
            if target.kind != "program" and value is not None and value.type == "object" and name.type == "identifier":
                # an object literal the extractor made a symbol of (a module-level block or wrapper):
                # its members are symbols too, so ``obj.m()`` folds to ``s:obj.m``
                text = self.ev.text(name)
                for where in (node, decl):
                    found = [
                        s for s in self._symbols_at(where) if s.name == text and s.kind in ("variable", "constant")
                    ]
                    if found:
                        declare(target, text, fixed=(Ref(f"s:{found[0].id}"),))
                        break

    def _field(self, node: Node, top: Frame) -> None:
        if top.kind != "class" or top.cls is None:
            return
        name = node.child_by_field_id(self.f.name) or node.child_by_field_id(self.f.property)
        if name is None:
            return
        value = node.child_by_field_id(self.f.value)
        if value is not None and value.type in ("arrow_function", "function_expression", "function"):
            return  # a method symbol
        key = (top.cls, _member_key(self.ev.text(name)))
        declared = node.child_by_field_id(self.f.type)
        self.fields.setdefault(key, []).append((declared, value, top))
        if declared is not None:
            self._declared_member(key, declared, top)

    def _declared_member(self, key: tuple[str, str], declared: Node, frame: Frame) -> None:
        self.ev.member_types.setdefault(key, []).append((declared, frame))
        self.ev.member_names.add(key[1])

    def _signature(self, node: Node, top: Frame) -> None:
        """Interface members, overload and abstract signatures: declared types other files reach."""
        for s in self._symbols_at(node):
            if node.type == "property_signature":
                if s.parent is not None and s.kind == "property":
                    name = node.child_by_field_id(self.f.name)
                    if name is not None:
                        key = (s.parent, _member_key(self.ev.text(name)))
                        self.fields.setdefault(key, []).append((node.child_by_field_id(self.f.type), None, top))
                return
            if s.kind in _FUNCTION_KINDS:
                rt = node.child_by_field_id(self.f.return_type)
                if rt is not None:
                    self.signatures.append((s.id, rt, top))
                params = node.child_by_field_id(self.f.parameters)
                if params is not None:
                    self._callback_parameters(s.id, params, top)
                return

    def _symbols_at(self, node: Node) -> list[Symbol]:
        i = bisect_right(self.sym_starts, node.start_byte) - 1
        out = []
        while i >= 0 and self.sym_starts[i] == node.start_byte:
            out.append(self.sym_list[i])
            i -= 1
        return out

    def _assignment(self, node: Node, top: Frame) -> None:
        left, right = node.child_by_field_id(self.f.left), node.child_by_field_id(self.f.right)
        if left is None or right is None:
            return
        if left.type == "identifier":
            self.assignments.append((self.ev.text(left), right, top))
        elif left.type == "member_expression":
            obj, prop = left.child_by_field_id(self.f.object), left.child_by_field_id(self.f.property)
            if obj is None or prop is None or obj.type != "this" or len(top.this) != 1:
                return
            this = top.this[0]
            if this.ops == ("new",) and this.base.startswith("s:"):
                key = (this.base[2:], self.ev.text(prop))
                self.fields.setdefault(key, []).append((None, right, top))

    def _return(self, node: Node, top: Frame) -> None:
        f = top.function()
        if f is None or f.returns is None:
            return
        for child in node.named_children:
            if child.type != "comment":
                f.returns.append((child, top))
                return


def _names(pattern: Node) -> list[Node]:
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
            todo.extend(n.named_children)
    return out


def _member_key(text: str) -> str:
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text


def _without_type_arguments(text: str) -> str:
    """``Base<T, Map<K, V>>`` -> ``Base``; whitespace squashed."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif not depth and not ch.isspace():
            out.append(ch)
    return "".join(out)
