"""sentiment: units scored with either method on any engine, group means with intervals, targets."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import dictionary, sentiment, sentiment_explain
from corpuslab.engine import Engine
from corpuslab.errors import CorpuslabError


def test_score_units_tables_and_engines(monkeypatch):
    from corpuslab import engine

    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0],
                          "text": ["Great news.", "Awful news.", "Plain news."]})
    table = sentiment.score_units(units)
    assert list(table.columns) == ["doc_id", "unit_id", "compound", "pos", "neu", "neg"]
    assert table["compound"].iloc[0] > 0 > table["compound"].iloc[1]
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert sentiment.score_units(units, engine=Engine("local", 2)).equals(table)
    huliu = sentiment.score_units(units, method="huliu")
    assert list(huliu.columns) == ["doc_id", "unit_id", "compound", "n_pos", "n_neg"]
    with pytest.raises(CorpuslabError, match="sentiment.method"):
        sentiment.score_units(units, method="bert")


def test_raw_vader_input_reaches_every_score(monkeypatch):
    from corpuslab import engine

    units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["“great”", "“great” but “awful”"]})
    assert sentiment.score_units(units)["compound"].iloc[0] == 0.6249
    raw, valences = sentiment.score_units_with_valences(units, vader_input="raw")
    assert raw["compound"].tolist() == [0.0, 0.0] and valences.empty
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert sentiment.score_units(units, vader_input="raw", engine=Engine("local", 2)).equals(raw)


def test_parallel_scoring_equals_serial_and_scores_repeats_alike(monkeypatch):
    from corpuslab import engine

    texts = ["A good day.", "A bad day.", "A good day.", "Nothing at all."] * 5
    units = pd.DataFrame({"doc_id": ["d"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    serial = sentiment.score_units(units)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert sentiment.score_units(units, engine=Engine("local", 2)).equals(serial)
    assert serial["compound"].iloc[0] == serial["compound"].iloc[2] > 0


def test_parallel_valences_equal_serial(monkeypatch):
    """The fired words and valences cross processes packed: the same table, signed zeros included."""
    from corpuslab import engine

    texts = ["A good day.", "Not no good", "Nothing at all.", "I love it 😀", "A good day.", "GREAT, but bad"] * 3
    units = pd.DataFrame({"doc_id": ["d"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    scores, valences = sentiment.score_units_with_valences(units)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    parallel_scores, parallel_valences = sentiment.score_units_with_valences(units, engine=Engine("local", 2))
    assert parallel_scores.equals(scores)
    pd.testing.assert_frame_equal(parallel_valences, valences, check_exact=True)
    assert np.signbit(parallel_valences["valence"]).tolist() == np.signbit(valences["valence"]).tolist()
    assert ("no", "-0.0") in {(w, repr(v)) for w, v in zip(valences["word"].astype(str), valences["valence"])}


@pytest.mark.parametrize("vader_input", ["normalised", "raw"])
def test_both_methods_in_one_pass_equal_each_method_on_the_bundled_corpora(monkeypatch, vader_input):
    """score_units_both, serial and on a pool: score_units_with_valences' tables and Hu & Liu's score_units."""
    from corpuslab import engine, segment
    from corpuslab.resources import resolve_path

    speeches = pd.read_parquet(resolve_path("data/raw/ungdc-chn-rus-usa/speeches.parquet")).iloc[::4]
    units = segment.sentences(pd.DataFrame({"doc_id": speeches["doc_id"].astype(str), "text": speeches["text"]}))
    scores, valences = sentiment.score_units_with_valences(units, vader_input=vader_input)
    huliu = sentiment.score_units(units, method="huliu")
    assert len(units) > 5_000 and units["text"].duplicated().any()
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    for compute in (Engine("local", 1), Engine("local", 2)):
        both = sentiment.score_units_both(units, vader_input=vader_input, engine=compute)
        pd.testing.assert_frame_equal(both[0], scores, check_exact=True)
        pd.testing.assert_frame_equal(both[1], valences, check_exact=True)
        assert np.signbit(both[1]["valence"]).tolist() == np.signbit(valences["valence"]).tolist()
        pd.testing.assert_frame_equal(both[2], huliu, check_exact=True)
    pd.testing.assert_frame_equal(
        sentiment.score_units_with_valences(units, vader_input=vader_input, engine=Engine("local", 2))[1], valences)


_VADER_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "no", "never", "but", "very", "VERY", "kind", "of",
                                "the", "plan", ".", "!", "isn’t", "great", "terrible", "war", "peace", ":)", "😀",
                                "United", "“good”"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_VADER_WORDS, max_size=20).map(" ".join), min_size=1, max_size=6), st.booleans(),
       st.sampled_from(["normalised", "raw"]))
def test_valences_from_the_scoring_pass_equal_explain(texts, repeat, vader_input):
    texts = texts + texts[:1] if repeat else texts  # a repeated text is scored once
    units = pd.DataFrame({"doc_id": [f"d{i % 2}" for i in range(len(texts))], "unit_id": range(len(texts)),
                          "text": texts})
    scores, valences = sentiment.score_units_with_valences(units, vader_input=vader_input)
    pd.testing.assert_frame_equal(scores, sentiment.score_units(units, vader_input=vader_input))
    both = sentiment.score_units_both(units, vader_input=vader_input)
    pd.testing.assert_frame_equal(both[0], scores)
    pd.testing.assert_frame_equal(both[1], valences, check_exact=True)
    pd.testing.assert_frame_equal(both[2], sentiment.score_units(units, method="huliu"), check_exact=True)
    expected = [(d, u, e["word"].lower(), e["final_valence"]) for d, u, t in units.itertuples(index=False)
                for e in sentiment_explain.explain(t, vader_input=vader_input)]
    got = list(valences.assign(word=valences["word"].astype(str)).itertuples(index=False, name=None))
    assert repr(got) == repr(expected)  # exact, down to the sign of a zero
    pd.testing.assert_frame_equal(
        sentiment_explain.word_contributions_by_group(units, units["doc_id"], valences=valences),
        sentiment_explain.word_contributions_by_group(units, units["doc_id"], vader_input=vader_input))


def test_sentiment_by_group_has_shares_and_interval():
    scores = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2, "compound": [0.5, 0.6, -0.2, 0.0, -0.5, -0.7]})
    table = sentiment.sentiment_by_group(scores, scores["doc_id"])
    assert list(table.columns) == ["group", "n_units", "mean_compound", "ci_low", "ci_high", "rel_positive",
                                   "rel_negative", "rel_neutral"]
    a = table.set_index("group").loc["a"]
    assert a["n_units"] == 4 and a["rel_positive"] == 0.5 and a["rel_negative"] == 0.25
    assert a["ci_low"] <= a["mean_compound"] <= a["ci_high"]


def test_group_interval_is_student_t_within_the_score_range():
    """An independent computation: scipy's t interval of each group's scores, cut to −1…+1."""
    from scipy import stats

    rng = np.random.default_rng(3)
    scores = pd.DataFrame({"compound": rng.uniform(-1, 1, 60).round(4)})
    groups = rng.choice(list("abcd"), 60).tolist() + []
    groups[:2] = ["e", "e"]  # a group of two: its t interval overshoots ±1
    table = sentiment.sentiment_by_group(scores, groups).set_index("group")
    for group, part in scores.groupby(np.array(groups))["compound"]:
        low, high = stats.t.interval(0.95, len(part) - 1, loc=part.mean(), scale=stats.sem(part))
        assert table.loc[group, ["ci_low", "ci_high"]].tolist() == pytest.approx([max(low, -1), min(high, 1)])
    assert table.loc["e", "ci_low"] >= -1 and table.loc["e", "ci_high"] <= 1


def test_a_group_of_one_unit_has_no_interval():
    """A percentile bootstrap of one value gave the zero-width interval [x, x]: now NaN, and the row stays."""
    scores = pd.DataFrame({"doc_id": ["a", "b", "b"], "unit_id": [0, 0, 1], "compound": [0.4, 0.1, 0.3]})
    table = sentiment.sentiment_by_group(scores, scores["doc_id"]).set_index("group")
    assert table.loc["a", "n_units"] == 1 and np.isnan(table.loc["a", "ci_low"]) and np.isnan(table.loc["a", "ci_high"])
    assert table.loc["b", "ci_low"] < 0.2 < table.loc["b", "ci_high"]


def test_several_groupings_stack_with_a_by_column():
    scores = pd.DataFrame({"compound": [0.5, -0.5, 0.1]})
    table = sentiment.sentiment_by_groupings(scores, {"outlet": ["X", "X", None], "period": ["2020"] * 3})
    assert table[["by", "group", "n_units"]].values.tolist() == [["outlet", "X", 2], ["outlet", "unknown", 1],
                                                                  ["period", "2020", 3]]


def test_target_sentiment_flags_multi_target_units():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0], "outlet": ["X", "X", None],
                          "text": ["China and Russia had a great summit.", "Russia faced awful sanctions.",
                                   "China grew."]})
    scores = sentiment.score_units(units)
    mentions = dictionary.count(units, dictionary.from_mapping({"China": ["China"], "Russia": ["Russia"]}))
    table = sentiment.target_sentiment(scores, mentions)
    russia = table.set_index("target").loc["Russia"]
    assert russia["n_units"] == 2 and russia["rel_multi"] == 0.5
    assert list(table.columns) == ["target", "n_units", "mean_compound", "ci_low", "ci_high", "rel_multi"]
    by_outlet = sentiment.target_sentiment_by_group(scores, mentions, units["outlet"])
    assert list(by_outlet.columns) == ["target", "group", "n_units", "mean_compound", "ci_low", "ci_high", "rel_multi"]
    assert by_outlet[["target", "group", "n_units"]].values.tolist() == [["China", "X", 1], ["China", "unknown", 1],
                                                                          ["Russia", "X", 2]]
    assert by_outlet["ci_low"].isna().tolist() == [True, True, False]



def test_target_sentiment_by_groupings_stacks_each_grouping_equal_to_one_grouping():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0],
                          "text": ["China and Russia had a great summit.", "Russia faced awful sanctions.",
                                   "China grew."]})
    scores = sentiment.score_units(units)
    mentions = dictionary.count(units, dictionary.from_mapping({"China": ["China"], "Russia": ["Russia"]}))
    by = {"party": ["D", "D", "R"], "period": ["2001", "2002", "2002"]}
    table = sentiment.target_sentiment_by_groupings(scores, mentions, by)
    assert list(table.columns) == ["target", "by", "group", "n_units", "mean_compound", "ci_low", "ci_high",
                                   "rel_multi"]
    for name, labels in by.items():
        alone = sentiment.target_sentiment_by_group(scores, mentions, labels)
        pd.testing.assert_frame_equal(table[table["by"] == name].drop(columns="by").reset_index(drop=True), alone)
    assert sentiment.target_sentiment_by_groupings(scores, mentions, {}).empty

def test_target_tables_without_mentions_are_empty_with_their_columns():
    scores = pd.DataFrame({"doc_id": ["a"], "unit_id": [0], "compound": [0.1]})
    mentions = pd.DataFrame(columns=["doc_id", "unit_id", "entry", "category", "n_matches"])
    assert list(sentiment.target_sentiment(scores, mentions).columns) == [
        "target", "n_units", "mean_compound", "ci_low", "ci_high", "rel_multi"]
    assert sentiment.target_sentiment_by_group(scores, mentions, ["X"]).empty


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["X", "Y", None]),
                          st.one_of(st.sampled_from([0.05, -0.05, 0.0, float("nan")]), st.floats(-1, 1))),
                min_size=1, max_size=20),
       st.sampled_from([0.05, 0.0, 0.3, -0.1]))
def test_group_shares_are_the_shares_of_each_label(rows, threshold):
    """rel_positive, rel_negative, rel_neutral: the share of each :func:`sentiment.label` in the group."""
    scores = pd.DataFrame({"compound": [c for _, c in rows]})
    groups = [g for g, _ in rows]
    table = sentiment.sentiment_by_group(scores, groups, threshold=threshold)
    labels = pd.DataFrame({"group": sentiment.stats.group_labels(groups).to_numpy(),
                           "label": sentiment.label(scores["compound"], threshold).to_numpy()})
    for kind in ("positive", "negative", "neutral"):
        expected = labels.assign(share=(labels["label"] == kind).astype(float)).groupby("group")["share"].mean()
        assert table[f"rel_{kind}"].tolist() == expected.tolist()
