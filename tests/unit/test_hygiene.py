"""Real-text hygiene on corpora we did not design for (issue #18): encodings, file-name metadata,
hidden files, hard-wrapped paragraphs, common lines, near-duplicate paragraphs."""

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpuslab import cleaning, corpus, encodings, segment
from corpuslab.errors import CorpuslabError
from corpuslab.resources import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared"


def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} is not here")
    return path


def _unzip_folder(zip_name: str, folder: Path) -> Path:
    """The .txt files of an NLTK corpus zip, as a folder corpus (bytes unchanged)."""
    with zipfile.ZipFile(_shared(f"nltk_data/corpora/{zip_name}")) as z:
        for name in z.namelist():
            if name.endswith(".txt") and not name.endswith("README.txt"):
                (folder / Path(name).name).write_bytes(z.read(name))
    return folder


@pytest.fixture(scope="module")
def state_union(tmp_path_factory):
    return _unzip_folder("state_union.zip", tmp_path_factory.mktemp("sotu"))


def test_state_of_the_union_stray_bytes_are_decoded_not_tokens(state_union):
    """Six files (Nixon 1970-74, Eisenhower 1954) hold Big5 punctuation (\\xa1X for a dash): read as
    latin-1 it made tokens 'xand', 'xthe', 'xwith'. auto reads them as Big5, the rest as UTF-8."""
    with pytest.raises(CorpuslabError, match=r"1954-Eisenhower\.txt.*not valid utf-8"):
        corpus.load(state_union, encoding="utf-8")
    docs = corpus.load(state_union).set_index("doc_id")["text"]
    assert len(docs) == 65
    assert "peace\u2014with what we can do" in docs["1974-Nixon"]
    assert "what man\u2019s genius" in docs["1970-Nixon"]
    report = corpus.encoding_report(state_union)
    assert set(report["file"]) == {"1954-Eisenhower.txt", "1970-Nixon.txt", "1971-Nixon.txt", "1972-Nixon.txt",
                                   "1973-Nixon.txt", "1974-Nixon.txt"}
    assert set(report["encoding"]) == {"big5"}
    latin = corpus.load(state_union, encoding="latin-1").set_index("doc_id")["text"]
    assert "\xa1Xwith" in latin["1974-Nixon"]  # what the old advice did


def test_undecodable_bytes_become_replacement_characters_and_are_counted():
    from corpuslab import tokens

    text, n_bad = encodings.decode_replacing(b"xand \xa1Xwith caf\xc3 ok \xef\xbf\xbd")
    assert n_bad == 2 and text.count("\ufffd") == 3
    assert "\ufffd" not in "".join(tokens.tokenize(text, stopwords=frozenset()))


@given(st.text(min_size=1, max_size=200).filter(lambda t: "\x00" not in t))
def test_auto_reads_any_utf8_text_unchanged(text):
    decoded, used, n_bad = encodings.decode(text.encode("utf-8"), "auto", "x.txt")
    assert (decoded, n_bad) == (text.replace("\r\n", "\n").replace("\r", "\n"), 0)
    assert used in ("utf-8", "utf-8-sig")


def test_hidden_files_are_skipped_and_listed(tmp_path):
    (tmp_path / "a.txt").write_text("Real text.", encoding="utf-8")
    (tmp_path / "._a.txt").write_bytes(b"\x00\x05\x16\x07 resource fork")
    (tmp_path / ".draft.txt").write_text("Hidden draft.", encoding="utf-8")
    assert corpus.load(tmp_path)["doc_id"].tolist() == ["a"]
    report = corpus.encoding_report(tmp_path)
    assert sorted(report.loc[report["encoding"] == "hidden: skipped", "file"]) == ["._a.txt", ".draft.txt"]
    assert [Path(f).name for f, *_ in corpus.source_stamp(tmp_path)] == ["a.txt"]


def test_inaugural_file_names_give_year_and_president(tmp_path):
    folder = _unzip_folder("inaugural.zip", tmp_path)
    docs = corpus.load(folder, filename_fields=["year", "president"]).set_index("doc_id")
    assert len(docs) == 59  # every address in NLTK's zip; a folder without metadata.csv loads, ids from file names
    assert docs.loc["1961-Kennedy", ["year", "president", "date", "date_precision"]].tolist() == \
        ["1961", "Kennedy", "1961", "year"]


def test_a_file_name_with_the_wrong_number_of_fields_is_named(state_union):
    with pytest.raises(CorpuslabError, match=r"1965-Johnson-1\.txt.*3 fields.*2 named.*year, president"):
        corpus.load(state_union, filename_fields=["year", "president"])


def test_filename_separator_is_configurable(tmp_path):
    (tmp_path / "1961_Kennedy.txt").write_text("Ask not.", encoding="utf-8")
    docs = corpus.load(tmp_path, filename_fields=["year", "president"], filename_separator="_")
    assert docs.loc[0, "president"] == "Kennedy"


def test_metadata_csv_wins_over_file_name_fields(tmp_path):
    (tmp_path / "1961-Kennedy.txt").write_text("Ask not.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,president\n1961-Kennedy,John F. Kennedy\n", encoding="utf-8")
    docs = corpus.load(tmp_path, filename_fields=["year", "president"])
    assert docs.loc[0, ["year", "president"]].tolist() == ["1961", "John F. Kennedy"]


# --- paragraphs -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def un_sample():
    import pyarrow.parquet as pq

    table = pq.ParquetFile(_shared("corpus/ungdc/ungdc.parquet")).read_row_groups([5, 9], columns=["doc_id", "text"])
    return table.to_pandas()


def test_hard_wrapped_un_speeches_are_reflowed_into_paragraphs(un_sample):
    wrapped = un_sample[[segment.is_hard_wrapped(t) for t in un_sample["text"]]]
    assert len(wrapped) >= 100
    for text in wrapped["text"].head(200):
        auto, line = segment.paragraph_spans(text, "auto"), segment.paragraph_spans(text, "line")
        assert len(auto) * 2 <= len(line)  # far fewer units than one per wrapped line
        words = [len(text[a:b].split()) for a, b in auto]
        assert sorted(words)[len(words) // 2] >= 20  # the median paragraph is a paragraph, not a line


def test_unwrapped_text_keeps_one_paragraph_per_line(un_sample):
    flowing = [t for t in un_sample["text"] if not segment.is_hard_wrapped(t)]
    assert flowing
    for text in flowing[:50]:
        assert segment.paragraph_spans(text, "auto") == segment.paragraph_spans(text, "line")


def test_bundled_corpus_paragraphs_are_unchanged_by_auto():
    from corpuslab.resources import BUNDLED_CORPUS

    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    for text in docs["text"]:
        assert segment.paragraph_spans(text, "auto") == segment.paragraph_spans(text, "line")


@given(st.lists(st.sampled_from(["word", "words.", "a", "\n", "\n\n", " ", "  ", "1. ", "end!"]), max_size=60))
def test_auto_spans_are_ordered_trimmed_and_cover_every_word(pieces):
    text = " ".join(pieces)
    spans = segment.paragraph_spans(text, "auto")
    assert all(a < b and b <= c for (a, b), (c, _) in zip(spans, spans[1:]))
    assert all(text[a:b] == text[a:b].strip() and text[a:b] for a, b in spans)
    assert " ".join(text[a:b] for a, b in spans).split() == text.split()


# --- common lines and near-duplicate paragraphs ----------------------------------------------------------

def test_state_of_the_union_furniture_and_applause_are_removed_with_their_rules(state_union):
    """"(Applause.)" was the strongest Republican key term: it follows sentences inside paragraphs."""
    docs = corpus.load(state_union)
    assert {"ALL WEB RESOURCES >>", "Campaign Finance Database"} <= cleaning.common_lines(docs["text"])
    cleaned = cleaning.clean(docs)
    assert not cleaned["text"].str.contains("(Applause.)", regex=False).any()
    assert cleaned.set_index("doc_id").loc["2006-GWBush", "text"].count("Coretta Scott King.") == 1
    removed = cleaning.removed_lines(cleaned)
    assert len(removed) == int(cleaned["n_lines_removed"].sum())
    counts = removed["rule"].value_counts()
    assert counts["stage_direction"] >= 380 and counts["common_line"] >= 10
    assert set(removed.loc[removed["rule"] == "stage_direction", "text"].str.lower()) <= \
        {"(applause.)", "(applause)", "(laughter.)", "(laughter)", "(laughter and applause.)"}


def test_a_line_in_few_documents_is_not_common():
    texts = ["Header\nA."] * 2 + [f"Body {i}." for i in range(98)]
    assert cleaning.common_lines(texts) == frozenset()  # 2 documents: under both thresholds
    assert cleaning.common_lines([f"Header\nA{i}." for i in range(5)] + [f"Body {i}." for i in range(95)]) == {"Header"}


def test_near_duplicate_paragraphs_are_flagged_not_removed():
    body = "The committee agreed to raise the budget for rural schools by ten per cent next year."
    units = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "unit_id": [0, 1, 2, 0],
                          "text": [body, "Something else entirely, about the weather in spring and rain.",
                                   "Summary: " + body.lower(), body]})
    flagged = segment.near_duplicates(units)
    assert flagged[["doc_id", "unit_id", "same_as"]].values.tolist() == [["a", 2, 0]]
    assert flagged["similarity"].iloc[0] >= 0.8
