"""One dynamic partition per indexed file; keys come from :mod:`thread_assets.partition_keys`.

Dynamic partitions are ordered by insertion, and one run can cover one contiguous range of them:
the indexer adds a repository's files in discovery order, so a first index is one range run.
Each repository of a multi-repository code location has its own (``files_<repo>``, see
:mod:`thread_assets.assets.scope`)."""

from __future__ import annotations

from .scope import SINGLE

FILES_PARTITIONS_NAME = SINGLE.partitions_name
files_partitions = SINGLE.partitions
