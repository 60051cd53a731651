"""Test-only fault points: ``kill_point(name)`` SIGKILLs this process when ``THREAD_TEST_KILL_AT``
names that phase, or holds it there while ``THREAD_TEST_PAUSE_AT`` names it.

Crash recovery can only be tested by failing at the moments that matter (after a per-file commit
and before the graph commit, inside a transaction, after removals). A SIGKILL is the crash no
``finally`` or signal handler softens. A pause lets a test break something else at that moment
(stop the database server) and then let the process carry on into the failure: the process
creates the file ``THREAD_TEST_PAUSE_FILE`` names and waits until the test deletes it. The store
layer holds the hook so that every layer above it, and the stores' own commits, can name a phase.
Without the variables a call is two environment lookups.

Phases in use: ``after_files_commit`` and ``after_removals`` (a ``write_files`` / ``delete_files``
transaction committed), ``before_graph_commit`` (a graph build about to be written),
``in_graph_commit`` (its rows sent inside the open transaction, before COMMIT).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

KILL_ENV = "THREAD_TEST_KILL_AT"
PAUSE_ENV = "THREAD_TEST_PAUSE_AT"
PAUSE_FILE_ENV = "THREAD_TEST_PAUSE_FILE"


def kill_point(name: str) -> None:
    """Die here, at once and without cleanup, or wait here, if the test asked for this phase."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(PAUSE_ENV) == name:
        flag = Path(os.environ[PAUSE_FILE_ENV])
        flag.write_text(str(os.getpid()))
        while flag.exists():
            time.sleep(0.05)
