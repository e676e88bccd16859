"""Child processes that end when their parent dies (Linux's parent-death signal, ``prctl(PR_SET_PDEATHSIG)``).

A runner killed with SIGKILL runs no cleanup: without this its Jupyter kernels, the forkserver and
the worker checking the corpus would go on for minutes. Imported as a forkserver preload module it
arms the forkserver itself (see :func:`arm_forkserver`); elsewhere importing it does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
RUNNER_ENV = "CORPUSLAB_RUNNER_PID"  # set by the runner: a forkserver whose parent it is arms itself on import


def die_with_parent(parent: int | None = None) -> bool:
    """Have Linux send SIGKILL to this process when its parent ends; False where that is not available.

    ``parent``: the pid the parent must have; if it is already gone the process exits now.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    if armed and parent is not None and os.getppid() != parent:  # it died before the signal was armed
        os._exit(1)
    return armed


def kernel_preexec(parent: int):
    """A ``preexec_fn`` for :class:`subprocess.Popen` that arms the child before it runs its program."""
    return lambda: die_with_parent(parent)


def arm_forkserver() -> None:
    """Arm this process if it is a forkserver (or other child) started by the runner named in the environment."""
    if os.environ.get(RUNNER_ENV) == str(os.getppid()):
        die_with_parent(os.getppid())


def _child_pids() -> list[int]:
    """PIDs of this process's children (the Jupyter kernels papermill started)."""
    try:
        out = subprocess.run(["pgrep", "-P", str(os.getpid())], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [int(pid) for pid in out.split()]


def stop_children(grace: float = 5.0) -> None:
    """Terminate kernels left running when a signal cut papermill short, then kill stragglers."""
    pids = _child_pids()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if _reap(pid)]
        time.sleep(0.05)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid)


def _reap(pid: int) -> bool:
    """Collect an exited child; True while it is still running."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


arm_forkserver()
