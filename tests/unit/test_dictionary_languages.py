"""One actor and theme dictionary for English, Russian and Chinese: inflected Cyrillic forms, Cyrillic case
folding, capitals-only abbreviations in any script, and Chinese terms in text with and without spaces.
Every expected count is a hand count of the sentence."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _screen, dictionary, tokens


def units(*texts):
    return pd.DataFrame({"doc_id": ["d"] * len(texts), "unit_id": range(len(texts)), "text": list(texts)})


@pytest.fixture(scope="module")
def actors():
    return dictionary.load(dictionary.ACTORS)


@pytest.fixture(scope="module")
def themes():
    return dictionary.load(dictionary.THEMES)


def counts(table, dictionary_):
    found = dictionary.count(table, dictionary_).groupby("entry", sort=False)["n_matches"].sum()
    return {entry: int(n) for entry, n in found.items()}


@pytest.mark.parametrize("text", [
    "Vladimir Putin met Xi in Beijing.",
    "Владимир Путин встретился с Си Цзиньпином в Пекине.",
    "普京在北京会见了习近平。",                      # Chinese as written: no spaces between words
    "普京 在 北京 会见 了 习近平 。",                 # the same, segmented into words (as jieba writes it)
])
def test_one_mention_of_putin_and_xi_in_each_language(actors, text):
    found = counts(units(text), actors)
    assert found["Vladimir Putin"] == 1 and found["Xi Jinping"] == 1 and found["China"] == 1


@pytest.mark.parametrize("text", ["Китай", "Китая", "Китаю", "Китаем", "Китае", "китайские", "КИТАЙ"])
def test_russian_case_endings_and_case_folding_name_china(actors, text):
    assert counts(units(text), actors) == {"China": 1}


@pytest.mark.parametrize("text, entry", [
    ("Россией", "Russia"), ("России", "Russia"), ("российский", "Russia"), ("Путина", "Vladimir Putin"),
    ("ПУТИНУ", "Vladimir Putin"), ("Соединённых Штатов", "United States"), ("Соединенными Штатами", "United States"),
    ("Белого дома", "United States"), ("Североатлантического альянса", "NATO"),
    ("Совета Безопасности", "United Nations"),
    ("Шанхайской организации сотрудничества", "Shanghai Cooperation Organisation"), ("中華人民共和國", "China"),
    ("俄羅斯", "Russia"), ("北約", "NATO"), ("聯合國", "United Nations"), ("習近平", "Xi Jinping"),
])
def test_inflected_multiword_and_traditional_forms(actors, text, entry):
    assert counts(units(text), actors) == {entry: 1}


def test_capitals_only_abbreviations_are_case_sensitive_in_cyrillic(actors):
    assert counts(units("США и НАТО, ЕС и ООН"), actors) == {"United States": 1, "NATO": 1, "European Union": 1,
                                                               "United Nations": 1}
    assert counts(units("сша нато ес оон"), actors) == {}
    assert dictionary.is_case_sensitive("США") and not dictionary.is_case_sensitive("Китай")


@pytest.mark.parametrize("text", [
    "трамплин",      # not Трамп*
    "газета",        # not газ*: no energy
    "Индонезия",     # not India
    "индивидуальный",
    "запад страны",  # geography, lower case: not the West
    "после",         # "after", not посол (ambassador)
])
def test_no_false_matches_from_russian_stems(actors, themes, text):
    assert counts(units(text), actors) == {} and counts(units(text), themes) == {}


def test_chinese_matches_inside_words_and_latin_names_beside_chinese(actors):
    assert counts(units("中国和俄罗斯加强了战略伙伴关系。"), actors) == {"China": 1, "Russia": 1}
    assert counts(units("中国 和 俄罗斯 加强 了 战略 伙伴 关系 。"), actors) == {"China": 1, "Russia": 1}
    assert counts(units("俄罗斯与NATO会谈"), actors) == {"Russia": 1, "NATO": 1}  # Han characters bound "NATO"
    assert counts(units("NATOs and xNATO"), actors) == {}  # still whole words in Latin script


def test_segmented_text_keeps_words_apart(actors):
    # 其中 国家 ("among them, countries"): as written, 其中国家 contains 中国; once segmented it does not
    assert counts(units("其中国家"), actors) == {"China": 1}
    assert counts(units("其中 国家"), actors) == {}


def test_themes_in_three_languages(themes):
    found = counts(units("Sanctions hit energy.", "Санкции ударили по энергетике.", "制裁打击了能源。"), themes)
    assert found == {"sanctions": 3, "energy": 3}


def test_offsets_slice_the_match_in_chinese_and_russian(actors):
    table = units("普京在北京会见了习近平。", "Путина и Китая")
    found = dictionary.mentions(table, actors)
    for row in found.itertuples():
        assert table["text"][row.unit_id][row.start:row.end] == row.match


def test_a_star_may_end_any_word_of_a_term():
    d = dictionary.from_mapping({"US": ["Соедин* Штат*"], "X": ["econom* growth"]})
    assert counts(units("Соединённых Штатов", "economic growth", "Соединённых"), d) == {"US": 1, "X": 1}
    assert _screen.screens(d["US"])[0] == "(?i)(?:" + "".join(f"\\x{{{ord(c):X}}}" for c in "Соедин") + ")"


_PIECES = st.sampled_from(["Китай", "КИТАЯ", "китаец", "США", "сша", "Соединённых", "Штатов", "Си", "Цзиньпином",
                           "中国", "中國", "习近平", "俄罗斯", "NATO", "North", "Korea", "Xi", "Запад", "запад",
                           "_", "-", " ", "\n", ".", "。", "2024", "é", "\u0301"])


_ACTORS = dictionary.load(dictionary.ACTORS)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=5))
def test_screening_never_drops_a_match_in_any_script(texts):
    table = pd.DataFrame({"doc_id": ["a"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    actors = _ACTORS
    screened = dictionary.mentions(table, actors)
    screens = _screen.screens
    try:
        _screen.screens = lambda entry, unspaced=True: None  # every unit read by every entry's own pattern
        everything = dictionary.mentions(table, actors)
    finally:
        _screen.screens = screens
    pd.testing.assert_frame_equal(screened, everything)


_MIXED = st.sampled_from(["Sino-", "российский", "Китай", "China", "中国", "NATO", "НАТО", "北约", "-", " ", "与",
                          "Xi", "Jinping", "Си", "Цзиньпин", "习近平", "the West", "Запад", "."])


@settings(max_examples=80, deadline=None)
@given(st.lists(_MIXED, max_size=10).map("".join))
def test_scanning_by_script_finds_what_one_pattern_of_all_terms_finds(text):
    d = dictionary.from_mapping({"X": {"terms": ["Sino-*", "China", "Кита*", "российск*", "中国", "NATO", "НАТО",
                                                 "北约", "Xi Jinping", "Xi", "Си Цзиньпин*", "习近平"],
                                       "regex": ["(?<!\\w)the West(?!\\w)", "(?<!\\w)Запад(?!\\w)"]}})
    found = dictionary.mentions(units(text), d)
    reference = [(m.group(0), m.start(), m.end()) for m in d["X"].pattern.finditer(tokens.normalise(text))]
    assert list(zip(found["match"], found["start"], found["end"])) == reference
