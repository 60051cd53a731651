"""What the JavaScript/TypeScript pass hands back: each call's targets or reason, and the
bindings other files reach (module and namespace variables, class members, results, callback
parameter types). Kept apart from the scope walk in :mod:`.javascript`, which records what these
read."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from tree_sitter import Node

from ..model import Binding, Call, CallReason, Ref, Symbol
from .javascript_scopes import Fields, Frame
from .javascript_values import Evaluator, dedupe

FOLDABLE = frozenset({"namespace", "module", "variable", "constant", "property", "class", "enum"})
"""Symbols whose members are symbols too: ``ns.f`` / ``obj.m`` inside the same file are folded to
the member's symbol."""
CALLABLE_MEMBERS = frozenset({"function", "method", "class", "namespace", "module", "variable", "constant"})
PRIMITIVES = frozenset({"b:String", "b:Number", "b:Boolean", "b:BigInt", "b:Symbol", "b:RegExp"})
"""Values not worth a binding: what a string or number constant holds types no call of the repository."""


class Results:
    """Mixed into the pass: reads what its walk recorded."""

    ev: Evaluator
    f: Fields
    symbols: dict[str, Symbol]
    top_symbols: dict[str, Symbol]
    children: dict[tuple[str, str], str]
    required: set[str]
    call_sites: list[tuple[Node, Frame]]
    scopes: list[Frame]
    fields: dict[tuple[str, str], list[tuple[Node | None, Node | None, Frame]]]
    functions: list[tuple[Node, Frame]]
    signatures: list[tuple[str, Node, Frame]]
    defaults: list[tuple[Node, Frame]]
    callbacks: list[tuple[str, str, Node, Frame]]

    def resolve_calls(self, calls: tuple[Call, ...]) -> tuple[Call, ...]:
        index = {(c.location.start_byte, c.location.end_byte): i for i, c in enumerate(calls)}
        out = list(calls)
        for node, frame in self.call_sites:
            i = index.get((node.start_byte, node.end_byte))
            if i is None:
                continue
            refs, reason = self.ev.callee_values(node, frame)
            targets, reason = self._verdict(refs, reason)
            if targets and all(t.base in self.required for t in targets):
                continue
            if node.type == "new_expression" and targets:
                targets = dedupe((*targets, *self._construct_signatures(targets)))
            out[i] = msgspec.structs.replace(calls[i], targets=targets, reason=reason)
        return tuple(out)

    def _verdict(self, refs: tuple[Ref, ...], reason: str | None) -> tuple[tuple[Ref, ...], CallReason | None]:
        if reason is not None:
            return (), reason  # type: ignore[return-value]
        own = tuple(self._fold(r) for r in refs if not r.base.startswith(("b:", "t:", "e:")))
        if own:
            return dedupe(own), None
        if any(r.base.startswith(("b:", "e:")) for r in refs):
            return (), "builtin"
        return (), "unknown"

    def _construct_signatures(self, targets: tuple[Ref, ...]) -> list[Ref]:
        """``new X()`` where X is a value typed by an interface with ``new (...)``: that member
        (``const EmptyError: EmptyErrorCtor = ...``). A class of this file needs no such guess."""
        out = []
        for r in targets:
            sym = self.symbols.get(r.base[2:]) if r.base.startswith("s:") and not r.ops else None
            if sym is None and r.base.startswith("n:") and not r.ops:
                sym = self.top_symbols.get(r.base[2:])
            if sym is not None and sym.kind in ("class", "function"):
                continue
            out.append(Ref(r.base, (*r.ops, ".new")))
        return out

    def _fold(self, ref: Ref) -> Ref:
        """``ns.f`` / ``obj.m`` where ``ns`` or ``obj`` is a symbol of this file holding members:
        the member's symbol itself."""
        ops = ref.ops
        if not ops or not ops[0].startswith(".") or ops[0].endswith("[]"):
            return ref
        base = ref.base
        sym: Symbol | None = None
        if base.startswith("n:"):
            sym = self.top_symbols.get(base[2:])
        elif base.startswith("s:"):
            sym = self.symbols.get(base[2:])
        if sym is None or sym.kind not in FOLDABLE:
            return ref
        folded = None
        while ops and ops[0].startswith(".") and sym is not None and sym.kind in FOLDABLE:
            child = self.children.get((sym.id, ops[0][1:]))
            if child is None or self.symbols[child].kind not in CALLABLE_MEMBERS:
                break
            sym, ops = self.symbols[child], ops[1:]
            folded = sym
        return ref if folded is None else Ref(f"s:{folded.id}", ops)

    def bindings(self) -> tuple[Binding, ...]:
        ev = self.ev
        out: list[Binding] = []

        def emit(scope: str | None, name: str, refs: Iterable[Ref]) -> None:
            plain: list[Ref] = []
            for r in refs:
                if r.base.startswith("e:"):
                    plain.append(Ref("b:Array"))
                    literal = ev.arrays.get(int(r.base[2:]))
                    if not name.endswith("[]") and (literal is None or literal[0].type != "array"):
                        emit(scope, f"{name}[]", ev.element_of((r,)))
                elif r.base not in PRIMITIVES and not r.base.startswith("t:"):
                    plain.append(r)
            kept = dedupe(self._fold(r) for r in plain)
            if kept:
                out.append(Binding(scope=scope, name=name, values=kept))

        for frame in self.scopes:
            for name, decl in frame.names.items():
                if decl.fixed:
                    continue
                emit(frame.symbol, name, ev.decl_values(decl))
                emit(frame.symbol, f"{name}[]", (r for s in decl.sources for r in self._containers(s[1], s[3])))
        for (cls, name), sources in self.fields.items():
            values: list[Ref] = []
            for type_node, value, frame in sources:
                if type_node is not None:
                    values.extend(ev.type_refs(type_node, frame))
                elif value is not None:
                    values.extend(ev.values(value, frame))
            emit(cls, name, dedupe(values))
            emit(cls, f"{name}[]", (r for _t, v, f in sources for r in self._containers(v, f)))
        for node, frame in self.functions:
            if frame.symbol is None or node.type in ("generator_function", "generator_function_declaration"):
                continue
            if self.symbols[frame.symbol].name == "constructor":
                continue
            rt = node.child_by_field_id(self.f.return_type)
            if rt is not None:
                emit(frame.symbol, "return", ev.type_refs(rt, frame, unwrap=True))
            elif frame.returns:
                emit(frame.symbol, "return", dedupe(r for e, f in frame.returns for r in ev.values(e, f)))
        for sym, rt, frame in self.signatures:
            emit(sym, "return", ev.type_refs(rt, frame, unwrap=True))
        for node, frame in self.defaults:
            emit(None, "default", ev.values(node, frame))
        for sym, slot, ptype, frame in self.callbacks:
            emit(sym, slot, ev.type_refs(ptype, frame))
        return tuple(out)

    def _containers(self, value: Node | None, frame: Frame) -> tuple[Ref, ...]:
        return () if value is None else self.ev.literal_elements(value, frame)
