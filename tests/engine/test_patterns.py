from __future__ import annotations

from pathlib import Path

import pytest

from thread_assets.engine.patterns import AST_GREP_LANGUAGES, RuleError, default_rules, load_rules, run_rules

# (rule id, language, source that must match, source that must not match)
EXAMPLES = [
    ("rust-unwrap", "rust", "fn m() { let a = opt.unwrap(); }", "fn m() { let a = opt.unwrap_or(0); }"),
    ("rust-expect", "rust", 'fn m() { let a = r.expect("set at start"); }', "fn m() { let a = r?; }"),
    (
        "python-bare-except",
        "python",
        "try:\n    f()\nexcept:\n    pass\n",
        "try:\n    f()\nexcept (ValueError, KeyError):\n    pass\nexcept Exception:\n    pass\n",
    ),
    (
        "python-mutable-default",
        "python",
        "def f(a, items: list = []):\n    pass\n",
        "def f(a, items=None, t=(), n=0, s='x', fs=frozenset()):\n    pass\n",
    ),
    ("python-eval-exec", "python", "exec(code, ns)\n", "ast.literal_eval(s)\nself.eval(x)\n"),
    ("js-loose-equality", "javascript", "if (a != b) {}", "if (a === b || a !== c || a == null) {}"),
    ("js-loose-equality", "typescript", "const ok: boolean = x == 1;", "const ok: boolean = x === 1;"),
    ("js-loose-equality", "tsx", "const e = <b>{n == 0}</b>;", "const e = <b>{n === 0}</b>;"),
    ("js-eval", "javascript", "eval('2 + 2');", "JSON.parse('2');"),
    ("js-eval", "typescript", "const v = eval(src);", "const v = evaluate(src);"),
    ("js-eval", "tsx", "const v = eval(src);", "const v = safeEval(src);"),
    (
        "go-discarded-result",
        "go",
        "package m\nfunc f() {\n\tn, _ := strconv.Atoi(s)\n\t_ = n\n}\n",
        "package m\nfunc f() error {\n\tn, err := strconv.Atoi(s)\n\t_ = n\n\treturn err\n}\n",
    ),
    (
        "java-empty-catch",
        "java",
        "class A { void m() { try { f(); } catch (Exception e) { } } }",
        "class A { void m() { try { f(); } catch (Exception e) { /* expected when offline */ } } }",
    ),
    ("c-gets", "c", "int main(void) { char b[8]; gets(b); }", "int main(void) { char b[8]; fgets(b, 8, stdin); }"),
    (
        "c-gets",
        "cpp",
        "int main() { char b[8]; std::gets(b); }",
        "int main() { std::string s; std::getline(std::cin, s); }",
    ),
    (
        "c-unbounded-copy",
        "c",
        "void f(char *d, const char *s) { strcat(d, s); }",
        'void f(char *d, const char *s) { strncat(d, s, 4); snprintf(d, 4, "%s", s); }',
    ),
    ("c-unbounded-copy", "cpp", 'void f(char *d) { sprintf(d, "%d", 1); }', "void f(char *d) { g.strcpy(d); }"),
]


@pytest.mark.parametrize(("rule_id", "language", "positive", "negative"), EXAMPLES)
def test_default_rule_examples(rule_id: str, language: str, positive: str, negative: str) -> None:
    hits = [m for m in run_rules(positive.encode(), language) if m.rule_id == rule_id]
    assert len(hits) == 1, hits
    hit = hits[0]
    assert positive.encode()[hit.location.start_byte : hit.location.end_byte].decode() == hit.text
    assert "$" not in hit.message  # every metavariable in the message was captured
    assert [m for m in run_rules(negative.encode(), language) if m.rule_id == rule_id] == []


def test_every_default_rule_has_examples() -> None:
    covered = {(rule_id, language) for rule_id, language, _, _ in EXAMPLES}
    assert {(r.id, r.language) for r in default_rules()} == covered


def test_captures_single_and_multi_metavariables() -> None:
    rules = load_rules("id: call\nlanguage: python\nmessage: $F called with $$$ARGS\npattern: $F($$$ARGS)\n")
    (match,) = run_rules("run(1, key='v')\n", "python", rules)
    assert match.captures == {"F": "run", "ARGS": "1, key='v'"}
    assert match.message == "run called with 1, key='v'"
    assert (match.location.start_line, match.location.end_line, match.rule_id, match.severity) == (
        1,
        1,
        "call",
        "warning",
    )


def test_locations_are_bytes_even_after_non_ascii_and_invalid_utf8() -> None:
    source = "s = 'żółw'\n".encode() + b"t = '\xff\xfe'; eval(s)\n"
    (match,) = run_rules(source, "python")
    assert match.rule_id == "python-eval-exec"
    assert source[match.location.start_byte : match.location.end_byte] == b"eval(s)"
    assert (match.location.start_line, match.location.start_col) == (2, source.split(b"\n")[1].index(b"eval"))
    for text in (match.text, match.message, *match.captures.values()):
        text.encode("utf-8")  # no lone surrogates


def test_results_are_sorted_and_deterministic() -> None:
    source = b"def f(a=[], b={}):\n    eval(a)\n    exec(b)\n"
    first = run_rules(source, "python")
    assert [m.location.start_byte for m in first] == sorted(m.location.start_byte for m in first)
    assert [m.rule_id for m in first] == ["python-mutable-default"] * 2 + ["python-eval-exec"] * 2
    assert run_rules(source, "python") == first


def test_languages_without_rules_are_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    from thread_assets.engine import patterns

    def no_parse(*args: object) -> None:
        raise AssertionError("parsed a file no rule applies to")

    monkeypatch.setattr(patterns, "SgRoot", no_parse)
    assert run_rules(b"<p>eval(x)</p>", "html") == []
    assert run_rules(b"x = 1", "cobol") == []  # not an ast-grep language: must not panic
    assert run_rules(b"eval(x)", "python", []) == []


def test_multiple_documents_aliases_and_off() -> None:
    rules = load_rules(
        "id: a\nlanguage: py\nmessage: m\npattern: print($X)\n---\n"
        "id: b\nlanguage: [JS, ts]\nseverity: hint\nmessage: m\nrule: {pattern: console.log($$$A)}\n---\n"
        "id: c\nlanguage: rust\nseverity: off\nmessage: m\npattern: $X.unwrap()\n---\n"
    )
    assert [(r.id, r.language, r.severity) for r in rules] == [
        ("a", "python", "warning"),
        ("b", "javascript", "hint"),
        ("b", "typescript", "hint"),
    ]


def test_load_rules_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text("id: p\nlanguage: go\nmessage: panic\npattern: panic($$$A)\n")
    (rule,) = load_rules(path)
    assert [m.text for m in run_rules(b"package m\nfunc f() { panic(1) }\n", "go", [rule])] == ["panic(1)"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("id: x\nlanguage: cobol\nmessage: m\npattern: a\n", "unknown language 'cobol'"),
        ("id: x\nlanguage: python\nmessage: m\npattern: a\nseverity: fatal\n", "severity must be one of"),
        ("id: x\nlanguage: python\npattern: a\n", "missing or empty 'message'"),
        ("language: python\nmessage: m\npattern: a\n", "missing or empty 'id'"),
        ("id: x\nlanguage: python\nmessage: m\n", "exactly one of 'rule' or 'pattern'"),
        ("id: x\nlanguage: python\nmessage: m\npattern: a\nrule: {kind: call}\n", "exactly one of"),
        ("id: x\nlanguage: python\nmessage: m\npatern: a\nrule: {kind: call}\n", "unknown field(s) patern"),
        ("id: x\nlanguage: python\nmessage: m\nrule: {kind: no_such_kind}\n", "ast-grep rejects the rule"),
        ("id: x\nlanguage: python\nmessage: m\nrule: {regex: '('}\n", "ast-grep rejects the rule"),
        ("id: x\nlanguage: python\nmessage: m\nrule: {has: {patern: a}}\n", "ast-grep rejects the rule"),
        ("id: x\nlanguage: [python, 3]\nmessage: m\npattern: a\n", "'language' must be"),
        ("- just a list\n", "a rule must be a mapping"),
        (
            "id: x\nlanguage: python\nmessage: m\npattern: a\n---\nid: x\nlanguage: py\nmessage: n\npattern: b\n",
            "duplicate",
        ),
        ("id: [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_rules_are_rejected_with_a_clear_error(text: str, error: str) -> None:
    with pytest.raises(RuleError, match=None) as info:
        load_rules(text)
    assert error in str(info.value)
    assert "Stack backtrace" not in str(info.value)


def test_alias_table_only_names_ast_grep_languages() -> None:
    from thread_assets.engine.languages import LANGUAGES
    from thread_assets.engine.patterns import ALIASES

    assert set(ALIASES.values()) <= AST_GREP_LANGUAGES
    # our language table and ast-grep use the same names for these 29 languages
    assert set(LANGUAGES) >= AST_GREP_LANGUAGES
