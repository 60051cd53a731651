"""JavaScript/TypeScript semantic pass: golden micro-programs end to end, and the records it adds.

Each directory ``tests/semantics/{typescript,javascript}/<category>/<program>/`` is a small
repository analysed alone: ``analyze``, ``resolve_imports``, ``resolve_calls``. Its
``expected.json`` maps each caller to every callee it must have an edge to (global ids), and no
other edge may appear. ``known_gaps`` (expected edges the graph step does not produce today) and
``known_wrong`` (edges it produces that are wrong) must stay exactly as they are: fixing one fails
the test until it is removed from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thread_assets.engine import analyze
from thread_assets.engine.graph import resolve_calls
from thread_assets.engine.model import Binding, Ref
from thread_assets.engine.resolve import RepoContext, resolve_imports

ROOT = Path(__file__).resolve().parent.parent / "semantics"
LANGUAGES = ("typescript", "javascript")
PROGRAMS = sorted(p.parent for lang in LANGUAGES for p in (ROOT / lang).glob("*/*/expected.json"))


def edges_of(program: Path) -> set[tuple[str, str]]:
    data = {
        p.relative_to(program).as_posix(): p.read_bytes()
        for p in sorted(program.rglob("*"))
        if p.is_file() and p.name != "expected.json"
    }
    analyses = {path: analyze(path, raw) for path, raw in data.items()}
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
    assert {
        "interface_dispatch",
        "inheritance",
        "generics",
        "constructors",
        "static_calls",
        "namespaces",
        "reexport_chains",
        "shadowing",
        "casts",
        "closures",
        "fields",
    } <= have["typescript"]
    assert {"closures", "shadowing", "inheritance", "fields", "objects", "prototypes"} <= have["javascript"]


# ---- record level: what the pass says about one file ------------------------------------------


def _calls(path: str, text: str) -> dict[str, tuple[tuple[Ref, ...], str | None]]:
    """Callee text -> (targets, reason) of its first call in the file."""
    a = analyze(path, text.encode())
    assert a.status == "ok", a.reason
    out: dict[str, tuple[tuple[Ref, ...], str | None]] = {}
    for c in a.calls:
        out.setdefault(c.callee, (c.targets, c.reason))
    return out


def _bindings(path: str, text: str) -> dict[tuple[str | None, str], tuple[Ref, ...]]:
    a = analyze(path, text.encode())
    assert a.status == "ok", a.reason
    return {(b.scope, b.name): b.values for b in a.bindings}


def test_builtins_dynamic_and_shadowed_globals() -> None:
    got = _calls(
        "a.ts",
        """
export function f(obj: Record<string, () => void>, key: string, s: string, items: number[]) {
  console.log(JSON.stringify(obj));
  Object.keys(obj).map((k) => k);
  Array.isArray(items);
  s.trim();
  items.push(1);
  obj[key]();
  eval("1");
  new Promise((r) => r(1));
}
""",
    )
    for callee in (
        "console.log",
        "JSON.stringify",
        "Object.keys",
        "Object.keys(obj).map",
        "Array.isArray",
        "s.trim",
        "items.push",
        "Promise",
    ):
        assert got[callee] == ((), "builtin"), callee
    assert got["obj[key]"] == ((), "dynamic")
    assert got["eval"] == ((), "dynamic")
    shadowed = analyze("b.ts", b"export function g(console: Sink) { console.log(1); }\n")
    assert [(c.targets, c.reason) for c in shadowed.calls] == [((Ref("n:Sink", ("new", ".log")),), None)]


def test_library_results_holding_program_values_are_not_builtin() -> None:
    got = _calls(
        "a.ts",
        """
class Job { run() {} }
export function f(queue: Job[]) {
  const jobs = new Map<string, Job>();
  jobs.get("a")!.run();
  queue.shift()!.run();
  for (const job of queue) job.run();
}
""",
    )
    assert got['jobs.get("a")!.run'] == ((), "unknown")
    assert got["queue.shift()!.run"] == ((Ref("n:Job", ("new", ".run")),), None)
    assert got["job.run"] == ((Ref("n:Job", ("new", ".run")),), None)


def test_casts_and_type_arguments_are_never_callees() -> None:
    got = _calls(
        "a.ts",
        """
import * as z from "zod";
export function any() {}
export function f(checks: { regex: unknown }, x: unknown) {
  (checks.regex as any)("a");
  z.toZod<Company>()();
  (x as Service).run();
  (<Service>x).stop();
}
""",
    )
    assert got["(checks.regex as any)"] == ((), "dynamic")
    assert got["z.toZod<Company>()"] == ((Ref("n:z", (".toZod", "()")),), None)
    assert got["z.toZod"] == ((Ref("n:z", (".toZod",)),), None)
    assert got["(x as Service).run"] == ((Ref("n:Service", ("new", ".run")),), None)
    assert got["(<Service>x).stop"] == ((Ref("n:Service", ("new", ".stop")),), None)


def test_locals_and_parameters_shadow_top_level_names() -> None:
    got = _calls(
        "a.ts",
        """
export abstract class Class {}
export function build(Class: new () => object) {
  return new Class();
}
export function top() {
  return new Class();
}
""",
    )
    assert got["Class"] == ((), "unknown")  # the parameter's: a constructor type names no class
    a = analyze("a.ts", b"export class C {}\nexport function f(C: any) { new C(); }\nnew C();\n")
    assert [c.targets for c in a.calls] == [(), (Ref("n:C"),)]


def test_this_super_and_fields() -> None:
    text = """
import { QueryClient } from "./client";
import { Base } from "./base";
export class Observer extends Base<string> implements Listener {
  #client: QueryClient;
  constructor(client: QueryClient, private cache: Cache) {
    super(client);
    this.#client = client;
    this.timer = new Timer();
  }
  update() {
    this.#client.mount();
    this.cache.clear();
    this.hasListeners();
    super.update();
    [1].forEach(() => this.timer.stop());
    function plain(this: Other) { this.go(); }
  }
  static make() { return this.create(); }
}
"""
    got = _calls("o.ts", text)
    assert got["super"] == ((Ref("n:Base"),), None)
    # a declared field of a class of the file is read here, as the checker reads it
    assert got["this.#client.mount"] == ((Ref("n:QueryClient", ("new", ".mount")),), None)
    assert got["this.hasListeners"] == ((Ref("s:Observer", ("new", ".hasListeners")),), None)
    assert got["super.update"] == ((Ref("s:Observer", ("new", "super", ".update")),), None)
    assert got["this.timer.stop"] == ((Ref("s:Observer", ("new", ".timer", ".stop")),), None)
    assert got["this.go"] == ((Ref("n:Other", ("new", ".go")),), None)
    assert got["this.create"] == ((Ref("s:Observer", (".create",)),), None)
    b = _bindings("o.ts", text)
    assert b[("Observer", "#client")] == (Ref("n:QueryClient", ("new",)),)
    assert b[("Observer", "cache")] == (Ref("n:Cache", ("new",)),)
    assert b[("Observer", "timer")] == (Ref("n:Timer", ("new",)),)
    a = analyze("o.ts", text.encode())
    assert [(r.type, r.base, r.kind) for r in a.relations] == [
        ("Observer", "Base", "extends"),
        ("Observer", "Listener", "implements"),
    ]


def test_return_and_module_bindings() -> None:
    text = """
import { Client } from "./client";
export const shared = new Client();
export const registry = { a: first, b: second };
export function first(): Promise<Client> { return Promise.resolve(shared); }
export function second() { return helper; }
function helper() {}
export interface Api { client: Client; get(): Client[] }
"""
    b = _bindings("m.ts", text)
    assert b[(None, "shared")] == (Ref("n:Client", ("new",)),)
    assert b[(None, "registry[]")] == (Ref("n:first"), Ref("n:second"))
    assert b[("first", "return")] == (Ref("n:Client", ("new",)),)
    assert b[("second", "return")] == (Ref("n:helper"),)
    assert b[("Api", "client")] == (Ref("n:Client", ("new",)),)
    assert b[("Api.get", "return")] == (Ref("b:Array"),)
    assert b[("Api.get", "return[]")] == (Ref("n:Client", ("new",)),)
    assert all(isinstance(v, Binding) for v in analyze("m.ts", text.encode()).bindings)


def test_namespaces_and_local_object_members_fold_to_their_symbols() -> None:
    got = _calls(
        "n.ts",
        """
import * as core from "../core";
namespace Geo { export function area() { return square(); } function square() { return 1; } }
const api = { get() { return this.parse(); }, parse() { return 1; } };
export function f() { core.formatError(); Geo.area(); api.get(); }
""",
    )
    assert got["core.formatError"] == ((Ref("n:core", (".formatError",)),), None)
    assert got["square"] == ((Ref("s:Geo.square"),), None)
    assert got["Geo.area"] == ((Ref("s:Geo.area"),), None)
    assert got["this.parse"] == ((Ref("s:api.parse"),), None)
    assert got["api.get"] == ((Ref("s:api.get"),), None)


def test_calls_keep_their_order_and_count() -> None:
    text = "function a() {}\nconst b = () => a();\nb(); a(); new Date(); `x${a()}`;\n"
    base = analyze("x.js", text.encode())
    assert [c.callee for c in base.calls] == ["a", "b", "a", "Date", "a"]
    assert all(c.targets or c.reason for c in base.calls)


def test_callbacks_take_the_parameter_types_their_callee_declares() -> None:
    text = """
export function operate<T>(init: (source: Source<T>, sink: Sink<T>) => void) {}
export function schedule(work: (this: Action, state: number) => void) {}
export function f(items: Job[]) {
  operate((source, sink) => sink.next());
  new Observable((subscriber) => subscriber.complete());
  schedule(function (state) { this.run(); });
  items.forEach((job) => job.start());
}
"""
    b = _bindings("c.ts", text)
    assert b[("operate", "(0)(0)")] == (Ref("n:Source", ("new",)),)
    assert b[("operate", "(0)(1)")] == (Ref("n:Sink", ("new",)),)
    assert b[("schedule", "(0)(this)")] == (Ref("n:Action", ("new",)),)
    got = _calls("c.ts", text)
    assert got["sink.next"] == ((Ref("n:operate", (".(0)(1)", ".next")),), None)
    assert got["subscriber.complete"] == ((Ref("n:Observable", (".constructor", ".(0)(0)", ".complete")),), None)
    assert got["this.run"] == ((Ref("n:schedule", (".(0)(this)", ".run")),), None)
    assert got["job.start"] == ((Ref("n:Job", ("new", ".start")),), None)


def test_instanceof_narrows_inside_the_block_only() -> None:
    a = analyze(
        "n.ts",
        b"""
import { Subscription } from "./s";
export function f(teardown: Teardown) {
  if (teardown instanceof Subscription) {
    teardown.remove();
  }
  teardown.close();
}
""",
    )
    assert [(c.callee, c.targets) for c in a.calls] == [
        ("teardown.remove", (Ref("n:Subscription", ("new", ".remove")),)),
        ("teardown.close", (Ref("n:Teardown", ("new", ".close")),)),
    ]


def test_getters_of_the_file_read_as_their_declared_type() -> None:
    got = _calls(
        "g.ts",
        """
export class Store {
  #cache = new Map<string, string>();
  get cache(): Cache { return new Cache(); }
  flush() { this.cache.clear(); }
}
""",
    )
    assert got["this.cache.clear"] == ((Ref("n:Cache", ("new", ".clear")),), None)


def test_callbacks_of_packages_stay_unknown() -> None:
    got = _calls(
        "p.ts",
        """
import express from "express";
import { operate } from "./operate";
const app = express();
express.get("/", (req, res) => res.send());
operate((source) => source.subscribe());
""",
    )
    assert got["res.send"] == ((), "unknown")
    assert got["source.subscribe"] == ((Ref("n:operate", (".(0)(0)", ".subscribe")),), None)


def test_array_literals_and_callbacks_behind_a_ternary() -> None:
    got = _calls(
        "a.ts",
        """
import { Observable, Subject } from "./rx";
export function f(scheduler: unknown) {
  let windows = [new Subject()];
  for (const w of windows) w.next();
  windows.shift()!.complete();
  return new Observable(scheduler ? (subscriber) => subscriber.error() : undefined);
}
""",
    )
    assert got["w.next"] == ((Ref("n:Subject", ("new", ".next")),), None)
    assert got["windows.shift()!.complete"] == ((Ref("n:Subject", ("new", ".complete")),), None)
    assert got["subscriber.error"] == ((Ref("n:Observable", (".constructor", ".(0)(0)", ".error")),), None)


def test_long_alias_chains_end_without_losing_the_file() -> None:
    lines = ["function f() {", "  let x0 = new Foo();"]
    lines += [f"  let x{i} = x{i - 1};" for i in range(1, 3000)]
    lines += ["  x2999.run();", "}"]
    a = analyze("chain.js", "\n".join(lines).encode())
    assert a.status == "ok", a.reason
    assert a.calls[-1].reason == "unknown"
