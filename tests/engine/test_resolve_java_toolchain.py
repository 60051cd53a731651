"""Java imports as javac sees them through Maven/Gradle source roots: one test per rule."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.model import Import, ImportKind, Location
from thread_assets.engine.resolve import RepoContext, resolve_imports
from thread_assets.engine.resolve.java import make_resolver, source_root

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=0, start_byte=0, end_byte=0)

FILES = frozenset(
    {
        "core/src/main/java/com/acme/core/Engine.java",
        "core/src/main/java/com/acme/core/Engine2.java",
        "core/src/test/java/com/acme/core/EngineFixtures.java",
        "core/src/testFixtures/java/com/acme/core/Fakes.java",
        "core/src/main/java/shaded/com/acme/api/Api.java",
        "api/src/main/java/com/acme/api/Api.java",
        "api/src/main/kotlin/com/acme/api/Kt.java",
        "app/src/main/java/com/acme/app/App.java",
        "app/src/integrationTest/java/com/acme/app/AppIT.java",
        "app/src/main/java/com/acme/core/Engine.java",
    }
)
APP = "app/src/main/java/com/acme/app/App.java"
IT = "app/src/integrationTest/java/com/acme/app/AppIT.java"


def imp(module: str, name: str | None = None, kind: ImportKind = "absolute") -> Import:
    return Import(module=module, name=name, bound=name, kind=kind, location=LOC)


def test_source_roots_of_maven_and_gradle_layouts() -> None:
    assert source_root("core/src/main/java/com/acme/core/Engine.java") == ("core", "main", "core/src/main/java/")
    assert source_root("src/test/java/A.java") == ("", "test", "src/test/java/")
    assert source_root("api/src/main/kotlin/com/acme/api/Kt.java") == ("api", "main", "api/src/main/kotlin/")
    assert source_root("lib/src/com/acme/A.java") is None


def test_a_rooted_file_is_only_the_class_its_path_below_the_root_names() -> None:
    r = make_resolver(RepoContext(files=FILES))
    # core/.../shaded/com/acme/api/Api.java is shaded.com.acme.api.Api, never com.acme.api.Api
    assert r.resolve(APP, imp("com.acme.api", "Api")) == ("api/src/main/java/com/acme/api/Api.java", None, "java:class")
    assert r.resolve(APP, imp("shaded.com.acme.api", "Api"))[0] == "core/src/main/java/shaded/com/acme/api/Api.java"
    assert r.resolve(APP, imp("com.acme.api", "Kt"))[0] == "api/src/main/kotlin/com/acme/api/Kt.java"


def test_main_code_never_sees_test_source_sets() -> None:
    r = make_resolver(RepoContext(files=FILES))
    assert r.resolve(APP, imp("com.acme.core", "EngineFixtures")) == (None, "com.acme", "external")
    assert r.resolve(APP, imp("com.acme.core", "Fakes")) == (None, "com.acme", "external")  # testFixtures
    # a test set sees its own module's main code, and other test sets
    assert r.resolve(IT, imp("com.acme.app", "App"))[0] == APP
    assert r.resolve(IT, imp("com.acme.core", "Fakes"))[0] == "core/src/testFixtures/java/com/acme/core/Fakes.java"


def test_the_importers_own_root_then_module_win() -> None:
    r = make_resolver(RepoContext(files=FILES))
    assert r.resolve(APP, imp("com.acme.core", "Engine"))[0] == "app/src/main/java/com/acme/core/Engine.java"
    assert r.resolve(IT, imp("com.acme.core", "Engine"))[0] == "app/src/main/java/com/acme/core/Engine.java"
    other = "core/src/test/java/com/acme/core/EngineFixtures.java"
    assert r.resolve(other, imp("com.acme.core", "Engine"))[0] == "core/src/main/java/com/acme/core/Engine.java"


def test_static_nested_and_wildcard_imports() -> None:
    r = make_resolver(RepoContext(files=FILES))
    engine = "app/src/main/java/com/acme/core/Engine.java"
    assert r.resolve(APP, imp("com.acme.core.Engine", "start")) == (engine, None, "java:class")  # static member
    assert r.resolve(APP, imp("com.acme.core.Engine", None, "wildcard")) == (engine, None, "java:class")
    assert r.resolve(APP, imp("com.acme.core.Engine", "Mode")) == (engine, None, "java:class")  # nested
    assert r.resolve(APP, imp("com.acme.core", None, "wildcard")) == (engine, None, "java:package")
    assert r.resolve(APP, imp("com.acme.api", None, "wildcard"))[0] == "api/src/main/java/com/acme/api/Api.java"


def test_end_to_end_static_and_wildcard_imports_from_source() -> None:
    sources = {
        "src/main/java/com/acme/Util.java": (
            b"package com.acme;\npublic class Util { public static int two() { return 2; } }\n"
        ),
        "src/main/java/com/acme/model/Item.java": b"package com.acme.model;\npublic class Item {}\n",
        "src/test/java/com/acme/UtilTest.java": (
            b"package com.acme;\nimport static com.acme.Util.two;\nimport static com.acme.Util.*;\n"
            b"import com.acme.model.*;\nimport java.util.List;\n"
            b"class UtilTest { Item i; List<Item> l; int x = two(); }\n"
        ),
    }
    analyses = [analyze(p, s) for p, s in sources.items()]
    got = {
        (r.module, r.name, r.target, r.external, r.how)
        for r in resolve_imports(analyses, RepoContext(files=frozenset(sources)))
    }
    assert got == {
        ("com.acme.Util", "two", "src/main/java/com/acme/Util.java", None, "java:class"),
        ("com.acme.Util", None, "src/main/java/com/acme/Util.java", None, "java:class"),
        ("com.acme.model", None, "src/main/java/com/acme/model/Item.java", None, "java:package"),
        ("java.util", "List", None, "java.util", "external"),
        # `Item` is used without a single-type import: no com.acme.Item exists, so it is the
        # on-demand import's (already an edge above), and the implicit record makes no edge.
        ("com.acme", "Item", None, None, "java:implicit-unmatched"),
    }
