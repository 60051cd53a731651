"""Include resolution for C and C++ over small synthetic repositories."""

from __future__ import annotations

from thread_assets.engine.model import Import, Location
from thread_assets.engine.resolve.base import RepoContext
from thread_assets.engine.resolve.c_family import make_resolver

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=1, start_byte=0, end_byte=1)

FILES = frozenset(
    {
        "include/uv.h",
        "include/uv/tree.h",
        "src/unix/core.c",
        "src/unix/internal.h",
        "src/uv-common.h",
        "src/win/internal.h",
        "src/win/core.c",
        "third_party/compat/string.h",
        "lib/foo/bar.h",
        "other/foo/bar.h",
        "lib/foo/user.c",
        "gen/config.h",
    }
)


def include(module: str, system: bool = False) -> Import:
    return Import(module=module, kind="system" if system else "relative", location=LOC)


def resolve(importer: str, imp: Import, include_dirs: tuple[str, ...] = ()) -> tuple[str | None, str | None, str]:
    return make_resolver(RepoContext(files=FILES, include_dirs=include_dirs)).resolve(importer, imp)


def test_quoted_include_prefers_the_includers_directory() -> None:
    assert resolve("src/unix/core.c", include("internal.h")) == ("src/unix/internal.h", None, "c:relative")
    assert resolve("src/win/core.c", include("internal.h")) == ("src/win/internal.h", None, "c:relative")
    assert resolve("src/unix/core.c", include("../uv-common.h")) == ("src/uv-common.h", None, "c:relative")


def test_include_dirs_come_before_suffix_matching() -> None:
    assert resolve("src/unix/core.c", include("config.h"), ("gen",)) == ("gen/config.h", None, "c:include-dir")
    assert resolve("src/unix/core.c", include("uv.h")) == ("include/uv.h", None, "c:suffix")


def test_suffix_match_picks_the_closest_candidate() -> None:
    assert resolve("lib/foo/user.c", include("foo/bar.h")) == ("lib/foo/bar.h", None, "c:suffix")
    assert resolve("other/sub/main.c", include("foo/bar.h")) == ("other/foo/bar.h", None, "c:suffix")


def test_angle_includes_find_project_headers_but_not_standard_ones() -> None:
    assert resolve("src/unix/core.c", include("uv/tree.h", system=True)) == ("include/uv/tree.h", None, "c:suffix")
    assert resolve("src/unix/core.c", include("string.h", system=True)) == (None, "string.h", "external")
    assert resolve("src/unix/core.c", include("sys/types.h", system=True)) == (None, "sys", "external")
    assert resolve("src/unix/core.c", include("vector", system=True)) == (None, "vector", "external")
    assert resolve("src/unix/core.c", include("boost/optional.hpp", system=True)) == (None, "boost", "external")


def test_explicit_include_dir_wins_even_for_standard_names() -> None:
    assert resolve("src/unix/core.c", include("string.h", system=True), ("third_party/compat",)) == (
        "third_party/compat/string.h",
        None,
        "c:include-dir",
    )


def test_missing_quoted_include_is_unresolved() -> None:
    assert resolve("src/unix/core.c", include("generated_by_build.h")) == (None, None, "unresolved")


def test_namespaces_and_computed_includes() -> None:
    using_std = Import(module="std", kind="wildcard", location=LOC)
    using_vector = Import(module="std", name="vector", bound="vector", kind="absolute", location=LOC)
    using_own = Import(module="app::detail", name="x", bound="x", kind="absolute", location=LOC)
    computed = Import(module="CONFIG_HEADER", kind="absolute", location=LOC)
    module_import = Import(module="std.compat", kind="absolute", location=LOC)
    assert resolve("a.cpp", using_std) == (None, "std", "external")
    assert resolve("a.cpp", using_vector) == (None, "std", "external")
    assert resolve("a.cpp", module_import) == (None, "std", "external")
    assert resolve("a.cpp", using_own) == (None, None, "unresolved")
    assert resolve("a.cpp", computed) == (None, None, "unresolved")
