"""Text scaling: placing texts on one latent dimension from their word counts.

Two methods, each on documents or on groups of documents (a group's counts are the sum of its
documents' counts, :func:`group_counts`):

- **Wordscores** (Laver, Benoit & Garry 2003), supervised: reference texts with scores the user
  gives score the words (:func:`word_scores`); each text's score is the mean score of its scored
  words, with LBG's standard error, raw and rescaled as Martin & Vanberg (2008) and as LBG
  (:func:`wordscores`). The definitions are quanteda.textmodels' ``textmodel_wordscores``
  (``scale = "linear"``, ``smooth = 0``) and its ``predict``.
- **Wordfish** (Slapin & Proksch 2008), unsupervised: the Poisson model
  log λ_ij = α_i + ψ_j + β_j θ_i fitted as quanteda.textmodels' ``textmodel_wordfish`` fits it
  (:func:`fit_wordfish`), tidied by :func:`wordfish`.

Analyses only: counts in, arrays and tidy tables out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import ndtri  # the standard normal quantile (scipy.stats.norm.ppf) without importing scipy.stats

from corpuslab.errors import CorpuslabError

WORDSCORES_TEXT_COLUMNS = ("unit", "reference_score", "n_scored", "raw", "se", "ci_low", "ci_high",
                           "rescaled_mv", "se_mv", "rescaled_lbg", "se_lbg")
WORDFISH_POSITION_COLUMNS = ("unit", "theta", "se", "ci_low", "ci_high", "alpha", "n_tokens")


def _dense(X) -> np.ndarray:
    return np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=float)


def group_counts(X, labels: Sequence) -> tuple[sparse.csr_matrix, list]:
    """The counts of each group (the sum of its rows of ``X``) and the group names, in order of first appearance.

    >>> Xg, names = group_counts(sparse.csr_matrix([[1, 0], [2, 1], [0, 3]]), ["b", "a", "b"])
    >>> names, Xg.toarray().tolist()
    (['b', 'a'], [[1, 3], [2, 1]])
    """
    X = sparse.csr_matrix(X)
    codes, names = pd.factorize(pd.Series(list(labels), dtype=object), sort=False)
    indicator = sparse.csr_matrix((np.ones(len(codes), dtype=X.dtype), (codes, np.arange(len(codes)))),
                                  shape=(len(names), len(codes)))
    return sparse.csr_matrix(indicator @ X), list(names)


def select_terms(X, *, min_docfreq: float = 0.05, max_terms: int | None = None) -> np.ndarray:
    """Column indices of the terms in at least ``min_docfreq`` (a share) of the rows of ``X`` and at least
    two rows, the ``max_terms`` most frequent of them (ties by column order), in column order.

    >>> select_terms(sparse.csr_matrix([[1, 0, 5], [1, 1, 0], [3, 0, 1]]), min_docfreq=0.5).tolist()
    [0, 2]
    """
    X = sparse.csr_matrix(X)
    docfreq = np.asarray((X > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(docfreq >= max(2, np.ceil(min_docfreq * X.shape[0] - 1e-9)))
    if max_terms is not None and len(keep) > max_terms:
        totals = np.asarray(X.sum(axis=0)).ravel()[keep]
        keep = np.sort(keep[np.argsort(-totals, kind="stable")[:max_terms]])
    return keep


# ------------------------------------------------------------------------------------------------- Wordscores

def word_scores(X_reference, scores: Sequence[float]) -> np.ndarray:
    """LBG's word scores: S_w = Σ_r P_wr A_r, with P_wr = F_wr / Σ_r F_wr and F_wr the relative frequency of
    word w in reference text r (a row of ``X_reference``) whose score is A_r. NaN for a word in no reference text.

    >>> word_scores(np.array([[3, 1, 0], [1, 1, 0]]), [-1, 1]).round(2).tolist()
    [-0.2, 0.33, nan]
    """
    F = _dense(X_reference)
    scores = np.asarray(scores, dtype=float)
    if F.shape[0] != len(scores) or len(scores) < 2:
        raise CorpuslabError(f"Wordscores: got {F.shape[0]} reference texts and {len(scores)} scores; allowed: "
                             "one score per reference text and at least two reference texts")
    if np.unique(scores).size < 2:
        raise CorpuslabError("Wordscores: every reference text has the same score; give reference texts "
                             "at least two different scores")
    totals = F.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        raise CorpuslabError("Wordscores: a reference text has no words; choose reference texts with words")
    F = F / totals
    word_total = F.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(word_total > 0, (F * scores[:, None]).sum(axis=0) / word_total, np.nan)


def score_texts(X, scores_of_words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each text's raw score (the mean word score of its scored words), LBG's standard error
    sqrt(Σ_w F_wv (S_w − S_v)² / N_v) and N_v, its number of scored words (NaN scores for a text without any).

    >>> raw, se, n = score_texts(np.array([[1, 1, 4]]), np.array([-1.0, 1.0, np.nan]))
    >>> raw.tolist(), se.round(3).tolist(), n.tolist()
    ([0.0], [0.707], [2.0])
    """
    scored = ~np.isnan(scores_of_words)
    counts = _dense(sparse.csr_matrix(X)[:, np.flatnonzero(scored)] if sparse.issparse(X) else _dense(X)[:, scored])
    s = scores_of_words[scored]
    n = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        F = counts / n[:, None]
        raw = F @ s
        se = np.sqrt((F * (s[None, :] - raw[:, None]) ** 2).sum(axis=1)) / np.sqrt(n)
    return raw, se, n


def wordscores(X_reference, reference_scores: Sequence[float], X, units: Sequence, terms: Sequence, *,
               reference_labels: Sequence = (), level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wordscores of the texts ``X`` (rows named by ``units``) from the reference texts ``X_reference`` (rows,
    with ``reference_scores``; named ``reference_labels``): (words, texts).

    ``words``: term, score (NaN-free: only words of a reference text), count_reference. ``texts``: unit,
    reference_score (the score given when the unit is a reference text), n_scored, raw, se, ci_low/ci_high
    (normal interval at ``level``), rescaled_mv and se_mv (Martin & Vanberg 2008: the lowest- and
    highest-scored reference texts, scored as texts, land on their own scores), rescaled_lbg and se_lbg
    (LBG 2003: the texts' raw scores spread to the reference scores' standard deviation around their mean).
    As quanteda.textmodels' ``predict(..., rescaling = "mv" | "lbg")``; LBG's rescaling depends on which
    texts are scored together (one text alone cannot be rescaled: NaN).
    """
    S = word_scores(X_reference, reference_scores)
    A = np.asarray(reference_scores, dtype=float)
    scored = ~np.isnan(S)
    counts = np.asarray(sparse.csr_matrix(X_reference).sum(axis=0)).ravel() if sparse.issparse(X_reference) \
        else _dense(X_reference).sum(axis=0)
    words = pd.DataFrame({"term": np.asarray(terms, dtype=object)[scored], "score": S[scored],
                          "count_reference": counts[scored].astype(np.int64)})
    words = words.sort_values(["score", "term"], kind="stable").reset_index(drop=True)
    raw, se, n = score_texts(X, S)
    z = ndtri(0.5 + level / 2)
    ref_raw, _, _ = score_texts(X_reference, S)
    low, high = int(np.argmin(A)), int(np.argmax(A))
    with np.errstate(invalid="ignore", divide="ignore"):
        mv_mult = (A[high] - A[low]) / (ref_raw[high] - ref_raw[low])
        valid = raw[~np.isnan(raw)]
        lbg_mult = np.std(A, ddof=1) / np.std(valid, ddof=1) if valid.size > 1 else np.nan
        lbg_mean = valid.mean() if valid.size else np.nan
    given = dict(zip(map(str, reference_labels), A)) if len(reference_labels) else {}
    texts = pd.DataFrame({
        "unit": list(units), "reference_score": [given.get(str(u), np.nan) for u in units],
        "n_scored": n.astype(np.int64),
        "raw": raw, "se": se, "ci_low": raw - z * se, "ci_high": raw + z * se,
        "rescaled_mv": (raw - ref_raw[low]) * mv_mult + A[low], "se_mv": se * abs(mv_mult),
        "rescaled_lbg": (raw - lbg_mean) * lbg_mult + lbg_mean, "se_lbg": se * lbg_mult,
    })
    return words, texts


# --------------------------------------------------------------------------------------------------- Wordfish

@dataclass(frozen=True)
class WordfishFit:
    """A fitted Wordfish model: positions ``theta`` (mean 0, sd 1) with Hessian standard errors ``se_theta``,
    text effects ``alpha``, word weights ``beta`` and word effects ``psi``; ``n_iter`` outer iterations,
    ``converged`` whether the log posterior stopped rising by more than the tolerance, ``log_posterior``."""

    theta: np.ndarray
    se_theta: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    psi: np.ndarray
    n_iter: int
    converged: bool
    log_posterior: float


def _newton_pairs(a, b, grad_a, grad_b, h_aa, h_ab, h_bb, step):
    """One Newton step on many independent 2-parameter problems (a, b), gradient and Hessian given per problem."""
    det = h_aa * h_bb - h_ab * h_ab
    return a - step * (h_bb * grad_a - h_ab * grad_b) / det, b - step * (h_aa * grad_b - h_ab * grad_a) / det


def fit_wordfish(X, *, direction: tuple[int, int] = (0, 1), prior_sd_beta: float = 3.0,
                 prior_sd_theta: float = 1.0, tol: float = 1e-6, inner_tol: float = 1e-8,
                 max_iter: int = 100, max_inner: int = 10) -> WordfishFit:
    """Fit log λ_ij = α_i + ψ_j + β_j θ_i to the counts ``X`` (texts × words) by alternating conditional
    maximisation, as quanteda.textmodels' ``textmodel_wordfish`` (Poisson, its default priors):

    - start: θ from the first left singular vector of the χ² residuals of ``X`` (scaled by the row masses),
      β = 0, α = log row total − log mean row total, ψ = log(column total / number of texts);
    - each outer iteration: Newton steps for every word's (ψ_j, β_j) given α, θ, then for every text's
      (α_i, θ_i) given ψ, β (at most ``max_inner`` steps, until no parameter moves more than ``inner_tol``;
      half steps in the first iteration), then θ standardised to mean 0 and sd 1 and α centred on 0
      (ψ and β absorb the shifts, so the likelihood is unchanged: quanteda recentres α and θ alone);
    - normal priors of sd ``prior_sd_beta`` on β and ``prior_sd_theta`` on θ (quanteda's 3 and 1), none on
      α and ψ; it stops when the log posterior rises by less than ``tol`` or after ``max_iter`` iterations;
    - the sign: θ[direction[0]] < θ[direction[1]] (quanteda's ``dir``, 0-based here);
    - standard errors of θ_i from the 2×2 Hessian of (α_i, θ_i) with the word parameters held fixed
      (quanteda's ``se.theta``: they ignore the uncertainty of ψ and β, so they run small).

    Raises :class:`CorpuslabError` for fewer than 3 texts, fewer than 2 words, or a text or word without counts.
    """
    Y = _dense(X)
    n, k = Y.shape
    if n < 3 or k < 2:
        raise CorpuslabError(f"Wordfish: got {n} texts and {k} words; allowed: at least 3 texts and 2 words "
                             "(use more documents or groups, or lower scaling.min_docfreq)")
    rows, cols = Y.sum(axis=1), Y.sum(axis=0)
    if (rows == 0).any() or (cols == 0).any():
        raise CorpuslabError("Wordfish: a text or a word has no counts; drop empty texts and unused words first")
    left, right = direction
    if not (0 <= left < n and 0 <= right < n and left != right):
        raise CorpuslabError(f"Wordfish: direction {direction} must name two different texts of the {n}")
    prec_beta, prec_theta = 1 / prior_sd_beta ** 2, 1 / prior_sd_theta ** 2
    total = rows.sum()
    expected = np.outer(rows, cols) / total
    U, _, _ = np.linalg.svd((Y - expected) / np.sqrt(expected), full_matrices=False)
    theta = U[:, 0] / np.sqrt(rows / total)
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    alpha = np.log(rows) - np.log(rows.mean())
    psi, beta = np.log(cols / n), np.zeros(k)

    def log_posterior():
        eta = alpha[:, None] + psi[None, :] + np.outer(theta, beta)
        return float((Y * eta - np.exp(eta)).sum() - 0.5 * prec_beta * beta @ beta - 0.5 * prec_theta * theta @ theta)

    lp, converged, iteration = log_posterior(), False, 0
    while iteration < max_iter:
        iteration += 1
        step = 0.5 if iteration == 1 else 1.0
        for inner in range(max_inner):  # words: (psi_j, beta_j) given alpha, theta
            lam = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
            resid = Y - lam
            new_psi, new_beta = _newton_pairs(
                psi, beta, resid.sum(axis=0), theta @ resid - prec_beta * beta,
                -lam.sum(axis=0), -(theta @ lam), -((theta ** 2) @ lam) - prec_beta, step if inner == 0 else 1.0)
            moved = max(np.abs(new_psi - psi).max(), np.abs(new_beta - beta).max())
            psi, beta = new_psi, new_beta
            if moved <= inner_tol:
                break
        for inner in range(max_inner):  # texts: (alpha_i, theta_i) given psi, beta
            lam = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
            resid = Y - lam
            new_alpha, new_theta = _newton_pairs(
                alpha, theta, resid.sum(axis=1), resid @ beta - prec_theta * theta,
                -lam.sum(axis=1), -(lam @ beta), -(lam @ beta ** 2) - prec_theta, step if inner == 0 else 1.0)
            moved = max(np.abs(new_alpha - alpha).max(), np.abs(new_theta - theta).max())
            alpha, theta = new_alpha, new_theta
            if moved <= inner_tol:
                break
        mean, sd = theta.mean(), theta.std(ddof=1)
        psi, beta, theta = psi + beta * mean, beta * sd, (theta - mean) / sd
        psi, alpha = psi + alpha.mean(), alpha - alpha.mean()
        last, lp = lp, log_posterior()
        if not np.isfinite(lp):
            raise CorpuslabError("Wordfish did not converge (the likelihood overflowed); use fewer, more frequent "
                                 "words (raise scaling.min_docfreq) or group the documents")
        if lp - last < tol:
            converged = True
            break
    if theta[left] > theta[right]:
        theta, beta = -theta, -beta
    lam = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
    h_aa, h_at, h_tt = -lam.sum(axis=1), -(lam @ beta), -(lam @ beta ** 2) - prec_theta
    se = np.sqrt(-h_aa / (h_aa * h_tt - h_at ** 2))
    return WordfishFit(theta, se, alpha, beta, psi, iteration, converged, lp)


def wordfish(X, units: Sequence, terms: Sequence, *, direction: Sequence = (), level: float = 0.95,
             **options) -> tuple[pd.DataFrame, pd.DataFrame, WordfishFit]:
    """Wordfish positions of the texts ``X`` (rows named by ``units``) on the words ``terms``: (positions, words, fit).

    ``direction``: two names of ``units`` (left, right) such that θ_left < θ_right; empty: the first two units
    (quanteda's default ``dir = c(1, 2)``). Texts without counts and words no text uses are left out first.
    ``positions``: unit, theta, se, ci_low, ci_high (normal, at ``level``), alpha, n_tokens, sorted by theta;
    ``words``: term, beta, psi, count, sorted by beta. ``options`` go to :func:`fit_wordfish`.
    """
    X = sparse.csr_matrix(X)
    units = [str(u) for u in units]
    keep_rows = np.flatnonzero(np.asarray(X.sum(axis=1)).ravel() > 0)
    X = X[keep_rows]
    keep_cols = np.flatnonzero(np.asarray(X.sum(axis=0)).ravel() > 0)
    X = X[:, keep_cols]
    kept = [units[i] for i in keep_rows]
    fit = fit_wordfish(X, direction=direction_indices(kept, direction), **options)
    z = ndtri(0.5 + level / 2)
    positions = pd.DataFrame({"unit": kept, "theta": fit.theta, "se": fit.se_theta,
                              "ci_low": fit.theta - z * fit.se_theta, "ci_high": fit.theta + z * fit.se_theta,
                              "alpha": fit.alpha, "n_tokens": np.asarray(X.sum(axis=1)).ravel().astype(np.int64)})
    words = pd.DataFrame({"term": np.asarray(terms, dtype=object)[keep_cols], "beta": fit.beta, "psi": fit.psi,
                          "count": np.asarray(X.sum(axis=0)).ravel().astype(np.int64)})
    return (positions.sort_values(["theta", "unit"], kind="stable").reset_index(drop=True),
            words.sort_values(["beta", "term"], kind="stable").reset_index(drop=True), fit)


def direction_indices(units: Sequence[str], direction: Sequence) -> tuple[int, int]:
    """The positions in ``units`` of the two names in ``direction`` (left, right); (0, 1) when it is empty.

    >>> direction_indices(["a", "b", "c"], ["c", "a"])
    (2, 0)
    """
    if not len(direction):
        return 0, 1
    names = [str(d) for d in direction]
    missing = [d for d in names if d not in units]
    if len(names) != 2 or missing or names[0] == names[1]:
        shown = ", ".join(units[:8]) + (" ..." if len(units) > 8 else "")
        raise CorpuslabError(f"scaling.direction: got {names}; allowed: two different names of the scaled texts "
                             f"(left, right), such as {shown}")
    return units.index(names[0]), units.index(names[1])


def reference_scores(items: Sequence[str]) -> dict[str, float]:
    """``value=score`` items (the ``scaling.reference_scores`` param) as a mapping; the last ``=`` splits.

    >>> reference_scores(["R1=-1.5", "a=b=2"])
    {'R1': -1.5, 'a=b': 2.0}
    """
    parsed = {}
    for item in items:
        value, sep, score = str(item).rpartition("=")
        try:
            parsed[value.strip()] = float(score)
        except ValueError:
            sep = ""
        if not sep or not value.strip():
            raise CorpuslabError(f"scaling.reference_scores: got {item!r}; allowed: value=score items such as R1=-1.5")
    return parsed


def notable_words(words: pd.DataFrame, *, n: int = 8) -> pd.Series:
    """Which words of a Wordfish ``words`` table to name in a figure: the ``n`` with the lowest and the ``n`` with
    the highest beta among the more frequent half (psi at least its median), where rare words' extreme weights
    do not crowd them out.

    >>> table = pd.DataFrame({"term": list("abcd"), "beta": [-2, -1, 1, 3], "psi": [1, 0, 1, 2]})
    >>> notable_words(table, n=1).tolist()
    [True, False, False, True]
    """
    frequent = words[words["psi"] >= words["psi"].median()].sort_values("beta", kind="stable")
    chosen = set(frequent.index[:n]) | set(frequent.index[-n:])
    return pd.Series(words.index.isin(list(chosen)), index=words.index, name="notable")


def word_ends(words: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """The ``n`` words that pull hardest toward each end of a Wordfish scale among the more frequent half (as
    :func:`notable_words`): rank, low (most negative beta first), high (most positive first).

    >>> table = pd.DataFrame({"term": list("abcd"), "beta": [-2, -1, 1, 3], "psi": [1, 0, 1, 2]})
    >>> word_ends(table, n=1).values.tolist()
    [[1, 'a', 'd']]
    """
    frequent = words[words["psi"] >= words["psi"].median()].sort_values("beta", kind="stable")
    low = frequent[frequent["beta"] < 0]["term"].head(n).tolist()
    high = frequent[frequent["beta"] > 0]["term"].iloc[::-1].head(n).tolist()
    size = max(len(low), len(high))
    return pd.DataFrame({"rank": range(1, size + 1), "low": low + [""] * (size - len(low)),
                         "high": high + [""] * (size - len(high))})
