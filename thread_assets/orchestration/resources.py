"""The Dagster resources of one repository: :class:`ThreadRepo` (the repository), the store
resource and the IO manager, keyed per :class:`~thread_assets.orchestration.scope.Scope`."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from resources.io_manager import StoreIOManager, StoreResource
from thread_assets.engine.content_cache import CACHE_FILE
from thread_assets.repo.changes import StatMemo, memo_path
from thread_assets.repo.settings import NO_CACHE, RepoSettings, cache_dir_for, repo_name_for

from .scope import SINGLE, Scope


class ThreadRepo(ConfigurableResource):
    """Where the repository lives and how it is named in the store (``repo`` column): the
    resource form of :class:`~thread_assets.repo.settings.RepoSettings`.

    ``include`` / ``exclude``: extra gitignore-style globs for discovery. ``workers``: analysis
    processes (0 = every CPU). ``error_ratio_threshold``: a file whose parse error ratio is above
    it makes the parse-quality check warn. ``cache_dir``: where the content-addressed analysis
    cache and the stat memo live (default ``<root>/.thread/cache``; ``"none"`` disables both)."""

    root: str
    name: str = ""
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    workers: int = 0
    timeout_s: float = 10.0
    error_ratio_threshold: float = 0.05
    cache_dir: str = ""

    @classmethod
    def from_settings(cls, settings: RepoSettings) -> ThreadRepo:
        return cls(
            root=str(settings.root),
            name=settings.name,
            include=list(settings.include),
            exclude=list(settings.exclude),
            workers=settings.workers,
            error_ratio_threshold=settings.error_ratio_threshold,
            cache_dir=NO_CACHE if settings.cache_dir is None else str(settings.cache_dir),
        )

    @property
    def repo_name(self) -> str:
        return self.name or repo_name_for(self.root)

    @property
    def root_path(self) -> Path:
        return Path(self.root).expanduser().resolve()

    @property
    def cache_path(self) -> Path | None:
        return cache_dir_for(self.root_path, self.cache_dir)

    @property
    def analysis_cache_path(self) -> Path | None:
        base = self.cache_path
        return None if base is None else base / CACHE_FILE

    def stat_memo(self) -> StatMemo:
        return StatMemo(memo_path(self.cache_path), str(self.root_path))


def build_resources(settings: RepoSettings, scope: Scope = SINGLE) -> dict[str, object]:
    """The resources every Thread asset of ``scope`` needs, for one repository."""
    if scope.repo is not None and scope.repo != settings.name:
        raise ValueError(f"scope of repository {scope.repo!r} given the resources of {settings.name!r}")
    return {
        scope.repo_key: ThreadRepo.from_settings(settings),
        scope.store_key: StoreResource(url=settings.store_url),
        scope.io_manager_key: StoreIOManager(url=settings.store_url, repo=settings.name),
    }
