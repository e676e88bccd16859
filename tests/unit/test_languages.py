"""Languages: detection, tokens, stopwords, stems, sentences, KWIC and keyness outside English, on the UDHR fixture
(tests/fixtures/udhr: the preamble and 30 articles in English, German, French, Russian and Chinese)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import corpus, keyness, kwic, languages, lexdiv, params, segment, tokens, workflow
from corpuslab.errors import CorpuslabError
from corpuslab.resources import PROJECT_ROOT

UDHR = PROJECT_ROOT / "tests" / "fixtures" / "udhr"


@pytest.fixture(scope="module")
def udhr() -> pd.DataFrame:
    documents = corpus.load(UDHR)
    return documents.assign(language=languages.document_languages(documents).to_numpy())


def test_detection_is_right_for_every_udhr_article_in_five_languages(udhr):
    by_language = udhr.assign(right=udhr["language"] == udhr["true_language"]).groupby("true_language")["right"]
    assert by_language.size().to_dict() == {"de": 31, "en": 31, "fr": 31, "ru": 31, "zh": 31}
    assert by_language.mean().to_dict() == {"de": 1.0, "en": 1.0, "fr": 1.0, "ru": 1.0, "zh": 1.0}  # measured: 155/155


def test_detection_reads_a_bounded_prefix_and_leaves_letterless_text_undetermined():
    german_then_english = "Alle Menschen sind frei und gleich an Würde und Rechten geboren. " + "The " * 1000
    assert languages.detect_one(german_then_english, prefix=60) == "de"
    assert languages.detect([" 2024 ", "", None]) == ["und", "und", "und"]


def _py3langid_code(text: str, prefix: int = languages.DETECT_PREFIX) -> str:
    """What detection was before its automaton walks were batched: py3langid's classify, text by text."""
    sample = (text if isinstance(text, str) else "").strip()[:prefix]
    if not languages._ENOUGH_LETTERS.match(sample):
        return languages.UNDETERMINED
    code = languages._identifier().classify(sample)[0]
    return languages.ALIASES.get(code, code)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.sampled_from("aeinrstAEZ éüßжязыклова中文人権\n .,!1-'ΣÖİ"), max_size=700), max_size=12))
def test_batched_detection_gives_py3langid_classify_of_every_text(texts):
    assert languages.detect(texts) == [_py3langid_code(t) for t in texts]
    assert languages.detect(texts, prefix=40) == [_py3langid_code(t, 40) for t in texts]


def test_batched_detection_equals_py3langid_on_the_udhr_articles(udhr):
    texts = udhr["text"].tolist() + [t.upper() for t in udhr["text"]]  # upper-case text is lowered first
    assert languages.detect(texts) == [_py3langid_code(t) for t in texts]


def test_a_metadata_language_column_wins_and_a_fixed_language_applies_to_all():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["The vote.", "Голосование прошло.", "Die Wahl."],
                         "language": ["EN", "", "klingon"]})
    assert languages.document_languages(docs).tolist() == ["en", "ru", "de"]
    assert languages.document_languages(docs, "fr").tolist() == ["fr"] * 3
    with pytest.raises(CorpuslabError, match="corpus.language: got 'xx'; allowed: auto, or one of en, ar"):
        languages.document_languages(docs, "xx")


def test_params_list_every_language_and_stopword_list():
    language, stopwords = params.BY_KEY["corpus.language"], params.BY_KEY["tokens.stopwords"]
    assert language.default == "auto" and {"en", "ru", "zh", "de", "fr", "es", "ar"} <= set(language.choices)
    assert stopwords.default == "auto" and len(stopwords.choices) == 3 + 29  # auto, english-extended, none, NLTK's
    assert "zh (chinese)" in language.help and "russian" in stopwords.help


def test_chinese_tokens_are_jiebas_words():
    import jieba

    for sentence in ["中国和俄罗斯加强了战略伙伴关系。", "人人有权享有生命、自由和人身安全。",
                     "北约东扩威胁俄罗斯的安全"]:
        expected = [w for w in jieba.lcut(sentence) if tokens.TOKEN_PATTERN.fullmatch(w)]
        assert tokens.tokenize(sentence, language="zh", lowercase=False) == expected
    assert tokens.tokenize("中国和俄罗斯加强了战略伙伴关系。", language="zh")[:3] == ["中国", "和", "俄罗斯"]
    english_rules = tokens.tokenize("中国和俄罗斯加强了战略伙伴关系。")
    assert english_rules == ["中国和俄罗斯加强了战略伙伴关系"]  # one run of letters


def test_unicode_word_rules_take_cyrillic_greek_arabic_and_devanagari_marks():
    assert tokens.tokenize("Россия и Китай, 2024", language="ru") == ["россия", "и", "китай", "2024"]
    assert tokens.tokenize("Η Ελλάδα και η Κύπρος", language="el") == ["η", "ελλάδα", "και", "η", "κύπρος"]
    assert tokens.tokenize("السلام عليكم", language="ar") == ["السلام", "عليكم"]  # unvocalised Arabic


@pytest.mark.xfail(strict=True, reason="TOKEN_PATTERN has no class of combining marks: Indic vowel signs and Arabic "
                                       "harakat (Mn, Mc) split words; Bengali, Nepali and Hindi are not supported")
def test_combining_marks_stay_inside_words():
    assert tokens.tokenize("भारत और चीन") == ["भारत", "और", "चीन"]


def _mixed_texts(udhr):
    sample = udhr.groupby("true_language").head(6)
    return sample["text"].tolist(), sample["language"].tolist()


def test_the_stream_equals_the_reference_runs_and_spans_in_every_language(udhr):
    texts, langs = _mixed_texts(udhr)
    stream = tokens.token_stream(texts, spans=True, languages=langs)
    at = 0
    for text, lang, n in zip(texts, langs, stream.lengths):
        ids, spans = stream.ids[at:at + n], stream.spans[at:at + n]
        at += n
        runs = tokens.token_runs(text, lowercase=False, language=lang)
        assert [stream.types[i] for i in ids if i >= 0] == [t for run in runs for t in run]
        assert np.sum(ids < 0) >= len(runs) - 1
        assert [tuple(s) for s, i in zip(spans.tolist(), ids) if i >= 0] == tokens.token_spans(text, language=lang)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="中国和俄罗斯加强了战略伙伴关系 Putin,。-'e\u0301", max_size=30), max_size=4))
def test_segmented_stream_equals_tokenize_on_any_text(texts):
    langs = ["zh" if i % 2 == 0 else "en" for i in range(len(texts))]
    stream = tokens.token_stream(texts, languages=langs)
    at = 0
    for text, lang, n in zip(texts, langs, stream.lengths):
        found = [stream.types[i] for i in stream.ids[at:at + n] if i >= 0]
        at += n
        assert found == tokens.tokenize(text, lowercase=False, language=lang)


def test_mixed_dtm_equals_countvectorizer_over_tokenize_with_each_documents_stopwords_and_stems(udhr):
    from sklearn.feature_extraction.text import CountVectorizer

    texts, langs = _mixed_texts(udhr)
    options = workflow.tokenizer(params.validate({"tokens.stem": "snowball", "tokens.lemmatize": True}))
    X, terms = tokens.dtm(texts, languages=langs, **options)
    reference = CountVectorizer(analyzer=lambda pair: tokens.tokenize(pair[0], language=pair[1], **options))
    expected = reference.fit_transform(list(zip(texts, langs)))
    assert list(terms) == list(reference.get_feature_names_out()) and (X != expected).nnz == 0


def test_english_only_dtm_is_unchanged_by_the_language_machinery(udhr):
    english = udhr[udhr["language"] == "en"]["text"].tolist()
    options = workflow.tokenizer(params.validate({}))
    X, terms = tokens.dtm(english, languages=["en"] * len(english), **options)
    before_X, before_terms = tokens.dtm(english, stopwords=tokens.stopword_list("english-extended"),
                                        min_length=2, keep_numbers=False)
    assert list(terms) == list(before_terms) and (X != before_X).nnz == 0


def _top_terms(udhr, code, n=15):
    docs = udhr[udhr["language"] == code]
    X, terms = workflow.dtm(params.validate({}), docs["text"], languages=docs["language"])
    return list(terms[np.argsort(-np.asarray(X.sum(axis=0)).ravel(), kind="stable")[:n]])


def test_german_and_french_top_terms_are_free_of_function_words(udhr):
    german, french = _top_terms(udhr, "de"), _top_terms(udhr, "fr")
    assert {"recht", "anspruch", "freiheit", "menschen"} <= set(german)
    assert not {"der", "die", "und", "auf", "in", "zu", "den", "des", "hat", "ist"} & set(german)
    assert {"droit", "toute", "homme"} <= set(french)  # "l'homme" counts as homme
    assert not {"de", "la", "le", "les", "et", "à", "des", "l'homme", "d'une", "qu'il"} & set(french)


def test_russian_keyness_and_kwic_work_in_cyrillic(udhr):
    russian = udhr[udhr["language"] == "ru"].reset_index(drop=True)
    X, terms = workflow.dtm(params.validate({}), russian["text"], languages=russian["language"])
    target = russian["article"].astype(int).between(1, 15).to_numpy()
    table = keyness.keyness(X, terms, target, min_count=3)
    top = table["term"].head(5).tolist()
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in t) for t in top)
    assert not set(top) & tokens.stopword_list("russian")
    hits = kwic.kwic(russian, "ДЕКЛАРАЦИИ", window=3)
    assert len(hits) > 0 and set(hits["keyword"]) == {"Декларации"}
    for _, hit in hits.iterrows():
        assert russian.set_index("doc_id").loc[hit["doc_id"], "text"][hit["start"]:hit["end"]] == "Декларации"


def test_chinese_kwic_matches_a_word_and_a_query_of_several_words_at_the_right_offsets():
    docs = pd.DataFrame({"doc_id": ["a", "b"],
                         "text": ["中国和俄罗斯加强了战略伙伴关系。俄罗斯总统访问中国。", "Russia and China."],
                         "language": ["zh", "en"]})
    word = kwic.kwic(docs, "俄罗斯", window=1)
    assert word["keyword"].tolist() == ["俄罗斯", "俄罗斯"] and word["doc_id"].tolist() == ["a", "a"]
    phrase = kwic.kwic(docs, "战略伙伴关系")  # segmented like the documents: two tokens in a row
    assert phrase["keyword"].tolist() == ["战略伙伴关系"]
    assert (phrase["start"].iloc[0], phrase["end"].iloc[0]) == (9, 15)


def test_sentences_outside_english_end_at_sentence_final_punctuation():
    docs = pd.DataFrame({"doc_id": ["ru", "zh", "en"],
                         "text": ["Все люди рождаются свободными. Они наделены разумом!",
                                  "人人有权享有生命。人人有权工作！", "Mr. Xi spoke. Talks went well."],
                         "language": ["ru", "zh", "en"]})
    found = segment.sentences(docs)
    assert found["text"].tolist() == ["Все люди рождаются свободными.", "Они наделены разумом!", "人人有权享有生命。",
                                      "人人有权工作！", "Mr. Xi spoke.", "Talks went well."]
    assert all(docs.set_index("doc_id").loc[d, "text"][a:b] == t
               for d, a, b, t in found[["doc_id", "start", "end", "text"]].itertuples(index=False))


def test_flesch_is_computed_for_english_documents_only(udhr):
    sample = udhr.groupby("true_language").head(2)
    table = lexdiv.lexdiv(sample)
    english = (sample["language"] == "en").to_numpy()
    assert table["flesch"][english].notna().all() and table["flesch"][~english].isna().all()
    assert (table["n_tokens"] > 0).all()


def test_stems_and_lemmas_follow_the_language_and_skip_what_they_cannot_do():
    assert tokens.tokenize("Rechte Menschen", language="de", stem="snowball") == ["recht", "mensch"]
    assert tokens.tokenize("подписали соглашения", language="ru", lemmatize=True) == ["подписать", "соглашение"]
    unchanged = tokens.tokenize("伙伴关系", language="zh", stem="snowball", lemmatize=True)
    assert unchanged == ["伙伴关系"]  # neither for Chinese


def test_language_table_counts_documents_and_tokens_and_names_unsupported_languages():
    docs = pd.DataFrame({"language": ["en", "zh", "en", "bn"]})
    table = languages.language_table(docs, [10, 4, 6, 3])
    assert table[["language", "n_documents", "n_tokens"]].values.tolist() == [["en", 2, 16], ["bn", 1, 3], ["zh", 1, 4]]
    assert table.set_index("language").loc["zh", "treatment"].startswith("words segmented by jieba")
    assert "Not supported: bn" in languages.language_note(table)


def test_language_is_a_default_grouping_only_with_two_languages_of_two_documents_or_more():
    from corpuslab import groups

    docs = pd.DataFrame({"doc_id": list("abcde"), "language": ["en", "en", "en", "en", "bcl"]})
    assert groups.default_groups(docs) == []  # one misdetected speech makes no grouping
    assert groups.default_groups(docs.assign(language=["en", "en", "ru", "ru", "zh"])) == ["language"]


def test_topic_windows_count_chinese_words():
    from corpuslab import topics

    docs = pd.DataFrame({"doc_id": ["a"], "text": ["中国和俄罗斯加强了战略伙伴关系"], "language": ["zh"]})
    assert topics.window_units(docs, size=3)["text"].tolist() == ["中国和俄罗斯", "加强了战略伙伴", "关系"]


JAPANESE = "日本とロシアは経済協力を強化した。プーチン大統領が東京を訪問した。"


def test_japanese_is_segmented_by_janome_in_tokenize_and_in_the_stream_at_the_right_offsets():
    from janome.tokenizer import Tokenizer

    words = tokens.tokenize(JAPANESE, language="ja", lowercase=False)
    reference = [w for w in Tokenizer(wakati=True).tokenize(JAPANESE) if tokens.TOKEN_PATTERN.fullmatch(w)]
    assert words == reference and "ロシア" in words and "プーチン" in words and "大統領" in words
    stream = tokens.token_stream([JAPANESE, "中国和俄罗斯加强了战略伙伴关系。", JAPANESE], spans=True,
                                 languages=["ja", "zh", "en"])
    ids, spans = stream.ids, stream.spans
    first = [(stream.types[i], JAPANESE[a:b]) for i, (a, b) in zip(ids[:stream.lengths[0]], spans) if i >= 0]
    assert [t for t, _ in first] == reference and all(t == text for t, text in first)
    chinese = [stream.types[i] for i in ids[stream.lengths[0]:stream.lengths[0] + stream.lengths[1]] if i >= 0]
    assert chinese == tokens.tokenize("中国和俄罗斯加强了战略伙伴关系。", language="zh", lowercase=False)  # jieba
    assert tokens.language_stopwords("ja") == frozenset() and languages.is_supported("ja")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a Z_1٣\n.é中ß\u0301-")), max_size=8))
def test_letter_count_check_equals_counting_letters(text):
    counted = len(languages._LETTER.findall(text)) >= languages.MIN_LETTERS
    assert bool(languages._ENOUGH_LETTERS.match(text)) == counted
