"""Go import resolution over small synthetic repositories."""

from __future__ import annotations

from thread_assets.engine.model import Import, Location
from thread_assets.engine.resolve.base import RepoContext
from thread_assets.engine.resolve.go import external_module_guess, make_resolver, package_files

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=0, start_byte=0, end_byte=0)


def imp(path: str, kind: str = "absolute") -> Import:
    return Import(module=path, kind=kind, bound=path.rsplit("/", 1)[-1], location=LOC)  # type: ignore[arg-type]


def ctx(files: dict[str, bytes]) -> RepoContext:
    return RepoContext(files=frozenset(files), read=files.get)


REPO = ctx(
    {
        "go.mod": b"// the shop\nmodule example.com/shop\n\ngo 1.22\n",
        "main.go": b"",
        "store/store.go": b"",
        "store/cache.go": b"",
        "store/store_test.go": b"",
        "internal/util/a.go": b"",
        "internal/util/b.go": b"",
        "onlytests/x_test.go": b"",
        "vendor/github.com/pkg/errors/errors.go": b"",
        "tools/go.mod": b'module "example.com/shop/tools"\n',
        "tools/gen/gen.go": b"",
        "gopath/src/github.com/acme/lib/lib.go": b"",
        "gopath/src/github.com/acme/lib/sub/z.go": b"",
        "gopath/src/github.com/acme/lib/sub/y.go": b"",
        "thirdparty/errors/errors.go": b"",
    }
)


def test_module_imports_point_to_a_representative_file() -> None:
    r = make_resolver(REPO)
    assert r.resolve("main.go", imp("example.com/shop/store")) == ("store/store.go", None, "go:module")
    assert r.resolve("main.go", imp("example.com/shop/internal/util")) == ("internal/util/a.go", None, "go:module")
    assert r.resolve("main.go", imp("example.com/shop/onlytests")) == ("onlytests/x_test.go", None, "go:module")
    assert r.resolve("main.go", imp("example.com/shop/missing")) == (None, None, "unresolved")


def test_package_files_expose_the_whole_package() -> None:
    r = make_resolver(REPO)
    assert r.package_files("store") == ("store/cache.go", "store/store.go")
    assert package_files(REPO.files, "internal/util") == ("internal/util/a.go", "internal/util/b.go")


def test_nearest_go_mod_wins_for_nested_modules() -> None:
    r = make_resolver(REPO)
    assert r.nearest_module("tools/gen/gen.go") == ("example.com/shop/tools", "tools")
    assert r.resolve("tools/gen/gen.go", imp("example.com/shop/tools/gen")) == ("tools/gen/gen.go", None, "go:module")
    # from the root module, the tools module is another module of the repository
    assert r.resolve("main.go", imp("example.com/shop/tools/gen")) == ("tools/gen/gen.go", None, "go:repo-module")


def test_vendor_gopath_stdlib_and_external() -> None:
    r = make_resolver(REPO)
    assert r.resolve("main.go", imp("github.com/pkg/errors")) == (
        "vendor/github.com/pkg/errors/errors.go",
        None,
        "go:vendor",
    )
    assert r.resolve("gopath/src/github.com/acme/lib/lib.go", imp("github.com/acme/lib/sub")) == (
        "gopath/src/github.com/acme/lib/sub/y.go",
        None,
        "go:gopath",
    )
    # a repository directory named like a standard package does not shadow it
    assert r.resolve("main.go", imp("errors")) == (None, "errors", "external")
    assert r.resolve("main.go", imp("net/http")) == (None, "net/http", "external")
    assert r.resolve("main.go", imp("github.com/spf13/cobra/doc")) == (None, "github.com/spf13/cobra", "external")


def test_external_module_guess() -> None:
    assert external_module_guess("github.com/x/y/v2/z") == "github.com/x/y/v2"
    assert external_module_guess("golang.org/x/text/language") == "golang.org/x/text"
    assert external_module_guess("gopkg.in/yaml.v3") == "gopkg.in/yaml.v3"
    assert external_module_guess("k8s.io/client-go/kubernetes") == "k8s.io/client-go"


def test_without_go_mod_everything_falls_back() -> None:
    r = make_resolver(ctx({"a/main.go": b"", "lib/x.go": b""}))
    assert r.resolve("a/main.go", imp("fmt")) == (None, "fmt", "external")
    assert r.resolve("a/main.go", imp("example.com/lib")) == (None, "example.com/lib", "external")
    assert r.resolve("a/main.go", imp("")) == (None, None, "unresolved")
