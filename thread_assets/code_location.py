"""Thread's Dagster code location: Definitions for one repository or several.

The daemon and ``dagster dev`` load it through the leaf :mod:`thread_assets.definitions`
(``workspace.yaml``), which is the only place that reads the environment at import time;
everything here is a function of :class:`~thread_assets.repo.settings.RepoSettings`.

One repository (``THREAD_REPO_ROOT``) gets the bare names (:data:`~thread_assets.orchestration.scope.SINGLE`);
several (``THREAD_REPO_ROOTS``) get a :class:`~thread_assets.orchestration.scope.Scope` each, named
after the repository's directory, so their assets, partitions, jobs and sensors sit side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import Definitions

from sensors.file_changes import build_file_change_sensor
from thread_assets.orchestration.assets import build_assets
from thread_assets.orchestration.jobs import update_jobs
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.scope import SINGLE, Scope, dagster_name
from thread_assets.repo.settings import RepoSettings, SettingsError, location_roots


def build_definitions(settings: Sequence[RepoSettings], *, single: bool = False) -> Definitions:
    """Definitions for the repositories ``settings`` describe; ``single``: exactly one, with the
    bare names of the single-repository layout."""
    if not settings:
        raise SettingsError("no repository root given")
    if single and len(settings) != 1:
        raise SettingsError("the single-repository layout takes exactly one root")
    assets: list[Any] = []
    checks: list[Any] = []
    jobs: list[Any] = []
    sensors: list[Any] = []
    resources: dict[str, Any] = {}
    seen: dict[str, Path] = {}
    for repo in settings:
        if not repo.root.is_dir():
            raise SettingsError(f"repository root {str(repo.root)!r} is not a directory")
        slug = dagster_name(repo.name)
        if slug in seen:
            raise SettingsError(
                f"repositories {seen[slug]} and {repo.root} would share the name {slug!r} in Dagster: "
                "give them directories with different names"
            )
        seen[slug] = repo.root
        scope = SINGLE if single else Scope(repo.name)
        scoped_assets, scoped_checks = build_assets(scope)
        scoped_jobs = update_jobs(scope)
        assets += scoped_assets
        checks += scoped_checks
        jobs += scoped_jobs
        sensors.append(build_file_change_sensor(scope, scoped_jobs))
        resources |= build_resources(repo if single else repo.for_location(slug), scope)
    return Definitions(assets=assets, asset_checks=checks, jobs=jobs, sensors=sensors, resources=resources)


def definitions_from_env(env: Mapping[str, str] | None = None) -> Definitions:
    """The code location the environment describes (``THREAD_REPO_ROOT`` or ``THREAD_REPO_ROOTS``
    and the other settings of :mod:`thread_assets.repo.settings`)."""
    roots, single = location_roots(env)
    return build_definitions([RepoSettings.resolve(root, env=env) for root in roots], single=single)
