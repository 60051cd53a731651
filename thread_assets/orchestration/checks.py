"""Asset checks on the per-file assets (graph integrity is checked inside the graph step).

- ``parse_quality`` (on ``parse``): files whose syntax-error ratio is above the configured
  threshold (``ThreadRepo.error_ratio_threshold``) make it WARN, naming them; files the parser
  failed on (``status == "error"``: hang, crash) too. Calibrated per language: only grammars
  trusted to read every valid file count (``LanguageInfo.trusts_syntax_errors``: the ``full``
  tier but C/C++); files above the threshold in the others are named as not counted.
- ``index_matches_disk`` (on ``parse``): every stored content hash equals the file on disk now;
  names stale, missing (indexed, gone from disk) and unindexed (on disk, not in the store) files.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    MetadataValue,
    asset_check,
)

from resources.io_manager import StoreResource
from thread_assets.engine.languages import LANGUAGES
from thread_assets.names import PARSE
from thread_assets.repo.audit import audit

from .resources import ThreadRepo
from .scope import SINGLE, Scope

EXAMPLES = 20
LISTED = 500
"""At most this many files in the ``failing`` / ``not_counted_files`` metadata."""
FAILING = "failing"
"""Metadata key of both checks: the files that make the check fail, ``[{"path", "reason"}]``
(``thread index`` reports them)."""
NOT_COUNTED = "not_counted_files"
"""Metadata key of ``parse_quality``: files above the threshold whose grammar is not trusted."""


def build_checks(scope: Scope = SINGLE) -> list[AssetChecksDefinition]:
    """The per-file checks of one repository (see :mod:`thread_assets.orchestration.scope`)."""
    return [
        _check(
            scope,
            "parse_quality",
            "Syntax-error ratio of every indexed file under the threshold.",
            parse_quality_result,
        ),
        _check(
            scope, "index_matches_disk", "Stored content hashes equal the files on disk.", index_matches_disk_result
        ),
    ]


def _check(
    scope: Scope, name: str, description: str, result: Callable[[ThreadRepo, StoreResource], AssetCheckResult]
) -> AssetChecksDefinition:
    @asset_check(
        asset=scope.key(PARSE),
        name=name,
        description=description,
        required_resource_keys={scope.repo_key, scope.store_key},
    )
    def check(context: AssetCheckExecutionContext) -> AssetCheckResult:
        return result(getattr(context.resources, scope.repo_key), getattr(context.resources, scope.store_key))

    return check


@dataclass
class ParseQuality:
    """What ``parse_quality`` found: each entry is ``{"path", "language", "reason"}``."""

    failing: list[dict[str, str]] = field(default_factory=list)
    """Files that make the check fail: syntax errors above the threshold in a trusted grammar,
    or the parser / extractor failed."""
    not_counted: list[dict[str, str]] = field(default_factory=list)
    """Above the threshold in a grammar known to misread valid files: named, never failing."""


def classify_parse_quality(rows: Iterable[Mapping[str, Any]], threshold: float) -> ParseQuality:
    """Split the store's ``files`` rows by the per-language calibration of
    :attr:`~thread_assets.engine.languages.LanguageInfo.misread_reason`."""
    found = ParseQuality()
    noisy: list[tuple[str, str, float]] = []
    for r in rows:
        language = r.get("language") or ""
        if r.get("status") == "error":
            why = r.get("reason") or "no reason recorded"
            found.failing.append({"path": r["path"], "language": language, "reason": f"parser failed: {why}"})
        elif r.get("error_ratio") is not None and float(r["error_ratio"]) > threshold:
            noisy.append((r["path"], language, float(r["error_ratio"])))
    for path, language, ratio in sorted(noisy):
        info = LANGUAGES.get(language)
        misread = info.misread_reason if info is not None else f"unknown language {language!r}"
        errors = f"syntax errors in {ratio:.1%} of the bytes (threshold {threshold:.1%})"
        if misread:
            found.not_counted.append(
                {"path": path, "language": language, "reason": f"{errors}; not counted: {misread}"}
            )
        else:
            found.failing.append({"path": path, "language": language, "reason": errors})
    found.failing.sort(key=lambda e: e["path"])
    return found


def parse_quality_result(thread_repo: ThreadRepo, thread_store: StoreResource) -> AssetCheckResult:
    """Calibrated per language: only grammars trusted to read every valid file (the ``full``
    tier but C and C++, which are parsed without a preprocessor) fail the check; files above
    the threshold in the others are named in ``not_counted`` (a generic grammar such as INI reads
    a valid ``setup.cfg`` with multi-line values as a quarter syntax errors)."""
    threshold = thread_repo.error_ratio_threshold
    rows = list(thread_store.get().export("files", repo=thread_repo.repo_name))
    found = classify_parse_quality(rows, threshold)
    ratios = [float(r["error_ratio"]) for r in rows if r.get("error_ratio") is not None]
    named = [_short(e) for e in found.failing]
    description = (
        f"{len(named)} file(s) above {threshold:.1%} syntax errors or not parsed: {', '.join(named[:5])}"
        if named
        else None
    )
    if found.not_counted:
        ignored = (
            f"{len(found.not_counted)} file(s) above {threshold:.1%} not counted (grammar known to misread valid "
            f"files): {', '.join(_short(e) for e in found.not_counted[:5])}"
        )
        description = f"{description}; {ignored}" if description else ignored
    return AssetCheckResult(
        passed=not found.failing,
        severity=AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "files": MetadataValue.int(len(rows)),
            "threshold": MetadataValue.float(threshold),
            "above_threshold": MetadataValue.int(sum(1 for e in found.failing if "parser failed" not in e["reason"])),
            "parser_failed": MetadataValue.int(sum(1 for e in found.failing if "parser failed" in e["reason"])),
            "not_counted": MetadataValue.int(len(found.not_counted)),
            "trusted_languages": MetadataValue.json(sorted(n for n, i in LANGUAGES.items() if i.trusts_syntax_errors)),
            "mean_error_ratio": MetadataValue.float(round(sum(ratios) / len(ratios), 6) if ratios else 0.0),
            "files_named": MetadataValue.json(named[:EXAMPLES]),
            FAILING: MetadataValue.json(found.failing[:LISTED]),
            NOT_COUNTED: MetadataValue.json(found.not_counted[:LISTED]),
        },
    )


def _short(entry: Mapping[str, str]) -> str:
    reason = entry["reason"]
    if reason.startswith("syntax errors in "):
        return f"{entry['path']} ({reason.removeprefix('syntax errors in ').split(' ', 1)[0]}, {entry['language']})"
    return f"{entry['path']} ({reason.split(':', 1)[0]})"


def index_matches_disk_result(thread_repo: ThreadRepo, thread_store: StoreResource) -> AssetCheckResult:
    stale, missing, unindexed = compare_with_disk(thread_repo, thread_store)
    problems = len(stale) + len(missing) + len(unindexed)
    parts = [
        f"{len(xs)} {what}: {', '.join(xs[:5])}"
        for what, xs in (("stale", stale), ("missing", missing), ("unindexed", unindexed))
        if xs
    ]
    failing = [
        {"path": path, "reason": reason}
        for paths, reason in (
            (stale, "stale: the stored content hash differs from the file on disk"),
            (missing, "missing: indexed, gone from disk"),
            (unindexed, "unindexed: on disk, not in the store"),
        )
        for path in paths
    ]
    return AssetCheckResult(
        passed=problems == 0,
        severity=AssetCheckSeverity.ERROR,
        description="; ".join(parts) or None,
        metadata={
            FAILING: MetadataValue.json(failing[:LISTED]),
            "stale": MetadataValue.json(stale[:EXAMPLES]),
            "missing": MetadataValue.json(missing[:EXAMPLES]),
            "unindexed": MetadataValue.json(unindexed[:EXAMPLES]),
            "problems": MetadataValue.int(problems),
        },
    )


def compare_with_disk(thread_repo: ThreadRepo, thread_store: StoreResource) -> tuple[list[str], list[str], list[str]]:
    """(stale, missing, unindexed) paths, each sorted."""
    result = audit(
        thread_repo.root_path,
        thread_store.get(),
        thread_repo.repo_name,
        include=thread_repo.include,
        exclude=thread_repo.exclude,
        memo=thread_repo.stat_memo(),
    )
    return result.stale, result.missing, result.unindexed
