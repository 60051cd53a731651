"""The module import graph of a Python package two ways, reduced to comparable sets of direct
module-level edges internal to the package: grimp's (the graph behind import-linter) and Thread's
engine's (``analyze`` + ``resolve_imports``). ``python -m bench.grimp_compare`` compares them on
Django; tests/engine/test_grimp_compare.py on a package built to hold every tricky form."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from thread_assets.engine import analyze
from thread_assets.engine.resolve import RepoContext, resolve_imports

Edge = tuple[str, str]


def module_name(rel_path: str) -> str:
    parts = rel_path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def grimp_edges(parent: Path, package: str, exclude_type_checking: bool) -> set[Edge]:
    """grimp's edges; ``package`` must be importable from ``parent`` (the caller puts it on the path)."""
    import grimp

    graph = grimp.build_graph(package, exclude_type_checking_imports=exclude_type_checking, cache_dir=None)
    edges: set[Edge] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if importer != imported and _internal(imported, package):
                edges.add((importer, imported))
    return edges


def _internal(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def our_edges(parent: Path, package: str) -> tuple[set[Edge], Counter[str]]:
    """Edges from our engine, plus a tally of how each import was resolved."""
    files = sorted(p for p in (parent / package).rglob("*.py") if p.is_file())
    analyses = []
    for path in files:
        rel = path.relative_to(parent).as_posix()
        analyses.append(analyze(rel, path.read_bytes(), "python"))
    ctx = RepoContext(files=frozenset(a.path for a in analyses))
    edges: set[Edge] = set()
    how: Counter[str] = Counter()
    for res in resolve_imports(analyses, ctx):
        how[res.how] += 1
        if res.target is None:
            continue
        importer, imported = module_name(res.importer), module_name(res.target)
        if importer != imported and _internal(imported, package):
            edges.add((importer, imported))
    return edges, how
