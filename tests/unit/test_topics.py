"""Tests of corpuslab.topics: the topic model object, determinism, and the units it is fitted on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from corpuslab import topic_labels, topic_prevalence, topic_selection, topics
from corpuslab.errors import CorpuslabError


def planted_blocks():
    """30 units x 18 terms: three blocks of 10 units that use their own 6 terms, plus a little noise."""
    rng = np.random.default_rng(0)
    blocks = [rng.poisson(3, size=(10, 6)) for _ in range(3)]
    X = np.zeros((30, 18), dtype=int)
    for i, b in enumerate(blocks):
        X[i * 10:(i + 1) * 10, i * 6:(i + 1) * 6] = b
    X += rng.poisson(0.2, size=X.shape)
    return sparse.csr_matrix(X), np.array([f"t{i:02d}" for i in range(18)])


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_params_and_seed_give_identical_tables(method):
    X, terms = planted_blocks()
    units = pd.DataFrame({"doc_id": [f"d{i // 10}" for i in range(30)], "unit_id": list(range(30))})
    csvs = []
    for _ in range(2):
        model = topics.TopicModel(3, method=method, seed=7).fit(X)
        csvs.append(topic_labels.topic_terms(model.topic_term_, terms).to_csv(index=False)
                    + topic_prevalence.doc_topics(model.unit_topic_, units).to_csv(index=False))
    assert csvs[0] == csvs[1]


def test_fit_recovers_planted_blocks():
    X, _ = planted_blocks()
    model = topics.TopicModel(3, method="nmf", seed=0).fit(X)
    blocks = sorted(int(topic_selection.top_indices(model.topic_term_, top_n=3)[t, 0]) // 6 for t in range(3))
    assert blocks == [0, 1, 2]


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_fitted_weights_are_distributions_and_transform_places_new_units(method):
    X, _ = planted_blocks()
    model = topics.TopicModel(3, method=method, seed=0).fit(X)
    assert model.fit(X) is model
    assert model.unit_topic_.shape == (30, 3) and model.topic_term_.shape == (3, 18)
    assert np.allclose(model.unit_topic_.sum(axis=1), 1) and np.allclose(model.topic_term_.sum(axis=1), 1)
    placed = model.transform(X[[0, 15, 25]])
    assert np.allclose(placed.sum(axis=1), 1)
    assert placed.argmax(axis=1).tolist() == model.unit_topic_[[0, 15, 25]].argmax(axis=1).tolist()


def test_lda_perplexity_and_log_likelihood_come_from_the_fitted_model():
    from sklearn.decomposition import LatentDirichletAllocation

    X, _ = planted_blocks()
    model = topics.TopicModel(3, method="lda", seed=0).fit(X)
    assert model.perplexity(X) == pytest.approx(model.estimator_.perplexity(X))
    assert model.log_likelihood(X) == pytest.approx(model.estimator_.score(X))
    refit = LatentDirichletAllocation(n_components=3, learning_method="batch", random_state=0, max_iter=50).fit(X)
    assert model.perplexity(X) == pytest.approx(refit.perplexity(X), rel=1e-6)  # the same model as a plain fit
    with pytest.raises(ValueError, match="LDA only"):
        topics.TopicModel(3, method="nmf").fit(X).perplexity(X)


def test_info_describes_the_model_as_a_key_value_table():
    info = topics.TopicModel(3, method="lda", seed=5).info()
    assert list(info.columns) == ["key", "value"]
    values = dict(zip(info["key"], info["value"]))
    assert values["method"] == "lda" and values["k"] == "3" and values["seed"] == "5"
    assert values["learning_method"] == "batch" and values["max_iter"] == "50"
    assert dict(zip(*topics.TopicModel(4).info().T.values))["init"] == "nndsvdar"


def test_guardrails_name_param_and_fix():
    X, _ = planted_blocks()
    with pytest.raises(CorpuslabError, match="topics.k"):
        topics.TopicModel(31).fit(X)
    with pytest.raises(CorpuslabError, match="vocabulary is empty"):
        topics.TopicModel(2).fit(sparse.csr_matrix((3, 0)))
    with pytest.raises(CorpuslabError, match="topics.method: got 'nope'"):
        topics.TopicModel(2, method="nope")


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


def test_drop_short_gives_the_matrix_counted_on_the_kept_units_alone():
    from corpuslab import tokens

    units = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "unit_id": [0, 1, 0, 1],
                          "text": ["China and Russia trade oil", "Hello there", "Sanctions bite hard now", "Oil"]})
    X_all, terms_all = tokens.dtm(units["text"])
    kept, short, X, terms = topics.drop_short(units, X_all, terms_all, min_tokens=3)
    X_new, terms_new = tokens.dtm(kept["text"])
    assert list(terms) == list(terms_new) and (X != X_new).nnz == 0
    assert short["text"].tolist() == ["Hello there", "Oil"] and short["n_tokens"].tolist() == [2, 1]


def test_workflow_reuses_the_selection_fit_at_topics_k_and_fits_anew_otherwise():
    from corpuslab import params, workflow

    X, _ = planted_blocks()
    cfg = params.validate({"topics.k": 3, "topics.k_min": 2, "topics.k_max": 3, "topics.n_seeds": 2, "n_jobs": 1})
    selection, fitted = workflow.select_k(X, cfg)
    assert selection["k"].tolist() == [2, 3] and sorted(fitted) == [2, 3]
    assert workflow.topic_model(X, cfg, fitted=fitted) is fitted[3]  # no second fit
    fresh = workflow.topic_model(X, cfg)
    assert np.array_equal(fresh.topic_term_, fitted[3].topic_term_)
    assert np.array_equal(fresh.unit_topic_, fitted[3].unit_topic_)
    other_seed = workflow.topic_model(X, {**cfg, "seed": 1}, fitted=fitted)
    assert other_seed is not fitted[3] and other_seed.seed == 1


def test_workflow_select_k_names_k_min_when_no_k_fits_the_units():
    from corpuslab import params, workflow

    X, _ = planted_blocks()
    cfg = params.validate({"topics.k_min": 40, "topics.k_max": 50})
    with pytest.raises(CorpuslabError, match=r"topics.k_min: got 40; allowed: at most the number of units \(30\)"):
        workflow.select_k(X[:30], cfg)


def test_workflow_select_k_on_more_than_selection_units_measures_a_seeded_sample_and_the_final_fit_uses_all():
    from corpuslab import params, workflow

    X, _ = planted_blocks()
    cfg = params.validate({"topics.k": 3, "topics.k_min": 2, "topics.k_max": 3, "topics.n_seeds": 2, "n_jobs": 1,
                           "topics.selection_units": 20})
    selection, fitted = workflow.select_k(X, cfg)
    rows = topic_selection.sample_units(30, 20, cfg["seed"])
    expected, _ = topic_selection.select_k(X[rows], ks=[2, 3], seeds=(42, 43), top_n=cfg["topics.top_n"])
    pd.testing.assert_frame_equal(selection, expected)
    assert len(rows) == len(set(rows.tolist())) == 20 and fitted[3].unit_topic_.shape[0] == 20
    final = workflow.topic_model(X, cfg, fitted=fitted)  # fitted on the sample: fitted anew on all 30 units
    assert final is not fitted[3]
    assert np.array_equal(final.topic_term_, workflow.topic_model(X, {**cfg, "topics.selection_units": 0}).topic_term_)
    everything, _ = workflow.select_k(X, {**cfg, "topics.selection_units": 30})  # not more units than the cap: all
    pd.testing.assert_frame_equal(everything, workflow.select_k(X, {**cfg, "topics.selection_units": 0})[0])


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_workflow_fits_topics_k_on_all_units_alongside_the_selection_and_equal_to_a_fit_of_its_own(monkeypatch,
                                                                                                  method):
    from corpuslab import params, workflow

    X, _ = planted_blocks()
    cfg = params.validate({"topics.k": 3, "topics.k_min": 2, "topics.k_max": 3, "topics.n_seeds": 2, "n_jobs": 1,
                           "topics.selection_units": 20, "topics.method": method})
    serial, serial_fitted = workflow.select_k(X, cfg)  # one process: nothing alongside
    assert serial_fitted.final is None
    monkeypatch.setattr(topic_selection, "PARALLEL_MIN_NNZ", 0)
    pooled = {**cfg, "n_jobs": 2}
    selection, fitted = workflow.select_k(X, pooled)  # the selection's fits in a pool, topics.k on all units here
    pd.testing.assert_frame_equal(selection, serial)
    for k in (2, 3):  # the sample's models, as before
        assert np.array_equal(fitted[k].topic_term_, serial_fitted[k].topic_term_)
    assert fitted.final is not None and workflow.topic_model(X, pooled, fitted=fitted) is fitted.final
    alone = workflow.topic_model(X, cfg)
    assert np.array_equal(fitted.final.topic_term_, alone.topic_term_)
    assert np.array_equal(fitted.final.unit_topic_, alone.unit_topic_)
    assert workflow.select_k(X, {**pooled, "topics.selection_units": 0})[1].final is None  # the selection's own fit
    other_k = {**pooled, "topics.selection_units": 0, "topics.k": 4}  # a k the selection does not fit: alongside
    _, by_k = workflow.select_k(X, other_k)
    assert sorted(by_k) == [2, 3] and workflow.topic_model(X, other_k, fitted=by_k) is by_k.final
    assert np.array_equal(by_k.final.topic_term_, workflow.topic_model(X, {**cfg, "topics.k": 4}).topic_term_)


def _doc_topics_plain(unit_topic, units):
    """doc_topics as first written: every column repeated, the table inferring its dtypes from the repeats."""
    k = unit_topic.shape[1]
    return pd.DataFrame({"doc_id": np.repeat(units["doc_id"].to_numpy(), k),
                         "unit_id": np.repeat(units["unit_id"].to_numpy(), k),
                         "topic": np.tile(np.arange(1, k + 1), len(units)), "weight": unit_topic.ravel()})


@pytest.mark.parametrize("doc_ids", [["a", "a", "b"], [3, 3, 7], ["a", 3, None], pd.Categorical(["x", "y", "x"]),
                                     pd.Series(["a", "b", "b"], dtype=object), []])
def test_doc_topics_equals_the_plain_table(doc_ids):
    n = len(doc_ids)
    units = pd.DataFrame({"doc_id": doc_ids, "unit_id": np.arange(n) % 2})
    unit_topic = np.random.default_rng(0).dirichlet(np.ones(3), size=n) if n else np.zeros((0, 3))
    fast, plain = topic_prevalence.doc_topics(unit_topic, units), _doc_topics_plain(unit_topic, units)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast.to_csv(index=False) == plain.to_csv(index=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=3), st.integers(0, 5), st.none()), max_size=12), st.integers(1, 4))
def test_doc_topics_equals_the_plain_table_on_any_ids(doc_ids, k):
    units = pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object).infer_objects(), "unit_id": range(len(doc_ids))})
    unit_topic = np.random.default_rng(1).random((len(doc_ids), k))
    pd.testing.assert_frame_equal(topic_prevalence.doc_topics(unit_topic, units), _doc_topics_plain(unit_topic, units))


def test_doc_topics_of_a_un_sample_equals_the_plain_table():
    from corpuslab import params, workflow

    cfg = params.validate({"corpus.path": "data/raw/ungdc-chn-rus-usa/speeches.parquet"})
    units, _, X, _ = workflow.topic_matrix(workflow.documents(cfg).iloc[::4].reset_index(drop=True), cfg)
    unit_topic = topics.TopicModel(3, seed=0).fit(X).unit_topic_
    pd.testing.assert_frame_equal(topic_prevalence.doc_topics(unit_topic, units), _doc_topics_plain(unit_topic, units))
