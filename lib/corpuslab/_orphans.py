"""Child processes that end when their parent dies (Linux's parent-death signal, ``prctl(PR_SET_PDEATHSIG)``).

A runner killed with SIGKILL runs no cleanup: without this its Jupyter kernels, the forkserver and
the worker checking the corpus would go on for minutes. Imported as a forkserver preload module it
arms the forkserver itself (see :func:`arm_forkserver`); elsewhere importing it does nothing.
"""

from __future__ import annotations

import os
import signal
import sys

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


arm_forkserver()
