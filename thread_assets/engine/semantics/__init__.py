"""The semantic pass: what each call may reach, as the file's own scopes and types tell.

Extractors list symbols, imports and calls; this pass, run on the same tree right after, adds
what the graph step needs to resolve calls through scopes, values and types across files:

- ``Call.targets``: the callee as :class:`~thread_assets.engine.model.Ref` values (a parameter
  shadows a module-level name; ``b = B(); b.m()`` is ``B``'s ``m``; ``doc: Document`` types
  ``doc.write()``), or ``Call.reason`` when no target can exist (builtins, dynamic calls);
- ``FileAnalysis.bindings``: what module variables, class members and function results hold, for
  calls in other files;
- ``FileAnalysis.relations``: the type hierarchy as written.

One module per language family; each exposes ``semantics(root, src, language, symbols, imports,
calls) -> (calls, relations, bindings)`` and must keep ``calls`` in the same order and length.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from tree_sitter import Node

from ..extract.common import Source
from ..model import Binding, Call, Import, Symbol, TypeRelation

Semantics = Callable[
    [Node, Source, str, tuple[Symbol, ...], tuple[Import, ...], tuple[Call, ...]],
    tuple[tuple[Call, ...], tuple[TypeRelation, ...], tuple[Binding, ...]],
]

_MODULES = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "tsx": "javascript",
    "java": "java",
    "go": "go",
    "rust": "rust",
    "c": "c_family",
    "cpp": "c_family",
}


def semantics_for(language: str) -> Semantics | None:
    """The language's semantic pass, or None (then calls resolve by name in the graph step)."""
    name = _MODULES.get(language)
    if name is None:
        return None
    try:
        module = import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            return None  # not written yet for this language family
        raise
    fn: Semantics = module.semantics
    return fn
