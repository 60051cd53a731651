"""Rust and C/C++ semantic passes: golden micro-programs end to end, and the records they add.

Each directory ``tests/semantics/{rust,cpp,c}/<category>/<program>/`` is a small repository (Rust
ones with a ``Cargo.toml``) analysed alone: ``analyze``, ``resolve_imports``, ``resolve_calls``.
Its ``expected.json`` maps each caller to every callee it must have an edge to (global ids), and
no other edge may appear. ``known_gaps`` (expected edges not produced today) and ``known_wrong``
(edges produced that are wrong) must stay exactly as they are, so fixing one fails the test until
it is removed from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thread_assets.engine import analyze
from thread_assets.engine.detect import detect_language
from thread_assets.engine.graph import resolve_calls
from thread_assets.engine.model import Ref
from thread_assets.engine.resolve import RepoContext, resolve_imports

ROOT = Path(__file__).resolve().parent.parent / "semantics"
LANGUAGES = ("rust", "cpp", "c")
PROGRAMS = sorted(p.parent for lang in LANGUAGES for p in (ROOT / lang).glob("*/*/expected.json"))


def edges_of(program: Path) -> set[tuple[str, str]]:
    data = {
        p.relative_to(program).as_posix(): p.read_bytes()
        for p in sorted(program.rglob("*"))
        if p.is_file() and p.name != "expected.json"
    }
    analyses = {
        path: analyze(path, raw) for path, raw in data.items() if detect_language(path, raw) in ("rust", "c", "cpp")
    }
    for a in analyses.values():
        assert a.status == "ok", (a.path, a.reason)
    resolutions = resolve_imports(analyses.values(), RepoContext(files=frozenset(data), read=data.get))
    return {(e.caller, e.target) for e in resolve_calls(analyses, resolutions) if e.target is not None}


def _pairs(spec: dict[str, dict[str, list[str]]], key: str) -> set[tuple[str, str]]:
    return {(caller, callee) for caller, callees in spec.get(key, {}).items() for callee in callees}


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.relative_to(ROOT).as_posix() for p in PROGRAMS])
def test_golden_program(program: Path) -> None:
    spec = json.loads((program / "expected.json").read_text(encoding="utf-8"))
    expected, gaps, wrong = (_pairs(spec, k) for k in ("edges", "known_gaps", "known_wrong"))
    assert gaps <= expected and not wrong & expected
    got = edges_of(program)
    assert sorted(got - expected - wrong) == [], "edges nobody expects"
    assert sorted(expected - gaps - got) == [], "expected edges missing"
    assert sorted(gaps & got) == [], "a known gap is fixed: remove it from known_gaps"
    assert sorted(wrong - got) == [], "a known wrong edge is gone: remove it from known_wrong"


def test_every_category_is_covered() -> None:
    have = {lang: {p.parent.name for p in PROGRAMS if p.parent.parent.name == lang} for lang in LANGUAGES}
    assert {"trait_dispatch", "generics", "constructors", "closures", "shadowing", "modules", "macros"} <= have["rust"]
    assert {"inheritance", "constructors", "namespaces", "shadowing", "static_calls", "headers"} <= have["cpp"]
    assert {"function_pointers", "shadowing"} <= have["c"]


# ---- record level: what the passes say about one file ----------------------------------------


def _calls(path: str, text: str) -> dict[str, tuple[tuple[Ref, ...], str | None]]:
    a = analyze(path, text.encode())
    assert a.status == "ok", a.reason
    return {c.callee: (c.targets, c.reason) for c in a.calls}


def test_rust_relations_and_bindings() -> None:
    a = analyze(
        "lib.rs",
        b"""
use std::fmt;
use std::collections::HashMap;
pub trait Named: fmt::Debug + Clone { fn name(&self) -> String; }
pub struct Point<T> { x: T, label: Option<Label>, parts: Vec<Part>, by_id: HashMap<u32, Part>, owner: Box<Owner> }
impl<T> fmt::Display for Point<T> { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { Ok(()) } }
impl Named for Remote { fn name(&self) -> String { String::new() } }
impl<T> Point<T> {
    pub fn new(x: T) -> Self { todo!() }
    pub fn find(&self) -> Option<Part> { None }
    pub fn load() -> Result<Point<u8>, String> { todo!() }
}
static REGISTRY: Registry = Registry;
""",
    )
    rels = {(r.type, r.type_name, r.base, r.kind) for r in a.relations}
    assert rels == {
        ("Named", "Named", "fmt::Debug", "supertrait"),
        ("Named", "Named", "Clone", "supertrait"),
        ("Point", "Point", "fmt::Display", "impl"),
        (None, "Remote", "Named", "impl"),
    }
    binds = {(b.scope, b.name): b.values for b in a.bindings}
    assert ("Point", "x") not in binds  # a type parameter says nothing
    assert binds[("Point", "label")] == (Ref("n:Label", ("new",)),)  # Option is seen through
    assert binds[("Point", "parts[]")] == (Ref("n:Part", ("new",)),)
    assert binds[("Point", "by_id[]")] == (Ref("n:Part", ("new",)),)
    assert binds[("Point", "owner")] == (Ref("n:Owner", ("new",)),)
    assert binds[("Point.new", "return")] == (Ref("s:Point", ("new",)),)
    assert binds[("Point.find", "return")] == (Ref("n:Part", ("new",)),)
    assert binds[("Point.load", "return")] == (Ref("s:Point", ("new",)),)
    assert binds[(None, "REGISTRY")] == (Ref("n:Registry", ("new",)),)


def test_rust_calls_scopes_and_verdicts() -> None:
    got = _calls(
        "lib.rs",
        """
use std::collections::HashMap;
struct Foo;
impl Foo { fn go(&self) {} fn make() -> Option<Foo> { None } }
fn helper() {}
fn run(helper: Foo, items: Vec<Foo>, maybe: Option<Foo>) {
    helper.go();
    let m = HashMap::new();
    let v = Vec::new();
    let s = String::from("a");
    s.len();
    "x".to_string();
    maybe.unwrap().go();
    Foo::make().unwrap().go();
    let f = |x: Foo| x.go();
    f(Foo);
    for it in items { it.go(); }
    println!("{}", helper.go());
    drop(m);
}
""",
    )
    assert got["helper.go"] == ((Ref("s:Foo", ("new", ".go")),), None)  # the parameter, not fn helper
    assert got["HashMap::new"] == ((Ref("n:HashMap", (".new",)),), None)  # the import: std::collections
    assert got["Vec::new"] == ((Ref("x:std::vec", (".Vec", ".new")),), None)
    assert got["String::from"] == ((Ref("x:std::string", (".String", ".from")),), None)
    assert got['"x".to_string'] == ((), "builtin")
    assert got["maybe.unwrap().go"] == ((Ref("s:Foo", ("new", ".go")),), None)
    assert got["Foo::make().unwrap().go"][0][0] == Ref("s:Foo", (".make", "()", ".go"))
    assert got["x.go"] == ((Ref("s:Foo", ("new", ".go")),), None)
    assert got["f"] == ((), "unknown")  # a closure: its calls are the enclosing function's
    assert got["it.go"] == ((Ref("s:Foo", ("new", ".go")),), None)
    assert got["println!"] == ((), "builtin")
    assert got["drop"] == ((), "builtin")


def test_rust_self_generics_and_dyn() -> None:
    got = _calls(
        "lib.rs",
        """
trait Shape { fn area(&self) -> f64; fn twice(&self) -> f64 { self.area() * 2.0 } }
struct Sq;
impl Sq { fn new() -> Self { Self::build() } fn build() -> Self { Sq } }
fn measure<T: Shape>(t: &T, d: &dyn Shape, i: impl Shape, b: Box<dyn Shape>) {
    t.area(); d.area(); i.area(); b.area(); T::default_shape();
}
""",
    )
    shape_area = (Ref("s:Shape", ("new", ".area")),)
    assert got["self.area"] == (shape_area, None)  # a trait's default method: dispatch
    assert got["Self::build"] == ((Ref("s:Sq", (".build",)),), None)
    for callee in ("t.area", "d.area", "i.area", "b.area"):
        assert got[callee] == (shape_area, None), callee
    assert got["T::default_shape"] == ((Ref("s:Shape", (".default_shape",)),), None)


def test_cpp_relations_bindings_and_appended_constructors() -> None:
    a = analyze(
        "w.cpp",
        b"""
#include <vector>
#include <memory>
namespace ui {
class Base {};
class Mixin {};
class Widget : public Base, private virtual Mixin, protected ns::Other<int> {
    std::vector<Widget*> children_;
    std::unique_ptr<Painter> painter_;
    Layout* layout_;
    int count_;
    Widget* parent() const;
};
Widget* make();
}
Widget* g_root;
void use() { ui::Widget w(1); w.parent(); g_root->parent(); }
""",
    )
    rels = {(r.type, r.base, r.kind, r.access) for r in a.relations}
    assert rels == {
        ("ui.Widget", "Base", "extends", "public"),
        ("ui.Widget", "Mixin", "extends", "private virtual"),
        ("ui.Widget", "ns::Other", "extends", "protected"),
    }
    binds = {(b.scope, b.name): b.values for b in a.bindings}
    assert binds[("ui.Widget", "children_[]")] == (Ref("s:ui.Widget", ("new",)),)
    # a type the file does not define: by name, else in the class's and namespace's scopes
    assert binds[("ui.Widget", "painter_")] == (
        Ref("n:Painter", ("new",)),
        Ref("n:ui", (".Widget", ".Painter", "new")),
        Ref("n:ui", (".Painter", "new")),
    )
    assert binds[("ui.Widget", "layout_")][0] == Ref("n:Layout", ("new",))
    assert ("ui.Widget", "count_") not in binds
    assert binds[("ui.Widget.parent", "return")] == (Ref("s:ui.Widget", ("new",)),)
    assert binds[(None, "g_root")] == (Ref("n:Widget", ("new",)),)
    calls = [(c.callee, c.call_type, c.targets) for c in a.calls]
    assert ("ui::Widget", "constructor", (Ref("s:ui.Widget"),)) in calls  # Widget w(1);
    assert [c.location.start_byte for c in a.calls] == sorted(c.location.start_byte for c in a.calls)


def test_cpp_members_this_and_std() -> None:
    got = _calls(
        "s.cpp",
        """
#include <string>
#include <cstdio>
class S {
public:
    void a() { b(); this->b(); c(); helper(); std::string s; s.size(); printf("x"); }
    void b() {}
    virtual void c() {}
};
void helper() {}
void S_free(S* s, const S& r) { s->a(); r.b(); auto l = [](){}; l(); }
""",
    )
    assert got["b"] == ((Ref("s:S.b"),), None)
    assert got["this->b"] == ((Ref("s:S", ("new", ".b")),), None)
    assert got["c"] == ((Ref("s:S", ("new", ".c")),), None)  # virtual: through the hierarchy, dispatched
    assert got["helper"] == ((Ref("s:helper"),), None)
    assert got["s.size"] == ((Ref("x:std", (".string", "new", ".size")),), None)
    assert got["s->a"] == ((Ref("s:S", ("new", ".a")),), None)
    assert got["l"] == ((), "unknown")


def test_rust_tuple_struct_fields_and_slices() -> None:
    a = analyze(
        "w.rs",
        b"""
struct Inner;
impl Inner { fn go(&self) {} }
struct W(Inner, pub Vec<Inner>);
impl W { fn run(&self, s: &str) { self.0.go(); self.1[0].go(); s[1..].len(); } }
""",
    )
    binds = {(b.scope, b.name): b.values for b in a.bindings}
    assert binds[("W", "0")] == (Ref("s:Inner", ("new",)),)
    assert binds[("W", "1[]")] == (Ref("s:Inner", ("new",)),)
    calls = {c.callee: (c.targets, c.reason) for c in a.calls}
    assert calls["self.0.go"] == ((Ref("s:Inner", ("new", ".go")),), None)
    assert calls["self.1[0].go"] == ((Ref("s:Inner", ("new", ".go")),), None)
    assert calls["s[1..].len"] == ((), "builtin")


def test_rust_super_paths_in_inline_modules() -> None:
    got = _calls(
        "lib.rs",
        """
fn helper() {}
mod outer {
    pub fn shared() {}
    mod inner {
        fn t() { super::shared(); super::super::helper(); super::super::super::gone(); }
    }
}
#[cfg(test)]
mod tests {
    #[test]
    fn it() { super::helper(); }
}
""",
    )
    assert got["super::shared"] == ((Ref("s:outer.shared"),), None)
    assert got["super::super::helper"] == ((Ref("s:helper"),), None)
    assert got["super::super::super::gone"] == ((), None)  # leaves the file: name-based resolution
    assert got["super::helper"] == ((Ref("s:helper"),), None)


def test_c_x_macro_lists_are_not_calls_of_themselves() -> None:
    a = analyze(
        "list.h",
        b"""#include "uv.h"

TEST_DECLARE   (platform_output)
TEST_DECLARE   (close_order)
#ifdef _WIN32
TEST_DECLARE   (fs_fd_hash)
#endif
TEST_DECLARE   (fs_utime)
TEST_DECLARE   (fs_lutime)
""",
        "c",
    )
    # the grammar reads the list as function declarations named TEST_DECLARE around the rest
    assert any(s.name == "TEST_DECLARE" for s in a.symbols)
    declared = [(c.targets, c.reason) for c in a.calls if c.callee == "TEST_DECLARE"]
    assert declared and all(d == ((), "unknown") for d in declared)
    b = analyze("r.c", b"static void helper(void) {}\nstatic void run(void) { helper(); run(); }\n", "c")
    calls = {c.callee: c.targets for c in b.calls}
    assert calls == {"helper": (Ref("s:helper"),), "run": (Ref("s:run"),)}  # recursion stays
