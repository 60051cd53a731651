"""``thread serve``: the read-only HTTP query API (Starlette + uvicorn) over any store URL, and
on-demand analysis of source sent to it (``POST /api/analyze``; alone with ``--analyze-only``)."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import socket
from typing import TYPE_CHECKING, Any

from rich.console import Console

from thread_assets.api.analyze import MAX_BODY, MAX_FILES, TIMEOUT_S, AnalyzeLimits
from thread_assets.repo.settings import api_token, query_store_url

from .errors import UserError
from .queries import QUERY_STORE_HELP, open_for_query

if TYPE_CHECKING:
    from thread_assets.api.webhooks import GitHubHooks


def cmd_serve(args: argparse.Namespace, out: Console) -> int:
    import uvicorn

    from thread_assets.api import create_app

    if not 0 <= args.port <= 65535:
        raise UserError(f"--port must be 0-65535, not {args.port}")
    limits = analyze_limits(args)
    if args.analyze_only and args.store:
        raise UserError("--analyze-only serves no index: drop --store")
    token = api_token(args.token)
    hooks = github_hooks(args, has_index=not args.analyze_only)  # a mistake in it: one line, before anything
    # no index: one line, the server never starts
    store = None if args.analyze_only else open_for_query(args.store)
    try:
        sock = listen(args.host, args.port)  # a busy port: one line, before anything is announced
    except BaseException:
        if store is not None:
            store.close()
        raise
    # a token already keeps a rebinding page out (it cannot send it): names are checked only
    # without one, or when asked for
    hosts = allowed_hosts(args.host, args.allowed_host or []) if args.allowed_host or not token else None
    app = create_app(
        store.url if store else None, token or None, store=store, allowed_hosts=hosts, limits=limits, hooks=hooks
    )
    auth = "bearer token required on /api/" if token else "no authentication"
    host, port = sock.getsockname()[:2]
    where = f"[{host}]" if ":" in host else host
    what = store.url if store else "analysis only (no index)"
    Console(stderr=True).print(
        f"thread serve: {what} on http://{where}:{port} ({auth}); OpenAPI at /openapi.json",
        highlight=False,
        soft_wrap=True,
    )
    config = uvicorn.Config(
        app, log_level=args.log_level, access_log=args.access_log, server_header=False, host=host, port=port
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def analyze_limits(args: argparse.Namespace) -> AnalyzeLimits:
    for flag, value in (("--max-body", args.max_body), ("--max-files", args.max_files)):
        if value < 1:
            raise UserError(f"{flag} must be 1 or more, not {value}")
    if not args.analyze_timeout > 0:
        raise UserError(f"--analyze-timeout must be positive, not {args.analyze_timeout:g}")
    if args.analyze_workers is not None and args.analyze_workers < 1:
        raise UserError(f"--analyze-workers must be 1 or more, not {args.analyze_workers}")
    return AnalyzeLimits(
        max_body=args.max_body,
        max_files=args.max_files,
        timeout_s=args.analyze_timeout,
        workers=args.analyze_workers,
    )


def github_hooks(args: argparse.Namespace, *, has_index: bool) -> GitHubHooks | None:
    """``POST /hooks/github`` when a webhook secret is set: its checkouts checked now (one line
    for a mistake), each push's update indexing into the store this server answers from."""
    from functools import partial

    from thread_assets.api.webhooks import GitHubHooks, log_to_stderr, webhook_config
    from thread_assets.repo.git_checkout import GitError

    try:
        config = webhook_config(args.webhook_secret, args.webhook_repo)
    except (ValueError, GitError) as exc:
        raise UserError(str(exc)) from None
    if config is None:
        return None
    if not has_index:
        raise UserError("--webhook-secret updates an index: not with --analyze-only")
    from thread_assets.drivers.push import update_checkout

    secret, checkouts = config
    log_to_stderr()
    return GitHubHooks(secret, checkouts, partial(update_checkout, store_url=query_store_url(args.store)))


def allowed_hosts(bound: str, extra: list[str]) -> list[str]:
    """The ``Host`` names ``thread serve`` answers to (besides any IP address, always answered):
    ``localhost``, the ``--host`` name when it is one, the machine's name when bound to every
    address (``0.0.0.0``, ``::``), and every ``--allowed-host``."""
    names = ["localhost", *extra]
    try:
        address = ipaddress.ip_address(bound.strip("[]"))
    except ValueError:
        names.append(bound)
    else:
        if address.is_unspecified:
            names.append(socket.gethostname())
    return names


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (``SO_REUSEADDR``, as uvicorn binds), handed to uvicorn;
    UserError when the address cannot be resolved or is in use."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        hint = "; another server is using it: pick another --port" if exc.errno == errno.EADDRINUSE else ""
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from None
    return sock


def add_serve_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Any]:
    """Register ``serve``; returns {command: handler}."""
    p = sub.add_parser(
        "serve",
        help="serve the index over a read-only HTTP JSON API (OpenAPI at /openapi.json), and analyse code sent to it",
    )
    p.add_argument("--store", help=QUERY_STORE_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help="require 'Authorization: Bearer TOKEN' on /api/ (default: $THREAD_API_TOKEN)")
    p.add_argument(
        "--allowed-host",
        action="append",
        metavar="NAME",
        help="also answer requests for this host name (repeatable; '*': any). Default: IP addresses, localhost, "
        "the --host name; checked without --token (against DNS rebinding) or when this is given",
    )
    p.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.add_argument(
        "--analyze-only",
        action="store_true",
        help="serve POST /api/analyze alone, with no index (an analysis container behind the edge Worker)",
    )
    p.add_argument(
        "--max-body", type=int, default=MAX_BODY, metavar="BYTES", help=f"/api/analyze: 413 above (default {MAX_BODY})"
    )
    p.add_argument(
        "--max-files", type=int, default=MAX_FILES, help=f"/api/analyze: files per request, 413 above ({MAX_FILES})"
    )
    p.add_argument(
        "--analyze-timeout",
        type=float,
        default=TIMEOUT_S,
        metavar="S",
        help=f"/api/analyze: seconds per file, then an error record for it (default {TIMEOUT_S:g})",
    )
    p.add_argument(
        "--analyze-workers", type=int, metavar="N", help="/api/analyze: parser processes (default: every CPU)"
    )
    p.add_argument(
        "--webhook-secret",
        metavar="SECRET",
        help="serve POST /hooks/github, GitHub push webhooks signed with this secret (default: $THREAD_WEBHOOK_SECRET)",
    )
    p.add_argument(
        "--webhook-repo",
        action="append",
        metavar="REPO",
        help="OWNER/NAME=PATH: a GitHub repository whose pushes fast-forward the clone at PATH and update its index "
        "(repeatable; OWNER/NAME@BRANCH=PATH for another branch than the checked-out one; "
        "default: $THREAD_WEBHOOK_REPOS, comma-separated)",
    )
    return {"serve": cmd_serve}
