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


def our_edges(
    parent: Path, package: str, layout: str = "root", exclude_type_only: bool = False
) -> tuple[set[Edge], Counter[str]]:
    """Edges from our engine, plus a tally of how each import was resolved. ``layout`` is where
    the index is rooted: ``root``, the directory holding the package (a checkout), or
    ``package``, the package directory itself (``thread index site-packages/<package>``).
    ``exclude_type_only`` leaves out imports flagged ``type_only`` (``if TYPE_CHECKING:``), as
    grimp's ``exclude_type_checking_imports`` does."""
    top = parent / package if layout == "package" else parent
    files = sorted(p for p in (parent / package).rglob("*.py") if p.is_file())
    analyses = []
    for path in files:
        rel = path.relative_to(top).as_posix()
        analyses.append(analyze(rel, path.read_bytes(), "python"))
    ctx = RepoContext(files=frozenset(a.path for a in analyses), root_name=top.name)
    prefix = f"{package}/" if layout == "package" else ""
    edges: set[Edge] = set()
    how: Counter[str] = Counter()
    by_path = {a.path: a for a in analyses}
    for res in resolve_imports(analyses, ctx):
        how[res.how] += 1
        if res.target is None or (exclude_type_only and by_path[res.importer].imports[res.index].type_only):
            continue
        importer, imported = module_name(prefix + res.importer), module_name(prefix + res.target)
        if importer != imported and _internal(imported, package):
            edges.add((importer, imported))
    return edges, how
