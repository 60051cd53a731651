"""``thread mcp``: the index as Model Context Protocol tools, for coding agents.

An agent reads an answer token by token, so every tool returns compact JSON (no indentation,
only the fields an agent acts on: ``path``, ``line``, ids it can pass to the next tool) in one
envelope, ``{"items": [...], "offset": N, "next_offset": N | null}``, and takes ``limit`` and
``offset``. The same JSON is the result's ``structuredContent``, for clients that read that
instead. A name or path the index does not hold is an error result that lists near spellings,
which an agent can retry with; a search that finds nothing is an empty page with a ``note``.

Tools are synchronous: the SDK runs each call in a worker thread, as Starlette does for
``thread serve``, and the stores are shared by threads the same way.
"""

from .server import build_server, http_app
from .tools import Index

__all__ = ["Index", "build_server", "http_app"]
