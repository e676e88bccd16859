"""Where partitioned work runs: in this process, a local process pool, or a Dask cluster.

An :class:`Engine` (kind, workers, scheduler) is passed to every analysis that can
partition its work. ``Engine("local", 1)`` (:data:`SERIAL`) runs in-process; more
workers use a process pool. ``Engine("dask")`` starts a ``distributed.LocalCluster``
on 127.0.0.1 (or connects to ``scheduler``, e.g. ``tcp://host:8786``), so the same
run scales out without code changes. Results always come back in input order, so
every engine gives the same tables.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd

from corpuslab.errors import CorpuslabError

T = TypeVar("T")
R = TypeVar("R")


def resolve_jobs(n_jobs: int) -> int:
    """``n_jobs`` as a count of processes: 0 means one per core.

    >>> resolve_jobs(1)
    1
    >>> resolve_jobs(0) == (os.cpu_count() or 1)
    True
    """
    return (os.cpu_count() or 1) if n_jobs == 0 else max(1, n_jobs)


def partition(table: pd.DataFrame, n_parts: int, *, weight: str = "text") -> list[pd.DataFrame]:
    """Split rows into at most ``n_parts`` contiguous parts of similar total text length.

    >>> parts = partition(pd.DataFrame({"text": ["aaaa", "b", "c", "dddd"]}), 2)
    >>> [p["text"].tolist() for p in parts]
    [['aaaa', 'b'], ['c', 'dddd']]
    """
    if len(table) == 0:
        return [table]
    return [table.iloc[a:b] for a, b in bounds(table[weight].str.len().to_numpy(dtype=float) + 1, n_parts)]


def bounds(sizes, n_parts: int) -> list[tuple[int, int]]:
    """(start, end) of at most ``n_parts`` contiguous, non-empty runs of items of similar total ``sizes``.

    >>> bounds([5, 1, 1, 5], 2)
    [(0, 2), (2, 4)]
    """
    sizes = np.asarray(sizes, dtype=float)
    cuts = np.searchsorted(np.cumsum(sizes), np.linspace(0, sizes.sum(), n_parts + 1)[1:-1], side="left")
    edges = [0, *sorted(set(int(c) + 1 for c in cuts)), len(sizes)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b > a]


PARALLEL_MIN_CHARS = 2_000_000  # below this, starting processes costs more than it saves


@dataclass(frozen=True)
class Engine:
    """Where partitioned work runs: ``kind`` "local" (``workers`` processes; 1 in-process, 0 one per core)
    or "dask" (a LocalCluster of ``workers`` on 127.0.0.1, or the cluster at ``scheduler``).

    >>> SERIAL.map(len, ["ab", "c"])
    [2, 1]
    >>> Engine("local", 0).jobs == (os.cpu_count() or 1)
    True
    """

    kind: str = "local"
    workers: int = 1
    scheduler: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise CorpuslabError(f"engine: got {self.kind!r}; allowed: {', '.join(KINDS)}")

    @property
    def jobs(self) -> int:
        """The number of processes (or Dask workers) this engine uses."""
        return resolve_jobs(self.workers)

    @property
    def parallel(self) -> bool:
        """Whether work leaves this process (Dask, or a pool of more than one)."""
        return self.kind == "dask" or self.jobs > 1

    def worth_parallel(self, table: pd.DataFrame) -> bool:
        """Whether to partition ``table``: always on Dask; locally with several jobs and enough text."""
        if self.kind == "dask":
            return True
        return self.jobs > 1 and int(table["text"].str.len().sum()) >= PARALLEL_MIN_CHARS

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[func(item) for item in items]``, on this engine, in input order."""
        items = list(items)
        if self.kind == "dask":
            client = dask_client(self.scheduler, self.jobs)
            return client.gather(client.map(func, items, pure=False))
        jobs = min(self.jobs, len(items))
        if jobs <= 1:
            return [func(item) for item in items]
        # forkserver: workers never inherit a parent's running threads (polars', BLAS'), which a fork can deadlock;
        # func goes to each worker once, not with every item (a partial may carry a large matrix)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context(), initializer=_install,
                                 initargs=(func,)) as pool:
            return list(pool.map(_call_installed, items))

    def start(self) -> None:
        """Start a local pool's fork server now, in the background: it imports :data:`WORKER_MODULES` (seconds)
        while this process works on, so the next :meth:`map` starts its workers at once. Nothing to start for
        one job or Dask."""
        if self.kind == "local" and self.jobs > 1:
            from multiprocessing import forkserver

            _pool_context()  # the preload list
            forkserver.ensure_running()

    def map_tables(self, func: Callable[[pd.DataFrame], pd.DataFrame], table: pd.DataFrame, *,
                   parts_per_job: int = 4) -> pd.DataFrame:
        """Apply a table -> table function over row partitions and concatenate the results in order."""
        if self.kind == "local" and self.jobs == 1:
            return func(table)
        parts = partition(table, self.jobs * parts_per_job)
        return pd.concat(self.map(func, parts), ignore_index=True)


KINDS = ("local", "dask")
SERIAL = Engine()  # in this process, one item after another


@lru_cache(maxsize=4)
def dask_client(scheduler: str = "", n_workers: int = 2):
    """A Dask client: a LocalCluster on 127.0.0.1 (printing its dashboard link), or ``scheduler``.

    The LocalCluster talks TLS with credentials made for this process alone (``Security.temporary``):
    another local account can reach its port but not submit work to it.
    """
    try:
        from distributed import Client, LocalCluster
        from distributed.security import Security
    except ImportError:
        raise CorpuslabError("engine: got 'dask', but dask.distributed is not installed; "
                             "allowed: local, or install the dask extra (pip install 'dask[distributed]')") from None
    if scheduler:
        client = Client(scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", processes=True, security=Security.temporary())
        client = Client(cluster)
    print(f"Dask dashboard: {client.dashboard_link}", flush=True)
    return client


# imported once by the fork server, so a pool's workers start with them (~1 s each otherwise). Only
# libraries: corpuslab's own modules are imported by each pool afresh, from the caller's sys.path, so
# an edited and reloaded module reaches the workers; and no polars, whose threads (started at import)
# a fork would not carry over; and no NLTK (about 3 s: all of it loads with any part), which only sentence
# splitting needs: its workers import it side by side, and no other pool waits for it.
WORKER_MODULES = ("pandas", "scipy.sparse", "regex", "sklearn.decomposition", "sklearn.feature_extraction.text",
                  "vaderSentiment.vaderSentiment")


@lru_cache(maxsize=1)
def _pool_context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    return context


_worker_func: Callable | None = None  # in a pool worker: the function its items are given to


def _install(func: Callable) -> None:
    global _worker_func
    _worker_func = func


def _call_installed(item):
    return _worker_func(item)
