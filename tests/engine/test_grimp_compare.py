"""Our module import graph against grimp's on a small package built to hold every tricky form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.grimp_edges import grimp_edges, our_edges

pytest.importorskip("grimp")

PACKAGE = "thread_grimp_probe"
SOURCES = {
    "__init__.py": "from .core import Engine\nfrom . import util\n__all__ = ['Engine']\n",
    "core.py": (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from thread_grimp_probe import util\n"
        "from thread_grimp_probe.sub import helper_function\n"
        "if TYPE_CHECKING:\n"
        "    from .sub.typing_only import Model\n"
        "class Engine:\n"
        "    def run(self):\n"
        "        from .sub import deep\n"
        "        return deep\n"
    ),
    "json.py": "X = 1\n",  # shadows the standard library's name only for ``from . import json``
    "util.py": (
        "import os\nimport json\nimport thread_grimp_probe.sub.deep as d\n"
        "try:\n    from . import optional\nexcept ImportError:\n    optional = None\n"
    ),
    "optional.py": "from .sub.deep import *\n",
    "sub/__init__.py": "def helper_function():\n    pass\nfrom ..util import os\n",
    "sub/deep.py": "from .. import core\nfrom ...outside import nothing\n",
    "sub/typing_only.py": "class Model: pass\n",
    "nspkg/leaf.py": "from thread_grimp_probe.sub import deep\n",
}


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The package's parent directory, importable while the module's tests run (grimp imports it)."""
    parent = tmp_path_factory.mktemp("grimp")
    for rel, text in SOURCES.items():
        path = parent / PACKAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(parent))
        yield parent


# grimp only walks directories with ``__init__.py``; Python 3 imports ``pkg.nspkg.leaf`` all the same.
NAMESPACE_EDGE = (f"{PACKAGE}.nspkg.leaf", f"{PACKAGE}.sub.deep")
TYPE_CHECKING_EDGE = (f"{PACKAGE}.core", f"{PACKAGE}.sub.typing_only")


def test_same_edges_as_grimp_except_modules_grimp_does_not_see(probe: Path) -> None:
    ours, how = our_edges(probe, PACKAGE)
    theirs = grimp_edges(probe, PACKAGE, exclude_type_checking=False)
    assert theirs - ours == set()
    assert ours - theirs == {NAMESPACE_EDGE}
    assert TYPE_CHECKING_EDGE in ours
    assert (f"{PACKAGE}.core", f"{PACKAGE}.sub.deep") in ours  # a function-level import counts
    assert (f"{PACKAGE}.core", f"{PACKAGE}.util") in ours  # `from pkg import submodule` is an edge to the submodule
    assert how["unresolved"] == 1  # `from ...outside` climbs out of the package


def test_type_checking_imports_are_the_only_difference_when_grimp_excludes_them(probe: Path) -> None:
    ours, _ = our_edges(probe, PACKAGE)
    theirs = grimp_edges(probe, PACKAGE, exclude_type_checking=True)
    assert ours - theirs == {NAMESPACE_EDGE, TYPE_CHECKING_EDGE}
    assert theirs <= ours
    # the type_only flag marks exactly what grimp leaves out
    flagged, _ = our_edges(probe, PACKAGE, exclude_type_only=True)
    assert flagged - theirs == {NAMESPACE_EDGE}


def test_indexing_the_package_directory_itself_gives_the_same_graph(probe: Path) -> None:
    """``thread index .../site-packages/pkg``: modules are named after the root directory, and
    ``import os`` inside the package stays the standard library's."""
    root_layout, _ = our_edges(probe, PACKAGE, layout="root")
    package_layout, how = our_edges(probe, PACKAGE, layout="package")
    assert package_layout == root_layout
    assert how["unresolved"] == 1
