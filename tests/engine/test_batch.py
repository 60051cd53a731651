from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import msgspec
import pytest

from thread_assets.engine.batch import (
    TEST_CRASH_LANGUAGE,
    TEST_HANG_LANGUAGE,
    TEST_SEGFAULT_LANGUAGE,
    Unread,
    analyze_files,
    read_for_analysis,
)
from thread_assets.engine.languages import LANGUAGES
from thread_assets.engine.model import FileAnalysis

SOURCES = {
    "a.py": b"import os\n\ndef f(x):\n    return os.path.join(x, 'y')\n",
    "b.js": b"function g(a) { return a + 1; }\nclass C { m() { g(2); } }\n",
    "c.c": b'#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n',
    "d.py": b"class K:\n    def m(self):\n        pass\n",
}


def _stable(result: FileAnalysis) -> bytes:
    """Everything but the measured parse time, which varies run to run."""
    if result.summary is not None:
        result = msgspec.structs.replace(result, summary=msgspec.structs.replace(result.summary, parse_time_ms=0.0))
    return msgspec.json.encode(result)


@pytest.fixture()
def tree(tmp_path: Path) -> list[tuple[str, str, str | None]]:
    items = []
    for name, data in SOURCES.items():
        (tmp_path / name).write_bytes(data)
        items.append((name, str(tmp_path / name), None))
    return items


def test_pool_matches_in_process_and_keeps_input_order(tree: list[tuple[str, str, str | None]]) -> None:
    items = tree * 3
    inline = list(analyze_files(items, workers=0))
    pooled = list(analyze_files(items, workers=2))
    assert [r.path for r in pooled] == [i[0] for i in items]
    assert [_stable(r) for r in pooled] == [_stable(r) for r in inline]
    parsed = list(analyze_files(items, workers=2, level="parse"))
    assert all(r.status == "ok" and r.summary is not None and r.summary.node_count > 1 for r in parsed)


def test_unordered_variant_and_progress_see_every_file(tree: list[tuple[str, str, str | None]]) -> None:
    seen: list[str] = []
    results = list(analyze_files(tree * 4, workers=2, ordered=False, progress=lambda r: seen.append(r.path)))
    assert sorted(r.path for r in results) == sorted(seen) == sorted(i[0] for i in tree * 4)


def test_bytes_items_and_parse_level() -> None:
    items = [(name, data, None) for name, data in SOURCES.items()]
    results = list(analyze_files(items, workers=1, level="parse"))
    assert [r.level for r in results] == ["parse"] * len(items)
    assert [r.size_bytes for r in results] == [len(d) for d in SOURCES.values()]
    assert not any(r.symbols for r in results)


def test_hanging_parser_costs_one_file_not_the_batch(tree: list[tuple[str, str, str | None]]) -> None:
    items = [tree[0], ("hang.cbl", b"x = 1\n", TEST_HANG_LANGUAGE), *tree[1:]]
    t0 = time.monotonic()
    results = list(analyze_files(items, workers=2, timeout_s=1.0, level="parse"))
    elapsed = time.monotonic() - t0
    assert [r.path for r in results] == [i[0] for i in items]
    hung = results[1]
    assert hung.status == "error" and hung.reason == "timed out after 1s (parser hang)"
    assert all(r.status == "ok" for i, r in enumerate(results) if i != 1)
    assert elapsed < 10


def test_real_cobol_grammar_hang_is_bounded(tree: list[tuple[str, str, str | None]]) -> None:
    assert LANGUAGES["cobol"].may_hang
    # Well-formed COBOL parses; most other text sends this grammar into an endless loop.
    items = [("prog.cbl", b"x = 1\n", "cobol"), *tree]
    results = list(analyze_files(items, workers=1, timeout_s=1.5, level="parse"))
    assert results[0].status == "error" and results[0].reason == "timed out after 1.5s (parser hang)"
    assert [r.status for r in results[1:]] == ["ok"] * len(tree)


def test_in_process_runs_skip_grammars_that_may_hang_and_ignore_test_hooks() -> None:
    items = [("prog.cbl", b"x = 1\n", "cobol"), ("boom.x", b"x", TEST_CRASH_LANGUAGE)]
    cobol, boom = analyze_files(items, workers=0)
    assert cobol.status == "skipped" and cobol.reason is not None and "can hang" in cobol.reason
    assert (boom.status, boom.reason) == ("skipped", f"unsupported language {TEST_CRASH_LANGUAGE!r}")


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        (TEST_CRASH_LANGUAGE, "worker crashed (exit code 70)"),
        (TEST_SEGFAULT_LANGUAGE, "worker crashed (killed by signal SIGSEGV)"),
    ],
)
def test_crashing_worker_is_replaced_and_the_chunk_goes_on(
    tree: list[tuple[str, str, str | None]], language: str, reason: str
) -> None:
    # One worker, so the crash happens mid-chunk: the files queued behind it must still be done.
    items = [*tree[:2], ("boom.x", b"x", language), *tree[2:], ("boom2.x", b"x", language), tree[0]]
    results = list(analyze_files(items, workers=1, timeout_s=5.0, level="parse"))
    assert [r.path for r in results] == [i[0] for i in items]
    assert [(r.status, r.reason) for r in results if r.path.startswith("boom")] == [("error", reason)] * 2
    assert all(r.status == "ok" for r in results if not r.path.startswith("boom"))


def test_closing_the_iterator_stops_the_workers(tree: list[tuple[str, str, str | None]]) -> None:
    before = {p.pid for p in multiprocessing.active_children()}
    it = analyze_files(tree * 20, workers=2)
    next(it)
    it.close()
    leftover = {p.pid for p in multiprocessing.active_children()} - before
    assert leftover == set()


def test_unreadable_and_special_files_get_records(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    items = [("gone.py", str(tmp_path / "gone.py"), None), ("pipe.py", str(fifo), None)]
    gone, pipe = analyze_files(items, workers=1, timeout_s=5.0)
    assert (
        gone.status == "error" and gone.reason is not None and gone.reason.startswith("unreadable: FileNotFoundError")
    )
    assert gone.language == "python"
    assert (pipe.status, pipe.reason) == ("skipped", "not a regular file")


def test_read_for_analysis_stats_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.py"
    with open(big, "wb") as fh:
        fh.truncate(4 * 1024**3)  # sparse 4 GiB: reading it would take seconds and 4 GiB of memory
    t0 = time.monotonic()
    got = read_for_analysis(big, max_bytes=1024)
    assert time.monotonic() - t0 < 0.5
    assert got == Unread("skipped", f"too large: {4 * 1024**3} bytes > limit 1024", 4 * 1024**3)
    small = tmp_path / "s.py"
    small.write_bytes(b"x = 1\n")
    assert read_for_analysis(small, max_bytes=6) == b"x = 1\n"
    assert isinstance(read_for_analysis(small, max_bytes=5), Unread)


def test_max_bytes_reaches_the_workers(tree: list[tuple[str, str, str | None]]) -> None:
    results = list(analyze_files(tree, workers=2, max_bytes=40, level="parse"))
    for item, result in zip(tree, results, strict=True):
        if len(SOURCES[item[0]]) > 40:
            assert result.status == "skipped" and result.reason is not None and "too large" in result.reason
        else:
            assert result.status == "ok"


def test_a_slow_consumer_does_not_cause_false_timeouts() -> None:
    # Each record is large (hundreds of symbols and calls), so the worker soon blocks writing to
    # a full pipe while the consumer sleeps past the time limit. Files it has not reached yet
    # must not be charged for that time.
    source = "".join(f"def f{i}(a, b=1):\n    return g{i}(a) + h(b)\n\n" for i in range(400)).encode()
    results = analyze_files([(f"m{i}.py", source, None) for i in range(8)], workers=1, timeout_s=0.5)
    first = next(results)
    time.sleep(0.8)
    rest = list(results)
    assert [r.status for r in [first, *rest]] == ["ok"] * 8
    assert len(first.symbols) == 400


def test_kept_workers_serve_the_next_call_and_a_dead_one_is_replaced(
    tree: list[tuple[str, str, str | None]],
) -> None:
    from thread_assets.engine.batch import _IDLE, stop_idle_workers

    stop_idle_workers()
    before = {p.pid for p in multiprocessing.active_children()}
    try:
        first = list(analyze_files(tree, workers=2, keep_workers=True))
        kept = {p.pid for p in multiprocessing.active_children()} - before
        assert len(kept) == 2, "both healthy workers parked"
        second = list(analyze_files(tree, workers=2, keep_workers=True))
        assert {p.pid for p in multiprocessing.active_children()} - before == kept, "the same workers answered"
        assert [_stable(r) for r in first] == [_stable(r) for r in second]

        # a parked worker that dies is not handed out again; the call still answers every file
        victim = next(iter(kept))
        os.kill(victim, 9)
        deadline = time.monotonic() + 5
        while any(p.pid == victim and p.is_alive() for p in multiprocessing.active_children()):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        third = list(analyze_files(tree, workers=2, keep_workers=True))
        assert [_stable(r) for r in third] == [_stable(r) for r in first]

        # a crash during a kept call: the crashed worker is replaced, nothing dead is parked
        crashed = list(analyze_files([*tree, ("boom.x", b"x", TEST_CRASH_LANGUAGE)], workers=2, keep_workers=True))
        assert crashed[-1].status == "error"
        assert all(w.proc.is_alive() for ws in _IDLE.values() for w in ws)
    finally:
        stop_idle_workers()
    assert {p.pid for p in multiprocessing.active_children()} - before == set()
    assert not any(_IDLE.values())
