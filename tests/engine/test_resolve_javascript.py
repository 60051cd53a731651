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


def test_exports_subpaths_patterns_conditions_and_self_reference() -> None:
    manifest = """{
      "name": "@acme/kit",
      "exports": {
        ".": {"types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.cjs"},
        "./v4/core": {"import": {"types": "./src/v4/core/index.ts", "default": "./dist/v4/core.js"}},
        "./utils/*": "./src/utils/*.ts",
        "./utils/private/*": null,
        "./package.json": "./package.json",
        "./legacy/": "./src/legacy/"
      }
    }"""
    r = resolver(
        {
            "kit/package.json": manifest,
            "kit/tsconfig.json": '{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}',
            "kit/src/index.ts": "",
            "kit/src/v4/core/index.ts": "",
            "kit/src/utils/strings.ts": "",
            "kit/src/utils/private/x.ts": "",
            "kit/src/legacy/old.js": "",
            "kit/src/deep/user.ts": "",
        }
    )
    user = "kit/src/deep/user.ts"
    # "types" comes first among the keys: dist/index.d.ts, mapped back to its source through outDir
    assert r.resolve(user, imp("@acme/kit")) == ("kit/src/index.ts", None, "js:self")
    assert r.resolve(user, imp("@acme/kit/v4/core")) == ("kit/src/v4/core/index.ts", None, "js:self")
    assert r.resolve(user, imp("@acme/kit/utils/strings")) == ("kit/src/utils/strings.ts", None, "js:self")
    assert r.resolve(user, imp("@acme/kit/utils/private/x")) == (None, None, "unresolved")  # null excludes
    assert r.resolve(user, imp("@acme/kit/not-exported")) == (None, None, "unresolved")
    assert r.resolve(user, imp("@acme/kit/legacy/old.js")) == ("kit/src/legacy/old.js", None, "js:self")
    assert r.resolve(user, imp("@acme/other")) == (None, "@acme/other", "external")


def test_custom_conditions_from_tsconfig() -> None:
    manifest = '{"name": "lib", "exports": {".": {"source": "./src/main.ts", "default": "./main.js"}}}'
    files = {"lib/package.json": manifest, "lib/src/main.ts": "", "lib/main.js": "", "lib/a.ts": ""}
    assert resolver(files).resolve("lib/a.ts", imp("lib")) == ("lib/main.js", None, "js:self")
    files["lib/tsconfig.json"] = '{"compilerOptions": {"customConditions": ["source"]}}'
    assert resolver(files).resolve("lib/a.ts", imp("lib")) == ("lib/src/main.ts", None, "js:self")


def test_imports_field_internal_specifiers() -> None:
    manifest = """{"name": "app", "imports": {
        "#config": {"node": "./src/config.node.ts", "default": "./src/config.ts"},
        "#lib/*": "./src/lib/*.js",
        "#dep": "left-pad"
    }}"""
    r = resolver(
        {"package.json": manifest, "src/config.node.ts": "", "src/lib/a.ts": "", "src/main.ts": "", "src/config.ts": ""}
    )
    assert r.resolve("src/main.ts", imp("#config")) == ("src/config.node.ts", None, "js:imports")
    assert r.resolve("src/main.ts", imp("#lib/a")) == ("src/lib/a.ts", None, "js:imports")
    assert r.resolve("src/main.ts", imp("#dep")) == (None, "left-pad", "external")
    assert r.resolve("src/main.ts", imp("#missing")) == (None, None, "unresolved")


def test_workspace_packages_resolve_to_their_sources() -> None:
    r = resolver(
        {
            "package.json": '{"private": true, "workspaces": ["packages/*"]}',
            "packages/core/package.json": '{"name": "@ws/core", "main": "dist/index.js", "types": "dist/index.d.ts"}',
            "packages/core/src/index.ts": "",
            "packages/core/src/extra.ts": "",
            "packages/web/package.json": '{"name": "@ws/web", "exports": {"./*": "./lib/*.js"}}',
            "packages/web/src/page.ts": "",
            "packages/web/src/use.ts": "",
            "examples/copy/package.json": '{"name": "@ws/core"}',
            "examples/copy/index.js": "",
        }
    )
    assert r.resolve("packages/web/src/use.ts", imp("@ws/core")) == ("packages/core/src/index.ts", None, "js:workspace")
    assert r.resolve("packages/web/src/use.ts", imp("@ws/core/dist/extra.js")) == (
        "packages/core/src/extra.ts",
        None,
        "js:workspace",
    )
    assert r.resolve("packages/core/src/index.ts", imp("@ws/web/page")) == (
        "packages/web/src/page.ts",
        None,
        "js:workspace",
    )


def test_pnpm_workspace_yaml() -> None:
    r = resolver(
        {
            "pnpm-workspace.yaml": "packages:\n  - 'libs/**'\n  - '!libs/ignored'\n",
            "libs/a/package.json": '{"name": "a", "module": "index.mjs"}',
            "libs/a/index.mjs": "",
            "b.js": "",
        }
    )
    assert r.resolve("b.js", imp("a")) == ("libs/a/index.mjs", None, "js:workspace")
