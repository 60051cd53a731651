"""The repository's own npm packages, as Node and TypeScript find them: ``package.json``
``exports`` (subpaths, ``*`` patterns, nested conditions), ``imports`` (``#internal``
specifiers), self-reference by package name, and workspace packages (npm/yarn ``workspaces``,
``pnpm-workspace.yaml``) imported by name from another package of the repository.

Conditions: an ``exports``/``imports`` object is read in its own key order and the first key that
is an active condition wins (Node's rule). Active by default: ``types``, ``import``, ``require``,
``module``, ``node``, ``development``, ``default`` (what TypeScript's ``bundler`` resolution and
dependency-cruiser both honour, plus the bundlers' ``module`` and the dev-time ``development``
that monorepos point at their sources); the nearest tsconfig's ``compilerOptions.customConditions``
adds more, as it does for TypeScript.

A target that is a build output missing from the repository (``./dist/index.js``) is mapped back to
its source: through the package's tsconfig ``outDir`` -> ``rootDir`` when declared, else by trying
``src/`` in place of a leading ``dist/``, ``lib/``, ``build/``, ``out/``, ``esm/`` or ``cjs/``.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterable

import yaml

DEFAULT_CONDITIONS = ("types", "import", "require", "module", "node", "development", "default")
_OUTPUT_DIRS = ("dist", "lib", "build", "out", "esm", "cjs")


class Manifest:
    """One ``package.json`` of the repository."""

    __slots__ = ("directory", "exports", "imports", "name", "path")

    def __init__(self, path: str, data: dict[str, object]) -> None:
        self.path = path
        self.directory = posixpath.dirname(path)
        name = data.get("name")
        self.name = name if isinstance(name, str) and name else None
        self.exports = data.get("exports")
        self.imports = data.get("imports")


def _targets(value: object, captured: str, conditions: frozenset[str]) -> list[str]:
    """Candidate targets of one exports/imports value, in the order Node tries them."""
    if isinstance(value, str):
        return [value.replace("*", captured)]
    if isinstance(value, list):
        return [t for v in value for t in _targets(v, captured, conditions)]
    if isinstance(value, dict):
        for key, sub in value.items():
            if key in conditions:
                found = _targets(sub, captured, conditions)
                if found:
                    return found
    return []  # null, or no active condition: excluded


def _subpath_map(exports: object) -> dict[str, object]:
    """``exports`` as ``{"./subpath": value}``: a string, array or conditions object is ``"."``."""
    if isinstance(exports, dict) and exports and all(isinstance(k, str) and k.startswith(".") for k in exports):
        return exports
    return {".": exports}


def match_map(mapping: dict[str, object], key: str, conditions: frozenset[str]) -> list[str] | None:
    """Targets for ``key`` (``./sub/path`` or ``#internal``) in an exports/imports map, or None when
    no entry matches: an exact key first, then the ``*`` pattern with the longest prefix, then a
    legacy folder mapping (a key ending in ``/``)."""
    if key in mapping and "*" not in key:
        return _targets(mapping[key], "", conditions)
    best: tuple[int, str, str] | None = None
    for pattern in mapping:
        star = pattern.find("*")
        if star < 0:
            continue
        prefix, suffix = pattern[:star], pattern[star + 1 :]
        if key.startswith(prefix) and key.endswith(suffix) and len(key) >= len(pattern) - 1:
            if best is None or len(prefix) > best[0]:
                best = (len(prefix), pattern, key[len(prefix) : len(key) - len(suffix)])
    if best is not None:
        return _targets(mapping[best[1]], best[2], conditions)
    folders = [p for p in mapping if p.endswith("/") and key.startswith(p)]
    if folders:
        folder = max(folders, key=len)
        return [t + key[len(folder) :] for t in _targets(mapping[folder], "", conditions)]
    return None


def exports_targets(manifest: Manifest, subpath: str, conditions: frozenset[str]) -> list[str] | None:
    """Targets (relative to the package directory) of ``subpath`` (``"."`` or ``"./x"``)."""
    if manifest.exports is None:
        return None
    return match_map(_subpath_map(manifest.exports), subpath, conditions)


def imports_targets(manifest: Manifest, specifier: str, conditions: frozenset[str]) -> list[str] | None:
    if not isinstance(manifest.imports, dict):
        return None
    return match_map(manifest.imports, specifier, conditions)


def workspace_patterns(root_manifest: dict[str, object] | None, pnpm_yaml: bytes | None) -> list[str]:
    """Directory globs of the workspace members: ``workspaces`` (an array, or yarn's
    ``{"packages": [...]}``) and pnpm-workspace.yaml's ``packages`` (``!`` exclusions dropped)."""
    patterns: list[str] = []
    workspaces = (root_manifest or {}).get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        patterns += [w for w in workspaces if isinstance(w, str)]
    if pnpm_yaml is not None:
        try:
            data = yaml.safe_load(pnpm_yaml)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("packages"), list):
            patterns += [p for p in data["packages"] if isinstance(p, str)]
    return [p.strip().removeprefix("./").rstrip("/") for p in patterns if not p.startswith("!")]


def in_workspace(directory: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if fnmatch.fnmatchcase(directory, pattern) or (
            pattern.endswith("/**") and (directory + "/").startswith(pattern[:-2])
        ):
            return True
    return False


def source_candidates(target: str, out_to_root: Callable[[str], str | None]) -> list[str]:
    """Where the source of a missing build output may be (repo-relative, extension kept)."""
    out: list[str] = []
    mapped = out_to_root(target)
    if mapped is not None:
        out.append(mapped)
    parts = target.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in _OUTPUT_DIRS:
            out.append("/".join([*parts[:i], "src", *parts[i + 1 :]]))
            out.append("/".join([*parts[:i], *parts[i + 1 :]]))
            break
    for candidate in list(out):
        for declaration in (".d.ts", ".d.mts", ".d.cts"):
            if candidate.endswith(declaration):
                out.append(candidate[: -len(declaration)])  # probed with every source extension
    return out
