"""``thread serve``: the read-only HTTP query API (Starlette + uvicorn) over any store URL."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from thread_assets.repo.settings import api_token

from .errors import UserError
from .queries import QUERY_STORE_HELP, open_for_query


def cmd_serve(args: argparse.Namespace, out: Console) -> int:
    import uvicorn

    from thread_assets.api import create_app

    if not 0 <= args.port <= 65535:
        raise UserError(f"--port must be 0-65535, not {args.port}")
    token = api_token(args.token)
    store = open_for_query(args.store)
    app = create_app(store.url, token or None, store=store)
    auth = "bearer token required on /api/" if token else "no authentication"
    Console(stderr=True).print(
        f"thread serve: {store.url} on http://{args.host}:{args.port} ({auth}); OpenAPI at /openapi.json"
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=args.access_log,
        server_header=False,
    )
    return 0


def add_serve_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    """Register ``serve``; returns {command: handler}."""
    p = sub.add_parser("serve", help="serve the index over a read-only HTTP JSON API (OpenAPI at /openapi.json)")
    p.add_argument("--store", help=QUERY_STORE_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help="require 'Authorization: Bearer TOKEN' on /api/ (default: $THREAD_API_TOKEN)")
    p.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    p.add_argument("--access-log", action="store_true", help="log every request")
    return {"serve": cmd_serve}
