"""Tests of corpuslab.topic_selection: coherence, exclusivity, stability and the choice of k."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from corpuslab import topic_selection, topics
from corpuslab.engine import Engine

from .test_topics import planted_blocks


def test_coherence_matches_hand_computation():
    # units: {a,b}, {a}, {b,c}, {a,b,c}
    X = sparse.csr_matrix(np.array([[1, 1, 0], [2, 0, 0], [0, 1, 1], [1, 1, 3]]))
    D, n = topic_selection.unit_cooccurrence(X, [0, 1, 2])
    got = topic_selection.coherence(np.array([[0, 1, 2]]), D, n, {0: 0, 1: 1, 2: 2}).iloc[0]

    def npmi(p_ab, p_a, p_b):
        return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)

    expected_npmi = (npmi(2 / 4, 3 / 4, 3 / 4) + npmi(1 / 4, 3 / 4, 2 / 4) + npmi(2 / 4, 3 / 4, 2 / 4)) / 3
    expected_umass = (math.log(3 / 3) + math.log(2 / 3) + math.log(3 / 3)) / 3
    assert got["npmi"] == pytest.approx(expected_npmi)
    assert got["umass"] == pytest.approx(expected_umass)


def test_npmi_of_never_cooccurring_pair_is_minus_one():
    X = sparse.csr_matrix(np.array([[1, 0], [0, 1]]))
    D, n = topic_selection.unit_cooccurrence(X, [0, 1])
    assert topic_selection.coherence(np.array([[0, 1]]), D, n, {0: 0, 1: 1}).loc[0, "npmi"] == -1.0


def test_match_topics_finds_permutation():
    a = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1]])
    order, cos = topic_selection.match_topics(a, a[[2, 0, 1]])
    assert order.tolist() == [1, 2, 0]
    assert np.allclose(cos, 1.0)


def test_select_k_table_and_recommendation():
    X, _ = planted_blocks()
    table, models = topic_selection.select_k(X, ks=[2, 3, 4], method="nmf", seeds=(0, 1), top_n=5)
    assert {"k", "npmi", "umass", "exclusivity", "stability", "perplexity"} <= set(table.columns)
    assert table["npmi"].between(-1, 1).all()
    # a fourth topic must split a planted block: less coherent and less exclusive
    assert table.loc[table["k"] == 4, "npmi"].item() < table.loc[table["k"] == 3, "npmi"].item()
    assert table.loc[table["k"] == 4, "exclusivity"].item() < table.loc[table["k"] == 3, "exclusivity"].item()
    assert topic_selection.recommend_k(table).startswith("k = ")
    assert sorted(models) == [2, 3, 4] and all(m.k == k and m.seed == 0 for k, m in models.items())


def test_select_k_returns_the_all_units_fit_of_each_k():
    X, _ = planted_blocks()
    _, models = topic_selection.select_k(X, ks=[3], method="nmf", seeds=(4, 5), top_n=5)
    alone = topics.TopicModel(3, method="nmf", seed=4).fit(X)
    assert np.array_equal(models[3].topic_term_, alone.topic_term_)
    assert np.array_equal(models[3].unit_topic_, alone.unit_topic_)


def test_stability_compares_the_all_units_fit_with_fits_on_random_halves():
    X, _ = planted_blocks()
    table, _ = topic_selection.select_k(X, ks=[3], method="nmf", seeds=(0, 5, 6), top_n=5)
    full = topics.TopicModel(3, seed=0).fit(X).topic_term_
    halves = [topics.TopicModel(3, seed=s).fit(X[topic_selection.subsample(30, 3, seed=s)]).topic_term_ for s in (5, 6)]
    by_hand = np.mean([topic_selection.match_topics(full, half)[1].mean() for half in halves])
    assert table.loc[0, "stability"] == pytest.approx(by_hand, rel=1e-5)
    assert table.loc[0, "stability"] == pytest.approx(topic_selection.stability(full, halves), rel=1e-5)
    assert table.loc[0, "stability"] > 0.9  # three planted blocks come back from any half
    # NPMI and exclusivity describe the all-units fit alone
    assert table.loc[0, "exclusivity"] == pytest.approx(topic_selection.exclusivity(full, top_n=5).mean(), rel=1e-5)


def test_stability_falls_when_topics_hang_on_a_few_units():
    rng = np.random.default_rng(1)
    X = rng.poisson(1.0, size=(40, 30))  # no structure ...
    X[:2, :5] += 30  # ... but for two units: a topic that a half without them cannot find
    X = sparse.csr_matrix(X)
    table, _ = topic_selection.select_k(X, ks=[2, 6], method="nmf", seeds=(0, 1, 2), top_n=5)
    assert table["stability"].max() < 0.9
    blocks, _ = topic_selection.select_k(planted_blocks()[0], ks=[2], method="nmf", seeds=(0, 1, 2), top_n=5)
    assert blocks.loc[0, "stability"] > table["stability"].max()


@given(n_units=st.integers(1, 500), k=st.integers(1, 50), seed=st.integers(0, 2**31))
def test_subsample_is_a_seeded_half_with_room_for_k_topics(n_units, k, seed):
    k = min(k, n_units)
    picked = topic_selection.subsample(n_units, k, seed)
    assert len(picked) == max(n_units // 2, k)
    assert np.all(np.diff(picked) > 0) and picked[0] >= 0 and picked[-1] < n_units
    assert np.array_equal(picked, topic_selection.subsample(n_units, k, seed))


def test_recommendation_without_stability_ranks_the_other_measures():
    t = pd.DataFrame({"k": [2, 3], "npmi": [0.1, 0.2], "exclusivity": [0.5, 0.6], "stability": [np.nan, np.nan]})
    text = topic_selection.recommend_k(t)
    assert text.startswith("k = 3") and "not measured" in text


def test_select_k_in_parallel_equals_in_process(monkeypatch):
    X, _ = planted_blocks()
    alone, alone_models = topic_selection.select_k(X, ks=[2, 3], method="nmf", seeds=(0, 1), top_n=5)
    monkeypatch.setattr(topic_selection, "PARALLEL_MIN_NNZ", 0)
    side_by_side, pool_models = topic_selection.select_k(X, ks=[2, 3], method="nmf", seeds=(0, 1), top_n=5,
                                                         engine=Engine("local", 2))
    pd.testing.assert_frame_equal(alone, side_by_side)
    assert all(np.allclose(alone_models[k].topic_term_, pool_models[k].topic_term_) for k in (2, 3))


def test_lda_selection_reports_the_perplexity_of_the_all_units_model():
    X, _ = planted_blocks()
    table, models = topic_selection.select_k(X, ks=[3], method="lda", seeds=(0,), top_n=5)
    assert table.loc[0, "perplexity"] > 0
    assert table.loc[0, "perplexity"] == pytest.approx(models[3].perplexity(X), rel=1e-5)
    nmf, _ = topic_selection.select_k(X, ks=[3], method="nmf", seeds=(0,), top_n=5)
    assert np.isnan(nmf.loc[0, "perplexity"])
