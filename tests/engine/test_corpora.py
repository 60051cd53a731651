"""The batch over every file of every real corpus (not only the languages each is known for):
every file gets exactly one record, nothing errors, and each corpus's own languages are parsed.

About 30 s for all seven corpora (~77 MB, ~5,800 files) on the shared 2-core machine."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.support.corpora import CORPORA, fetch
from thread_assets.engine.batch import analyze_files

pytestmark = pytest.mark.corpus

ALLOWED_ERRORS: dict[tuple[str, str], str] = {}
"""(corpus, path) -> reason substring, for files known to defeat a grammar. Empty: none today."""


@pytest.mark.parametrize("name", sorted(n for n, c in CORPORA.items() if not c.bench_only))
def test_every_file_of_the_corpus_gets_a_record(name: str) -> None:
    try:
        root = fetch(name)
    except RuntimeError as exc:  # offline and not cached
        pytest.skip(f"corpus {name} unavailable: {exc}")
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    items = [(p.relative_to(root).as_posix(), str(p), None) for p in files]
    results = list(analyze_files(items, workers=2, timeout_s=10.0))

    assert [r.path for r in results] == [i[0] for i in items]
    statuses = Counter(r.status for r in results)
    print(f"\n{name}: {len(results)} files {dict(statuses)} levels {dict(Counter(r.level for r in results))}")

    errors = {r.path: r.reason for r in results if r.status == "error"}
    unexpected = {
        path: reason
        for path, reason in errors.items()
        if (name, path) not in ALLOWED_ERRORS or ALLOWED_ERRORS[(name, path)] not in (reason or "")
    }
    assert unexpected == {}

    for r in results:
        assert r.status == "ok" or r.reason, f"{r.path}: {r.status} without a reason"
        if r.status == "ok":
            assert r.summary is not None and r.summary.size_bytes == r.size_bytes
    for language in CORPORA[name].languages:
        mine = [r for r in results if r.language == language]
        assert mine, f"no {language} file recognised in {name}"
        parsed = [r for r in mine if r.status == "ok"]
        too_large = [r for r in mine if r.reason and r.reason.startswith("too large")]
        assert len(parsed) + len(too_large) == len(mine), [(r.path, r.reason) for r in mine if r not in parsed]
