"""Topic models (NMF and LDA from scikit-learn) of a unit-term matrix, and the units they are fitted on.

Owns: :class:`TopicModel` (fit, transform, its fitted weights and provenance), the unit
tables a model is fitted on (windows of tokens; units too short to model, listed, never
silently lost) and each term's share of the tokens. Choosing k is in ``topic_selection``,
reading topics in ``topic_labels``, topics over metadata in ``topic_prevalence``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.errors import CorpuslabError

METHODS = ("nmf", "lda")
# scikit-learn settings of each method, used both to build the estimator and to describe it (TopicModel.info)
NMF_SETTINGS = {"init": "nndsvdar", "max_iter": 500}
LDA_SETTINGS = {"learning_method": "batch", "max_iter": 50}


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


class TopicModel:
    """A seeded topic model of a unit-term count matrix, with scikit-learn's estimator conventions.

    ``method="nmf"``: NMF on sublinear TF-IDF weights (float32: on the UN corpus 1.7x faster than
    float64 with the same reconstruction error and NPMI), NNDSVD start with its zeros filled by
    small random values drawn with ``seed`` (``init="nndsvdar"``), so seeds can be compared.
    ``method="lda"``: LDA by batch variational Bayes with ``random_state=seed``.
    Fits run on one BLAS thread, so a model is the same float for float in this process, a
    process pool or a Dask worker.

    Attributes after :meth:`fit`: ``unit_topic_`` (units x k) and ``topic_term_`` (k x terms),
    rows summing to 1; ``estimator_`` (the fitted scikit-learn model).

    >>> X = sparse.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3]]))
    >>> model = TopicModel(2, seed=0).fit(X)
    >>> model.unit_topic_.shape, model.topic_term_.shape, model.transform(X[:1]).shape
    ((4, 2), (2, 4), (1, 2))
    """

    def __init__(self, k: int, *, method: str = "nmf", seed: int = 0):
        if method not in METHODS:
            raise CorpuslabError(f"topics.method: got {method!r}; allowed: {', '.join(METHODS)}")
        self.k, self.method, self.seed = k, method, seed

    def __repr__(self) -> str:
        return f"TopicModel({self.k}, method={self.method!r}, seed={self.seed})"

    def fit(self, X: sparse.spmatrix) -> TopicModel:
        """Fit the model to unit-term counts ``X``; return itself."""
        check_settings(X, self.k)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # one BLAS thread: the same floats in this process, a pool or a Dask worker
            if self.method == "nmf":
                from sklearn.decomposition import NMF
                from sklearn.feature_extraction.text import TfidfTransformer

                self.tfidf_ = TfidfTransformer(sublinear_tf=True)
                weights = self.tfidf_.fit_transform(X).astype(np.float32)  # 1.7x faster, same fit
                self.estimator_ = NMF(n_components=self.k, random_state=self.seed, **NMF_SETTINGS)
                unit_topic = self.estimator_.fit_transform(weights)
            else:
                from sklearn.decomposition import LatentDirichletAllocation

                self.estimator_ = LatentDirichletAllocation(n_components=self.k, random_state=self.seed, **LDA_SETTINGS)
                unit_topic = self.estimator_.fit_transform(X)
        self.unit_topic_ = _normalise_rows(unit_topic)
        self.topic_term_ = _normalise_rows(self.estimator_.components_)
        return self

    def transform(self, X: sparse.spmatrix) -> np.ndarray:
        """Topic weights (rows summing to 1) of the units ``X`` (counts over the fitted terms)."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            weights = self.tfidf_.transform(X).astype(np.float32) if self.method == "nmf" else X
            return _normalise_rows(self.estimator_.transform(weights))

    def perplexity(self, X: sparse.spmatrix) -> float:
        """LDA's perplexity of the units ``X`` under the fitted model (scikit-learn's ``perplexity``)."""
        return float(self._lda("perplexity").perplexity(X))

    def log_likelihood(self, X: sparse.spmatrix) -> float:
        """LDA's approximate log-likelihood (variational bound) of the units ``X`` (scikit-learn's ``score``)."""
        return float(self._lda("log_likelihood").score(X))

    def _lda(self, measure: str):
        if self.method != "lda":
            raise ValueError(f"{measure} is defined for LDA only; this model is {self.method}")
        return self.estimator_

    def info(self) -> pd.DataFrame:
        """Provenance of the model as a two-column table (``topic_model``): method, library, version, k,
        seed and every hyper-parameter.

        >>> info = TopicModel(3, seed=1).info().set_index("key")["value"]
        >>> info["method"], info["k"], info["seed"], info["init"]
        ('nmf', '3', '1', 'nndsvdar')
        """
        import sklearn

        info = {"method": self.method, "library": "scikit-learn", "version": sklearn.__version__, "k": self.k,
                "seed": self.seed}
        if self.method == "nmf":
            info.update(input="tf-idf (sublinear_tf=True), float32", **NMF_SETTINGS, loss="frobenius")
        else:
            info.update(input="counts", **LDA_SETTINGS, doc_topic_prior=1 / self.k, topic_word_prior=1 / self.k)
        return pd.DataFrame({"key": list(info), "value": [str(v) for v in info.values()]})


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)


# --- the units a model is fitted on --------------------------------------------------------------

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
    languages = documents["language"] if "language" in documents.columns else ["en"] * len(documents)
    for doc_id, text, language in zip(documents["doc_id"], documents["text"], languages):
        spans = token_spans(text, language=language)  # Chinese: words, not runs of characters
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


def term_shares(X: sparse.spmatrix) -> np.ndarray:
    """Each term's share of all tokens in a DTM (p(w) in relevance).

    >>> term_shares(sparse.csr_matrix([[1, 3]])).tolist()
    [0.25, 0.75]
    """
    totals = np.asarray(X.sum(axis=0)).ravel().astype(float)
    return totals / max(totals.sum(), 1.0)
