"""Reading topics: their top terms by probability, FREX and relevance, and their most typical passages.

Owns: the ``topic_terms``, ``topic_labels`` and ``topic_passages`` tables and the term scores
behind them (FREX after stm's ``calcfrex``, relevance after LDAvis).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


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


def _ecdf_rank(values: np.ndarray) -> np.ndarray:
    """Rank of each value within its row over the row's length; tied values share their average rank.

    stm's ``calcfrex`` ranks with ``data.table::frank``, whose default ``ties.method`` is "average"
    (older stm used base R's ``rank``: also "average").

    >>> _ecdf_rank(np.array([[0.5, 0.5, 0.1]])).round(3)
    array([[0.833, 0.833, 0.333]])
    """
    from scipy.stats import rankdata

    return rankdata(values, method="average", axis=-1) / values.shape[-1]


def frex(topic_term: np.ndarray, *, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (stm's ``calcfrex``, without its James-Stein shrinkage).

    As in stm's ``calcfrex`` (Roberts, Stewart & Tingley 2019, after Bischof & Airoldi 2012):
    frex = 1 / (weight / F + (1 - weight) / E), where F is the ECDF rank of a term's probability
    within its topic and E that of its exclusivity (its probability in this topic over the sum over
    topics). stm ranks within each topic, over the terms (``apply(logbeta, 1, data.table::frank) /
    ncol(logbeta)``: one column per topic of its V x K result), and tied values get their average
    rank (frank's default; base R's ``rank`` in older stm, also "average"). NMF topic-term matrices
    tie often (terms of weight 0, terms exclusive to one topic).

    >>> frex(np.array([[0.5, 0.5], [0.9, 0.1]])).round(3)
    array([[0.6  , 0.857],
           [1.   , 0.5  ]])
    """
    excl = topic_term / np.maximum(topic_term.sum(axis=0, keepdims=True), 1e-300)
    freq_score = _ecdf_rank(topic_term)
    excl_score = _ecdf_rank(excl)
    return 1 / (weight / freq_score + (1 - weight) / excl_score)


def relevance(topic_term: np.ndarray, term_share: np.ndarray, *, lam: float = 0.6) -> np.ndarray:
    """Relevance of terms to topics (Sievert & Shirley 2014): lam*log p(w|k) + (1-lam)*log(p(w|k)/p(w)).

    ``term_share`` is each term's share of all tokens in the corpus; lam = 1 ranks by probability,
    lam = 0 by lift. Zero probabilities score -inf.

    >>> relevance(np.array([[0.5, 0.5]]), np.array([0.25, 0.75]), lam=0.0).round(3)
    array([[ 0.693, -0.405]])
    """
    with np.errstate(divide="ignore"):
        log_p = np.log(topic_term)
        return lam * log_p + (1 - lam) * (log_p - np.log(term_share)[None, :])


def topic_labels(topic_term: np.ndarray, terms: np.ndarray, term_share: np.ndarray, *, top_n: int = 10,
                 frex_weight: float = 0.5, lam: float = 0.6) -> pd.DataFrame:
    """Top terms of each topic by three rankings (like stm's labelTopics): topic, rank, prob, frex, relevance.

    >>> topic_labels(np.array([[0.6, 0.4], [0.1, 0.9]]), np.array(["a", "b"]), np.array([0.4, 0.6]), top_n=1)
       topic  rank prob frex relevance
    0      1     1    a    a         a
    1      2     1    b    b         b
    """
    scores = {"prob": topic_term, "frex": frex(topic_term, weight=frex_weight),
              "relevance": relevance(topic_term, term_share, lam=lam)}
    rows = []
    for t in range(topic_term.shape[0]):
        ranked = {name: terms[np.lexsort((terms, -s[t]))[:top_n]] for name, s in scores.items()}
        rows += [{"topic": t + 1, "rank": r + 1, **{n: ranked[n][r] for n in scores}}
                 for r in range(min(top_n, len(terms)))]
    return pd.DataFrame(rows, columns=["topic", "rank", "prob", "frex", "relevance"])


def passages(unit_topic: np.ndarray, units: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """The ``n`` units most devoted to each topic (like stm's findThoughts): topic, rank, doc_id, unit_id, weight, text.

    >>> u = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["x", "y"]})
    >>> passages(np.array([[0.9, 0.1], [0.2, 0.8]]), u, n=1)[["topic", "doc_id", "unit_id"]]
       topic doc_id  unit_id
    0      1      a        0
    1      2      a        1
    """
    rows = []
    for t in range(unit_topic.shape[1]):
        order = np.argsort(-unit_topic[:, t], kind="stable")[:n]
        rows += [{"topic": t + 1, "rank": r + 1, "doc_id": units["doc_id"].iloc[i], "unit_id": units["unit_id"].iloc[i],
                  "weight": float(unit_topic[i, t]), "text": units["text"].iloc[i]} for r, i in enumerate(order)]
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "unit_id", "weight", "text"])
