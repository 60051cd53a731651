"""plan_partitions: one contiguous range run whatever the scatter, with as few partition
writes as possible (a moved partition is a delete and an add on the instance)."""

from __future__ import annotations

from thread_assets.repo.partition_plan import plan_partitions

KEYS = ["a.py", "b.py", "c.py", "d.py", "e.py"]


def test_one_changed_file_runs_in_place() -> None:
    plan = plan_partitions(KEYS, ["b.py"], [])
    assert (plan.run_keys, plan.move, plan.add, plan.delete) == (["b.py"], [], [], [])


def test_adjacent_changed_files_run_in_place_even_across_a_deleted_one() -> None:
    plan = plan_partitions(KEYS, ["d.py", "b.py"], ["c.py"])
    assert (plan.run_keys, plan.move, plan.add, plan.delete) == (["b.py", "d.py"], [], [], ["c.py"])


def test_scattered_files_move_behind_the_tail() -> None:
    plan = plan_partitions(KEYS, ["a.py", "c.py", "e.py"], [])
    assert plan.move == ["a.py", "c.py"] and plan.add == ["a.py", "c.py"]
    assert plan.run_keys == ["e.py", "a.py", "c.py"]


def test_a_new_file_joins_the_changed_tail() -> None:
    plan = plan_partitions(KEYS, ["b.py", "new.py"], [])
    assert plan.move == ["b.py"] and plan.add == ["new.py", "b.py"]
    assert plan.run_keys == ["new.py", "b.py"]


def test_full_scan_reconciles_partitions_with_disk() -> None:
    plan = plan_partitions(KEYS, [], [], on_disk=["a.py", "b.py", "c.py", "d.py", "f.py"])
    assert plan.delete == ["e.py"] and plan.add == ["f.py"] and plan.run_keys == ["f.py"]


def test_nothing_to_do() -> None:
    plan = plan_partitions(KEYS, [], [], on_disk=KEYS)
    assert (plan.run_keys, plan.move, plan.add, plan.delete) == ([], [], [], [])
