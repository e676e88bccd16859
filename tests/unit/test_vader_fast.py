"""_vader_fast: the restated VADER rules give the reference vaderSentiment's scores and words, exactly."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpuslab import _vader_fast, sentiment_validation, vader
from corpuslab.tokens import normalise


@pytest.mark.parametrize("dataset", list(sentiment_validation.GOLD_FILES))
def test_our_vader_equals_the_reference_on_every_gold_sentence(dataset):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    reference = SentimentIntensityAnalyzer()
    for text in sentiment_validation.read_gold(dataset)["text"]:
        assert vader.vader(text, vader_input="raw") == reference.polarity_scores(text), text
        if normalise(text) != text:  # curly apostrophes, dashes …: scored as the reference scores the normalised text
            assert vader.vader(text) == reference.polarity_scores(normalise(text)), text


@pytest.mark.parametrize("text", ["I love it 😀", "Sad news 😢 but hope", "  Padded, GREAT!!  ", "", "kind of good",
                                  "Café society is not bad"])
def test_emoji_and_edge_texts_score_as_the_reference(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert vader.vader(text) == SentimentIntensityAnalyzer().polarity_scores(text)


_VADER_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "no", "never", "so", "this", "without", "doubt", "isn't",
                                "kind", "of", "sort", "very", "barely", "but", "least", "at", "the", "bad", "ass",
                                "cut", "the", "mustard", "yeah", "right", "hand", "to", "mouth", "peace", "war", "!",
                                "or", "nor", "great", "failure", ":)", "LOL", "Hope", "VERY", "SO", "good.", "(bad)",
                                "ok!", "no,", "NOT", "?", "BUT", "just", "enough", "to", "die", "for", "kiss", "death",
                                "bomb", "shit", "bus", "stop", "beating", "heart", "despite", "rarely", "more", "LESS",
                                "this.", "hope", "HOPE", "Peace"])


@settings(max_examples=1000, deadline=None)
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
@example("we like this good plan and so great a hope")  # "this" or "so" just before a word: times 1.25
@example("a kiss of death to die for, the bomb and the shit at the bus stop")  # idioms around lexicon words
@example("peace is just enough hope despite war")
def test_vader_equals_the_reference_on_random_word_sequences(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    expected = SentimentIntensityAnalyzer().polarity_scores(text)
    assert repr(_vader_fast.analyzer().polarity_scores(text)) == repr(expected)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZé:)(.!-'? \t\nİΣ")), max_size=30))
def test_words_and_capitals_equal_sentitext(text):
    from vaderSentiment.vaderSentiment import SentiText

    reference = SentiText(text)
    words = _vader_fast.words_and_emoticons(text)
    assert words == reference.words_and_emoticons
    assert _vader_fast.cap_differential(words) == reference.is_cap_diff


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(["not", "never", "isn't", "doesnt", "nor", "without", "good", "n't", "NOT"]),
                 st.text(max_size=8)))
def test_remembered_negation_equals_the_reference(word):
    from vaderSentiment.vaderSentiment import negated

    assert _vader_fast.negates(word) == negated([word])
    assert _vader_fast.negates(word) == negated([word])  # and again, from memory


_FIRED_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "no", "never", "but", "very", "VERY", "kind", "of",
                                "the", "plan", ".", "!", "isn't", "great", "terrible", "war", "peace", ":)", "😀"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_FIRED_WORDS, max_size=20).map(" ".join))
def test_scores_and_words_equal_polarity_scores_and_fired(text):
    """The one-pass scores and words equal the reference's scores and the words :meth:`fired` lists."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    scores, words, valences = _vader_fast.analyzer().scores_and_words(text)
    fired = _vader_fast.analyzer().fired(text)
    assert repr(scores) == repr(tuple(SentimentIntensityAnalyzer().polarity_scores(text).values()))
    assert words == [w.lower() for w, *_ in fired]
    assert repr(valences) == repr([round(float(final), 4) for *_, final in fired])


def _bundled_sentences() -> list[str]:
    """The distinct sentences of the bundled corpora: the China-Russia texts and every third UN speech."""
    from pathlib import Path

    import pandas as pd

    from corpuslab import segment
    from corpuslab.resources import resolve_path

    folder = Path(resolve_path("data/raw/china-russia"))
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    texts += pd.read_parquet(resolve_path("data/raw/ungdc-chn-rus-usa/speeches.parquet"))["text"].iloc[::3].tolist()
    documents = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    return segment.sentences(documents)["text"].drop_duplicates().tolist()


@pytest.mark.parametrize("vader_input", vader.VADER_INPUTS)
def test_packed_scores_equal_the_reference_on_the_bundled_corpora(vader_input):
    """Every sentence of the real corpora: packed_scores' rows are the reference's polarity_scores, and its
    words and valences the :meth:`fired` ones (exact, down to the sign of a zero)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    reference, ours = SentimentIntensityAnalyzer(), _vader_fast.analyzer()
    texts = [vader.prepared(t, vader_input) for t in _bundled_sentences()]
    table, fired_words = _vader_fast.packed_scores(texts)
    assert len(texts) > 10_000 and fired_words.vocabulary == sorted(fired_words.vocabulary)
    ends = np.cumsum(fired_words.n_fired)
    for text, row, end, n in zip(texts, table.itertuples(index=False), ends, fired_words.n_fired):
        expected = reference.polarity_scores(text)
        assert repr((row.neg, row.neu, row.pos, row.compound)) == repr(tuple(expected.values())), text
        fired = ours.fired(text)
        assert [fired_words.vocabulary[c] for c in fired_words.codes[end - n:end]] == [w.lower() for w, *_ in fired]
        assert repr(fired_words.valences[end - n:end].tolist()) == repr([round(float(f), 4) for *_, f in fired]), text


_SPACED_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "no", "never", "but", "BUT", "very", "kind", "of",
                                 "this",
                                 "so", "the", "bomb", "cut", "mustard", "least", "at", "without", "doubt", "isn't",
                                 "great!", "terrible?", "(war)", "peace.", ":)", "😀", "LOL", "é", "e\u0301", "!!",
                                 "?"])
_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\x1c", "\u2003", "\u3000", "\x85"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_SPACES, st.lists(st.tuples(_SPACED_WORDS, _SPACES), max_size=14), _SPACES).map(
    lambda t: t[0] + "".join(w + s for w, s in t[1]) + t[2]), max_size=6))
def test_packed_scores_equal_scores_and_words_text_by_text(texts):
    """The texts scored together (pyarrow's split, numpy's rules) equal :meth:`Analyzer.scores_and_words` of each
    text, whatever the whitespace around the words (exact, down to the sign of a zero)."""
    table, fired = _vader_fast.packed_scores(texts)
    ends = np.cumsum(fired.n_fired)
    for text, row, end, n in zip(texts, table.itertuples(index=False), ends, fired.n_fired):
        scores, words, valences = _vader_fast.analyzer().scores_and_words(text)
        assert repr((row.neg, row.neu, row.pos, row.compound)) == repr(scores), text
        assert [fired.vocabulary[c] for c in fired.codes[end - n:end]] == words
        assert repr(fired.valences[end - n:end].tolist()) == repr(valences), text
    assert len(table) == len(texts) == len(fired.n_fired)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False) | st.sampled_from([0.0, -0.0, 0.00005, 0.00015, 2.675, -0.0005]),
                max_size=20), st.sampled_from([3, 4]))
def test_rounded_equals_pythons_round(values, places):
    rounded = _vader_fast._rounded(np.array(values, dtype=float), places)
    assert repr(rounded.tolist()) == repr([round(v, places) for v in values])
