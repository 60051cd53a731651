"""Java types of a file's own package, used without an import: the ``implicit`` imports the
extractor records and how the resolver turns them into dependency edges (JLS 6.4.1 / 7.5 order:
single-type imports, then the package, then on-demand imports and ``java.lang``)."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.graph import resolve_calls
from thread_assets.engine.graph.deps import dependency_edges, find_cycles
from thread_assets.engine.model import FileAnalysis
from thread_assets.engine.resolve import RepoContext, Resolution, resolve_imports

USER = b"""package com.acme;

import java.util.*;
import java.util.function.Function;
import com.acme.model.Picked;

@Marker
public class User<T extends Base> extends Base implements Iface<Arg>, Outer.Inner {
    static final Logger LOG = Logger.get();
    private Map.Entry<String, Arg> entry;
    com.acme.other.Qualified qualified;
    Picked picked;
    Function<String, String> f;

    <U> U run(Param p) throws Failure {
        var made = new Made();
        Runnable r = Ref::run;
        Object o = Statics.<String>make(Konst.X);
        if (o instanceof Checked c) {}
        Class<?> k = Literal.class;
        Element[] arr = new Element[2];
        LOG.info("x");
        Local l = new Local();
        return (U) o;
    }

    class Local {}
    enum Mode { On }
}
"""


def implicit(analysis: FileAnalysis) -> list[tuple[str, str | None, int]]:
    return [(i.module, i.name, i.location.start_line) for i in analysis.imports if i.kind == "implicit"]


def test_type_names_used_without_import_are_recorded_once_at_first_use() -> None:
    a = analyze("src/main/java/com/acme/User.java", USER, "java")
    assert implicit(a) == [
        ("com.acme", "Marker", 7),
        ("com.acme", "Base", 8),
        ("com.acme", "Iface", 8),
        ("com.acme", "Arg", 8),
        ("com.acme", "Outer", 8),
        ("com.acme", "Logger", 9),
        ("com.acme", "Map", 10),  # the head of Map.Entry: here java.util's, which only the resolver can tell
        ("com.acme", "Param", 15),
        ("com.acme", "Failure", 15),
        ("com.acme", "Made", 16),
        ("com.acme", "Ref", 17),
        ("com.acme", "Statics", 18),
        ("com.acme", "Konst", 18),
        ("com.acme", "Checked", 19),
        ("com.acme", "Literal", 20),
        ("com.acme", "Element", 21),
    ]


def test_what_is_not_a_same_package_reference() -> None:
    names = {n for _, n, _ in implicit(analyze("src/main/java/com/acme/User.java", USER, "java"))}
    # type parameters, the file's own types (nested and local too), single-type imports,
    # java.lang, a constant used as a receiver, lower-case qualified names, `var`
    assert not names & {"T", "U", "User", "Local", "Mode", "Picked", "Function", "String", "Object"}
    assert not names & {"Runnable", "Class", "LOG", "com", "var", "X", "On", "Entry", "Inner"}


def test_implicit_imports_bind_nothing_and_are_never_unused() -> None:
    a = analyze("src/main/java/com/acme/User.java", USER, "java")
    imps = [i for i in a.imports if i.kind == "implicit"]
    assert imps and all(i.bound is None and i.used for i in imps)
    explicit = [i for i in a.imports if i.kind != "implicit"]
    assert [i.kind for i in a.imports[: len(explicit)]] == [i.kind for i in explicit]  # explicit ones first


def test_default_package_and_head_that_is_a_variable() -> None:
    src = b"class A { B b; void m(Object Cfg) { Cfg.toString(); C.go(); } }\n"
    a = analyze("A.java", src, "java")
    assert implicit(a) == [("", "B", 1), ("", "C", 1)]


def test_a_name_qualified_by_the_files_own_package_is_of_the_package() -> None:
    # an annotation first: a name of the file's own package is looked for after any other name
    src = (
        b"package a.b;\n@Deprecated class P { a.b.Q q = a.b.R.make(); a.b.c.S s; a.x.T t; void m() { a.b.Q.run(); } }\n"
    )
    assert implicit(analyze("a/b/P.java", src, "java")) == [("a.b", "Q", 2), ("a.b", "R", 2)]


def resolve(sources: dict[str, bytes]) -> tuple[list[FileAnalysis], list[Resolution]]:
    analyses = [analyze(p, s, "java") for p, s in sources.items()]
    return analyses, resolve_imports(analyses, RepoContext(files=frozenset(sources)))


def implicit_results(analyses: list[FileAnalysis], res: list[Resolution]) -> set[tuple[str, str, str | None, str]]:
    by_path = {a.path: a for a in analyses}
    return {
        (r.importer, r.name or "", r.target, r.how)
        for r in res
        if by_path[r.importer].imports[r.index].kind == "implicit"
    }


def test_sibling_file_other_source_root_and_unmatched() -> None:
    main, test = "src/main/java/com/acme/", "src/test/java/com/acme/"
    analyses, res = resolve(
        {
            main + "Engine.java": b"package com.acme;\nclass Engine { Part p; Gone g; }\n",
            main + "Part.java": b"package com.acme;\nclass Part { Fixture f; }\n",
            test + "EngineTest.java": b"package com.acme;\nclass EngineTest { Engine e; Fixture f; }\n",
            test + "Fixture.java": b"package com.acme;\nclass Fixture {}\n",
        }
    )
    assert implicit_results(analyses, res) == {
        (main + "Engine.java", "Part", main + "Part.java", "java:same-package"),
        (main + "Engine.java", "Gone", None, "java:implicit-unmatched"),
        # main code never sees the test source set, even for its own package
        (main + "Part.java", "Fixture", None, "java:implicit-unmatched"),
        (test + "EngineTest.java", "Engine", main + "Engine.java", "java:same-package"),
        (test + "EngineTest.java", "Fixture", test + "Fixture.java", "java:same-package"),
    }
    unmatched = [r for r in res if r.how == "java:implicit-unmatched"]
    assert all(r.target is None and r.external is None for r in unmatched)


def test_same_package_beats_on_demand_import_and_single_type_import_beats_both() -> None:
    analyses, res = resolve(
        {
            "x/p/A.java": b"package x.p;\nimport x.q.*;\nclass A { Item i; }\n",
            "x/p/B.java": b"package x.p;\nimport x.q.Item;\nclass B { Item i; }\n",
            "x/p/Item.java": b"package x.p;\nclass Item {}\n",
            "x/q/Item.java": b"package x.q;\npublic class Item {}\n",
        }
    )
    edges = {(e.source, e.target, e.kinds) for e in dependency_edges(res, {a.path: a for a in analyses})}
    assert edges == {
        ("x/p/A.java", "x/p/Item.java", ("implicit",)),
        ("x/p/A.java", "x/q/Item.java", ("wildcard",)),  # the on-demand import still names its package
        ("x/p/B.java", "x/q/Item.java", ("absolute",)),
    }


def test_unmatched_names_make_no_edge_and_same_package_cycles_are_found() -> None:
    analyses, res = resolve(
        {
            "src/a/A.java": b"package a;\nimport java.util.*;\nclass A { B b; List<String> l; }\n",
            "src/a/B.java": b"package a;\nclass B { static A make() { return new A(); } }\n",
        }
    )
    edges = dependency_edges(res, {a.path: a for a in analyses})
    assert [(e.source, e.target, e.external, e.names) for e in edges] == [
        ("src/a/A.java", "src/a/B.java", False, ("B",)),
        ("src/a/A.java", "java.util", True, ("java.util",)),
        ("src/a/B.java", "src/a/A.java", False, ("A",)),
    ]
    assert [c.members for c in find_cycles(edges)] == [("src/a/A.java", "src/a/B.java")]


def test_calls_to_same_package_types_still_resolve() -> None:
    analyses, res = resolve(
        {
            "src/a/A.java": b"package a;\nclass A { void m() { Helper.run(); new Helper().go(); } }\n",
            "src/a/Helper.java": b"package a;\nclass Helper { static void run() {} void go() {} }\n",
        }
    )
    got = {(e.caller, e.target) for e in resolve_calls({a.path: a for a in analyses}, res) if e.target}
    assert got >= {
        ("src/a/A.java::A.m", "src/a/Helper.java::Helper.run"),
        ("src/a/A.java::A.m", "src/a/Helper.java::Helper.go"),
    }


def test_package_split_across_plain_directories_and_the_default_package() -> None:
    analyses, res = resolve(
        {
            "src/a/b/Core.java": b"package a.b;\nclass Core {}\n",
            "test/a/b/CoreTest.java": b"package a.b;\nclass CoreTest { Core c; }\n",
            "scripts/Main.java": b"class Main { Tool t; Core c; }\n",
            "scripts/Tool.java": b"class Tool {}\n",
        }
    )
    assert implicit_results(analyses, res) == {
        # no Maven/Gradle root: the package's path below any directory
        ("test/a/b/CoreTest.java", "Core", "src/a/b/Core.java", "java:same-package"),
        # the default package is the file's directory only
        ("scripts/Main.java", "Tool", "scripts/Tool.java", "java:same-package"),
        ("scripts/Main.java", "Core", None, "java:implicit-unmatched"),
    }
