"""What a local name holds, worked out on first use: shared by the typed languages' passes.

Most locals are never a receiver or a callee, so their values (and, for containers, their
elements) are computed only when a call asks, from the scopes of their declaration.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Ref

Values = tuple[Ref, ...]


class LazyVar:
    """What a name holds: instances (``values``) and, for containers, their elements."""

    __slots__ = ("_elems", "_thunk", "_values")

    def __init__(
        self, values: Values = (), elems: Values = (), thunk: Callable[[], tuple[Values, Values]] | None = None
    ) -> None:
        self._values = values
        self._elems = elems
        self._thunk = thunk

    def _force(self) -> None:
        thunk, self._thunk = self._thunk, None
        if thunk is not None:
            self._values, self._elems = thunk()

    @property
    def values(self) -> Values:
        if self._thunk is not None:
            self._force()
        return self._values

    @property
    def elems(self) -> Values:
        if self._thunk is not None:
            self._force()
        return self._elems
