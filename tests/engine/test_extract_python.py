"""Targeted checks of the Python extractor that golden files would bury in noise."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.model import FileAnalysis


def run(code: str) -> FileAnalysis:
    result = analyze("m.py", code.encode(), "python")
    assert result.status == "ok", result.reason
    return result


def symbols(code: str) -> dict[str, object]:
    return {s.id: s for s in run(code).symbols}


def test_unused_imports_ignore_comments_strings_and_import_lines() -> None:
    result = run(
        "import os, sys\n"
        "from typing import Any, cast as c\n"
        "from . import used_in_annotation, reexported, mentioned\n"
        "__all__ = ['reexported']\n"
        "# os is only mentioned here\n"
        "x: 'used_in_annotation' = 'mentioned in a string'\n"
        "print(sys.argv, c)\n"
    )
    used = {i.bound: i.used for i in result.imports}
    assert used == {
        "os": False,
        "sys": True,
        "Any": False,
        "c": True,
        "used_in_annotation": True,
        "reexported": True,
        "mentioned": False,
    }


def test_a_name_is_used_only_as_a_whole_word() -> None:
    result = run("import re\nimport json\nregex = 1\njson_data = json.loads('1')\n")
    assert {i.bound: i.used for i in result.imports} == {"re": False, "json": True}


def test_overloads_and_same_named_methods_get_distinct_ids() -> None:
    ids = symbols(
        "from typing import overload\n"
        "class A:\n"
        "    @overload\n"
        "    def get(self, k: int) -> int: ...\n"
        "    @overload\n"
        "    def get(self, k: str) -> str: ...\n"
        "    def get(self, k): return k\n"
        "class B:\n"
        "    def get(self): pass\n"
    )
    assert {"A.get(self,int)", "A.get(self,str)", "A.get(self,k)", "B.get"} <= set(ids)


def test_visibility_and_exports_without_all() -> None:
    syms = symbols(
        "def public(): pass\n"
        "def _private(): pass\n"
        "class C:\n"
        "    def __dunder__(self): pass\n"
        "    def __mangled(self): pass\n"
        "    def _protected(self): pass\n"
        "    def m(self):\n"
        "        def inner(): pass\n"
    )
    vis = {k: (s.visibility, s.exported) for k, s in syms.items()}  # type: ignore[attr-defined]
    assert vis == {
        "public": ("public", True),
        "_private": ("private", False),
        "C": ("public", True),
        "C.__dunder__": ("public", True),
        "C.__mangled": ("private", False),
        "C._protected": ("private", False),
        "C.m": ("public", True),
        "C.m.inner": ("public", False),
    }


def test_all_decides_exports_including_augmented_and_extend_forms() -> None:
    syms = symbols(
        "__all__ = ['a']\n"
        "__all__ += ('b',)\n"
        "__all__.extend(['_c'])\n"
        "def a(): pass\n"
        "def b(): pass\n"
        "def _c(): pass\n"
        "def d(): pass\n"
    )
    assert {k for k, s in syms.items() if s.exported} == {"a", "b", "_c"}  # type: ignore[attr-defined]


def test_kinds() -> None:
    syms = symbols(
        "LIMIT = 3\n"
        "limit = 3\n"
        "Alias: 'TypeAlias' = int\n"
        "type Vec[T] = list[T]\n"
        "square = lambda x: x * x\n"
        "class K:\n"
        "    f: int\n"
        "    g = 1\n"
        "    def __init__(self):\n"
        "        self.h = 2\n"
        "        self.g = 3\n"
        "        other.i = 4\n"
        "        local = 5\n"
        "    @property\n"
        "    def p(self): return 1\n"
        "def fn():\n"
        "    inside = 1\n"
    )
    kinds = {k: s.kind for k, s in syms.items()}  # type: ignore[attr-defined]
    assert kinds == {
        "LIMIT": "constant",
        "limit": "variable",
        "Alias": "type_alias",
        "Vec": "type_alias",
        "square": "function",
        "K": "class",
        "K.f": "field",
        "K.g": "field",
        "K.__init__": "method",
        "K.h": "field",
        "K.p": "property",
        "fn": "function",
    }


def test_parameter_kinds() -> None:
    syms = symbols(
        "class C:\n"
        "    def m(self, a, /, b: int = 1, *args, c, **kw): pass\n"
        "    @staticmethod\n"
        "    def s(x, *, y=2): pass\n"
    )
    m = syms["C.m"]
    assert [(p.name, p.kind, p.type, p.default) for p in m.parameters] == [  # type: ignore[attr-defined]
        ("self", "receiver", None, None),
        ("a", "positional_only", None, None),
        ("b", "positional", "int", "1"),
        ("args", "variadic", None, None),
        ("c", "keyword_only", None, None),
        ("kw", "keyword_variadic", None, None),
    ]
    assert [(p.name, p.kind) for p in syms["C.s"].parameters] == [("x", "positional"), ("y", "keyword_only")]  # type: ignore[attr-defined]


def test_calls_in_headers_belong_to_the_enclosing_scope() -> None:
    result = run(
        "@register(name())\n"
        "def f(x=default(), y: make_type() = 1):\n"
        "    return g(x)\n"
        "class C(base()):\n"
        "    attr = compute()\n"
        "    def m(self):\n"
        "        return self.helper().chain(1, 2)\n"
    )
    callers = {(c.callee, c.caller, c.call_type, c.receiver, c.arg_count) for c in result.calls}
    assert callers == {
        ("register", None, "direct", None, 1),
        ("name", None, "direct", None, 0),
        ("default", None, "direct", None, 0),
        ("make_type", None, "direct", None, 0),
        ("g", "f", "direct", None, 1),
        ("base", None, "direct", None, 0),
        ("compute", "C", "direct", None, 0),
        ("self.helper().chain", "C.m", "method", "self.helper()", 2),
        ("self.helper", "C.m", "method", "self", 0),
    }


def test_constructor_heuristic() -> None:
    result = run("x = Foo()\ny = models.CharField()\nz = CONST()\nw = local()\nclass local: pass\nq = Q()\n")
    kinds = {c.callee: c.call_type for c in result.calls}
    assert kinds == {
        "Foo": "constructor",
        "models.CharField": "constructor",
        "CONST": "direct",
        "local": "constructor",
        "Q": "constructor",
    }


def test_import_forms() -> None:
    result = run(
        "from __future__ import annotations\n"
        "import a.b.c\n"
        "import a.b as ab\n"
        "from ...pkg.mod import x as y, z\n"
        "from . import *\n"
        "from .api import Client as Client\n"
        "def f():\n"
        "    import lazy\n"
        "if TYPE_CHECKING:\n"
        "    from typing import Never\n"
    )
    got = [(i.module, i.name, i.alias, i.bound, i.kind, i.level) for i in result.imports]
    assert got == [
        ("__future__", "annotations", None, None, "side_effect", 0),
        ("a.b.c", None, None, "a", "absolute", 0),
        ("a.b", None, "ab", "ab", "absolute", 0),
        ("...pkg.mod", "x", "y", "y", "relative", 3),
        ("...pkg.mod", "z", None, "z", "relative", 3),
        (".", None, None, None, "wildcard", 1),
        (".api", "Client", "Client", "Client", "reexport", 1),
        ("lazy", None, None, "lazy", "absolute", 0),
        ("typing", "Never", None, "Never", "absolute", 0),
    ]


def test_docstrings_are_cleaned() -> None:
    syms = symbols('def f():\n    """\n    Summary.\n\n        Indented.\n    """\nclass C:\n    r"""Raw \\d."""\n')
    assert syms["f"].docstring == "Summary.\n\n    Indented."  # type: ignore[attr-defined]
    assert syms["C"].docstring == "Raw \\d."  # type: ignore[attr-defined]


def test_syntax_errors_and_odd_input_do_not_crash() -> None:
    for code in ("def f(:\n  pass\nclass", "x = (\n", "", "@\n", "def f(\n" * 200, "é = 1\n", "class C:\ndef f():\n"):
        result = analyze("m.py", code.encode(), "python")
        assert result.status == "ok"
    broken = analyze("m.py", b"def ok():\n    pass\ndef broken(:\n    pass\nclass Fine:\n    pass\n", "python")
    assert {"ok", "Fine"} <= {s.name for s in broken.symbols}
    invalid_utf8 = analyze("m.py", b"x = '\xff'\ndef f(): pass\n", "python")
    assert [s.name for s in invalid_utf8.symbols] == ["x", "f"]


def test_deep_nesting_does_not_hit_the_recursion_limit() -> None:
    depth = 300
    code = "".join("    " * i + f"def f{i}():\n" for i in range(depth)) + "    " * depth + "call()\n"
    result = run(code)
    assert len(result.symbols) == depth
    assert result.calls[0].caller == ".".join(f"f{i}" for i in range(depth))
    nested_calls = run("x = " + "f(" * 500 + ")" * 500 + "\n")
    assert len(nested_calls.calls) == 500


def test_output_depends_only_on_bytes() -> None:
    code = b"import os\nclass A:\n    def m(self): return os.getcwd()\n"
    a, b = analyze("one.py", code, "python"), analyze("two/other.py", code, "python")
    assert (a.symbols, a.imports, a.calls) == (b.symbols, b.imports, b.calls)


def test_constructor_detected_for_a_class_defined_after_the_call() -> None:
    from thread_assets.engine import analyze

    result = analyze("m.py", b"x = foo()\n\n\nclass foo:\n    pass\n", "python")
    assert [(c.name, c.call_type) for c in result.calls] == [("foo", "constructor")]


def test_same_header_text_gives_receiver_only_for_methods() -> None:
    from thread_assets.engine import analyze

    src = (
        b"def f(self, a):\n    pass\n\n\nclass K:\n    def f(self, a):\n        pass\n\n"
        b"    @staticmethod\n    def g(self, a):\n        pass\n"
    )
    kinds = {s.id: [p.kind for p in s.parameters] for s in analyze("m.py", src, "python").symbols if s.parameters}
    assert kinds == {
        "f": ["positional", "positional"],
        "K.f": ["receiver", "positional"],
        "K.g": ["positional", "positional"],
    }
