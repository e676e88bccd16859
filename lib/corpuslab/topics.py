"""Topic models (NMF and LDA from scikit-learn) on a document-term matrix, as tidy tables.

Owns: the units a model is fitted on (with the units left out listed), fitting with
recorded provenance (``model_info``), coherence on the corpus itself (NPMI, UMass),
exclusivity, stability on random halves of the units (Hungarian matching), and model selection over k.
"""

from __future__ import annotations

import hashlib
from functools import partial

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.errors import CorpuslabError
from corpuslab.stats import group_labels, resampled_means


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

    ``engine="nmf"``: NMF on TF-IDF weights (float32: on the UN corpus 1.7x faster than
    float64 with the same reconstruction error and NPMI), NNDSVD start with its zeros filled
    by small random values drawn with ``seed`` (``init="nndsvdar"``), so seeds can be compared.
    ``engine="lda"``: LDA by batch variational Bayes with ``random_state=seed``.
    """
    check_settings(X, k)
    remembered = _SELECTION_FITS.get((_fingerprint(X), k, engine, seed))
    if remembered is not None:  # fitted already during model selection (the same data, k and seed)
        return remembered[0].copy(), remembered[1].copy()
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # one BLAS thread: the same floats in this process, a pool or a Dask worker
        doc_topic, topic_term = _fit_model(X, k=k, engine=engine, seed=seed)
    return _normalise_rows(doc_topic), _normalise_rows(topic_term)


def _fit_model(X: sparse.spmatrix, *, k: int, engine: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if engine == "nmf":
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        weights = TfidfTransformer(sublinear_tf=True).fit_transform(X).astype(np.float32)  # 1.7x faster, same fit
        model = NMF(n_components=k, init="nndsvdar", random_state=seed, max_iter=500)
        doc_topic = model.fit_transform(weights)
        topic_term = model.components_
    elif engine == "lda":
        from sklearn.decomposition import LatentDirichletAllocation

        model = LatentDirichletAllocation(n_components=k, learning_method="batch", random_state=seed, max_iter=50)
        doc_topic = model.fit_transform(X)
        topic_term = model.components_
    else:
        raise CorpuslabError(f"topics.engine: got {engine!r}; allowed: nmf, lda")
    return doc_topic, topic_term


def model_info(*, k: int, engine: str = "nmf", seed: int = 0) -> dict:
    """Provenance of a fit by :func:`fit`: engine, its version, seed and every hyper-parameter.

    >>> info = model_info(k=3, engine="nmf", seed=1)
    >>> info["engine"], info["k"], info["seed"], info["init"]
    ('nmf', 3, 1, 'nndsvdar')
    """
    import sklearn

    info = {"engine": engine, "library": "scikit-learn", "version": sklearn.__version__, "k": k, "seed": seed}
    if engine == "nmf":
        info.update(input="tf-idf (sublinear_tf=True), float32", init="nndsvdar", max_iter=500, loss="frobenius")
    else:
        info.update(input="counts", learning_method="batch", max_iter=50,
                    doc_topic_prior=1 / k, topic_word_prior=1 / k)
    return info


def info_table(info: dict) -> pd.DataFrame:
    """A model_info dict as a two-column table: key, value.

    >>> info_table({"engine": "nmf", "k": 3})
          key value
    0  engine   nmf
    1       k     3
    """
    return pd.DataFrame({"key": list(info), "value": [str(v) for v in info.values()]})


def window_units(documents: pd.DataFrame, *, size: int = 100) -> pd.DataFrame:
    """Unit table of consecutive windows of ``size`` word tokens: doc_id, unit_id, text, + metadata.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["one two three four five"]})
    >>> window_units(docs, size=2)[["doc_id", "unit_id", "text"]]
      doc_id  unit_id        text
    0      a        0     one two
    1      a        1  three four
    2      a        2        five
    """
    from corpuslab.tokens import token_spans

    rows = []
    for doc_id, text in zip(documents["doc_id"], documents["text"]):
        spans = token_spans(text)
        for i in range(0, len(spans), size):
            part = spans[i:i + size]
            rows.append({"doc_id": doc_id, "unit_id": i // size, "text": text[part[0][0]:part[-1][1]]})
    units = pd.DataFrame(rows, columns=["doc_id", "unit_id", "text"])
    meta = documents.drop(columns=[c for c in ("text",) if c in documents.columns])
    return units.merge(meta, on="doc_id", how="left")


def split_short(units: pd.DataFrame, n_tokens, *, min_tokens: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split units into (kept, left_out); left_out carries ``n_tokens`` so nothing is lost silently.

    >>> u = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["x y z", "x"]})
    >>> kept, short = split_short(u, [3, 1], min_tokens=2)
    >>> list(kept["unit_id"]), list(short["n_tokens"])
    ([0], [1])
    """
    n = np.asarray(n_tokens, dtype=np.int64)
    ok = n >= min_tokens
    if len(units) and not ok.any():
        raise CorpuslabError(
            f"topics: no unit keeps {min_tokens} or more tokens after filtering (the vocabulary is empty or nearly); "
            "lower topics.min_unit_tokens or tokens.min_length, or set tokens.stopwords to none"
        )
    short = units[~ok].assign(n_tokens=n[~ok]).reset_index(drop=True)
    return units[ok].reset_index(drop=True), short


def drop_short(units: pd.DataFrame, X: sparse.spmatrix, terms: np.ndarray, *,
               min_tokens: int) -> tuple[pd.DataFrame, pd.DataFrame, sparse.csr_matrix, np.ndarray]:
    """:func:`split_short` by the rows of a document-term matrix of ``units``: (kept, left_out, X, terms) where
    X and terms are those of the kept units alone (terms only short units used are dropped), as if counted anew.

    >>> u = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["x y z", "w"]})
    >>> kept, short, X, terms = drop_short(u, sparse.csr_matrix([[0, 1, 1, 1], [1, 0, 0, 0]]),
    ...                                    np.array(["w", "x", "y", "z"], dtype=object), min_tokens=2)
    >>> list(kept["unit_id"]), list(short["n_tokens"]), X.toarray().tolist(), list(terms)
    ([0], [1], [[1, 1, 1]], ['x', 'y', 'z'])
    """
    X = sparse.csr_matrix(X)
    n_tokens = np.asarray(X.sum(axis=1)).ravel()
    kept, short = split_short(units, n_tokens, min_tokens=min_tokens)
    rows = X[n_tokens >= min_tokens]
    used = np.flatnonzero(np.asarray(rows.sum(axis=0)).ravel() > 0)
    return kept, short, rows[:, used].tocsr(), np.asarray(terms)[used]


# --- evaluation: coherence, exclusivity, stability, selection of k ---------------------------

def top_indices(topic_term: np.ndarray, *, top_n: int = 10) -> np.ndarray:
    """Column indices of each topic's ``top_n`` terms, highest weight first (ties: lower index).

    >>> top_indices(np.array([[0.1, 0.6, 0.3]]), top_n=2)
    array([[1, 2]])
    """
    return np.argsort(-topic_term, axis=1, kind="stable")[:, :top_n]


def cooccurrence(X: sparse.spmatrix, columns) -> tuple[np.ndarray, int]:
    """Unit co-occurrence counts of the given term columns: (D, n_units).

    D[i, j] is the number of units (the reference corpus is the modelled corpus itself,
    the window is one whole unit) that contain both terms; D[i, i] the units containing term i.
    Computed once as B.T @ B on the sparse binary unit-term matrix restricted to ``columns``.

    >>> D, n = cooccurrence(sparse.csr_matrix([[1, 2, 0], [0, 1, 1]]), [0, 1])
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
    D, n_units : from :func:`cooccurrence`
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
        for m in range(1, len(idx)):
            for l in range(m):
                a, b = idx[m], idx[l]
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


def select_k(X: sparse.spmatrix, *, ks, engine: str = "nmf", seeds=(0, 1, 2), top_n: int = 10,
             parallel: dict | None = None) -> pd.DataFrame:
    """Fit and measure every k in ``ks``: table ``topic_selection``.

    Each k is fitted once on all units with ``seeds[0]`` (the model :func:`fit` then returns for
    that k) and once per further seed on a random half of the units drawn with that seed
    (:func:`subsample`), after Greene, O'Callaghan & Cunningham (2014).
    Columns: k, npmi, umass (mean over the topics of the all-units fit; unit co-occurrence on the
    modelled units, top ``top_n`` terms), exclusivity, stability (mean cosine of Hungarian-matched
    topic-term vectors between the all-units fit and each half fit; 1 = the same topics come back from
    half the data; NaN with one seed), perplexity (LDA only, on the training units; NaN for NMF),
    n_seeds, top_n; metrics to :data:`SELECTION_DIGITS` significant digits, which every engine
    reproduces. Co-occurrence counts are computed once over the union of all top terms. The fits
    run side by side where ``parallel`` (:func:`corpuslab.engine.options`: engine, n_jobs,
    scheduler) allows.

    >>> X = sparse.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3]]))
    >>> table = select_k(X, ks=[2], seeds=(0, 1), top_n=2)
    >>> list(table.columns)[:5], int(table.loc[0, "k"])
    (['k', 'npmi', 'umass', 'exclusivity', 'stability'], 2)
    """
    from corpuslab import engine as engines

    keys = [(k, s, s != seeds[0]) for k in ks for s in seeds]  # (k, seed, on a random half)
    options = parallel or {}
    if options.get("engine") != "dask" and (engines.resolve_jobs(options.get("n_jobs", 1)) == 1 or X.nnz < PARALLEL_MIN_NNZ):
        options = {}  # small models: starting processes costs more than the fits
    longest_first = sorted(keys, key=lambda key: (-key[0], key[2]))  # larger k, all units: longer fits start first
    fits = dict(zip(longest_first, engines.run(partial(_fit_key, X, engine), longest_first, **options)))
    _SELECTION_FITS.clear()
    fingerprint = _fingerprint(X)
    _SELECTION_FITS.update({(fingerprint, k, engine, s): fits[(k, s, False)] for k in ks for s in seeds[:1]})
    tops = {k: top_indices(fits[(k, seeds[0], False)][1], top_n=top_n) for k in ks}
    columns = sorted(set(np.concatenate([t.ravel() for t in tops.values()]).tolist()))
    D, n = cooccurrence(X, columns)
    index = {c: i for i, c in enumerate(columns)}
    rows = []
    for k in ks:
        coh = coherence(tops[k], D, n, index)
        full = fits[(k, seeds[0], False)][1]
        matched = [match_topics(full, fits[(k, s, True)][1])[1].mean() for s in seeds[1:]]
        perp = np.nan
        if engine == "lda":
            from sklearn.decomposition import LatentDirichletAllocation

            model = LatentDirichletAllocation(n_components=k, learning_method="batch", random_state=seeds[0], max_iter=50)
            perp = float(model.fit(X).perplexity(X))
        rows.append({"k": k, "npmi": coh["npmi"].mean(), "umass": coh["umass"].mean(),
                     "exclusivity": float(exclusivity(full, top_n=top_n).mean()),
                     "stability": float(np.mean(matched)) if matched else np.nan, "perplexity": perp,
                     "n_seeds": len(seeds), "top_n": top_n})
    table = pd.DataFrame(rows)
    metrics = ["npmi", "umass", "exclusivity", "stability", "perplexity"]
    table[metrics] = table[metrics].map(lambda v: float(f"{v:.{SELECTION_DIGITS}g}"))
    return table


def subsample(n_units: int, k: int, seed: int) -> np.ndarray:
    """Sorted positions of a random half of ``n_units`` units (at least ``k``, so k topics fit), drawn with ``seed``.

    >>> subsample(10, 2, seed=0).tolist() == subsample(10, 2, seed=0).tolist() and len(subsample(10, 2, seed=0))
    5
    """
    size = min(n_units, max(n_units // 2, k))
    return np.sort(np.random.default_rng(seed).permutation(n_units)[:size])


SELECTION_DIGITS = 6  # float32 fits in different processes (a pool, a Dask worker) can differ in the 7th digit


PARALLEL_MIN_NNZ = 1_000_000  # below this, model selection fits in-process
_SELECTION_FITS: dict = {}  # the last model selection's fits, which fit() returns again instead of refitting


def _fingerprint(X: sparse.spmatrix) -> str:
    """A digest of a sparse matrix's shape and entries."""
    X = sparse.csr_matrix(X)
    digest = hashlib.blake2b(repr((X.shape, X.dtype.str)).encode(), digest_size=16)
    for array in (X.indptr, X.indices, X.data):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _fit_key(X: sparse.spmatrix, engine: str, key: tuple[int, int, bool]) -> tuple[np.ndarray, np.ndarray]:
    k, seed, half = key
    return fit(sparse.csr_matrix(X)[subsample(X.shape[0], k, seed)] if half else X, k=k, engine=engine, seed=seed)


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
        stability = f" and stability on half the units ({best['stability']:.2f})"
        note = ("" if best["stability"] >= 0.8 else " Its topics change noticeably when half the units are left out "
                "(stability below 0.8): treat them as tentative.")
    else:
        stability, note = "", " Stability was not measured (topics.n_seeds = 1)."
    return (f"k = {int(best['k'])} balances coherence (NPMI {best['npmi']:.2f}), exclusivity "
            f"({best['exclusivity']:.2f}){stability} best among "
            f"k = {', '.join(str(int(k)) for k in selection['k'])}.{note} Read its topics before trusting the number.")


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


# --- reading topics: FREX, relevance, passages --------------------------------------------

def _ecdf_rank(values: np.ndarray) -> np.ndarray:
    """Share of values <= each value, along the last axis (ties share the highest rank, as data.table::frank max)."""
    order = np.sort(values, axis=-1)
    return np.stack([np.searchsorted(order[i], values[i], side="right") for i in range(values.shape[0])]) / values.shape[-1]


def frex(topic_term: np.ndarray, *, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (stm's labelTopics / calcfrex, without James-Stein shrinkage).

    Weighted harmonic mean, 1 / (weight/F + (1-weight)/E) exactly as in stm's ``calcfrex``, of the ECDF rank of a term's probability in the
    topic (frequency) and of its exclusivity (its probability in this topic over the sum over topics).
    Roberts, Stewart & Tingley: stm (2019), Bischof & Airoldi (2012).

    >>> frex(np.array([[0.5, 0.5], [0.9, 0.1]])).round(2)
    array([[0.67, 1.  ],
           [1.  , 0.5 ]])
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
        rows += [{"topic": t + 1, "rank": r + 1, **{n: ranked[n][r] for n in scores}} for r in range(min(top_n, len(terms)))]
    return pd.DataFrame(rows, columns=["topic", "rank", "prob", "frex", "relevance"])


def passages(doc_topic: np.ndarray, units: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """The ``n`` units most devoted to each topic (like stm's findThoughts): topic, rank, doc_id, unit_id, weight, text.

    >>> u = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["x", "y"]})
    >>> passages(np.array([[0.9, 0.1], [0.2, 0.8]]), u, n=1)[["topic", "doc_id", "unit_id"]]
       topic doc_id  unit_id
    0      1      a        0
    1      2      a        1
    """
    rows = []
    for t in range(doc_topic.shape[1]):
        order = np.argsort(-doc_topic[:, t], kind="stable")[:n]
        rows += [{"topic": t + 1, "rank": r + 1, "doc_id": units["doc_id"].iloc[i], "unit_id": units["unit_id"].iloc[i],
                  "weight": float(doc_topic[i, t]), "text": units["text"].iloc[i]} for r, i in enumerate(order)]
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "unit_id", "weight", "text"])


# --- topics over metadata ------------------------------------------------------------------

def period(units: pd.DataFrame, *, by: str = "year") -> pd.Series:
    """A period label per unit from ``date``, honouring ``date_precision``.

    ``by="year"``: the year; ``by="month"``: YYYY-MM, except that a date known only to the year
    (``date_precision == "year"``) keeps its year label instead of pretending to a month.

    >>> u = pd.DataFrame({"date": ["2019-06", "2020", "2024-05-22"], "date_precision": ["month", "year", "day"]})
    >>> period(u, by="month").tolist()
    ['2019-06', '2020', '2024-05']
    """
    if "date" not in units.columns:
        raise CorpuslabError("topics: prevalence by date needs a 'date' column in the corpus metadata; "
                             "add one or group by another column")
    dates = units["date"].fillna("").astype(str)
    if by == "year":
        return dates.str[:4].rename("period")
    yearly = units.get("date_precision", pd.Series("", index=units.index)).fillna("").eq("year")
    return dates.str[:7].where(~yearly, dates.str[:4]).rename("period")


def prevalence_ci(doc_topic: np.ndarray, groups: pd.Series, *, n_boot: int = 500, level: float = 0.95,
                  seed: int = 0) -> pd.DataFrame:
    """Mean topic weight per group with percentile bootstrap CIs over units (seeded): table ``topic_prevalence``.

    Columns: group, topic, n_units, weight, ci_low, ci_high. Units are resampled with replacement
    within each group; a group of one unit gets a zero-width interval (nothing to resample).
    Units with no group (missing or empty) form the group "unknown", as in the sentiment tables.

    >>> t = prevalence_ci(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]), pd.Series(["a", "a", "b"]), n_boot=50)
    >>> t[["group", "topic", "n_units", "weight"]]
      group  topic  n_units  weight
    0     a      1        2     0.5
    1     a      2        2     0.5
    2     b      1        1     0.5
    3     b      2        1     0.5
    """
    rng = np.random.default_rng(seed)
    labels = group_labels(groups).to_numpy()
    rows = []
    alpha = (1 - level) / 2
    for g in sorted(set(labels)):
        part = doc_topic[labels == g]
        boot = resampled_means(part, n_boot, rng)
        low, high = np.quantile(boot, [alpha, 1 - alpha], axis=0)
        for t in range(doc_topic.shape[1]):
            rows.append({"group": g, "topic": t + 1, "n_units": len(part), "weight": float(part[:, t].mean()),
                         "ci_low": float(low[t]), "ci_high": float(high[t])})
    return pd.DataFrame(rows, columns=["group", "topic", "n_units", "weight", "ci_low", "ci_high"])


def units_from_params(documents: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """The unit table the model is fitted on, by ``topics.unit``: paragraph, document, sentence or window.

    unit_id is the position of the unit within its document (0, 1, ...), stable for the same input
    and params; a document is unit 0 of itself; windows hold ``topics.window`` tokens each.
    """
    from corpuslab import segment, workflow

    unit = cfg["topics.unit"]
    if unit == "paragraph":
        return segment.paragraphs(documents, mode=cfg["segment.paragraphs"])
    if unit == "sentence":
        return workflow.sentences(cfg, documents)
    if unit == "window":
        return window_units(documents, size=cfg["topics.window"])
    return documents.assign(unit_id=0)


def term_shares(X: sparse.spmatrix) -> np.ndarray:
    """Each term's share of all tokens in a DTM (p(w) in relevance).

    >>> term_shares(sparse.csr_matrix([[1, 3]])).tolist()
    [0.25, 0.75]
    """
    totals = np.asarray(X.sum(axis=0)).ravel().astype(float)
    return totals / max(totals.sum(), 1.0)


def prevalence_by(doc_topic: np.ndarray, units: pd.DataFrame, *, period_by: str = "year", n_boot: int = 500,
                  seed: int = 0) -> pd.DataFrame:
    """:func:`prevalence_ci` by outlet and by date period (where those columns exist), stacked with a ``by`` column.

    >>> u = pd.DataFrame({"outlet": ["A", "B"], "date": ["2020", "2021-02"], "date_precision": ["year", "month"]})
    >>> prevalence_by(np.array([[1.0, 0.0], [0.0, 1.0]]), u, n_boot=50)[["by", "group", "topic", "weight"]]
           by group  topic  weight
    0  outlet     A      1     1.0
    1  outlet     A      2     0.0
    2  outlet     B      1     0.0
    3  outlet     B      2     1.0
    4  period  2020      1     1.0
    5  period  2020      2     0.0
    6  period  2021      1     0.0
    7  period  2021      2     1.0
    """
    groups = {}
    if "outlet" in units.columns:
        groups["outlet"] = units["outlet"].reset_index(drop=True)
    if "date" in units.columns:
        groups["period"] = period(units, by=period_by).reset_index(drop=True)
    parts = [prevalence_ci(doc_topic, g, n_boot=n_boot, seed=seed).assign(by=name) for name, g in groups.items()]
    if not parts:
        return pd.DataFrame(columns=["by", "group", "topic", "n_units", "weight", "ci_low", "ci_high"])
    table = pd.concat(parts, ignore_index=True)
    return table[["by", "group", "topic", "n_units", "weight", "ci_low", "ci_high"]]
