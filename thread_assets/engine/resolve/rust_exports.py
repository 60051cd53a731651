"""What a Rust file offers at its top level, read from its text: the items it defines, the names its
``pub use`` declarations re-export and its glob re-exports, plus its ``extern crate`` renames.

Following ``pub use`` chains means looking at files other than the importer. A full analysis
(parse, extraction, semantics) of each of them cost seconds on a large crate such as syn, for a
few names, and so did tracking brace depth, or even blanking comments and literals, in Python.
This scanner takes the declarations that start a line, as rustfmt lays out a file's top level
(items of ``mod inner { ... }`` and ``impl`` blocks are indented, so they do not count; comments
start with ``/``), and parses ``use`` trees itself. Macro-generated items are invisible to it, as
they are to the extractor. A file not laid out that way can hide a top-level item, and its chain
then stops at the module the path names; a line of a block comment or a multi-line string that
starts with a declaration is taken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATH_MOD = re.compile(
    rb'^#\[path\s*=\s*"([^"]+)"\]\s*(?:#\[[^\]]*\]\s*)*(?:pub\s*(?:\([^)]*\))?\s*)?mod\s+(\w+)\s*;', re.M
)
_COMMENT = re.compile(rb"//[^\n]*|/\*.*?\*/", re.S)
_VIS = rb"(?:pub\s*(?:\([^)]*\))?\s*)?"
_DECL = re.compile(
    rb"^(?:pub\s*(?:\([^)]*\))?\s*use\s+(?P<tree>[^;]*);"
    rb"|extern\s+crate\s+(?P<crate>\w+)\s+as\s+(?P<alias>\w+)\s*;"
    rb"|" + _VIS + rb"(?:(?:const|unsafe|async|default|extern\s*(?:\"[^\"]*\")?)\s+)*"
    rb"(?:struct|enum|fn|trait|type|union|static|mod|const(?!\s+(?:fn|unsafe|extern|async)\b))\s+(?P<item>\w+)"
    rb"|macro_rules!\s*(?P<macro>\w+))",
    re.M,
)


@dataclass(frozen=True)
class Exports:
    defines: frozenset[str]
    """Names of the file's top-level items (and ``macro_rules!`` macros)."""
    reexports: tuple[tuple[str, str], ...]
    """(name it binds, path it names) per leaf of a top-level ``pub use``."""
    globs: tuple[str, ...]
    """Module paths of top-level ``pub use path::*``."""
    extern_aliases: dict[str, str]
    """``extern crate real as alias;``: alias -> real."""
    path_modules: dict[str, str]
    """``#[path = "p.rs"] mod name;``: name -> the path as written."""


def use_leaves(tree: str) -> list[tuple[str | None, str]]:
    """``a::{b, c::{d as e}, f::*}`` -> [("b", "a::b"), ("e", "a::c::d"), (None, "a::f")]:
    (bound name or None for a glob, path) per leaf; ``self`` leaves bind the module itself."""
    text = "".join(tree.split())
    out: list[tuple[str | None, str]] = []

    def walk(prefix: str, s: str) -> None:
        depth, start, parts = 0, 0, []
        for i, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(s[start:i])
                start = i + 1
        parts.append(s[start:])
        for part in (p for p in parts if p):
            if part.endswith("}") and "{" in part:
                head, inner = part.split("{", 1)
                walk(prefix + head, inner[:-1])
                continue
            if part == "*" or part.endswith("::*"):
                out.append((None, (prefix + part[:-1]).rstrip(":")))
                continue
            full, bound = _split_alias(prefix + part)
            if full.endswith("::self"):
                full = full[: -len("::self")]
                bound = bound if bound != "self" else full.rsplit("::", 1)[-1]
            out.append((bound, full))

    walk("", text)
    return out


def _split_alias(part: str) -> tuple[str, str]:
    """(path, bound name) of one leaf; :func:`scan` has replaced `` as `` by a NUL marker before
    whitespace was removed, so ``a::b\x00c`` is ``a::b as c``."""
    if "\x00" in part:
        path, alias = part.split("\x00", 1)
        return path, alias
    return part, part.rsplit("::", 1)[-1]


def scan(source: bytes) -> Exports:
    defines: set[str] = set()
    reexports: list[tuple[str, str]] = []
    globs: list[str] = []
    aliases: dict[str, str] = {}
    for m in _DECL.finditer(source):
        if m.group("tree") is not None:
            bare = _COMMENT.sub(b" ", m.group("tree"))
            tree = re.sub(rb"\s+as\s+", b"\x00", bare).decode("utf-8", "replace")
            for bound, path in use_leaves(tree):
                if bound is None:
                    globs.append(path)
                elif bound != "_":
                    reexports.append((bound, path))
        elif m.group("crate") is not None:
            aliases[m.group("alias").decode()] = m.group("crate").decode()
        elif m.group("item") is not None:
            defines.add(m.group("item").decode())
        elif m.group("macro") is not None:
            defines.add(m.group("macro").decode())
    path_modules = {m.group(2).decode(): m.group(1).decode("utf-8", "replace") for m in _PATH_MOD.finditer(source)}
    return Exports(frozenset(defines), tuple(reexports), tuple(globs), aliases, path_modules)
