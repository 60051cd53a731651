"""Caller attribution shared by the Go and Java extractors.

Calls are found by one query pass over the whole tree, symbols by another; rather than walking up
from every call, both lists are swept once in byte order with a stack of open scopes (symbol
ranges nest like the tree they come from), which costs O(symbols + calls).
"""

from __future__ import annotations

from collections.abc import Sequence


def innermost_scopes(scopes: Sequence[tuple[int, int, int]], positions: Sequence[int]) -> list[int | None]:
    """For each byte position (ascending), the handle of the innermost scope ``(start, end,
    handle)`` containing it, or None. ``positions`` must be sorted; scopes may come in any order."""
    ordered = sorted(scopes, key=lambda s: (s[0], -s[1]))
    out: list[int | None] = []
    stack: list[tuple[int, int, int]] = []
    i = 0
    for pos in positions:
        while i < len(ordered) and ordered[i][0] <= pos:
            while stack and stack[-1][1] <= ordered[i][0]:
                stack.pop()
            stack.append(ordered[i])
            i += 1
        while stack and stack[-1][1] <= pos:
            stack.pop()
        out.append(stack[-1][2] if stack else None)
    return out
