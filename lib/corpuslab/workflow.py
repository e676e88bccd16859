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

def sentiment_validation(cfg: dict):
    """The ``sentiment_validation`` table (:func:`corpuslab.sentiment_validation.validate`) for the
    ``sentiment.validation`` param, cached by implementation, gold data and settings."""
    from corpuslab import cache, sentiment_validation
    from corpuslab.resources import sha256_of
    from corpuslab.vader import implementation

    datasets = sentiment_validation.DATASET_CHOICES[cfg["sentiment.validation"]]
    settings = {"threshold": cfg["sentiment.threshold"], "n_boot": cfg["sentiment.n_boot"], "seed": cfg["seed"],
                "vader_input": cfg["sentiment.vader_input"]}
    gold = sorted(sha256_of(sentiment_validation.GOLD_DIR / sentiment_validation.GOLD_FILES[d]) for d in datasets)
    return cache.table("sentiment_validation", (implementation(), gold, datasets, settings),
                       lambda: sentiment_validation.validate(datasets, **settings),
                       code=("corpuslab.sentiment_validation",))
