"""The compute engine the params choose: every step of the workflow that can split its work runs on it."""

from __future__ import annotations

from corpuslab.engine import Engine


def engine(cfg: dict) -> Engine:
    """The compute engine the params choose (``engine``, ``n_jobs``, ``dask.scheduler``)."""
    return Engine(cfg["engine"], cfg["n_jobs"], cfg["dask.scheduler"])
