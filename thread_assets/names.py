"""The names Thread gives things in Dagster: assets, groups, jobs, the sensor, run tags.

One home for them, imported by every layer that refers to an asset by name (the IO manager
dispatches on them, the jobs select them, the drivers read a run's outputs by them). A
multi-repository code location suffixes or prefixes these per repository (see
:mod:`thread_assets.orchestration.scope`); these are the bare names.
"""

from __future__ import annotations

PARSE = "parse"
SYMBOLS = "symbols"
IMPORTS = "imports"
CALLS = "calls"
PATTERN_MATCHES = "pattern_matches"
PER_FILE_ASSETS = (PARSE, SYMBOLS, IMPORTS, CALLS, PATTERN_MATCHES)
"""The per-file multi-asset's outputs, one per file partition."""

DEPENDENCY_GRAPH = "dependency_graph"
CALL_GRAPH = "call_graph"
GRAPH_ASSETS = (DEPENDENCY_GRAPH, CALL_GRAPH)
"""The graph multi-asset's outputs (unpartitioned)."""
SYMBOL_INDEX = "symbol_index"
REPO_RANK = "repo_rank"
"""Symbol ranks and the repository map's plan (orchestration/rank.py)."""

PER_FILE_OP = "per_file_assets"
GRAPH_OP = "graph_assets"
PER_FILE_GROUP = "per_file"
GRAPH_GROUP = "graphs"

PARTITIONS = "files"
UPDATE_JOB = "thread_update"
GRAPHS_JOB = "thread_graphs"
FILES_JOB = "thread_files"
"""One partition range of an update split by the run size: the per-file assets alone."""
SENSOR = "thread_file_changes"

REPO_RESOURCE = "thread_repo"
STORE_RESOURCE = "thread_store"
IO_MANAGER = "store_io_manager"

UPDATE_TAG = "thread/update"
"""On every run Thread starts: ``index``, ``sensor`` or ``watch``."""
UPDATE_ORIGINS = ("index", "sensor", "watch")
REPO_TAG = "thread/repo"
"""On the runs of a multi-repository code location: the repository's name."""
HOST_TAG = "thread/host"
PID_TAG = "thread/pid"
"""On Thread's runs: the host and process executing it (set when an in-process run is created,
by the run worker itself for a run the daemon launches); a run left in flight by a process of
this host that is gone is marked failed instead of being waited for."""
COMMIT_TAG = "thread/commit"
"""On a run a push webhook started: the commit the checkout was at when it was indexed."""
DELIVERY_TAG = "thread/delivery"
"""On a run a push webhook started: the delivery id (``X-GitHub-Delivery``) that set it off."""
REQUEST_TAG = "thread/request"
"""On a run the file-change sensor requests: a token the sensor's tick waits to see on a run
before letting go of the repository lock."""
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

OWNER_FILE = "thread-repository"
"""In a Dagster instance directory: the root of the one repository the instance serves."""
