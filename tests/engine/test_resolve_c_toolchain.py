"""C/C++ includes with a compilation database: the compiler's search path, one test per rule."""

from __future__ import annotations

import json

from thread_assets.engine.model import Import, ImportKind, Location
from thread_assets.engine.resolve import RepoContext
from thread_assets.engine.resolve.c_family import make_resolver
from thread_assets.engine.resolve.compile_db import find

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=0, start_byte=0, end_byte=0)
ROOT = "/home/dev/proj"


def inc(header: str, kind: ImportKind = "relative") -> Import:
    return Import(module=header, kind=kind, location=LOC)


def repo(entries: list[dict[str, object]], *, db_path: str = "build/compile_commands.json") -> dict[str, bytes]:
    files = {
        "src/main.c": b"",
        "src/util.h": b"",
        "include/proj/api.h": b"",
        "include/util.h": b"",
        "quoted/q.h": b"",
        "other/api.h": b"",
        "third_party/zlib/zlib.h": b"",
        "lib/lib.c": b"",
        db_path: json.dumps(entries).encode(),
    }
    return files


ENTRIES: list[dict[str, object]] = [
    {
        "directory": f"{ROOT}/build",
        "file": f"{ROOT}/src/main.c",
        "arguments": [
            *("cc", "-I../include", "-iquote", "../quoted", "-isystem", f"{ROOT}/third_party/zlib"),
            *('-DCONFIG_H="proj/api.h"', "-I/usr/include/glib-2.0", "-c", "../src/main.c"),
        ],
    },
    {"directory": f"{ROOT}", "file": "lib/lib.c", "command": "cc -I include/proj -c lib/lib.c"},
]


def resolver(entries: list[dict[str, object]] = ENTRIES, **kw: str):  # type: ignore[no-untyped-def]
    files = repo(entries, **kw)
    return make_resolver(RepoContext(files=frozenset(files), read=files.get))


def test_the_database_is_found_and_its_root_inferred() -> None:
    files = repo(ENTRIES)
    db = find(files, files.get)
    assert db is not None and db.source == "build/compile_commands.json"
    main = db.per_file["src/main.c"]
    assert main.quote == ("quoted",)
    assert main.angle == ("include", "/usr/include/glib-2.0", "third_party/zlib")
    assert main.defines == {"CONFIG_H": '"proj/api.h"'}
    assert db.per_file["lib/lib.c"].angle == ("include/proj",)


def test_quoted_includes_search_the_includer_then_iquote_then_i() -> None:
    r = resolver()
    assert r.resolve("src/main.c", inc("util.h")) == ("src/util.h", None, "c:compile-db")
    assert r.resolve("src/main.c", inc("q.h")) == ("quoted/q.h", None, "c:compile-db")
    assert r.resolve("src/main.c", inc("proj/api.h")) == ("include/proj/api.h", None, "c:compile-db")


def test_angle_includes_skip_the_includer_and_iquote() -> None:
    r = resolver()
    assert r.resolve("src/main.c", inc("util.h", "system")) == ("include/util.h", None, "c:compile-db")
    assert r.resolve("src/main.c", inc("q.h", "system")) == (None, "q.h", "external")
    assert r.resolve("src/main.c", inc("zlib.h", "system")) == ("third_party/zlib/zlib.h", None, "c:compile-db")


def test_each_file_has_its_own_flags() -> None:
    r = resolver()
    assert r.resolve("lib/lib.c", inc("api.h", "system")) == ("include/proj/api.h", None, "c:compile-db")
    assert r.resolve("src/main.c", inc("api.h", "system")) == (None, "api.h", "external")


def test_a_compiled_file_never_falls_back_to_suffix_matching() -> None:
    r = resolver()
    # other/api.h ends with "api.h", but the compiler would never look there
    assert r.resolve("src/main.c", inc("api.h")) == (None, "api.h", "external")
    assert r.resolve("src/main.c", inc("glib.h", "system")) == (None, "glib.h", "external")


def test_headers_search_the_union_then_fall_back() -> None:
    r = resolver()
    assert r.resolve("include/util.h", inc("q.h")) == ("quoted/q.h", None, "c:compile-db")
    assert r.resolve("include/util.h", inc("zlib/zlib.h")) == ("third_party/zlib/zlib.h", None, "c:suffix")


def test_macro_includes_expand_defines() -> None:
    r = resolver()
    assert r.resolve("src/main.c", inc("CONFIG_H", "absolute")) == ("include/proj/api.h", None, "c:compile-db")
    assert r.resolve("src/main.c", inc("UNDEFINED_H", "absolute")) == (None, None, "unresolved")


def test_a_database_at_the_root_and_without_one() -> None:
    r = resolver(db_path="compile_commands.json")
    assert r.resolve("src/main.c", inc("q.h")) == ("quoted/q.h", None, "c:compile-db")
    files = {"src/main.c": b"", "other/api.h": b""}
    plain = make_resolver(RepoContext(files=frozenset(files), read=files.get))
    assert plain.resolve("src/main.c", inc("api.h")) == ("other/api.h", None, "c:suffix")
