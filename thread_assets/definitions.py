"""The Dagster code location that ``workspace.yaml`` (``dagster dev``, the daemon, ``thread ui``)
loads. A leaf: nothing imports it, and it only turns the environment into Definitions
(:mod:`thread_assets.code_location` says which variables)."""

from thread_assets.code_location import definitions_from_env

defs = definitions_from_env()
