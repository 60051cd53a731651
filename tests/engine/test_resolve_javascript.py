"""JS/TS import resolution over small synthetic repositories."""

from __future__ import annotations

from thread_assets.engine.model import Import, Location
from thread_assets.engine.resolve.base import RepoContext
from thread_assets.engine.resolve.javascript import make_resolver, package_name, strip_json_comments

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=1, start_byte=0, end_byte=1)


def imp(module: str) -> Import:
    kind = "relative" if module.startswith(".") else "absolute"
    return Import(module=module, name="x", bound="x", kind=kind, location=LOC)  # type: ignore[arg-type]


def resolver(files: dict[str, str]):  # type: ignore[no-untyped-def]
    data = {k: v.encode() for k, v in files.items()}
    return make_resolver(RepoContext(files=frozenset(files), read=data.get))


def test_relative_extensions_index_and_ts_esm_style() -> None:
    r = resolver(
        {
            "src/app.ts": "",
            "src/util.ts": "",
            "src/types.d.ts": "",
            "src/comp.tsx": "",
            "src/lib/index.ts": "",
            "src/legacy.js": "",
            "src/esm.mts": "",
            "styles/site.css": "",
        }
    )
    assert r.resolve("src/app.ts", imp("./util")) == ("src/util.ts", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./util.js")) == ("src/util.ts", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./comp.jsx")) == ("src/comp.tsx", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./types")) == ("src/types.d.ts", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./legacy.js")) == ("src/legacy.js", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./esm.mjs")) == ("src/esm.mts", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./lib")) == ("src/lib/index.ts", None, "js:index")
    assert r.resolve("src/lib/index.ts", imp("..")) is not None
    assert r.resolve("src/lib/index.ts", imp("../util")) == ("src/util.ts", None, "js:relative")
    assert r.resolve("src/app.ts", imp("../styles/site.css")) == ("styles/site.css", None, "js:relative")
    assert r.resolve("src/app.ts", imp("./missing")) == (None, None, "unresolved")


def test_directory_with_package_json_entry() -> None:
    r = resolver({"a.js": "", "packages/ui/package.json": '{"main": "dist/main.js"}', "packages/ui/dist/main.js": ""})
    assert r.resolve("a.js", imp("./packages/ui")) == ("packages/ui/dist/main.js", None, "js:index")


def test_tsconfig_paths_and_base_url_with_comments_and_trailing_commas() -> None:
    tsconfig = """{
      // project settings
      "compilerOptions": {
        /* where imports start */
        "baseUrl": "./src",
        "paths": {
          "@app/*": ["app/*", "fallback/*",],
          "@core": ["core/main.ts"],
          "@app/special/*": ["special/*"],
        },
      },
    }"""
    r = resolver(
        {
            "tsconfig.json": tsconfig,
            "src/app/widgets/button.ts": "",
            "src/fallback/only-here.ts": "",
            "src/core/main.ts": "",
            "src/special/x.ts": "",
            "src/app/special/x.ts": "",
            "src/shared/log.ts": "",
            "src/main.ts": "",
        }
    )
    assert r.resolve("src/main.ts", imp("@app/widgets/button")) == ("src/app/widgets/button.ts", None, "ts:paths")
    assert r.resolve("src/main.ts", imp("@app/only-here")) == ("src/fallback/only-here.ts", None, "ts:paths")
    assert r.resolve("src/main.ts", imp("@core")) == ("src/core/main.ts", None, "ts:paths")
    # the most specific pattern (longest prefix) wins
    assert r.resolve("src/main.ts", imp("@app/special/x")) == ("src/special/x.ts", None, "ts:paths")
    assert r.resolve("src/main.ts", imp("shared/log")) == ("src/shared/log.ts", None, "ts:baseUrl")
    assert r.resolve("src/main.ts", imp("react")) == (None, "react", "external")


def test_nearest_tsconfig_and_extends() -> None:
    r = resolver(
        {
            "tsconfig.base.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"~/*": ["libs/*"]}}}',
            "apps/web/tsconfig.json": '{"extends": "../../tsconfig.base.json", "compilerOptions": {"strict": true}}',
            "apps/web/main.ts": "",
            "libs/auth/index.ts": "",
            "tools/script.ts": "",
        }
    )
    assert r.resolve("apps/web/main.ts", imp("~/auth")) == ("libs/auth/index.ts", None, "ts:paths")
    # no tsconfig above tools/: the alias is just an unknown package name
    assert r.resolve("tools/script.ts", imp("~/auth")) == (None, "~", "external")


def test_extends_cycle_does_not_hang() -> None:
    r = resolver(
        {
            "a/tsconfig.json": '{"extends": "../b/tsconfig.json"}',
            "b/tsconfig.json": '{"extends": "../a/tsconfig.json"}',
            "a/x.ts": "",
        }
    )
    assert r.resolve("a/x.ts", imp("lodash")) == (None, "lodash", "external")


def test_external_packages_and_builtins() -> None:
    r = resolver({"index.js": ""})
    assert r.resolve("index.js", imp("@scope/pkg/deep/path")) == (None, "@scope/pkg", "external")
    assert r.resolve("index.js", imp("lodash/fp")) == (None, "lodash", "external")
    assert r.resolve("index.js", imp("node:fs/promises")) == (None, "fs", "external")
    assert r.resolve("index.js", imp("https://cdn.example.com/x.js")) == (None, None, "unresolved")


def test_helpers() -> None:
    assert package_name("@a/b") == "@a/b"
    assert package_name("a") == "a"
    text = strip_json_comments('{"url": "http://x//y", /* c */ "a": [1, 2,], // t\n}')
    assert text.replace(" ", "") == '{"url":"http://x//y","a":[1,2]\n}'.replace(" ", "")
