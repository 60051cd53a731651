"""Dependency edges, cycles and the ImportGraph API on hand-built resolutions."""

from __future__ import annotations

import pickle
import random

import msgspec

from thread_assets.engine.graph import Cycle, DepEdge, ImportGraph, dependency_edges, find_cycles
from thread_assets.engine.model import FileAnalysis, Import, Location
from thread_assets.engine.resolve.base import Resolution

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=1, start_byte=0, end_byte=1)


def res(
    importer: str,
    target: str | None,
    *,
    index: int = 0,
    name: str | None = None,
    external: str | None = None,
    how: str = "python:absolute",
    module: str = "m",
) -> Resolution:
    return Resolution(
        importer=importer, index=index, module=module, name=name, target=target, external=external, how=how
    )


def edges_of(pairs: list[tuple[str, str]]) -> list[DepEdge]:
    return dependency_edges([res(a, b) for a, b in pairs])


def test_edges_fold_imports_per_target_and_keep_externals_apart() -> None:
    rs = [
        res("a.py", "b.py", index=0, name="f", module="b"),
        res("a.py", "b.py", index=1, name="g", module="b", how="python:relative"),
        res("a.py", None, index=2, external="os", how="external", module="os.path"),
        res("a.py", None, index=3, how="unresolved", module="nowhere"),
        res("b.py", "c.py", index=0, module="c"),
    ]
    analyses = {
        "a.py": FileAnalysis(
            path="a.py",
            language="python",
            status="ok",
            imports=(
                Import(module="b", name="f", bound="f", kind="absolute", location=LOC),
                Import(module=".b", name="g", bound="g", kind="relative", level=1, location=LOC),
                Import(module="os.path", bound="os", kind="absolute", location=LOC),
                Import(module="nowhere", bound="nowhere", kind="absolute", location=LOC),
            ),
        )
    }
    edges = dependency_edges(rs, analyses)
    assert [(e.source, e.target, e.external, e.count) for e in edges] == [
        ("a.py", "b.py", False, 2),
        ("a.py", "os", True, 1),
        ("b.py", "c.py", False, 1),
    ]
    ab = edges[0]
    assert ab.names == ("f", "g")
    assert ab.kinds == ("absolute", "relative")
    assert ab.resolved_by == ("python:absolute", "python:relative")
    assert edges[1].names == ("os.path",)
    assert edges[2].kinds == ()  # no analysis for b.py: kinds unknown, not invented


def test_every_disjoint_cycle_is_reported_largest_first() -> None:
    edges = edges_of(
        [
            # cycle 1: x -> y -> x
            ("x.py", "y.py"),
            ("y.py", "x.py"),
            # cycle 2: a -> b -> c -> a
            ("a.py", "b.py"),
            ("b.py", "c.py"),
            ("c.py", "a.py"),
            # cycle 3: p <-> q, same size as cycle 1: members order decides
            ("q.py", "p.py"),
            ("p.py", "q.py"),
            # acyclic tail and a bridge between cycles (does not merge them: one direction only)
            ("c.py", "x.py"),
            ("x.py", "z.py"),
        ]
    )
    cycles = find_cycles(edges)
    assert [c.members for c in cycles] == [("a.py", "b.py", "c.py"), ("p.py", "q.py"), ("x.py", "y.py")]
    assert cycles[0].path == ("a.py", "b.py", "c.py", "a.py")
    assert cycles[1].path == ("p.py", "q.py", "p.py")
    assert all(c.kind == "scc" for c in cycles)
    assert [c.edge_count for c in cycles] == [3, 2, 2]


def test_nested_cycles_form_one_component_with_a_shortest_path() -> None:
    # a <-> b is nested inside the longer loop b -> c -> d -> b, and e joins through d <-> e.
    edges = edges_of(
        [
            ("a.py", "b.py"),
            ("b.py", "a.py"),
            ("b.py", "c.py"),
            ("c.py", "d.py"),
            ("d.py", "b.py"),
            ("d.py", "e.py"),
            ("e.py", "d.py"),
            ("e.py", "f.py"),
        ]
    )
    (cycle,) = find_cycles(edges)
    assert cycle.members == ("a.py", "b.py", "c.py", "d.py", "e.py")
    assert cycle.path == ("a.py", "b.py", "a.py")
    assert cycle.edge_count == 7


def test_cycle_path_is_a_real_shortest_cycle_through_the_smallest_member() -> None:
    # From a: a->b->c->d->a (length 4) and a->e->a (length 2): the short one is chosen.
    edges = edges_of(
        [("a.py", "b.py"), ("b.py", "c.py"), ("c.py", "d.py"), ("d.py", "a.py"), ("a.py", "e.py"), ("e.py", "a.py")]
    )
    (cycle,) = find_cycles(edges)
    assert cycle.path == ("a.py", "e.py", "a.py")
    pairs = {(e.source, e.target) for e in edges}
    assert all(step in pairs for step in zip(cycle.path, cycle.path[1:], strict=False))


def test_self_imports_are_cycles_even_inside_a_component() -> None:
    edges = edges_of([("pkg/__init__.py", "pkg/__init__.py"), ("m.py", "n.py"), ("n.py", "m.py"), ("m.py", "m.py")])
    cycles = find_cycles(edges)
    assert cycles == [
        Cycle(kind="scc", members=("m.py", "n.py"), path=("m.py", "n.py", "m.py"), edge_count=2),
        Cycle(kind="self_import", members=("m.py",), path=("m.py", "m.py"), edge_count=1),
        Cycle(
            kind="self_import", members=("pkg/__init__.py",), path=("pkg/__init__.py", "pkg/__init__.py"), edge_count=1
        ),
    ]


def test_external_edges_never_make_cycles() -> None:
    # The package "a.py" (external, e.g. a PyPI name) is not the file a.py.
    rs = [res("a.py", None, external="a.py", how="external"), res("b.py", "a.py")]
    assert find_cycles(dependency_edges(rs)) == []


def test_acyclic_graph_has_no_cycles() -> None:
    assert find_cycles(edges_of([("a.py", "b.py"), ("b.py", "c.py"), ("a.py", "c.py")])) == []
    assert find_cycles([]) == []


def test_results_do_not_depend_on_input_order() -> None:
    pairs = [(f"m{i}.py", f"m{(i + 1) % 7}.py") for i in range(7)]
    pairs += [(f"n{i}.py", f"n{(i * 3) % 5}.py") for i in range(5)] + [("m3.py", "n1.py"), ("n2.py", "n4.py")]
    expected = find_cycles(edges_of(pairs))
    rng = random.Random(7)
    for _ in range(20):
        shuffled = pairs[:]
        rng.shuffle(shuffled)
        edges = edges_of(shuffled)
        rng.shuffle(edges)
        assert find_cycles(edges) == expected
    assert [c.members[0] for c in expected] == ["m0.py", "n1.py", "n0.py"]


def test_long_chain_cycle_does_not_recurse() -> None:
    n = 20_000
    (cycle,) = find_cycles(edges_of([(f"f{i:05}", f"f{(i + 1) % n:05}") for i in range(n)]))
    assert len(cycle.members) == n and len(cycle.path) == n + 1


def test_results_are_plain_picklable_records() -> None:
    edges = edges_of([("a.py", "b.py"), ("b.py", "a.py")])
    cycles = find_cycles(edges)
    assert pickle.loads(pickle.dumps((edges, cycles))) == (edges, cycles)
    assert msgspec.json.decode(msgspec.json.encode(cycles), type=list[Cycle]) == cycles


def test_import_graph_queries() -> None:
    rs = [
        res("app.py", "models.py"),
        res("app.py", "views.py", index=1),
        res("views.py", "models.py"),
        res("models.py", "db.py"),
        res("db.py", "models.py"),
        res("app.py", None, index=2, external="flask", how="external"),
    ]
    g = ImportGraph(dependency_edges(rs), files=["README.py"])
    assert g.files == ("README.py", "app.py", "db.py", "models.py", "views.py")
    assert g.dependencies("app.py") == ("models.py", "views.py")
    assert g.dependents("models.py") == ("app.py", "db.py", "views.py")
    assert g.external_dependencies("app.py") == ("flask",)
    assert g.transitive_dependencies("views.py") == ("db.py", "models.py")
    assert g.transitive_dependents("db.py") == ("app.py", "models.py", "views.py")
    assert g.shortest_chain("app.py", "db.py") == ("app.py", "models.py", "db.py")
    assert g.shortest_chain("db.py", "app.py") is None
    assert g.dependencies("missing.py") == () and g.dependents("README.py") == ()
    assert g.edge("app.py", "views.py") is not None and g.edge("views.py", "app.py") is None
    assert [c.members for c in g.cycles()] == [("db.py", "models.py")]
    assert pickle.loads(pickle.dumps(g)).dependencies("app.py") == ("models.py", "views.py")
