"""Shared types for import resolution: pure functions over many files' analyses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import msgspec

from ..model import Import


@dataclass(frozen=True)
class RepoContext:
    """What a resolver may know about the repository: the set of indexed paths (repo-relative,
    POSIX separators) and a reader for configuration files (``go.mod``, ``tsconfig.json``,
    ``Cargo.toml``, ``pyproject.toml``) by repo-relative path; the reader returns None when absent.
    Resolvers never touch the file system themselves, so they stay pure and testable."""

    files: frozenset[str]
    read: Callable[[str], bytes | None] = field(default=lambda _p: None)
    include_dirs: tuple[str, ...] = ()
    """Extra C/C++ include directories, repo-relative (``-I`` flags)."""
    root_name: str = ""
    """The name of the repository's own directory: when the root is itself a Python package
    (``thread index site-packages/rich``), its modules are imported as ``rich.console``."""


class Resolution(msgspec.Struct, frozen=True, kw_only=True):
    """Where one import (``analyses[importer].imports[index]``) points."""

    importer: str
    index: int
    module: str
    name: str | None
    target: str | None
    """Repo-relative path of the file the import resolves to, or None."""
    external: str | None
    """Top-level external package / crate / module when the import leaves the repo (stdlib
    included: ``os``, ``fmt``, ``std``, ``stdio.h``), else None."""
    how: str
    """How it was resolved, ``<lang>:<rule>`` (``python:relative``, ``js:index``,
    ``ts:paths``, ``rust:crate``, ``go:module``, ``java:package``, ``c:include-dir``), or
    ``external`` / ``unresolved``."""


class LanguageResolver(Protocol):
    """Built once per repository (indexes ``ctx``), then asked once per import."""

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        """Returns (target path or None, external package or None, how)."""
        ...


def resolution(importer: str, index: int, imp: Import, result: tuple[str | None, str | None, str]) -> Resolution:
    target, external, how = result
    return Resolution(
        importer=importer, index=index, module=imp.module, name=imp.name, target=target, external=external, how=how
    )


def shared_prefix(a: str, b: str) -> int:
    """Leading path segments two repo paths share: when several files match an import, the one
    closest to the importer wins."""
    n = 0
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y:
            break
        n += 1
    return n
