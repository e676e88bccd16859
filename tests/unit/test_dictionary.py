"""Dictionary matching: possessives, curly apostrophes, hyphens, U.S. vs us, multiword names."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _screen, dictionary, tokens
from corpuslab.engine import Engine
from corpuslab.errors import CorpuslabError


def units(*texts):
    return pd.DataFrame({"doc_id": ["d"] * len(texts), "unit_id": range(len(texts)), "text": list(texts)})


@pytest.fixture(scope="module")
def actors():
    return dictionary.load(dictionary.ACTORS)


def n(table, entry):
    return int(table.loc[table["entry"] == entry, "n_matches"].sum())


@pytest.mark.parametrize("text", ["China's rise", "China’s rise", "CHINA said", "(China)", "China-Russia ties"])
def test_china_variants_match(actors, text):
    assert n(dictionary.count(units(text), actors), "China") == 1


@pytest.mark.parametrize("text", ["Chinatown", "Indochina"])
def test_no_partial_words(actors, text):
    assert n(dictionary.count(units(text), actors), "China") == 0


def test_hyphenated_compound_names_both(actors):
    c = dictionary.count(units("The Sino-Russian partnership"), actors)
    assert n(c, "China") == 1 and n(c, "Russia") == 1


def test_us_pronoun_is_not_united_states(actors):
    c = dictionary.count(units("Let us talk.", "The U.S. and the US and the United States.", "US-China trade"), actors)
    assert c.loc[c["entry"] == "United States", ["unit_id", "n_matches"]].values.tolist() == [[1, 3], [2, 1]]


def test_multiword_longest_wins_and_spans_line_breaks(actors):
    m = dictionary.mentions(units("Xi\nJinping met Putin; Xi smiled."), actors)
    assert m.loc[m["entry"] == "Xi Jinping", "match"].tolist() == ["Xi\nJinping", "Xi"]


def test_offsets_index_original_text(actors):
    text = "Beijing’s view of Moscow’s war"
    m = dictionary.mentions(units(text), actors)
    assert [text[a:b] for a, b in zip(m["start"], m["end"])] == ["Beijing", "Moscow"]


def test_doc_offsets_when_units_have_start():
    d = dictionary.from_mapping({"X": ["foo"]})
    u = units("a foo").assign(start=[10])
    assert dictionary.mentions(u, d)[["doc_start", "doc_end"]].values.tolist() == [[12, 15]]


def test_count_with_zeros_and_documents_table():
    d = dictionary.from_mapping({"X": ["foo"], "Y": ["bar"]})
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["foo foo", "nothing"]})
    c = dictionary.count(docs, d, zeros=True)
    assert c[["doc_id", "entry", "n_matches"]].values.tolist() == [["a", "X", 2], ["a", "Y", 0],
                                                                   ["b", "X", 0], ["b", "Y", 0]]


def test_cooccurrence_counts_units():
    d = dictionary.from_mapping({"A": ["a"], "B": ["b"], "C": ["c"]})
    c = dictionary.count(units("a b", "a b c", "c"), d)
    co = dictionary.cooccurrence(c)
    assert co.set_index(["entry_a", "entry_b"])["n_units"].to_dict() == {("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1}


def test_themes_load_and_wildcards():
    themes = dictionary.load(dictionary.THEMES)
    c = dictionary.count(units("Economic sanctions on oil exports"), themes)
    assert {"economy and trade", "sanctions", "energy"} <= set(c["entry"])


def test_the_west_is_case_sensitive(actors):
    c = dictionary.count(units("to the west of the Urals", "the West and Western allies"), actors)
    assert c.loc[c["entry"] == "the West", ["unit_id", "n_matches"]].values.tolist() == [[1, 2]]


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(CorpuslabError, match="not found"):
        dictionary.load(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  X:\n    terms: [a]\n    colour: red\n")
    with pytest.raises(CorpuslabError, match="unknown keys"):
        dictionary.load(bad)
    with pytest.raises(CorpuslabError, match="doc_id and text"):
        dictionary.count(pd.DataFrame({"x": [1]}), dictionary.from_mapping({"X": ["a"]}))


def test_network_plot_draws_one_node_per_actor(actors):
    from corpuslab import plots

    c = dictionary.count(units("China and Russia", "Russia, Ukraine and the EU"), actors)
    fig = plots.network(dictionary.cooccurrence(c), nodes=dictionary.totals(c, by=None))
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"China", "Russia", "Ukraine", "European Union"} <= labels


def test_chunked_and_parallel_matching_equal_one_pass(actors, monkeypatch):
    texts = ["Xi Jinping met Putin.", "Nothing.", "The U.S. and us.", "Beijing and Moscow", "Sino-Russian ties"] * 7
    whole = dictionary.mentions(units(*texts), actors)
    monkeypatch.setattr(dictionary, "_CHUNK", 3)  # matches near every chunk edge
    assert dictionary.mentions(units(*texts), actors).equals(whole)
    assert dictionary.mentions(units(*texts), actors, engine=Engine("local", 2)).equals(whole)
    assert len(whole) == 7 * 7  # Xi Jinping, Putin, U.S., Beijing, Moscow, Sino-Russian twice


def test_no_match_spans_two_units(actors):
    assert n(dictionary.count(units("They met Xi", "Jinping later"), actors), "Xi Jinping") == 1


def test_regex_items_are_used_as_written_and_terms_keep_word_boundaries():
    d = dictionary.from_mapping({"X": {"terms": ["ussia"], "regex": ["uss"]}})
    m = dictionary.mentions(units("Russia and ussia"), d)
    assert m["match"].tolist() == ["uss", "ussia"]  # the regex inside "Russia"; the term only as a whole word


# ------------------------------------------------------------------ offsets after Unicode normalisation

def test_offsets_index_the_text_as_given_after_a_decomposed_accent(actors):
    text = "Cafe\u0301 Putin and China"  # NFC makes it a character shorter
    m = dictionary.mentions(units(text), actors)
    assert sorted(text[a:b] for a, b in zip(m["start"], m["end"])) == ["China", "Putin"]


_NORMALISING = st.sampled_from([
    "Putin", "China", "Sino-Russian", "and", "Cafe\u0301", "Caf\u00e9", "e\u0301", "\u0301", "\u0308", "nai\u0308ve",
    "a\u0308\u0301", "e\u0302\u0301", "\ufb01", "of\ufb01ce", "\u1100\u1161", "\u1100\u1161\u11a8", "\u1161",
    "\u11a8", "China\u2019s", "\u201cquoted\u201d", "\xa0", " ", " ", "\n", ".", "-"])
_ACCENTED = dictionary.from_mapping({"Cafe": ["Caf\u00e9", "cafe"], "Naive": ["na\u00efve"], "Korea": ["\uac00*"],
                                     "Putin": ["Putin"], "China": ["China", "Sino-*", "China's"]})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_NORMALISING, max_size=20).map("".join), min_size=1, max_size=4))
def test_every_span_slices_the_text_as_given_to_the_match(texts):
    table = units(*texts).assign(start=[10 * i for i in range(len(texts))])
    found = dictionary.mentions(table, _ACCENTED)
    for row in found.itertuples():
        text = texts[row.unit_id]
        assert tokens.normalise(text[row.start:row.end]) == row.match
        assert (row.doc_start, row.doc_end) == (10 * row.unit_id + row.start, 10 * row.unit_id + row.end)


_TEXT_PIECES = st.sampled_from(["Putin", "China", "Sino-Russian", "Cafe\u0301", "Caf\u00e9", "\u0301", "\ufb01",
                                "\u1100\u1161", "China\u2019s", "\u201cquoted\u201d", "\xa0", "\x00", " ", "-", "."])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_TEXT_PIECES, max_size=8).map("".join)), min_size=1, max_size=5))
def test_a_chunk_normalised_at_once_equals_each_unit_normalised(texts):
    normal, offsets, joined = _screen._normalised(texts)
    each = [tokens.normalise_with_offsets(t if isinstance(t, str) else "") for t in texts]
    assert normal == [t for t, _ in each] and joined == "\x00".join(normal)
    assert [list(o) for o in offsets or [range(len(t) + 1) for t in normal]] == [list(o) for _, o in each]


def plain_cooccurrence(counts):
    """dictionary.cooccurrence as it was: sorted entries per unit, a Python loop over their pairs."""
    from itertools import combinations

    present = counts[counts["n_matches"] > 0]
    per_unit = present.groupby(["doc_id", "unit_id"], sort=False)["entry"].apply(lambda s: sorted(set(s)))
    n_single = present.drop_duplicates(["doc_id", "unit_id", "entry"]).groupby("entry").size()
    pairs = {}
    for names in per_unit:
        for a, b in combinations(names, 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    table = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=["entry_a", "entry_b", "n_units"])
    table["n_units_a"] = table["entry_a"].map(n_single).astype("int64")
    table["n_units_b"] = table["entry_b"].map(n_single).astype("int64")
    table["jaccard"] = table["n_units"] / (table["n_units_a"] + table["n_units_b"] - table["n_units"])
    return table.sort_values(["n_units", "entry_a", "entry_b"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 4), st.sampled_from(["X", "Y", "Z", "Ä", "x"]),
                          st.integers(0, 2)), min_size=1, max_size=30))
def test_cooccurrence_equals_the_plain_pair_count(rows):
    counts = pd.DataFrame(rows, columns=["doc_id", "unit_id", "entry", "n_matches"])
    pd.testing.assert_frame_equal(dictionary.cooccurrence(counts), plain_cooccurrence(counts))


def test_cooccurrence_of_real_corpora_equals_the_plain_pair_count(actors):
    from corpuslab import corpus, names, segment
    from corpuslab.resources import resolve_path

    for path in ("data/raw/china-russia", "data/raw/ungdc-chn-rus-usa/speeches.parquet", "tests/fixtures/udhr"):
        units = segment.sentences(corpus.load(resolve_path(path))[["doc_id", "text"]].iloc[::3], mode="blank")
        for found in (actors, names.names_dictionary(names.frequent_names(units))):
            counts = dictionary.count(units, found)
            pd.testing.assert_frame_equal(dictionary.cooccurrence(counts), plain_cooccurrence(counts))
