"""Rust import resolution over small synthetic workspaces."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.model import Import, ImportKind, Location
from thread_assets.engine.resolve import RepoContext, resolve_imports
from thread_assets.engine.resolve.rust import RustResolver, make_resolver

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=1, start_byte=0, end_byte=1)

CARGO_APP = b"""
[package]
name = "my-app"
edition = "2021"

[dependencies]
serde = "1"
regex-syntax = { path = "../regex-syntax" }

[dev-dependencies]
quickcheck = "1"
"""

CARGO_SYNTAX = b"""
[package]
name = "regex-syntax"
"""

FILES = {
    "app/Cargo.toml": CARGO_APP,
    "app/src/lib.rs": b"",
    "app/src/main.rs": b"",
    "app/src/net.rs": b"",
    "app/src/net/tcp.rs": b"",
    "app/src/store/mod.rs": b"",
    "app/src/store/disk.rs": b"",
    "app/src/bin/tool.rs": b"",
    "app/src/bin/tool/helpers.rs": b"",
    "app/src/gen/out.rs": b"",
    "app/tests/it.rs": b"",
    "app/tests/common/mod.rs": b"",
    "app/build.rs": b"",
    "regex-syntax/Cargo.toml": CARGO_SYNTAX,
    "regex-syntax/src/lib.rs": b"",
    "regex-syntax/src/ast/mod.rs": b"",
    "regex-syntax/src/ast/parse.rs": b"",
    "loose/src/lib.rs": b"",
    "loose/src/x.rs": b"",
}


def resolver() -> RustResolver:
    return make_resolver(RepoContext(files=frozenset(FILES), read=FILES.get))


def imp(module: str, name: str | None = None, kind: ImportKind = "absolute") -> Import:
    return Import(module=module, name=name, bound=name, kind=kind, location=LOC)


def test_crate_self_and_super_paths_resolve_to_the_deepest_module_file() -> None:
    r = resolver()
    assert r.resolve("app/src/lib.rs", imp("crate::net::tcp", "Stream")) == ("app/src/net/tcp.rs", None, "rust:crate")
    assert r.resolve("app/src/store/disk.rs", imp("crate::net", "Inline")) == ("app/src/net.rs", None, "rust:crate")
    assert r.resolve("app/src/store/disk.rs", imp("crate", "Config")) == ("app/src/lib.rs", None, "rust:crate")
    assert r.resolve("app/src/net.rs", imp("self::tcp", "Stream", "relative")) == (
        "app/src/net/tcp.rs",
        None,
        "rust:self",
    )
    assert r.resolve("app/src/store/disk.rs", imp("super", "Store", "relative")) == (
        "app/src/store/mod.rs",
        None,
        "rust:super",
    )
    assert r.resolve("app/src/store/disk.rs", imp("super::super::net", "X", "relative")) == (
        "app/src/net.rs",
        None,
        "rust:super",
    )
    assert r.resolve("app/src/lib.rs", imp("super", "X", "relative")) == (None, None, "unresolved")
    # `use super::*` inside an inline test module arrives rebased as `self`: the file itself.
    assert r.resolve("app/src/net/tcp.rs", Import(module="self", kind="wildcard", location=LOC)) == (
        "app/src/net/tcp.rs",
        None,
        "rust:self",
    )


def test_mod_declarations_find_sibling_or_nested_files() -> None:
    r = resolver()
    decl = lambda m: Import(module=m, kind="side_effect", location=LOC)  # noqa: E731
    assert r.resolve("app/src/lib.rs", decl("net")) == ("app/src/net.rs", None, "rust:mod")
    assert r.resolve("app/src/lib.rs", decl("store")) == ("app/src/store/mod.rs", None, "rust:mod")
    assert r.resolve("app/src/net.rs", decl("tcp")) == ("app/src/net/tcp.rs", None, "rust:mod")
    assert r.resolve("app/src/store/mod.rs", decl("disk")) == ("app/src/store/disk.rs", None, "rust:mod")
    assert r.resolve("app/src/bin/tool.rs", decl("helpers")) == (None, None, "unresolved")  # crate root: beside it
    assert r.resolve("app/tests/it.rs", decl("common")) == ("app/tests/common/mod.rs", None, "rust:mod")
    assert r.resolve("app/src/lib.rs", decl("gen/out.rs")) == ("app/src/gen/out.rs", None, "rust:path-attr")
    assert r.resolve("app/src/lib.rs", decl("missing")) == (None, None, "unresolved")
    assert r.resolve("app/src/lib.rs", decl("store::disk")) == ("app/src/store/disk.rs", None, "rust:mod")


def test_other_crates_external_and_workspace() -> None:
    r = resolver()
    assert r.resolve("app/src/lib.rs", imp("std::collections", "HashMap")) == (None, "std", "external")
    assert r.resolve("app/src/lib.rs", imp("core::fmt", "Write")) == (None, "core", "external")
    assert r.resolve("app/src/lib.rs", imp("serde", "Serialize")) == (None, "serde", "external")
    assert r.resolve("app/src/lib.rs", imp("::serde::de", "Visitor")) == (None, "serde", "external")
    assert r.resolve("app/tests/it.rs", imp("quickcheck", "Arbitrary")) == (None, "quickcheck", "external")
    assert r.resolve("app/src/lib.rs", imp("regex_syntax::ast::parse", "Parser")) == (
        "regex-syntax/src/ast/parse.rs",
        None,
        "rust:workspace-crate",
    )
    assert r.resolve("app/src/lib.rs", imp("regex_syntax::ast", "Ast")) == (
        "regex-syntax/src/ast/mod.rs",
        None,
        "rust:workspace-crate",
    )
    # The binary and the integration tests reach the package's own library by its crate name.
    assert r.resolve("app/src/main.rs", imp("my_app::net", "Conn")) == ("app/src/net.rs", None, "rust:workspace-crate")
    assert r.resolve("app/tests/it.rs", imp("my_app", "run")) == ("app/src/lib.rs", None, "rust:workspace-crate")
    extern = Import(module="regex_syntax", bound="regex_syntax", kind="absolute", location=LOC)
    assert r.resolve("app/src/lib.rs", extern) == ("regex-syntax/src/lib.rs", None, "rust:workspace-crate")


def test_bare_paths_follow_2018_then_2015_rules() -> None:
    r = resolver()
    # A child module of the importer's module (2018 uniform paths).
    assert r.resolve("app/src/net.rs", imp("tcp", "Stream")) == ("app/src/net/tcp.rs", None, "rust:module")
    # A module of the crate root, as 2015 paths are written.
    assert r.resolve("app/src/store/disk.rs", imp("net::tcp", "Stream")) == ("app/src/net/tcp.rs", None, "rust:crate")
    # Not a module, crate or dependency: an item of the current module (edition 2021) ...
    assert r.resolve("app/src/net.rs", imp("Kind", None)) == ("app/src/net.rs", None, "rust:local-item")
    # ... or of the crate root in edition 2015 (regex-syntax declares no edition).
    assert r.resolve("regex-syntax/src/ast/parse.rs", imp("Error", None)) == (
        "regex-syntax/src/lib.rs",
        None,
        "rust:local-item",
    )
    # Without a readable Cargo.toml an unknown first segment is taken for an external crate.
    assert r.resolve("loose/src/lib.rs", imp("x", "Thing")) == ("loose/src/x.rs", None, "rust:module")
    assert r.resolve("loose/src/lib.rs", imp("rand", "Rng")) == (None, "rand", "external")


def test_end_to_end_through_resolve_imports() -> None:
    sources = {
        "app/src/lib.rs": b"mod net;\npub mod store;\nuse crate::net::tcp::Stream;\nuse std::io;\n",
        "app/src/store/mod.rs": b"mod disk;\nuse super::net;\nmod tests { use super::*; }\n",
    }
    analyses = [analyze(p, code, "rust") for p, code in sources.items()]
    files = dict(FILES)
    ctx = RepoContext(files=frozenset(files), read=files.get)
    got = [(r.importer, r.module, r.name, r.target, r.external, r.how) for r in resolve_imports(analyses, ctx)]
    assert got == [
        ("app/src/lib.rs", "net", None, "app/src/net.rs", None, "rust:mod"),
        ("app/src/lib.rs", "store", None, "app/src/store/mod.rs", None, "rust:mod"),
        ("app/src/lib.rs", "crate::net::tcp", "Stream", "app/src/net/tcp.rs", None, "rust:crate"),
        ("app/src/lib.rs", "std", "io", None, "std", "external"),
        ("app/src/store/mod.rs", "disk", None, "app/src/store/disk.rs", None, "rust:mod"),
        ("app/src/store/mod.rs", "super", "net", "app/src/net.rs", None, "rust:super"),
        ("app/src/store/mod.rs", "self", None, "app/src/store/mod.rs", None, "rust:self"),
    ]


def test_unreadable_or_broken_cargo_toml_is_tolerated() -> None:
    files = {"p/Cargo.toml": b"[package\nname = ", "p/src/lib.rs": b"", "p/src/a.rs": b""}
    r = make_resolver(RepoContext(files=frozenset(files), read=files.get))
    assert r.resolve("p/src/lib.rs", imp("crate::a", "X")) == ("p/src/a.rs", None, "rust:crate")
    assert r.resolve("p/src/lib.rs", imp("foo", "X")) == (None, "foo", "external")


def test_binary_targets_find_their_package() -> None:
    r = resolver()
    assert r.resolve("app/src/bin/tool.rs", imp("serde", "Serialize")) == (None, "serde", "external")
    assert r.resolve("app/src/bin/tool.rs", imp("Local", None)) == ("app/src/bin/tool.rs", None, "rust:local-item")
    assert r.resolve("app/build.rs", imp("my_app", "X")) == ("app/src/lib.rs", None, "rust:workspace-crate")
