"""sentiment_explain: the words behind a score, evidence tables, word contributions, method disagreement."""

import pandas as pd

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
