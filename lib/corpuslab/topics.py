"""Topic models (NMF and LDA from scikit-learn) on a document-term matrix, as tidy tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.errors import CorpuslabError


def check_settings(X: sparse.spmatrix, k: int) -> None:
    """Refuse settings a topic model cannot work with, naming the param and the fix."""
    n_units, n_terms = X.shape
    if n_terms == 0:
        raise CorpuslabError(
            "topics: the vocabulary is empty after filtering; lower tokens.min_length, "
            "set tokens.stopwords to none, or lower topics.min_unit_tokens"
        )
    if k > n_units:
        raise CorpuslabError(
            f"topics.k: got {k}; allowed: at most the number of units ({n_units}); "
            "lower topics.k or use a smaller topics.unit"
        )


def fit(X: sparse.spmatrix, *, k: int, engine: str = "nmf", seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Fit a topic model; return (unit-topic weights, topic-term weights), rows summing to 1.

    ``engine="nmf"``: NMF on TF-IDF weights, NNDSVD start (deterministic).
    ``engine="lda"``: LDA by batch variational Bayes with ``random_state=seed``.
    """
    check_settings(X, k)
    if engine == "nmf":
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        weights = TfidfTransformer(sublinear_tf=True).fit_transform(X)
        model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=500)
        doc_topic = model.fit_transform(weights)
        topic_term = model.components_
    elif engine == "lda":
        from sklearn.decomposition import LatentDirichletAllocation

        model = LatentDirichletAllocation(n_components=k, learning_method="batch", random_state=seed, max_iter=50)
        doc_topic = model.fit_transform(X)
        topic_term = model.components_
    else:
        raise CorpuslabError(f"topics.engine: got {engine!r}; allowed: nmf, lda")
    return _normalise_rows(doc_topic), _normalise_rows(topic_term)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)


def topic_terms(topic_term: np.ndarray, terms: np.ndarray, *, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` terms of each topic: topic, rank, term, weight (ties broken by term).

    >>> topic_terms(np.array([[0.5, 0.3, 0.2]]), np.array(["a", "b", "c"]), top_n=2)
       topic  rank term  weight
    0      1     1    a     0.5
    1      1     2    b     0.3
    """
    rows = []
    for t, weights in enumerate(topic_term, start=1):
        order = np.lexsort((terms, -weights))[:top_n]
        rows += [{"topic": t, "rank": r, "term": terms[i], "weight": float(weights[i])} for r, i in enumerate(order, 1)]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def doc_topics(doc_topic: np.ndarray, units: pd.DataFrame) -> pd.DataFrame:
    """Long table of unit-topic weights: doc_id, unit_id, topic, weight."""
    k = doc_topic.shape[1]
    return pd.DataFrame({
        "doc_id": np.repeat(units["doc_id"].to_numpy(), k),
        "unit_id": np.repeat(units["unit_id"].to_numpy(), k),
        "topic": np.tile(np.arange(1, k + 1), len(units)),
        "weight": doc_topic.ravel(),
    })


def prevalence(doc_topics_table: pd.DataFrame, units: pd.DataFrame, by: str = "doc_id") -> pd.DataFrame:
    """Mean topic weight per group of units: ``by``, topic, weight."""
    table = doc_topics_table.merge(units[["doc_id", "unit_id", by]].drop_duplicates() if by != "doc_id" else units[["doc_id", "unit_id"]],
                                   on=["doc_id", "unit_id"])
    return table.groupby([by, "topic"], as_index=False)["weight"].mean()
