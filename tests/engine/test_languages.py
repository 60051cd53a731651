"""The language table covers every bundled grammar, consistently, and the committed docs match it."""

from __future__ import annotations

import typing
from collections import Counter
from pathlib import Path

import tree_sitter_language_pack

from thread_assets.engine.extract import FULL_MODULES
from thread_assets.engine.extract.generic import grammar_spec
from thread_assets.engine.languages import LANGUAGES, language_rows, render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "languages.md"
FULL = {"python", "javascript", "typescript", "tsx", "rust", "go", "java", "c", "cpp"}


def test_every_bundled_grammar_has_one_entry() -> None:
    bundled = set(typing.get_args(tree_sitter_language_pack.SupportedLanguage))
    assert set(LANGUAGES) == bundled
    assert all(name == info.name for name, info in LANGUAGES.items())


def test_levels() -> None:
    assert {n for n, i in LANGUAGES.items() if i.level == "full"} == FULL == set(FULL_MODULES)
    assert {i.level for i in LANGUAGES.values()} == {"full", "generic", "parse"}
    for name in ("csv", "tsv", "psv", "json", "gitignore", "gosum", "pem", "printf", "comment", "cobol"):
        assert LANGUAGES[name].level == "parse", name
    for name in ("kotlin", "ruby", "sql", "make", "cmake", "dockerfile", "terraform", "proto", "markdown"):
        assert LANGUAGES[name].level == "generic", name


def test_generic_languages_have_candidate_node_types() -> None:
    """A language marked generic must have something the generic extractor can look for."""
    for name, info in LANGUAGES.items():
        if info.level == "generic":
            spec = grammar_spec(name)
            assert spec.kinds and spec.query is not None, name


def test_extensions_and_names_are_unambiguous() -> None:
    exts = Counter(e for i in LANGUAGES.values() for e in i.extensions)
    names = Counter(f for i in LANGUAGES.values() for f in i.filenames)
    interps = Counter(x for i in LANGUAGES.values() for x in i.interpreters)
    assert [e for e, c in exts.items() if c > 1] == []
    assert [f for f, c in names.items() if c > 1] == []
    assert [x for x, c in interps.items() if c > 1] == []
    assert all(e.startswith(".") and e == e.lower() and " " not in e for e in exts)


def test_every_entry_says_what_it_extracts() -> None:
    assert all(info.display and info.extracts for info in LANGUAGES.values())


def test_rows() -> None:
    rows = language_rows()
    assert [r[0] for r in rows] == sorted(LANGUAGES)
    python = next(r for r in rows if r[0] == "python")
    assert python[1:3] == ("Python", "full") and ".py" in python[3]


def test_committed_doc_matches_table() -> None:
    """Regenerate with: python3 -c "from thread_assets.engine.languages import render_markdown as r;
    open('docs/languages.md', 'w').write(r())" """
    assert DOC.read_text(encoding="utf-8") == render_markdown()
