"""Wall time, CPU time and memory of a command and every process it starts, measured from outside.

Memory is read from ``/proc`` while the command runs: every ``interval`` seconds the process
tree under the command (children, their children, kept even when reparented) is found, and for
each process ``VmHWM`` (its own peak resident set) and ``VmRSS`` (its current one) are read. The
largest process is the highest ``VmHWM`` seen, also compared with ``ru_maxrss`` from ``wait4``
(the largest of the command and the descendants it waited for), so a peak reached between two
samples of a process that was waited for is not lost; ``ru_maxrss`` counts only when it is above
this process's own peak, since Linux carries the forking process's size into it across exec.
The tree's total is the highest sum of ``VmRSS`` over one sample, so it can miss a short
spike. CPU time is the sum over the tree's processes of their last sampled user + system time,
or ``wait4``'s figure when higher: processes nobody waits for (a pool's workers under a fork
server) are missing from ``wait4``'s.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True)
class Measured:
    returncode: int
    wall_s: float
    cpu_s: float
    """User + system time of the command's whole process tree."""
    largest_mb: float
    """Peak resident set of the largest single process of the tree."""
    tree_mb: float
    """Highest sum of the resident sets of the tree's processes at one sample."""
    processes: int
    """How many processes of the tree were seen."""
    stdout: str
    stderr: str


TICK = os.sysconf("SC_CLK_TCK")


class Proc(NamedTuple):
    ppid: int
    cpu: int
    """User + system time so far, in clock ticks."""
    start: int
    """Start time since boot, in clock ticks: with the pid, names the process even if the pid is reused."""


def _processes() -> dict[int, Proc]:
    found: dict[int, Proc] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields after the last ")" are safe
        fields = stat[stat.rfind(b")") + 2 :].split()
        found[int(entry.name)] = Proc(int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19]))
    return found


def _memory_kb(pid: int) -> tuple[int, int] | None:
    """(VmHWM, VmRSS) in kB, or None once the process is gone (or a zombie, which has neither)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            text = f.read()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        if line.startswith((b"VmHWM:", b"VmRSS:")):
            values[line[:5]] = int(line.split()[1])
    if len(values) < 2:
        return None
    return values[b"VmHWM"], values[b"VmRSS"]


class _Sampler(threading.Thread):
    """Processes are keyed by (pid, start time): on a busy machine a pid of the tree that ended may
    be given to an unrelated process, which must not join the tree."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        me = _processes().get(root)
        self.known: dict[int, int] = {} if me is None else {root: me.start}
        self.peak_kb: dict[tuple[int, int], int] = {}
        self.cpu_ticks: dict[tuple[int, int], int] = {}
        self.tree_kb = 0
        self.done = threading.Event()

    def sample(self) -> None:
        procs = _processes()
        alive = {pid for pid, start in self.known.items() if pid in procs and procs[pid].start == start}
        new = alive
        while new:  # descendants of the tree's live processes, at any depth
            new = {pid for pid, p in procs.items() if p.ppid in new and pid not in alive}
            for pid in new:
                self.known[pid] = procs[pid].start
            alive |= new
        total = 0
        for pid in alive:
            key = (pid, procs[pid].start)
            self.cpu_ticks[key] = procs[pid].cpu
            mem = _memory_kb(pid)
            if mem is not None:
                self.peak_kb[key] = max(self.peak_kb.get(key, 0), mem[0])
                total += mem[1]
        self.tree_kb = max(self.tree_kb, total)

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)


def _own_hwm_kb() -> int:
    """This process's peak resident set (``VmHWM``) in kB."""
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1])
    return 0


def run_measured(cmd: list[str], *, cwd: Path, env: Mapping[str, str] | None = None, interval: float = 0.1) -> Measured:
    """Run ``cmd`` to completion and measure it; its output is kept whole (in temporary files, so
    a chatty command cannot block on a full pipe)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=None if env is None else dict(env), stdout=out, stderr=err)
        sampler = _Sampler(proc.pid, interval)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    # Linux keeps ru_maxrss across exec: a child forked from this process starts with this
    # process's resident size as its peak. Only a figure above that is the command's own.
    own_kb = _own_hwm_kb()
    waited_kb = usage.ru_maxrss if usage.ru_maxrss > own_kb else 0
    largest_kb = max([waited_kb, *sampler.peak_kb.values()])
    return Measured(
        returncode=proc.returncode,
        wall_s=wall,
        cpu_s=max(usage.ru_utime + usage.ru_stime, sum(sampler.cpu_ticks.values()) / TICK),
        largest_mb=largest_kb / 1024,
        tree_mb=sampler.tree_kb / 1024,
        processes=len(sampler.peak_kb),
        stdout=stdout,
        stderr=stderr,
    )
