"""Thread's Dagster Definitions, in one place.

Resources are picked by environment, so the same code serves `dagster dev` (workspace.yaml),
the daemon and `thread index`:

- ``THREAD_REPO_ROOT``: the repository to index (default: the current directory);
- ``THREAD_REPO_NAME``: its name in the store (default: the directory's name);
- ``THREAD_REPO_ROOTS``: instead, several repositories (separated by ``os.pathsep``, ``:`` on
  POSIX), each with its own prefixed assets, partitions, jobs and sensor
  (:mod:`thread_assets.assets.scope`), all in one store unless each uses its default;
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
from sensors.file_changes import build_file_change_sensor

from .assets import ThreadRepo, build_assets
from .assets.repo import repo_name_for
from .assets.scope import SINGLE, Scope, dagster_name
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
    scope: Scope = SINGLE,
) -> dict[str, object]:
    """The resources every Thread asset of ``scope`` needs, for one repository."""
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
    if scope.repo is not None and scope.repo != name:
        raise ValueError(f"scope of repository {scope.repo!r} given the resources of {name!r}")
    return {
        scope.repo_key: repo,
        scope.store_key: StoreResource(url=url),
        scope.io_manager_key: StoreIOManager(url=url, repo=name),
    }


def build_definitions(root: str | Path, **options: object) -> Definitions:
    """Definitions for one repository (partition keys are bare paths; see partition_keys);
    ``options`` are :func:`build_resources`'s."""
    return build_multi_definitions([root], single=True, **options)


def build_multi_definitions(roots: list[str | Path], *, single: bool = False, **options: object) -> Definitions:
    """Definitions for several repositories, one :class:`Scope` each (named after the
    repository: the directory's name). ``options`` are :func:`build_resources`'s, shared (one store
    for all of them when ``store_url`` is given, else each repository's default store)."""
    if not roots:
        raise ValueError("no repository root given")
    if single and len(roots) != 1:
        raise ValueError("the single-repository layout takes exactly one root")
    named = options.pop("repo_name", None)
    if named and not single:
        raise ValueError("repository names come from the directories when several are indexed")
    assets: list[object] = []
    checks: list[object] = []
    jobs: list[object] = []
    sensors: list[object] = []
    resources: dict[str, object] = {}
    seen: dict[str, str] = {}
    for raw in roots:
        root = Path(raw).expanduser().resolve()
        if not root.is_dir():
            raise ValueError(f"repository root {str(raw)!r} is not a directory")
        name = str(named) if named else repo_name_for(root)
        scope = SINGLE if single else Scope(name)
        slug = dagster_name(name)
        if slug in seen:
            raise ValueError(
                f"repositories {seen[slug]} and {root} would share the name {slug!r} in Dagster: "
                "give them directories with different names"
            )
        seen[slug] = str(root)
        scoped_assets, scoped_checks = build_assets(scope)
        assets += scoped_assets
        checks += scoped_checks
        jobs += update_jobs(scope)
        sensors.append(build_file_change_sensor(scope))
        scoped = dict(options)
        cache_dir = str(scoped.get("cache_dir") or "")
        if not single and cache_dir and cache_dir.lower() != "none":
            scoped["cache_dir"] = str(Path(cache_dir).expanduser() / slug)  # one stat memo per repository
        resources |= build_resources(root, repo_name=name, scope=scope, **scoped)  # type: ignore[arg-type]
    return Definitions(
        assets=assets,  # type: ignore[arg-type]
        asset_checks=checks,  # type: ignore[arg-type]
        jobs=jobs,  # type: ignore[arg-type]
        sensors=sensors,  # type: ignore[arg-type]
        resources=resources,  # type: ignore[arg-type]
    )


def definitions_from_env() -> Definitions:
    options: dict[str, object] = {
        "store_url": os.environ.get("THREAD_STORE_URL") or None,
        "workers": int(os.environ.get("THREAD_WORKERS", "0")),
        "error_ratio_threshold": float(os.environ.get("THREAD_ERROR_RATIO_THRESHOLD", "0.05")),
        "include": _globs("THREAD_INCLUDE"),
        "exclude": _globs("THREAD_EXCLUDE"),
        "cache_dir": os.environ.get("THREAD_CACHE_DIR", ""),
    }
    several = [r for r in os.environ.get("THREAD_REPO_ROOTS", "").split(os.pathsep) if r.strip()]
    if several:
        if os.environ.get("THREAD_REPO_ROOT") or os.environ.get("THREAD_REPO_NAME"):
            raise ValueError("set THREAD_REPO_ROOTS or THREAD_REPO_ROOT (and THREAD_REPO_NAME), not both")
        return build_multi_definitions([r.strip() for r in several], **options)  # type: ignore[arg-type]
    root = os.environ.get("THREAD_REPO_ROOT") or os.getcwd()
    return build_definitions(root, repo_name=os.environ.get("THREAD_REPO_NAME") or None, **options)


def _globs(name: str) -> list[str]:
    """Globs from an environment variable, separated by commas or newlines."""
    raw = os.environ.get(name, "")
    return [g.strip() for g in raw.replace("\n", ",").split(",") if g.strip()]


defs = definitions_from_env()
