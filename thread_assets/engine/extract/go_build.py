"""Go build constraints: which files a build of a package takes, as ``go/build`` decides.

A file's constraint comes from two places:

- its content: a ``//go:build`` line (or, in older files, ``// +build`` lines, which Go reads only
  when there is no ``//go:build`` line) among the line comments and blank lines before the package
  clause. :func:`header_constraint` returns it as one ``//go:build`` expression; it is recorded in
  ``FileAnalysis.build_constraint`` because it depends on the bytes alone, so the
  content-addressed cache stays valid;
- its name: ``x_linux.go``, ``x_amd64.go``, ``x_linux_amd64.go`` (the part before the first
  ``_`` never counts, so ``linux.go`` is unconstrained), and ``_test.go`` for files only
  ``go test`` builds. :func:`name_tags` reads them from a path; the stores record them next to
  the content constraint (files.build_file_tags).

A file *never builds* (``FileAnalysis.build_ignored``) when its content constraint cannot hold
unless the tag ``ignore`` is set: ``//go:build ignore`` marks generators and examples that
``go run`` executes by name and no build includes. Such files stay indexed but their imports are
left out of the dependency graph. Other custom tags (``integration``, ``tools``) are real build
variants and are not treated so.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection

KNOWN_OS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
KNOWN_ARCH = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)
UNIX_OS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "linux",
        "netbsd",
        "openbsd",
        "solaris",
    ]
)
_GO_BUILD = re.compile(r"//go:build(?:\s|$)")
_PLUS_BUILD = re.compile(r"//\s*\+build(?:\s|$)")
_TOKEN = re.compile(r"\s*(&&|\|\||!|\(|\)|[A-Za-z0-9_.]+)")
_MAX_TAGS = 12
"""Constraints naming more tags than this are not searched for satisfiability (never seen)."""

Expr = Callable[[Collection[str]], bool]


def header_constraint(source: bytes) -> str | None:
    """The constraint a file's header declares, as a ``//go:build`` expression, or None.

    Only the leading block of line comments and blank lines counts (Go stops at the first other
    line, normally ``package``); ``// +build`` lines must be followed by a blank line, as Go
    requires, and are ignored when a ``//go:build`` line exists."""
    go_build: str | None = None
    plus: list[str] = []
    pending: list[str] = []
    in_block = False
    for raw in source.split(b"\n", 400)[:400]:
        line = raw.decode("utf-8", "replace").strip()
        if in_block:
            if "*/" in line:
                in_block = False
                if line[line.index("*/") + 2 :].strip():
                    break
            continue
        if not line:
            plus.extend(pending)  # a +build group counts only when a blank line follows it
            pending = []
            continue
        if line.startswith("/*"):
            in_block = "*/" not in line[2:]
            continue
        if not line.startswith("//"):
            break
        if _GO_BUILD.match(line) and go_build is None:
            go_build = line[len("//go:build") :].strip()
        elif _PLUS_BUILD.match(line):
            pending.append(line.split("+build", 1)[1].strip())
    if go_build is not None:
        return go_build
    return _from_plus_build(plus) if plus else None


def _from_plus_build(lines: list[str]) -> str | None:
    """``// +build a,b c`` lines (each an OR of space-separated terms, each term an AND of
    comma-separated tags; lines ANDed) as one ``//go:build`` expression."""
    ands: list[str] = []
    for line in lines:
        ors = [" && ".join(t for t in term.split(",") if t) for term in line.split()]
        ors = [o for o in ors if o]
        if ors:
            ands.append(" || ".join(ors))
    if len(ands) > 1:
        ands = [f"({a})" if " || " in a else a for a in ands]
    return " && ".join(ands) or None


def _parse(text: str) -> tuple[Expr, frozenset[str]] | None:
    """A recursive-descent parser over ``||``, ``&&``, ``!`` and parentheses, as go/build/constraint.
    Returns (evaluator over a set of true tags, the tags named), or None on a syntax error."""
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        tokens.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    tags: set[str] = set()
    at = 0

    def peek() -> str | None:
        return tokens[at] if at < len(tokens) else None

    def take() -> str:
        nonlocal at
        at += 1
        return tokens[at - 1]

    def or_expr() -> Expr | None:
        left = and_expr()
        while left is not None and peek() == "||":
            take()
            right = and_expr()
            if right is None:
                return None
            left = (lambda a, b: lambda t: a(t) or b(t))(left, right)
        return left

    def and_expr() -> Expr | None:
        left = not_expr()
        while left is not None and peek() == "&&":
            take()
            right = not_expr()
            if right is None:
                return None
            left = (lambda a, b: lambda t: a(t) and b(t))(left, right)
        return left

    def not_expr() -> Expr | None:
        tok = peek()
        if tok == "!":
            take()
            inner = not_expr()
            return None if inner is None else (lambda a: lambda t: not a(t))(inner)
        if tok == "(":
            take()
            inner = or_expr()
            if inner is None or peek() != ")":
                return None
            take()
            return inner
        if tok is None or tok in ("&&", "||", ")"):
            return None
        name = take()
        tags.add(name)
        return lambda t: name in t

    expr = or_expr()
    if expr is None or at != len(tokens):
        return None
    return expr, frozenset(tags)


def satisfied(constraint: str | None, tags: Collection[str]) -> bool:
    """Whether ``constraint`` holds when exactly ``tags`` are set (a malformed one never does:
    the go command rejects the file)."""
    if constraint is None:
        return True
    parsed = _parse(constraint)
    return parsed is not None and parsed[0](tags)


def never_builds(constraint: str | None) -> bool:
    """True when no build without the ``ignore`` tag satisfies ``constraint``."""
    if constraint is None:
        return False
    parsed = _parse(constraint)
    if parsed is None:
        return False
    expr, named = parsed
    if "ignore" not in named:
        return False
    others = sorted(named - {"ignore"})
    if len(others) > _MAX_TAGS:
        return False
    for bits in itertools.product((False, True), repeat=len(others)):
        if expr({t for t, on in zip(others, bits, strict=True) if on}):
            return False
    return True


def name_tags(path: str) -> tuple[str, ...]:
    """What a file name constrains, as ``go/build`` reads it: ``("linux", "amd64")`` for
    ``x_linux_amd64.go``, ``("test",)`` for ``x_test.go`` (only ``go test`` builds it)."""
    name = path.rsplit("/", 1)[-1]
    stem = name.split(".", 1)[0]
    out: list[str] = []
    i = stem.find("_")
    parts = stem[i:].split("_") if i >= 0 else []
    if parts and parts[-1] == "test":
        parts = parts[:-1]
        if name.endswith("_test.go"):
            out.append("test")
    if len(parts) >= 2 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return (parts[-2], parts[-1], *out)
    if parts and (parts[-1] in KNOWN_OS or parts[-1] in KNOWN_ARCH):
        return (parts[-1], *out)
    return tuple(out)


def context_tags(
    goos: str, goarch: str, *, cgo: bool = True, release: int = 19, extra: Collection[str] = ()
) -> set[str]:
    """The tags a ``go build`` for (goos, goarch) sets: the platform, ``unix`` on Unix systems,
    the OSes it implies (``android`` -> ``linux``, ``illumos`` -> ``solaris``, ``ios`` ->
    ``darwin``), ``gc``, ``cgo``, and ``go1.1`` ... ``go1.<release>``."""
    tags = {goos, goarch, "gc", *(f"go1.{n}" for n in range(1, release + 1)), *extra}
    tags |= {"android": {"linux"}, "illumos": {"solaris"}, "ios": {"darwin"}}.get(goos, set())
    if goos in UNIX_OS:
        tags.add("unix")
    if cgo:
        tags.add("cgo")
    return tags


def builds(path: str, constraint: str | None, tags: Collection[str], *, tests: bool = True) -> bool:
    """Whether a build with ``tags`` (see :func:`context_tags`) takes the file at ``path``."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith(("_", ".")):
        return False
    named = name_tags(path)
    if "test" in named and not tests:
        return False
    platform = [t for t in named if t != "test"]
    if any(t not in tags for t in platform):
        return False
    return satisfied(constraint, tags)
