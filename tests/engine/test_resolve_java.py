"""Java import resolution over small synthetic repositories."""

from __future__ import annotations

from thread_assets.engine.model import Import, Location
from thread_assets.engine.resolve.base import RepoContext
from thread_assets.engine.resolve.java import make_resolver

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=0, start_byte=0, end_byte=0)


def imp(module: str, name: str | None = None) -> Import:
    kind = "absolute" if name else "wildcard"
    return Import(module=module, name=name, bound=name, kind=kind, location=LOC)  # type: ignore[arg-type]


FILES = frozenset(
    {
        "app/src/main/java/com/acme/App.java",
        "app/src/main/java/com/acme/model/Item.java",
        "app/src/main/java/com/acme/model/Order.java",
        "app/src/main/java/com/acme/model/package-info.java",
        "app/src/main/java/com/acme/util/Strings.java",
        "app/src/test/java/com/acme/model/Item.java",
        "app/src/test/java/com/acme/AppTest.java",
        "lib/src/com/acme/util/Strings.java",
        "lib/src/com/acme/io/Reader.java",
        "README.md",
    }
)
MAIN = "app/src/main/java/com/acme/App.java"
TEST = "app/src/test/java/com/acme/AppTest.java"


def test_single_type_imports_find_the_class_file_under_any_source_root() -> None:
    r = make_resolver(RepoContext(files=FILES))
    assert r.resolve(MAIN, imp("com.acme.model", "Order")) == (
        "app/src/main/java/com/acme/model/Order.java",
        None,
        "java:class",
    )
    assert r.resolve(MAIN, imp("com.acme.io", "Reader")) == ("lib/src/com/acme/io/Reader.java", None, "java:class")


def test_duplicates_prefer_the_importers_own_tree() -> None:
    r = make_resolver(RepoContext(files=FILES))
    assert r.resolve(MAIN, imp("com.acme.model", "Item"))[0] == "app/src/main/java/com/acme/model/Item.java"
    assert r.resolve(TEST, imp("com.acme.model", "Item"))[0] == "app/src/test/java/com/acme/model/Item.java"
    assert r.resolve(MAIN, imp("com.acme.util", "Strings"))[0] == "app/src/main/java/com/acme/util/Strings.java"
    assert r.resolve("lib/src/com/acme/io/Reader.java", imp("com.acme.util", "Strings"))[0] == (
        "lib/src/com/acme/util/Strings.java"
    )


def test_nested_classes_and_static_members_resolve_to_the_outer_class() -> None:
    r = make_resolver(RepoContext(files=FILES))
    order = "app/src/main/java/com/acme/model/Order.java"
    assert r.resolve(MAIN, imp("com.acme.model.Order", "Line")) == (order, None, "java:class")
    assert r.resolve(MAIN, imp("com.acme.model.Order.Line", "Kind")) == (order, None, "java:class")
    assert r.resolve(MAIN, imp("com.acme.model.Order", "create")) == (order, None, "java:class")  # static member
    assert r.resolve(MAIN, imp("com.acme.model.Order")) == (order, None, "java:class")  # static on-demand


def test_on_demand_package_imports_point_to_the_package() -> None:
    r = make_resolver(RepoContext(files=FILES))
    assert r.resolve(MAIN, imp("com.acme.model")) == (
        "app/src/main/java/com/acme/model/package-info.java",
        None,
        "java:package",
    )
    assert r.resolve(MAIN, imp("com.acme.io")) == ("lib/src/com/acme/io/Reader.java", None, "java:package")
    assert r.package_files("lib/src/com/acme/io") == ("lib/src/com/acme/io/Reader.java",)


def test_external_and_unresolved() -> None:
    r = make_resolver(RepoContext(files=FILES))
    assert r.resolve(MAIN, imp("java.util", "List")) == (None, "java.util", "external")
    assert r.resolve(MAIN, imp("java.util.concurrent")) == (None, "java.util", "external")
    assert r.resolve(MAIN, imp("org.junit.Assert", "assertTrue")) == (None, "org.junit", "external")
    # a lower-case segment is a package, never stripped to reach a class file
    assert r.resolve(MAIN, imp("com.acme.model.missing", "Thing")) == (None, "com.acme", "external")
    assert r.resolve(MAIN, imp("Lonely")) == (None, None, "unresolved")
