"""Sentiment of sentences with VADER (vaderSentiment, the reference implementation), aggregated."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from corpuslab.tokens import normalise


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader(text: str) -> dict[str, float]:
    """VADER scores of one sentence (curly apostrophes straightened so "doesn’t" negates).

    >>> vader("This is not good.")["compound"] < 0
    True
    """
    return _vader().polarity_scores(normalise(text))


def score_units(units: pd.DataFrame) -> pd.DataFrame:
    """VADER per unit: doc_id, unit_id, compound, pos, neu, neg."""
    scores = pd.DataFrame([vader(t) for t in units["text"]], columns=["neg", "neu", "pos", "compound"])
    table = pd.concat([units[["doc_id", "unit_id"]].reset_index(drop=True), scores], axis=1)
    return table[["doc_id", "unit_id", "compound", "pos", "neu", "neg"]]


def label(compound: pd.Series, threshold: float = 0.05) -> pd.Series:
    """positive / negative / neutral by VADER's convention (±threshold on compound)."""
    return pd.Series(
        ["positive" if c > threshold else "negative" if c < -threshold else "neutral" for c in compound],
        index=compound.index,
    )


def aggregate(scores: pd.DataFrame, by: str = "doc_id", *, threshold: float = 0.05) -> pd.DataFrame:
    """Per group: n_units, mean_compound, rel_positive, rel_negative, rel_neutral."""
    labelled = scores.assign(label=label(scores["compound"], threshold))
    grouped = labelled.groupby(by, sort=True)
    table = grouped["compound"].agg(n_units="size", mean_compound="mean").reset_index()
    shares = pd.crosstab(labelled[by], labelled["label"], normalize="index")
    for name in ("positive", "negative", "neutral"):
        table[f"rel_{name}"] = table[by].map(shares[name] if name in shares else {}).fillna(0.0).to_numpy()
    return table
