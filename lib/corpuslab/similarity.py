"""Document similarity on tf-idf, as tidy tables: nearest documents, clusters, groups' similarity over time.

Weighting: quanteda's ``dfm_tfidf`` defaults, raw count × log10(N / document frequency) (the same as
:func:`corpuslab.counts.tfidf`); a term in every document weighs 0. Two measures, as quanteda's
``textstat_simil`` names them: ``cosine`` (scikit-learn's ``cosine_similarity``; 1 − scipy's ``cosine``
distance) and ``correlation`` (Pearson's r between two documents' weights over the whole vocabulary;
1 − scipy's ``correlation`` distance). A document without any weight (empty, or only words every document
uses) has similarity 0 to every other. Pairwise values are computed in blocks of rows, so the whole
document × document matrix of a large corpus is never held.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster import hierarchy

from corpuslab.errors import CorpuslabError

MEASURES = ("cosine", "correlation")
BLOCK_ROWS = 512  # rows of the similarity matrix held at once (512 × 11,000 floats = 45 MB)
DENSE_SHARE = 0.05  # terms in more than this share of documents are multiplied as a dense array (BLAS) ...
DENSE_CELLS = 25_000_000  # ... of at most this many cells (200 MB)
MAX_CLUSTERED = 2000  # documents clustered at most; the others join the cluster whose centroid is nearest


def tfidf_weights(X: sparse.spmatrix) -> sparse.csr_matrix:
    """Count × log10(N / document frequency) of a document-term matrix (quanteda's ``dfm_tfidf`` defaults).

    >>> tfidf_weights(sparse.csr_matrix([[2, 1], [0, 1]])).toarray().round(3).tolist()
    [[0.602, 0.0], [0.0, 0.0]]
    """
    X = sparse.csr_matrix(X, dtype=float)
    doc_freq = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log10(X.shape[0] / np.maximum(doc_freq, 1))
    weighted = X.multiply(idf[np.newaxis, :]).tocsr()
    weighted.eliminate_zeros()
    return weighted


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise CorpuslabError(f"similarity.measure: got {measure!r}; allowed: {', '.join(MEASURES)}")


class _Prepared:
    """W split for speed: the columns most documents use as a dense array (one BLAS product), the rest sparse;
    with each row's mean and scale, similarity(i, j) = (w_i·w_j − V·m_i·m_j) / (s_i·s_j) (m = 0 for cosine)."""

    def __init__(self, W: sparse.spmatrix, measure: str):
        _check_measure(measure)
        W = sparse.csr_matrix(W, dtype=float)
        self.n_rows, self.n_terms = W.shape
        squares = np.asarray(W.multiply(W).sum(axis=1)).ravel()
        if measure == "cosine":
            self.means = np.zeros(self.n_rows)
            self.scales = np.sqrt(squares)
        else:
            self.means = np.asarray(W.sum(axis=1)).ravel() / self.n_terms
            self.scales = np.sqrt(np.maximum(squares - self.n_terms * self.means**2, 0.0))
        doc_freq = np.bincount(W.indices, minlength=self.n_terms)
        by_freq = np.argsort(-doc_freq, kind="stable")[:max(1, DENSE_CELLS // max(self.n_rows, 1))]
        common = np.sort(by_freq[doc_freq[by_freq] > DENSE_SHARE * self.n_rows])
        rest = np.setdiff1d(np.arange(self.n_terms), common)
        self.dense = W[:, common].toarray()
        self.sparse = W[:, rest].tocsr()

    def block(self, rows: np.ndarray, columns: np.ndarray | None = None) -> np.ndarray:
        """Similarities of ``rows`` to ``columns`` (default: every row) as a dense block."""
        columns = np.arange(self.n_rows) if columns is None else columns
        dots = self.dense[rows] @ self.dense[columns].T
        dots += (self.sparse[rows] @ self.sparse[columns].T).toarray()
        dots -= self.n_terms * np.outer(self.means[rows], self.means[columns])
        scale = np.outer(self.scales[rows], self.scales[columns])
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(scale > 0, dots / np.where(scale > 0, scale, 1.0), 0.0)
        return np.clip(values, -1.0, 1.0)


def similarity_matrix(W: sparse.spmatrix, *, measure: str = "cosine") -> np.ndarray:
    """Every pair's similarity (dense; for a few thousand documents at most); the diagonal is 1 (0 for a
    document without weights).

    >>> similarity_matrix(sparse.csr_matrix([[1.0, 0.0], [1.0, 1.0]])).round(3).tolist()
    [[1.0, 0.707], [0.707, 1.0]]
    """
    return _Prepared(W, measure).block(np.arange(W.shape[0]))


def similar_documents(W: sparse.spmatrix, doc_ids, *, measure: str = "cosine", top_k: int = 5,
                      block_rows: int = BLOCK_ROWS) -> pd.DataFrame:
    """Each document's ``top_k`` most similar other documents: doc_id, neighbour, similarity, rank
    (1 = most similar; ties in document order). Computed ``block_rows`` rows at a time.

    >>> W = sparse.csr_matrix([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> similar_documents(W, ["a", "b", "c"], top_k=1)[["doc_id", "neighbour"]].values.tolist()
    [['a', 'b'], ['b', 'a'], ['c', 'b']]
    """
    doc_ids = np.asarray(list(doc_ids), dtype=object)
    if len(doc_ids) != W.shape[0]:
        raise CorpuslabError(f"similar_documents: {len(doc_ids)} doc_ids for {W.shape[0]} rows; give one id per row")
    prepared = _Prepared(W, measure)
    n = W.shape[0]
    k = min(int(top_k), n - 1)
    columns = ["doc_id", "neighbour", "similarity", "rank"]
    if k < 1:
        return pd.DataFrame(columns=columns)
    parts = []
    for start in range(0, n, block_rows):
        rows = np.arange(start, min(start + block_rows, n))
        values = prepared.block(rows)
        values[np.arange(len(rows)), rows] = -np.inf  # never one's own neighbour
        order = _top(values, k)
        parts.append(pd.DataFrame({"doc_id": np.repeat(doc_ids[rows], k), "neighbour": doc_ids[order.ravel()],
                                   "similarity": np.take_along_axis(values, order, axis=1).ravel(),
                                   "rank": np.tile(np.arange(1, k + 1), len(rows))}))
    return pd.concat(parts, ignore_index=True)[columns]


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """The column positions of each row's ``k`` largest values, largest first (ties: the first column)."""
    if k < values.shape[1]:
        kept = np.argpartition(-values, k - 1, axis=1)[:, :k]
        threshold = np.take_along_axis(values, kept, axis=1).min(axis=1, keepdims=True)
        candidates = [np.flatnonzero(row >= t) for row, t in zip(values, threshold)]  # ties at the threshold
        return np.array([c[np.argsort(-values[i, c], kind="stable")][:k] for i, c in enumerate(candidates)])
    return np.argsort(-values, axis=1, kind="stable")[:, :k]


def _row_normalised(W: sparse.spmatrix) -> sparse.csr_matrix:
    W = sparse.csr_matrix(W, dtype=float)
    norms = np.sqrt(np.asarray(W.multiply(W).sum(axis=1)).ravel())
    return sparse.diags(np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)) @ W


def centroids(W: sparse.spmatrix, labels) -> tuple[sparse.csr_matrix, list]:
    """The mean of each group's length-normalised tf-idf rows (every document weighs the same, long or short):
    (groups × terms, sparse; the groups in sorted order).

    >>> centroids(sparse.csr_matrix([[3.0, 0.0], [0.0, 2.0], [1.0, 0.0]]), ["x", "y", "x"])[0].toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    labels = pd.Series(list(labels), dtype=object).astype(str)
    codes, names = pd.factorize(labels, sort=True)
    N = _row_normalised(W)
    summing = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(names), len(codes)))
    sizes = np.bincount(codes, minlength=len(names))
    return sparse.csr_matrix(sparse.diags(1.0 / sizes) @ (summing @ N)), list(names)


def group_similarity(W: sparse.spmatrix, labels, *, measure: str = "cosine") -> pd.DataFrame:
    """The similarity of every two groups' centroids (:func:`centroids`), as a square table (groups × groups)."""
    means, names = centroids(W, labels)
    return pd.DataFrame(similarity_matrix(means, measure=measure), index=names, columns=names)


def cluster_documents(W: sparse.spmatrix, doc_ids, *, measure: str = "cosine", n_clusters: int = 6,
                      method: str = "average", max_clustered: int = MAX_CLUSTERED):
    """Hierarchical clustering (scipy ``linkage``, ``method``) on the distance 1 − similarity.

    At most ``max_clustered`` documents (every k-th, in order) are clustered; each other document joins
    the cluster whose centroid is most similar to it. Returns (table doc_id, cluster, clustered; the
    linkage matrix; the clustered doc_ids, in linkage order). Clusters are numbered 1.. by size.
    """
    from scipy.spatial.distance import squareform

    doc_ids = np.asarray(list(doc_ids), dtype=object)
    n = W.shape[0]
    if n < 3:
        raise CorpuslabError(f"cluster_documents: {n} documents; clustering needs at least 3")
    step = max(1, -(-n // max_clustered))
    chosen = np.arange(0, n, step)
    similarity = similarity_matrix(sparse.csr_matrix(W)[chosen], measure=measure)
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    Z = hierarchy.linkage(squareform(distance, checks=False), method=method)
    found = hierarchy.fcluster(Z, t=min(n_clusters, len(chosen)), criterion="maxclust")
    clusters = np.zeros(n, dtype=int)
    clusters[chosen] = found
    rest = np.setdiff1d(np.arange(n), chosen)
    if len(rest):
        means, names = centroids(sparse.csr_matrix(W)[chosen], found)
        nearest = similarity_to(sparse.csr_matrix(W)[rest], means, measure=measure).argmax(axis=1)
        clusters[rest] = np.asarray(names, dtype=int)[nearest]
    sizes = pd.Series(clusters).value_counts()
    renumber = {old: new for new, old in enumerate(sorted(sizes.index, key=lambda c: (-sizes[c], c)), start=1)}
    table = pd.DataFrame({"doc_id": doc_ids, "cluster": [renumber[c] for c in clusters],
                          "clustered": np.isin(np.arange(n), chosen)})
    return table, Z, doc_ids[chosen]


def similarity_to(W: sparse.spmatrix, targets: np.ndarray, *, measure: str = "cosine") -> np.ndarray:
    """Similarity of each row of ``W`` to each row of ``targets`` (rows × targets)."""
    stacked = sparse.vstack([sparse.csr_matrix(W), sparse.csr_matrix(targets)]).tocsr()
    return _Prepared(stacked, measure).block(np.arange(W.shape[0]), np.arange(W.shape[0], stacked.shape[0]))


def time_points(dates) -> pd.Series:
    """The year of each date (``YYYY...``); empty where there is none.

    >>> time_points(["2024-05-01", "1991", None]).tolist()
    ['2024', '1991', '']
    """
    text = pd.Series(list(dates), dtype=object).fillna("").astype(str)
    return text.str[:4].where(text.str.match(r"^\d{4}"), "")


def default_pair(groups, times) -> tuple[str, str] | None:
    """The two groups that can be compared in the most time points (both have documents then); ties in
    alphabetical order. None with fewer than two groups, or when no two share a time point.

    >>> default_pair(["USA", "CHN", "RUS", "USA", "CHN", "RUS", "USA"], ["1", "1", "1", "2", "2", "2", "3"])
    ('CHN', 'RUS')
    """
    table = pd.DataFrame({"group": pd.Series(list(groups), dtype=object).astype(str), "time": list(times)})
    table = table[table["time"] != ""]
    present = table.groupby("group")["time"].agg(set)
    names = sorted(present.index)
    if len(names) < 2:
        return None
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    best = max(pairs, key=lambda p: len(present[p[0]] & present[p[1]]))  # the first of equals: alphabetical
    return best if present[best[0]] & present[best[1]] else None


def group_similarity_over_time(W: sparse.spmatrix, groups, times, pair: tuple[str, str], *,
                               measure: str = "cosine", n_boot: int = 200, seed: int = 0,
                               level: float = 0.95) -> pd.DataFrame:
    """For each time point (year) where both groups of ``pair`` have documents: the similarity of their
    centroids (:func:`centroids`), a percentile bootstrap interval over documents (resampled within each
    group; only when both groups have 2 documents or more that year, else blank), and the median similarity
    of every other pair of groups that year (blank with fewer than three groups then).

    Columns: time, group_a, group_b, n_a, n_b, similarity, ci_low, ci_high, others_median.
    """
    a, b = map(str, pair)
    groups = pd.Series(list(groups), dtype=object).astype(str).to_numpy()
    times = pd.Series(list(times), dtype=object).astype(str).to_numpy()
    if len(groups) != W.shape[0] or len(times) != W.shape[0]:
        raise CorpuslabError("group_similarity_over_time: give one group and one time per row of W")
    for name in (a, b):
        if name not in set(groups):
            known = ", ".join(sorted(set(groups))[:12])
            raise CorpuslabError(f"similarity.pair: no group {name!r}; groups here: {known}")
    N = _row_normalised(W)
    rng = np.random.default_rng(seed)
    rows = []
    for time in sorted(set(times) - {""}):
        at = times == time
        ia, ib = np.flatnonzero(at & (groups == a)), np.flatnonzero(at & (groups == b))
        if not len(ia) or not len(ib):
            continue
        means, names = centroids(N[at], groups[at])
        values = similarity_matrix(means, measure=measure)
        where = {g: i for i, g in enumerate(names)}
        value = values[where[a], where[b]]
        others = [values[i, j] for i in range(len(names)) for j in range(i + 1, len(names))
                  if {names[i], names[j]} != {a, b}]
        low = high = np.nan
        if n_boot and len(ia) > 1 and len(ib) > 1:
            boot = [_centroid_similarity(N, rng.choice(ia, len(ia)), rng.choice(ib, len(ib)), measure)
                    for _ in range(n_boot)]
            low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
        rows.append((time, a, b, len(ia), len(ib), value, low, high, np.median(others) if others else np.nan))
    return pd.DataFrame(rows, columns=["time", "group_a", "group_b", "n_a", "n_b", "similarity", "ci_low",
                                       "ci_high", "others_median"])


def _centroid_similarity(N: sparse.csr_matrix, rows_a: np.ndarray, rows_b: np.ndarray, measure: str) -> float:
    means = sparse.vstack([sparse.csr_matrix(N[rows_a].mean(axis=0)), sparse.csr_matrix(N[rows_b].mean(axis=0))])
    return float(similarity_matrix(means, measure=measure)[0, 1])
