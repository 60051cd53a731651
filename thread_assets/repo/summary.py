"""What ``thread index`` reports: the counts of one update and the totals of the whole index.

Dagster-free, so that an update that finds nothing to do (:mod:`.quick`) can report without
importing Dagster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from resources.store.base import Store
from thread_assets.repo.changes import ChangeSet


@dataclass
class ChangedFiles:
    """The paths behind the counts of an :class:`IndexSummary`: each file in one list only."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(old, new): the old path is in neither ``removed`` nor ``added``."""

    @classmethod
    def of(cls, changes: ChangeSet) -> ChangedFiles:
        """A rename counts once: its old path leaves ``removed`` and its new path ``added``."""
        old = {a for a, _ in changes.renamed}
        new = {b for _, b in changes.renamed}
        return cls(
            added=[p for p in changes.added if p not in new],
            changed=list(changes.modified),
            removed=[p for p in changes.removed if p not in old],
            renamed=list(changes.renamed),
        )


@dataclass
class IndexSummary:
    repo: str
    root: str
    store_url: str
    dagster_home: str | None
    files: int
    """Files in the index after this call."""
    analysed: int
    """Files this call ran through the per-file assets (of ``files``)."""
    added: int
    """New paths, not counting the new paths of renamed files."""
    changed: int
    removed: int
    """Paths gone from disk, not counting the old paths of renamed files."""
    unchanged: int
    renamed: int = 0
    """A removed file's content under a new path (its analysis comes from the content cache);
    counted here only, not also as added and removed."""
    paths: ChangedFiles = field(default_factory=ChangedFiles)
    """Which files ``added``, ``changed``, ``removed`` and ``renamed`` count."""
    hashed: int = 0
    """Files read and hashed to find what changed (the stat memo answered for the rest)."""
    runs: list[str] = field(default_factory=list)
    """Dagster run ids: one (per-file range, graphs and checks together), or, for an update above
    the run size, one per partition range and then the graphs run."""
    seconds: float = 0.0
    by_language: dict[str, int] = field(default_factory=dict)
    symbols: int = 0
    imports: int = 0
    calls: int = 0
    cycles: int = 0
    files_with_parse_errors: int = 0
    problems: list[dict[str, str | None]] = field(default_factory=list)
    """Analysed files that are not ``ok`` in this call (path, status, reason), read from the
    store's ``files`` rows that this call's runs wrote."""
    checks: dict[str, bool] = field(default_factory=dict)
    """Asset check name -> passed, from the graph run."""
    check_problems: list[dict[str, str | bool | None]] = field(default_factory=list)
    """The files the asset checks name: ``{"check", "path", "reason", "counted"}``; ``counted``
    False: named but not failing the check (e.g. a grammar known to misread valid files)."""


def fill_totals(summary: IndexSummary, store: Store, repo: str, run_ids: set[str]) -> None:
    """Totals of the whole index, and the files this call's runs (``run_ids``) analysed that
    are not ``ok``: the store's ``files`` rows carry the run that wrote them, so the runs need not
    keep their analyses in memory to report them. Aggregates only: on a tree of 70,000 files,
    reading every ``files`` row back cost more than finding that nothing changed."""
    totals = store.index_summary(repo)
    by_language = Counter({(lang or "(unknown)"): n for lang, n in totals["files_by_language"].items()})
    summary.files = sum(by_language.values())
    summary.by_language = dict(by_language.most_common())
    summary.files_with_parse_errors = totals["files_with_parse_errors"]
    summary.symbols, summary.imports, summary.calls = totals["symbols"], totals["imports"], totals["calls"]
    summary.problems = [
        {"path": r["path"], "status": r["status"], "reason": r["reason"]}
        for r in totals["not_ok"]
        if r["run_id"] in run_ids
    ]
