"""Rust paths as rustc and Cargo resolve them: one test per rule, on small workspaces."""

from __future__ import annotations

from thread_assets.engine import analyze
from thread_assets.engine.resolve import RepoContext, resolve_imports

WORKSPACE = {
    "Cargo.toml": b'[workspace]\nmembers = ["app", "core"]\n',
    "app/Cargo.toml": b"""
[package]
name = "app"
edition = "2021"

[dependencies]
regex = "1"
json = { package = "serde_json", version = "1" }
kernel = { package = "acme-core", path = "../core" }
""",
    "app/src/lib.rs": b"""
extern crate regex as re;
mod net;
mod store;
#[path = "generated/out.rs"]
mod out;
pub use net::Conn;
pub use store::Disk as Storage;
pub const VERSION: u32 = 1;
use re::Regex;
use json::Value;
""",
    "app/src/net.rs": b"mod tcp;\npub use self::tcp::*;\n",
    "app/src/net/tcp.rs": b"pub struct Conn;\n",
    "app/src/store/mod.rs": b"mod disk;\npub use disk::Disk;\n",
    "app/src/store/disk.rs": b"pub struct Disk;\n",
    "app/src/generated/out.rs": b"pub fn f() {}\n",
    "app/src/user.rs": b"""
use crate::Conn;
use crate::Storage;
use crate::VERSION;
use crate::net::tcp::Conn as Direct;
use kernel::engine::Engine;
use acme_core::Engine as Again;
use re::Regex;
""",
    "core/Cargo.toml": b'[package]\nname = "acme-core"\nedition = "2021"\n',
    "core/src/lib.rs": b"pub mod engine;\npub use engine::Engine;\n",
    "core/src/engine.rs": b"pub struct Engine;\n",
}


def resolved() -> dict[tuple[str, str, str | None], tuple[str | None, str | None, str]]:
    analyses = [analyze(p, s) for p, s in WORKSPACE.items() if p.endswith(".rs")]
    ctx = RepoContext(files=frozenset(WORKSPACE), read=WORKSPACE.get)
    return {(r.importer, r.module, r.name): (r.target, r.external, r.how) for r in resolve_imports(analyses, ctx)}


def test_mod_declarations_name_rs_mod_rs_and_path_attributes() -> None:
    got = resolved()
    assert got[("app/src/lib.rs", "net", None)] == ("app/src/net.rs", None, "rust:mod")
    assert got[("app/src/lib.rs", "store", None)] == ("app/src/store/mod.rs", None, "rust:mod")
    assert got[("app/src/net.rs", "tcp", None)] == ("app/src/net/tcp.rs", None, "rust:mod")
    assert got[("app/src/lib.rs", "generated/out.rs", "out")] == ("app/src/generated/out.rs", None, "rust:path-attr")


def test_pub_use_chains_lead_to_the_defining_file() -> None:
    got = resolved()
    # crate::Conn -> lib.rs `pub use net::Conn` -> net.rs `pub use self::tcp::*` -> net/tcp.rs
    assert got[("app/src/user.rs", "crate", "Conn")] == ("app/src/net/tcp.rs", None, "rust:reexport")
    # a renamed re-export: `pub use store::Disk as Storage` -> store/mod.rs -> store/disk.rs
    assert got[("app/src/user.rs", "crate", "Storage")] == ("app/src/store/disk.rs", None, "rust:reexport")
    # an item defined where the path lands stays there
    assert got[("app/src/user.rs", "crate", "VERSION")] == ("app/src/lib.rs", None, "rust:crate")
    assert got[("app/src/user.rs", "crate::net::tcp", "Conn")] == ("app/src/net/tcp.rs", None, "rust:crate")


def test_workspace_crates_and_renamed_dependencies() -> None:
    got = resolved()
    # `kernel = { package = "acme-core", path = ... }`: the member crate, through its re-export
    assert got[("app/src/user.rs", "kernel::engine", "Engine")] == ("core/src/engine.rs", None, "rust:workspace-crate")
    assert got[("app/src/user.rs", "acme_core", "Engine")] == ("core/src/engine.rs", None, "rust:reexport")
    # `json = { package = "serde_json" }`: the external crate by its real name
    assert got[("app/src/lib.rs", "json", "Value")] == (None, "serde_json", "external")


def test_extern_crate_renames() -> None:
    got = resolved()
    assert got[("app/src/lib.rs", "regex", None)] == (None, "regex", "external")
    assert got[("app/src/lib.rs", "re", "Regex")] == (None, "regex", "external")
    # the crate root's `extern crate regex as re;` is in scope crate-wide (the extern prelude)
    assert got[("app/src/user.rs", "re", "Regex")] == (None, "regex", "external")


def test_a_glob_re_export_is_followed_only_to_a_definition() -> None:
    files = {
        "Cargo.toml": b'[package]\nname = "g"\nedition = "2021"\n',
        "src/lib.rs": b"mod a;\nmod b;\npub use a::*;\npub use b::*;\npub struct Local;\n",
        "src/a.rs": b"pub struct OnlyInA;\n",
        "src/b.rs": b"pub struct OnlyInB;\n",
        "src/user.rs": b"use crate::OnlyInB;\nuse crate::Local;\nuse crate::Missing;\n",
    }
    analyses = [analyze(p, s) for p, s in files.items() if p.endswith(".rs")]
    res = resolve_imports(analyses, RepoContext(files=frozenset(files), read=files.get))
    got = {(r.importer, r.name): (r.target, r.how) for r in res}
    # a.rs does not define OnlyInB: the first glob is passed over for the second
    assert got[("src/user.rs", "OnlyInB")] == ("src/b.rs", "rust:reexport")
    # defined in the module the path lands in: no chain to follow
    assert got[("src/user.rs", "Local")] == ("src/lib.rs", "rust:crate")
    # defined nowhere the globs lead: the module the path names
    assert got[("src/user.rs", "Missing")] == ("src/lib.rs", "rust:crate")


def test_path_attribute_modules_are_found_by_their_declared_name() -> None:
    files = {
        "Cargo.toml": b'[package]\nname = "p"\nedition = "2021"\n',
        "src/lib.rs": b'#[path = "private/mod.rs"]\npub mod __private;\nmod user;\n',
        "src/private/mod.rs": b"pub mod size_hint;\npub struct Marker;\n",
        "src/private/size_hint.rs": b"pub fn cautious() {}\n",
        "src/user.rs": b"use crate::__private::Marker;\nuse crate::__private::size_hint::cautious;\n",
        "old/Cargo.toml": b'[package]\nname = "old"\n',  # edition 2015: paths start at the crate root
        "old/src/lib.rs": b'#[path = "de/seed.rs"]\nmod seed;\nmod de;\n',
        "old/src/de/seed.rs": b"pub struct InPlaceSeed;\n",
        "old/src/de/mod.rs": b"mod impls;\n",
        "old/src/de/impls.rs": b"use seed::InPlaceSeed;\n",
    }
    analyses = [analyze(p, s) for p, s in files.items() if p.endswith(".rs")]
    res = resolve_imports(analyses, RepoContext(files=frozenset(files), read=files.get))
    got = {(r.importer, r.module, r.name): (r.target, r.how) for r in res}
    assert got[("src/lib.rs", "private/mod.rs", "__private")] == ("src/private/mod.rs", "rust:path-attr")
    assert got[("src/user.rs", "crate::__private", "Marker")] == ("src/private/mod.rs", "rust:crate")
    assert got[("src/user.rs", "crate::__private::size_hint", "cautious")] == ("src/private/size_hint.rs", "rust:crate")
    assert got[("old/src/de/impls.rs", "seed", "InPlaceSeed")] == ("old/src/de/seed.rs", "rust:local-item")
