"""The runner's Jupyter kernels: one per notebook, on private IPC sockets, logging to the run's ``kernel.log``,
watched for their peak memory; and kernels started ahead of their notebooks (:class:`KernelsAhead`)."""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from corpuslab import _orphans

KERNEL_NAME = "corpuslab"

_KERNEL_NUMBERS = itertools.count(1)


class PeakMemory:
    """The largest resident memory of one process (a notebook's kernel), sampled in a thread."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peak_bytes = interval, 0
        self._stop = threading.Event()

    def watch(self, pid: int) -> None:
        threading.Thread(target=self._sample, args=(pid,), daemon=True).start()

    def _sample(self, pid: int) -> None:
        import psutil

        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            while not self._stop.is_set():
                self.peak_bytes = max(self.peak_bytes, process.memory_info().rss)
                self._stop.wait(self.interval)

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        return round(self.peak_bytes / 2**20, 1)


def kernel_manager_class(ipc_dir: Path, log_path: Path, on_start=None):
    """A kernel manager for one run: IPC sockets in a private folder (no TCP port on any
    interface), the kernel's own stderr in the run's ``kernel.log`` rather than the terminal;
    ``on_start(pid)`` is called with the kernel's process id."""
    from jupyter_client.manager import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.clients = []  # the clients it made: a kernel lent to papermill leaves its client's channels open
            if os.name == "posix":  # one socket prefix per kernel: kernels may start side by side
                self.transport = "ipc"
                self.ip = str(ipc_dir / f"k{next(_KERNEL_NUMBERS)}")

        def client(self, **kwargs):
            made = super().client(**kwargs)
            self.clients.append(made)
            return made

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stderr"] = open(log_path, "ab")  # noqa: SIM115 (the kernel process owns it)
            if os.name == "posix":  # the kernel ends with the runner, even one killed with SIGKILL
                kw["preexec_fn"] = _orphans.kernel_preexec(os.getpid())
            info = await super()._async_launch_kernel(kernel_cmd, **kw)
            process = getattr(self.provisioner, "process", None)
            if on_start and process is not None:
                on_start(process.pid)
            return info

    return RunKernelManager


def kernel_name() -> str:
    """The project's registered kernel if present, else the current interpreter's ``python3``."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        return KERNEL_NAME
    except NoSuchKernel:
        return "python3"


WARM_IMPORTS = ("import pandas, matplotlib.pyplot, scipy.stats, IPython.display\n"
                "from corpuslab import params, plots, report, workflow")
"""What a kernel started ahead runs first (silently: no output, no execution count): the libraries every notebook
imports in its first cell."""


def start_warm_kernel(manager_class, kernel: str, cwd: Path):
    """A kernel of ``kernel`` started in ``cwd`` by ``manager_class`` (as nbclient starts one: IPython's history in
    memory) that has run :data:`WARM_IMPORTS`; its manager, for ``papermill.execute_notebook(km=...)``."""
    import asyncio
    import queue

    manager = manager_class(kernel_name=kernel)

    async def start():
        await manager.start_kernel(cwd=str(cwd), extra_arguments=["--HistoryManager.hist_file=:memory:"])
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            request = client.execute(WARM_IMPORTS, silent=True, store_history=False)
            while True:  # its reply, or the kernel's end (a run interrupted meanwhile stops its kernels)
                try:
                    if (await client.get_shell_msg(timeout=1))["parent_header"].get("msg_id") == request:
                        break
                except queue.Empty:
                    if not await manager.is_alive():
                        raise RuntimeError("the kernel ended while importing") from None
        finally:
            client.stop_channels()

    asyncio.run(start())
    return manager


def stop_kernel(manager) -> None:
    """End a kernel whose notebook is over (a kernel papermill was lent is left running) and free its files.

    Its process group is killed at once: the notebook is saved and nothing runs in it. An orderly shutdown waits
    2.5 s for a kernel that has used a process pool (ipykernel waits for its ended fork server, which it never
    reaps, until jupyter_client sends SIGTERM), holding the kernel's memory while the next notebook starts."""
    import asyncio

    async def stop():
        for client in getattr(manager, "clients", ()):
            client.stop_channels()
        if await manager.is_alive():
            await manager.shutdown_kernel(now=True)
        await manager.cleanup_resources()

    with contextlib.suppress(Exception):  # already gone (a failed run's clean-up)
        asyncio.run(stop())


class KernelsAhead:
    """Kernels started ahead of their notebooks, while earlier notebooks run: the next notebook's, or the next
    ``width(notebook)`` notebooks' when the next one runs in a stage of that many at once (an idle warm kernel holds
    about 150 MB), so a notebook starts at its first cell instead of after a kernel start and imports (about 2.5 s a
    notebook on a large corpus, where notebooks run one after another).

    ``start(notebook)`` returns what :meth:`take` hands out; ``stop(that)`` ends it.
    """

    def __init__(self, order: Sequence[Path], start, stop, width=lambda notebook: 1):
        self.order, self.start, self.stop, self.width = list(order), start, stop, width
        self.starter = ThreadPoolExecutor(max_workers=1)
        self.ahead: dict[Path, object] = {}  # notebook -> Future of start(notebook)
        self.taken: set[Path] = set()
        self.lock = threading.Lock()

    def take(self, notebook: Path):
        """What was started ahead for ``notebook`` (None: nothing, or its start failed); and start the next
        notebooks' (see the class)."""
        with self.lock:
            self.taken.add(notebook)
            started = self.ahead.pop(notebook, None)
            pending = [n for n in self.order if n not in self.taken]
            for following in pending[:self.width(pending[0])] if pending else []:
                if following not in self.ahead:
                    self.ahead[following] = self.starter.submit(self.start, following)
        if started is None or started.exception() is not None:
            return None
        return started.result()

    def close(self) -> None:
        """Stop what was started for notebooks that did not run (a failed or interrupted run)."""
        with self.lock:
            left, self.ahead = list(self.ahead.values()), {}
        self.starter.shutdown(wait=True)
        for started in left:
            if started.exception() is None:
                self.stop(started.result())
