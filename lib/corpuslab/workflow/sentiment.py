"""Sentiment (03_sentiment): VADER's agreement with people on gold standards, cached."""

from __future__ import annotations


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
