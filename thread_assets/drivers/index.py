"""Index a repository through Dagster: the Python API behind ``thread index``.

One call is one update (:mod:`thread_assets.orchestration.updater`, the same machinery as the
file-change sensor and ``thread watch``): a stat walk; a hash of only the files the stat memo
cannot vouch for; a comparison with the store's content hashes; removed files' rows and
partitions deleted; then ONE Dagster run over the changed files' partitions (lined up as one
contiguous range) that also brings the graph assets up to date and runs the asset checks; or,
above the run size (``--run-size``, ``THREAD_RUN_SIZE``), one run per sub-range of the per-file
assets alone, one after the other, then one run of the graphs and checks, so memory is bounded by
the run size whatever the size of the repository. Nothing changed: no run at all. The runs go to
the repository's persistent instance (:mod:`thread_assets.orchestration.instance`), so the UI
shows every materialization.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetCheckEvaluation, DagsterInstance

from resources.io_manager import GraphOutput, open_store_url
from thread_assets.engine import FileAnalysis
from thread_assets.names import DEPENDENCY_GRAPH, GRAPH_OP
from thread_assets.orchestration.checks import FAILING, NOT_COUNTED
from thread_assets.orchestration.instance import claim_instance, dagster_env_defaults, open_instance
from thread_assets.orchestration.lock import OnWait, repository_lock
from thread_assets.orchestration.per_file import ANALYSIS_PROGRESS
from thread_assets.orchestration.resources import build_resources
from thread_assets.orchestration.updater import Updater, hold_for_update
from thread_assets.repo.changes import detect_changes
from thread_assets.repo.indexable import indexable_files
from thread_assets.repo.settings import RepoSettings
from thread_assets.repo.summary import ChangedFiles, IndexSummary, fill_totals

__all__ = ["ChangedFiles", "IndexSummary", "index_repository"]

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` with stage ``discover``, ``analyse``, ``graphs``."""


def index_repository(
    target: RepoSettings | str | Path,
    *,
    instance: DagsterInstance | None = None,
    progress: Progress | None = None,
    force: bool = False,
    wait: bool = True,
    on_wait: OnWait | None = None,
    tags: Mapping[str, str] | None = None,
    **options: Any,
) -> IndexSummary:
    """Bring the index of a repository up to date through Dagster and summarise it.

    ``target`` is the repository's settings, or its root with ``options`` for
    :meth:`RepoSettings.resolve` (``store_url``, ``name``, ``workers``, ``include``, ...).
    ``force`` re-analyses every file (the content cache still answers for unchanged bytes unless
    the cache is off). ``instance``: run against this instance instead of the repository's own.
    ``tags``: more tags for the update's run (a push webhook tags it with the commit).

    The whole update holds the repository lock (:mod:`thread_assets.orchestration.lock`):
    another update of the same index is waited for (``on_wait`` says which), or, with
    ``wait=False``, refused with :class:`~thread_assets.orchestration.lock.LockBusy`."""
    started = time.perf_counter()
    settings = target if isinstance(target, RepoSettings) else RepoSettings.resolve(target, **options)
    root_path = settings.root
    if not root_path.is_dir():
        raise NotADirectoryError(f"not a directory: {root_path}")
    settings.prepare()
    name = settings.name
    with contextlib.ExitStack() as stack:
        stack.enter_context(dagster_env_defaults())
        home: Path | None = None
        if instance is None:
            home = settings.dagster_home
            claim_instance(home, root_path)
            instance = stack.enter_context(open_instance(home))
        lock = repository_lock(instance, purpose="thread index", repo=name, store_url=settings.store_url)
        stack.enter_context(hold_for_update(instance, lock, wait=wait, on_wait=on_wait))
        store = open_store_url(settings.store_url)
        stack.callback(store.close)
        memo = settings.stat_memo()
        found = indexable_files(root_path, include=settings.include, exclude=settings.exclude)
        _report(progress, "discover", len(found), len(found))
        changes = detect_changes(root_path, store.file_states(name), memo=memo, found=found, force=force)
        updater = Updater(instance, build_resources(settings), run_size=settings.run_size)
        analysing = len(changes.to_analyse)
        with _analysis_progress(progress, analysing):
            outcome = updater.run(store, name, changes, origin="index", graphs_needed=force, wait_s=None, tags=tags)
        memo.save()
        paths = ChangedFiles.of(changes)
        summary = IndexSummary(
            repo=name,
            root=str(root_path),
            store_url=store.url,
            dagster_home=str(home) if home else None,
            files=len(found),
            analysed=len(outcome.plan.run_keys),
            added=len(paths.added),
            changed=len(paths.changed),
            removed=len(paths.removed),
            unchanged=len(found) - len(changes.to_analyse),
            renamed=len(paths.renamed),
            paths=paths,
            hashed=changes.hashed,
            runs=outcome.run_ids,
        )
        result = outcome.result
        if result is not None:
            _report(progress, "graphs", 1, 1)
            graph = result.output_for_node(GRAPH_OP, DEPENDENCY_GRAPH)
            summary.cycles = len(graph.cycles) if isinstance(graph, GraphOutput) else 0
            evaluations = result.get_asset_check_evaluations()
            summary.checks = {_check_name(e): e.passed for e in evaluations}
            summary.check_problems = [p for e in evaluations for p in _named_by_check(e)]
        else:
            summary.cycles = len(store.cycles(repo=name))
        fill_totals(summary, store, name, set(outcome.run_ids))
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


@contextlib.contextmanager
def _analysis_progress(progress: Progress | None, total: int) -> Iterator[None]:
    if progress is None:
        yield
        return
    done = 0

    def on_file(_analysis: FileAnalysis) -> None:
        nonlocal done
        done += 1
        progress("analyse", done, total)

    token = ANALYSIS_PROGRESS.set(on_file)
    try:
        progress("analyse", 0, total)
        yield
    finally:
        ANALYSIS_PROGRESS.reset(token)


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _check_name(evaluation: AssetCheckEvaluation) -> str:
    return f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"


def _named_by_check(evaluation: AssetCheckEvaluation) -> list[dict[str, str | bool | None]]:
    """The files a check evaluation names (its ``failing`` / ``not_counted_files`` metadata); a
    failing check that lists none gives one entry with its description."""
    name = _check_name(evaluation)
    named: list[dict[str, str | bool | None]] = []
    for key, counted in ((FAILING, True), (NOT_COUNTED, False)):
        value = evaluation.metadata.get(key)
        entries = value.value if value is not None else None
        if isinstance(entries, list):
            named += [
                {"check": name, "path": e.get("path"), "reason": e.get("reason"), "counted": counted}
                for e in entries
                if isinstance(e, dict)
            ]
    if not evaluation.passed and not any(p["counted"] for p in named):
        named.append({"check": name, "path": None, "reason": evaluation.description or "failed", "counted": True})
    return named
