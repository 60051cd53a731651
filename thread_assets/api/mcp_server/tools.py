"""The query tools: one method per tool, over the Store protocol as ``thread serve`` uses it.

Each signature is the tool's input schema (the SDK builds it from the annotations, with every
``Field`` description) and each docstring its description, both written for a language model.
"""

from __future__ import annotations

import difflib
import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from resources.store.base import Store
from resources.store.ranks import DEFAULT_TOKENS, MAX_TOKENS, MapError, repo_map
from thread_assets.engine.languages import LANGUAGES
from thread_assets.engine.model import SymbolKind
from thread_assets.repo.settings import RepoSettings

from .shapes import (
    Row,
    call_item,
    cycle_item,
    dep_item,
    hierarchy_item,
    implementation_item,
    paged,
    symbol_item,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
LISTED = 50
"""Paths ``index_status`` names per kind (stale, missing, ...); the counts are always whole."""
SUGGESTIONS = 5

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"page size (1-{MAX_LIMIT})")]
Offset = Annotated[int, Field(ge=0, description="rows to skip: the previous page's next_offset")]
SymbolArg = Annotated[str, Field(min_length=1, description="a symbol id (path::Qual.name), qualified name or name")]
PathArg = Annotated[str, Field(min_length=1, description="repository-relative path (or absolute inside it)")]


@dataclass(frozen=True)
class Index:
    """What the tools read: the store, and the repository on disk it indexes (for ``index_status``
    and to accept absolute paths)."""

    store: Store
    settings: RepoSettings
    repo: str | None = None
    """Only this repository of the store (``--repo``); every one when None."""


class Refusal(Exception):
    """A call the index cannot answer as asked (an unknown file, symbol, kind or language): the
    message goes back to the agent as an error result, with what it could ask instead."""


def near(word: str, candidates: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(word, list(candidates), n=SUGGESTIONS, cutoff=0.6)


def _did_you_mean(names: Sequence[str]) -> str:
    return f"; did you mean: {', '.join(names)}?" if names else ""


class Tools:
    """The tool functions over one :class:`Index`; :func:`build_server` registers them."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.store = index.store
        self.repo = index.repo

    # ---- helpers

    def near_names(self, name: str) -> list[str]:
        """Up to five symbol names spelt like ``name`` (its last part for ``path::Qual.name``)."""
        word = name.rsplit("::", 1)[-1].rsplit(".", 1)[-1]
        if not word:
            return []
        low, high = (len(word) * 3) // 7, (len(word) * 7 + 2) // 3  # where difflib's ratio can reach 0.6
        return near(word, self.store.symbol_names(repo=self.repo, min_length=low, max_length=high))

    def repo_path(self, path: str) -> str:
        """A path as the index keys files: an absolute one inside the repository becomes relative
        (agents often pass absolute paths); ``./`` and ``..`` inside it are normalised."""
        root = self.index.settings.root
        given = Path(path)
        if given.is_absolute():
            full = Path(os.path.normpath(given))
            for base in (root, root.resolve()):
                try:
                    return full.relative_to(base).as_posix()
                except ValueError:
                    continue
            raise Refusal(f"{path} is outside the repository ({root}): pass a repository-relative path")
        normal = posixpath.normpath(given.as_posix())
        if normal == ".." or normal.startswith("../"):
            raise Refusal(f"{path} is outside the repository: pass a repository-relative path")
        return normal

    def no_file(self, path: str) -> Refusal:
        paths = [row["path"] for row in self.store.export("files", repo=self.repo)]
        tail = [p for p in paths if p.endswith("/" + path)][:SUGGESTIONS]
        return Refusal(f"the index holds no file {path!r}{_did_you_mean(tail or near(path, paths))}")

    # ---- tools

    def find_symbol(
        self,
        name: Annotated[str, Field(min_length=1, description="a name, qualified name (Class.method) or id")],
        match: Annotated[
            Literal["exact", "prefix", "search"],
            Field(
                description="exact: the name as given; prefix: names starting with it; "
                "search: substring of names, qualified names and docstrings, best first"
            ),
        ] = "exact",
        kind: Annotated[SymbolKind | None, Field(description="only this kind (not with search)")] = None,
        language: Annotated[str | None, Field(description="only this language, e.g. python (not with search)")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """Find where symbols (functions, classes, methods, variables, types...) are defined: each
        with its id, kind, path, line span and signature."""
        if language is not None and language not in LANGUAGES:
            raise Refusal(f"unknown language {language!r}{_did_you_mean(near(language, list(LANGUAGES)))}")
        if match == "search":
            if kind or language:
                raise Refusal("match=search takes no kind or language: use exact or prefix to filter")
            rows = self.store.search_symbols(name, repo=self.repo, limit=offset + limit + 1)[offset:]
        else:
            rows = self.store.find_symbols(
                name,
                repo=self.repo,
                kind=kind,
                language=language,
                prefix=match == "prefix",
                limit=limit + 1,
                offset=offset,
            )
        body = paged(rows, symbol_item, limit, offset)
        if not rows and offset == 0 and match == "exact":
            body["note"] = f"no symbol named {name!r}" + _did_you_mean(self.near_names(name))
        return body

    def file_symbols(
        self,
        path: PathArg,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Row:
        """The outline of one file: its symbols in file order, each with id, kind, line span,
        signature and parent (the enclosing class or module member)."""
        rel = self.repo_path(path)
        rows = self.store.file_symbols(rel, repo=self.repo, limit=limit + 1, offset=offset)
        if not rows and not self.store.has_file(rel, repo=self.repo):
            raise self.no_file(rel)
        return paged(rows, symbol_item, limit, offset)

    def _calls(self, direction: str, symbol: str, limit: int, offset: int) -> Row:
        fetch = self.store.callers_page if direction == "callers" else self.store.callees_page
        rows = fetch(symbol, repo=self.repo, limit=limit + 1, offset=offset)
        self._named(symbol, rows, offset)
        return paged(rows, call_item, limit, offset)

    def callers(
        self,
        symbol: SymbolArg,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """Who calls a symbol: each call site (path, line, the calling symbol's id, the call as
        written) whose target resolved to it. A bare name matches every symbol of that name."""
        return self._calls("callers", symbol, limit, offset)

    def callees(
        self,
        symbol: SymbolArg,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """What a symbol calls: each call in its body (path, line, the call as written) with the
        resolved target's id, or null when the target is outside the index (a library)."""
        return self._calls("callees", symbol, limit, offset)

    def _named(self, symbol: str, rows: Sequence[Row], offset: int) -> None:
        """A symbol the index does not hold is a Refusal naming near ones; one it holds with
        nothing to answer is an empty page."""
        if not rows and offset == 0 and not self.store.find_symbols(symbol, repo=self.repo, limit=1):
            raise Refusal(f"no symbol named {symbol!r}{_did_you_mean(self.near_names(symbol))}")

    def hierarchy(self, symbol: SymbolArg, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Row:
        """The type hierarchy around a class, interface, trait or struct: what it extends,
        implements or embeds, transitively (direction=ancestor, with depth), and what extends,
        implements or embeds it (descendant). A base outside the repository has target null."""
        rows = self.store.hierarchy(symbol, repo=self.repo, limit=limit + 1, offset=offset)
        self._named(symbol, rows, offset)
        return paged(rows, hierarchy_item, limit, offset)

    def implementations(self, symbol: SymbolArg, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Row:
        """What implements an interface, trait or base class: every type below it in the
        hierarchy. For a method of such a type (Interface.method, or its id), the methods of
        those types that override or implement it: where a call through the type may go."""
        rows = self.store.implementations(symbol, repo=self.repo, limit=limit + 1, offset=offset)
        self._named(symbol, rows, offset)
        return paged(rows, implementation_item, limit, offset)

    def repo_map(
        self,
        tokens: Annotated[
            int, Field(ge=1, le=MAX_TOKENS, description="token budget of the map (cl100k_base tokens)")
        ] = DEFAULT_TOKENS,
        focus: Annotated[
            list[str] | None,
            Field(description="files, directories or symbols you are working on: the ranking is personalized on them"),
        ] = None,
    ) -> Row:
        """A map of the repository to orient yourself: the most important symbols' signatures
        (not bodies), file by file, within a token budget. Importance is PageRank over resolved
        calls, imports and the type hierarchy; with a focus, what matters to those files or
        symbols comes first. 'text' is the map; 'files' lists its files in order."""
        try:
            document = repo_map(self.store, repo=self.repo, tokens=tokens, focus=focus or [])
        except MapError as exc:
            raise Refusal(str(exc)) from None
        return {
            "repo": document["repo"],
            "tokens": tokens,
            "used": document["used"],
            "focus": document["focus"],
            "files": [f["path"] for f in document["files"]],
            "text": document["text"],
        }

    def dependencies(
        self,
        path: PathArg,
        direction: Annotated[
            Literal["out", "in", "both"], Field(description="out: what it imports; in: what imports it")
        ] = "both",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Row:
        """Import dependencies of a file: the files (or external modules, external=true) it
        imports, and the files that import it, with the imported names."""
        rel = self.repo_path(path)
        rows = self.store.deps(rel, repo=self.repo, direction=direction)
        if not rows and not self.store.has_file(rel, repo=self.repo):
            raise self.no_file(rel)
        return paged(rows[offset : offset + limit + 1], dep_item, limit, offset)

    def cycles(
        self,
        skip_type_only: Annotated[
            bool,
            Field(
                description="leave out imports only for type checking (if TYPE_CHECKING, import type): "
                "the cycles left can fail at run time"
            ),
        ] = False,
        skip_deferred: Annotated[
            bool,
            Field(description="leave out imports made inside functions: the cycles left fail at import time"),
        ] = False,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Row:
        """Every import cycle between files (each strongly connected component, and files that
        import themselves), with one cycle path through its files."""
        rows = self.store.cycles(repo=self.repo, skip_type_only=skip_type_only, skip_deferred=skip_deferred)
        return paged(rows[offset : offset + limit + 1], cycle_item, limit, offset)

    def index_status(self) -> Row:
        """Is the index fresh? Compares every indexed file with the disk: files changed since
        indexing (stale), deleted (missing), new and not indexed (unindexed), and whether the
        import and call graphs lag the files. Answers about listed files may be out of date."""
        from thread_assets.repo.audit import audit

        settings = self.index.settings
        name = self.repo or settings.name
        found = audit(
            settings.root,
            self.store,
            name,
            include=settings.include,
            exclude=settings.exclude,
            memo=settings.stat_memo(),
        )
        body: Row = {
            "repo": name,
            "root": str(settings.root),
            "fresh": found.fresh,
            "checked": found.checked,
        }
        for what in ("stale", "missing", "unindexed"):
            paths = getattr(found, what)
            body[what] = {"count": len(paths), "paths": paths[:LISTED]}
        body["graphs_stale"] = found.graphs_stale
        if found.checked and len(found.missing) == found.checked:
            body["note"] = (
                f"no indexed file of {name!r} is under {settings.root}: the server runs outside the repository"
                " (start it there, or pass --root and --repo)"
            )
        elif not found.fresh:
            body["note"] = f"run `thread index {settings.root}` to bring the index up to date"
        return body
