"""Thread's Dagster Definitions, in one place.

Resources are picked by environment, so the same code serves `dagster dev` (workspace.yaml),
the daemon and `thread index`:

- ``THREAD_REPO_ROOT``: the repository to index (default: the current directory);
- ``THREAD_REPO_NAME``: its name in the store (default: the directory's name);
- ``THREAD_STORE_URL``: the store (default ``sqlite:///<root>/.thread/index.db``; ``postgresql://...``
  for Postgres);
- ``THREAD_WORKERS``: analysis processes (default: every CPU);
- ``THREAD_ERROR_RATIO_THRESHOLD``: the parse-quality check's threshold (default 0.05);
- ``THREAD_INCLUDE`` / ``THREAD_EXCLUDE``: extra gitignore-style globs, comma-separated;
- ``THREAD_CACHE_DIR``: the content-addressed analysis cache and stat memo (default
  ``<root>/.thread/cache``; ``none`` disables them);
- ``THREAD_SENSOR_INTERVAL_S``: how often the file-change sensor ticks under the daemon (default 5).
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import Definitions

from resources.io_manager import StoreIOManager, StoreResource
from sensors.file_changes import file_change_sensor

from .assets import ALL_ASSETS, ALL_CHECKS, ThreadRepo
from .assets.repo import repo_name_for
from .update import update_jobs

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
    cache_dir: str = "",
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
        cache_dir=cache_dir,
    )
    return {
        "thread_repo": repo,
        "thread_store": StoreResource(url=url),
        "store_io_manager": StoreIOManager(url=url, repo=name),
    }


def build_definitions(root: str | Path, **options: object) -> Definitions:
    """Definitions for one repository (partition keys are bare paths; see partition_keys);
    ``options`` are :func:`build_resources`'s."""
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=update_jobs(),
        sensors=[file_change_sensor],
        resources=build_resources(root, **options),  # type: ignore[arg-type]
    )


def definitions_from_env() -> Definitions:
    root = os.environ.get("THREAD_REPO_ROOT") or os.getcwd()
    return build_definitions(
        root,
        store_url=os.environ.get("THREAD_STORE_URL") or None,
        repo_name=os.environ.get("THREAD_REPO_NAME") or None,
        workers=int(os.environ.get("THREAD_WORKERS", "0")),
        error_ratio_threshold=float(os.environ.get("THREAD_ERROR_RATIO_THRESHOLD", "0.05")),
        include=_globs("THREAD_INCLUDE"),
        exclude=_globs("THREAD_EXCLUDE"),
        cache_dir=os.environ.get("THREAD_CACHE_DIR", ""),
    )


def _globs(name: str) -> list[str]:
    """Globs from an environment variable, separated by commas or newlines."""
    raw = os.environ.get(name, "")
    return [g.strip() for g in raw.replace("\n", ",").split(",") if g.strip()]


defs = definitions_from_env()
