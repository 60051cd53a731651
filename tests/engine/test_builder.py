"""Stable ids: overloads and same-named methods never collide, and ids never contain lines."""

from __future__ import annotations

from thread_assets.engine.extract.common import Builder, Source, squash
from thread_assets.engine.model import Location, Parameter


def at(line: int) -> Location:
    return Location(
        start_line=line, start_col=0, end_line=line, end_col=1, start_byte=line * 10, end_byte=line * 10 + 1
    )


def test_same_named_methods_in_different_classes_get_distinct_ids() -> None:
    b = Builder()
    a = b.add_symbol(name="A", kind="class", location=at(1))
    c = b.add_symbol(name="C", kind="class", location=at(5))
    b.add_symbol(name="run", kind="method", parent=a, location=at(2))
    b.add_symbol(name="run", kind="method", parent=c, location=at(6))
    symbols, _, _ = b.finish()
    assert [s.id for s in symbols] == ["A", "C", "A.run", "C.run"]
    assert symbols[2].parent == "A" and symbols[3].parent == "C"


def test_overloads_are_told_apart_by_parameter_types_then_ordinal() -> None:
    b = Builder()
    b.add_symbol(name="f", kind="function", location=at(1), parameters=[Parameter(name="x", type="int")])
    b.add_symbol(name="f", kind="function", location=at(2), parameters=[Parameter(name="x", type="str")])
    b.add_symbol(name="f", kind="function", location=at(3), parameters=[Parameter(name="x", type="str")])
    b.add_symbol(name="g", kind="function", location=at(4))
    symbols, _, _ = b.finish()
    assert [s.id for s in symbols] == ["f(int)", "f(str)", "f(str)~2", "g"]


def test_ids_do_not_depend_on_position() -> None:
    def build(offset: int) -> list[str]:
        b = Builder()
        k = b.add_symbol(name="K", kind="class", location=at(1 + offset))
        b.add_symbol(name="m", kind="method", parent=k, location=at(2 + offset))
        return [s.id for s in b.finish()[0]]

    assert build(0) == build(40)


def test_calls_and_children_point_at_final_ids() -> None:
    b = Builder()
    f1 = b.add_symbol(name="f", kind="function", location=at(1), parameters=[Parameter(name="a", type="int")])
    f2 = b.add_symbol(name="f", kind="function", location=at(5), parameters=[Parameter(name="a", type="str")])
    inner = b.add_symbol(name="inner", kind="function", parent=f2, location=at(6))
    b.add_call(caller=inner, callee="g", name="g", call_type="direct", arg_count=0, location=at(7))
    b.add_call(caller=f1, callee="g", name="g", call_type="direct", arg_count=0, location=at(2))
    symbols, _, calls = b.finish()
    assert symbols[inner].id == "f(str).inner"
    assert [c.caller for c in calls] == ["f(str).inner", "f(int)"]


def test_unused_imports_are_marked_from_used_names() -> None:
    b = Builder()
    b.add_import(module="os", bound="os", kind="absolute", location=at(1))
    b.add_import(module="sys", bound="sys", kind="absolute", location=at(2))
    b.add_import(module="x", kind="side_effect", location=at(3))
    _, imports, _ = b.finish(used_names={"os"})
    assert [i.used for i in imports] == [True, False, True]


def test_source_text_is_always_valid_utf8() -> None:
    src = Source(b"ab\xff\xfecd")
    assert src.slice(0, 6) == "ab\ufffd\ufffdcd"
    assert squash("def  f(\n   a,\n b)") == "def f( a, b)"
