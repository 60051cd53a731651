"""Python's semantic pass: the records it adds, and the call graph it gives end to end on the
golden micro-programs of ``tests/semantics/python`` (scored as ``bench/semantics_python.py`` does)."""

from __future__ import annotations

import pytest

from tests.semantics.suite import programs, run_program, score
from thread_assets.engine import analyze
from thread_assets.engine.model import Call, FileAnalysis, Ref


def _analysis(source: str) -> FileAnalysis:
    a = analyze("m.py", source.encode())
    assert a.status == "ok", a.reason
    return a


def _call(a: FileAnalysis, callee: str, caller: str | None = None) -> Call:
    found = [c for c in a.calls if c.callee == callee and (caller is None or c.caller == caller)]
    assert found, f"no call {callee!r} in {[c.callee for c in a.calls]}"
    return found[0]


def _binding(a: FileAnalysis, scope: str | None, name: str) -> tuple[Ref, ...]:
    for b in a.bindings:
        if b.scope == scope and b.name == name:
            return b.values
    raise AssertionError(f"no binding {scope}.{name}: {[(b.scope, b.name) for b in a.bindings]}")


def test_suite_scores_and_never_a_non_callable() -> None:
    results = [run_program(p) for p in programs("python")]
    categories = {r.category for r in results}
    assert len(categories) >= 18 and len(results) >= 54
    total, per = score(results)
    assert total.precision >= 0.95, {c: round(s.precision, 2) for c, s in per.items()}
    assert total.recall >= 0.90, {c: round(s.recall, 2) for c, s in per.items()}
    assert [e for r in results for e in r.non_callable] == []


def test_parameter_shadows_module_function() -> None:
    a = _analysis("def helper(): pass\ndef other(): pass\ndef apply(helper):\n    return helper()\napply(other)\n")
    assert _call(a, "helper", "apply").targets == (Ref("n:other"),)


def test_local_values_instances_and_returns() -> None:
    a = _analysis(
        "class B:\n    def m(self): pass\n"
        "def make():\n    return B()\n"
        "def main():\n    b = make()\n    b.m()\n    x = y = make\n    y()\n"
    )
    assert _call(a, "b.m").targets == (Ref("n:make", ("()", ".m")),)
    assert _call(a, "y").targets == (Ref("n:make"),)
    assert _binding(a, "make", "return") == (Ref("n:B", ("()",)),)


def test_self_attributes_are_class_bindings() -> None:
    a = _analysis(
        "class Engine:\n    def start(self): pass\n"
        "class Car:\n    def __init__(self):\n        self.engine = Engine()\n        self.hooks = []\n"
        "    def add(self, f):\n        self.hooks.append(f)\n"
        "    def drive(self):\n        self.engine.start()\n"
    )
    assert _call(a, "self.engine.start").targets == (Ref("s:Car", ("new", ".engine", ".start")),)
    assert _binding(a, "Car", "engine") == (Ref("n:Engine", ("()",)),)
    assert ("Car", "hooks[]") not in {(b.scope, b.name) for b in a.bindings}  # f has no known value


def test_builtins_dynamic_and_unknown_reasons() -> None:
    a = _analysis(
        "def f(len, obj, name, table):\n"
        "    len()\n    print(1)\n    getattr(obj, name)()\n    table[name]()\n    eval('x')\n    obj.run()\n"
    )
    assert _call(a, "len").reason == "unknown"  # a parameter, not the builtin
    assert _call(a, "print").reason == "builtin" and _call(a, "print").targets == ()
    assert _call(a, "getattr(obj, name)").reason == "dynamic"
    assert _call(a, "table[name]").reason == "dynamic"
    assert _call(a, "eval").reason == "dynamic"
    assert _call(a, "obj.run").reason == "unknown"


def test_decorators_are_calls_in_file_order() -> None:
    source = "def dec(f):\n    return f\nclass C:\n    @dec\n    def m(self): pass\n"
    source += "    @property\n    def p(self): pass\n"
    a = _analysis(source)
    decs = [c for c in a.calls if c.callee in ("dec", "property")]
    assert [(c.caller, c.callee, c.targets, c.reason) for c in decs] == [
        ("C", "dec", (Ref("n:dec"),), None),
        ("C", "property", (), "builtin"),
    ]
    starts = [c.location.start_byte for c in a.calls]
    assert starts == sorted(starts)


def test_super_raise_and_relations() -> None:
    a = _analysis(
        "from typing import Generic, TypeVar\nT = TypeVar('T')\n"
        "class Err(Exception):\n    def __init__(self):\n        super().__init__('x')\n"
        "class Box(Generic[T], metaclass=Meta, frozen=True):\n    pass\n"
        "def f():\n    raise Err\n"
    )
    assert _call(a, "super().__init__").targets == (Ref("s:Err", ("new", "super", ".__init__")),)
    raised = _call(a, "Err", "f")
    assert raised.call_type == "constructor" and raised.targets == (Ref("n:Err"),)
    rels = {(r.type, r.base, r.kind, r.access) for r in a.relations}
    assert rels == {
        ("Err", "Exception", "extends", None),
        ("Box", "Generic", "extends", None),
        ("Box", "Meta", "metaclass", None),
        ("Box", "True", "keyword", "frozen"),
    }


def test_containers_and_higher_order_within_a_file() -> None:
    a = _analysis(
        "def a(): pass\ndef b(): pass\nOPS = {'a': a}\nOPS['b'] = b\n"
        "def run(fn, *, cb=None):\n    fn()\n    cb()\n"
        "run(a, cb=b)\n"
    )
    assert set(_binding(a, None, "OPS[]")) == {Ref("n:a"), Ref("n:b")}
    assert _call(a, "fn", "run").targets == (Ref("n:a"),)
    assert _call(a, "cb", "run").targets == (Ref("n:b"),)


@pytest.mark.parametrize("source", ["", "x = (", "def f(:\n  g()\n", "class A(B[", "lambda: (yield)\n"])
def test_broken_code_still_gives_records(source: str) -> None:
    a = analyze("m.py", source.encode())
    assert a.status == "ok"
    for c in a.calls:
        assert c.targets or c.reason is not None


def test_lambdas_are_symbols_that_make_their_calls() -> None:
    a = _analysis(
        "def log(m): pass\ndef run(cb):\n    return cb()\n"
        "def main():\n    return run(lambda: log('hi'))\n"
        "square = lambda x: x * x\n"
    )
    lambdas = {s.id: (s.kind, s.visibility, s.parent) for s in a.symbols if "lambda" in s.signature}
    assert lambdas == {"main.<lambda>": ("function", "private", "main"), "square": ("function", "public", None)}
    assert _call(a, "log").caller == "main.<lambda>"
    assert _call(a, "cb", "run").targets == (Ref("s:main.<lambda>"),)


def test_shared_matches_give_the_same_records_as_a_query_of_its_own() -> None:
    from thread_assets.engine.extract.common import Source
    from thread_assets.engine.extract.python import extract
    from thread_assets.engine.parse import parse
    from thread_assets.engine.semantics.python import semantics

    source = (
        b"import os\nclass A:\n    def m(self, f=lambda: 1):\n        for g in [f]:\n            g()\n"
        b"        return [h() for h in (os.getcwd,)]\n"
        b"def gen():\n    global X\n    X = yield A\n    with open('x') as fh:\n        fh.read()\n"
    )
    tree, _ = parse(source, "python")
    shared_src = Source(source)
    symbols, imports, calls = extract(tree.root_node, shared_src, "python")
    shared = semantics(tree.root_node, shared_src, "python", symbols, imports, calls)
    alone = semantics(tree.root_node, Source(bytes(bytearray(source))), "python", symbols, imports, calls)
    assert shared == alone
    assert any(c.targets for c in shared[0])


def test_module_values_feeding_each_other_end() -> None:
    a = _analysis(
        "import weakref\n_all = weakref.WeakSet()\n"
        "def all_tasks():\n    return {t for t in list(_all) if t}\n"
        "_all = all_tasks()\n"
        "def gather():\n    for t in all_tasks():\n        t.cancel()\n"
        "for t in _all:\n    t.done()\n"
    )
    assert all(c.targets or c.reason is not None for c in a.calls)


def _verdicts(files: dict[str, str]) -> dict[tuple[str, str], tuple[set[str], set[str | None]]]:
    """(path, callee) -> (targets, reasons) after the graph step, for a repository of ``files``."""
    from thread_assets.engine import RepoContext, resolve_imports
    from thread_assets.engine.graph import resolve_calls

    data = {path: text.encode() for path, text in files.items()}
    analyses = {path: analyze(path, source) for path, source in data.items()}
    resolutions = resolve_imports(analyses.values(), RepoContext(files=frozenset(data), read=data.get))
    out: dict[tuple[str, str], tuple[set[str], set[str | None]]] = {}
    for e in resolve_calls(analyses, resolutions):
        targets, reasons = out.setdefault((e.path, e.callee), (set(), set()))
        if e.target is not None:
            targets.add(e.target)
        else:
            reasons.add(e.reason)
    return out


def test_values_chosen_at_run_time_are_dynamic_across_files() -> None:
    got = _verdicts(
        {
            "loader.py": (
                "import importlib\n\n"
                "def load(name):\n    return importlib.import_module(name)\n\n"
                "def pick(obj, attr):\n    return getattr(obj, attr)\n\n"
                "def field(obj):\n    return getattr(obj, 'name')\n"
            ),
            "main.py": (
                "from loader import field, load, pick\n\n"
                "class Item:\n    def name(self):\n        return 'x'\n\n"
                "def run(name, obj):\n"
                "    load(name).connect()\n"
                "    pick(obj, name).close()\n"
                "    field(Item())()\n"
            ),
        }
    )
    assert got[("main.py", "load(name).connect")] == (set(), {"dynamic"})
    assert got[("main.py", "pick(obj, name).close")] == (set(), {"dynamic"})
    # a literal name is no run-time choice (what ``obj`` is comes from another file: unknown)
    assert got[("main.py", "field(Item())")] == (set(), {"unknown"})
    assert got[("loader.py", "getattr")] == (set(), {"builtin"})


def test_object_members_subclass_members_and_properties_across_files() -> None:
    got = _verdicts(
        {
            "base.py": (
                "class Base:\n"
                "    def __init__(self):\n        super().__init__()\n        self.__dict__.update({})\n\n"
                "    def run(self):\n        return self.step()\n\n"
                "    @property\n    def helper(self):\n        return Helper()\n\n"
                "class Helper:\n    def go(self):\n        return 1\n\n"
                "class Plain:\n    def run(self):\n        return self.missing()\n"
            ),
            "impl.py": (
                "from base import Base\n\n"
                "class Impl(Base):\n    def step(self):\n        return self.helper.go()\n\n"
                "class Copy(Impl):\n    def clone(self):\n        return self.__class__()\n"
            ),
        }
    )
    assert got[("base.py", "super().__init__")] == (set(), {"builtin"})
    assert got[("base.py", "self.__dict__.update")] == (set(), {"builtin"})
    assert got[("base.py", "self.step")][0] == {"impl.py::Impl.step"}  # left to the subclass
    assert got[("impl.py", "self.helper.go")][0] == {"base.py::Helper.go"}  # a property's result
    assert got[("impl.py", "self.__class__")][0] == {"base.py::Base.__init__"}
    assert got[("base.py", "self.missing")] == (set(), {"unknown"})  # no subclass has it


def test_bare_raise_of_a_builtin_class_is_a_builtin_call() -> None:
    a = _analysis("class Hook:\n    def make(self):\n        raise NotImplementedError\n")
    call = _call(a, "NotImplementedError", "Hook.make")
    assert (call.call_type, call.targets, call.reason) == ("constructor", (), "builtin")


def test_object_members_need_every_base_resolved() -> None:
    got = _verdicts(
        {
            "factory.py": (
                "def make(base):\n"
                "    class Wrapped(base):\n"
                "        def __init__(self):\n            super().__init__()\n"
                "    return Wrapped\n"
            )
        }
    )
    assert got[("factory.py", "super().__init__")] == (set(), {"unknown"})  # ``base`` may define it
