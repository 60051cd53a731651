"""Source roots a Python project declares: the directories its build backend or test runner puts
on ``sys.path``, read from every ``pyproject.toml`` and ``setup.cfg`` of the repository.

A declared root is relative to the directory of the file that declares it. Read keys:

- setuptools: ``[tool.setuptools.packages.find] where``, ``[tool.setuptools] package-dir``'s
  ``""`` entry; setup.cfg ``[options] package_dir``'s ``=dir`` line and ``[options.packages.find]
  where`` (a mapping for one named package is not a root and is left out);
- poetry: ``[tool.poetry] packages = [{include, from}]``; pdm: ``[tool.pdm.build] package-dir``;
- hatch: ``[tool.hatch.build.targets.wheel] packages`` (the parent of each listed package) and
  ``sources`` (its keys);
- pytest: ``[tool.pytest.ini_options] pythonpath``; mypy: ``[tool.mypy] mypy_path``.
"""

from __future__ import annotations

import configparser
import posixpath
import tomllib
from collections.abc import Callable, Iterable

CONFIG_NAMES = ("pyproject.toml", "setup.cfg")


def declared_roots(files: Iterable[str], read: Callable[[str], bytes | None]) -> set[str]:
    """Repo-relative root directories (``""`` for the repository root) declared by the
    configuration files among ``files``; paths that climb out of the repository are dropped."""
    roots: set[str] = set()
    for path in sorted(files):
        name = posixpath.basename(path)
        if name not in CONFIG_NAMES:
            continue
        raw = read(path)
        if raw is None:
            continue
        text = raw.decode("utf-8", "replace")
        found = _pyproject(text) if name == "pyproject.toml" else _setup_cfg(text)
        base = posixpath.dirname(path)
        for entry in found:
            root = posixpath.normpath(posixpath.join(base, entry.strip().rstrip("/")))
            if root == ".":
                root = ""
            if not root.startswith("../") and root != ".." and not posixpath.isabs(root):
                roots.add(root)
    return roots


def _table(data: object, *keys: str) -> dict[str, object]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _pyproject(text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    tool = _table(data, "tool")
    out = _strings(_table(tool, "setuptools", "packages", "find").get("where"))
    out += _strings(_table(tool, "setuptools", "package-dir").get(""))
    packages = _table(tool, "poetry").get("packages")
    for entry in packages if isinstance(packages, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("from"), str):
            out.append(entry["from"])
    out += _strings(_table(tool, "pdm", "build").get("package-dir"))
    wheel = _table(tool, "hatch", "build", "targets", "wheel")
    out += [posixpath.dirname(p.rstrip("/")) or "." for p in _strings(wheel.get("packages"))]
    sources = wheel.get("sources")
    out += [k for k in sources if isinstance(k, str) and k] if isinstance(sources, dict) else []
    out += _strings(_table(tool, "pytest", "ini_options").get("pythonpath"))
    mypy_path = _table(tool, "mypy").get("mypy_path")
    out += [p for v in _strings(mypy_path) for p in v.replace(",", ":").split(":") if p and "$" not in p]
    return out


def _setup_cfg(text: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    out: list[str] = []
    if parser.has_option("options", "package_dir"):
        for line in parser.get("options", "package_dir").replace(";", "\n").splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.strip() and value.strip():
                out.append(value.strip())
    if parser.has_option("options.packages.find", "where"):
        out += parser.get("options.packages.find", "where").split()
    return out
