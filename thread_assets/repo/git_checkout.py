"""A local git checkout kept in step with its remote branch: what a push webhook updates before
the index is brought up to date.

Only fast-forwards: the checkout is what the index describes, so its branch may move forward to
what was pushed, never be rewritten. A force-push (the remote no longer contains the checkout's
commit) is refused with the reason, and the checkout and its index stay as they were until
someone reconciles it by hand. Git is run as a subprocess (``git`` on PATH), never a library:
the same behaviour as a person typing the commands, hooks and credentials included.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT_S = 300.0
"""A fetch over a slow link may take minutes; a hung one (a credential prompt nobody answers is
turned off below) must not hold the repository's updates for ever."""


class GitError(RuntimeError):
    """A git command failed; the message names the command and git's own words."""


@dataclass(frozen=True)
class Checkout:
    """A repository on GitHub (``owner/name``) and the local clone of it that Thread indexes."""

    full_name: str
    path: Path
    branch: str
    remote: str = "origin"

    @property
    def ref(self) -> str:
        """The ref a push to the tracked branch names."""
        return f"refs/heads/{self.branch}"


@dataclass(frozen=True)
class FastForward:
    """What :func:`fast_forward` did: ``refused`` is None when the checkout now is ``head``."""

    before: str
    head: str
    refused: str | None = None

    @property
    def moved(self) -> bool:
        return self.refused is None and self.before != self.head


def git(path: Path, *args: str) -> str:
    """``git -C path ARGS``, its standard output stripped; GitError when it fails. Never prompts
    (a webhook has nobody to answer): no git prompt, and a session of its own, without the
    terminal ssh would otherwise ask a passphrase or a host key on. Reads no pager."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
    command = ["git", "-C", str(path), *args]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT_S,
            check=False,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} in {path}: no answer after {GIT_TIMEOUT_S:.0f} s") from None
    except FileNotFoundError:
        raise GitError("git is not installed (not on PATH)") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(f"git {' '.join(args)} in {path}: {said[-1] if said else f'exit {done.returncode}'}")
    return done.stdout.strip()


def current_branch(path: Path) -> str | None:
    """The branch checked out at ``path``, None on a detached HEAD."""
    try:
        return git(path, "symbolic-ref", "--quiet", "--short", "HEAD") or None
    except GitError:
        return None


def open_checkout(full_name: str, path: str | Path, branch: str | None = None, remote: str = "origin") -> Checkout:
    """Check that ``path`` is the top of a git work tree with ``remote`` and, without ``branch``,
    take the branch it has checked out. GitError otherwise (a configuration mistake found at
    start-up, not at the first push)."""
    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise GitError(f"{full_name}: no such directory: {root}")
    top = Path(git(root, "rev-parse", "--show-toplevel")).resolve()
    if top != root:
        raise GitError(f"{full_name}: {root} is inside the git work tree {top}; name its top directory")
    remotes = git(root, "remote").split()
    if remote not in remotes:
        raise GitError(f"{full_name}: {root} has no remote {remote!r} (it has: {', '.join(remotes) or 'none'})")
    branch = branch or current_branch(root)
    if not branch:
        raise GitError(f"{full_name}: {root} has a detached HEAD; check out the branch to index or name it")
    return Checkout(full_name=full_name, path=root, branch=branch, remote=remote)


def fast_forward(checkout: Checkout) -> FastForward:
    """Fetch the checkout's branch from its remote and fast-forward the work tree to it.

    Refused (``FastForward.refused`` says why, nothing changed) when the checkout is not on that
    branch, or when the fetched commit does not contain the checkout's (a force-push, or local
    commits that were never pushed). Local edits that the fast-forward would overwrite make git
    refuse the merge: GitError, the checkout as it was."""
    path, branch = checkout.path, checkout.branch
    tracking = f"refs/remotes/{checkout.remote}/{branch}"
    git(path, "fetch", "--quiet", "--no-tags", checkout.remote, f"+{checkout.ref}:{tracking}")
    before = git(path, "rev-parse", "--verify", "HEAD^{commit}")
    fetched = git(path, "rev-parse", "--verify", f"{tracking}^{{commit}}")
    on = current_branch(path)
    if on != branch:
        where = f"branch {on}" if on else "a detached HEAD"
        return FastForward(before, before, f"the checkout is on {where}, not {branch}; left as it is")
    if before == fetched:
        return FastForward(before, before)
    is_ancestor = subprocess.run(
        ["git", "-C", str(path), "merge-base", "--is-ancestor", before, fetched],
        capture_output=True,
        timeout=GIT_TIMEOUT_S,
        check=False,
    )
    if is_ancestor.returncode == 1:
        return FastForward(
            before,
            before,
            f"not a fast-forward: {checkout.remote}/{branch} is now {fetched[:12]}, which does not contain the "
            f"checkout's {before[:12]} (a force-push, or commits never pushed); the checkout and its index are "
            "left as they are",
        )
    if is_ancestor.returncode != 0:
        raise GitError(f"git merge-base --is-ancestor in {path}: {is_ancestor.stderr.decode(errors='replace').strip()}")
    git(path, "merge", "--ff-only", "--quiet", fetched)
    return FastForward(before, git(path, "rev-parse", "--verify", "HEAD^{commit}"))
