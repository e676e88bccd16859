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
