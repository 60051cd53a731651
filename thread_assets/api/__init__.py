"""The read-only query API: ``create_app`` (Starlette, ``thread serve``) and its contract, which
the edge Worker (``edge/src/index.js``) serves identically from D1."""

from __future__ import annotations

from .app import create_app
from .contract import ROUTES, openapi

__all__ = ["ROUTES", "create_app", "openapi"]
