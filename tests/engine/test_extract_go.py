"""Targeted checks of the Go extractor: the choices its golden files only show by example."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.extract.go import package_name_guess
from thread_assets.engine.model import FileAnalysis


def run(code: str) -> FileAnalysis:
    result = analyze("x.go", code.encode(), "go")
    assert result.status == "ok", result.reason
    return result


def test_unused_imports_use_qualified_references_only() -> None:
    result = run(
        'package p\nimport (\n "fmt"\n "io"\n "os"\n str "strings"\n . "math"\n _ "embed"\n)\n'
        "var _ io.Reader\nfunc f() { fmt.Println(Pi) }\n// os.Exit in a comment is not a use\n"
        'func g() { s := "strings.X"; _ = s }\n'
    )
    used = {(i.module, i.bound, i.kind): i.used for i in result.imports}
    assert used == {
        ("fmt", "fmt", "absolute"): True,
        ("io", "io", "absolute"): True,
        ("os", "os", "absolute"): False,
        ("strings", "str", "absolute"): False,
        ("math", None, "wildcard"): True,
        ("embed", None, "side_effect"): True,
    }


def test_package_name_guess_skips_version_decorations() -> None:
    assert package_name_guess("github.com/x/y/v2") == "y"
    assert package_name_guess("gopkg.in/yaml.v3") == "yaml"
    assert package_name_guess("github.com/mattn/go-isatty") == "isatty"
    assert package_name_guess("net/http") == "http"


def test_visibility_follows_capitalisation() -> None:
    result = run("package p\ntype T struct{ A int; b int }\nfunc (t T) M() {}\nfunc (t T) m() {}\nconst K, k = 1, 2\n")
    vis = {s.id: (s.visibility, s.exported) for s in result.symbols}
    assert vis == {
        "T": ("public", True),
        "T.A": ("public", True),
        "T.b": ("package", False),
        "T.M": ("public", True),
        "T.m": ("package", False),
        "K": ("public", True),
        "k": ("package", False),
    }


def test_methods_attach_to_a_type_declared_later_and_keep_receivers() -> None:
    result = run("package p\nfunc (s *S) Get() int { return s.n }\ntype S struct{ n int }\nfunc (o Other) X() {}\n")
    by_id = {s.id: s for s in result.symbols}
    assert by_id["S.Get"].parent == "S"
    assert by_id["S.Get"].parameters[0].kind == "receiver"
    assert by_id["S.Get"].parameters[0].type == "*S"
    assert by_id["Other.X"].parent is None
    assert by_id["Other.X"].qualified_name == "Other.X"


def test_kinds_of_type_declarations() -> None:
    result = run("package p\ntype S struct{}\ntype I interface{ M() }\ntype A = S\ntype D int\ntype F func() error\n")
    assert [(s.id, s.kind) for s in result.symbols] == [
        ("S", "struct"),
        ("I", "interface"),
        ("I.M", "method"),
        ("A", "type_alias"),
        ("D", "type_alias"),
        ("F", "type_alias"),
    ]


def test_call_types() -> None:
    result = run(
        'package p\nimport "fmt"\nfunc f(x T) {\n fmt.Println(1, 2)\n x.Do()\n g()\n _ = new(T)\n'
        " _ = T{A: 1}\n h[int](3)\n func() {}()\n}\n"
    )
    calls = [(c.callee, c.name, c.receiver, c.call_type, c.arg_count, c.caller) for c in result.calls]
    assert calls == [
        ("fmt.Println", "Println", "fmt", "direct", 2, "f"),
        ("x.Do", "Do", "x", "method", 0, "f"),
        ("g", "g", None, "direct", 0, "f"),
        ("new", "new", None, "direct", 1, "f"),
        ("h[int]", "h", None, "direct", 1, "f"),
        ("func()", "func", None, "direct", 0, "f"),
    ]


def test_doc_comments_drop_directives_and_need_adjacency() -> None:
    result = run("package p\n// Doc line.\n//go:noinline\nfunc f() {}\n\n// Detached.\n\nfunc g() {}\n")
    docs = {s.id: s.docstring for s in result.symbols}
    assert docs == {"f": "Doc line.", "g": None}


def test_locals_are_not_symbols() -> None:
    result = run("package p\nfunc f() {\n var x = 1\n type local struct{ y int }\n const c = 2\n _ = x\n}\n")
    assert [s.id for s in result.symbols] == ["f"]


def test_syntax_errors_do_not_lose_the_rest() -> None:
    result = run("package p\nfunc ok() int { return helper() }\nfunc broken() { x := \n}\nvar = 3\nfunc after() {}\n")
    assert result.summary is not None and result.summary.error_count > 0
    assert [s.id for s in result.symbols] == ["ok", "broken", "after"]
    assert [(c.name, c.caller) for c in result.calls] == [("helper", "ok")]


def test_deep_nesting_does_not_recurse() -> None:
    body = "f(" * 3000 + ")" * 3000
    result = run(f"package p\nfunc g() {{ {body} }}\n")
    assert result.symbols[0].id == "g"
    assert len(result.calls) == 3000
