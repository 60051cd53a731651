"""The Dagster IO manager (and a plain store resource) over a ``Store`` URL.

Writes: the per-file multi-asset streams its rows into the store itself, a chunk of files per
transaction (``thread_assets/repo/stream.py``), so a run over 10,000 files never holds them all;
its five outputs (``parse``, ``symbols``, ``imports``, ``calls``, ``pattern_matches``) are views
(:class:`FileTable`) of one :class:`FileBatch` that records what was committed, and the IO
manager only reports. A reader never sees a file's symbols without its calls: each file's rows
are in one chunk. A step that fails part-way leaves the chunks it committed; their files carry
the failed run's id, and the next update analyses them again (the store's ``files`` rows name
the run that wrote them). The graph multi-asset commits its own rows (an incremental graph
update) and hands the IO manager :class:`GraphOutput` views to report.

Staging in the IO manager instead (collect five DataFrames, commit on the last) was rejected:
the IO manager cannot know reliably which output is the last of a step, and the rows of a
large run do not fit in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dagster import ConfigurableIOManager, ConfigurableResource, InitResourceContext, InputContext, OutputContext
from pydantic import PrivateAttr

from resources.store.base import Store
from thread_assets.engine import Cycle
from thread_assets.names import PARSE, PATTERN_MATCHES, PER_FILE_ASSETS
from thread_assets.repo.partition_keys import path_of


def open_store_url(url: str) -> Store:
    """Open (and create the schema of) the store behind ``url``."""
    from resources.store.url import open_store

    return open_store(url, apply_schema=True)


@dataclass(frozen=True)
class FileBatch:
    """What one per-file step committed (already in the store when the outputs are yielded)."""

    repo: str
    files: int
    rows_written: int


@dataclass(frozen=True, eq=False)
class FileTable:
    """One per-file asset's view of a :class:`FileBatch`."""

    table: str
    batch: FileBatch


@dataclass(frozen=True, eq=False)
class GraphOutput:
    """One graph asset's output. The graph step commits its rows itself (one incremental
    ``Store.write_graph_delta`` transaction for both graph assets) before it yields, so the IO
    manager only reports; the cycles ride along for in-process callers."""

    table: str
    cycles: Sequence[Cycle]
    rows_written: int


class _OpensStore:
    """One store connection per run, opened on first use and closed at the run's end."""

    url: str
    _store: Store | None

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._store = None

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def get(self) -> Store:
        if self._store is None:
            self._store = open_store_url(self.url)
        return self._store


class StoreResource(_OpensStore, ConfigurableResource):
    """A store for assets and checks that read or write outside an IO manager (asset checks,
    the symbol index)."""

    url: str

    _store: Store | None = PrivateAttr(default=None)


class StoreIOManager(_OpensStore, ConfigurableIOManager):
    """``handle_output`` commits batches; ``load_input`` rebuilds records from rows:
    ``list[FileAnalysis]`` for the per-file assets (``dict[path, list[PatternMatch]]`` for
    ``pattern_matches``), for exactly the input's partitions (all files for an unpartitioned
    consumer such as the graphs, via Dagster's default all-partitions mapping)."""

    url: str
    repo: str

    _store: Store | None = PrivateAttr(default=None)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        if isinstance(obj, FileTable):
            if obj.table == PARSE:
                batch = obj.batch
                context.log.info(f"committed {batch.rows_written} rows of {batch.files} files for the step")
            return
        if isinstance(obj, GraphOutput):
            return
        if obj is None:
            return
        raise TypeError(f"StoreIOManager cannot store {type(obj).__name__} for {context.asset_key.to_user_string()}")

    def load_input(self, context: InputContext) -> Any:
        asset = context.asset_key.path[-1]
        paths: list[str] | None = None
        if context.has_asset_partitions:
            paths = sorted(path_of(k) for k in context.asset_partition_keys)
        store = self.get()
        if asset == PATTERN_MATCHES:
            return store.load_matches(self.repo, paths)
        if asset in PER_FILE_ASSETS:
            return store.load_analyses(self.repo, paths)
        raise TypeError(f"StoreIOManager cannot load {context.asset_key.to_user_string()}")
