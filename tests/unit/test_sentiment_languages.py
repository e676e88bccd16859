"""Sentiment reads English only: which documents are scored, the table and the sentence that say so, and
workflow.document_languages (the language column, else the corpus.language param, else English)."""

from __future__ import annotations

import pandas as pd
import pytest

from corpuslab import sentiment, workflow
from corpuslab.errors import CorpuslabError


def documents(**columns):
    return pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": ["Good.", "Хорошо.", "好。", "Gut."], **columns})


def test_document_languages_reads_the_language_column_first():
    docs = documents(language=["en", "ru", "zh", "de"])
    assert workflow.document_languages({"corpus.language": "fr"}, docs).tolist() == ["en", "ru", "zh", "de"]


@pytest.mark.parametrize("cfg, expected", [({"corpus.language": "ru"}, "ru"), ({"corpus.language": "auto"}, "en"),
                                           ({}, "en")])
def test_document_languages_without_a_column(cfg, expected):
    assert workflow.document_languages(cfg, documents()).tolist() == [expected] * 4


def test_only_english_documents_are_scored():
    scored = sentiment.scored_documents(["a", "b", "c", "d", "e"], ["en", "ru", "zh", "EN-us", float("nan")])
    assert scored["scored"].tolist() == [True, False, False, True, False]
    assert scored["language"].tolist() == ["en", "ru", "zh", "en", ""]
    with pytest.raises(CorpuslabError, match="one per document"):
        sentiment.scored_documents(["a"], ["en", "ru"])


def test_language_summary_counts_documents_and_says_why():
    languages = ["zh", "en", "ru", "ru", "en", None]
    summary = sentiment.language_summary(sentiment.scored_documents(list("abcdef"), languages))
    assert summary[["language", "n_documents", "scored"]].values.tolist() == [
        ["en", 2, True], ["ru", 2, False], ["unknown", 1, False], ["zh", 1, False]]
    why = sentiment.NOT_SCORED_REASON
    assert summary["reason"].tolist() == ["", why, "language unknown", why]


def test_the_note_names_what_is_scored_and_skipped():
    mixed = sentiment.language_note(sentiment.scored_documents(list("abc"), ["en", "ru", "ru"]))
    assert mixed.startswith("Sentiment here is English-only: 1 document in en scored; 2 documents in ru skipped")
    assert "in that language" in mixed
    none = sentiment.language_note(sentiment.scored_documents(list("ab"), ["ru", "zh"]))
    assert "no document is in English, so nothing is scored; 2 documents in ru (1), zh (1) skipped" in none
    english = sentiment.scored_documents(list("ab"), ["en", "en"])
    assert sentiment.language_note(english) == "All 2 documents in en scored."
