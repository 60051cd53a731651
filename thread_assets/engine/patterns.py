"""Structural pattern rules (ast-grep) run over a file's bytes.

Rules are YAML in ast-grep's own rule format, one rule per document (``---`` between them)::

    id: rust-unwrap
    language: rust            # our language name (or an alias: rs, py, js, ts, golang, c++, ...);
                              # a list applies the same rule to several languages (our extension)
    severity: warning         # error | warning | info | hint (| off: rule disabled)
    message: "`$X.unwrap()` panics on None/Err"   # $NAME is replaced by what NAME captured
    note: optional longer explanation
    rule: {pattern: $X.unwrap()}   # any ast-grep rule object; or a top-level `pattern:`
    # optional, passed through to ast-grep: constraints, utils, transform; kept for reference: url, fix, metadata

Languages are checked against ast-grep's built-in list *before* ast-grep sees them: an unknown
language makes ast-grep panic with ``pyo3_runtime.PanicException``, a BaseException that
``except Exception`` does not catch. Each rule is also compiled once at load time against an empty
file, so a misspelt field, kind or regex is reported when the rules are loaded, with the rule's id,
instead of at the first matching file.

Positions: ast-grep reports lines and *character* columns of the text it was given; the model
uses byte columns and byte offsets of the original file. Text with invalid UTF-8 is given to
ast-grep with one U+FFFD per undecodable byte, so character positions map back to exact bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import cast

import yaml
from ast_grep_py import Config, SgNode, SgRoot

from .model import Location, PatternMatch

_AST_GREP_NAMES = """bash c cpp csharp css dart elixir go haskell hcl html java javascript json kotlin lua markdown
nix php python ruby rust scala solidity swift tsx typescript yaml zig"""
AST_GREP_LANGUAGES: frozenset[str] = frozenset(_AST_GREP_NAMES.split())
"""ast-grep-py 0.51's built-in languages; each has the same name in our language table."""

ALIASES: dict[str, str] = {
    "py": "python",
    "js": "javascript",
    "jsx": "javascript",
    "ts": "typescript",
    "rs": "rust",
    "golang": "go",
    "c++": "cpp",
    "cc": "cpp",
    "cs": "csharp",
    "c#": "csharp",
    "kt": "kotlin",
    "rb": "ruby",
    "sh": "bash",
    "shell": "bash",
    "ex": "elixir",
    "hs": "haskell",
    "terraform": "hcl",
    "yml": "yaml",
    "md": "markdown",
    "sol": "solidity",
}

SEVERITIES = ("error", "warning", "info", "hint")
_TOP_LEVEL = {"id", "language", "severity", "message", "note", "rule", "pattern"}
_PASSED_THROUGH = {"constraints", "utils", "transform"}
_KEPT_FOR_REFERENCE = {"url", "fix", "metadata", "files", "ignores"}
_METAVAR = re.compile(r"\$\$\$([A-Z][A-Z0-9_]*)|\$([A-Z][A-Z0-9_]*)")
_SURROGATES = re.compile("[\udc80-\udcff]")


class RuleError(ValueError):
    """A rule file that cannot be used, with the document and rule id at fault."""


@dataclass(frozen=True)
class Rule:
    id: str
    language: str
    severity: str
    message: str
    config: Config = field(hash=False, compare=False)
    """What ast-grep's ``find_all`` takes: ``rule`` plus optional constraints/utils/transform."""
    note: str | None = None
    singles: tuple[str, ...] = ()
    """Metavariables ($X) the rule can capture."""
    multis: tuple[str, ...] = ()
    """Multi-metavariables ($$$ARGS)."""


def canonical_language(name: str) -> str | None:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in AST_GREP_LANGUAGES else None


def load_rules(source: str | os.PathLike[str]) -> list[Rule]:
    """Rules from YAML text (a ``str``) or a file (a path object). Raises :class:`RuleError`."""
    if isinstance(source, os.PathLike):
        where = os.fspath(source)
        with open(source, encoding="utf-8") as fh:
            text = fh.read()
    else:
        where, text = "<rules>", source
    try:
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        raise RuleError(f"{where}: not valid YAML: {exc}") from exc
    rules: list[Rule] = []
    seen: set[tuple[str, str]] = set()
    for number, doc in enumerate(documents, 1):
        if doc is None:  # an empty document (a trailing ---)
            continue
        for rule in _rules_of(doc, f"{where} document {number}"):
            key = (rule.id, rule.language)
            if key in seen:
                raise RuleError(f"{where} document {number}: duplicate rule id {rule.id!r} for {rule.language}")
            seen.add(key)
            rules.append(rule)
    return rules


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    text = resources.files(__package__).joinpath("rules", "default.yaml").read_text(encoding="utf-8")
    return tuple(load_rules(text))


def _rules_of(doc: object, where: str) -> Iterator[Rule]:
    if not isinstance(doc, dict):
        raise RuleError(f"{where}: a rule must be a mapping, got {type(doc).__name__}")
    rule_id = doc.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise RuleError(f"{where}: missing or empty 'id'")
    where = f"{where} (id {rule_id!r})"
    unknown = set(doc) - _TOP_LEVEL - _PASSED_THROUGH - _KEPT_FOR_REFERENCE
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    severity = doc.get("severity", "warning")
    if severity == "off" or severity is False:  # YAML 1.1 reads a bare `off` as false
        return
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)} (or off), got {severity!r}")
    message = doc.get("message")
    if not isinstance(message, str) or not message.strip():
        raise RuleError(f"{where}: missing or empty 'message'")
    note = doc.get("note")
    if note is not None and not isinstance(note, str):
        raise RuleError(f"{where}: 'note' must be text")
    if ("rule" in doc) == ("pattern" in doc):
        raise RuleError(f"{where}: give exactly one of 'rule' or 'pattern'")
    rule_obj = doc["rule"] if "rule" in doc else {"pattern": doc["pattern"]}
    if not isinstance(rule_obj, dict) or not rule_obj:
        raise RuleError(f"{where}: 'rule' must be a non-empty mapping")
    config = cast(Config, {"rule": rule_obj, **{k: doc[k] for k in _PASSED_THROUGH if k in doc}})
    singles, multis = _metavariables(config)
    for language in _languages(doc.get("language"), where):
        _compile_check(config, language, where)
        yield Rule(rule_id, language, severity, message.strip(), config, note, singles, multis)


def _languages(value: object, where: str) -> list[str]:
    names = value if isinstance(value, list) else [value]
    if not names:
        raise RuleError(f"{where}: 'language' must be a language name or a list of them")
    out = []
    for name in names:
        if not isinstance(name, str):
            raise RuleError(f"{where}: 'language' must be a language name or a list of them")
        lang = canonical_language(name)
        if lang is None:
            raise RuleError(
                f"{where}: unknown language {name!r}; ast-grep supports {', '.join(sorted(AST_GREP_LANGUAGES))}"
            )
        out.append(lang)
    return out


def _compile_check(config: Config, language: str, where: str) -> None:
    try:
        SgRoot("", language).root().find_all(config)
    except Exception as exc:
        first = str(exc).split("\nStack backtrace:")[0].strip()
        raise RuleError(f"{where}: ast-grep rejects the rule for {language}: {first}") from exc


def _metavariables(config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    singles: set[str] = set()
    multis: set[str] = set()
    stack: list[object] = [config]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            for multi, single in _METAVAR.findall(item):
                (multis if multi else singles).add(multi or single)
    return tuple(sorted(singles)), tuple(sorted(multis - singles))


# --- running ------------------------------------------------------------------------------------


class _Text:
    """The file as ast-grep sees it, plus the map from its (line, char column) back to bytes."""

    def __init__(self, source: bytes | str) -> None:
        if isinstance(source, str):
            self.raw = source
            self.clean = _SURROGATES.sub("\ufffd", source)
        else:
            try:
                self.raw = self.clean = source.decode("utf-8")
            except UnicodeDecodeError:
                self.raw = source.decode("utf-8", "surrogateescape")  # one char per bad byte
                self.clean = _SURROGATES.sub("\ufffd", self.raw)
        self._lines: list[str] | None = None
        self._line_bytes: list[int] = []

    def _index(self) -> list[str]:
        if self._lines is None:
            self._lines = self.raw.split("\n")
            offset = 0
            for line in self._lines:
                self._line_bytes.append(offset)
                offset += len(line.encode("utf-8", "surrogateescape")) + 1
        return self._lines

    def point(self, line: int, column: int) -> tuple[int, int]:
        """(byte column, byte offset) of a 0-based line and character column."""
        lines = self._index()
        col = len(lines[line][:column].encode("utf-8", "surrogateescape")) if line < len(lines) else 0
        start = self._line_bytes[line] if line < len(lines) else self._line_bytes[-1]
        return col, start + col

    def location(self, node: SgNode) -> Location:
        rng = node.range()
        s_col, s_byte = self.point(rng.start.line, rng.start.column)
        e_col, e_byte = self.point(rng.end.line, rng.end.column)
        return Location(
            start_line=rng.start.line + 1,
            start_col=s_col,
            end_line=rng.end.line + 1,
            end_col=e_col,
            start_byte=s_byte,
            end_byte=e_byte,
        )


def languages_with_rules(rules: Iterable[Rule]) -> frozenset[str]:
    return frozenset(r.language for r in rules)


def run_rules(source: bytes | str, language: str, rules: Sequence[Rule] | None = None) -> list[PatternMatch]:
    """Every match of the rules for ``language`` (default: the bundled rule set), ordered by
    position then rule id. Languages without rules cost nothing: the file is not even decoded."""
    lang = canonical_language(language)
    if lang is None:
        return []
    mine = [r for r in (default_rules() if rules is None else rules) if r.language == lang]
    if not mine:
        return []
    text = _Text(source)
    root = SgRoot(text.clean, lang).root()
    out: list[PatternMatch] = []
    for rule in mine:
        for node in root.find_all(rule.config):
            captures = _captures(node, rule, text)
            out.append(
                PatternMatch(
                    rule_id=rule.id,
                    severity=rule.severity,
                    message=_interpolate(rule.message, captures),
                    text=node.text(),
                    captures=captures,
                    location=text.location(node),
                )
            )
    out.sort(key=lambda m: (m.location.start_byte, m.location.end_byte, m.rule_id))
    return out


def _captures(node: SgNode, rule: Rule, text: _Text) -> dict[str, str]:
    captures: dict[str, str] = {}
    for name in rule.singles:
        got = node.get_match(name)
        if got is not None:
            captures[name] = got.text()
    for name in rule.multis:
        nodes = node.get_multiple_matches(name)
        if nodes:
            start, end = nodes[0].range().start.index, nodes[-1].range().end.index
            captures[name] = text.clean[start:end]
    return captures


def _interpolate(message: str, captures: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return captures.get(name, m.group(0))

    return _METAVAR.sub(sub, message)
