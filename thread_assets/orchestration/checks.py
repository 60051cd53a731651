"""Asset checks on the per-file assets (graph integrity is checked inside the graph step).

- ``parse_quality`` (on ``parse``): files whose syntax-error ratio is above the configured
  threshold (``ThreadRepo.error_ratio_threshold``) make it WARN, naming them; files the parser
  failed on (``status == "error"``: hang, crash) too.
- ``index_matches_disk`` (on ``parse``): every stored content hash equals the file on disk now;
  names stale, missing (indexed, gone from disk) and unindexed (on disk, not in the store) files.
"""

from collections.abc import Callable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    MetadataValue,
    asset_check,
)

from resources.io_manager import StoreResource
from thread_assets.names import PARSE
from thread_assets.repo.audit import audit

from .resources import ThreadRepo
from .scope import SINGLE, Scope

EXAMPLES = 20


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


def parse_quality_result(thread_repo: ThreadRepo, thread_store: StoreResource) -> AssetCheckResult:
    threshold = thread_repo.error_ratio_threshold
    rows = list(thread_store.get().export("files", repo=thread_repo.repo_name))
    noisy = sorted(
        (r["path"], float(r["error_ratio"]))
        for r in rows
        if r.get("error_ratio") is not None and r["error_ratio"] > threshold
    )
    failed = sorted(r["path"] for r in rows if r.get("status") == "error")
    named = [f"{p} ({ratio:.1%})" for p, ratio in noisy] + [f"{p} (parser failed)" for p in failed]
    ratios = [float(r["error_ratio"]) for r in rows if r.get("error_ratio") is not None]
    return AssetCheckResult(
        passed=not named,
        severity=AssetCheckSeverity.WARN,
        description=None
        if not named
        else f"{len(named)} file(s) above {threshold:.1%} syntax errors or not parsed: {', '.join(named[:5])}",
        metadata={
            "files": MetadataValue.int(len(rows)),
            "threshold": MetadataValue.float(threshold),
            "above_threshold": MetadataValue.int(len(noisy)),
            "parser_failed": MetadataValue.int(len(failed)),
            "mean_error_ratio": MetadataValue.float(round(sum(ratios) / len(ratios), 6) if ratios else 0.0),
            "files_named": MetadataValue.json(named[:EXAMPLES]),
        },
    )


def index_matches_disk_result(thread_repo: ThreadRepo, thread_store: StoreResource) -> AssetCheckResult:
    stale, missing, unindexed = compare_with_disk(thread_repo, thread_store)
    problems = len(stale) + len(missing) + len(unindexed)
    parts = [
        f"{len(xs)} {what}: {', '.join(xs[:5])}"
        for what, xs in (("stale", stale), ("missing", missing), ("unindexed", unindexed))
        if xs
    ]
    return AssetCheckResult(
        passed=problems == 0,
        severity=AssetCheckSeverity.ERROR,
        description="; ".join(parts) or None,
        metadata={
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
