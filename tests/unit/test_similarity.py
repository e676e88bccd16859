"""similarity: tf-idf weights as quanteda weighs them; cosine and correlation equal to scikit-learn and scipy on the
same matrix (1e-12), in blocks or not, with the dense/sparse split or without; neighbours as a brute-force sort;
clusters as scipy's linkage on pdist; groups' centroid similarity over time by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import sparse
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist, squareform
from sklearn.metrics.pairwise import cosine_similarity

from corpuslab import params, similarity, workflow
from corpuslab.errors import CorpuslabError

counts = arrays(np.int64, st.tuples(st.integers(3, 12), st.integers(2, 15)), elements=st.integers(0, 6))


def weights(X):
    return similarity.tfidf_weights(sparse.csr_matrix(X))


def test_tfidf_weights_are_count_times_log10_of_n_over_document_frequency():
    X = np.array([[2, 0, 1, 3], [0, 1, 1, 0], [1, 0, 1, 0]])
    expected = X * np.log10(3 / np.array([2, 1, 3, 1]))
    assert np.allclose(weights(X).toarray(), expected, atol=1e-15, rtol=0)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_cosine_equals_scikit_learn(X):
    W = weights(X)
    assert np.allclose(similarity.similarity_matrix(W), cosine_similarity(W), atol=1e-12, rtol=0)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_correlation_equals_one_minus_scipy_correlation_distance(X):
    W = weights(X).toarray()
    varied = W.std(axis=1) > 0  # scipy has no correlation for a constant row (nan); corpuslab says 0
    W = W[varied]
    if len(W) < 2:
        return
    expected = 1 - squareform(pdist(W, "correlation"))
    assert np.allclose(similarity.similarity_matrix(sparse.csr_matrix(W), measure="correlation"), expected,
                       atol=1e-12, rtol=0)


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("measure", similarity.MEASURES)
def test_the_dense_and_sparse_split_does_not_change_values(monkeypatch, share, measure):
    W = weights(sparse.random(30, 60, density=0.2, random_state=3, format="csr") * 5)
    expected = similarity.similarity_matrix(W, measure=measure)
    monkeypatch.setattr(similarity, "DENSE_SHARE", share)
    monkeypatch.setattr(similarity, "DENSE_CELLS", 30 * 7)  # at most seven dense columns
    assert np.allclose(similarity.similarity_matrix(W, measure=measure), expected, atol=1e-13, rtol=0)


def test_a_document_without_weights_is_similar_to_nothing():
    W = sparse.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0]]))
    for measure in similarity.MEASURES:
        values = similarity.similarity_matrix(W, measure=measure)
        assert (values[1] == 0).all() and (values[:, 1] == 0).all() and np.isfinite(values).all()


def test_an_unknown_measure_names_the_param():
    with pytest.raises(CorpuslabError, match="similarity.measure: got 'euclid'"):
        similarity.similarity_matrix(sparse.csr_matrix(np.eye(2)), measure="euclid")


@pytest.mark.parametrize("measure", similarity.MEASURES)
@pytest.mark.parametrize("block_rows", [1, 4, 512])
def test_neighbours_are_the_brute_force_sort_in_any_block_size(measure, block_rows):
    W = weights(sparse.random(25, 40, density=0.3, random_state=7, format="csr") * 4)
    full = similarity.similarity_matrix(W, measure=measure)
    np.fill_diagonal(full, -np.inf)
    ids = [f"d{i}" for i in range(25)]
    table = similarity.similar_documents(W, ids, measure=measure, top_k=3, block_rows=block_rows)
    assert list(table.columns) == ["doc_id", "neighbour", "similarity", "rank"]
    for i, doc in enumerate(ids):
        mine = table[table["doc_id"] == doc]
        order = np.argsort(-full[i], kind="stable")[:3]
        assert mine["neighbour"].tolist() == [ids[j] for j in order]
        assert np.allclose(mine["similarity"], full[i, order], atol=1e-12, rtol=0)
        assert mine["rank"].tolist() == [1, 2, 3]


def test_neighbours_break_ties_by_document_order_and_never_list_the_document_itself():
    W = sparse.csr_matrix(np.array([[1.0, 0.0]] * 4 + [[0.0, 1.0]]))  # four identical documents
    table = similarity.similar_documents(W, list("abcde"), top_k=2, block_rows=2)
    assert table[table["doc_id"] == "c"]["neighbour"].tolist() == ["a", "b"]
    assert (table["doc_id"] != table["neighbour"]).all()
    assert len(similarity.similar_documents(W, list("abcde"), top_k=50)) == 5 * 4  # at most the others
    with pytest.raises(CorpuslabError, match="doc_ids"):
        similarity.similar_documents(W, ["a"])


def test_centroids_are_means_of_length_normalised_rows():
    W = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 2.0], [1.0, 0.0, 0.0]])
    means, names = similarity.centroids(sparse.csr_matrix(W), ["x", "y", "x"])
    assert names == ["x", "y"]
    assert np.allclose(means.toarray(), [[(0.6 + 1) / 2, 0.8 / 2, 0.0], [0.0, 0.0, 1.0]])
    table = similarity.group_similarity(sparse.csr_matrix(W), ["x", "y", "x"])
    assert table.loc["x", "y"] == pytest.approx(0.0) and table.loc["x", "x"] == pytest.approx(1.0)


@pytest.mark.parametrize("measure, metric", [("cosine", "cosine"), ("correlation", "correlation")])
def test_clusters_are_scipys_average_linkage_on_the_same_distances(measure, metric):
    W = weights(sparse.random(20, 50, density=0.3, random_state=11, format="csr") * 5)
    table, Z, ids = similarity.cluster_documents(W, [f"d{i}" for i in range(20)], measure=measure, n_clusters=4)
    expected = hierarchy.linkage(pdist(W.toarray(), metric), method="average")
    assert np.allclose(Z, expected, atol=1e-12, rtol=0)
    assert list(ids) == [f"d{i}" for i in range(20)] and table["clustered"].all()
    sizes = table["cluster"].value_counts()
    assert sorted(sizes.index) == list(range(1, 5)) and sizes.is_monotonic_decreasing  # numbered by size


def test_clusters_of_a_large_corpus_use_every_kth_document_and_place_the_others():
    rng = np.random.default_rng(0)
    W = sparse.csr_matrix(np.vstack([np.abs(rng.normal(size=(30, 8))) + np.eye(8)[k % 2] * 5 for k in range(2)]))
    table, Z, ids = similarity.cluster_documents(W, [f"d{i}" for i in range(60)], n_clusters=2, max_clustered=20)
    assert table["clustered"].sum() == 20 == len(ids) and len(Z) == 19
    assert set(table["cluster"]) == {1, 2}
    with pytest.raises(CorpuslabError, match="at least 3"):
        similarity.cluster_documents(W[:2], ["a", "b"])


def test_default_pair_is_the_pair_sharing_most_years_ties_alphabetical():
    assert similarity.default_pair(["A", "B", "C", "C"], ["1", "1", "2", "1"]) == ("A", "B")
    assert similarity.default_pair(["B", "C", "B", "C", "A"], ["1", "1", "2", "2", "1"]) == ("B", "C")
    assert similarity.default_pair(["A", "B"], ["1", "2"]) is None  # never in the same year
    assert similarity.default_pair(["A", "A"], ["1", "2"]) is None


def test_over_time_is_the_centroid_similarity_of_each_year_with_others_and_an_interval_only_where_it_can_be():
    rng = np.random.default_rng(1)
    W = sparse.csr_matrix(np.abs(rng.normal(size=(10, 6))))
    groups = ["A", "A", "B", "B", "C", "A", "B", "C", "A", "C"]
    times = ["2000"] * 5 + ["2001"] * 3 + ["2002"] * 2
    table = similarity.group_similarity_over_time(W, groups, times, ("A", "B"), n_boot=50, seed=3)
    assert table["time"].tolist() == ["2000", "2001"]  # 2002 has no B
    N = W.toarray() / np.linalg.norm(W.toarray(), axis=1, keepdims=True)

    def cos(u, v):
        return u @ v / np.linalg.norm(u) / np.linalg.norm(v)
    first = table.iloc[0]
    assert first["similarity"] == pytest.approx(cos(N[[0, 1]].mean(0), N[[2, 3]].mean(0)), abs=1e-12)
    assert first["others_median"] == pytest.approx(np.median([cos(N[[0, 1]].mean(0), N[4]),
                                                             cos(N[[2, 3]].mean(0), N[4])]), abs=1e-12)
    assert first["ci_low"] <= first["ci_high"] and (first["n_a"], first["n_b"]) == (2, 2)
    second = table.iloc[1]
    assert np.isnan(second["ci_low"]) and (second["n_a"], second["n_b"]) == (1, 1)  # one each: nothing to resample
    again = similarity.group_similarity_over_time(W, groups, times, ("A", "B"), n_boot=50, seed=3)
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(CorpuslabError, match="similarity.pair: no group 'Z'"):
        similarity.group_similarity_over_time(W, groups, times, ("A", "Z"))


def test_time_points_are_years():
    assert similarity.time_points(["2024-05-01", "1991", "", None, "n.d."]).tolist() == ["2024", "1991", "", "", ""]


UN = "data/raw/ungdc-chn-rus-usa/speeches.parquet"


def test_the_pair_on_the_un_speeches_is_china_and_russia_by_default_and_any_two_countries_when_named():
    from corpuslab import corpus
    from corpuslab.resources import resolve_path

    speeches = corpus.load(resolve_path(UN))
    pair, labels = workflow.similarity_pair(params.validate({}), speeches)
    assert pair == ("CHN", "RUS") and labels.tolist() == speeches["country"].tolist()
    assert workflow.similarity_pair(params.validate({"similarity.pair": ["USA", "CHN"]}), speeches)[0] == ("USA", "CHN")
    with pytest.raises(CorpuslabError, match="similarity.pair: no metadata column holds both 'CHN' and 'FRA'"):
        workflow.similarity_pair(params.validate({"similarity.pair": ["CHN", "FRA"]}), speeches)
    with pytest.raises(CorpuslabError, match="similarity.pair: got"):
        workflow.similarity_pair(params.validate({"similarity.pair": ["CHN"]}), speeches)
    undated = speeches.drop(columns=["date"])
    assert workflow.similarity_pair(params.validate({}), undated) == (None, workflow.SIMILARITY_NO_DATES)


def test_the_sample_of_documents_compared_pairwise_is_capped():
    cfg = params.validate({"similarity.max_documents": 10})
    assert workflow.similarity_sample(cfg, 9).tolist() == list(range(9))
    assert len(workflow.similarity_sample(cfg, 25)) <= 10 and workflow.similarity_sample(cfg, 25)[:2].tolist() == [0, 3]
