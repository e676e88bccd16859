"""Choosing the number of topics: coherence, exclusivity and stability of topic models over k.

Owns: coherence on the modelled corpus itself (NPMI, UMass, from the units' term co-occurrence),
exclusivity, stability on random halves of the units (Hungarian matching of topics), the
``topic_selection`` table (:func:`select_k`) and a plain-language recommendation.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.engine import SERIAL, Engine
from corpuslab.topics import TopicModel

SELECTION_DIGITS = 6  # float32 fits in different processes (a pool, a Dask worker) can differ in the 7th digit
PARALLEL_MIN_NNZ = 1_000_000  # below this, model selection fits in-process


def select_k(X: sparse.spmatrix, *, ks, method: str = "nmf", seeds=(0, 1, 2), top_n: int = 10,
             engine: Engine = SERIAL) -> tuple[pd.DataFrame, dict[int, TopicModel]]:
    """Fit and measure every k in ``ks``: (table ``topic_selection``, the all-units model of each k).

    Each k is fitted once on all units with ``seeds[0]`` (the model returned for that k, which a
    report at that k uses as it is) and once per further seed on a random half of the units drawn
    with that seed (:func:`subsample`), after Greene, O'Callaghan & Cunningham (2014).
    Columns: k, npmi, umass (mean over the topics of the all-units fit; unit co-occurrence on the
    modelled units, top ``top_n`` terms), exclusivity, stability (:func:`stability` of the all-units
    fit against the half fits; NaN with one seed), perplexity (LDA only, of the all-units model on
    the training units; NaN for NMF), n_seeds, top_n; metrics to :data:`SELECTION_DIGITS` significant
    digits, which every engine reproduces. Co-occurrence counts are computed once over the union of
    all top terms. The fits run side by side on ``engine`` when the matrix is large enough to repay it.

    >>> X = sparse.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3]]))
    >>> table, models = select_k(X, ks=[2], seeds=(0, 1), top_n=2)
    >>> list(table.columns)[:5], int(table.loc[0, "k"]), models[2]
    (['k', 'npmi', 'umass', 'exclusivity', 'stability'], 2, TopicModel(2, method='nmf', seed=0))
    """
    return selection_table(X, fit_candidates(X, ks=ks, method=method, seeds=seeds, engine=engine), ks=ks,
                           seeds=seeds, top_n=top_n)


def fit_candidates(X: sparse.spmatrix, *, ks, method: str = "nmf", seeds=(0, 1, 2),
                   engine: Engine = SERIAL) -> dict[tuple[int, int, bool], TopicModel]:
    """The fits :func:`select_k` measures, by (k, seed, on a random half): each k on all units with
    ``seeds[0]`` and on a random half per further seed; on :func:`candidate_engine`."""
    keys = [(k, s, s != seeds[0]) for k in ks for s in seeds]  # (k, seed, on a random half)
    longest_first = sorted(keys, key=lambda key: (-key[0], key[2]))  # larger k, all units: longer fits start first
    engine = candidate_engine(X, engine)
    return dict(zip(longest_first, engine.map(partial(_fit_candidate, X, method), longest_first)))


def candidate_engine(X: sparse.spmatrix, engine: Engine) -> Engine:
    """The engine :func:`fit_candidates` fits on: ``engine``, or this process for a small matrix.

    >>> candidate_engine(sparse.csr_matrix((2, 2)), Engine("local", 2)) is SERIAL
    True
    """
    if engine.kind != "dask" and X.nnz < PARALLEL_MIN_NNZ:
        return SERIAL  # small models: starting processes costs more than the fits
    return engine


def selection_table(X: sparse.spmatrix, fitted: dict, *, ks, seeds=(0, 1, 2),
                    top_n: int = 10) -> tuple[pd.DataFrame, dict[int, TopicModel]]:
    """:func:`select_k`'s (table, all-units model of each k) from the fits of :func:`fit_candidates`."""
    models = {k: fitted[(k, seeds[0], False)] for k in ks}
    tops = {k: top_indices(models[k].topic_term_, top_n=top_n) for k in ks}
    columns = sorted(set(np.concatenate([t.ravel() for t in tops.values()]).tolist()))
    D, n = unit_cooccurrence(X, columns)
    index = {c: i for i, c in enumerate(columns)}
    rows = []
    for k, model in models.items():
        coh = coherence(tops[k], D, n, index)
        rows.append({"k": k, "npmi": coh["npmi"].mean(), "umass": coh["umass"].mean(),
                     "exclusivity": float(exclusivity(model.topic_term_, top_n=top_n).mean()),
                     "stability": stability(model.topic_term_, [fitted[(k, s, True)].topic_term_ for s in seeds[1:]]),
                     "perplexity": _perplexity(model, X), "n_seeds": len(seeds), "top_n": top_n})
    table = pd.DataFrame(rows)
    metrics = ["npmi", "umass", "exclusivity", "stability", "perplexity"]
    table[metrics] = table[metrics].map(lambda v: float(f"{v:.{SELECTION_DIGITS}g}"))
    return table, models


def _fit_candidate(X: sparse.spmatrix, method: str, key: tuple[int, int, bool]) -> TopicModel:
    k, seed, half = key
    units = sparse.csr_matrix(X)[subsample(X.shape[0], k, seed)] if half else X
    return TopicModel(k, method=method, seed=seed).fit(units)


def _perplexity(model: TopicModel, X: sparse.spmatrix) -> float:
    if model.method != "lda":
        return np.nan
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return model.perplexity(X)


def subsample(n_units: int, k: int, seed: int) -> np.ndarray:
    """Sorted positions of a random half of ``n_units`` units (at least ``k``, so k topics fit), drawn with ``seed``.

    >>> subsample(10, 2, seed=0).tolist() == subsample(10, 2, seed=0).tolist() and len(subsample(10, 2, seed=0))
    5
    """
    size = min(n_units, max(n_units // 2, k))
    return np.sort(np.random.default_rng(seed).permutation(n_units)[:size])


def sample_units(n_units: int, size: int, seed: int) -> np.ndarray:
    """Sorted positions of ``size`` of ``n_units`` units drawn at random with ``seed`` (all of them if ``size`` is 0
    or not smaller): the units model selection measures on a large corpus.

    >>> sample_units(10, 4, seed=0).tolist() == sample_units(10, 4, seed=0).tolist(), len(sample_units(10, 4, seed=0))
    (True, 4)
    >>> sample_units(3, 0, seed=0).tolist()
    [0, 1, 2]
    """
    if not 0 < size < n_units:
        return np.arange(n_units)
    return np.sort(np.random.default_rng(seed).choice(n_units, size, replace=False))


def top_indices(topic_term: np.ndarray, *, top_n: int = 10) -> np.ndarray:
    """Column indices of each topic's ``top_n`` terms, highest weight first (ties: lower index).

    >>> top_indices(np.array([[0.1, 0.6, 0.3]]), top_n=2)
    array([[1, 2]])
    """
    return np.argsort(-topic_term, axis=1, kind="stable")[:, :top_n]


def unit_cooccurrence(X: sparse.spmatrix, columns) -> tuple[np.ndarray, int]:
    """How many units contain both of two terms, for the given term columns: (D, n_units).

    D[i, j] is the number of units (the reference corpus is the modelled corpus itself,
    the window is one whole unit) that contain both terms; D[i, i] the units containing term i.
    Computed once as B.T @ B on the sparse binary unit-term matrix restricted to ``columns``.

    >>> D, n = unit_cooccurrence(sparse.csr_matrix([[1, 2, 0], [0, 1, 1]]), [0, 1])
    >>> D.tolist(), n
    ([[1, 1], [1, 2]], 2)
    """
    B = (sparse.csr_matrix(X)[:, list(columns)] > 0).astype(np.int64)
    return np.asarray((B.T @ B).todense()), X.shape[0]


def coherence(top: np.ndarray, D: np.ndarray, n_units: int, index: dict) -> pd.DataFrame:
    """NPMI and UMass coherence of each topic from unit co-occurrence counts.

    NPMI (Bouma 2009; as in Lau et al. 2014 / Röder et al. 2015): mean over pairs of top terms of
    log(P(a,b) / P(a)P(b)) / -log P(a,b), with P the share of units containing the terms; a pair
    never seen together scores -1. UMass (Mimno et al. 2011): mean over ordered pairs (b ranked
    above a) of log((D(a,b) + 1) / D(b)). Reference corpus: the modelled units; window: one unit.

    Parameters
    ----------
    top : array (k, top_n) of term columns per topic (highest rank first)
    D, n_units : from :func:`unit_cooccurrence`
    index : maps a term column to its row in ``D``

    Returns
    -------
    DataFrame: topic, npmi, umass

    Examples
    --------
    >>> D = np.array([[2, 1], [1, 2]]); top = np.array([[0, 1]])
    >>> coherence(top, D, 4, {0: 0, 1: 1}).round(4)
       topic  npmi  umass
    0      1   0.0    0.0
    """
    rows = []
    for t, cols in enumerate(top, start=1):
        idx = [index[c] for c in cols]
        npmis, umasses = [], []
        for later in range(1, len(idx)):
            for earlier in range(later):
                a, b = idx[later], idx[earlier]
                joint = D[a, b]
                umasses.append(np.log((joint + 1) / D[b, b]))
                if joint == 0:
                    npmis.append(-1.0)
                    continue
                p_ab = joint / n_units
                if p_ab == 1:
                    npmis.append(1.0)
                    continue
                pmi = np.log(p_ab / ((D[a, a] / n_units) * (D[b, b] / n_units)))
                npmis.append(pmi / -np.log(p_ab))
        rows.append({"topic": t, "npmi": float(np.mean(npmis)), "umass": float(np.mean(umasses))})
    return pd.DataFrame(rows, columns=["topic", "npmi", "umass"])


def exclusivity(topic_term: np.ndarray, *, top_n: int = 10) -> np.ndarray:
    """Per topic, the mean share of each top term's weight that falls in this topic (1 = exclusive).

    >>> exclusivity(np.array([[0.9, 0.1], [0.1, 0.9]]), top_n=1)
    array([0.9, 0.9])
    """
    share = topic_term / np.maximum(topic_term.sum(axis=0, keepdims=True), 1e-300)
    top = top_indices(topic_term, top_n=top_n)
    return np.array([share[t, top[t]].mean() for t in range(topic_term.shape[0])])


def match_topics(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match topics of ``b`` to topics of ``a`` (Hungarian method on cosine similarity of topic-term rows).

    Returns (column of ``b`` matched to each row of ``a``, cosine similarity of each match).

    >>> order, cos = match_topics(np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> order.tolist(), cos.tolist()
    ([1, 0], [1.0, 1.0])
    """
    from scipy.optimize import linear_sum_assignment

    na = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-300)
    nb = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-300)
    sim = na @ nb.T
    rows, cols = linear_sum_assignment(-sim)
    return cols[np.argsort(rows)], sim[rows, cols][np.argsort(rows)]


def stability(topic_term: np.ndarray, others: list[np.ndarray]) -> float:
    """Mean cosine of Hungarian-matched topics between a fit and each of ``others`` (1 = the same
    topics come back; NaN without others).

    >>> stability(np.eye(2), [np.array([[0.0, 1.0], [1.0, 0.0]])]), stability(np.eye(2), [])
    (1.0, nan)
    """
    matched = [match_topics(topic_term, other)[1].mean() for other in others]
    return float(np.mean(matched)) if matched else np.nan


def recommend_k(selection: pd.DataFrame) -> str:
    """A plain-language recommendation from a ``topic_selection`` table.

    Ranks each k on NPMI, exclusivity and stability (mean rank; ties: the smaller k); stability
    is left out when it was not measured (one seed).

    >>> t = pd.DataFrame({"k": [2, 3], "npmi": [0.1, 0.2], "exclusivity": [0.5, 0.6], "stability": [0.9, 0.95]})
    >>> recommend_k(t).startswith("k = 3")
    True
    """
    measured = selection["stability"].notna().all()
    ranked = ("npmi", "exclusivity", "stability") if measured else ("npmi", "exclusivity")
    score = sum(selection[c].rank(ascending=False) for c in ranked)
    best = selection.assign(score=score).sort_values(["score", "k"]).iloc[0]
    if measured:
        stable = f" and stability on half the units ({best['stability']:.2f})"
        note = ("" if best["stability"] >= 0.8 else " Its topics change noticeably when half the units are left out "
                "(stability below 0.8): treat them as tentative.")
    else:
        stable, note = "", " Stability was not measured (topics.n_seeds = 1)."
    return (f"k = {int(best['k'])} balances coherence (NPMI {best['npmi']:.2f}), exclusivity "
            f"({best['exclusivity']:.2f}){stable} best among "
            f"k = {', '.join(str(int(k)) for k in selection['k'])}.{note} Read its topics before trusting the number.")
