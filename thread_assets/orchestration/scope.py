"""Which repository a set of Thread's Dagster definitions serves, and the names that follow.

One repository per code location (``thread index``, ``thread watch``, ``THREAD_REPO_ROOT``) is
:data:`SINGLE`: bare asset keys (``parse``, ``call_graph``), the ``files`` partitions, the
resource keys ``thread_repo`` / ``thread_store`` / ``store_io_manager``, the jobs
``thread_update`` / ``thread_graphs`` / ``thread_files`` and the sensor ``thread_file_changes``.

Several repositories in one code location (``THREAD_REPO_ROOTS``) get one scope each, named after
the repository: asset keys under a prefix (``django/parse``), their own dynamic partitions
(``files_django``), resources, jobs and sensor (``thread_update_django``,
``thread_file_changes_django``), so one Dagster instance holds every repository's history side
by side and each repository's sensor starts runs over its own partitions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from dagster import AssetKey, DynamicPartitionsDefinition

from thread_assets import names

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def dagster_name(repo: str) -> str:
    """``repo`` as a Dagster name (asset key part, op, job, partitions): letters, digits and ``_``."""
    name = _NOT_NAME.sub("_", repo)
    return name if name and not name[0].isdigit() else f"r_{name}"


@dataclass(frozen=True)
class Scope:
    repo: str | None = None
    """The repository's name in the store; None for the single-repository layout."""

    @property
    def slug(self) -> str:
        return "" if self.repo is None else dagster_name(self.repo)

    def _suffix(self, base: str) -> str:
        return base if self.repo is None else f"{base}_{self.slug}"

    @property
    def prefix(self) -> list[str]:
        return [] if self.repo is None else [self.slug]

    def key(self, asset: str) -> AssetKey:
        return AssetKey([*self.prefix, asset])

    @property
    def partitions_name(self) -> str:
        return self._suffix(names.PARTITIONS)

    @cached_property
    def partitions(self) -> DynamicPartitionsDefinition:
        return DynamicPartitionsDefinition(name=self.partitions_name)

    @property
    def repo_key(self) -> str:
        return self._suffix(names.REPO_RESOURCE)

    @property
    def store_key(self) -> str:
        return self._suffix(names.STORE_RESOURCE)

    @property
    def io_manager_key(self) -> str:
        return self._suffix(names.IO_MANAGER)

    @property
    def update_job(self) -> str:
        return self._suffix(names.UPDATE_JOB)

    @property
    def graphs_job(self) -> str:
        return self._suffix(names.GRAPHS_JOB)

    @property
    def files_job(self) -> str:
        return self._suffix(names.FILES_JOB)

    @property
    def sensor_name(self) -> str:
        return self._suffix(names.SENSOR)

    def op(self, base: str) -> str:
        return self._suffix(base)


SINGLE = Scope()
