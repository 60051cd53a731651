"""Dagster-facing resources: the index stores (``resources.store``) and what wraps them."""
