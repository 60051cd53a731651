"""``thread mcp``: the index as Model Context Protocol tools for coding agents, over stdio (the
agent starts it) or streamable HTTP (``--http PORT``: one server for several agents)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from resources.store.base import StoreError
from resources.store.url import open_index
from thread_assets.repo.settings import RepoSettings, api_token

from .errors import UserError
from .serve import listen


def cmd_mcp(args: argparse.Namespace, out: Console) -> int:
    import anyio

    from thread_assets.api.mcp_server import Index, build_server

    root = Path(args.root).expanduser() if args.root else Path.cwd()
    if not root.is_dir():
        raise UserError(f"--root {args.root} is not a directory")
    if args.http is not None and not 0 <= args.http <= 65535:
        raise UserError(f"--http must be a port, 0-65535, not {args.http}")
    settings = RepoSettings.resolve(root, store_url=args.store, repo_name=args.repo)
    try:
        store = open_index(settings.store_url)  # no index: one line, nothing starts
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        server = build_server(Index(store, settings, args.repo))
        if args.http is None:
            anyio.run(server.run_stdio_async)  # stdout is the protocol's: nothing else is printed there
        else:
            _serve_http(server, args, store.url)
    finally:
        store.close()
    return 0


def _serve_http(server: Any, args: argparse.Namespace, store_url: str) -> None:
    import uvicorn

    from thread_assets.api.mcp_server import http_app

    token = api_token(args.token)
    try:
        sock = listen(args.host, args.http)  # a busy port: one line, before anything is announced
    except UserError as exc:
        raise UserError(str(exc).replace("--port", "--http")) from None
    host, port = sock.getsockname()[:2]
    where = f"[{host}]" if ":" in host else host
    auth = "bearer token required" if token else "no authentication"
    Console(stderr=True).print(
        f"thread mcp: {store_url} on http://{where}:{port}/mcp ({auth})", highlight=False, soft_wrap=True
    )
    app = http_app(server, host=args.host, token=token)
    config = uvicorn.Config(app, log_level=args.log_level, server_header=False, host=host, port=port)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def add_mcp_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    """Register ``mcp``; returns {command: handler}."""
    p = sub.add_parser(
        "mcp",
        help="serve the index to coding agents over the Model Context Protocol (stdio, or HTTP with --http)",
    )
    p.add_argument("--store", help="store URL (default: $THREAD_STORE_URL, else ROOT/.thread/index.db)")
    p.add_argument("--root", metavar="PATH", help="the indexed repository (default: the current directory)")
    p.add_argument("--repo", help="only this repository of the store (default: all; index_status: the root's name)")
    p.add_argument("--http", type=int, metavar="PORT", help="serve streamable HTTP at http://HOST:PORT/mcp, not stdio")
    p.add_argument("--host", default="127.0.0.1", help="with --http: address to listen on (default 127.0.0.1)")
    p.add_argument("--token", help="with --http: require 'Authorization: Bearer TOKEN' (default: $THREAD_API_TOKEN)")
    p.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    return {"mcp": cmd_mcp}
