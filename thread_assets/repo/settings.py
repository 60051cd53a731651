"""Where a repository's index lives and how it is configured: one object, one precedence rule.

Every command, the daemon's code location, ``thread watch`` and the checks get their settings
from :meth:`RepoSettings.resolve`, so a setting means the same everywhere. The rule, for each
setting: an explicit value (a command-line flag, a keyword argument) wins; else the environment
variable; else the default derived from the repository root. So ``THREAD_STORE_URL`` reaches
``thread index`` exactly as it reaches ``thread watch``, ``thread audit``, ``thread ui``, the
query commands and the daemon.

A repository's own directory, ``<root>/.thread/``, holds the default store (``index.db``), the
cache (``cache/``: the content-addressed analyses and the stat memo) and the Dagster instance
(``dagster/``). No Dagster here: the CLI's query commands and the audit resolve settings without
loading it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from thread_assets.engine.content_cache import CACHE_FILE

from .changes import MEMO_FILE, StatMemo

T = TypeVar("T")

STORE_DIR = ".thread"
"""The repository's own directory for Thread's files (never indexed)."""

STORE_URL_ENV = "THREAD_STORE_URL"
CACHE_DIR_ENV = "THREAD_CACHE_DIR"
DAGSTER_HOME_ENV = "DAGSTER_HOME"
WORKERS_ENV = "THREAD_WORKERS"
INCLUDE_ENV = "THREAD_INCLUDE"
EXCLUDE_ENV = "THREAD_EXCLUDE"
ERROR_RATIO_ENV = "THREAD_ERROR_RATIO_THRESHOLD"
REPO_ROOT_ENV = "THREAD_REPO_ROOT"
REPO_ROOTS_ENV = "THREAD_REPO_ROOTS"
REPO_NAME_ENV = "THREAD_REPO_NAME"
SENSOR_INTERVAL_ENV = "THREAD_SENSOR_INTERVAL_S"
FRESHNESS_WARN_ENV = "THREAD_FRESHNESS_WARN_HOURS"
FRESHNESS_FAIL_ENV = "THREAD_FRESHNESS_FAIL_HOURS"
API_TOKEN_ENV = "THREAD_API_TOKEN"
RUN_SIZE_ENV = "THREAD_RUN_SIZE"
DEFAULT_RUN_SIZE = 2000
"""Files per run when an update is split (docs/deploy.md, "Runs of bounded size"): above it an
update's files are analysed in several runs of at most this many, then the graphs once. Chosen
from the measurements in docs/benchmarks.md, "Runs of bounded size"."""
NO_CACHE = "none"
"""``THREAD_CACHE_DIR=none`` (or ``cache_dir="none"``) disables the analysis cache and the stat memo."""


class SettingsError(ValueError):
    """A setting with a value Thread cannot use; the message names the setting."""


@dataclass(frozen=True)
class RepoSettings:
    """One repository's settings, resolved (see the module docstring for the precedence)."""

    root: Path
    name: str
    store_url: str
    store_is_default: bool
    """The store is ``<root>/.thread/index.db`` because nothing else was asked for."""
    cache_dir: Path | None
    """None: no analysis cache and no stat memo."""
    cache_is_default: bool
    """The cache is ``<root>/.thread/cache`` because nothing else was asked for."""
    dagster_home: Path
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    workers: int = 0
    """Analysis processes; 0 = every CPU."""
    error_ratio_threshold: float = 0.05
    run_size: int = DEFAULT_RUN_SIZE
    """Most files one run analyses; an update of more is split into consecutive (in-process) or
    concurrent (daemon) partition-range runs, then one graphs run."""
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def resolve(
        cls,
        root: str | Path,
        *,
        store_url: str | None = None,
        repo_name: str | None = None,
        cache_dir: str | None = None,
        dagster_home: str | Path | None = None,
        include: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        workers: int | None = None,
        error_ratio_threshold: float | None = None,
        run_size: int | None = None,
        env: Mapping[str, str] | None = None,
    ) -> RepoSettings:
        """The settings of the repository at ``root``: each argument that is not None wins over
        its environment variable, which wins over the default."""
        env = os.environ if env is None else env
        root_path = Path(root).expanduser().resolve()
        url = store_url or env.get(STORE_URL_ENV) or None
        cache = cache_dir if cache_dir is not None else env.get(CACHE_DIR_ENV, "")
        home = dagster_home or env.get(DAGSTER_HOME_ENV) or None
        count = workers if workers is not None else _int(env, WORKERS_ENV, 0)
        if count < 0:
            raise SettingsError(f"workers must be 0 (every CPU) or more, not {count}")
        size = run_size if run_size is not None else run_size_setting(env)
        if size < 1:
            where = "the run size" if run_size is not None else RUN_SIZE_ENV
            raise SettingsError(f"{where} must be 1 or more files, not {size}")
        threshold = error_ratio_threshold if error_ratio_threshold is not None else _float(env, ERROR_RATIO_ENV, 0.05)
        return cls(
            root=root_path,
            name=repo_name or env.get(REPO_NAME_ENV) or repo_name_for(root_path),
            store_url=url or default_store_url(root_path),
            store_is_default=url is None,
            cache_dir=cache_dir_for(root_path, cache),
            cache_is_default=not cache,
            dagster_home=Path(home).expanduser().resolve() if home else root_path / STORE_DIR / "dagster",
            include=tuple(include) if include is not None else tuple(globs(env.get(INCLUDE_ENV, ""))),
            exclude=tuple(exclude) if exclude is not None else tuple(globs(env.get(EXCLUDE_ENV, ""))),
            workers=count,
            error_ratio_threshold=threshold,
            run_size=size,
            env=env,
        )

    @property
    def data_dir(self) -> Path:
        return self.root / STORE_DIR

    @property
    def memo_path(self) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / MEMO_FILE

    @property
    def analysis_cache_path(self) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / CACHE_FILE

    def stat_memo(self) -> StatMemo:
        """The stat memo of this repository (an empty one, never saved, without a cache)."""
        return StatMemo(self.memo_path, str(self.root))

    def prepare(self) -> None:
        """Create ``<root>/.thread`` when the default store lives there."""
        if self.store_is_default:
            self.data_dir.mkdir(exist_ok=True)

    def for_location(self, slug: str) -> RepoSettings:
        """These settings as one of several repositories of a code location: a configured (shared)
        cache directory gets one subdirectory per repository, so each keeps its own stat memo."""
        if self.cache_is_default or self.cache_dir is None:
            return self
        return replace(self, cache_dir=self.cache_dir / slug)


def default_store_url(root: str | Path) -> str:
    return f"sqlite:///{Path(root).expanduser().resolve() / STORE_DIR / 'index.db'}"


def query_store_url(store_url: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The store of the query commands and ``thread serve``, which run inside a repository: the
    same rule with the current directory as the root."""
    return RepoSettings.resolve(Path.cwd(), store_url=store_url, env=env).store_url


def cache_dir_for(root: str | Path, configured: str = "") -> Path | None:
    """``configured`` (``"none"``: no cache), else ``<root>/.thread/cache``."""
    if configured.lower() == NO_CACHE:
        return None
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(root).expanduser().resolve() / STORE_DIR / "cache"


def repo_name_for(root: str | Path) -> str:
    """Default repository name: the directory's name."""
    return Path(root).expanduser().resolve().name or "repo"


def location_roots(env: Mapping[str, str] | None = None) -> tuple[list[Path], bool]:
    """The repositories a Dagster code location serves and whether it is the single-repository
    layout: ``THREAD_REPO_ROOTS`` (several, separated by ``os.pathsep``), else
    ``THREAD_REPO_ROOT``, else the current directory."""
    env = os.environ if env is None else env
    several = [r.strip() for r in env.get(REPO_ROOTS_ENV, "").split(os.pathsep) if r.strip()]
    if several:
        if env.get(REPO_ROOT_ENV) or env.get(REPO_NAME_ENV):
            raise SettingsError(f"set {REPO_ROOTS_ENV} or {REPO_ROOT_ENV} (and {REPO_NAME_ENV}), not both")
        return [Path(r) for r in several], False
    return [Path(env.get(REPO_ROOT_ENV) or os.getcwd())], True


def sensor_interval_s(env: Mapping[str, str] | None = None) -> int:
    return max(1, int(_float(os.environ if env is None else env, SENSOR_INTERVAL_ENV, 5.0)))


def run_size_setting(env: Mapping[str, str] | None = None) -> int:
    """``THREAD_RUN_SIZE``, else :data:`DEFAULT_RUN_SIZE`: what the daemon's file-change sensor
    reads (its code location has no flags), and what :meth:`RepoSettings.resolve` falls back to."""
    return _int(os.environ if env is None else env, RUN_SIZE_ENV, DEFAULT_RUN_SIZE)


def freshness_hours(env: Mapping[str, str] | None = None) -> tuple[float, float]:
    """(warn, fail) hours of the graph assets' freshness policy."""
    env = os.environ if env is None else env
    return _float(env, FRESHNESS_WARN_ENV, 24.0), _float(env, FRESHNESS_FAIL_ENV, 72.0)


def api_token(flag: str | None, env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    return (flag if flag is not None else env.get(API_TOKEN_ENV)) or None


def globs(raw: str) -> list[str]:
    """Globs from an environment variable, separated by commas or newlines."""
    return [g.strip() for g in raw.replace("\n", ",").split(",") if g.strip()]


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _parsed(env, name, default, int, "an integer")


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _parsed(env, name, default, float, "a number")


def _parsed(env: Mapping[str, str], name: str, default: T, parse: Callable[[str], T], what: str) -> T:
    raw = env.get(name, "").strip()
    try:
        return parse(raw) if raw else default
    except ValueError:
        raise SettingsError(f"{name} must be {what}, not {raw!r}") from None
