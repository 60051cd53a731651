"""Where analyses are kept: one schema (``sql/``), several backends behind the ``Store`` protocol.

``open_store(url)`` picks the backend from the URL; everything above (Dagster IO managers, the
CLI, the query API) talks to the returned ``Store`` only.
"""

from __future__ import annotations

from .base import TABLES, Store, StoreError
from .url import mask_password, open_index, open_store

__all__ = [
    "TABLES",
    "Store",
    "StoreError",
    "mask_password",
    "open_index",
    "open_store",
]
