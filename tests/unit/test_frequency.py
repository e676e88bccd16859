"""Frequency statistics against quanteda's published values and independent computations."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from corpuslab import frequency, tokens
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import dtm

# ----------------------------------------------------------------- keyness


@pytest.fixture
def two_docs():
    return dtm(["b b b b b b b a a a", "a a a a a a a b b"])


@pytest.mark.parametrize("correction, column, expected", [
    ("default", "chi2", 2.6324), ("none", "chi2", 4.3372), ("none", "g2", 4.5349),
    ("williams", "g2", 4.2008), ("williams", "chi2", 4.0176),
])
def test_keyness_matches_quanteda(two_docs, correction, column, expected):
    X, terms = two_docs
    table = frequency.keyness(X, terms, [True, False], correction=correction)
    row = table.set_index("term").loc["b"]
    assert row[column] == pytest.approx(expected, abs=1e-4)
    assert table.set_index("term").loc["a", column] == pytest.approx(-expected, abs=1e-4)


def test_keyness_default_p_value(two_docs):
    X, terms = two_docs
    assert frequency.keyness(X, terms, [True, False]).loc[0, "p_value"] == pytest.approx(0.1047, abs=1e-4)


def test_keyness_ordering_matches_quanteda():
    X, terms = dtm(["a a a b b c c c c c c d e f g h h", "a a b c c d d d d e f h"])
    assert frequency.keyness(X, terms, [True, False])["term"].tolist() == list("gcbhaefd")
    by_g2 = frequency.keyness(X, terms, [True, False], measure="g2", correction="none")
    assert by_g2["term"].tolist() == list("cgbhaefd")


def test_log_ratio_is_hardie_with_half_count_for_zero():
    X, terms = dtm(["x x y", "y y y z"])
    t = frequency.keyness(X, terms, np.array([True, False])).set_index("term")
    assert t.loc["x", "log_ratio"] == pytest.approx(np.log2((2 / 3) / (0.5 / 4)))
    assert t.loc["z", "log_ratio"] == pytest.approx(np.log2((0.5 / 3) / (1 / 4)))


def test_keyness_explicit_reference_and_min_count():
    X, terms = dtm(["a a b", "a c c", "b b b b"])
    t = frequency.keyness(X, terms, [True, False, False], reference=[False, True, False], min_count=2)
    assert set(t["term"]) == {"a", "c"}  # b: 1 in target + 0 in the chosen reference
    assert t.set_index("term").loc["a", ["count_target", "count_reference"]].tolist() == [2, 1]


def test_keyness_errors(two_docs):
    X, terms = two_docs
    with pytest.raises(CorpuslabError, match="measure"):
        frequency.keyness(X, terms, [True, False], measure="tfidf")
    with pytest.raises(CorpuslabError, match="at least one"):
        frequency.keyness(X, terms, [True, True])
    with pytest.raises(CorpuslabError, match="correction"):
        frequency.keyness(X, terms, [True, False], correction="yes")


def test_target_mask_by_group_document_and_dates():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["FT", "SCMP", "FT"],
                         "date": ["2017-07", "2021-12", "2024-05-22"]})
    assert frequency.target_mask(docs, column="outlet", value="FT").tolist() == [True, False, True]
    assert frequency.target_mask(docs, start="2021", end="2021").tolist() == [False, True, False]
    with pytest.raises(CorpuslabError, match="no document"):
        frequency.target_mask(docs, column="outlet", value="NYT")


cell = st.integers(min_value=0, max_value=400)


@settings(max_examples=200, deadline=None)
@given(a=cell, b=cell, c=cell, d=cell)
def test_keyness_2x2_agrees_with_scipy(a, b, c, d):
    table = np.array([[a, b], [c, d]])
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return
    ours = frequency.keyness_2x2([a], [b], [c], [d], correction="none").iloc[0]
    chi2 = chi2_contingency(table, correction=False).statistic
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
    assert abs(ours["chi2"]) == pytest.approx(chi2, rel=1e-6, abs=1e-6)
    assert abs(ours["g2"]) == pytest.approx(g2, rel=1e-6, abs=1e-5)


# ----------------------------------------------------------------- collocations

def test_collocations_match_quanteda_lambda_and_z():
    texts = ["I like good ice cream.", "Me too!  I like good ice cream.", ""]
    table = frequency.collocations(texts, sizes=(2,), min_count=2)
    assert sorted(table["ngram"]) == ["good ice", "i like", "ice cream", "like good"]
    assert table["lambda"].round(6).tolist() == [4.317488] * 4
    assert table["z"].round(6).tolist() == [2.027787] * 4


def test_collocation_g2_and_pmi_against_independent_computation():
    texts = ["a b c a b d a b", "c d a b"]
    t = frequency.collocations(texts, sizes=(2,), min_count=1).set_index("ngram")
    # 10 bigrams: "a b" 4 times; "a" starts only those, "b" ends only those
    table = np.array([[4, 0], [0, 6]])
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
    assert t.loc["a b", "g2"] == pytest.approx(g2)
    assert t.loc["a b", "pmi"] == pytest.approx(np.log2(4 / (4 * 4 / 10)))
    assert t.loc["a b", "t"] == pytest.approx((4 - 16 / 10) / 2)


def test_collocations_exclude_edges_and_trigrams():
    texts = ["the belt and road initiative. The belt and road initiative!"]
    t = frequency.collocations(texts, sizes=(2, 3), min_count=2, exclude=frozenset({"the", "and"}))
    assert "belt and road" in set(t["ngram"]) and "road initiative" in set(t["ngram"])
    assert not any(g.startswith(("the ", "and ")) or g.endswith((" the", " and")) for g in t["ngram"])
    assert "initiative the" not in set(t["ngram"])  # never across a full stop


# ----------------------------------------------------------------- kwic

@pytest.fixture
def docs():
    return pd.DataFrame({"doc_id": ["a", "b"],
                         "text": ["Sanctions on Russia. China’s sanctions policy differs.",
                                  "The Belt and Road\nInitiative; sanctioned banks."]})


def test_kwic_offsets_and_original_text(docs):
    hits = frequency.kwic(docs, "sanction*", kind="glob", window=2)
    assert hits[["doc_id", "keyword"]].values.tolist() == [["a", "Sanctions"], ["a", "sanctions"], ["b", "sanctioned"]]
    for doc_id, start, end, keyword in zip(hits["doc_id"], hits["start"], hits["end"], hits["keyword"]):
        assert docs.set_index("doc_id").loc[doc_id, "text"][start:end] == keyword
    assert hits.loc[1, "left"] == "Russia. China’s"


def test_kwic_phrase_regex_and_sort(docs):
    phrase = frequency.kwic(docs, "belt and road initiative", window=1)
    assert phrase.loc[0, "keyword"] == "Belt and Road\nInitiative"
    rx = frequency.kwic(docs, r"sanction(s|ed)", kind="regex", window=1, sort="right")
    assert rx["right"].tolist() == ["banks", "on", "policy"]
    by_left = frequency.kwic(docs, "sanction*", kind="glob", window=1, sort="left")
    assert by_left["left"].tolist() == ["", "China’s", "Initiative;"]


def test_kwic_errors(docs):
    with pytest.raises(CorpuslabError, match="kwic kind"):
        frequency.kwic(docs, "x", kind="fuzzy")
    with pytest.raises(CorpuslabError, match="regular expression"):
        frequency.kwic(docs, "(", kind="regex")


# ----------------------------------------------------------------- groups, periods, tf-idf, dispersion

def test_periods_honour_date_precision():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2020", "2024-05-22"],
                         "date_precision": ["month", "year", "day"]})
    assert frequency.periods(docs).tolist() == ["2017", "2020", "2024"]
    with pytest.raises(CorpuslabError, match="dated only to the year"):
        frequency.periods(docs, unit="month")
    assert frequency.periods(docs.iloc[[0, 2]], unit="auto").tolist() == ["2017-07", "2024-05"]


def test_frequency_by_group_per_10000():
    X, terms = dtm(["a b", "a a", "b"])
    t = frequency.frequency_by_group(X, terms, ["x", "x", "y"])
    assert t.set_index(["group", "term"])["rel_freq"].to_dict() == {
        ("x", "a"): 7500.0, ("x", "b"): 2500.0, ("y", "a"): 0.0, ("y", "b"): 10000.0}


def test_dispersion_dp_against_direct_formula():
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 5, size=(6, 8))
    counts[:, 0] += 1
    from scipy import sparse
    table = frequency.dispersion(sparse.csr_matrix(counts), np.array([f"t{i}" for i in range(8)])).set_index("term")
    s = counts.sum(axis=1) / counts.sum()
    for j in range(8):
        if counts[:, j].sum():
            expected = 0.5 * np.abs(counts[:, j] / counts[:, j].sum() - s).sum()
            assert table.loc[f"t{j}", "dp"] == pytest.approx(expected)
            assert table.loc[f"t{j}", "dp_norm"] == pytest.approx(expected / (1 - s.min()))


def test_tfidf_leaves_out_terms_in_every_document():
    X, terms = dtm(["a a b", "b c"])
    t = frequency.tfidf(X, terms, ["d1", "d2"])
    assert "b" not in set(t["term"])


# ----------------------------------------------------------------- lexical diversity, readability

def test_lexdiv_matches_quanteda():
    d = frequency.lexical_diversity("one one two one one two one".split())
    assert round(d["ttr"], 3) == 0.286
    assert round(d["herdan_c"], 3) == 0.356


def test_mattr_is_mean_window_ttr():
    tokens = list("aabcabcdde")
    d = frequency.lexical_diversity(tokens, window=4)
    expected = np.mean([len(set(tokens[i:i + 4])) / 4 for i in range(len(tokens) - 3)])
    assert d["mattr"] == pytest.approx(expected)


def test_flesch_matches_quanteda():
    assert frequency.flesch("The cat in the hat ate breakfast.") == pytest.approx(103, rel=0.01)


def test_lexdiv_table(docs):
    t = frequency.lexdiv(docs)
    assert list(t.columns) == ["doc_id", "n_tokens", "n_types", "ttr", "herdan_c", "yule_k", "mattr", "flesch"]


_LEXDIV_WORDS = st.sampled_from(["The", "the", "cat", "Cat", "sat", "2024", "U.S.", "china's", "beautiful", "a",
                                  "rhythm", "ΟΔΟΣ", "İstanbul", "²", ".", "!", "?", ",", "\n"])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(_LEXDIV_WORDS, max_size=40).map(" ".join), min_size=1, max_size=5),
       st.integers(1, 12), st.booleans(), st.sampled_from([frozenset(), frozenset({"the", "a"})]),
       st.sampled_from([(), ("the cat",)]), st.booleans())
def test_corpus_lexdiv_equals_the_per_document_measures(texts, window, lowercase, stopwords, phrases, with_sentences):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    options = {"lowercase": lowercase, "stopwords": stopwords, "phrases": phrases}
    sentences = pd.DataFrame({"doc_id": ["d0", "d0", "d0"]}) if with_sentences else None
    table = frequency.lexdiv(docs, sentences=sentences, window=window, **options)
    pd.testing.assert_frame_equal(frequency.lexdiv(docs, sentences=sentences, window=window,
                                                   index=frequency.kwic_index(docs), **options), table)
    for text, row in zip(texts, table.itertuples()):
        expected = frequency.lexical_diversity(tokens.tokenize(text, **options), window=window)
        for name, value in expected.items():
            assert getattr(row, name) == pytest.approx(value, nan_ok=True), name
        n_sentences = 3 if with_sentences and row.doc_id == "d0" else None
        assert row.flesch == pytest.approx(frequency.flesch(text, n_sentences=n_sentences), nan_ok=True)


def test_keyness_groups_default_is_latest_vs_earliest_document():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "label": ["FT 2017", "X", "JT 2024"],
                         "date": ["2017-07", "2024-05-22", "2019"]})
    target, reference, name, ref_name = frequency.keyness_groups(docs)
    assert target.tolist() == [False, True, False] and reference.tolist() == [True, False, False]
    assert (name, ref_name) == ("X", "FT 2017")
    target, reference, name, ref_name = frequency.keyness_groups(docs, target="JT 2024", reference="")
    assert target.tolist() == [False, False, True] and reference is None
    with pytest.raises(CorpuslabError, match="allowed values of label"):
        frequency.keyness_groups(docs, target="NYT")
    with pytest.raises(CorpuslabError, match="at least two documents"):
        frequency.keyness_groups(docs.head(1))


def test_keyness_groups_by_date_range():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2020", "2024-05-22"]})
    target, reference, _, _ = frequency.keyness_groups(docs, column="date", target="2024", reference="2017..2020")
    assert target.tolist() == [False, False, True] and reference.tolist() == [True, True, False]
    with pytest.raises(CorpuslabError, match="no document is dated"):
        frequency.keyness_groups(docs, column="date", target="1999")


def test_latest_and_earliest_take_every_document_of_that_year():
    docs = pd.DataFrame({"doc_id": list("abcde"), "date": ["1946", "1946", "2000", "2023", "2023"]})
    target, reference, name, ref_name = frequency.keyness_groups(docs, column="doc_id")
    assert target.tolist() == [False, False, False, True, True] and reference.tolist() == [True, True, False, False, False]
    assert (name, ref_name) == ("2023 (2 documents)", "1946 (2 documents)")


def test_tfidf_by_group_from_summed_rows():
    X, terms = dtm(["war war peace", "war", "trade trade"])
    summed, labels = frequency.sum_rows(X, ["old", "old", "new"])
    table = frequency.tfidf(summed, terms, labels, top_n=1)
    assert table[["doc_id", "term", "count"]].values.tolist() == [["new", "trade", 2], ["old", "war", 3]]


def test_corpus_summary_counts_tokens_types_and_sentences():
    from corpuslab import segment
    from corpuslab.tokens import tokenize

    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["War and peace. War again!", "Trade."]})
    table = frequency.corpus_summary(docs, segment.sentences(docs), lowercase=True)
    assert table["n_tokens"].tolist() == [len(tokenize(t, lowercase=True)) for t in docs["text"]] == [5, 1]
    assert table["n_types"].tolist() == [4, 1] and table["n_sentences"].tolist() == [2, 1]


def test_lexdiv_in_blocks_equals_in_one_go(monkeypatch):
    from corpuslab import corpus
    from corpuslab.resources import BUNDLED_CORPUS

    docs = corpus.load(BUNDLED_CORPUS)
    docs = pd.concat([docs, docs.assign(text="", doc_id=docs["doc_id"] + "-empty")], ignore_index=True)
    whole = frequency.lexdiv(docs, window=50)
    monkeypatch.setattr(frequency, "BLOCK_TOKENS", 700)
    pd.testing.assert_frame_equal(frequency.lexdiv(docs, window=50), whole)


def test_kwic_with_a_prebuilt_index_equals_kwic_alone():
    from corpuslab import corpus
    from corpuslab.resources import BUNDLED_CORPUS

    docs = corpus.load(BUNDLED_CORPUS)
    index = frequency.kwic_index(docs)
    for query, kind in [("sanction*", "glob"), ("xi jinping", "phrase"), ("russia.*", "regex")]:
        pd.testing.assert_frame_equal(frequency.kwic(docs, query, kind=kind, window=4, index=index),
                                      frequency.kwic(docs, query, kind=kind, window=4))


WORDS = st.lists(st.sampled_from(["the", "belt", "road", "and", "Road", "x", ".", ",", "!"]), max_size=40).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=5), st.integers(1, 3))
def test_collocation_counts_equal_counting_runs_by_hand(texts, min_count):
    grams = {n: Counter(tuple(run[i:i + n]) for text in texts for run in tokens.token_runs(text)
                        for i in range(len(run) - n + 1)) for n in (2, 3)}
    table = frequency.collocations(texts, sizes=(2, 3), min_count=min_count, exclude=frozenset({"the"}))
    expected = {(" ".join(g), n, c) for n, counts in grams.items() for g, c in counts.items()
                if c >= min_count and "the" not in (g[0], g[-1])}
    assert set(zip(table["ngram"], table["size"], table["count"])) == expected
    for row in table.itertuples():  # pmi from the marginals: P(word at position i) over all n-grams of that size
        counts = grams[row.size]
        total, words = sum(counts.values()), row.ngram.split()
        marginals = [sum(c for g, c in counts.items() if g[i] == w) / total for i, w in enumerate(words)]
        assert row.pmi == pytest.approx(np.log2(row.count / (total * np.prod(marginals))))
