"""sentiment: VADER as the reference implementation, Hu & Liu, validation, explanations, targets."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpuslab import dictionary, sentiment
from corpuslab.errors import CorpuslabError


@pytest.mark.parametrize("straight, curly", [
    ("This doesn't look good.", "This doesn’t look good."),
    ("It isn't a success.", "It isn’t a success."),
    ("They won't help.", "They won’t help."),
])
def test_negation_with_straight_and_curly_apostrophes(straight, curly):
    for method in (sentiment.vader, sentiment.huliu):
        assert method(straight)["compound"] == method(curly)["compound"]
    assert sentiment.vader(curly)["compound"] < sentiment.vader(curly.replace("n’t", "").replace("won’t", "will"))["compound"] or \
        sentiment.vader(curly)["compound"] <= 0


def test_huliu_negation_flips_within_three_tokens():
    assert sentiment.huliu("good")["compound"] > 0
    assert sentiment.huliu("not good")["compound"] < 0
    assert sentiment.huliu("not at all very good")["compound"] > 0  # negator four tokens back: no flip
    assert sentiment.huliu("")["compound"] == 0.0


def test_long_text_saturates_so_sentences_are_scored():
    """Why sentence level: a long mixed text's compound goes to ±1 while its sentences average near 0."""
    sentences = ["The talks were a great success.", "The sanctions were a terrible failure."] * 20
    whole = sentiment.vader(" ".join(sentences))["compound"]
    mean = np.mean([sentiment.vader(s)["compound"] for s in sentences])
    assert abs(whole) > 0.95 and abs(mean) < 0.2


def test_score_units_tables_and_engines(monkeypatch):
    from corpuslab import engine

    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0],
                          "text": ["Great news.", "Awful news.", "Plain news."]})
    table = sentiment.score_units(units)
    assert list(table.columns) == ["doc_id", "unit_id", "compound", "pos", "neu", "neg"]
    assert table["compound"].iloc[0] > 0 > table["compound"].iloc[1]
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert sentiment.score_units(units, n_jobs=2).equals(table)
    assert list(sentiment.score_units(units, method="huliu").columns) == ["doc_id", "unit_id", "compound", "n_pos", "n_neg"]
    with pytest.raises(CorpuslabError, match="sentiment.method"):
        sentiment.score_units(units, method="bert")


def test_aggregate_has_shares_and_bootstrap_interval():
    scores = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2, "compound": [0.5, 0.6, -0.2, 0.0, -0.5, -0.7]})
    table = sentiment.aggregate(scores, seed=3)
    a = table.set_index("doc_id").loc["a"]
    assert a["n_units"] == 4 and a["rel_positive"] == 0.5 and a["rel_negative"] == 0.25
    assert a["ci_low"] <= a["mean_compound"] <= a["ci_high"]
    assert table.equals(sentiment.aggregate(scores, seed=3))


def test_vader_reproduces_the_published_nyt_agreement():
    """Hutto & Gilbert's NYT editorial gold standard: r = 0.503 with vaderSentiment 3.3.2 (paper: 0.492)."""
    gold = sentiment.read_gold("nyt_editorials")
    assert len(gold) == 5190
    compound = np.array([sentiment.vader(t)["compound"] for t in gold["text"]])
    result = sentiment.agreement(gold["rating"].to_numpy(), compound, n_boot=100)
    assert abs(result["pearson_r"] - 0.503) <= 0.005
    assert abs(result["macro_f1"] - 0.537) <= 0.005
    assert result["pearson_ci_low"] < result["pearson_r"] < result["pearson_ci_high"]


@pytest.mark.parametrize("dataset", list(sentiment.GOLD_FILES))
def test_our_vader_equals_the_reference_on_every_gold_sentence(dataset):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    reference = SentimentIntensityAnalyzer()
    gold = sentiment.read_gold(dataset)
    for text in gold["text"]:
        if "’" in text or "‘" in text:  # we straighten curly apostrophes on purpose (negation); compare like for like
            text = text.replace("’", "'").replace("‘", "'")
        assert sentiment.vader(text) == reference.polarity_scores(text), text


def test_implementation_is_recorded():
    info = sentiment.implementation()
    assert info["name"] == "vaderSentiment" and info["version"] and len(info["lexicon_sha256"]) == 64


def test_explanations_name_the_words_and_rules():
    evidence = {e["word"]: e for e in sentiment.explain("The deal is not good, but the summit was GREAT!")}
    assert evidence["good"]["final_valence"] < 0 < evidence["good"]["lexicon_valence"]
    assert "negation" in evidence["good"]["rule"] and "but" in evidence["GREAT"]["rule"]
    assert evidence["GREAT"]["final_valence"] > evidence["GREAT"]["lexicon_valence"]


def test_evidence_and_contributions_tables():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0],
                          "text": ["A great success.", "A terrible failure.", "Nothing."]})
    scores = sentiment.score_units(units)
    evidence = sentiment.evidence_table(units, scores, n=1)
    assert evidence["side"].tolist() == ["most negative", "most positive"]
    assert "terrible" in evidence["evidence"].iloc[0] and "success" in evidence["evidence"].iloc[1]
    words = sentiment.word_contributions(units)
    assert set(words["word"]) >= {"great", "success", "terrible", "failure"}


def test_sentiment_toward_targets_flags_multi_actor_units():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0], "outlet": ["X", "X", "Y"],
                          "text": ["China and Russia had a great summit.", "Russia faced awful sanctions.", "China grew."]})
    scores = sentiment.score_units(units)
    actors = dictionary.from_mapping({"China": ["China"], "Russia": ["Russia"]})
    table = sentiment.toward_targets(units, scores, dictionary.count(units, actors), seed=1)
    russia = table.set_index("target").loc["Russia"]
    assert russia["n_units"] == 2 and russia["rel_multi"] == 0.5
    assert list(table.columns) == ["target", "n_units", "mean_compound", "ci_low", "ci_high", "rel_multi"]
    by_outlet = sentiment.toward_targets(units, scores, dictionary.count(units, actors), by="outlet")
    assert set(by_outlet["outlet"]) == {"X", "Y"}


def test_validation_table_has_every_method_and_dataset():
    table = sentiment.validate(datasets=("nyt_editorials",), n_boot=50)
    assert set(table["method"]) == {"vader", "huliu"}
    assert {"dataset", "method", "n", "pearson_r", "spearman_rho", "macro_f1"} <= set(table.columns)


def test_macro_f1_equals_scikit_learn():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    for _ in range(50):
        truth, predicted = rng.integers(-1, 2, 30), rng.integers(-1, 2, 30)
        labels = sorted(set(truth) | set(predicted))
        assert sentiment.macro_f1(truth, predicted) == pytest.approx(
            f1_score(truth, predicted, average="macro", labels=labels, zero_division=0))


def test_parallel_scoring_equals_serial_and_scores_repeats_alike(monkeypatch):
    from corpuslab import engine

    texts = ["A good day.", "A bad day.", "A good day.", "Nothing at all."] * 5
    units = pd.DataFrame({"doc_id": ["d"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    serial = sentiment.score_units(units)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert sentiment.score_units(units, n_jobs=2).equals(serial)
    assert serial["compound"].iloc[0] == serial["compound"].iloc[2] > 0


def test_parallel_valences_equal_serial(monkeypatch):
    """The fired words and valences cross processes packed: the same table, signed zeros included."""
    from corpuslab import engine

    texts = ["A good day.", "Not no good", "Nothing at all.", "I love it 😀", "A good day.", "GREAT, but bad"] * 3
    units = pd.DataFrame({"doc_id": ["d"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    scores, valences = sentiment.score_units(units, valences=True)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    parallel_scores, parallel_valences = sentiment.score_units(units, valences=True, n_jobs=2)
    assert parallel_scores.equals(scores)
    pd.testing.assert_frame_equal(parallel_valences, valences, check_exact=True)
    assert np.signbit(parallel_valences["valence"]).tolist() == np.signbit(valences["valence"]).tolist()
    assert ("no", "-0.0") in {(w, repr(v)) for w, v in zip(valences["word"].astype(str), valences["valence"])}


@pytest.mark.parametrize("text", ["I love it 😀", "Sad news 😢 but hope", "  Padded, GREAT!!  ", "", "kind of good",
                                  "Café society is not bad"])
def test_emoji_and_edge_texts_score_as_the_reference(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert sentiment.vader(text) == SentimentIntensityAnalyzer().polarity_scores(text)


def test_bootstrap_in_blocks_draws_the_same_resamples(monkeypatch):
    values = np.random.default_rng(0).normal(size=997)
    whole = sentiment.bootstrap_mean_ci(values, n_boot=300, seed=5)
    from corpuslab import stats

    monkeypatch.setattr(stats, "BOOT_CELLS", 2_000)  # two resamples at a time
    assert sentiment.bootstrap_mean_ci(values, n_boot=300, seed=5) == whole


def test_bootstraps_side_by_side_give_the_same_intervals(monkeypatch):
    rng = np.random.default_rng(3)
    scores = pd.DataFrame({"doc_id": rng.choice(list("abcdefg"), 400), "unit_id": range(400),
                           "compound": rng.uniform(-1, 1, 400).round(4)})
    serial = sentiment.aggregate(scores, "doc_id", seed=7, n_boot=200)
    monkeypatch.setattr(sentiment, "PARALLEL_MIN_DRAWS", 0)
    pd.testing.assert_frame_equal(sentiment.aggregate(scores, "doc_id", seed=7, n_boot=200, n_jobs=2), serial,
                                  check_exact=True)


_HULIU_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "never", "doesn't", "isn’t", "great", "terrible",
                                "the", "plan", ".", ",", "very", "wrong", "nor", "2024"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_HULIU_WORDS, max_size=25).map(" ".join), min_size=1, max_size=6))
def test_huliu_on_the_token_stream_equals_the_sentence_by_sentence_score(texts):
    table = sentiment.huliu_scores(texts)
    for text, row in zip(texts, table.itertuples()):
        expected = sentiment.huliu(text)
        assert row.compound == pytest.approx(expected["compound"])
        assert (row.n_pos, row.n_neg) == (expected["n_pos"], expected["n_neg"])


_VADER_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "no", "never", "but", "very", "VERY", "kind", "of",
                                "the", "plan", ".", "!", "isn’t", "great", "terrible", "war", "peace", ":)", "😀",
                                "United"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_VADER_WORDS, max_size=20).map(" ".join), min_size=1, max_size=6), st.booleans())
def test_valences_from_the_scoring_pass_equal_explain(texts, repeat):
    texts = texts + texts[:1] if repeat else texts  # a repeated text is scored once
    units = pd.DataFrame({"doc_id": [f"d{i % 2}" for i in range(len(texts))], "unit_id": range(len(texts)),
                          "text": texts})
    scores, valences = sentiment.score_units(units, valences=True)
    pd.testing.assert_frame_equal(scores, sentiment.score_units(units))
    expected = [(d, u, e["word"].lower(), e["final_valence"]) for d, u, t in units.itertuples(index=False)
                for e in sentiment.explain(t)]
    got = list(valences.assign(word=valences["word"].astype(str)).itertuples(index=False, name=None))
    assert repr(got) == repr(expected)  # exact, down to the sign of a zero
    pd.testing.assert_frame_equal(sentiment.word_contributions(units, valences=valences),
                                  sentiment.word_contributions(units))


_VADER_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "no", "never", "so", "this", "without", "doubt", "isn't",
                                "kind", "of", "sort", "very", "barely", "but", "least", "at", "the", "bad", "ass",
                                "cut", "the", "mustard", "yeah", "right", "hand", "to", "mouth", "peace", "war", "!",
                                "or", "nor", "great", "failure", ":)", "LOL", "Hope", "VERY", "SO", "good.", "(bad)",
                                "ok!", "no,", "NOT", "?", "BUT"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_VADER_WORDS, max_size=14).map(" ".join))
@example("It was never so good.")  # each branch of the negation and idiom checks, at the start and inside
@example("never this bad")
@example("We were never very so good")
@example("without doubt good, and without any doubt great")
@example("This is not the least bit good")
@example("I don't really care, it is not very bad")
@example("He can cut the mustard. Bad ass, yeah right!")
@example("kind of good but sort of bad")
@example("good")
@example("no good no")
@example("not no good")  # a valence of -0.0
@example("It is VERY good and SO bad, but NOT great")
def test_vader_equals_the_reference_on_random_word_sequences(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert repr(sentiment._vader().polarity_scores(text)) == repr(SentimentIntensityAnalyzer().polarity_scores(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZé:)(.!-'? \t\nİΣ")), max_size=30))
def test_words_and_capitals_equal_sentitext(text):
    from vaderSentiment.vaderSentiment import SentiText

    reference = SentiText(text)
    words = sentiment._words_and_emoticons(text)
    assert words == reference.words_and_emoticons
    assert sentiment._cap_differential(words) == reference.is_cap_diff


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(["not", "never", "isn't", "doesnt", "nor", "without", "good", "n't", "NOT"]),
                 st.text(max_size=8)))
def test_remembered_negation_equals_the_reference(word):
    from vaderSentiment.vaderSentiment import negated

    assert sentiment._negates(word) == negated([word])
    assert sentiment._negates(word) == negated([word])  # and again, from memory
