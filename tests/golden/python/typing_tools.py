"""Typed helpers exercising PEP 695 generics, overloads and every parameter kind."""

from __future__ import annotations

import functools
import os.path
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import Protocol, TypeAlias, overload

from .compat import *

type Pair[K, V] = tuple[K, V]
type Predicate[T] = Callable[[T], bool]
JSONScalar: TypeAlias = str | int | float | bool | None
MAX_DEPTH: int = 32
_sentinel = object()
identity = lambda value, /: value


class SupportsLessThan(Protocol):
    def __lt__(self, other: object, /) -> bool: ...


class Box[T: SupportsLessThan]:
    """An immutable box around one comparable value."""

    __match_args__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def map[U](self, fn: Callable[[T], U]) -> Box[U]:
        return Box(fn(self.value))

    def __lt__(self, other: Box[T]) -> bool:
        return self.value < other.value


class Registry[**P, R]:
    def register(self, fn: Callable[P, R]) -> Callable[P, R]:
        return fn


@overload
def first(items: list[str]) -> str: ...
@overload
def first(items: list[int], default: int = 0) -> int: ...
def first(items, default=_sentinel):
    """Return the first item.

        Falls back to *default* when empty.
    """
    for item in items:
        return item
    if default is _sentinel:
        raise LookupError("empty")
    return default


def clamp(value: float, /, low: float = 0.0, *, high: float = 1.0) -> float:
    return max(low, min(value, high))


def collect(*paths: str, sep: str = os.sep, **options: bool) -> list[str]:
    def normalise(p: str) -> str:
        return os.path.normpath(p).replace(os.sep, sep)

    return sorted(map(normalise, paths), reverse=options.get("reverse", False))


@functools.lru_cache(maxsize=128)
def parse_xml(text: str) -> ET.Element:
    return ET.fromstring(text)


def largest[T: SupportsLessThan](items: Iterable[T], *, key: Callable[[T], T] | None = None) -> T | None:
    from heapq import nlargest

    best = nlargest(1, items, key=key)
    return best[0] if best else None


async def gather_all[*Ts](*aws: *Ts) -> tuple[*Ts]:
    import asyncio

    results = await asyncio.gather(*aws)
    return tuple(results)


def compose(*fns: Callable[[object], object]) -> Callable[[object], object]:
    return functools.reduce(lambda f, g: lambda x: g(f(x)), fns, identity)


HANDLERS: dict[str, Callable[..., object]] = {"first": first, "clamp": clamp}


def dispatch(name: str, *args: object) -> object:
    return HANDLERS[name](*args)
