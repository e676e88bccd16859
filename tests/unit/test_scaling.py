"""Text scaling against published values: Wordscores on Laver, Benoit & Garry's (2003) Table 1 as
quanteda.textmodels reports it; Wordfish on counts simulated from its own model (recovery, sign, coverage)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from corpuslab import scaling
from corpuslab.errors import CorpuslabError

LBG = Path(__file__).parents[1] / "fixtures" / "lbg2003" / "table1.csv"
REFERENCE_SCORES = [-1.5, -0.75, 0.0, 0.75, 1.5]


@pytest.fixture(scope="module")
def lbg():
    table = pd.read_csv(LBG, index_col="word")
    X = table.T.to_numpy()  # texts x words
    words, texts = scaling.wordscores(X[:5], REFERENCE_SCORES, X, list(table.columns), list(table.index),
                                      reference_labels=list(table.columns[:5]))
    return words.set_index("term"), texts.set_index("unit")


def test_lbg_fixture_is_table_1():
    table = pd.read_csv(LBG, index_col="word")
    assert table.shape == (37, 6) and (table.sum() == 1000).all()
    assert table.index[[0, 25, 26, 36]].tolist() == ["A", "Z", "ZA", "ZK"]


def test_wordscores_v1_matches_lbg_and_quanteda_to_two_decimals(lbg):
    """The values quanteda.textmodels' tests assert: -0.45 raw (se ~ 0.01), -0.51 MV, -0.53 LBG."""
    _, texts = lbg
    v1 = texts.loc["V1"]
    assert round(v1["raw"], 2) == -0.45
    assert round(v1["se"], 2) == 0.01
    assert round(v1["rescaled_mv"], 2) == -0.51
    assert round(v1["rescaled_lbg"], 2) == -0.53


def test_wordscores_matches_quanteda_documented_output(lbg):
    """Every value printed in quanteda.textmodels' textmodel_wordscores examples (to the digits printed)."""
    words, texts = lbg
    expected_words = {"A": -1.5, "F": -1.48125, "G": -1.4809322, "H": -1.4519231, "J": -1.3232984,
                      "M": -0.8805970, "P": -0.4507576, "R": -0.1305970, "S": 0.0, "ZD": 1.4519231, "ZK": 1.5}
    for term, value in expected_words.items():
        assert words.loc[term, "score"] == pytest.approx(value, abs=1e-7)
    assert len(words) == 37
    assert texts["raw"].to_numpy() == pytest.approx([-1.317931, -0.7395598, 0, 0.7395598, 1.317931, -0.4480591],
                                                    abs=1e-6)
    assert texts["rescaled_lbg"].to_numpy() == pytest.approx(
        [-1.58967683, -0.88488724, 0.01632248, 0.91753220, 1.62232179, -0.52967149], abs=1e-7)
    assert texts["rescaled_mv"].to_numpy() == pytest.approx([-1.5, -0.841728, 0, 0.841728, 1.5, -0.5099572], abs=1e-6)
    assert texts["se_mv"].to_numpy() == pytest.approx(
        [0.007625147, 0.013013126, 0.013663743, 0.013013126, 0.007625147, 0.013541297], abs=1e-8)
    assert texts.loc["V1", "ci_low"] == pytest.approx(texts.loc["V1", "raw"] - 1.959964 * texts.loc["V1", "se"])
    assert texts["reference_score"].tolist()[:5] == REFERENCE_SCORES and np.isnan(texts.loc["V1", "reference_score"])


def test_word_scores_by_hand_and_unscored_words():
    # F = [[3/4, 1/4, 0], [1/2, 1/2, 0]]: S_1 = (-3/4 + 1/2) / (5/4) = -0.2, S_2 = (-1/4 + 1/2) / (3/4) = 1/3
    S = scaling.word_scores(sparse.csr_matrix([[3, 1, 0], [1, 1, 0]]), [-1, 1])
    assert S[:2] == pytest.approx([-0.2, 1 / 3]) and np.isnan(S[2])
    raw, se, n = scaling.score_texts(np.array([[0, 0, 5], [2, 0, 9]]), S)  # only scored words count
    assert np.isnan(raw[0]) and n.tolist() == [0, 2] and raw[1] == pytest.approx(-0.2) and se[1] == 0


@pytest.mark.parametrize("scores", [[1.0], [1.0, 1.0]])
def test_wordscores_refuses_too_few_or_equal_references(scores):
    with pytest.raises(CorpuslabError, match="Wordscores"):
        scaling.word_scores(np.ones((len(scores), 3)), scores)


def test_group_counts_sum_rows_and_select_terms():
    Xg, names = scaling.group_counts(sparse.csr_matrix([[1, 0, 2], [0, 4, 1], [5, 0, 0]]), ["x", "y", "x"])
    assert names == ["x", "y"] and Xg.toarray().tolist() == [[6, 0, 2], [0, 4, 1]]
    X = sparse.csr_matrix([[1, 9, 0, 1], [1, 0, 0, 1], [1, 0, 3, 0], [1, 0, 0, 0]])
    assert scaling.select_terms(X, min_docfreq=0.5).tolist() == [0, 3]  # column 1: one document only
    assert scaling.select_terms(X, min_docfreq=0.0).tolist() == [0, 3]  # and never fewer than two
    assert scaling.select_terms(X, min_docfreq=0.5, max_terms=1).tolist() == [0]


def simulate(rng, n_texts=50, n_words=500):
    """Counts from Wordfish's own model: θ standard normal (standardised), α ~ N(0, 0.3), ψ ~ N(0, 1), β ~ N(0, 0.5)."""
    theta = rng.normal(size=n_texts)
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    alpha, psi, beta = rng.normal(0, 0.3, n_texts), rng.normal(0, 1, n_words), rng.normal(0, 0.5, n_words)
    lam = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
    return theta, lam


def test_wordfish_recovers_positions_and_follows_direction():
    rng = np.random.default_rng(2008)
    theta, lam = simulate(rng)
    Y = rng.poisson(lam)
    units = [f"d{i}" for i in range(len(theta))]
    left, right = units[int(np.argmax(theta))], units[int(np.argmin(theta))]  # the axis reversed on purpose
    positions, words, fit = scaling.wordfish(sparse.csr_matrix(Y), units, [f"w{j}" for j in range(Y.shape[1])],
                                             direction=[left, right])
    estimated = positions.set_index("unit").loc[units, "theta"].to_numpy()
    assert np.corrcoef(estimated, -theta)[0, 1] > 0.99  # 200 data sets: 0.998, lowest 0.996
    assert positions.set_index("unit").loc[left, "theta"] < positions.set_index("unit").loc[right, "theta"]
    assert estimated.mean() == pytest.approx(0, abs=1e-9) and estimated.std(ddof=1) == pytest.approx(1)
    assert fit.alpha.mean() == pytest.approx(0, abs=1e-9)
    assert positions["theta"].is_monotonic_increasing and (positions["se"] > 0).all()
    assert (positions["ci_low"] < positions["theta"]).all() and set(words.columns) >= {"term", "beta", "psi"}


def test_wordfish_standard_errors_match_the_spread_over_simulations():
    """Hessian standard errors against the spread of θ over 20 data sets from the same model (measured with 200 in
    bench/scaling.py: mean se / sd of estimates 0.97, 95 % intervals cover the true θ 93.6 % of the time)."""
    rng = np.random.default_rng(7)
    theta, lam = simulate(rng, n_texts=30, n_words=300)
    estimates, ses = [], []
    for _ in range(20):
        Y = rng.poisson(lam)
        Y = Y[:, Y.sum(axis=0) > 0]
        fit = scaling.fit_wordfish(Y, direction=(int(np.argmin(theta)), int(np.argmax(theta))))
        estimates.append(fit.theta)
        ses.append(fit.se_theta)
    ratio = np.mean(ses) / np.mean(np.std(estimates, axis=0, ddof=1))
    covered = np.mean(np.abs(np.array(estimates) - theta) < 1.96 * np.array(ses))
    assert 0.8 < ratio < 1.25 and covered > 0.85


def test_wordfish_keeps_out_empty_texts_and_words_and_refuses_too_few():
    Y = sparse.csr_matrix(np.array([[3, 0, 1, 0], [0, 0, 0, 0], [1, 0, 4, 2], [2, 0, 2, 5]]))
    positions, words, _ = scaling.wordfish(Y, ["a", "b", "c", "d"], ["w", "x", "y", "z"])
    assert sorted(positions["unit"]) == ["a", "c", "d"] and "x" not in set(words["term"])
    with pytest.raises(CorpuslabError, match="at least 3 texts"):
        scaling.fit_wordfish(np.ones((2, 5)))
    with pytest.raises(CorpuslabError, match="scaling.direction"):
        scaling.wordfish(Y, ["a", "b", "c", "d"], list("wxyz"), direction=["a", "nobody"])
