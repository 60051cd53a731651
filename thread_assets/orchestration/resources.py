"""The Dagster resources of one repository: :class:`ThreadRepo` (the repository), the store
resource and the IO manager, keyed per :class:`~thread_assets.orchestration.scope.Scope`."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from dagster import ConfigurableResource, EnvVar, InitResourceContext
from pydantic import Field, PrivateAttr

from resources.io_manager import StoreIOManager, StoreResource
from resources.store.url import mask_password
from thread_assets.engine.content_cache import CACHE_FILE
from thread_assets.repo.changes import StatMemo, memo_path
from thread_assets.repo.settings import NO_CACHE, STORE_URL_ENV, RepoSettings, cache_dir_for, repo_name_for

from .lock import RepositoryLock, hold_for_run
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
    _run_lock: RepositoryLock | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Every Thread step needs this resource, so a run holds the repository lock from here
        to its teardown (taken again, at once, by the in-process run of an update holding it)."""
        self._run_lock = hold_for_run(context)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._run_lock is not None:
            self._run_lock.release()
            self._run_lock = None

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
    url = store_url_config(settings.store_url)
    return {
        scope.repo_key: ThreadRepo.from_settings(settings),
        scope.store_key: StoreResource(url=url),
        scope.io_manager_key: StoreIOManager(url=url, repo=settings.name),
    }


SECRET_URL_ENV = "THREAD_SECRET_STORE_URL_"
"""Prefix of the process variables that carry a store URL with a password to in-process runs."""
_secret_names: dict[str, str] = {}
_secret_lock = threading.Lock()


def store_url_config(url: str) -> str:
    """The store URL as resource config: itself when it holds no password, else an
    :class:`~dagster.EnvVar` naming a variable that holds it. Dagster writes resource config
    into every run's job snapshot (run storage) and serves it to the UI, so a password passed as a
    value would be kept there for good; an ``EnvVar`` is stored as its name and read from the
    environment when the resource starts. ``$THREAD_STORE_URL`` is named when it holds this URL
    (``thread ui``, the daemon and their run workers all inherit it); otherwise (``--store``) the
    URL is put into a variable of this process for its in-process runs."""
    if mask_password(url) == url:
        return url
    if os.environ.get(STORE_URL_ENV) == url:
        return EnvVar(STORE_URL_ENV)
    with _secret_lock:
        name = _secret_names.setdefault(url, f"{SECRET_URL_ENV}{len(_secret_names) + 1}")
        os.environ[name] = url
    return EnvVar(name)
