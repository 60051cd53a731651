"""Thread's Dagster Definitions, in one place.

Resources are picked by environment, so the same code serves `dagster dev` (workspace.yaml),
the daemon and `thread index`:

- ``THREAD_REPO_ROOT``: the repository to index (default: the current directory);
- ``THREAD_REPO_NAME``: its name in the store (default: the directory's name);
- ``THREAD_STORE_URL``: the store (default ``sqlite:///<root>/.thread/index.db``; ``postgresql://...``
  for Postgres);
- ``THREAD_WORKERS``: analysis processes (default: every CPU);
- ``THREAD_ERROR_RATIO_THRESHOLD``: the parse-quality check's threshold (default 0.05).
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import Definitions

from resources.io_manager import StoreIOManager, StoreResource

from .assets import ALL_ASSETS, ALL_CHECKS, ThreadRepo
from .assets.repo import repo_name_for

STORE_DIR = ".thread"


def default_store_url(root: str | Path) -> str:
    return f"sqlite:///{Path(root).expanduser().resolve() / STORE_DIR / 'index.db'}"


def build_resources(
    root: str | Path,
    *,
    store_url: str | None = None,
    repo_name: str | None = None,
    workers: int = 0,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    error_ratio_threshold: float = 0.05,
) -> dict[str, object]:
    """The resources every Thread asset needs, for one repository."""
    root_path = Path(root).expanduser().resolve()
    url = store_url or default_store_url(root_path)
    name = repo_name or repo_name_for(root_path)
    repo = ThreadRepo(
        root=str(root_path),
        name=name,
        workers=workers,
        include=list(include or ()),
        exclude=list(exclude or ()),
        error_ratio_threshold=error_ratio_threshold,
    )
    return {
        "thread_repo": repo,
        "thread_store": StoreResource(url=url),
        "store_io_manager": StoreIOManager(url=url, repo=name),
    }


def build_definitions(root: str | Path, **options: object) -> Definitions:
    """Definitions for one repository (partition keys are bare paths; see partition_keys);
    ``options`` are :func:`build_resources`'s."""
    return Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS, resources=build_resources(root, **options))  # type: ignore[arg-type]


def definitions_from_env() -> Definitions:
    root = os.environ.get("THREAD_REPO_ROOT") or os.getcwd()
    return build_definitions(
        root,
        store_url=os.environ.get("THREAD_STORE_URL") or None,
        repo_name=os.environ.get("THREAD_REPO_NAME") or None,
        workers=int(os.environ.get("THREAD_WORKERS", "0")),
        error_ratio_threshold=float(os.environ.get("THREAD_ERROR_RATIO_THRESHOLD", "0.05")),
    )


defs = definitions_from_env()
