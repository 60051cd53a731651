"""``POST /hooks/github``: GitHub push webhooks that keep checkouts and their index up to date.

Off unless ``thread serve`` is given a secret. A delivery is answered at once (202) and applied in
the background: the update (``git fetch`` and a fast-forward, then one index run) takes seconds to
minutes, and GitHub gives up on a hook after 10 s. Per repository one update runs at a time, and
pushes that arrive meanwhile collapse into ONE more update (the fetch then takes whatever the
branch is at by then, so nothing is lost by skipping the ones in between).

Authentication is the HMAC-SHA256 of the raw body under the shared secret, which GitHub sends as
``X-Hub-Signature-256``; it is compared in constant time. The delivery id header is not signed,
so a replay is recognised both by its delivery id and by its signature (a redelivered or
captured body carries the same one), remembered for the last :data:`REMEMBERED` deliveries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from thread_assets.repo.git_checkout import Checkout, open_checkout
from thread_assets.repo.settings import RepoSettings

from .contract import ApiError

log = logging.getLogger("thread.hooks")

PATH = "/hooks/github"
MAX_BODY = 25 * 1024 * 1024
"""GitHub caps a webhook payload at 25 MB: nothing larger is a real delivery."""
REMEMBERED = 10_000
"""Delivery ids and signatures kept against replays (a few MB at most)."""

Update = Callable[[Checkout, str], object]
"""``update(checkout, delivery_id)``: bring the checkout and its index up to date (blocking)."""


def signature(secret: bytes, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value GitHub sends for ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str | None) -> bool:
    """Constant-time comparison of the header with the body's signature."""
    if not header:
        return False
    return hmac.compare_digest(header.strip().encode("ascii", "replace"), signature(secret, body).encode())


@dataclass
class _Lane:
    """One repository's updates: at most one running, at most one waiting (the latest push)."""

    running: bool = False
    waiting: str | None = None
    """The delivery id of the push to apply next, if any."""


class GitHubHooks:
    """Verifies deliveries and runs ``update`` for each mapped repository's pushes, one at a time
    per repository, in background threads."""

    def __init__(self, secret: str, checkouts: Iterable[Checkout], update: Update, *, max_body: int = MAX_BODY) -> None:
        if not secret:
            raise ValueError("a webhook secret is required")
        self.secret = secret.encode()
        self.checkouts = {c.full_name.lower(): c for c in checkouts}
        self.update = update
        self.max_body = max_body
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._lanes: dict[str, _Lane] = {}
        self._threads: set[threading.Thread] = set()
        self._idle = threading.Condition(self._lock)
        self._closed = False

    def route(self) -> Route:
        """Every method reaches :meth:`endpoint`, which answers all but POST with a 405 naming
        POST (the app's own 405 names the query routes' GET)."""
        return Route(PATH, self.endpoint, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])

    async def endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            exc = ApiError(405, "method not allowed: use POST", {"Allow": "POST"})
            return Response(json.dumps(exc.body()), 405, exc.headers, media_type="application/json")
        try:
            status, body = self.receive(
                await _read_body(request, self.max_body),
                signature_header=request.headers.get("x-hub-signature-256"),
                event=request.headers.get("x-github-event", ""),
                delivery=request.headers.get("x-github-delivery", ""),
                content_type=request.headers.get("content-type", ""),
            )
        except ApiError as exc:
            status, body = exc.status, exc.body()
        return Response(json.dumps(body), status_code=status, media_type="application/json")

    def receive(
        self, body: bytes, *, signature_header: str | None, event: str, delivery: str, content_type: str = ""
    ) -> tuple[int, dict[str, Any]]:
        """Decide on one delivery: (status, JSON body). Only a signed delivery gets past the
        first check; nothing about the configuration is revealed to anyone else."""
        if not verify(self.secret, body, signature_header):
            log.warning("webhook delivery %s refused: bad or missing X-Hub-Signature-256", delivery or "(no id)")
            raise ApiError(401, "bad or missing X-Hub-Signature-256")
        if not delivery:
            raise ApiError(400, "no X-GitHub-Delivery header")
        if not self._first_time(delivery, signature_header or ""):
            log.info("webhook delivery %s ignored: already received", delivery)
            return 200, {"status": "ignored", "reason": "delivery already received"}
        if event == "ping":
            return 200, {"status": "ok", "reason": "pong"}
        if event != "push":
            return 200, {"status": "ignored", "reason": f"event {event or '(none)'} is not handled (only push)"}
        payload = _payload(body, content_type)
        name = str((payload.get("repository") or {}).get("full_name") or "")
        checkout = self.checkouts.get(name.lower())
        if checkout is None:
            log.warning("webhook delivery %s ignored: repository %r is not configured", delivery, name)
            return 200, {"status": "ignored", "reason": f"repository {name or '(none)'} is not configured"}
        ref = payload.get("ref")
        if ref != checkout.ref:
            return 200, {"status": "ignored", "reason": f"{ref} is not the indexed branch {checkout.branch}"}
        if payload.get("deleted"):
            return 200, {"status": "ignored", "reason": f"branch {checkout.branch} was deleted"}
        coalesced = self._submit(checkout, delivery)
        return 202, {
            "status": "accepted",
            "repository": checkout.full_name,
            "commit": payload.get("after"),
            "coalesced": coalesced,
        }

    def _first_time(self, delivery: str, signed: str) -> bool:
        keys = ("id:" + delivery, "sig:" + signed.strip())
        with self._lock:
            if any(k in self._seen for k in keys):
                return False
            for k in keys:
                self._seen[k] = None
            while len(self._seen) > 2 * REMEMBERED:
                self._seen.popitem(last=False)
        return True

    def _submit(self, checkout: Checkout, delivery: str) -> bool:
        """Queue an update; True when it joined one already waiting (the burst coalesced)."""
        with self._lock:
            if self._closed:
                raise ApiError(503, "shutting down")
            lane = self._lanes.setdefault(checkout.full_name, _Lane())
            coalesced = lane.waiting is not None
            lane.waiting = delivery
            if not lane.running:
                lane.running = True
                thread = threading.Thread(
                    target=self._drain, args=(checkout, lane), name=f"push {checkout.full_name}", daemon=True
                )
                self._threads.add(thread)
                thread.start()
        if coalesced:
            log.info("%s: push %s joins the update already waiting", checkout.full_name, delivery)
        return coalesced

    def _drain(self, checkout: Checkout, lane: _Lane) -> None:
        while True:
            with self._lock:
                delivery = lane.waiting
                lane.waiting = None
                if delivery is None or self._closed:
                    lane.running = False
                    self._threads.discard(threading.current_thread())
                    self._idle.notify_all()
                    return
            try:
                self.update(checkout, delivery)
            except Exception as exc:
                log.error("%s: update for push %s failed: %s", checkout.full_name, delivery, exc)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no update runs or waits; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._threads, timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Stop taking pushes, drop the waiting ones and let the running updates finish (an index
        run cut short would leave its repository's lock to the kernel and its run to be marked
        failed later; finishing is cleaner). False when one is still running after ``timeout``."""
        with self._lock:
            self._closed = True
        return self.wait_idle(timeout)


def _payload(body: bytes, content_type: str) -> dict[str, Any]:
    """The event's JSON: the body itself, or its ``payload`` field when GitHub was set to send
    ``application/x-www-form-urlencoded``."""
    try:
        if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            text = parse_qs(body.decode("utf-8"), strict_parsing=True)["payload"][0]
        else:
            text = body.decode("utf-8")
        payload = json.loads(text)
    except (ValueError, KeyError, IndexError, UnicodeDecodeError):
        raise ApiError(400, "the body is not a GitHub event (JSON, or a form with a payload field)") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "the event is not a JSON object")
    return payload


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


SECRET_ENV = "THREAD_WEBHOOK_SECRET"
REPOS_ENV = "THREAD_WEBHOOK_REPOS"
SHUTDOWN_S = 30.0
"""At shutdown, how long an update in progress is given to finish (then the process exits and
the next update repairs what it left: a store transaction rolls back, a dead run is marked failed)."""


def parse_repo(spec: str) -> tuple[str, str | None, str]:
    """``OWNER/NAME[@BRANCH]=PATH`` -> (full name, branch or None, path). GitHub names have no
    ``@`` or ``=``, so the first ``=`` ends the name and branch."""
    left, sep, path = spec.partition("=")
    name, _, branch = left.strip().partition("@")
    owner, slash, repo = name.partition("/")
    if not sep or not path.strip() or not slash or not owner or not repo or "/" in repo:
        raise ValueError(f"{spec!r}: expected OWNER/NAME[@BRANCH]=PATH (the repository on GitHub and its checkout)")
    return name, branch.strip() or None, path.strip()


def repo_specs(flags: list[str] | None, env: Mapping[str, str]) -> list[str]:
    """The ``--webhook-repo`` flags, else ``THREAD_WEBHOOK_REPOS`` (comma-separated)."""
    if flags:
        return flags
    return [s.strip() for s in env.get(REPOS_ENV, "").split(",") if s.strip()]


def webhook_config(
    secret_flag: str | None, repo_flags: list[str] | None, env: Mapping[str, str] | None = None
) -> tuple[str, list[Checkout]] | None:
    """The secret and the checkouts of ``POST /hooks/github``, None when no secret is set (the
    route is off). ValueError (GitError) for a configuration that cannot work, found at start-up:
    repositories without a secret or a secret without repositories, a path that is not the top of
    a clone with an ``origin``, two repositories on one checkout, index name or Dagster instance."""
    env = os.environ if env is None else env
    secret = (secret_flag if secret_flag is not None else env.get(SECRET_ENV)) or None
    specs = repo_specs(repo_flags, env)
    if secret is None:
        if specs:
            raise ValueError(f"--webhook-repo needs a secret (--webhook-secret or {SECRET_ENV})")
        return None
    if not specs:
        raise ValueError(f"a webhook secret needs at least one --webhook-repo OWNER/NAME=PATH (or {REPOS_ENV})")
    checkouts = [open_checkout(name, path, branch) for name, branch, path in map(parse_repo, specs)]
    for what, key in (
        ("repository", lambda c: c.full_name.lower()),
        ("checkout", lambda c: str(c.path)),
        ("index name (the checkout's directory name, or THREAD_REPO_NAME)", lambda c: _settings(c, env).name),
        ("Dagster instance (DAGSTER_HOME: leave it unset for several)", lambda c: str(_settings(c, env).dagster_home)),
    ):
        seen: dict[str, Checkout] = {}
        for c in checkouts:
            other = seen.setdefault(key(c), c)
            if other is not c:
                raise ValueError(f"{other.full_name} and {c.full_name} share one {what}")
    return secret, checkouts


def _settings(checkout: Checkout, env: Mapping[str, str]) -> RepoSettings:
    return RepoSettings.resolve(checkout.path, env=env)


def log_to_stderr() -> None:
    """Updates happen in the background: say each outcome on stderr (the server logs only its
    own warnings otherwise)."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s thread serve: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
