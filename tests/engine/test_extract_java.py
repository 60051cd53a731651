"""Targeted checks of the Java extractor: the choices its golden files only show by example."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.model import FileAnalysis


def run(code: str) -> FileAnalysis:
    result = analyze("X.java", code.encode(), "java")
    assert result.status == "ok", result.reason
    return result


def test_import_forms_and_usage() -> None:
    result = run(
        "package a;\nimport java.util.List;\nimport java.util.Set;\nimport java.io.*;\n"
        "import static java.lang.Math.max;\nimport static java.lang.Math.min;\nimport static org.junit.Assert.*;\n"
        "import a.b.Outer.Inner;\n"
        "class X { List<String> xs; int f() { return max(1, 2); } /** {@link Set} */ Inner i; }\n"
    )
    got = [(i.module, i.name, i.bound, i.kind, i.used) for i in result.imports]
    assert got == [
        ("java.util", "List", "List", "absolute", True),
        ("java.util", "Set", "Set", "absolute", False),  # a Javadoc mention is not a use
        ("java.io", None, None, "wildcard", True),
        ("java.lang.Math", "max", "max", "absolute", True),
        ("java.lang.Math", "min", "min", "absolute", False),
        ("org.junit.Assert", None, None, "wildcard", True),
        ("a.b.Outer", "Inner", "Inner", "absolute", True),
    ]


def test_overloads_get_distinct_ids_from_parameter_types() -> None:
    result = run(
        "class C {\n C() {}\n C(int a) {}\n void m(String s) {}\n void m(String s, int... rest) {}\n"
        " void m(java.util.List<String> xs) {}\n}\n"
    )
    ids = [s.id for s in result.symbols]
    assert ids == ["C", "C.C()", "C.C(int)", "C.m(String)", "C.m(String,int...)", "C.m(java.util.List<String>)"]
    assert len(set(ids)) == len(ids)


def test_visibility_defaults() -> None:
    result = run(
        "public class C {\n int pkg;\n private int priv;\n protected int prot;\n public int pub;\n"
        " interface I { int K = 1; void m(); }\n enum E { A; E() {} }\n @interface Ann { int v(); }\n}\n"
    )
    vis = {s.id: (s.kind, s.visibility, s.exported) for s in result.symbols}
    assert vis == {
        "C": ("class", "public", True),
        "C.pkg": ("field", "package", False),
        "C.priv": ("field", "private", False),
        "C.prot": ("field", "protected", False),
        "C.pub": ("field", "public", True),
        "C.I": ("interface", "package", False),
        "C.I.K": ("constant", "public", True),
        "C.I.m": ("method", "public", True),
        "C.E": ("enum", "package", False),
        "C.E.A": ("enum_member", "public", True),
        "C.E.E": ("method", "private", False),
        "C.Ann": ("interface", "package", False),
        "C.Ann.v": ("method", "public", True),
    }


def test_anonymous_classes_and_lambdas_attribute_calls_to_the_enclosing_method() -> None:
    result = run(
        "class C {\n void run() {\n  new Thread(new Runnable() { public void run() { work(); } }).start();\n"
        "  list.forEach(x -> handle(x));\n  list.forEach(C::handle);\n }\n}\n"
    )
    assert [s.id for s in result.symbols] == ["C", "C.run"]
    calls = [(c.callee, c.call_type, c.receiver, c.caller, c.arg_count) for c in result.calls]
    assert calls == [
        (
            "new Thread(new Runnable() { public void run() { work(); } }).start",
            "method",
            "new Thread(new Runnable() { public void run() { work(); } })",
            "C.run",
            0,
        ),
        ("Thread", "constructor", None, "C.run", 1),
        ("Runnable", "constructor", None, "C.run", 0),
        ("work", "direct", None, "C.run", 0),
        ("list.forEach", "method", "list", "C.run", 1),
        ("handle", "direct", None, "C.run", 1),
        ("list.forEach", "method", "list", "C.run", 1),
    ]


def test_constructor_invocations() -> None:
    result = run(
        "class C extends B {\n C() { this(1); }\n C(int a) { super(a); }\n"
        " void m() { super.m(); new a.b.D<String>(); outer.new Inner(); }\n}\n"
    )
    calls = [(c.callee, c.name, c.receiver, c.call_type) for c in result.calls]
    assert calls == [
        ("this", "this", None, "constructor"),
        ("super", "super", None, "constructor"),
        ("super.m", "m", "super", "method"),
        ("a.b.D", "D", "a.b", "constructor"),
        ("outer.Inner", "Inner", "outer", "constructor"),
    ]


def test_annotations_are_decorators_and_not_part_of_location() -> None:
    result = run('class C {\n  @Override\n  @SuppressWarnings("x")\n  public String toString() { return ""; }\n}\n')
    method = result.symbols[1]
    assert method.decorators == ("Override", 'SuppressWarnings("x")')
    assert method.location.start_line == 4
    assert method.signature == "public String toString()"


def test_javadoc_only_from_doc_comments() -> None:
    result = run(
        "class C {\n /** Documented. */\n void a() {}\n /* plain */\n void b() {}\n // line\n void c() {}\n}\n"
    )
    assert {s.id: s.docstring for s in result.symbols} == {"C": None, "C.a": "Documented.", "C.b": None, "C.c": None}


def test_generics_and_records() -> None:
    result = run("record P<T extends Comparable<T>>(T first, T... rest) implements Cmp<P<T>> { P { } }\n")
    rec, first, rest, ctor = result.symbols
    assert (rec.kind, rec.generics) == ("class", ("T extends Comparable<T>",))
    assert [(p.name, p.type, p.kind) for p in rec.parameters] == [
        ("first", "T", "positional"),
        ("rest", "T...", "variadic"),
    ]
    assert (first.kind, first.id, rest.id) == ("field", "P.first", "P.rest")
    assert (ctor.id, ctor.kind, len(ctor.parameters)) == ("P.P", "method", 2)


def test_syntax_errors_keep_later_members() -> None:
    result = run("class C {\n void broken( {\n }\n int ok() { return helper(); }\n}\n")
    assert "C.ok" in {s.id for s in result.symbols}
    assert any(c.name == "helper" and c.caller == "C.ok" for c in result.calls)


def test_deep_nesting_does_not_recurse() -> None:
    expr = "f(" * 2000 + ")" * 2000
    result = run(f"class C {{ void g() {{ {expr}; }} }}\n")
    assert [s.id for s in result.symbols] == ["C", "C.g"]
    assert len(result.calls) == 2000


def test_package_declaration_is_a_namespace_symbol() -> None:
    result = run("/** Package docs. */\n@Deprecated\npackage a.b.c;\nclass X {}\n")
    ns, cls = result.symbols
    assert (ns.kind, ns.name, ns.decorators, ns.docstring) == ("namespace", "a.b.c", ("Deprecated",), "Package docs.")
    assert ns.location.start_line == 3
    assert (cls.id, cls.parent) == ("X", None)  # qualified names stay file-local
