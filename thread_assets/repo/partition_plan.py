"""Dynamic-partition operations that line one update's files up as ONE contiguous range, and its
split into runs of bounded size (no Dagster: the plan is data; the updater applies it to the
instance)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .partition_keys import encode_key, path_of


@dataclass
class PartitionPlan:
    """Dynamic-partition operations that make one update a single contiguous range run.

    A run covers one contiguous range of the insertion-ordered partitions (non-contiguous single
    runs are an open upstream Dagster feature request, dagster-io/dagster#32335). The files to
    analyse are brought together at the end: new files are appended, and existing partitions of
    changed files that are not already in the tail are deleted and added again (same key; a
    deleted partition keeps its materialization history, so the UI loses nothing). Cost:
    O(changed) partition writes, one range run whatever the scatter; trade-off: partition order
    drifts from discovery order over time, which nothing depends on."""

    delete: list[str] = field(default_factory=list)
    """Keys of removed files: deleted, never re-added."""
    move: list[str] = field(default_factory=list)
    """Keys deleted and then added again, to join the tail."""
    add: list[str] = field(default_factory=list)
    """Keys to add at the end, in this order (new files, then moved ones)."""
    run_keys: list[str] = field(default_factory=list)
    """The run's keys in partition order once the plan is applied: one contiguous range."""


def plan_partitions(
    existing: Sequence[str], to_analyse: Sequence[str], removed: Iterable[str], on_disk: Iterable[str] | None = None
) -> PartitionPlan:
    """``existing``: the partition keys in order; ``to_analyse`` and ``removed``: paths. With
    ``on_disk`` (every indexable path: a full scan), partitions whose file is not on disk are
    deleted too and files without a partition are analysed, whatever the store says."""
    gone = {encode_key(p) for p in removed}
    present = set(existing)
    order = list(to_analyse)
    if on_disk is not None:
        disk = set(on_disk)
        gone |= {k for k in existing if path_of(k) not in disk}
        order += sorted(p for p in disk - set(order) if encode_key(p) not in present)
    wanted = {encode_key(p) for p in order}
    plan = PartitionPlan(delete=[k for k in existing if k in gone])
    kept = [k for k in existing if k not in gone]
    if wanted and wanted <= present:
        # every file to analyse has a partition: if they already sit side by side (always so
        # for one file) the run covers them where they are; moving a partition costs a delete
        # and an add on the instance, the bulk of a one-file update
        at = [i for i, k in enumerate(kept) if k in wanted]
        if len(at) == len(wanted) and at[-1] - at[0] + 1 == len(at):
            plan.run_keys = kept[at[0] : at[-1] + 1]
            return plan
    tail = len(kept)
    while tail > 0 and kept[tail - 1] in wanted:
        tail -= 1
    plan.move = [k for k in kept[:tail] if k in wanted]
    new = [k for k in (encode_key(p) for p in order) if k not in present]
    plan.add = new + plan.move
    plan.run_keys = kept[tail:] + plan.add
    return plan


def split_range(keys: Sequence[str], run_size: int) -> list[list[str]]:
    """``keys`` (one contiguous range, :attr:`PartitionPlan.run_keys`) as consecutive contiguous
    sub-ranges of at most ``run_size`` keys, sized evenly (7 keys by 3: 3, 2, 2 rather than 3, 3,
    1), so concurrent runs finish together. One range when it fits. Disjoint and contiguous by
    construction, which is what lets their runs execute at once (``orchestration/lock.py``)."""
    if run_size < 1:
        raise ValueError(f"run size must be 1 or more, not {run_size}")
    if len(keys) <= run_size:
        return [list(keys)] if keys else []
    runs = -(-len(keys) // run_size)
    base, extra = divmod(len(keys), runs)
    ranges: list[list[str]] = []
    start = 0
    for i in range(runs):
        end = start + base + (1 if i < extra else 0)
        ranges.append(list(keys[start:end]))
        start = end
    return ranges
