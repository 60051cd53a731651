"""Language detection from the file name, extension, shebang and editor modelines.

Precedence, strongest first (what the author said beats what the name suggests):

1. an editor modeline: Emacs ``-*- mode: ruby -*-`` / ``-*- ruby -*-`` on the first two lines,
   Vim ``vim: set ft=python:`` / ``vi: filetype=sh`` / ``syntax=`` in the first or last five lines;
2. a shebang: ``#!/usr/bin/python3``, ``#!/usr/bin/env bash``, ``#!/usr/bin/env -S node --flags``
   (``env`` options and ``VAR=value`` are skipped; ``python3.11`` falls back to ``python3``, ``python``);
3. the exact file name (``Makefile``, ``go.sum``, ``.gitignore``), plus name families:
   ``Dockerfile.*``/``*.Dockerfile``/``Containerfile.*`` (Dockerfile), ``Makefile.*`` (Make),
   ``requirements*.txt`` (pip requirements), ``Kconfig*``;
4. extension content rules, for extensions shared by two languages:
   ``.h`` is C unless the head shows C++ (``class``/``namespace``/``template`` at line start,
   ``public:``-style labels, ``::``, or an extension-less ``#include <vector>``);
   ``.m`` is Objective-C with ``#import``/``#include``/``@interface``/``@implementation``/``@protocol``,
   MATLAB otherwise; ``.ts`` is Qt Linguist XML (``xml``) when it starts with ``<?xml`` or ``<TS``;
   ``.v`` is V with ``module main``/``fn ``/``import `` lines, Verilog otherwise;
   ``.cls`` is LaTeX with ``\\documentclass``/``\\ProvidesClass``/``\\NeedsTeXFormat``, Apex otherwise;
   ``.inc`` is PHP only when it contains ``<?php``/``<?=`` (Pascal, BitBake, NASM and C also use it);
   no rule is needed for ``.pl`` (always Perl: no Prolog grammar is bundled) or ``.sql`` (one SQL
   grammar for all dialects);
5. the extension (case-insensitive; ``.R`` is R).

Unknown -> None. Only the first 1 KiB of ``head`` is scanned, plus, for Vim modelines, the last
five lines of the head's first 1 KiB or (when the caller passes more, e.g. the whole file) of its
last 512 bytes: detection stays cheap on any input.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from .languages import LANGUAGES

_SCAN = 1024
_TAIL = 512
"""Vim modelines may sit at the end of the file: the last bytes of a longer ``head`` are checked too."""

_BY_EXT = {ext: info.name for info in LANGUAGES.values() for ext in info.extensions}
_BY_NAME = {fn: info.name for info in LANGUAGES.values() for fn in info.filenames}
_BY_INTERP = {interp: info.name for info in LANGUAGES.values() for interp in info.interpreters}

_MODE_ALIASES = {
    "sh": "bash",
    "shell": "bash",
    "shell-script": "bash",
    "zsh": "bash",
    "ksh": "bash",
    "c++": "cpp",
    "js": "javascript",
    "js2": "javascript",
    "jsx": "javascript",
    "ts": "typescript",
    "cperl": "perl",
    "emacs-lisp": "elisp",
    "lisp": "commonlisp",
    "lisp-interaction": "elisp",
    "makefile": "make",
    "gnumakefile": "make",
    "makefile-gmake": "make",
    "tex": "latex",
    "plain-tex": "latex",
    "objective-c": "objc",
    "objectivec": "objc",
    "md": "markdown",
    "gfm": "markdown",
    "yml": "yaml",
    "docker": "dockerfile",
    "text": None,
    "conf": None,
    "cs": "csharp",
    "c#": "csharp",
    "py": "python",
    "rb": "ruby",
    "rs": "rust",
    "golang": "go",
    "ex": "elixir",
    "erl": "erlang",
    "hs": "haskell",
    "kt": "kotlin",
    "ps1": "powershell",
    "tf": "terraform",
    "bzl": "starlark",
    "viml": "vim",
    "vimscript": "vim",
    "f90": "fortran",
    "ml": "ocaml",
    "jl": "julia",
}

_EMACS = re.compile(rb"-\*-(.*?)-\*-")
_EMACS_MODE = re.compile(rb"(?:^|;)\s*mode\s*:\s*([\w+#.-]+)", re.IGNORECASE)
_VIM = re.compile(rb"(?:^|\s)(?:vim?|ex):.*?\b(?:ft|filetype|syntax)=([\w+#.-]+)")

_CPP_HINT = re.compile(
    rb"^\s*(?:class|namespace|template)\b|^\s*(?:public|private|protected)\s*:|::|^\s*#\s*include\s*<[a-z_]+>",
    re.MULTILINE,
)
_OBJC_HINT = re.compile(rb"^\s*(?:#import|#include|@interface|@implementation|@protocol)\b", re.MULTILINE)
_V_HINT = re.compile(rb"^\s*(?:module\s+main\b|fn\s|import\s+\w+\s*$|pub\s+fn\s)", re.MULTILINE)
_LATEX_HINT = re.compile(rb"\\(?:documentclass|ProvidesClass|NeedsTeXFormat)\b")
_ENV_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_VERSIONED = re.compile(r"^(.*?[a-z])-?([0-9]+)(?:\.[0-9]+)*$")


def detect_language(path: str, head: bytes = b"") -> str | None:
    tail = head[-_TAIL:] if len(head) > _SCAN else b""
    head = head[:_SCAN]
    if head:
        found = _from_modeline(head, tail) or _from_shebang(head)
        if found:
            return found
    base = os.path.basename(path)
    found = _from_filename(base)
    if found:
        return found
    _, ext = os.path.splitext(base)
    if not ext:
        return None
    if ext == ".R":
        return "r"
    ext = ext.lower()
    rule = _CONTENT_RULES.get(ext)
    if rule is not None:
        return rule(head)
    return _BY_EXT.get(ext)


def language_by_name(base: str) -> str | None:
    """``detect_language(base)`` without content, cheaper: the extension's answer is cached
    (a sensor tick asks for every file of the tree)."""
    found = _from_filename(base)
    if found:
        return found
    stem = base.lstrip(".")  # as os.path.splitext: leading dots do not start an extension
    dot = stem.rfind(".")
    return _language_by_ext(stem[dot:]) if dot > 0 else None


@lru_cache(maxsize=4096)
def _language_by_ext(ext: str) -> str | None:
    if ext == ".R":
        return "r"
    ext = ext.lower()
    rule = _CONTENT_RULES.get(ext)
    return rule(b"") if rule is not None else _BY_EXT.get(ext)


def _known(mode: bytes) -> str | None:
    name = mode.decode("ascii", "replace").strip().lower()
    if name in _MODE_ALIASES:
        return _MODE_ALIASES[name]
    name = name.removesuffix("-mode").removesuffix("-ts")
    if name in LANGUAGES:
        return name
    return _MODE_ALIASES.get(name)


def _from_modeline(head: bytes, tail: bytes) -> str | None:
    lines = head.split(b"\n")
    for line in lines[:2]:
        m = _EMACS.search(line)
        if m:
            body = m.group(1)
            mm = _EMACS_MODE.search(body)
            found = _known(mm.group(1)) if mm else (None if b":" in body else _known(body))
            if found:
                return found
    if tail:
        candidates = lines[:5] + tail.rstrip(b"\n").split(b"\n")[-5:]
    else:
        candidates = lines[:5] + (lines[5:][-5:] if len(lines) > 5 else [])
    for line in candidates:
        m = _VIM.search(line)
        if m:
            found = _known(m.group(1))
            if found:
                return found
    return None


def _from_shebang(head: bytes) -> str | None:
    if not head.startswith(b"#!"):
        return None
    first = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    if not first:
        return None
    words = [os.path.basename(first[0]), *first[1:]]
    if words[0] == "env":
        words = words[1:]
        while words and (words[0].startswith("-") or _ENV_ASSIGN.match(words[0])):
            option = words.pop(0)
            if option in ("-u", "--unset", "-C", "--chdir") and words:
                words.pop(0)
        if not words:
            return None
        words[0] = os.path.basename(words[0])
    interp = words[0]
    m = _VERSIONED.match(interp)
    for candidate in (interp, m.group(1) + m.group(2), m.group(1)) if m else (interp,):
        if candidate in _BY_INTERP:
            return _BY_INTERP[candidate]
    return None


def _from_filename(base: str) -> str | None:
    found = _BY_NAME.get(base)
    if found:
        return found
    lower = base.lower()
    if lower.startswith(("dockerfile.", "containerfile.")) or lower.endswith(".dockerfile"):
        return "dockerfile"
    if lower.startswith(("makefile.", "gnumakefile.")):
        return "make"
    if lower.startswith("requirements") and lower.endswith((".txt", ".in")):
        return "requirements"
    if base.startswith("Kconfig"):
        return "kconfig"
    return None


def _rule_h(head: bytes) -> str:
    return "cpp" if _CPP_HINT.search(head) else "c"


def _rule_m(head: bytes) -> str:
    return "objc" if _OBJC_HINT.search(head) else "matlab"


def _rule_ts(head: bytes) -> str:
    start = head.lstrip()[:5]
    return "xml" if start.startswith((b"<?xml", b"<TS")) else "typescript"


def _rule_v(head: bytes) -> str:
    return "v" if _V_HINT.search(head) else "verilog"


def _rule_cls(head: bytes) -> str:
    return "latex" if _LATEX_HINT.search(head) else "apex"


def _rule_inc(head: bytes) -> str | None:
    return "php" if b"<?php" in head or b"<?=" in head else None


_CONTENT_RULES = {
    ".h": _rule_h,
    ".m": _rule_m,
    ".ts": _rule_ts,
    ".v": _rule_v,
    ".cls": _rule_cls,
    ".inc": _rule_inc,
}
