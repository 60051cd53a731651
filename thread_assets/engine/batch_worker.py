"""What runs inside a batch worker process: read one file (stat first), analyse it, answer.

Kept apart from the pool so the forkserver preloads only this and the engine; ``workers=0``
runs the same :func:`analyze_item` in the calling process.
"""

from __future__ import annotations

import gc
import multiprocessing.connection as mpc
import os
import signal
import stat
from dataclasses import dataclass
from typing import Literal

import msgspec

from .analyze import DEFAULT_MAX_BYTES, analyze
from .detect import detect_language
from .model import FileAnalysis, FileStatus, PatternMatch
from .parse import content_hash

BatchItem = tuple[str, "str | os.PathLike[str] | bytes", "str | None"]
"""(path as recorded in ``FileAnalysis.path``, absolute path to read or the bytes, language or
None to detect)."""

Level = Literal["full", "parse"]
"""``full``: :func:`analyze` (extraction where the language has an extractor); ``parse``:
``analyze(parse_only=True)``, the parse summary only (measuring the parser, quick health scans)."""

# Test-only hooks: languages no detector produces and no table lists. A *worker* asked to
# analyse a file "in" one of them misbehaves on purpose so tests can prove the pool survives it;
# in-process (workers=0) they are ordinary unsupported languages.
TEST_CRASH_LANGUAGE = "__thread_test_crash__"
TEST_SEGFAULT_LANGUAGE = "__thread_test_segfault__"
TEST_HANG_LANGUAGE = "__thread_test_hang__"


@dataclass(frozen=True)
class Unread:
    """Why a file was not read: too large, not a regular file, or unreadable."""

    status: FileStatus
    reason: str
    size: int = 0


def read_for_analysis(abs_path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Unread:
    """Stat first so a 2 GB blob or a FIFO is never opened for reading; read at most
    ``max_bytes + 1`` so a file that grew since the stat still cannot blow the limit.

    A file that cannot be opened keeps the size it has on disk, so its record matches the file
    until that changes (an unreadable file is not "changed" at every look)."""
    size = 0
    try:
        st = os.stat(abs_path)
        if not stat.S_ISREG(st.st_mode):
            return Unread("skipped", "not a regular file")
        size = st.st_size
        if st.st_size > max_bytes:
            return Unread("skipped", f"too large: {st.st_size} bytes > limit {max_bytes}", st.st_size)
        with open(abs_path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return Unread("error", f"unreadable: {type(exc).__name__}: {exc.strerror or exc}", size)
    if len(data) > max_bytes:
        return Unread("skipped", f"too large: more than {max_bytes} bytes (grew while read)", len(data))
    return data


def analyze_item(
    item: BatchItem, max_bytes: int = DEFAULT_MAX_BYTES, level: Level = "full", *, bounded: bool = False
) -> FileAnalysis:
    """One item, in this process: what each worker runs (``bounded=True``: the pool enforces the
    time limit, so grammars that may hang are parsed), and what ``workers=0`` runs inline."""
    return analyze_and_match(item, max_bytes, level, bounded=bounded)[0]


def analyze_and_match(
    item: BatchItem,
    max_bytes: int = DEFAULT_MAX_BYTES,
    level: Level = "full",
    *,
    bounded: bool = False,
    rules: bool = False,
) -> tuple[FileAnalysis, list[PatternMatch] | None]:
    """:func:`analyze_item`, and with ``rules`` the bundled pattern rules' matches of an ``ok``
    file (None otherwise): run where the bytes already are, in the worker, instead of reading the
    file again in the parent and matching there one file at a time."""
    path, src, language = item
    if bounded:
        _test_hook(language)
    if isinstance(src, bytes):
        data: bytes | Unread = src
    else:
        data = read_for_analysis(src, max_bytes)
    if isinstance(data, Unread):
        lang = language or detect_language(path)
        unread = FileAnalysis(path=path, language=lang, status=data.status, reason=data.reason, size_bytes=data.size)
        return unread, None
    try:
        analysis = analyze(path, data, language, max_bytes=max_bytes, bounded=bounded, parse_only=level == "parse")
    except Exception as exc:  # a bug in one file's analysis must not lose the worker or the run
        failed = FileAnalysis(
            path=path,
            language=language,
            status="error",
            reason=f"analysis failed: {type(exc).__name__}: {exc}",
            content_hash=content_hash(data),
            size_bytes=len(data),
        )
        return failed, None
    if not rules or analysis.status != "ok" or analysis.language is None:
        return analysis, None
    from .patterns import run_rules  # ast-grep is loaded only where rules run

    try:
        return analysis, run_rules(data, analysis.language)
    except Exception:  # a rule engine failure costs the matches, never the analysis
        return analysis, None


def _test_hook(language: str | None) -> None:
    if language == TEST_CRASH_LANGUAGE:
        os._exit(70)
    if language == TEST_SEGFAULT_LANGUAGE:
        os.kill(os.getpid(), signal.SIGSEGV)
    if language == TEST_HANG_LANGUAGE:
        from .parse import parser_for

        parser_for("cobol").parse(b"x = 1\n")  # never returns (measured; valid COBOL does parse)


Answer = tuple[int, msgspec.Raw, msgspec.Raw]
"""(item index or READY, the FileAnalysis, its pattern matches or None), both msgpack-encoded:
the parent keeps the analysis's bytes for the content cache instead of encoding it again."""
READY = -1


def worker_main(conn: mpc.Connection, max_bytes: int, level: Level, rules: bool = False) -> None:
    """Serve chunks until told to stop (None) or the parent goes away (EOF)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The worker allocates millions of short-lived records and keeps none: freezing what the
    # imports created and collecting the youngest generation less often saves a few per cent of
    # extraction time.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    encode = msgspec.msgpack.Encoder().encode
    nothing = msgspec.Raw(encode(None))
    conn.send_bytes(encode((READY, nothing, nothing)))
    while True:
        try:
            chunk: list[tuple[int, BatchItem]] | None = conn.recv()
        except (EOFError, ConnectionResetError):  # the parent is gone (a reset: it exited at once)
            return
        if chunk is None:
            return
        try:
            for index, item in chunk:
                analysis, matches = analyze_and_match(item, max_bytes, level, bounded=True, rules=rules)
                conn.send_bytes(encode((index, msgspec.Raw(encode(analysis)), msgspec.Raw(encode(matches)))))
        except (BrokenPipeError, ConnectionResetError):  # the parent went away mid-chunk
            return
