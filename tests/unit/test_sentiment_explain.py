"""sentiment_explain: the words behind a score, evidence tables, word contributions, method disagreement."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import sentiment, sentiment_explain


def test_explanations_name_the_words_and_rules():
    evidence = {e["word"]: e for e in sentiment_explain.explain("The deal is not good, but the summit was GREAT!")}
    assert evidence["good"]["final_valence"] < 0 < evidence["good"]["lexicon_valence"]
    assert "negation" in evidence["good"]["rule"] and "but" in evidence["GREAT"]["rule"]
    assert evidence["GREAT"]["final_valence"] > evidence["GREAT"]["lexicon_valence"]


def test_explanations_follow_the_vader_input():
    assert [e["word"] for e in sentiment_explain.explain("“great”")] == ["great"]
    assert sentiment_explain.explain("“great”", vader_input="raw") == []


def test_evidence_and_contributions_tables():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0],
                          "text": ["A great success.", "A terrible failure.", "Nothing."]})
    scores = sentiment.score_units(units)
    evidence = sentiment_explain.evidence_table(units, scores, n=1)
    assert evidence["side"].tolist() == ["most negative", "most positive"]
    assert "terrible" in evidence["evidence"].iloc[0] and "success" in evidence["evidence"].iloc[1]
    words = sentiment_explain.word_contributions_by_group(units, units["doc_id"])
    assert list(words.columns) == ["group", "word", "valence"]
    assert set(words["word"]) >= {"great", "success", "terrible", "failure"}


def test_word_contributions_on_the_engine_equal_serial(monkeypatch):
    from corpuslab import engine
    from corpuslab.engine import Engine

    units = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "unit_id": [0, 1, 0, 0],
                          "text": ["A great success.", "A terrible failure.", "Not good.", "Fine, but bad."]})
    serial = sentiment_explain.word_contributions_by_group(units, ["X", "X", None, "Y"], top_n=2)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    parallel = sentiment_explain.word_contributions_by_group(units, ["X", "X", None, "Y"], top_n=2,
                                                             engine=Engine("local", 2))
    pd.testing.assert_frame_equal(parallel, serial)
    assert serial.groupby("group").size().to_dict() == {"X": 2, "Y": 2, "unknown": 1}


def test_method_disagreement_lists_the_largest_differences():
    units = pd.DataFrame({"doc_id": ["a", "a", "a"], "unit_id": [0, 1, 2],
                          "text": ["A great success.", "The plan is fine.", "Nothing."]})
    r, worst = sentiment_explain.method_disagreement(units, sentiment.score_units(units),
                                                     sentiment.score_units(units, method="huliu"), n=2)
    assert -1 <= r <= 1 and len(worst) == 2
    assert worst["difference"].is_monotonic_decreasing and "text" in worst.columns


_KEYED_SCORES = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 6),
                                   st.sampled_from([-0.5, -0.1, 0.0, 0.1, 0.5, 0.9]),
                                   st.sampled_from([-0.3, 0.0, 0.3])), max_size=30)


def _keyed(rows, drop: int):
    """A scores table (doc_id, unit_id, compound, huliu) with ties and repeated keys, and units for every key
    but each ``drop``-th."""
    scores = pd.DataFrame(rows, columns=["doc_id", "unit_id", "compound", "huliu"])
    keys = scores[["doc_id", "unit_id"]].drop_duplicates()
    units = keys.iloc[[i for i in range(len(keys)) if not drop or i % drop]].assign(text=lambda t: t["doc_id"] + "!")
    return scores, units.reset_index(drop=True)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # r of constant columns: NaN
@settings(max_examples=300, deadline=None)
@given(_KEYED_SCORES, st.integers(0, 4), st.integers(0, 3))
def test_evidence_rows_and_disagreement_equal_the_plain_merge_and_sort(rows, n, drop):
    """Only the rows that can rank are merged and sorted: the same rows as merging and sorting every one."""
    scores, units = _keyed(rows, drop)
    merged = scores.merge(units, on=["doc_id", "unit_id"]).sort_values(["compound", "doc_id", "unit_id"],
                                                                       kind="stable")
    ours = sentiment_explain._extreme_units(units, scores, n).sort_values(["compound", "doc_id", "unit_id"],
                                                                          kind="stable")
    pd.testing.assert_frame_equal(ours.head(n).reset_index(drop=True), merged.head(n).reset_index(drop=True))
    pd.testing.assert_frame_equal(ours.tail(n).reset_index(drop=True), merged.tail(n).reset_index(drop=True))
    huliu = scores[["doc_id", "unit_id"]].assign(compound=scores["huliu"])
    both = scores[["doc_id", "unit_id", "compound"]].merge(huliu, on=["doc_id", "unit_id"],
                                                          suffixes=("_vader", "_huliu"))
    both["difference"] = (both["compound_vader"] - both["compound_huliu"]).abs()
    worst = both.sort_values(["difference", "doc_id", "unit_id"], ascending=[False, True, True], kind="stable").head(n)
    _, disagreement = sentiment_explain.method_disagreement(units, scores, huliu, n=n)
    pd.testing.assert_frame_equal(disagreement, worst.merge(units, on=["doc_id", "unit_id"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["X", "Y", "unknown"]), st.sampled_from(["good", "Bad", "war", "peace", "é"]),
                          st.floats(-4, 4)), max_size=30))
def test_words_summed_by_their_categories_equal_words_summed_as_text(rows):
    table = pd.DataFrame(rows, columns=["group", "word", "valence"])
    as_text = table.assign(word=table["word"].astype(str)).groupby(["group", "word"], as_index=False)["valence"].sum()
    as_codes = sentiment_explain._summed_by_group(table.assign(word=pd.Categorical(table["word"])))
    pd.testing.assert_frame_equal(as_codes, as_text)
