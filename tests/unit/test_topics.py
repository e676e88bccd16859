"""Tests of corpuslab.topics: units, fitting, determinism, coherence, stability, selection of k."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from corpuslab import topics
from corpuslab.errors import CorpuslabError


def _corpus_X():
    rng = np.random.default_rng(0)
    blocks = [rng.poisson(3, size=(10, 6)) for _ in range(3)]
    X = np.zeros((30, 18), dtype=int)
    for i, b in enumerate(blocks):
        X[i * 10:(i + 1) * 10, i * 6:(i + 1) * 6] = b
    X += rng.poisson(0.2, size=X.shape)
    return sparse.csr_matrix(X), np.array([f"t{i:02d}" for i in range(18)])


def test_coherence_matches_hand_computation():
    # units: {a,b}, {a}, {b,c}, {a,b,c}
    X = sparse.csr_matrix(np.array([[1, 1, 0], [2, 0, 0], [0, 1, 1], [1, 1, 3]]))
    D, n = topics.cooccurrence(X, [0, 1, 2])
    got = topics.coherence(np.array([[0, 1, 2]]), D, n, {0: 0, 1: 1, 2: 2}).iloc[0]

    def npmi(p_ab, p_a, p_b):
        return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)

    expected_npmi = (npmi(2 / 4, 3 / 4, 3 / 4) + npmi(1 / 4, 3 / 4, 2 / 4) + npmi(2 / 4, 3 / 4, 2 / 4)) / 3
    expected_umass = (math.log(3 / 3) + math.log(2 / 3) + math.log(3 / 3)) / 3
    assert got["npmi"] == pytest.approx(expected_npmi)
    assert got["umass"] == pytest.approx(expected_umass)


def test_npmi_of_never_cooccurring_pair_is_minus_one():
    X = sparse.csr_matrix(np.array([[1, 0], [0, 1]]))
    D, n = topics.cooccurrence(X, [0, 1])
    assert topics.coherence(np.array([[0, 1]]), D, n, {0: 0, 1: 1}).loc[0, "npmi"] == -1.0


@pytest.mark.parametrize("engine", ["nmf", "lda"])
def test_same_params_and_seed_give_identical_tables(engine):
    X, terms = _corpus_X()
    units = pd.DataFrame({"doc_id": [f"d{i // 10}" for i in range(30)], "unit_id": list(range(30))})
    csvs = []
    for _ in range(2):
        dt, tt = topics.fit(X, k=3, engine=engine, seed=7)
        csvs.append(topics.topic_terms(tt, terms).to_csv(index=False) + topics.doc_topics(dt, units).to_csv(index=False))
    assert csvs[0] == csvs[1]


def test_fit_recovers_planted_blocks():
    X, terms = _corpus_X()
    _, tt = topics.fit(X, k=3, engine="nmf", seed=0)
    blocks = sorted(int(topics.top_indices(tt, top_n=3)[t, 0]) // 6 for t in range(3))
    assert blocks == [0, 1, 2]


def test_match_topics_finds_permutation():
    a = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1]])
    order, cos = topics.match_topics(a, a[[2, 0, 1]])
    assert order.tolist() == [1, 2, 0]
    assert np.allclose(cos, 1.0)


def test_select_k_table_and_recommendation():
    X, _ = _corpus_X()
    table = topics.select_k(X, ks=[2, 3, 4], engine="nmf", seeds=(0, 1), top_n=5)
    assert {"k", "npmi", "umass", "exclusivity", "stability", "perplexity"} <= set(table.columns)
    assert table["npmi"].between(-1, 1).all()
    # a fourth topic must split a planted block: less coherent and less exclusive
    assert table.loc[table["k"] == 4, "npmi"].item() < table.loc[table["k"] == 3, "npmi"].item()
    assert table.loc[table["k"] == 4, "exclusivity"].item() < table.loc[table["k"] == 3, "exclusivity"].item()
    assert topics.recommend_k(table).startswith("k = ")


def test_stability_compares_the_all_units_fit_with_fits_on_random_halves():
    X, _ = _corpus_X()
    table = topics.select_k(X, ks=[3], engine="nmf", seeds=(0, 5, 6), top_n=5)
    _, full = topics.fit(X, k=3, seed=0)
    by_hand = np.mean([topics.match_topics(full, topics.fit(X[topics.subsample(30, 3, seed=s)], k=3, seed=s)[1])[1].mean()
                       for s in (5, 6)])
    assert table.loc[0, "stability"] == pytest.approx(by_hand, rel=1e-5)
    assert table.loc[0, "stability"] > 0.9  # three planted blocks come back from any half
    # NPMI and exclusivity describe the all-units fit alone
    assert table.loc[0, "exclusivity"] == pytest.approx(topics.exclusivity(full, top_n=5).mean(), rel=1e-5)


def test_stability_falls_when_topics_hang_on_a_few_units():
    rng = np.random.default_rng(1)
    X = rng.poisson(1.0, size=(40, 30))  # no structure ...
    X[:2, :5] += 30  # ... but for two units: a topic that a half without them cannot find
    X = sparse.csr_matrix(X)
    table = topics.select_k(X, ks=[2, 6], engine="nmf", seeds=(0, 1, 2), top_n=5)
    assert table["stability"].max() < 0.9
    blocks = topics.select_k(_corpus_X()[0], ks=[2], engine="nmf", seeds=(0, 1, 2), top_n=5)
    assert blocks.loc[0, "stability"] > table["stability"].max()


@given(n_units=st.integers(1, 500), k=st.integers(1, 50), seed=st.integers(0, 2**31))
def test_subsample_is_a_seeded_half_with_room_for_k_topics(n_units, k, seed):
    k = min(k, n_units)
    picked = topics.subsample(n_units, k, seed)
    assert len(picked) == max(n_units // 2, k)
    assert np.all(np.diff(picked) > 0) and picked[0] >= 0 and picked[-1] < n_units
    assert np.array_equal(picked, topics.subsample(n_units, k, seed))


def test_recommendation_without_stability_ranks_the_other_measures():
    t = pd.DataFrame({"k": [2, 3], "npmi": [0.1, 0.2], "exclusivity": [0.5, 0.6], "stability": [np.nan, np.nan]})
    text = topics.recommend_k(t)
    assert text.startswith("k = 3") and "not measured" in text


def test_select_k_in_parallel_equals_in_process(monkeypatch):
    X, _ = _corpus_X()
    alone = topics.select_k(X, ks=[2, 3], engine="nmf", seeds=(0, 1), top_n=5)
    monkeypatch.setattr(topics, "PARALLEL_MIN_NNZ", 0)
    side_by_side = topics.select_k(X, ks=[2, 3], engine="nmf", seeds=(0, 1), top_n=5,
                                   parallel={"engine": "local", "n_jobs": 2, "scheduler": ""})
    pd.testing.assert_frame_equal(alone, side_by_side)
    monkeypatch.setattr(topics, "_SELECTION_FITS", {})
    fresh = topics.fit(X, k=3, engine="nmf", seed=1)
    topics.select_k(X, ks=[3], engine="nmf", seeds=(1,), top_n=5)
    again = topics.fit(X, k=3, engine="nmf", seed=1)  # from the selection, not refitted
    assert all(np.allclose(a, b) for a, b in zip(fresh, again))
    assert len(topics._SELECTION_FITS) == 1


def test_lda_selection_reports_perplexity():
    X, _ = _corpus_X()
    table = topics.select_k(X, ks=[3], engine="lda", seeds=(0,), top_n=5)
    assert table.loc[0, "perplexity"] > 0


def test_guardrails_name_param_and_fix():
    X, _ = _corpus_X()
    with pytest.raises(CorpuslabError, match="topics.k"):
        topics.fit(X, k=31)
    with pytest.raises(CorpuslabError, match="vocabulary is empty"):
        topics.fit(sparse.csr_matrix((3, 0)), k=2)
    with pytest.raises(CorpuslabError, match="topics.engine"):
        topics.fit(X, k=2, engine="nope")


def test_short_units_are_listed_not_lost():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0], "text": ["x y z", "x", "p q r s"]})
    kept, short = topics.split_short(units, [3, 1, 4], min_tokens=2)
    assert len(kept) + len(short) == len(units)
    assert short[["doc_id", "unit_id", "n_tokens"]].values.tolist() == [["a", 1, 1]]


def test_window_units_have_stable_ids():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["w " * 5, "v " * 3], "outlet": ["X", "Y"]})
    units = topics.window_units(docs, size=2)
    assert units[["doc_id", "unit_id"]].values.tolist() == [["a", 0], ["a", 1], ["a", 2], ["b", 0], ["b", 1]]
    assert units["outlet"].tolist() == ["X", "X", "X", "Y", "Y"]


def test_frex_prefers_exclusive_frequent_terms():
    tt = np.array([[0.4, 0.4, 0.2], [0.05, 0.45, 0.5]])
    labels = topics.topic_labels(tt, np.array(["a", "b", "c"]), np.array([0.3, 0.4, 0.3]), top_n=1)
    assert labels["prob"].tolist() == ["a", "c"]
    assert labels.loc[0, "frex"] == "a"  # as frequent as b in topic 1, and far more exclusive


def test_relevance_lambda_one_is_probability_order():
    tt = np.array([[0.5, 0.3, 0.2]])
    r = topics.relevance(tt, np.array([0.6, 0.1, 0.3]), lam=1.0)
    assert np.argsort(-r[0]).tolist() == [0, 1, 2]


def test_prevalence_ci_is_seeded_and_brackets_mean():
    rng = np.random.default_rng(1)
    dt = rng.dirichlet([1, 1, 1], size=40)
    groups = pd.Series(["x"] * 20 + ["y"] * 20)
    a = topics.prevalence_ci(dt, groups, n_boot=200, seed=3)
    b = topics.prevalence_ci(dt, groups, n_boot=200, seed=3)
    assert a.equals(b)
    assert ((a["ci_low"] <= a["weight"]) & (a["weight"] <= a["ci_high"])).all()


def test_period_honours_year_precision():
    units = pd.DataFrame({"date": ["2020", "2020-03"], "date_precision": ["year", "month"]})
    assert topics.period(units, by="month").tolist() == ["2020", "2020-03"]
    assert topics.period(units, by="year").tolist() == ["2020", "2020"]


def test_drop_short_gives_the_matrix_counted_on_the_kept_units_alone():
    from corpuslab import tokens

    units = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "unit_id": [0, 1, 0, 1],
                          "text": ["China and Russia trade oil", "Hello there", "Sanctions bite hard now", "Oil"]})
    X_all, terms_all = tokens.dtm(units["text"])
    kept, short, X, terms = topics.drop_short(units, X_all, terms_all, min_tokens=3)
    X_new, terms_new = tokens.dtm(kept["text"])
    assert list(terms) == list(terms_new) and (X != X_new).nnz == 0
    assert short["text"].tolist() == ["Hello there", "Oil"] and short["n_tokens"].tolist() == [2, 1]


def test_prevalence_bootstrap_in_blocks_draws_the_same_resamples(monkeypatch):
    from corpuslab import stats

    weights = np.random.default_rng(1).dirichlet(np.ones(3), size=200)
    groups = pd.Series(["a"] * 120 + ["b"] * 80)
    whole = topics.prevalence_ci(weights, groups, n_boot=60, seed=3)
    monkeypatch.setattr(stats, "BOOT_CELLS", 1_000)  # one or two resamples at a time
    pd.testing.assert_frame_equal(topics.prevalence_ci(weights, groups, n_boot=60, seed=3), whole, check_exact=True)


def test_prevalence_groups_units_without_a_group_as_unknown():
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.2, 0.8]])
    table = topics.prevalence_ci(weights, pd.Series(["FT", None, "", "FT"]), n_boot=50)
    assert sorted(table["group"].unique()) == ["FT", "unknown"]
    assert table.loc[table["group"] == "unknown", "n_units"].tolist() == [2, 2]
