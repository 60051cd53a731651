"""One dynamic partition per indexed file; keys come from :mod:`thread_assets.partition_keys`.

Dynamic partitions are ordered by insertion, and one run can cover one contiguous range of them:
the indexer adds a repository's files in discovery order, so a first index is one range run."""

from __future__ import annotations

from dagster import DynamicPartitionsDefinition

FILES_PARTITIONS_NAME = "files"
files_partitions = DynamicPartitionsDefinition(name=FILES_PARTITIONS_NAME)
