"""Import resolution for JavaScript, TypeScript and TSX.

Order, as TypeScript's ``bundler``/``node16`` resolution does it: relative specifiers against the
importer's directory; ``#internal`` specifiers through the ``imports`` field of the importer's
``package.json``; then the nearest ``tsconfig.json`` (or ``jsconfig.json``) above the importer:
``compilerOptions.paths`` patterns, then ``baseUrl``; then the repository's own packages by name
(self-reference and workspace packages, through their ``exports``, see ``js_packages.py``);
anything else is an external package (``node:`` builtins included). A candidate path is tried as
written, with the TS-for-JS extension swap (``./x.js`` written in TS source names ``./x.ts``), with
each known extension appended, and as a directory (``package.json`` ``types``/``main``, then
``index.*``).
"""

from __future__ import annotations

import json
import posixpath
import re

from ..model import Import
from .base import RepoContext
from .js_packages import (
    DEFAULT_CONDITIONS,
    Manifest,
    exports_targets,
    imports_targets,
    in_workspace,
    source_candidates,
    workspace_patterns,
)

EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_TS_FOR_JS = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx",),
    ".mjs": (".mts", ".d.mts"),
    ".cjs": (".cts", ".d.cts"),
}
_CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_MAX_EXTENDS = 8


def strip_json_comments(text: str) -> str:
    """tsconfig files are JSON with comments and trailing commas: drop both, leaving strings intact."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def package_name(specifier: str) -> str:
    """``@scope/name/sub`` -> ``@scope/name``; ``lodash/fp`` -> ``lodash``; ``node:fs/promises`` -> ``fs``."""
    spec = specifier.removeprefix("node:")
    parts = spec.split("/")
    if spec.startswith("@") and len(parts) > 1:
        return "/".join(parts[:2])
    return parts[0]


class _Config:
    __slots__ = ("base_url", "conditions", "out_dir", "paths", "paths_base", "root_dir")

    def __init__(self, base_url: str | None, paths: list[tuple[str, list[str]]], paths_base: str) -> None:
        self.base_url = base_url
        """Repo-relative directory, or None."""
        self.paths = paths
        """(pattern, targets) longest prefix first, as TypeScript picks the most specific."""
        self.paths_base = paths_base
        self.conditions: frozenset[str] = frozenset(DEFAULT_CONDITIONS)
        """Active export conditions: the defaults plus ``customConditions``."""
        self.out_dir: str | None = None
        self.root_dir: str | None = None
        """``outDir`` and ``rootDir`` (repo-relative): a build output maps back to its source."""


class JavaScriptResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.files = ctx.files
        self.read = ctx.read
        self.config_files = {p for p in ctx.files if posixpath.basename(p) in _CONFIG_NAMES}
        self._nearest: dict[str, str | None] = {}
        self._configs: dict[str, _Config | None] = {}
        self.manifests: dict[str, Manifest] = {}
        for path in sorted(ctx.files):
            if posixpath.basename(path) == "package.json" and "node_modules/" not in f"/{path}":
                data = self._read_json(path)
                if data is not None:
                    self.manifests[posixpath.dirname(path)] = Manifest(path, data)
        root = self.manifests.get("")
        pnpm = ctx.read("pnpm-workspace.yaml") if "pnpm-workspace.yaml" in ctx.files else None
        patterns = workspace_patterns(self._read_json("package.json") if root else None, pnpm)
        self.packages: dict[str, Manifest] = {}
        """Package name -> its manifest: a declared workspace member first, then the shallowest."""
        ranked = sorted(
            self.manifests.values(),
            key=lambda m: (not in_workspace(m.directory, patterns), m.directory.count("/"), m.directory),
        )
        for m in ranked:
            if m.name is not None:
                self.packages.setdefault(m.name, m)
        self._scope: dict[str, Manifest | None] = {}

    def resolve(self, importer: str, imp: Import) -> tuple[str | None, str | None, str]:
        spec = imp.module.split("?", 1)[0]
        if not spec:
            return None, None, "unresolved"
        if spec.startswith("node:"):
            return None, package_name(spec), "external"
        importer_dir = posixpath.dirname(importer)
        if spec.startswith(("./", "../")) or spec in (".", ".."):
            base = posixpath.normpath(posixpath.join(importer_dir, spec))
            found = self._probe(base)
            return (found[0], None, f"js:{found[1]}") if found else (None, None, "unresolved")
        if spec.startswith("/"):
            found = self._probe(posixpath.normpath(spec.lstrip("/")))
            return (found[0], None, f"js:{found[1]}") if found else (None, None, "unresolved")
        config = self._config_for(importer_dir)
        conditions = config.conditions if config is not None else frozenset(DEFAULT_CONDITIONS)
        if spec.startswith("#"):
            return self._internal(importer_dir, spec, conditions)
        if config is not None:
            hit = self._via_config(config, spec)
            if hit is not None:
                return hit
        if re.match(r"^[a-zA-Z][a-zA-Z+.-]*:", spec):  # https:, data:, virtual: and other schemes
            return None, None, "unresolved"
        return self._package(importer_dir, spec, conditions)

    # -- the repository's packages ----------------------------------------------------------------

    def _scope_of(self, directory: str) -> Manifest | None:
        """The nearest package.json at or above ``directory``: the package the importer is in."""
        if directory not in self._scope:
            d, found = directory, None
            while True:
                found = self.manifests.get(d)
                if found is not None or not d:
                    break
                d = posixpath.dirname(d)
            self._scope[directory] = found
        return self._scope[directory]

    def _internal(self, importer_dir: str, spec: str, conditions: frozenset[str]) -> tuple[str | None, str | None, str]:
        scope = self._scope_of(importer_dir)
        targets = imports_targets(scope, spec, conditions) if scope is not None else None
        if scope is None or not targets:
            return None, None, "unresolved"
        for target in targets:
            if not target.startswith("./"):  # "#dep": "some-package": a bare specifier
                return self._package(scope.directory, target, conditions)
            found = self._output_or_source(posixpath.normpath(posixpath.join(scope.directory, target)))
            if found is not None:
                return found, None, "js:imports"
        return None, None, "unresolved"

    def _package(self, importer_dir: str, spec: str, conditions: frozenset[str]) -> tuple[str | None, str | None, str]:
        name = package_name(spec)
        manifest = self.packages.get(name)
        scope = self._scope_of(importer_dir)
        if scope is not None and scope.name == name and scope.exports is not None:
            manifest = scope  # self-reference: the importer's own package, even if a namesake exists
        if manifest is None or not spec.startswith(name):
            return None, name, "external"
        how = "js:self" if manifest is scope else "js:workspace"
        rest = spec[len(name) :].lstrip("/")
        if manifest.exports is not None:
            targets = exports_targets(manifest, f"./{rest}" if rest else ".", conditions)
            for target in targets or ():
                if target.startswith("./"):
                    found = self._output_or_source(posixpath.normpath(posixpath.join(manifest.directory, target)))
                    if found is not None:
                        return found, None, how
            return None, None, "unresolved"  # not exported (Node: ERR_PACKAGE_PATH_NOT_EXPORTED)
        hit = self._probe(posixpath.join(manifest.directory, rest) if rest else manifest.directory)
        if hit is None and rest:
            hit = next(
                filter(None, map(self._probe, source_candidates(posixpath.join(manifest.directory, rest), _none))), None
            )
        return (hit[0], None, how) if hit else (None, None, "unresolved")

    def _output_or_source(self, path: str) -> str | None:
        """An exports/imports target: the file itself (or its TypeScript source beside it), else,
        when it is a build output the repository does not hold, its source."""
        found = self._probe(path, follow_manifest=False)
        if found is not None:
            return found[0]
        config = self._config_for(posixpath.dirname(path))

        def out_to_root(target: str) -> str | None:
            if config is None or config.out_dir is None:
                return None
            out_dir, root_dir = config.out_dir, config.root_dir or posixpath.dirname(config.out_dir)
            if not target.startswith(out_dir + "/"):
                return None
            return posixpath.normpath(posixpath.join(root_dir, target[len(out_dir) + 1 :]))

        for candidate in source_candidates(path, out_to_root):
            found = self._probe(candidate, follow_manifest=False)
            if found is not None:
                return found[0]
        return None

    # -- tsconfig ---------------------------------------------------------------------------------

    def _via_config(self, config: _Config, spec: str) -> tuple[str | None, str | None, str] | None:
        for pattern, targets in config.paths:
            star = pattern.find("*")
            if star < 0:
                if spec != pattern:
                    continue
                captured = ""
            else:
                prefix, suffix = pattern[:star], pattern[star + 1 :]
                if not (spec.startswith(prefix) and spec.endswith(suffix) and len(spec) >= len(prefix) + len(suffix)):
                    continue
                captured = spec[len(prefix) : len(spec) - len(suffix)]
            for target in targets:
                candidate = posixpath.normpath(posixpath.join(config.paths_base, target.replace("*", captured)))
                found = self._probe(candidate)
                if found:
                    return found[0], None, "ts:paths"
        if config.base_url is not None:
            found = self._probe(posixpath.normpath(posixpath.join(config.base_url, spec)))
            if found:
                return found[0], None, "ts:baseUrl"
        return None

    def _config_for(self, directory: str) -> _Config | None:
        if directory in self._nearest:
            path = self._nearest[directory]
        else:
            path = None
            d = directory
            while True:
                for name in _CONFIG_NAMES:
                    candidate = posixpath.join(d, name) if d else name
                    if candidate in self.config_files:
                        path = candidate
                        break
                if path is not None or not d:
                    break
                d = posixpath.dirname(d)
            self._nearest[directory] = path
        return None if path is None else self._load(path)

    def _load(self, path: str) -> _Config | None:
        if path in self._configs:
            return self._configs[path]
        self._configs[path] = None  # guards against `extends` cycles
        options: dict[str, tuple[object, str]] = {}
        chain: list[str] = []
        current: str | None = path
        while current is not None and current not in chain and len(chain) < _MAX_EXTENDS:
            chain.append(current)
            data = self._read_json(current)
            if data is None:
                break
            compiler = data.get("compilerOptions")
            if isinstance(compiler, dict):
                for key in ("baseUrl", "paths", "outDir", "rootDir", "customConditions"):
                    if key in compiler and key not in options:
                        options[key] = (compiler[key], posixpath.dirname(current))
            current = self._extends_target(current, data.get("extends"))
        base_url: str | None = None
        if "baseUrl" in options and isinstance(options["baseUrl"][0], str):
            value, where = options["baseUrl"]
            base_url = posixpath.normpath(posixpath.join(where, str(value)))
            base_url = "" if base_url == "." else base_url
        paths: list[tuple[str, list[str]]] = []
        paths_base = base_url if base_url is not None else posixpath.dirname(path)
        if "paths" in options and isinstance(options["paths"][0], dict):
            raw, where = options["paths"]
            if base_url is None:
                paths_base = where
            for pattern, targets in raw.items():  # type: ignore[attr-defined]
                if isinstance(pattern, str) and isinstance(targets, list):
                    paths.append((pattern, [t for t in targets if isinstance(t, str)]))
            paths.sort(key=lambda pt: (-len(pt[0].split("*", 1)[0]), pt[0]))
        config = _Config(base_url, paths, paths_base)
        for key in ("outDir", "rootDir"):
            if key in options and isinstance(options[key][0], str):
                value, where = options[key]
                resolved = posixpath.normpath(posixpath.join(where, str(value)))
                setattr(config, "out_dir" if key == "outDir" else "root_dir", "" if resolved == "." else resolved)
        custom = options.get("customConditions", ([], ""))[0]
        if isinstance(custom, list):
            config.conditions = config.conditions | {c for c in custom if isinstance(c, str)}
        self._configs[path] = config
        return config

    def _extends_target(self, current: str, extends: object) -> str | None:
        if isinstance(extends, list):
            extends = extends[0] if extends else None
        if not isinstance(extends, str) or not extends.startswith("."):
            return None  # a package's tsconfig (``@tsconfig/node20``) lives outside the repository
        target = posixpath.normpath(posixpath.join(posixpath.dirname(current), extends))
        return target if target.endswith(".json") else target + ".json"

    def _read_json(self, path: str) -> dict[str, object] | None:
        raw = self.read(path)
        if raw is None:
            return None
        try:
            data = json.loads(strip_json_comments(raw.decode("utf-8-sig", "replace")))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    # -- files ------------------------------------------------------------------------------------

    def _probe(self, base: str, follow_manifest: bool = True) -> tuple[str, str] | None:
        """The file ``base`` names, and which rule found it (``relative`` or ``index``)."""
        files = self.files
        if base in ("", "."):
            base = ""
        if base in files:
            return base, "relative"
        stem, ext = posixpath.splitext(base)
        for replacement in _TS_FOR_JS.get(ext, ()):
            if stem + replacement in files:
                return stem + replacement, "relative"
        for ext in EXTENSIONS:
            if base + ext in files:
                return base + ext, "relative"
        prefix = base + "/" if base else ""
        manifest = prefix + "package.json"
        if follow_manifest and manifest in files:
            entry = self._package_entry(manifest)
            if entry is not None:
                target = self._output_or_source(posixpath.normpath(prefix + entry))
                if target is not None:
                    return target, "index"
        for ext in EXTENSIONS:
            if prefix + "index" + ext in files:
                return prefix + "index" + ext, "index"
        return None

    def _package_entry(self, manifest: str) -> str | None:
        data = self._read_json(manifest)
        if data is None:
            return None
        for key in ("types", "typings", "module", "main"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return value
        return None


def _none(_path: str) -> str | None:
    return None


def make_resolver(ctx: RepoContext) -> JavaScriptResolver:
    return JavaScriptResolver(ctx)
