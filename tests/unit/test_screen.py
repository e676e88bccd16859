"""_screen: polars' screening of units before a dictionary entry's regex never drops a match."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _screen, dictionary

_PIECES = st.sampled_from(["China", "CHINA", "china's", "Chinatown", "US", "us", "U.S.", "Sino-Russian", "Xi",
                           "Jinping", "Xi  Jinping", "\u0301", "\u212a", "\U00031350", "_", "-", "'", " ", "\n", ".",
                           "the West", "west", "Beijing", "é", "2024", "Russia"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=5))
def test_screening_never_drops_a_match(texts):
    units = pd.DataFrame({"doc_id": ["a"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    actors = dictionary.load(dictionary.ACTORS)
    screened = dictionary.mentions(units, actors)
    unscreened_screens = _screen.screens
    try:
        _screen.screens = lambda entry, unspaced=True: None  # every unit read by every entry's own pattern
        everything = dictionary.mentions(units, actors)
    finally:
        _screen.screens = unscreened_screens
    pd.testing.assert_frame_equal(screened, everything)


def test_screens_keep_the_units_an_entry_can_match():
    import polars as pl

    entry = dictionary.from_mapping({"US": ["US", "United States"]})["US"]
    texts = pl.Series(["the US said", "us and them", "the United Nations", "USA", "nothing"])
    assert _screen.candidates(texts, entry).tolist() == [0, 2]  # "US" whole and in capitals; "United" whole
    assert _screen.screens(dictionary.from_mapping({"X": {"terms": ["x"], "regex": ["y"]}})["X"]) is None


_NAME_PIECES = st.sampled_from(["United", "Nations", "United Nations", "The", "the", "States", "Our", "Lady", "of",
                                "Congress's", "Congress\u2019", "CONGRESS", "Cafe\u0301", "Caf\u00e9", "\x00", "-",
                                "'", " ", "\n", ".", "\u201c", "\u4e2d\u56fd", "\u0420\u043e\u0441\u0441\u0438\u044f"])
_NAMES = ["United Nations", "Nations", "United States", "States", "Congress", "Lady", "Our Lady", "Caf\u00e9",
          "\u0420\u043e\u0441\u0441\u0438\u044f"]


def without_name_screens(units, found_dictionary):
    """The mentions with every automatic name's regex reading every unit (no first-word screen)."""
    kept = _screen.name_words
    try:
        _screen.name_words = lambda d: {}
        return dictionary.mentions(units, found_dictionary)
    finally:
        _screen.name_words = kept


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_NAME_PIECES, max_size=12).map(" ".join), min_size=1, max_size=5))
def test_reading_only_the_units_that_hold_a_name_s_first_word_drops_no_match(texts):
    from corpuslab import names

    units = pd.DataFrame({"doc_id": ["a"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    found = names.names_dictionary(pd.DataFrame({"name": _NAMES}))
    assert set(_screen.name_words(found)) == set(_NAMES)
    pd.testing.assert_frame_equal(dictionary.mentions(units, found), without_name_screens(units, found))


def test_name_screens_drop_no_match_in_real_corpora_in_five_languages():
    from corpuslab import corpus, names, segment
    from corpuslab.resources import resolve_path

    for path in ("data/raw/china-russia", "data/raw/ungdc-chn-rus-usa/speeches.parquet", "tests/fixtures/udhr"):
        documents = corpus.load(resolve_path(path)).iloc[::4]
        units = segment.sentences(documents[["doc_id", "text"]], mode="blank")
        found = names.names_dictionary(names.frequent_names(units))
        screened = dictionary.mentions(units, found)
        pd.testing.assert_frame_equal(screened, without_name_screens(units, found))
        assert len(screened) and set(screened["entry"]) <= set(_screen.name_words(found))


def test_containing_finds_every_unit_holding_a_word_as_written():
    import polars as pl

    texts = pl.Series(["states and State", "United States", None, "stat", "Statesman"])
    assert {w: rows.tolist() for w, rows in _screen.containing(texts, {"State", "states", "stat", "x"}).items()} == {
        "State": [0, 1, 4], "states": [0], "stat": [0, 3], "x": []}
