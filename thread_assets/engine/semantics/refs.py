"""Small operations on value lists, shared by the typed languages' passes."""

from __future__ import annotations

from ..model import Ref
from .lazy import Values


def builtins_bare(values: Values) -> Values:
    """Values as recorded: a builtin is a builtin whatever is done to it, so its operations are
    dropped (``b:StringBuilder``, not an instance of it called)."""
    if not any(v.base.startswith("b:") and v.ops for v in values):
        return values
    out: list[Ref] = []
    for v in values:
        v = Ref(v.base) if v.base.startswith("b:") else v
        if v not in out:
            out.append(v)
    return tuple(out)


def with_ops(values: Values, *ops: str) -> Values:
    return tuple(Ref(v.base, v.ops + ops) for v in values)
