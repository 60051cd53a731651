"""An update with nothing to do, found out without Dagster.

Most ``thread index`` calls on a large tree change nothing (a check before a commit, an editor
hook). Importing Dagster and opening its instance cost more than the stat walk that finds no
change, so this runs first: when the index is complete and up to date it answers with the
summary; otherwise (None) the update goes through Dagster as usual.

Up to date means, read from the store and the disk only:

- the instance directory names this repository as its own (a first index, or a mismatch that
  the full path reports, go the full path);
- the store holds the repository and its graphs are built from its latest files
  (``index_state``: no per-file write after the last graph build, as after a crash between
  the two) with the engine that runs now (the ``meta/engine`` graph input);
- the stat walk, with the stat memo, finds no file added, changed, removed or renamed.

A run in flight (another ``thread index``, a ``watch`` batch, a sensor run) is not waited for:
what it writes is its own update, and this call changes nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

from resources.store.base import Store, StoreError
from resources.store.url import open_store
from thread_assets.engine.graph.incremental import ENGINE_KEY, META, engine_digest
from thread_assets.names import OWNER_FILE

from .changes import detect_changes
from .indexable import indexable_files
from .settings import RepoSettings
from .summary import IndexSummary, fill_totals


def up_to_date(settings: RepoSettings, *, started: float | None = None) -> IndexSummary | None:
    """The summary of an update that would change nothing, else None (see the module doc)."""
    started = time.perf_counter() if started is None else started
    owner = settings.dagster_home / OWNER_FILE
    try:
        if owner.read_text(encoding="utf-8").strip() != str(settings.root):
            return None
    except OSError:
        return None
    if settings.store_url.startswith("sqlite:///") and not Path(settings.store_url[len("sqlite:///") :]).is_file():
        return None
    try:
        store = open_store(settings.store_url, apply_schema=False)
    except StoreError:
        return None
    try:
        return _if_unchanged(settings, store, started)
    finally:
        store.close()


def graphs_stale(store: Store, repo: str) -> bool:
    """Whether the repository's graphs must be built again though no file changed: never built,
    behind the per-file rows (a crash between the two commits), or built by another engine (a
    Thread upgrade that changed how imports or calls resolve)."""
    files_version, graphs_version = store.index_versions(repo)
    if files_version > graphs_version:
        return True
    if graphs_version == 0:
        return False  # nothing was ever written: nothing to build
    return store.graph_input(repo, META, ENGINE_KEY) != engine_digest()


def _if_unchanged(settings: RepoSettings, store: Store, started: float) -> IndexSummary | None:
    name = settings.name
    try:
        if not store.has_index():
            return None
        if graphs_stale(store, name):
            return None
        states = store.file_states(name)
    except StoreError:
        return None  # e.g. an index written by an older Thread without some table: the full path migrates it
    memo = settings.stat_memo()
    found = indexable_files(settings.root, include=settings.include, exclude=settings.exclude)
    changes = detect_changes(settings.root, states, memo=memo, found=found)
    if changes.to_analyse or changes.removed or changes.renamed:
        return None
    memo.save()
    summary = IndexSummary(
        repo=name,
        root=str(settings.root),
        store_url=store.url,
        dagster_home=str(settings.dagster_home),
        files=len(found),
        analysed=0,
        added=0,
        changed=0,
        removed=0,
        unchanged=len(found),
        hashed=changes.hashed,
    )
    fill_totals(summary, store, name, set())
    summary.cycles = len(store.cycles(repo=name))
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary
