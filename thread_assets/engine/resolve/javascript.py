"""Import resolution for JavaScript, TypeScript and TSX.

Order, as TypeScript's ``bundler``/``node16`` resolution does it: relative specifiers against the
importer's directory; then the nearest ``tsconfig.json`` (or ``jsconfig.json``) above the importer:
``compilerOptions.paths`` patterns, then ``baseUrl``; anything else is an external package (``node:``
builtins included). A candidate path is tried as written, with the TS-for-JS extension swap
(``./x.js`` written in TS source names ``./x.ts``), with each known extension appended, and as a
directory (``package.json`` ``types``/``main``, then ``index.*``).
"""

from __future__ import annotations

import json
import posixpath
import re

from ..model import Import
from .base import RepoContext

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
    __slots__ = ("base_url", "paths", "paths_base")

    def __init__(self, base_url: str | None, paths: list[tuple[str, list[str]]], paths_base: str) -> None:
        self.base_url = base_url
        """Repo-relative directory, or None."""
        self.paths = paths
        """(pattern, targets) longest prefix first, as TypeScript picks the most specific."""
        self.paths_base = paths_base


class JavaScriptResolver:
    def __init__(self, ctx: RepoContext) -> None:
        self.files = ctx.files
        self.read = ctx.read
        self.config_files = {p for p in ctx.files if posixpath.basename(p) in _CONFIG_NAMES}
        self._nearest: dict[str, str | None] = {}
        self._configs: dict[str, _Config | None] = {}

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
        if config is not None:
            hit = self._via_config(config, spec)
            if hit is not None:
                return hit
        if re.match(r"^[a-zA-Z][a-zA-Z+.-]*:", spec):  # https:, data:, virtual: and other schemes
            return None, None, "unresolved"
        return None, package_name(spec), "external"

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
                for key in ("baseUrl", "paths"):
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
                found = self._probe(posixpath.normpath(prefix + entry), follow_manifest=False)
                if found:
                    return found[0], "index"
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


def make_resolver(ctx: RepoContext) -> JavaScriptResolver:
    return JavaScriptResolver(ctx)
