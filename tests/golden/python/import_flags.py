"""How each import loads: type-only, deferred, conditional."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .models import Order
else:
    Order = None

try:
    import orjson as json_impl
except ImportError:  # pragma: no cover
    import json as json_impl

log = logging.getLogger(__name__)


def export(orders: Sequence[Order]) -> str:
    import csv
    import io

    if not orders:
        from .empty import EMPTY

        return EMPTY
    buffer = io.StringIO()
    csv.writer(buffer).writerows(json_impl.dumps(o) for o in orders)
    return buffer.getvalue()


class Exporter:
    import textwrap

    def wrap(self, text: str) -> str:
        return self.textwrap.fill(text)
