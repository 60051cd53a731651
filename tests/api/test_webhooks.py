"""``POST /hooks/github`` with real git: a bare repository standing for GitHub, a developer's
clone that pushes to it, and the checkout Thread indexes. Signed, unsigned, replayed and
malformed deliveries; fast-forwards and a force-push refused; bursts coalescing; and, end to end,
a real ``thread serve`` whose pushes reach the index through a Dagster run tagged with the commit."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.support.shop import without_thread_settings
from thread_assets.api import create_app
from thread_assets.api.webhooks import PATH, GitHubHooks, parse_repo, signature, webhook_config
from thread_assets.repo.git_checkout import Checkout, GitError, fast_forward, open_checkout

from .conftest import THREAD, free_port, wait_healthy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SECRET = "it's a secret to everybody"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def commit(clone: Path, files: dict[str, str], message: str) -> str:
    for rel, text in files.items():
        (clone / rel).write_text(text, encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", message)
    return git(clone, "rev-parse", "HEAD")


@pytest.fixture
def github(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(bare "GitHub" repository, a developer's clone, the checkout Thread indexes)."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    dev = tmp_path / "dev"
    git(tmp_path, "clone", "-q", str(origin), str(dev))
    git(dev, "checkout", "-q", "-b", "main")
    commit(dev, {"app.py": "def first():\n    return 1\n"}, "first")
    git(dev, "push", "-q", "origin", "main")
    checkout = tmp_path / "shop"
    git(tmp_path, "clone", "-q", str(origin), str(checkout))
    return origin, dev, checkout


def push_event(full_name: str, after: str, ref: str = "refs/heads/main", **extra: Any) -> bytes:
    payload = {"ref": ref, "after": after, "repository": {"full_name": full_name}, "deleted": False, **extra}
    return json.dumps(payload).encode()


def headers(body: bytes, *, event: str = "push", delivery: str | None = None, secret: str = SECRET) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": signature(secret.encode(), body),
        "Content-Type": "application/json",
    }


# --- git: fetch and fast-forward ------------------------------------------------------------


def test_fast_forward_follows_pushes_and_refuses_a_force_push(github: tuple[Path, Path, Path]) -> None:
    _, dev, shop = github
    checkout = open_checkout("acme/shop", shop)
    assert checkout.branch == "main" and checkout.ref == "refs/heads/main"
    before = git(shop, "rev-parse", "HEAD")
    assert fast_forward(checkout).moved is False
    pushed = commit(dev, {"b.py": "def second():\n    return 2\n"}, "second")
    git(dev, "push", "-q", "origin", "main")
    moved = fast_forward(checkout)
    assert moved.moved and (moved.before, moved.head) == (before, pushed)
    assert (shop / "b.py").read_text() == "def second():\n    return 2\n"
    # rewrite the pushed commit: the remote no longer contains the checkout's HEAD
    git(dev, "commit", "-q", "--amend", "-m", "second, rewritten")
    git(dev, "push", "-q", "--force", "origin", "main")
    refused = fast_forward(checkout)
    assert refused.refused and "not a fast-forward" in refused.refused and pushed[:12] in refused.refused
    assert git(shop, "rev-parse", "HEAD") == pushed


def test_fast_forward_refuses_another_branch_and_git_refuses_to_overwrite_local_edits(
    github: tuple[Path, Path, Path],
) -> None:
    _, dev, shop = github
    checkout = open_checkout("acme/shop", shop)
    commit(dev, {"app.py": "def first():\n    return 10\n"}, "edit")
    git(dev, "push", "-q", "origin", "main")
    (shop / "app.py").write_text("local edit\n")
    with pytest.raises(GitError, match="merge"):
        fast_forward(checkout)
    git(shop, "checkout", "-q", "--", "app.py")
    git(shop, "checkout", "-q", "-b", "topic")
    refused = fast_forward(checkout)
    assert refused.refused == "the checkout is on branch topic, not main; left as it is"


def test_configuration_mistakes_are_found_at_start_up(github: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, shop = github
    assert parse_repo("acme/shop@release=/srv/shop") == ("acme/shop", "release", "/srv/shop")
    assert parse_repo("acme/shop = /srv/a=b") == ("acme/shop", None, "/srv/a=b")
    for spec in ("shop=/srv", "acme/shop", "acme/shop=", "a/b/c=/x"):
        with pytest.raises(ValueError, match="OWNER/NAME"):
            parse_repo(spec)
    env: dict[str, str] = {}
    assert webhook_config(None, None, env) is None
    with pytest.raises(ValueError, match="needs a secret"):
        webhook_config(None, [f"acme/shop={shop}"], env)
    with pytest.raises(ValueError, match="at least one"):
        webhook_config("s", None, env)
    with pytest.raises(GitError, match="inside the git work tree"):
        (shop / "sub").mkdir()
        webhook_config("s", [f"acme/shop={shop / 'sub'}"], env)
    with pytest.raises(GitError, match="no remote 'origin'"):
        git(tmp_path, "init", "-q", "-b", "main", str(tmp_path / "lonely"))
        webhook_config("s", [f"acme/lonely={tmp_path / 'lonely'}"], env)
    with pytest.raises(ValueError, match="share one checkout"):
        webhook_config("s", [f"acme/shop={shop}", f"acme/fork={shop}"], env)
    secret, checkouts = webhook_config(
        None, None, {"THREAD_WEBHOOK_SECRET": "s", "THREAD_WEBHOOK_REPOS": f"Acme/Shop={shop}"}
    ) or ("", [])
    assert secret == "s" and checkouts == [Checkout("Acme/Shop", shop.resolve(), "main")]


# --- HTTP: signatures, replays, events, coalescing --------------------------------------------


class Recorder:
    """The update ``thread serve`` would run, recording calls and holding each until released."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.running = 0
        self.most_at_once = 0
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self._lock = threading.Lock()

    def __call__(self, checkout: Checkout, delivery: str) -> None:
        with self._lock:
            self.calls.append((checkout.full_name, delivery))
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.started.release()
        self.release.wait(10)
        with self._lock:
            self.running -= 1


@pytest.fixture
def hooked(github: tuple[Path, Path, Path], tmp_path: Path) -> Iterator[tuple[TestClient, GitHubHooks, Recorder]]:
    _, _, shop = github
    other = tmp_path / "ledger"
    git(tmp_path, "clone", "-q", str(github[0]), str(other))
    recorder = Recorder()
    hooks = GitHubHooks(SECRET, [open_checkout("acme/shop", shop), open_checkout("acme/ledger", other)], recorder)
    app = create_app(None, hooks=hooks)
    with TestClient(app) as client:
        yield client, hooks, recorder
        recorder.release.set()  # before the shutdown, which lets running updates finish


def test_only_signed_deliveries_get_in(hooked: tuple[TestClient, GitHubHooks, Recorder]) -> None:
    client, hooks, recorder = hooked
    body = push_event("acme/shop", "a" * 40)
    unsigned = {k: v for k, v in headers(body).items() if k != "X-Hub-Signature-256"}
    for bad in (unsigned, headers(body, secret="wrong"), {**headers(body), "X-Hub-Signature-256": "sha256=00"}):
        response = client.post(PATH, content=body, headers=bad)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "unauthorized"
    # the signature covers every byte of the body
    tampered = client.post(PATH, content=body.replace(b"acme/shop", b"acme/shoq"), headers=headers(body))
    assert tampered.status_code == 401
    recorder.release.set()
    signed = client.post(PATH, content=body, headers=headers(body))
    assert signed.status_code == 202 and signed.json()["repository"] == "acme/shop"
    assert hooks.wait_idle(10) and [name for name, _ in recorder.calls] == ["acme/shop"]


def test_replays_are_ignored_by_delivery_id_and_by_signature(hooked: tuple[TestClient, GitHubHooks, Recorder]) -> None:
    client, hooks, recorder = hooked
    recorder.release.set()
    body = push_event("acme/shop", "b" * 40)
    sent = headers(body, delivery="delivery-1")
    assert client.post(PATH, content=body, headers=sent).status_code == 202
    again = client.post(PATH, content=body, headers=sent)
    assert again.status_code == 200 and again.json() == {"status": "ignored", "reason": "delivery already received"}
    # a captured body sent again under a fresh id (the id header is not signed)
    assert client.post(PATH, content=body, headers=headers(body)).json()["status"] == "ignored"
    other = push_event("acme/shop", "c" * 40)
    reused_id = client.post(PATH, content=other, headers=headers(other, delivery="delivery-1"))
    assert reused_id.json()["status"] == "ignored"
    assert hooks.wait_idle(10) and recorder.calls == [("acme/shop", "delivery-1")]


@pytest.mark.parametrize(
    ("event", "body", "status", "says"),
    [
        ("ping", b'{"zen": "Keep it logically awesome."}', 200, "pong"),
        ("issues", b"{}", 200, "event issues is not handled"),
        ("push", push_event("acme/other", "d" * 40), 200, "repository acme/other is not configured"),
        ("push", push_event("acme/shop", "d" * 40, ref="refs/heads/topic"), 200, "not the indexed branch main"),
        ("push", push_event("acme/shop", "0" * 40, deleted=True), 200, "was deleted"),
        ("push", b"{not json", 400, "not a GitHub event"),
        ("push", b"[1, 2]", 400, "not a JSON object"),
    ],
)
def test_events_that_update_nothing(
    hooked: tuple[TestClient, GitHubHooks, Recorder], event: str, body: bytes, status: int, says: str
) -> None:
    client, hooks, recorder = hooked
    response = client.post(PATH, content=body, headers=headers(body, event=event))
    assert response.status_code == status
    assert says in json.dumps(response.json())
    assert hooks.wait_idle(5) and recorder.calls == []


def test_form_encoded_deliveries_method_and_size(hooked: tuple[TestClient, GitHubHooks, Recorder]) -> None:
    client, hooks, recorder = hooked
    recorder.release.set()
    from urllib.parse import urlencode

    body = urlencode({"payload": push_event("ACME/Shop", "e" * 40).decode()}).encode()
    form = {**headers(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post(PATH, content=body, headers=form).status_code == 202
    wrong = client.get(PATH)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    hooks.max_body = 100
    big = push_event("acme/shop", "f" * 40, padding="x" * 200)
    assert client.post(PATH, content=big, headers=headers(big)).status_code == 413
    assert hooks.wait_idle(10) and len(recorder.calls) == 1


def test_a_burst_of_pushes_coalesces_one_update_at_a_time_per_repository(
    hooked: tuple[TestClient, GitHubHooks, Recorder],
) -> None:
    client, hooks, recorder = hooked
    deliveries = [f"shop-{i}" for i in range(5)]
    for i, delivery in enumerate(deliveries):
        body = push_event("acme/shop", f"{i:040d}")
        answer = client.post(PATH, content=body, headers=headers(body, delivery=delivery))
        assert answer.status_code == 202
        assert answer.json()["coalesced"] is (i >= 2)  # 0 runs, 1 waits, 2.. join the waiting one
        if i == 0:
            assert recorder.started.acquire(timeout=10)  # the first is running before the others arrive
    ledger = push_event("acme/ledger", "1" * 40)
    assert client.post(PATH, content=ledger, headers=headers(ledger, delivery="ledger-0")).status_code == 202
    assert recorder.started.acquire(timeout=10)  # another repository does not wait for this one
    recorder.release.set()
    assert hooks.wait_idle(10)
    shop_calls = [d for name, d in recorder.calls if name == "acme/shop"]
    assert shop_calls == ["shop-0", "shop-4"]  # the update after the first takes the latest push
    assert ("acme/ledger", "ledger-0") in recorder.calls and recorder.most_at_once == 2


def test_no_secret_no_route(tmp_path: Path) -> None:
    with TestClient(create_app(None)) as client:
        body = push_event("acme/shop", "a" * 40)
        assert client.post(PATH, content=body, headers=headers(body)).status_code == 404


# --- end to end: thread serve, git, Dagster ---------------------------------------------------


@pytest.fixture
def served(
    github: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Path, str, Path]]:
    """A real ``thread serve`` with the webhook on, over an index of the checkout; yields (base
    URL, the checkout, the store URL, the server's log file)."""
    from thread_assets.drivers.index import index_repository

    without_thread_settings(monkeypatch)
    _, _, shop = github
    url = f"sqlite:///{tmp_path / 'index.db'}"
    index_repository(shop, store_url=url, workers=1)
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {
        **os.environ,
        "THREAD_WEBHOOK_SECRET": SECRET,
        "THREAD_WORKERS": "1",
        **{k: GIT_ENV[k] for k in GIT_ENV if k.startswith("GIT_")},
    }
    command = [str(THREAD), "serve", "--store", url, "--port", str(port), "--webhook-repo", f"acme/shop={shop}"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc)
            yield base, shop, url, log_path
        finally:
            proc.terminate()
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def deliver(base: str, body: bytes, **kw: Any) -> httpx.Response:
    return httpx.post(base + PATH, content=body, headers=headers(body, **kw), timeout=10)


def test_pushes_reach_the_index_through_one_tagged_dagster_run(
    served: tuple[str, Path, str, Path], github: tuple[Path, Path, Path]
) -> None:
    from dagster import DagsterRunStatus, RunsFilter

    from thread_assets.names import COMMIT_TAG, DELIVERY_TAG
    from thread_assets.orchestration.instance import open_instance

    base, shop, _, log_path = served
    _, dev, _ = github

    def symbol(name: str) -> bool:
        return bool(httpx.get(base + "/api/symbols", params={"name": name}).json()["items"])

    assert symbol("first") and not symbol("pushed")
    head = commit(dev, {"pushed.py": "def pushed():\n    return first()\n"}, "pushed")
    git(dev, "push", "-q", "origin", "main")
    body = push_event("acme/shop", head)
    unsigned = httpx.post(base + PATH, content=body, headers={"X-GitHub-Event": "push", "X-GitHub-Delivery": "x"})
    assert unsigned.status_code == 401
    started = time.monotonic()
    answer = deliver(base, body, delivery="push-1")
    assert answer.status_code == 202 and time.monotonic() - started < 2  # answered before the update runs
    with open_instance(shop / ".thread" / "dagster") as instance:

        def finished() -> bool:
            runs = instance.get_run_records(RunsFilter(tags={COMMIT_TAG: head}))
            return bool(runs) and runs[0].dagster_run.status == DagsterRunStatus.SUCCESS

        wait_for(finished, 120, "a successful run tagged with the pushed commit")
        runs = instance.get_run_records(RunsFilter(tags={COMMIT_TAG: head}))
        assert [r.dagster_run.tags[DELIVERY_TAG] for r in runs] == ["push-1"]
    assert symbol("pushed") and git(shop, "rev-parse", "HEAD") == head

    # a burst: three pushes, their deliveries back to back; the first update fetches all three
    # commits, the one the later deliveries coalesced into finds nothing left to do
    heads = []
    for i in range(3):
        heads.append(commit(dev, {f"burst_{i}.py": f"def burst_{i}():\n    return {i}\n"}, f"burst {i}"))
        git(dev, "push", "-q", "origin", "main")
    answers = [deliver(base, push_event("acme/shop", h), delivery=f"burst-{i}").json() for i, h in enumerate(heads)]
    assert answers[-1]["coalesced"] is True  # the first runs (or waits to), the others share one turn
    wait_for(lambda: symbol("burst_2"), 120, "the last pushed symbol in the index")
    wait_for(lambda: "(push burst-2): analysed" in log_path.read_text(), 60, "the coalesced update")
    with open_instance(shop / ".thread" / "dagster") as instance:
        tags = [r.dagster_run.tags for r in instance.get_run_records(RunsFilter())]
    burst = [(t[DELIVERY_TAG], t[COMMIT_TAG]) for t in tags if t.get(DELIVERY_TAG, "").startswith("burst")]
    assert len(burst) == 1 and burst[0][1] == heads[-1], log_path.read_text()
    assert git(shop, "rev-parse", "HEAD") == heads[-1]

    # a force-push is refused with its reason in the log, the checkout and index left as they are
    git(dev, "reset", "-q", "--hard", "HEAD~3")
    forced = commit(dev, {"forced.py": "def forced():\n    return 0\n"}, "rewritten history")
    git(dev, "push", "-q", "--force", "origin", "main")
    assert deliver(base, push_event("acme/shop", forced, forced=True), delivery="forced").status_code == 202
    wait_for(lambda: "not a fast-forward" in log_path.read_text(errors="replace"), 60, "the refusal in the log")
    assert git(shop, "rev-parse", "HEAD") == heads[-1]
    assert not symbol("forced") and symbol("burst_2")


def test_serve_refuses_a_webhook_it_cannot_run(github: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, shop = github
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREAD_")}
    for args, says in (
        (["--webhook-secret", "s", "--webhook-repo", f"acme/shop={tmp_path / 'gone'}"], "no such directory"),
        (["--webhook-secret", "s", "--webhook-repo", f"acme/shop={shop}", "--analyze-only"], "not with --analyze-only"),
    ):
        done = subprocess.run(
            [str(THREAD), "serve", "--port", str(free_port()), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_failed_update_is_logged_and_the_next_push_still_runs(
    github: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    _, _, shop = github
    calls: list[str] = []

    def update(checkout: Checkout, delivery: str) -> None:
        calls.append(delivery)
        if delivery == "first":
            raise GitError("git merge --ff-only in /srv/shop: Your local changes would be overwritten")

    hooks = GitHubHooks(SECRET, [open_checkout("acme/shop", shop)], update)
    with TestClient(create_app(None, hooks=hooks)) as client:
        for delivery, after in (("first", "1" * 40), ("second", "2" * 40)):
            body = push_event("acme/shop", after)
            assert client.post(PATH, content=body, headers=headers(body, delivery=delivery)).status_code == 202
            assert hooks.wait_idle(10)
    assert calls == ["first", "second"]
    assert "acme/shop: update for push first failed: git merge --ff-only" in caplog.text
