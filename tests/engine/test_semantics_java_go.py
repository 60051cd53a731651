"""Java and Go semantic passes: golden micro-programs end to end, and the records they add.

Each directory ``tests/semantics/{java,go}/<category>/<program>/`` is a small repository (Go
ones with a ``go.mod``) analysed alone: ``analyze``, ``resolve_imports``, ``resolve_calls``.
Its ``expected.json`` maps each caller to every callee it must have an edge to (global ids), and
no other edge may appear. Two optional keys of the same shape record what the graph step gets
wrong today: ``known_gaps`` (expected edges it does not produce) and ``known_wrong`` (edges it
produces that are wrong). Both must stay exactly as they are, so fixing one fails the test until
it is removed from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thread_assets.engine import analyze
from thread_assets.engine.graph import resolve_calls
from thread_assets.engine.model import Ref
from thread_assets.engine.resolve import RepoContext, resolve_imports

ROOT = Path(__file__).resolve().parent.parent / "semantics"
PROGRAMS = sorted(p.parent for lang in ("java", "go") for p in (ROOT / lang).glob("*/*/expected.json"))


def edges_of(program: Path) -> set[tuple[str, str]]:
    data = {
        p.relative_to(program).as_posix(): p.read_bytes()
        for p in sorted(program.rglob("*"))
        if p.is_file() and p.name != "expected.json"
    }
    analyses = {path: analyze(path, raw) for path, raw in data.items() if path.endswith((".java", ".go"))}
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
    have = {lang: {p.parent.name for p in PROGRAMS if p.parent.parent.name == lang} for lang in ("java", "go")}
    common = {"interface_dispatch", "constructors", "closures", "shadowing", "generics"}
    assert common | {"inheritance", "static_calls", "nested"} <= have["java"]
    assert common | {"embedding", "packages"} <= have["go"]


# ---- record level: what the passes say about one file ----------------------------------------


def _calls(path: str, text: str) -> dict[str, tuple[tuple[Ref, ...], str | None]]:
    a = analyze(path, text.encode())
    assert a.status == "ok", a.reason
    return {c.callee: (c.targets, c.reason) for c in a.calls}


def test_java_builtins_reflection_and_unknown_receivers() -> None:
    got = _calls(
        "R.java",
        """
import java.lang.reflect.Method;
class R {
    void run(Method m, Object o, java.util.List<String> xs) throws Exception {
        System.out.println("x");
        String.valueOf(1).trim();
        m.invoke(o);
        o.getClass().getMethod("x").invoke(o);
        xs.forEach(y -> y.go());
        java.util.function.Function<Object, Object> f = z -> z.go();
    }
}
""",
    )
    assert got["System.out.println"] == ((), "builtin")
    assert got["String.valueOf(1).trim"] == ((), "builtin")
    assert got["m.invoke"] == ((), "dynamic")
    assert got['o.getClass().getMethod("x").invoke'] == ((), "dynamic")
    assert got["y.go"] == ((), "builtin")  # forEach hands the lambda the list's Strings
    assert got["z.go"] == ((), "unknown")  # an untyped lambda parameter


def test_java_records_relations_and_bindings() -> None:
    a = analyze(
        "P.java",
        b"""
interface Named extends Comparable<Named>, java.io.Serializable { }
record P(String name, Named other) implements Named {
    enum Kind { A, B; void k() { } }
    P self() { return this; }
    void use() { other.hashCode(); Kind.A.k(); self().use(); }
}
""",
    )
    rels = {(r.type, r.base, r.kind) for r in a.relations}
    assert rels == {
        ("Named", "Comparable", "extends"),
        ("Named", "java.io.Serializable", "extends"),
        ("P", "Named", "implements"),
    }
    binds = {(b.scope, b.name): b.values for b in a.bindings}
    assert binds[("P", "other")] == (Ref("s:Named", ("new",)),)
    assert binds[("P.self", "return")] == (Ref("s:P", ("new",)),)
    assert binds[("P.Kind", "A")] == (Ref("s:P.Kind", ("new",)),)
    calls = {c.callee: c.targets for c in a.calls}
    # Named may define hashCode; if no class of the repository does, it is Object's
    assert calls["other.hashCode"] == (Ref("s:Named", ("new", ".hashCode")), Ref("b:Object"))
    assert calls["Kind.A.k"] == (Ref("s:P.Kind", (".A", ".k")),)
    assert calls["self().use"] == (Ref("s:P", ("new", ".self", "()", ".use")),)


def test_go_records_relations_and_bindings() -> None:
    a = analyze(
        "s.go",
        b"""package s

import "net/http"

type Server struct {
	*Base
	http.Handler
	routes map[string]Route
	mux    *http.ServeMux
}

var registry = map[string]func(){"a": start}

func start() {}

func (s *Server) Routes() []Route { return nil }

func (s *Server) Run(w http.ResponseWriter) error {
	for _, r := range s.routes {
		r.Serve()
	}
	s.mux.Handle("/", nil)
	registry["a"]()
	if err := s.check(); err != nil {
		return err
	}
	switch v := w.(type) {
	case *Server:
		v.Run(nil)
	}
	w.Write(nil)
	ch := make(chan *Base)
	(<-ch).Close()
	return nil
}
""",
    )
    assert {(r.type, r.base, r.kind) for r in a.relations} == {
        ("Server", "Base", "embeds"),
        ("Server", "http.Handler", "embeds"),
    }
    binds = {(b.scope, b.name): b.values for b in a.bindings}
    assert binds[("Server", "routes[]")] == (Ref("n:Route", ("new",)),)
    assert binds[("Server", "mux")] == (Ref("n:http", (".ServeMux", "new")),)
    assert binds[("Server", "Base")] == (Ref("n:Base", ("new",)),)
    assert binds[(None, "registry[]")] == (Ref("s:start"),)  # this file's own, whatever the package has
    assert binds[("Server.Run", "return")] == (Ref("b:error"),)  # a builtin, whatever is done with it
    calls = {c.callee: (c.targets, c.reason) for c in a.calls}
    assert calls["r.Serve"] == ((Ref("s:Server", ("new", ".routes[]", ".Serve")),), None)
    assert calls["s.mux.Handle"] == ((Ref("s:Server", ("new", ".mux", ".Handle")),), None)
    assert calls['registry["a"]'] == ((Ref("n:registry[]"),), None)
    assert calls["v.Run"] == ((Ref("s:Server", ("new", ".Run")),), None)
    assert calls["w.Write"] == ((Ref("n:http", (".ResponseWriter", "new", ".Write")),), None)
    assert calls["make"] == ((), "builtin")
    assert calls["(<-ch).Close"] == ((Ref("n:Base", ("new", ".Close")),), None)


def test_go_type_parameters_errors_and_generic_calls() -> None:
    a = analyze(
        "g.go",
        b"""package g

type Pair[A any] struct{ First A }

type Set[K comparable] struct{ items map[K]bool }

func NewSet[K comparable]() *Set[K] { return &Set[K]{} }

func (s *Set[K]) Has(k K) bool { k.Oops(); return s.items[k] }

func load() (*Set[int], error) { return nil, nil }

func use() {
	NewSet[string]().Has("a")
	s, err := load()
	err.Error()
	s.Has(1)
}
""",
    )
    binds = {(b.scope, b.name) for b in a.bindings}
    assert ("Pair", "First") not in binds  # A is Pair's type parameter, not a type named A
    calls = {c.callee: (c.targets, c.reason) for c in a.calls}
    assert calls["k.Oops"] == ((), "unknown")  # K is the receiver's type parameter
    assert calls["NewSet[string]().Has"] == ((Ref("s:NewSet", ("()", ".Has")),), None)
    assert calls["err.Error"] == ((), "builtin")
    assert calls["s.Has"] == ((Ref("s:load", ("()", ".Has")),), None)


def test_go_shadowing_own_initializer_named_containers_and_conversions() -> None:
    a = analyze(
        "n.go",
        b"""package n

type Node struct{}

func (n *Node) Next() *Node { return nil }

type Nodes []*Node

type Celsius float64

func (n *Node) Children() []*Node { return nil }

func walk(x *Node, all Nodes) {
	if x := x.Next(); x != nil {
		x.Next()
	}
	for _, n := range all {
		n.Next()
	}
	all[0].Next()
	_ = Celsius(1)
	for _, c := range x.Children() {
		c.Next()
	}
}
""",
    )
    calls = [(c.callee, c.targets, c.reason) for c in a.calls]
    node_next = (Ref("s:Node", ("new", ".Next")),)
    assert calls[0] == ("x.Next", node_next, None)  # the x of the initializer is the parameter
    assert calls[1] == ("x.Next", (Ref("s:Node", ("new", ".Next", "()", ".Next")),), None)
    assert calls[2] == ("n.Next", node_next, None)  # Nodes is a slice of *Node
    assert calls[3] == ("all[0].Next", node_next, None)
    assert calls[4] == ("Celsius", (), "builtin")  # a conversion
    assert calls[6] == ("c.Next", node_next, None)  # Children's declared result is a slice of *Node


def test_java_unbounded_type_parameters_are_not_bound_for_readers() -> None:
    a = analyze(
        "Box.java",
        b"""
import java.util.List;
class Box<T, N extends Number> {
    T item;
    List<T> all;
    N count;
    T get() { item.hashCode(); return item; }
}
""",
    )
    binds = {(b.scope, b.name): b.values for b in a.bindings}
    assert ("Box", "item") not in binds and ("Box.get", "return") not in binds  # a Box<User> reader has Users
    assert binds[("Box", "all")] == (Ref("n:List", ("new",)),) and ("Box", "all[]") not in binds
    assert binds[("Box", "count")] == (Ref("b:Number"),)  # the bound
    assert {c.callee: c.reason for c in a.calls}["item.hashCode"] == "builtin"  # inside, T is an Object
