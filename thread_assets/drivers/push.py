"""What a push webhook sets off for one checkout: fast-forward it to the pushed branch, then ONE
index update through :func:`~thread_assets.drivers.index.index_repository`, exactly the update
``thread index`` makes (same lock, same single Dagster run on the repository's instance), its run
tagged with the commit and the delivery so the UI says which push it indexed.

The HTTP side (:mod:`thread_assets.api.webhooks`) verifies and queues deliveries; it cannot
import this layer, so ``thread serve`` hands it :func:`update_checkout` as a plain function.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from thread_assets.names import COMMIT_TAG, DELIVERY_TAG
from thread_assets.orchestration.instance import ENV_DEFAULTS
from thread_assets.repo.git_checkout import Checkout, FastForward, fast_forward
from thread_assets.repo.settings import RepoSettings

from .index import IndexSummary, index_repository

log = logging.getLogger("thread.hooks")


@dataclass
class PushUpdate:
    """The outcome of one push's update: the fast-forward, and the index summary unless refused."""

    checkout: Checkout
    fast_forward: FastForward
    summary: IndexSummary | None = None


def update_checkout(checkout: Checkout, delivery: str, *, store_url: str) -> PushUpdate:
    """Fast-forward ``checkout``, then index it into ``store_url`` (the store ``thread serve``
    answers from, so its answers follow the push). A refused fast-forward is logged with its
    reason and indexes nothing. Another update of the same index (``thread index``, ``watch``, the
    sensor) is waited for, as ``thread index`` waits."""
    moved = fast_forward(checkout)
    if moved.refused:
        log.warning("%s: push %s not applied to %s: %s", checkout.full_name, delivery, checkout.path, moved.refused)
        return PushUpdate(checkout, moved)
    # for good, not per update as index_repository sets them: updates of two repositories run at
    # once in this process, and one restoring the environment would pull them from under the other
    for name, value in ENV_DEFAULTS.items():
        os.environ.setdefault(name, value)
    settings = RepoSettings.resolve(checkout.path, store_url=store_url)
    summary = index_repository(
        settings,
        tags={COMMIT_TAG: moved.head, DELIVERY_TAG: delivery},
        on_wait=lambda message: log.info("%s: %s", checkout.full_name, message),
    )
    log.info(
        "%s: %s at %s (push %s): analysed %d of %d files%s",
        checkout.full_name,
        checkout.branch,
        moved.head[:12],
        delivery,
        summary.analysed,
        summary.files,
        f", run {summary.runs[0]}" if summary.runs else ", nothing changed",
    )
    return PushUpdate(checkout, moved, summary)
