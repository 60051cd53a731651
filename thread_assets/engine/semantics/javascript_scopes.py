"""Scopes of a JavaScript/TypeScript file as the semantic pass records them.

A :class:`Frame` is one scope: the file, a function (parameters and ``var``), a block
(``let``/``const``/``class``/function declarations), a class body (what ``this`` is), a namespace
body. Each name a scope declares is a :class:`Decl` whose values are computed on first use
(flow-insensitive: every value the name is ever given, from its declaration and any later plain
assignment), so a use may precede the declaration as hoisting allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Node

from ..model import Ref
from ..parse import language_object

_FIELD_NAMES = (
    "alternative",
    "arguments",
    "body",
    "condition",
    "consequence",
    "constraint",
    "constructor",
    "function",
    "index",
    "key",
    "kind",
    "left",
    "name",
    "object",
    "operator",
    "parameter",
    "parameters",
    "pattern",
    "property",
    "return_type",
    "right",
    "type",
    "type_arguments",
    "type_parameters",
    "value",
)


class Fields:
    """Field ids of one grammar: ``child_by_field_id`` is ten times as fast as
    ``child_by_field_name``, which looks the name up on every call. A field the grammar lacks
    (``type`` in JavaScript) gets id 0, which no child has."""

    alternative: int
    arguments: int
    body: int
    condition: int
    consequence: int
    constraint: int
    constructor: int
    function: int
    index: int
    key: int
    kind: int
    left: int
    name: int
    object: int
    operator: int
    parameter: int
    parameters: int
    pattern: int
    property: int
    return_type: int
    right: int
    type: int
    type_arguments: int
    type_parameters: int
    value: int

    def __init__(self, language: str) -> None:
        lang = language_object(language)
        for name in _FIELD_NAMES:
            setattr(self, name, lang.field_id_for_name(name) or 0)


@cache
def fields(language: str) -> Fields:
    return Fields(language)


Source = tuple[Node | None, Node | None, tuple[str, ...], "Frame"]
"""(declared type, value, destructured property path, frame the value is evaluated in)."""


@dataclass(slots=True, eq=False)
class Frame:
    end: int
    parent: Frame | None
    kind: str
    """program | function | arrow | block | namespace | class."""
    names: dict[str, Decl] = field(default_factory=dict)
    this: tuple[Ref, ...] = ()
    """What ``this`` is here: a class instance in methods, the class in static methods."""
    cls: str | None = None
    """Local id of the class whose body (or a method of it) this frame lies in: for ``super``."""
    static: bool = False
    heritage: Node | None = None
    """The ``extends`` expression of the class frame (or of the enclosing class)."""
    heritage_frame: Frame | None = None
    symbol: str | None = None
    """Local id of the function (or namespace) symbol this frame is the scope of, if any."""
    types: dict[str, Node | None] | None = None
    """Type parameters declared here, each with its constraint (``T extends Foo``) or None."""
    returns: list[tuple[Node, Frame]] | None = None
    node: Node | None = None
    body_start: int = -1
    """Where the statement block this frame is the scope of begins (a function's body, a block,
    a namespace's body): declarations directly in it belong here."""

    def hoist(self) -> Frame:
        """Where a ``var`` or a parameter of this position lives: the nearest function, namespace or file."""
        f: Frame = self
        while f.kind not in ("function", "arrow", "program", "namespace") and f.parent is not None:
            f = f.parent
        return f

    def function(self) -> Frame | None:
        f: Frame | None = self
        while f is not None and f.kind not in ("function", "arrow"):
            if f.kind in ("program", "namespace", "class"):
                return None
            f = f.parent
        return f


@dataclass(slots=True, eq=False)
class Decl:
    fixed: tuple[Ref, ...] = ()
    """Values known without evaluation: the symbol a function or class declaration defines."""
    sources: list[Source] = field(default_factory=list)
    cache: tuple[Ref, ...] | None = None
    busy: bool = False


def declare(frame: Frame, name: str, *, fixed: tuple[Ref, ...] = (), source: Source | None = None) -> Decl:
    decl = frame.names.get(name)
    if decl is None:
        decl = frame.names[name] = Decl()
    if fixed:
        decl.fixed += fixed
    if source is not None:
        decl.sources.append(source)
    return decl


def lookup(frame: Frame, name: str) -> tuple[Frame, Decl] | None:
    f: Frame | None = frame
    while f is not None:
        decl = f.names.get(name)
        if decl is not None:
            return f, decl
        f = f.parent
    return None


def type_parameter(frame: Frame, name: str) -> tuple[bool, Node | None]:
    """Whether ``name`` is a type parameter in scope here, and its constraint."""
    f: Frame | None = frame
    while f is not None:
        if f.types is not None and name in f.types:
            return True, f.types[name]
        f = f.parent
    return False, None
