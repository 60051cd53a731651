"""Golden files: per language, real-looking inputs with the expected extraction beside them.

``tests/golden/<language>/<case>.<ext>`` is analysed as ``<language>``; the result's symbols,
imports and calls must equal ``<case>.<ext>.expected.json``. After an intended change, regenerate
with ``THREAD_UPDATE_GOLDENS=1 pytest tests/engine/test_golden.py`` and review the diff by hand:
a golden file is only as good as the reading it got. Regenerating compares first: each case whose
golden it rewrites fails (saying so), so a run that rewrote anything never passes; run again after
the review.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import msgspec
import pytest

from thread_assets.engine import analyze

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*/*") if p.is_file() and not p.name.endswith(".expected.json"))


def rendered(path: Path) -> dict[str, object]:
    language = path.parent.name
    result = analyze(f"{language}/{path.name}", path.read_bytes(), language)
    assert result.status == "ok", result.reason
    # to_builtins keeps tuples while the JSON on disk has lists: compare like with like
    return json.loads(
        msgspec.json.encode({"symbols": result.symbols, "imports": result.imports, "calls": result.calls})
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(case: Path) -> None:
    expected_path = case.with_name(case.name + ".expected.json")
    actual = rendered(case)
    expected = json.loads(expected_path.read_text(encoding="utf-8")) if expected_path.exists() else None
    if actual != expected and os.environ.get("THREAD_UPDATE_GOLDENS") == "1":
        expected_path.write_text(
            json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
        pytest.fail(f"golden rewritten: {expected_path.relative_to(GOLDEN)}; review the diff, then run again")
    assert actual == expected


def test_every_full_language_has_goldens() -> None:
    from thread_assets.engine.extract import FULL_MODULES

    have = {p.parent.name for p in CASES}
    assert set(FULL_MODULES) <= have, f"missing golden cases for {sorted(set(FULL_MODULES) - have)}"
