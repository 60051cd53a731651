"""Python's semantic pass: call targets through real scopes, bindings for other files, bases.

:mod:`.python_scopes` collects every scope with what its names are given; :mod:`.python_eval`
turns a callee into Refs. This module puts the results on the records:

- each call gets ``targets`` (or ``reason``: ``builtin`` for an unshadowed builtin, ``dynamic``
  for ``getattr(o, name)()``, ``eval``, a subscript of an unknown container, ``unknown`` when a
  local holds nothing the file can tell);
- calls the extractor has no node for are appended in file order: ``@dec`` (a call of ``dec``
  made by the scope around the definition), ``@factory(...)`` applied to the definition when the
  factory is defined in this file, and ``raise Error`` with a class named bare (the class is
  instantiated);
- bindings: module variables (``handler = Foo()``, ``x = func``, containers as ``NAME[]``),
  class members (class-body assignments and ``self.x = ...`` / ``obj.x = ...`` in any function,
  ``self.x[k] = f`` / ``self.x.append(f)`` as ``x[]``), each function's ``return`` (returned
  and yielded values plus the declared return type), decorated names (what the decorator
  returns, when the decorator is defined here and does not return its argument);
- relations: each base of a class statement as written (``Generic[T]`` -> ``Generic``), keyword
  arguments apart (``metaclass=`` as ``metaclass``, others as ``keyword``).
"""

from __future__ import annotations

import re

from msgspec.structs import replace
from tree_sitter import Node

from ..extract.common import Source, squash
from ..extract.python_text import is_constructor_name
from ..model import Binding, Call, CallReason, CallType, Import, Ref, Symbol, TypeRelation
from .python_builtins import DYNAMIC_CALLS
from .python_eval import Evaluator, _unique
from .python_scopes import (
    FIELD_FUNCTION,
    FIELD_NAME,
    FIELD_OBJECT,
    FIELD_SUPERCLASSES,
    FIELD_VALUE,
    Collected,
    Scope,
    Val,
    collect,
)

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def semantics(
    root: Node,
    src: Source,
    language: str,
    symbols: tuple[Symbol, ...],
    imports: tuple[Import, ...],
    calls: tuple[Call, ...],
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    try:
        return _semantics(root, src, symbols, calls)
    except RecursionError:
        # Values that feed each other through more levels than the interpreter's stack allows:
        # the file keeps its extraction, and its calls resolve by name.
        return calls, (), ()


def _semantics(
    root: Node, src: Source, symbols: tuple[Symbol, ...], calls: tuple[Call, ...]
) -> tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]]:
    data = collect(root, src, symbols, calls)
    ev = Evaluator(data, src)
    fields = _link(data, ev)
    out: list[Call] = []
    for call, scope in zip(calls, data.call_scopes, strict=True):
        found = _by_text(ev, call, scope)
        if found is None:
            node = data.call_node(call)
            if node is None:
                out.append(replace(call, reason="unknown"))
                continue
            found = _targets(ev, node.child_by_field_id(FIELD_FUNCTION), scope)
        out.append(replace(call, targets=found[0], reason=found[1]))
    extra = _decorator_calls(data, ev, src) + _raise_calls(data, ev, src)
    if extra:
        out = sorted(out + extra, key=lambda c: c.location.start_byte)
    return tuple(out), _relations(data, src), _bindings(data, ev, fields)


def _link(data: Collected, ev: Evaluator) -> dict[str, dict[str, list[Val]]]:
    """Attach what the walk could not place yet: ``nonlocal`` assignments, element assignments
    to the scope owning the container, attribute assignments to the class of the object."""
    for name, val in data.nonlocal_assigns:
        s: Scope | None = val.scope.parent
        while s is not None and (s.kind == "class" or name not in s.bound or name in s.nonlocals):
            s = s.parent
        if s is not None and s.kind != "module":
            s.add(name, val)
    for node, val in data.elem_assigns:
        name = ev.text(node)
        owner = ev.resolve(name, val.scope)
        if owner is not None:
            owner.add_elem(name, val)
    fields: dict[str, dict[str, list[Val]]] = {}
    for a in data.attr_assigns:
        for ref in ev.expr(a.obj, a.val.scope):
            sid = ev.symbol_of(ref.base)
            target = data.scopes.get(sid) if sid is not None else None
            if target is None or target.kind != "class" or ref.ops not in ((), ("new",), ("()",)):
                continue
            fields.setdefault(sid, {}).setdefault(a.attr + ("[]" if a.elem else ""), []).append(a.val)  # type: ignore[arg-type]
    ev.memo.clear()
    return fields


def _targets(ev: Evaluator, fn: Node | None, scope: Scope) -> tuple[tuple[Ref, ...], CallReason | None]:
    if fn is None:
        return (), "unknown"
    if fn.type == "identifier":
        name = ev.text(fn)
        if name in DYNAMIC_CALLS and ev.resolve(name, scope) is None:
            return (), "dynamic"
    ev.dynamic = False
    refs = _known(ev.expr(fn, scope))
    if not refs:
        dynamic = ev.dynamic or _has_subscript(fn)
        return (), "dynamic" if dynamic else "unknown"
    if all(r.base.startswith("b:") for r in refs):
        return (), "builtin"
    return tuple(refs), None


def _by_text(ev: Evaluator, call: Call, scope: Scope) -> tuple[tuple[Ref, ...], CallReason | None] | None:
    """The targets of a callee written as a plain dotted name, read off its text (most calls);
    None for any other callee, which the tree evaluates."""
    callee = call.callee
    # Keyed by the scope that binds the first name: a module-level or builtin head means the
    # same in every function of the file.
    dot = callee.find(".")
    owner = ev.resolve(callee if dot < 0 else callee[:dot], scope)
    key = (id(owner) if owner is not None and owner.kind != "module" else 0, callee)
    if key in ev.callees:
        return ev.callees[key]
    found = _dotted_targets(ev, callee, scope)
    ev.callees[key] = found
    return found


def _dotted_targets(ev: Evaluator, callee: str, scope: Scope) -> tuple[tuple[Ref, ...], CallReason | None] | None:
    if not _DOTTED.fullmatch(callee):
        return None
    head, _, rest = callee.partition(".")
    if head in ("super", "getattr") or (not rest and head in DYNAMIC_CALLS):
        return None
    refs = ev.name(head, scope)
    if rest:
        attrs = rest.split(".")
        more = ev.overrides(head, scope, attrs[0]) if len(attrs) == 1 else []
        refs = ev.members(refs, attrs[0])
        ops = tuple("." + a for a in attrs[1:])
        refs = [Ref(r.base, r.ops + ops) for r in refs] + more
    known = _known(refs)
    if not known:
        return (), "dynamic" if refs else "unknown"
    refs = known
    if all(r.base.startswith("b:") for r in refs):
        return (), "builtin"
    return tuple(refs), None


def _known(refs: list[Ref]) -> list[Ref]:
    """Targets without the values chosen at run time (``d:``): a call gets those as its
    ``dynamic`` reason, not as targets; bindings keep them for other files to see."""
    return [r for r in refs if not r.base.startswith("d:")] if any(r.base.startswith("d:") for r in refs) else refs


def _has_subscript(fn: Node) -> bool:
    node: Node | None = fn
    while node is not None:
        if node.type == "subscript":
            return True
        if node.type == "attribute":
            node = node.child_by_field_id(FIELD_OBJECT)
        elif node.type == "call":
            node = node.child_by_field_id(FIELD_FUNCTION)
        elif node.type == "parenthesized_expression" and node.named_child_count:
            node = node.named_children[-1]
        else:
            return False
    return False


def _caller(scope: Scope) -> str | None:
    s: Scope | None = scope
    while s is not None and not (s.symbol is not None and s.kind in ("function", "class", "lambda")):
        s = s.parent
    return s.symbol if s is not None else None


def _synthetic(
    ev: Evaluator, src: Source, node: Node, callee: Node, scope: Scope, call_type: CallType, arg_count: int
) -> Call:
    text = squash(src.text(callee))
    head = text.split("(", 1)[0]
    name = head.rsplit(".", 1)[-1].strip()
    receiver = head.rsplit(".", 1)[0].strip() if "." in head else None
    if call_type != "constructor" and is_constructor_name(name):
        call_type = "constructor"
    return Call(
        caller=_caller(scope),
        callee=text,
        name=name,
        receiver=receiver,
        call_type=call_type,
        arg_count=arg_count,
        location=Source.loc(node),
    )


def _decorator_calls(data: Collected, ev: Evaluator, src: Source) -> list[Call]:
    out = []
    for d in data.decorators:
        expr = d.expr
        if expr.type in ("identifier", "attribute"):
            call = _synthetic(ev, src, expr, expr, d.scope, "method" if expr.type == "attribute" else "direct", 1)
            targets, reason = _targets(ev, expr, d.scope)
            out.append(replace(call, targets=targets, reason=reason))
        elif expr.type == "call":
            refs = ev.expr(expr, d.scope)
            if refs and all(ev.defined_here(r) for r in refs):
                decorator = expr.parent if expr.parent is not None else expr
                call = _synthetic(ev, src, decorator, expr, d.scope, "direct", 1)
                out.append(replace(call, targets=tuple(refs)))
    return out


def _raise_calls(data: Collected, ev: Evaluator, src: Source) -> list[Call]:
    """``raise Error`` instantiates ``Error``: a constructor call, when the name is a class (a
    builtin exception class too, as a ``builtin`` call: ``raise NotImplementedError`` marks a
    hook for subclasses to override, see ``graph.lookup.overridable_hooks``)."""
    out = []
    for node, scope in data.raises:
        refs = ev.expr(node, scope)
        if (
            len(refs) == 1
            and refs[0].base.startswith("b:")
            and not refs[0].ops
            and is_constructor_name(refs[0].base[2:])
        ):
            out.append(replace(_synthetic(ev, src, node, node, scope, "constructor", 0), reason="builtin"))
            continue
        if not refs or any(r.base[:2] in ("b:", "d:") or any(not op.startswith(".") for op in r.ops) for r in refs):
            continue
        sid = ev.symbol_of(refs[0].base)
        known = data.scopes.get(sid) if sid is not None else None
        last = ev.text(node).rsplit(".", 1)[-1]
        if (known is not None and known.kind == "class") or (known is None and is_constructor_name(last)):
            call = _synthetic(ev, src, node, node, scope, "constructor", 0)
            out.append(replace(call, targets=tuple(refs)))
    return out


def _relations(data: Collected, src: Source) -> tuple[TypeRelation, ...]:
    out = []
    for node, sid in data.class_nodes:
        bases = node.child_by_field_id(FIELD_SUPERCLASSES)
        name = src.text(node.child_by_field_id(FIELD_NAME))
        for base in bases.named_children if bases is not None else ():
            kind = "extends"
            access = None
            value: Node | None = base
            if base.type == "keyword_argument":
                key = src.text(base.child_by_field_id(FIELD_NAME))
                value = base.child_by_field_id(FIELD_VALUE)
                kind, access = ("metaclass", None) if key == "metaclass" else ("keyword", key)
            elif base.type in ("comment", "list_splat", "dictionary_splat"):
                continue
            while value is not None and value.type in ("subscript", "generic_type"):
                value = value.child_by_field_id(FIELD_VALUE) or value.named_children[0]
            if value is None:
                continue
            out.append(
                TypeRelation(
                    type=sid,
                    type_name=name,
                    base=squash(src.text(value)),
                    kind=kind,  # type: ignore[arg-type]
                    access=access,
                    location=Source.loc(base),
                )
            )
    return tuple(out)


def _bindings(data: Collected, ev: Evaluator, fields: dict[str, dict[str, list[Val]]]) -> tuple[Binding, ...]:
    out: list[Binding] = []

    def emit(scope: str | None, name: str, vals: list[Val]) -> None:
        own = Ref(f"n:{name}") if scope is None else None
        refs = [r for r in _unique([r for v in vals for r in ev.val(v)]) if r != own]
        if refs:
            out.append(Binding(scope=scope, name=name, values=tuple(refs)))

    module = data.module
    for name, vals in module.names.items():
        emit(None, name, vals + ([module.decorated[name]] if name in module.decorated else []))
    for name, deco in module.decorated.items():
        if name not in module.names and ev.val(deco) != [Ref(f"s:{deco.symbol}")]:
            emit(None, name, [deco])
    for name, vals in module.elems.items():
        emit(None, name + "[]", vals)
    for sid, scope in data.scopes.items():
        if scope.kind == "class":
            members: dict[str, list[Val]] = {}
            for name, vals in scope.names.items():
                if name not in scope.defs:
                    members.setdefault(name, []).extend(vals)
            for name, vals in scope.elems.items():
                members.setdefault(name + "[]", []).extend(vals)
            for name, vals in fields.get(sid, {}).items():
                members.setdefault(name, []).extend(vals)
            for name, vals in members.items():
                emit(sid, name, vals)
        elif scope.returns:
            emit(sid, "return", scope.returns)
    return tuple(out)
