"""Bad input is data, not an exception: every hostile file yields a record with a reason, and
the files after it are still analysed."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from thread_assets.engine import FileAnalysis, analyze
from thread_assets.engine.batch import TEST_CRASH_LANGUAGE, analyze_files

FULL_LANGUAGES = ["python", "javascript", "typescript", "tsx", "rust", "go", "java", "c", "cpp"]

GOOD = {
    "good.py": b"def ok(a: int = 1) -> int:\n    return a\n",
    "good.js": b"export function ok(a) { return a; }\n",
    "good.c": b"static int ok(int a) { return a; }\n",
}

# Per language: a function whose doc comment and string literal hold invalid bytes (it must still
# be extracted), then declarations whose identifiers hold invalid bytes (whatever the grammar makes
# of them, the output must be valid text).
INVALID_UTF8 = {
    "python": b'def ok(a="\xc3", b=1):\n    "doc \xff"\n    return a\n\n'
    b'def f\xff(a\xfe, b="\xed\xa0\x80"):\n    return g\xe9(a)\nclass K\xc3\x28:\n    pass\nimport m\xff\n',
    "javascript": b'/** doc \xff */\nfunction ok(a = "\xc3") { return a; }\n'
    b"function f\xff(a\xfe) { return g\xe9(a); }\nclass K\xc3 { m() {} }\nimport x from './m\xff';\n",
    "typescript": b'/** doc \xff */\nfunction ok(a: string = "\xc3"): string { return a; }\n'
    b"function f\xff(a: T\xfe): void { g\xe9(a); }\ninterface I\xc3 { x: number }\n",
    "tsx": b'/** doc \xff */\nfunction ok(a: string = "\xc3"): string { return a; }\n'
    b"const e = <b\xff>{f\xfe}</b\xff>;\n",
    "rust": b'/// doc \xff\nfn ok(a: &str) -> &str { let _s = "\xc3"; a }\n'
    b"fn f\xff(a: T\xfe) -> u8 { g\xe9(a) }\nstruct S\xc3;\nuse a::b\xff;\n",
    "go": b'package p\n\nimport "m\xff"\n\n// ok doc \xff\nfunc ok(a string) string { return "\xc3" + a }\n'
    b"func F\xff(a T\xfe) { g\xe9(a) }\n",
    "java": b'class Ok { /** doc \xff */ String ok(String a) { return "\xc3" + a; } }\n'
    b"class K\xc3 { void m\xff(T\xfe a) { g\xe9(a); } }\n",
    "c": b'/* doc \xff */\nint ok(int a) { return a + "\xc3"[0]; }\n'
    b'#include "m\xff.h"\nint f\xff(int a\xfe) { return g\xe9(a); }\n',
    "cpp": b'/* doc \xff */\nint ok(int a) { return a + "\xc3"[0]; }\n'
    b"namespace n\xff { int f\xff(int a) { return g\xe9(a); } }\n",
}

NESTING = 50_000
DEEP = {
    "python": b"x = " + b"(" * NESTING + b"1" + b")" * NESTING + b"\n",
    "python-list": b"x = " + b"[" * NESTING + b"]" * NESTING + b"\n",
    "javascript": b"let x = " + b"[" * NESTING + b"]" * NESTING + b";\n",
    "javascript-block": b"function g() " + b"{" * NESTING + b"}" * NESTING + b"\n",
    "c": b"int f(void) { return " + b"(" * NESTING + b"1" + b")" * NESTING + b"; }\n"
    b"void g(void) " + b"{" * NESTING + b"}" * NESTING + b"\n",
}


def assert_clean_text(result: FileAnalysis) -> None:
    """Every string in the record is valid UTF-8: no lone surrogates smuggled from bad bytes."""
    stack: list[object] = [msgspec.to_builtins(result)]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            item.encode("utf-8")  # raises on lone surrogates
    msgspec.json.encode(result)


def test_binary_file_is_skipped_with_a_reason() -> None:
    result = analyze("blob.py", b"\x7fELF\x02\x01\x00\x00" + bytes(range(256)) * 10)
    assert (result.status, result.reason) == ("skipped", "binary: NUL byte in the first 8 KiB")
    assert result.content_hash and result.size_bytes == 2568


def test_file_over_the_size_limit_is_skipped_unparsed() -> None:
    result = analyze("big.py", b"x = 1\n" * 1000, max_bytes=1000)
    assert result.status == "skipped"
    assert result.reason == "too large: 6000 bytes > limit 1000"
    assert result.summary is None


@pytest.mark.parametrize("language", sorted(INVALID_UTF8))
def test_invalid_utf8_gives_valid_text(language: str) -> None:
    result = analyze(f"bad.{language}", INVALID_UTF8[language], language)
    assert result.status == "ok", result.reason
    assert result.reason is not None and "invalid UTF-8" in result.reason
    assert_clean_text(result)
    ok = [sym for sym in result.symbols if sym.name == "ok"]
    assert len(ok) == 1, "a function next to undecodable bytes must still be extracted"
    assert "\ufffd" in (ok[0].docstring or "") + ok[0].signature


@pytest.mark.parametrize("language", FULL_LANGUAGES)
def test_empty_file(language: str) -> None:
    result = analyze("empty", b"", language)
    assert (result.status, result.reason) == ("ok", "empty file")
    assert result.summary is not None and result.summary.line_count == 0
    assert (result.symbols, result.imports, result.calls) == ((), (), ())


@pytest.mark.parametrize("language", FULL_LANGUAGES)
def test_file_of_only_syntax_errors(language: str) -> None:
    result = analyze("junk", b")]}>;;" * 500 + b"\n" + b"@@@ ### $$$ ```\n" * 100, language)
    assert result.status == "ok", result.reason
    assert result.summary is not None and result.summary.error_count > 0
    assert result.summary.error_ratio > 0.5
    assert_clean_text(result)


@pytest.mark.parametrize("case", sorted(DEEP))
def test_extreme_nesting_neither_crashes_nor_recurses(case: str) -> None:
    language = case.split("-")[0]
    result = analyze(f"deep.{case}", DEEP[case], language)
    assert result.status == "ok", result.reason  # an extractor RecursionError would be status "error"
    assert result.summary is not None and result.summary.max_depth >= NESTING
    assert_clean_text(result)


def test_nesting_the_grammar_gives_up_on_is_recorded_as_syntax_errors() -> None:
    # tree-sitter-javascript turns 50,000 nested call parentheses into one ERROR node: the tree
    # is flat, the file is all error, and the record says so instead of failing.
    source = b"f(" + b"(" * NESTING + b")" * NESTING + b");\n"
    result = analyze("deep.js", source)
    assert (result.status, result.reason) == ("ok", "only syntax errors")
    assert result.summary is not None and result.summary.error_ratio == 1.0


def test_identical_bytes_give_identical_records() -> None:
    source = INVALID_UTF8["python"] + GOOD["good.py"]

    def stable(r: FileAnalysis) -> bytes:
        assert r.summary is not None
        return msgspec.json.encode(msgspec.structs.replace(r, summary=None))

    assert stable(analyze("a.py", source)) == stable(analyze("a.py", source))


def test_one_batch_of_every_kind_of_bad_input(tmp_path: Path) -> None:
    """The worst inputs together in one pooled batch, good files between them: each gets a record
    with a reason, in input order, and the good files are analysed."""
    for name, data in GOOD.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "huge.py").write_bytes(b"# filler\n" * 20_000)  # 180 KB
    good = [(name, str(tmp_path / name), None) for name in GOOD]
    bad = [
        ("blob.py", b"\x00\x01\x02", None),
        ("huge.py", str(tmp_path / "huge.py"), None),
        ("bad.py", INVALID_UTF8["python"], None),
        ("empty.js", b"", None),
        ("junk.c", b")]}>;;" * 200, None),
        ("deep.py", DEEP["python"], None),
        ("hang.cbl", b"x = 1\n", "cobol"),
        ("crash.x", b"x", TEST_CRASH_LANGUAGE),
        ("missing.go", str(tmp_path / "missing.go"), None),
    ]
    items = [item for pair in zip(bad, [*good, *good, *good], strict=True) for item in pair]
    results = list(analyze_files(items, workers=2, timeout_s=2.0, max_bytes=150_000))
    assert [r.path for r in results] == [i[0] for i in items]
    by_path = {r.path: r for r in results}
    for name in GOOD:
        assert all(r.status == "ok" and r.summary is not None for r in results if r.path == name)
    expected = {
        "blob.py": ("skipped", "binary"),
        "huge.py": ("skipped", "too large"),
        "bad.py": ("ok", "invalid UTF-8"),
        "empty.js": ("ok", "empty file"),
        "deep.py": ("ok", None),
        "hang.cbl": ("error", "timed out after 2s (parser hang)"),
        "crash.x": ("error", "worker crashed (exit code 70)"),
        "missing.go": ("error", "unreadable: FileNotFoundError"),
    }
    for path, (status, reason) in expected.items():
        got = by_path[path]
        assert got.status == status, (path, got.reason)
        if reason is None:
            assert got.reason is None
        else:
            assert got.reason is not None and reason in got.reason, (path, got.reason)
    assert by_path["junk.c"].status == "ok" and by_path["junk.c"].summary is not None
    assert by_path["junk.c"].summary.error_count > 0
    for result in results:
        assert_clean_text(result)
