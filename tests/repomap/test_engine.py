"""The ranking and the map's plan on graphs whose answer is known by construction, and the budget
checked with the real tokenizer."""

from __future__ import annotations

import math

import pytest

from thread_assets.engine.graph.rank import (
    Graph,
    RankInputs,
    RankSymbol,
    build_graph,
    graph_digest,
    module_id,
    pagerank,
)
from thread_assets.engine.repomap import entry_row, map_document, rank_repository, select
from thread_assets.engine.tokens import count_tokens, encoding


def sym(path: str, qual: str, kind: str = "function", parent: str | None = None, line: int = 1) -> RankSymbol:
    sig = f"class {qual.rsplit('.', 1)[-1]}" if kind == "class" else f"def {qual.rsplit('.', 1)[-1]}(x)"
    return RankSymbol(f"{path}::{qual}", path, line, qual.rsplit(".", 1)[-1], qual, kind, sig, parent, line)


def test_pagerank_star_and_chain() -> None:
    """Every leaf calls the hub: the hub ranks first, the leaves tie; a chain's sink outranks its source."""
    hub = sym("a.py", "hub")
    leaves = [sym(f"l{i}.py", f"leaf{i}") for i in range(5)]
    inputs = RankInputs([hub, *leaves], calls=[(leaf.id, hub.id, 1) for leaf in leaves])
    scores = pagerank(build_graph(inputs)).scores
    assert max(scores, key=lambda k: scores[k]) == hub.id
    assert len({round(scores[leaf.id], 12) for leaf in leaves}) == 1
    assert math.isclose(sum(scores.values()), 1.0)


def test_pagerank_matches_the_closed_form() -> None:
    """Two nodes, one edge a -> b, b dangling (its rank jumps back uniformly). With d = 0.85:
    x_a = (1-d)/2 + d*x_b/2 and x_a + x_b = 1, so x_a = 0.5 / (1 + d/2)."""
    a, b = "a.py::a", "b.py::b"
    graph = Graph([a, b], {a: 0, b: 1}, [{}, {}])
    graph.add(a, b, 1.0)
    scores = pagerank(graph, tolerance=1e-12).scores
    expected_a = 0.5 / (1 + 0.85 / 2)
    assert scores[a] == pytest.approx(expected_a, abs=1e-9)
    assert scores[b] == pytest.approx(1 - expected_a, abs=1e-9)


def test_focus_changes_the_order() -> None:
    """Two hubs, each called by its own leaves; the one with more callers wins, until the focus
    is on a leaf of the other."""
    big, small = sym("big.py", "big"), sym("small.py", "small")
    big_leaves = [sym(f"b{i}.py", f"b{i}") for i in range(4)]
    small_leaves = [sym(f"s{i}.py", f"s{i}") for i in range(2)]
    calls = [(x.id, big.id, 1) for x in big_leaves] + [(x.id, small.id, 1) for x in small_leaves]
    inputs = RankInputs([big, small, *big_leaves, *small_leaves], calls=calls)
    plain = rank_repository(inputs).ranks.scores
    assert plain[big.id] > plain[small.id]
    focused = rank_repository(inputs, focus=["s0.py"]).ranks.scores
    assert focused[small.id] > focused[big.id]
    by_name = rank_repository(inputs, focus=["s1"]).ranks.scores
    assert by_name[small.id] > by_name[big.id]
    assert rank_repository(inputs, focus=["nope.py"]).unknown_focus == ["nope.py"]


def test_warm_start_converges_to_the_same_ranks_in_fewer_iterations() -> None:
    symbols = [sym(f"m{i}.py", f"f{i}") for i in range(60)]
    calls = [(symbols[i].id, symbols[(i * 7 + 3) % 60].id, 1 + i % 3) for i in range(60)]
    calls += [(symbols[i].id, symbols[(i * 11 + 5) % 60].id, 1) for i in range(0, 60, 2)]
    inputs = RankInputs(symbols, calls=calls)
    cold = rank_repository(inputs)
    edited = RankInputs(symbols, calls=[*calls, (symbols[1].id, symbols[2].id, 1)])
    warm = rank_repository(edited, start=cold.ranks.scores)
    again = rank_repository(edited)
    assert warm.ranks.warm and not again.ranks.warm
    assert warm.ranks.iterations < again.ranks.iterations
    # both stop once an iteration moves the vector by less than nodes * 1e-6 (L1)
    for node, score in again.ranks.scores.items():
        assert warm.ranks.scores[node] == pytest.approx(score, abs=len(again.ranks.scores) * 1e-6)


def test_inheritance_and_imports_carry_rank() -> None:
    base = sym("base.py", "Base", "class")
    subs = [sym(f"sub{i}.py", f"Sub{i}", "class") for i in range(3)]
    user = sym("user.py", "use")
    inputs = RankInputs(
        [base, *subs, user],
        imports=[("user.py", "base.py", "Base"), ("user.py", "sub0.py", None)],
        bases=[(s.id, base.id) for s in subs],
    )
    scores = rank_repository(inputs).ranks.scores
    assert all(scores[base.id] > scores[s.id] for s in subs)
    # a module import reaches the file's module node, a named import the symbol
    assert scores[module_id("sub0.py")] > scores[module_id("sub1.py")]


def test_plan_brings_parents_and_respects_the_budget() -> None:
    """The top symbol is a method: it enters with its class and its file's header; every budget
    shows a prefix of the plan whose real token count is within the budget."""
    cls = sym("pkg/mod.py", "Thing", "class", line=1)
    method = sym("pkg/mod.py", "Thing.run", "method", parent=cls.id, line=2)
    field = sym("pkg/mod.py", "Thing.size", "field", parent=cls.id, line=3)
    others = [sym(f"pkg/o{i}.py", f"helper_number_{i}", line=1) for i in range(30)]
    # the method is called from everywhere and calls everything: most of its rank flows on to the
    # helpers, not to its class, so it outranks the class
    calls = [(o.id, method.id, 3) for o in others] + [(method.id, o.id, 1) for o in others]
    ranked = rank_repository(RankInputs([cls, method, field, *others], calls=calls))
    scores = ranked.ranks.scores
    assert scores[method.id] == max(scores.values()) and scores[cls.id] < scores[method.id]
    first = select(ranked.entries, 14)
    assert [e.id for e in first] == [cls.id, method.id]
    doc = map_document([entry_row(e) for e in first], "r", 14, [])
    assert doc["text"] == "pkg/mod.py:\n│class Thing\n│    def run(x)\n"
    assert doc["used"] == count_tokens(doc["text"])
    assert not any(e.id == field.id and e.line for e in ranked.entries)
    previous: set[str] = set()
    for budget in (1, 5, 17, 40, 80, 200, 10_000):
        chosen = select(ranked.entries, budget)
        doc = map_document([entry_row(e) for e in chosen], "r", budget, [])
        assert count_tokens(doc["text"]) <= budget, budget
        assert doc["used"] <= budget
        ids = {e.id for e in chosen}
        assert previous <= ids  # a larger budget only adds
        previous = ids
    assert len(previous) == 32  # everything shown fits in 10k tokens


def test_digest_follows_signatures_and_edges() -> None:
    a, b = sym("a.py", "a"), sym("b.py", "b")
    base = graph_digest(RankInputs([a, b]))
    assert base == graph_digest(RankInputs([b, a]))
    assert base != graph_digest(RankInputs([a, b], calls=[(a.id, b.id, 1)]))
    renamed = RankSymbol(a.id, a.path, a.ordinal, a.name, a.qualified_name, a.kind, "def a(y)", None, 1)
    assert base != graph_digest(RankInputs([renamed, b]))


def test_tokenizer_is_cl100k_offline() -> None:
    """Known cl100k_base encodings (tiktoken's own test vectors)."""
    enc = encoding()
    assert enc.encode("hello world") == [15339, 1917]
    assert enc.encode_ordinary("<|endoftext|>") != [100257]
    assert count_tokens("def __init__(self, name):\n") == len(enc.encode_ordinary("def __init__(self, name):\n"))
