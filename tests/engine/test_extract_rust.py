"""Targeted checks of the Rust extractor beyond the golden files."""

from __future__ import annotations

import msgspec

from thread_assets.engine import analyze
from thread_assets.engine.model import FileAnalysis, Symbol


def run(code: str) -> FileAnalysis:
    result = analyze("lib.rs", code.encode(), "rust")
    assert result.status == "ok", result.reason
    return result


def by_id(result: FileAnalysis) -> dict[str, Symbol]:
    return {s.id: s for s in result.symbols}


def test_unused_imports_count_types_macros_and_attributes_but_not_comments() -> None:
    result = run(
        """
use std::collections::{HashMap, BTreeMap};
use serde::Serialize;
use log::debug;
use std::fmt::Write as _;
use std::rc::Rc;
#[macro_use]
extern crate lazy_static;
extern crate unused_crate;

// Rc is mentioned only in a comment, "BTreeMap" only in a string.
#[derive(Serialize)]
struct S { m: HashMap<u8, u8> }

fn f() { debug!("BTreeMap"); }
"""
    )
    used = {imp.bound: imp.used for imp in result.imports}
    assert used == {
        "HashMap": True,
        "BTreeMap": False,
        "Serialize": True,
        "debug": True,
        None: True,
        "Rc": False,
        "lazy_static": True,
        "unused_crate": False,
    }


def test_same_named_methods_in_trait_impls_do_not_collide() -> None:
    result = run(
        """
struct P;
impl P { fn fmt(&self) {} }
impl std::fmt::Display for P { fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) } }
impl std::fmt::Debug for P { fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) } }
impl From<u8> for P { fn from(_: u8) -> Self { P } }
impl From<u16> for P { fn from(_: u16) -> Self { P } }
"""
    )
    methods = [s for s in result.symbols if s.kind == "method"]
    assert [s.id for s in methods] == [
        "P.fmt",
        "P.<Display>.fmt",
        "P.<Debug>.fmt",
        "P.<From<u8>>.from",
        "P.<From<u16>>.from",
    ]
    impls = [s for s in result.symbols if s.kind == "impl"]
    assert {s.name for s in impls} == {"P"}
    assert [s.qualified_name for s in impls][:3] == ["impl P", "impl Display for P", "impl Debug for P"]
    assert all(m.parent in {i.id for i in impls} for m in methods)


def test_overloaded_inherent_methods_get_distinct_ids() -> None:
    result = run(
        """
struct W;
#[cfg(unix)]
impl W { fn open(path: &str) -> W { W } }
#[cfg(windows)]
impl W { fn open(path: &[u16]) -> W { W } }
"""
    )
    ids = [s.id for s in result.symbols if s.kind == "method"]
    assert ids == ["W.open(&str)", "W.open(&[u16])"]
    assert len({s.id for s in result.symbols}) == len(result.symbols)


def test_visibility_and_exported_rules() -> None:
    result = run(
        """
pub mod api {
    pub fn open() {}
    pub(crate) fn internal() {}
    pub(super) fn up() {}
    pub(in crate::api) fn scoped() {}
    pub(self) fn hidden() {}
    fn private() {}
}
mod private {
    pub struct Sealed;
}
pub trait Visible { fn required(&self); }
trait Hidden { fn required(&self); }
pub enum Mode { Fast { level: u8 }, Slow }
pub struct Data { pub open: u8, closed: u8 }
macro_rules! local { () => {} }
#[macro_export]
macro_rules! shared { () => {} }
pub fn outer() { pub fn nested() {} }
"""
    )
    syms = {s.id: (s.visibility, s.exported) for s in result.symbols}
    assert syms["api.open"] == ("public", True)
    assert syms["api.internal"] == ("crate", False)
    assert syms["api.up"] == ("restricted", False)
    assert syms["api.scoped"] == ("restricted", False)
    assert syms["api.hidden"] == ("private", False)
    assert syms["api.private"] == ("private", False)
    assert syms["private.Sealed"] == ("public", False)  # pub inside a private module
    assert syms["Visible.required"] == ("public", True)  # trait items inherit
    assert syms["Hidden.required"] == ("private", False)
    assert syms["Mode.Fast"] == ("public", True)
    assert syms["Mode.Fast.level"] == ("public", True)
    assert syms["Data.open"] == ("public", True)
    assert syms["Data.closed"] == ("private", False)
    assert syms["local"] == ("private", False)
    assert syms["shared"] == ("public", True)
    assert syms["outer.nested"] == ("public", False)  # items in function bodies are never exported


def test_receivers_parameters_generics_and_where_clauses() -> None:
    result = run(
        """
trait T {
    fn a(&self);
    fn b(&mut self, x: u8);
    fn c(self);
    fn d(mut self);
    fn e<'a>(&'a mut self) -> &'a u8;
    fn f(self: Box<Self>, (x, y): (u8, u8), mut z: u8, _: u8) where Self: Sized;
}
"""
    )
    params = {s.name: [(p.name, p.type, p.kind) for p in s.parameters] for s in result.symbols if s.kind == "method"}
    assert params["a"] == [("self", "&Self", "receiver")]
    assert params["b"] == [("self", "&mut Self", "receiver"), ("x", "u8", "positional")]
    assert params["c"] == [("self", "Self", "receiver")]
    assert params["d"] == [("self", "Self", "receiver")]
    assert params["e"] == [("self", "&'a mut Self", "receiver")]
    assert params["f"] == [
        ("self", "Box<Self>", "receiver"),
        ("(x, y)", "(u8, u8)", "positional"),
        ("z", "u8", "positional"),
        ("_", "u8", "positional"),
    ]
    f = next(s for s in result.symbols if s.name == "f")
    assert f.generics == ("Self: Sized",)
    e = next(s for s in result.symbols if s.name == "e")
    assert e.generics == ("'a",) and e.return_type == "&'a u8"


def test_docs_attributes_and_inner_module_docs() -> None:
    result = run(
        """
/// First line.
///
///     indented code
// a plain comment between doc and item
#[inline]
#[must_use]
pub fn f() -> u8 { 1 }

/**
 * Block doc.
 */
pub struct B;

mod m {
    //! Module docs.
}
"""
    )
    syms = by_id(result)
    f = syms["f"]
    assert f.docstring == "First line.\n\n    indented code"
    assert f.decorators == ("inline", "must_use")
    assert syms["B"].docstring == "Block doc."
    assert syms["m"].docstring == "Module docs."


def test_use_trees_flatten_and_inline_modules_rebase_relative_paths() -> None:
    result = run(
        """
use a::{b, c::{d, e as f}, self};
use ::g::h::*;
pub use i::j;
mod outer {
    use super::*;
    mod inner {
        use super::super::k;
        use self::l::m;
        mod n;
    }
}
"""
    )
    got = [(i.module, i.name, i.alias, i.bound, i.kind) for i in result.imports]
    assert got == [
        ("a", "b", None, "b", "absolute"),
        ("a::c", "d", None, "d", "absolute"),
        ("a::c", "e", "f", "f", "absolute"),
        ("a", None, None, "a", "absolute"),
        ("::g::h", None, None, None, "wildcard"),
        ("i", "j", None, "j", "reexport"),
        ("self", None, None, None, "wildcard"),
        ("self", "k", None, "k", "relative"),
        ("self::outer::inner::l", "m", None, "m", "relative"),
        ("outer::inner::n", None, None, None, "side_effect"),
    ]


def test_call_types_and_macro_argument_counts() -> None:
    result = run(
        """
static S: Lazy<u8> = Lazy::new(|| 1);
impl Foo {
    const C: usize = compute();
    fn go(&self) {
        plain(1, 2);
        a::b::scoped();
        self.method(x);
        Foo::new();
        Self::default();
        Foo::with_capacity(3);
        Foo::build();
        Some(1);
        Ast::Literal(l);
        vec![0; 4];
        println!();
        format!("{}", x,);
        assert_eq!(helper(x), y.get(0), "msg");
    }
}
"""
    )
    calls = [(c.callee, c.name, c.receiver, c.call_type, c.arg_count, c.caller) for c in result.calls]
    assert calls == [
        ("Lazy::new", "new", "Lazy", "constructor", 1, None),
        ("compute", "compute", None, "direct", 0, "impl Foo"),
        ("plain", "plain", None, "direct", 2, "Foo.go"),
        ("a::b::scoped", "scoped", "a::b", "direct", 0, "Foo.go"),
        ("self.method", "method", "self", "method", 1, "Foo.go"),
        ("Foo::new", "new", "Foo", "constructor", 0, "Foo.go"),
        ("Self::default", "default", "Self", "constructor", 0, "Foo.go"),
        ("Foo::with_capacity", "with_capacity", "Foo", "constructor", 1, "Foo.go"),
        ("Foo::build", "build", "Foo", "direct", 0, "Foo.go"),
        ("Some", "Some", None, "constructor", 1, "Foo.go"),
        ("Ast::Literal", "Literal", "Ast", "constructor", 1, "Foo.go"),
        ("vec!", "vec", None, "macro", 1, "Foo.go"),
        ("println!", "println", None, "macro", 0, "Foo.go"),
        ("format!", "format", None, "macro", 2, "Foo.go"),
        ("assert_eq!", "assert_eq", None, "macro", 3, "Foo.go"),
        ("helper", "helper", None, "direct", 1, "Foo.go"),
        ("y.get", "get", "y", "method", 1, "Foo.go"),
    ]


def test_macro_rules_bodies_and_definitions_in_macros_are_not_calls() -> None:
    result = run(
        """
macro_rules! make { ($n:ident) => { fn $n() { inner(1) } }; }
quote! { fn generated(x: u8) {} struct Tuple(u8); }
"""
    )
    assert [c.callee for c in result.calls] == ["quote!"]


def test_syntax_errors_and_deep_nesting_do_not_crash() -> None:
    broken = run("pub fn ok() {}\nfn broken( { struct S { a: u8,\nimpl X { fn m(&self) {} }\n")
    assert broken.summary is not None and broken.summary.error_count > 0
    assert any(s.name == "ok" for s in broken.symbols)
    deep = run("fn f() { " + "{ " * 3000 + "g();" + " }" * 3000 + " }")
    assert [c.callee for c in deep.calls] == ["g"]
    nested_mods = run("mod a { " * 400 + "fn leaf() {}" + " }" * 400)
    leaf = next(s for s in nested_mods.symbols if s.name == "leaf")
    assert leaf.qualified_name == ".".join(["a"] * 400 + ["leaf"])
    bad_utf8 = analyze("x.rs", b"fn caf\xe9() {}\nfn ok() {}\n", "rust")
    assert bad_utf8.status == "ok" and any(s.name == "ok" for s in bad_utf8.symbols)
    assert run("").symbols == ()


def test_output_depends_only_on_bytes() -> None:
    code = b"use a::b;\npub struct S;\nimpl S { pub fn new() -> S { b(); S } }\n"
    one = analyze("x/one.rs", code, "rust")
    two = analyze("y/two.rs", code, "rust")
    assert (one.symbols, one.imports, one.calls) == (two.symbols, two.imports, two.calls)
    assert msgspec.json.encode(one.symbols) == msgspec.json.encode(analyze("z.rs", code, "rust").symbols)


def test_long_doc_lines_and_same_line_attributes_are_found() -> None:
    long_line = "/// " + "word " * 80
    code = f"{long_line}\npub fn documented() {{}}\n#[inline] fn inline() {{}}\n"
    result = run(code + "struct A { #[serde(skip)] a: u8, b: u8 }\n")
    syms = by_id(result)
    assert syms["documented"].docstring == ("word " * 80).strip()
    assert syms["inline"].decorators == ("inline",)
    assert syms["A.a"].decorators == ("serde(skip)",)
    assert syms["A.b"].decorators == ()


def test_same_start_calls_come_out_in_one_order_whatever_ran_before() -> None:
    chained = b"fn f() { a.b().c().d(); x.y(z.w()).v(); }\n"
    other = b"fn g() { p.q().r(); }\nfn h() { s.t(u.v()).w(); }\n"
    first = analyze("a.rs", chained, "rust").calls
    analyze("b.rs", other, "rust")
    again = analyze("a.rs", chained, "rust").calls
    assert first == again
    assert [c.callee for c in first][:3] == ["a.b().c().d", "a.b().c", "a.b"]
