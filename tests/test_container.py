"""The container image without a container engine: the Dockerfile's install steps, read from the
Dockerfile itself, run in a fresh virtual environment over a build context made as Docker makes it
(``.dockerignore``), then the image's entrypoint script starts ``thread serve`` (queries and
``POST /api/analyze``) and runs Dagster commands from that environment, with the Dockerfile's
``ENV``. What this cannot exercise (the base image, apt, the user switch, layers) is listed in
docs/deploy.md.

The dependency step takes half a minute and the network: like Docker's layer cache, its result is
kept (``~/.cache/thread/image``) under a key of everything it depends on (the Dockerfile's step,
``docker/install.sh``, ``docker/requirements.txt``, the interpreter), so it runs again only when
one of them changes. The step installing Thread itself runs every time."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
CACHE = Path(os.environ.get("THREAD_IMAGE_CACHE", Path.home() / ".cache" / "thread" / "image"))


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(
        r"\\\n", " ", "\n".join(line for line in DOCKERFILE.splitlines() if not line.lstrip().startswith("#"))
    )
    out = []
    for line in text.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for word, rest in instructions():
        if word == "FROM":
            result.append([])
        if result:
            result[-1].append((word, rest))
    return result


def test_the_dockerfile_is_multi_stage_pinned_and_non_root() -> None:
    args = dict(rest.split("=", 1) for word, rest in instructions() if word == "ARG" and "=" in rest)
    base = args["PYTHON_IMAGE"]
    match = re.fullmatch(r"python:(\d+)\.(\d+)\.(\d+)-slim-\w+", base)
    assert match, f"the base is pinned to a patch release of a slim image, not {base}"
    # the dependencies were resolved (docker/requirements.txt) and are tested with this Python
    assert tuple(map(int, match.groups()[:2])) == sys.version_info[:2]
    build, final = stages()
    assert build[0] == ("FROM", "${PYTHON_IMAGE} AS build") and final[0] == ("FROM", "${PYTHON_IMAGE}")
    runs = [rest for word, rest in build if word == "RUN"]
    assert [r.split()[:3] for r in runs] == [["sh", "/build/install.sh", "deps"], ["sh", "/build/install.sh", "app"]]
    final_words = [word for word, _ in final]
    assert "COPY" in final_words and not any(w == "RUN" and "pip" in r for w, r in final)
    users = [rest for word, rest in final if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert final_words[-1] == "ENTRYPOINT" and '"/opt/thread/entrypoint.sh"' in final[-1][1]
    env = " ".join(rest for word, rest in final if word == "ENV")
    assert "PATH=/opt/thread/venv/bin:$PATH" in env


def dockerignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    """``.dockerignore`` as (exception, pattern) in order; Docker's syntax: ``*`` and ``?``
    within a path element, ``**`` across elements, ``!`` re-includes."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif pattern[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif pattern[i] == "?":
                regex, i = regex + "[^/]", i + 1
            else:
                regex, i = regex + re.escape(pattern[i]), i + 1
        rules.append((negate, re.compile(regex + r"\Z")))
    return rules


def ignored(rel: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's verdict: the last rule matching the path or one of its parents wins."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for negate, regex in rules:
        if any(regex.match(p) for p in prefixes):
            verdict = not negate
    return verdict


def build_context(into: Path) -> list[str]:
    """Copy what ``COPY . /build/context`` would see into ``into``; returns the relative paths."""
    rules = dockerignore_rules()
    reopened = [r.pattern for negate, r in rules if negate]
    copied = []
    for top, dirs, files in os.walk(ROOT):
        rel_top = os.path.relpath(top, ROOT)
        rel_top = "" if rel_top == "." else rel_top + "/"
        # a directory the rules exclude is walked only when an exception may reopen part of it
        dirs[:] = [
            d
            for d in dirs
            if not ignored(rel_top + d, rules) or any(p.startswith(re.escape(rel_top + d) + "/") for p in reopened)
        ]
        for name in files:
            rel = rel_top + name
            if not ignored(rel, rules):
                target = into / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, target)
                copied.append(rel)
    return copied


def test_the_build_context_holds_what_the_image_needs_and_nothing_else(tmp_path: Path) -> None:
    copied = set(build_context(tmp_path))
    for needed in ("pyproject.toml", "README.md", "sql/schema.sql", "docker/entrypoint.sh", "docker/install.sh"):
        assert needed in copied
    assert any(p.startswith("edge/migrations/") for p in copied)  # the D1 store applies them
    assert not any(p.startswith(("edge/src/", "edge/node_modules/")) for p in copied)
    tops = {p.split("/")[0] for p in copied}
    assert not tops & {".git", ".venv", "tests", "bench", "docs", "scripts", ".thread"}
    assert not any("__pycache__" in p for p in copied)


@dataclass
class Image:
    prefix: Path
    env: dict[str, str]

    @property
    def entrypoint(self) -> str:
        return str(self.prefix / "entrypoint.sh")


def install_env() -> dict[str, str]:
    """The build's environment: none of this machine's pip configuration (its extra indexes and
    local wheel directories are not the image's), only the CA bundle the network may need."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "THREAD_", "PYTHON", "VIRTUAL_ENV"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    if "PIP_CERT" in os.environ:
        env["PIP_CERT"] = os.environ["PIP_CERT"]
    env["PYTHON"] = sys._base_executable  # the interpreter this virtualenv was made from
    env["PATH"] = os.environ.get("PATH", os.defpath)
    return env


def run_step(line: str, replace: dict[str, str], env: dict[str, str]) -> None:
    """One ``RUN`` line of the Dockerfile with the image's paths replaced by the test's."""
    words = [replace.get(w, w) for w in shlex.split(line)]
    for old, new in replace.items():
        words = [w.replace(old, new) if w.startswith(old + "/") else w for w in words]
    done = subprocess.run(words, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, f"{' '.join(words)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Image]:
    build, final = stages()
    deps_line, app_line = (rest for word, rest in build if word == "RUN")
    context = tmp_path_factory.mktemp("context")
    build_context(context)
    key = hashlib.sha256()
    for part in (deps_line, (ROOT / "docker/install.sh").read_text(), (ROOT / "docker/requirements.txt").read_text()):
        key.update(part.encode() + b"\0")
    key.update(sys.version.encode())
    prefix = CACHE / key.hexdigest()[:16]
    env = install_env()
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one test process uses a prefix at a time
        if not (prefix / "deps-done").exists():
            shutil.rmtree(prefix, ignore_errors=True)
            run_step(
                deps_line,
                {
                    "/build/install.sh": str(ROOT / "docker/install.sh"),
                    "/opt/thread": str(prefix),
                    "/build/requirements.txt": str(ROOT / "docker/requirements.txt"),
                },
                env,
            )
            (prefix / "deps-done").touch()
        # COPY docker/install.sh ... /build/ came from the context in the deps layer
        run_step(
            app_line,
            {
                "/build/install.sh": str(context / "docker/install.sh"),
                "/opt/thread": str(prefix),
                "/build/context": str(context),
            },
            env,
        )
        runtime = {k: v for k, v in os.environ.items() if not k.startswith(("THREAD_", "DAGSTER_", "VIRTUAL_ENV"))}
        for word, rest in final:
            if word == "ENV":
                for name, value in (pair.split("=", 1) for pair in shlex.split(rest)):
                    runtime[name] = value.replace("$PATH", os.environ["PATH"]).replace("/opt/thread", str(prefix))
        runtime["THREAD_WORKERS"] = "1"
        yield Image(prefix, runtime)


def test_the_image_indexes_serves_and_answers_analysis(image: Image, tmp_path: Path) -> None:
    repo = tmp_path / "repo"  # the image's WORKDIR, /repo
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "orders.py").write_text("from pkg.util import add\n\n\ndef total(xs):\n    return add(xs)\n")
    (repo / "pkg" / "util.py").write_text("def add(xs):\n    return sum(xs)\n")
    env = {**image.env, "DAGSTER_HOME": str(tmp_path / "dagster")}

    def run(*args: str) -> str:
        done = subprocess.run([image.entrypoint, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    # the installed wheel, not this checkout's code, with the SQL inside it
    where = run(
        "python", "-c", "import thread_assets, resources.store.sqlbase as s; print(thread_assets.__file__, s.SQL_DIR)"
    )
    site = image.prefix / f"venv/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
    assert where.split() == [str(site / "thread_assets/__init__.py"), str(site / "resources/store/sql")]
    # a command other than serve runs as it is: Dagster's code location loads (what a code server
    # and a run worker do first), and an index runs through Dagster
    (tmp_path / "validate").mkdir()  # its own instance: two processes never create one at once
    validate = subprocess.Popen(
        [image.entrypoint, "dagster", "definitions", "validate", "-m", "thread_assets.definitions"],
        cwd=repo,
        env={**env, "DAGSTER_HOME": str(tmp_path / "validate")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert '"analysed": 2' in run("thread", "index", ".", "--json", "--quiet")
    said = validate.communicate(timeout=300)[0].decode(errors="replace")
    assert validate.returncode == 0, said[-3000:]

    # no arguments: thread serve over /repo's index, on THREAD_HOST:THREAD_PORT
    port = free_port()
    proc = subprocess.Popen(
        [image.entrypoint],
        cwd=repo,
        env={**env, "THREAD_HOST": "127.0.0.1", "THREAD_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        # the entrypoint exec'd thread serve from the image's virtualenv (a signal reaches it)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert cmdline[1].decode() == str(image.prefix / "venv/bin/thread") and cmdline[2] == b"serve"
        found = httpx.get(base + "/api/symbols", params={"name": "total"}).json()["items"]
        assert [s["path"] for s in found] == ["pkg/orders.py"]
        analysed = httpx.post(
            base + "/api/analyze",
            json={"files": [{"path": "a.py", "content": "def f():\n    return g()\n\n\ndef g():\n    return 1\n"}]},
            timeout=60,
        )
        assert analysed.status_code == 200, analysed.text
        assert {s["name"] for s in analysed.json()["files"][0]["symbols"]} == {"f", "g"}
    finally:
        proc.terminate()
        # SIGTERM, as `docker stop` sends it: uvicorn shuts down, then re-raises it to exit by it
        assert proc.wait(20) in (0, -signal.SIGTERM)
        if proc.stdout:
            proc.stdout.close()


def test_flags_alone_go_to_thread_serve(image: Image, tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [image.entrypoint, "--analyze-only", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=image.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        assert httpx.get(base + "/api/stats").status_code == 404  # no index: analysis only
        answer = httpx.post(
            base + "/api/analyze", json={"files": [{"path": "m.go", "content": "package m\n"}]}, timeout=60
        )
        assert answer.status_code == 200 and answer.json()["files"][0]["language"] == "go"
    finally:
        proc.terminate()
        proc.wait(20)
        if proc.stdout:
            proc.stdout.close()
