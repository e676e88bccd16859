"""The orchestration layer: the only module that reads params, consults the cache and picks the engine.

Notebooks call these functions with the resolved params (``cfg``); each one reads the
settings it needs, builds an :class:`~corpuslab.engine.Engine`, looks the result up in
the cache (keyed by its inputs, its settings and the source of the code that makes it)
and otherwise calls the pure analysis functions, which take data and return tables.
"""

from __future__ import annotations

from corpuslab.engine import Engine


def engine(cfg: dict) -> Engine:
    """The compute engine the params choose (``engine``, ``n_jobs``, ``dask.scheduler``)."""
    return Engine(cfg["engine"], cfg["n_jobs"], cfg["dask.scheduler"])


# ---------------------------------------------------------------------------------------------------------------
# Corpus, cleaning, segments, tokens and dictionaries
# ---------------------------------------------------------------------------------------------------------------




# ---------------------------------------------------------------------------------------------------------------
# Term frequency, keyness, collocations, KWIC, lexical diversity
# ---------------------------------------------------------------------------------------------------------------




# ---------------------------------------------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------------------------------------------




# ---------------------------------------------------------------------------------------------------------------
# Sentiment
# ---------------------------------------------------------------------------------------------------------------
