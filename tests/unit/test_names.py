"""names: automatic actor lists found in the corpus (capitalised runs not starting a sentence, possessives merged)."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import dictionary, names


def units(*texts, doc_ids=None):
    return pd.DataFrame({"doc_id": doc_ids or ["d"] * len(texts), "unit_id": range(len(texts)),
                         "start": [0] * len(texts), "text": list(texts)})


def test_possessives_merge_with_their_name_and_sentence_starts_do_not_count():
    found = names.frequent_names(units("We met Congress today.", "Then Congress's members spoke.",
                                       "Congress voted.", "Ask Congress."), min_count=3)
    assert found.to_dict("records") == [{"name": "Congress", "n_matches": 3, "n_docs": 1}]  # "Congress voted" not


def test_words_mostly_written_in_lower_case_titles_months_and_stopwords_are_not_names():
    texts = ["The plan of the Government.", "A government acts.", "Our government.", "Mr. Smith in June.",
             "Then Mr. Smith came in June.", "So Mr. Smith left in June.", "And The end."]
    found = names.frequent_names(units(*texts), min_count=1, stopwords={"the"})
    assert set(found["name"]) == {"Smith"}


def test_multiword_names_keep_their_connectors():
    assert names.candidates("We thank the Bank of England and the United States of America.") == [
        "Bank of England", "United States of America"]


def test_top_n_keeps_the_most_frequent_with_ties_alphabetical():
    texts = ["we saw Beta and Alpha.", "we saw Alpha and Gamma.", "we saw Beta and Alpha.", "we saw Gamma twice."]
    found = names.frequent_names(units(*texts), min_count=1, top_n=2)
    assert found["name"].tolist() == ["Alpha", "Beta"]


def test_automatic_dictionary_counts_names_as_written():
    d = names.names_dictionary(pd.DataFrame({"name": ["State", "United States"]}))
    found = dictionary.mentions(units("the State and the state of the United States", "The United States’ role"), d)
    assert sorted(zip(found["entry"], found["match"])) == [("State", "State"), ("United States", "United States"),
                                                           ("United States", "United States")]


def test_no_names_gives_an_empty_dictionary_that_counts_nothing():
    d = names.names_dictionary(names.frequent_names(units("nothing here.")))
    assert len(d) == 0 and dictionary.mentions(units("nothing here."), d).empty


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("Ab c'.’-\n ZxY"), max_size=60))
def test_every_candidate_occurs_in_its_sentence_capitalised(text):
    for name in names.candidates(text):
        assert name[0].isupper() and name.split()[0] in text


_NAME_WORDS = st.sampled_from(["Congress", "congress", "Soviet", "Union", "of", "the", "Bank", "England", "America's",
                               "Mr.", "U.S.", "de", "la", "\"", "(", "[", "-", "\u2014", "\u201c", "'", "\n", "\t",
                               "States'", "x-Ray", "A", "I", "we", "Ende", "\u00c9tat", "\x00", "1990s", ".",
                               # where Python's \\w and \\s differ from Rust's: separators, marks, titlecase
                               "\x1c", "\x85", "\u00a0", "\u2028", "\u200d", "B\u0301", "\u0301", "\u01c5",
                               "N\u01c5", "\u0660", "_", "Z_", "\u2160", "\u00b2"])


def same_as_reference(table, words=()):
    """The fast counts equal the reference's: names, their documents, and lower-case words (those of the text,
    those of the names and ``words``), and frequent_names equals the old select-everything-then-sort."""
    from corpuslab import _names_fast

    counts, docs, lower = names.name_counts(table)
    assert _names_fast.name_counts(table) == (counts, {name: len(found) for name, found in docs.items()})
    asked = set(lower) | {name.lower() for name in counts} | set(words)
    assert _names_fast.lower_counts(table)(asked) == {word: lower[word] for word in asked}
    for min_count, top_n in [(1, 30), (1, 2), (2, 0), (1, -1), (3, 30)]:
        found = names.frequent_names(table, min_count=min_count, top_n=top_n, stopwords={"we", "Ende"})
        assert found.equals(reference_frequent_names(counts, docs, lower, min_count, top_n, {"we", "ende"}))


def reference_frequent_names(counts, docs, lower, min_count, top_n, stop):
    """frequent_names as it was: every name's lower-case count, then filter, sort and head."""
    stop = stop | names._TITLES
    rows = [(name, n, len(docs[name])) for name, n in counts.items()
            if not (n < min_count or (" " not in name and (name.lower() in stop or lower[name.lower()] >= n)))]
    table = pd.DataFrame(rows, columns=["name", "n_matches", "n_docs"])
    table = table.sort_values(["n_matches", "name"], ascending=[False, True], kind="stable")
    return table.head(top_n).reset_index(drop=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(_NAME_WORDS, max_size=10).map(" ".join)),
                max_size=8))
def test_the_fast_name_counts_equal_the_reference(rows):
    table = pd.DataFrame({"doc_id": [d for d, _ in rows], "text": [t for _, t in rows]}, dtype=object)
    same_as_reference(table, words={"congress", "x-ray", "Congress", "ongress", "1990s", "\u00e9tat", ""})


def test_the_fast_name_counts_equal_the_reference_on_real_speeches_and_missing_text():
    from corpuslab import segment
    from corpuslab.resources import resolve_path

    speeches = pd.read_parquet(resolve_path("data/raw/ungdc-chn-rus-usa/speeches.parquet")).head(40)
    table = segment.sentences(speeches[["doc_id", "text"]], mode="blank")
    missing = pd.DataFrame({"doc_id": ["x", None], "text": [None, "Then Congress."]})
    table = pd.concat([table[["doc_id", "text"]], missing])
    same_as_reference(table)
    assert names.name_counts(table)[0]["United Nations"] > 0


def test_frequent_names_on_real_corpora_in_five_languages_equal_the_reference():
    from corpuslab import corpus, segment, tokens
    from corpuslab.resources import resolve_path

    stop = tokens.stopword_list("english")
    for path in ("data/raw/china-russia", "data/raw/ungdc-chn-rus-usa/speeches.parquet", "tests/fixtures/udhr"):
        documents = corpus.load(resolve_path(path))
        table = segment.sentences(documents[["doc_id", "text"]].iloc[::3], mode="blank")
        counts, docs, lower = names.name_counts(table)
        expected = reference_frequent_names(counts, docs, lower, 3, 30, {w.lower() for w in stop})
        assert names.frequent_names(table, stopwords=stop).equals(expected) and len(expected)


def test_the_name_pattern_with_its_capital_first_finds_the_runs_of_the_lookbehind_pattern():
    import re

    word = r"[A-Z][\w'.-]*\w|[A-Z]"
    plain = re.compile(rf"(?<![\w'-])(?:{word})(?:\s(?:(?:of\sthe|of|de|von|van|al|bin)\s)?(?:{word}))*")
    text = "x-Ray O'Brien's A. B. Smith-Jones, 'Union' of the People of the\nWorld; al-Qaeda's bin Laden. É Q"
    assert names._NAME.findall(text) == plain.findall(text) and len(plain.findall(text)) > 5
