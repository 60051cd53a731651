"""Go resolution and build constraints as the go command sees them: one test per rule."""

from __future__ import annotations

import pytest

from thread_assets.engine import analyze
from thread_assets.engine.extract.go_build import (
    builds,
    context_tags,
    header_constraint,
    name_tags,
    never_builds,
    satisfied,
)
from thread_assets.engine.graph.deps import dependency_edges
from thread_assets.engine.model import Import, Location
from thread_assets.engine.resolve import RepoContext, resolve_imports
from thread_assets.engine.resolve.go import make_resolver

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=0, start_byte=0, end_byte=0)


def imp(path: str) -> Import:
    return Import(module=path, kind="absolute", bound=path.rsplit("/", 1)[-1], location=LOC)


def resolver(files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    return make_resolver(RepoContext(files=frozenset(files), read=files.get))


# ---- build constraints


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"//go:build ignore\n\npackage main\n", "ignore"),
        (b"// Copyright 2020\n\n//go:build linux && (amd64 || arm64)\n\npackage x\n", "linux && (amd64 || arm64)"),
        (
            b"// +build linux,386 darwin,!cgo\n// +build go1.5\n\npackage x\n",
            "(linux && 386 || darwin && !cgo) && go1.5",
        ),
        (b"// +build linux\npackage x\n", None),  # a +build line must be followed by a blank line
        (b"//go:build windows\n// +build linux\n\npackage x\n", "windows"),  # //go:build wins
        (b"package x\n\n//go:build linux\n", None),  # only the header counts
        (b"/* licence\n */\n\n//go:build js\n\npackage x\n", "js"),
        (b"package x\n", None),
    ],
)
def test_header_constraint(header: bytes, expected: str | None) -> None:
    assert header_constraint(header) == expected


def test_never_builds_means_only_with_the_ignore_tag() -> None:
    assert never_builds("ignore")
    assert never_builds("ignore && linux")
    assert not never_builds("!ignore")
    assert not never_builds("ignore || linux")
    assert not never_builds("integration")  # a custom tag is a build variant, not "never"
    assert not never_builds(None)
    assert not never_builds("ignore &&")  # malformed: the go command rejects it; not flagged


def test_name_tags_as_go_build_reads_file_names() -> None:
    assert name_tags("a/x_linux_amd64.go") == ("linux", "amd64")
    assert name_tags("a/x_windows.go") == ("windows",)
    assert name_tags("a/x_arm64_test.go") == ("arm64", "test")
    assert name_tags("a/x_test.go") == ("test",)
    assert name_tags("a/linux.go") == ()  # the part before the first _ never counts
    assert name_tags("a/x_unix.go") == ()  # unix is a build tag, not a file-name suffix


def test_builds_for_a_platform() -> None:
    linux = context_tags("linux", "amd64")
    assert builds("p/x_linux.go", None, linux)
    assert not builds("p/x_darwin.go", None, linux)
    assert builds("p/x.go", "unix && !windows", linux)
    assert not builds("p/_x.go", None, linux)  # the go command skips _ and . files
    assert not builds("p/x_test.go", None, linux, tests=False)
    assert builds("p/x_linux.go", None, context_tags("android", "arm64"))  # android implies linux
    assert satisfied("go1.18 && !go1.20", linux)
    assert not satisfied("linux &&", linux)


def test_analysis_records_the_constraint_and_ignored_flag() -> None:
    gen = analyze("p/gen.go", b'//go:build ignore\n\npackage main\n\nimport "fmt"\n')
    assert (gen.build_constraint, gen.build_ignored) == ("ignore", True)
    plain = analyze("p/x.go", b"// +build linux darwin\n\npackage p\n")
    assert (plain.build_constraint, plain.build_ignored) == ("linux || darwin", False)
    py = analyze("x.py", b"#go:build ignore\n")
    assert (py.build_constraint, py.build_ignored) == (None, False)


def test_ignored_files_are_left_out_of_the_graph() -> None:
    sources = {
        "go.mod": b"module example.com/m\n",
        "p/p.go": b'package p\n\nimport "example.com/m/q"\n',
        "p/gen.go": b'//go:build ignore\n\npackage main\n\nimport "example.com/m/q"\n',
        "q/q.go": b"package q\n",
    }
    analyses = [analyze(p, s) for p, s in sources.items() if p.endswith(".go")]
    res = resolve_imports(analyses, RepoContext(files=frozenset(sources), read=sources.get))
    assert {(r.importer, r.target, r.how) for r in res} == {
        ("p/p.go", "q/q.go", "go:module"),
        ("p/gen.go", None, "go:ignored"),
    }
    assert [(e.source, e.target) for e in dependency_edges(res)] == [("p/p.go", "q/q.go")]


# ---- resolution


def test_testdata_and_underscore_directories_are_never_packages() -> None:
    r = resolver(
        {
            "go.mod": b"module example.com/m\n",
            "a/a.go": b"",
            "a/testdata/src/golang.org/x/sync/errgroup/e.go": b"",
            "a/testdata/x.go": b"",
            "_old/o.go": b"",
            ".hidden/h.go": b"",
        }
    )
    assert r.resolve("a/a.go", imp("golang.org/x/sync/errgroup")) == (None, "golang.org/x/sync", "external")
    assert r.resolve("a/a.go", imp("example.com/m/a/testdata")) == (None, None, "unresolved")
    assert r.resolve("a/a.go", imp("example.com/m/_old")) == (None, None, "unresolved")
    assert r.resolve("a/a.go", imp("example.com/m/.hidden")) == (None, None, "unresolved")


def test_a_nested_go_mod_is_a_module_boundary() -> None:
    r = resolver(
        {
            "go.mod": b"module example.com/m\n",
            "main.go": b"",
            "sub/go.mod": b"module other.org/sub\n",
            "sub/pkg/p.go": b"",
        }
    )
    # sub/pkg is not in module example.com/m, whatever its directory says
    assert r.resolve("main.go", imp("example.com/m/sub/pkg")) == (None, None, "unresolved")
    assert r.resolve("main.go", imp("other.org/sub/pkg")) == ("sub/pkg/p.go", None, "go:repo-module")


def test_suffix_matching_never_crosses_a_module_boundary() -> None:
    r = resolver(
        {
            "a/go.mod": b"module example.com/a\n",
            "a/main.go": b"",
            "b/go.mod": b"module example.com/b\n",
            "b/src/golang.org/x/sync/errgroup/e.go": b"",
            "gopath/src/github.com/acme/lib/lib.go": b"",
            "gopath/src/github.com/acme/util/u.go": b"",
        }
    )
    assert r.resolve("a/main.go", imp("golang.org/x/sync/errgroup")) == (None, "golang.org/x/sync", "external")
    # outside every module, a GOPATH tree still resolves by suffix
    assert r.resolve("gopath/src/github.com/acme/lib/lib.go", imp("github.com/acme/util")) == (
        "gopath/src/github.com/acme/util/u.go",
        None,
        "go:gopath",
    )


def test_a_gopath_tree_serves_modules_that_require_it() -> None:
    # Debian's /usr/share/gocode/src: modules and module-less packages side by side, by import path
    r = resolver(
        {
            "github.com/stretchr/testify/go.mod": b"module github.com/stretchr/testify\n",
            "github.com/stretchr/testify/assert/a.go": b"",
            "github.com/davecgh/go-spew/spew/spew.go": b"",
            "vendorless/src/github.com/davecgh/go-spew/spew/other.go": b"",
        }
    )
    assert r.resolve("github.com/stretchr/testify/assert/a.go", imp("github.com/davecgh/go-spew/spew")) == (
        "github.com/davecgh/go-spew/spew/spew.go",
        None,
        "go:gopath",
    )


def test_replace_directives_to_local_directories() -> None:
    r = resolver(
        {
            "app/go.mod": b"module example.com/app\n\nreplace (\n\texample.com/lib v1.0.0 => ../lib\n"
            b"\texample.com/far => example.com/fork v1.2.0\n)\nreplace example.com/one => ./third_party/one\n",
            "app/main.go": b"",
            "app/third_party/one/one.go": b"",
            "lib/util/u.go": b"",
        }
    )
    assert r.resolve("app/main.go", imp("example.com/lib/util")) == ("lib/util/u.go", None, "go:replace")
    assert r.resolve("app/main.go", imp("example.com/one")) == ("app/third_party/one/one.go", None, "go:replace")
    assert r.resolve("app/main.go", imp("example.com/far/x")) == (None, "example.com/far", "external")


def test_a_go_work_replace_wins_over_the_modules() -> None:
    r = resolver(
        {
            "go.work": b"use ./app\nreplace example.com/lib => ./forks/lib\n",
            "app/go.mod": b"module example.com/app\nreplace example.com/lib => ../lib\n",
            "app/main.go": b"",
            "lib/l.go": b"",
            "forks/lib/l.go": b"",
        }
    )
    assert r.resolve("app/main.go", imp("example.com/lib")) == ("forks/lib/l.go", None, "go:replace")


def test_go_work_uses_modules_of_the_workspace() -> None:
    r = resolver(
        {
            "go.work": b"go 1.22\n\nuse (\n\t./api\n\t./server\n)\n",
            "api/go.mod": b"module example.com/api\n",
            "api/types/t.go": b"",
            "server/go.mod": b"module example.com/server\n",
            "server/main.go": b"",
            "tools/go.mod": b"module example.com/tools\n",
            "tools/t.go": b"",
        }
    )
    assert r.resolve("server/main.go", imp("example.com/api/types")) == ("api/types/t.go", None, "go:work")
    assert r.resolve("tools/t.go", imp("example.com/api/types")) == ("api/types/t.go", None, "go:repo-module")


def test_representative_avoids_platform_files() -> None:
    r = resolver(
        {
            "go.mod": b"module example.com/m\n",
            "main.go": b"",
            "sys/a_linux.go": b"",
            "sys/b_windows.go": b"",
            "sys/common.go": b"",
        }
    )
    assert r.resolve("main.go", imp("example.com/m/sys")) == ("sys/common.go", None, "go:module")
