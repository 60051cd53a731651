"""Targeted checks of the JS/TS/TSX extractor: the rules golden files show only by example."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.model import FileAnalysis, Symbol


def run(code: str, language: str = "typescript") -> FileAnalysis:
    suffix = {"typescript": "ts", "tsx": "tsx", "javascript": "js"}[language]
    result = analyze(f"t.{suffix}", code.encode(), language)
    assert result.status == "ok", result.reason
    return result


def by_id(result: FileAnalysis) -> dict[str, Symbol]:
    return {s.id: s for s in result.symbols}


def used(result: FileAnalysis) -> dict[str, bool]:
    return {imp.bound: imp.used for imp in result.imports if imp.bound}


def test_unused_imports_count_type_positions_but_not_strings_comments_or_properties() -> None:
    result = run(
        """
import { A, B, C, D, E, F } from './m';
import type { G } from './types';
// A is mentioned in a comment only
const s = "B in a string";
const o = { C: 1 };
o.D;
let x: G<number>;
function f(): E { return new F(); }
"""
    )
    assert used(result) == {"A": False, "B": False, "C": False, "D": False, "E": True, "F": True, "G": True}


def test_jsx_element_names_count_as_use() -> None:
    result = run(
        "import { Icon, Unused } from './icons';\nexport const X = () => <div><Icon name='a' /></div>;\n", "tsx"
    )
    assert used(result) == {"Icon": True, "Unused": False}


def test_export_of_an_import_is_a_use() -> None:
    result = run("import helper from './helper';\nexport { helper };\n")
    assert used(result) == {"helper": True}


def test_overload_signatures_get_distinct_ids() -> None:
    result = run(
        """
export function parse(text: string): Node;
export function parse(bytes: Uint8Array, offset?: number): Node;
export function parse(input: string | Uint8Array, offset = 0): Node { return null!; }
class P { run(): void; run(x: number): void; run(x?: number) {} }
"""
    )
    ids = [s.id for s in result.symbols if s.name in ("parse", "run")]
    assert ids == [
        "parse(string)",
        "parse(Uint8Array,number)",
        "parse(string | Uint8Array,offset)",
        "P.run()",
        "P.run(number)",
        "P.run(number)~2",
    ]
    assert len(set(s.id for s in result.symbols)) == len(result.symbols)


def test_same_method_name_in_two_classes_does_not_collide() -> None:
    result = run("class A { close() {} }\nclass B { close() {} }\n", "javascript")
    assert {"A.close", "B.close"} <= set(by_id(result))


def test_visibility_and_export_rules() -> None:
    result = run(
        """
export class Box {
  #secret = 1;
  private hidden = 2;
  protected guarded(): void {}
  public shown = 3;
  plain() {}
}
class Local { member = 1; }
"""
    )
    s = by_id(result)
    assert (s["Box.#secret"].visibility, s["Box.#secret"].exported) == ("private", False)
    assert (s["Box.hidden"].visibility, s["Box.hidden"].exported) == ("private", False)
    assert (s["Box.guarded"].visibility, s["Box.guarded"].exported) == ("protected", False)
    assert (s["Box.shown"].visibility, s["Box.shown"].exported) == ("public", True)
    assert s["Box.plain"].exported and s["Box"].exported
    assert not s["Local"].exported and not s["Local.member"].exported


def test_commonjs_exports() -> None:
    result = run(
        "function a() {}\nfunction b() {}\nfunction c() {}\n"
        "module.exports = { a, renamed: b };\nexports.d = function () {};\n",
        "javascript",
    )
    exported = {s.name: s.exported for s in result.symbols}
    assert exported == {"a": True, "b": True, "c": False, "d": True}


def test_locals_are_not_symbols_but_nested_functions_are() -> None:
    result = run(
        """
const TOP = 1;
let counter = 0;
function outer(a) {
  const local = 2;
  let other = 3;
  function inner() { return local; }
  const arrow = () => inner();
  return arrow;
}
for (let i = 0; i < 3; i++) {}
"""
    )
    assert [(s.id, s.kind) for s in result.symbols] == [
        ("TOP", "constant"),
        ("counter", "variable"),
        ("outer", "function"),
        ("outer.inner", "function"),
        ("outer.arrow", "function"),
    ]
    calls = {c.callee: c.caller for c in result.calls}
    assert calls == {"inner": "outer.arrow"}


def test_call_kinds() -> None:
    result = run(
        """
class K extends Base {
  constructor() { super(); super.init(1, 2); }
  m() { a?.b(); f(); new ns.Thing(); tag`x${1}`; (function () {})(); obj.list[0](1); }
}
"""
    )
    got = [(c.callee, c.name, c.receiver, c.call_type, c.arg_count, c.caller) for c in result.calls]
    assert got == [
        ("super", "super", None, "constructor", 0, "K.constructor"),
        ("super.init", "init", "super", "method", 2, "K.constructor"),
        ("a?.b", "b", "a", "method", 0, "K.m"),
        ("f", "f", None, "direct", 0, "K.m"),
        ("ns.Thing", "Thing", "ns", "constructor", 0, "K.m"),
        ("(function)", "(function)", None, "direct", 0, "K.m"),
        ("obj.list[0]", "list", None, "direct", 1, "K.m"),
    ]


def test_import_forms() -> None:
    result = run(
        """
import def, { a, b as c } from './local';
import * as ns from 'pkg';
import 'side-effect';
export { x, y as z } from '../up';
export * from 'all';
const req = require('cjs');
const { p, q: r } = require('./cjs-local');
async function later() { const mod = await import('dyn'); return mod; }
"""
    )
    got = [(i.module, i.name, i.alias, i.bound, i.kind) for i in result.imports]
    assert got == [
        ("./local", "default", None, "def", "relative"),
        ("./local", "a", None, "a", "relative"),
        ("./local", "b", "c", "c", "relative"),
        ("pkg", None, None, "ns", "absolute"),
        ("side-effect", None, None, None, "side_effect"),
        ("../up", "x", None, None, "reexport"),
        ("../up", "y", "z", None, "reexport"),
        ("all", None, None, None, "reexport"),
        ("cjs", None, None, "req", "absolute"),
        ("./cjs-local", "p", None, "p", "relative"),
        ("./cjs-local", "q", "r", "r", "relative"),
        ("dyn", None, None, "mod", "absolute"),
    ]
    assert used(result)["mod"] is True and used(result)["req"] is False


def test_parameters_generics_decorators_and_docs() -> None:
    result = run(
        """
/** Does things. */
@Component({ selector: 'x' })
export class C<T extends Base = Default> {
  /**
   * Runs.
   */
  @HostListener('click') run<U>(this: C<T>, a: T, b?: U, c = 1, ...rest: string[]): U | undefined { return undefined; }
}
"""
    )
    s = by_id(result)
    assert s["C"].generics == ("T extends Base = Default",)
    assert s["C"].decorators == ("Component({ selector: 'x' })",)
    assert s["C"].docstring == "Does things."
    run_ = s["C.run"]
    assert run_.decorators == ("HostListener('click')",)
    assert run_.docstring == "Runs."
    assert run_.return_type == "U | undefined"
    assert [(p.name, p.type, p.default, p.kind) for p in run_.parameters] == [
        ("this", "C<T>", None, "receiver"),
        ("a", "T", None, "positional"),
        ("b", "U", None, "optional"),
        ("c", None, "1", "positional"),
        ("rest", "string[]", None, "variadic"),
    ]
    assert run_.signature.startswith("run<U>(this: C<T>")


def test_escaped_property_names_are_decoded() -> None:
    result = run("var map = { '\\u00C0': 'A', \"\\x41b\": 1 };\n", "javascript")
    assert [s.name for s in result.symbols] == ["map", "À", "Ab"]


def test_syntax_errors_do_not_lose_the_rest_of_the_file() -> None:
    result = run("function ok() { return 1; }\nclass Broken { method( { }\nexport const after = () => ok();\n")
    names = {s.name for s in result.symbols}
    assert "ok" in names


def test_deep_nesting_does_not_recurse() -> None:
    depth = 3000
    code = "const x = " + "(" * depth + "1" + ")" * depth + ";\n" + "function f() {" * 200 + "}" * 200
    result = run(code, "javascript")
    assert result.symbols[0].name == "x"


def test_deterministic() -> None:
    code = "export class A { m() { f(); } }\nimport { f } from './f';\n"
    a, b = run(code), run(code)
    assert (a.symbols, a.imports, a.calls) == (b.symbols, b.imports, b.calls)


def test_member_assignments_in_function_bodies_only_define_module_level_owners() -> None:
    result = run(
        """
(function (global) {
  var Expr, version = "1", make = function () {};
  function setup(socket) {
    socket.onopen = function () {};
    Expr.find = function () {};
    window.helper = function () {};
  }
})(this);
""",
        "javascript",
    )
    symbols = {(s.qualified_name, s.kind): s.location.start_line for s in result.symbols}
    # ``make`` is the third declarator of a three-declarator statement: it starts on its own name
    assert symbols == {
        ("make", "function"): 3,
        ("setup", "function"): 4,
        ("Expr.find", "method"): 6,
        ("window.helper", "function"): 7,
    }
    make = next(s for s in result.symbols if s.name == "make")
    assert make.location.start_col == 27


def test_assigning_a_function_to_a_module_level_name_defines_it() -> None:
    result = run(
        """
var define, require;
(function () {
  define = function (name, deps) {};
  function local() { require = function () {}; }
})();
""",
        "javascript",
    )
    assert [(s.id, s.kind) for s in result.symbols] == [
        ("define", "variable"),
        ("require", "variable"),
        ("define(name,deps)", "function"),
        ("local", "function"),
    ]
    define = result.symbols[2]
    assert define.signature == "define = function (name, deps)"
    assert [p.name for p in define.parameters] == ["name", "deps"]
