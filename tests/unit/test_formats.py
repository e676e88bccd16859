"""Reading PDF, DOCX, HTML and Markdown: the same speech in each format gives the same tokens as the .txt after
cleaning; document properties; each reason a file cannot be read; the PDF line-joining rules."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpuslab import cleaning, corpus, formats, tokens
from corpuslab.errors import CorpuslabError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SPEECH = {"title": "Inaugural Address", "author": "John F. Kennedy", "date": "1961-01-20"}


def _cleaned_tokens(text: str) -> list[str]:
    cleaned = cleaning.clean(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    return tokens.tokenize(cleaned["text"].iat[0])


@pytest.mark.parametrize("name", ["kennedy.pdf", "kennedy.docx", "kennedy.html", "kennedy.md"])
def test_each_format_gives_the_tokens_of_the_txt(name):
    expected = _cleaned_tokens((FIXTURES / "kennedy.txt").read_text(encoding="utf-8"))
    extracted = formats.read((FIXTURES / name).read_bytes(), formats.FORMATS[Path(name).suffix], name)
    assert len(expected) == 1366  # every word of the speech, hand-checked against NLTK's inaugural/1961-Kennedy.txt
    assert _cleaned_tokens(extracted.text) == expected


@pytest.mark.parametrize("name, expected", [
    ("kennedy.pdf", {**SPEECH, "pages": 3}),
    ("kennedy.docx", SPEECH),
    ("kennedy.html", {**SPEECH, "author": "John F Kennedy"}),  # trafilatura drops the initial's full stop
    ("kennedy.md", SPEECH),
])
def test_properties_are_read(name, expected):
    extracted = formats.read((FIXTURES / name).read_bytes(), formats.FORMATS[Path(name).suffix], name)
    assert extracted.properties == expected


def test_pdf_keeps_pages_and_the_cleaning_report_counts_its_furniture():
    text = formats.read((FIXTURES / "kennedy.pdf").read_bytes(), "pdf", "kennedy.pdf").text
    assert text.count(formats.PAGE_BREAK) == 3
    assert formats.page_at(text, text.index("Vice President Johnson")) == 1
    assert formats.page_at(text, text.index("instruments of war have far outpaced")) == 2
    assert formats.page_at(text, text.index("God's work must truly be our own")) == 3
    assert "generation" in text and "gener-" not in text  # the typesetter's hyphen removed
    assert "self-destruction" in text  # the lexical one kept
    removed = cleaning.removed_lines(pd.DataFrame({"doc_id": ["k"], "text": [text]}))
    assert removed["rule"].tolist() == ["page_furniture"] * 6  # 3 running headers, 3 page numbers
    assert sorted(removed["text"].unique()) == ["1", "2", "3", "Inaugural Address of John F. Kennedy, 20 January 1961"]


def test_html_leaves_out_navigation_scripts_comments_and_banners():
    text = formats.read((FIXTURES / "kennedy.html").read_bytes(), "html", "kennedy.html").text
    for boilerplate in ("Politics", "cookies", "Subscribe", "Great speech", "Related stories", "All rights reserved",
                        "analytics", "font-family"):
        assert boilerplate not in text


@pytest.mark.parametrize("name, reason", [
    ("encrypted.pdf", "encrypted"),
    ("scanned.pdf", "no text layer"),
    ("truncated.docx", "damaged"),
    ("empty.html", "no main text"),
])
def test_each_failure_has_its_reason(name, reason):
    with pytest.raises(formats.Unreadable, match=reason):
        formats.read((FIXTURES / "unreadable" / name).read_bytes(), formats.FORMATS[Path(name).suffix], name)


def test_a_mixed_folder_loads_with_formats_properties_and_unreadable_files(tmp_path):
    for path in [*FIXTURES.glob("kennedy.*"), *(FIXTURES / "unreadable").iterdir()]:
        shutil.copy(path, tmp_path)
    (tmp_path / "README.md").write_text("# About this folder\n", encoding="utf-8")  # documentation, not a document
    documents = corpus.load(tmp_path)
    assert documents["doc_id"].tolist() == [f"kennedy.{s}" for s in ("docx", "html", "md", "pdf", "txt")]
    assert documents["format"].tolist() == ["docx", "html", "md", "pdf", "txt"]
    assert documents["date"].tolist() == ["1961-01-20"] * 4 + [""]
    assert documents["pages"].tolist()[3] == 3 and documents["pages"].isna().sum() == 4
    unreadable = corpus.unreadable_report(tmp_path)
    assert unreadable["file"].tolist() == ["empty.html", "encrypted.pdf", "scanned.pdf", "truncated.docx"]
    assert formats.format_counts(documents, unreadable)["n_unreadable"].tolist() == [1, 1, 0, 2, 0]


def test_metadata_csv_wins_over_properties_where_it_has_a_value(tmp_path):
    shutil.copy(FIXTURES / "kennedy.pdf", tmp_path / "a.pdf")
    shutil.copy(FIXTURES / "kennedy.docx", tmp_path / "b.docx")
    (tmp_path / "metadata.csv").write_text("source_file,date,party\na.pdf,1961,D\nb.docx,,D\n", encoding="utf-8")
    documents = corpus.load(tmp_path)
    assert documents["date"].tolist() == ["1961", "1961-01-20"]  # the CSV's year; the DOCX's own date where empty
    assert documents["date_precision"].tolist() == ["year", "day"]


def test_a_txt_folder_gains_no_columns(tmp_path):
    (tmp_path / "a.txt").write_text("Plain text.", encoding="utf-8")
    assert corpus.load(tmp_path).columns.tolist() == ["doc_id", "text", "source_file"]


def test_a_folder_where_nothing_can_be_read_is_refused_with_the_reason(tmp_path):
    shutil.copy(FIXTURES / "unreadable" / "encrypted.pdf", tmp_path)
    shutil.copy(FIXTURES / "unreadable" / "scanned.pdf", tmp_path)
    with pytest.raises(CorpuslabError, match=r"no file can be read \(encrypted.pdf: encrypted.*; and 1 more\)"):
        corpus.load(tmp_path)


def test_docx_tables_are_read_in_document_order():
    import docx

    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "Year", (0, 1): "Tonnes", (1, 0): "1961", (1, 1): "40"}.items():
        table.cell(row, col).text = value
    document.add_paragraph("After the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert formats.read(buffer.getvalue(), "docx", "t.docx").text == \
        "Before the table.\n\nYear\tTonnes\n\n1961\t40\n\nAfter the table."


def test_markdown_syntax_is_removed():
    markdown = ("---\ntitle: Notes\ndate: 2021-03\n---\n# A *heading*\n\nText with a [link](http://x.org) and "
                "`code`,\nwrapped.\n\n- one\n- two\n\n> quoted\n")
    extracted = formats.read(markdown.encode(), "md", "n.md")
    assert extracted.text == "A heading\n\nText with a link and code, wrapped.\n\none\n\ntwo\n\nquoted"
    assert extracted.properties == {"title": "Notes", "date": "2021-03"}


@pytest.mark.parametrize("lines, joined", [
    (["a new gener-", "ation"], "a new generation"),                  # the typesetter's hyphen
    (["the self-", "destruction"], "the self-destruction"),           # a prefix that keeps its hyphen
    (["the Anglo-", "Saxon world"], "the Anglo-Saxon world"),         # a capital after the hyphen
    (["in 1960-", "61"], "in 1960-61"),                               # a digit
    (["freedom --", "symbolizing"], "freedom -- symbolizing"),        # a dash, not a hyphen
    (["one", "", "two"], "one two"),
])
def test_join_lines(lines, joined):
    assert formats.join_lines(lines) == joined


def test_the_document_decides_a_hyphen_it_spells_elsewhere():
    assert formats.join_lines(["co-", "operation"], hyphenated={"co-operation"}) == "co-operation"
    assert formats.join_lines(["self-", "less"], joined={"selfless"}) == "selfless"


def test_page_furniture_needs_repetition_or_a_page_number():
    pages = ["Header\nBody one.\n- 1 -", "Header\nBody two.\n- 2 -", "Other top\nBody three.\nPage 3 of 3"]
    text = "".join(f"{page}\n\f\n" for page in pages)
    lines = text.split("\n")
    assert sorted(lines[i] for i in cleaning.page_furniture(text)) == ["- 1 -", "- 2 -", "Header", "Header",
                                                                      "Page 3 of 3"]
    assert cleaning.page_furniture("Header\nBody.\n1\nHeader") == frozenset()  # not paged: a .txt is untouched


def test_kwic_hits_in_a_pdf_know_their_page():
    from corpuslab import kwic

    text = formats.read((FIXTURES / "kennedy.pdf").read_bytes(), "pdf", "kennedy.pdf").text
    documents = cleaning.clean(pd.DataFrame({"doc_id": ["k"], "text": [text], "pages": [3]}))
    hits = formats.with_pages(kwic.kwic(documents, ["sovereign", "outpaced", "forge"], sort="position"), documents)
    assert hits[["keyword", "page"]].values.tolist() == [["sovereign", 1], ["outpaced", 2], ["forge", 3]]


def test_page_furniture_of_a_un_transcript_and_a_lone_pronoun():
    # the UN General Debate texts keep their PDFs' page breaks: the document symbol and job number are furniture
    pages = ["15-29425 31/34\nThe Assembly met.\nA/70/PV.15 28/09/2015", "15-29425 32/34\nI\nA/70/PV.15 28/09/2015"]
    text = "".join(f"{page}\n\f\n" for page in pages)
    lines = text.split("\n")
    assert [lines[i] for i in sorted(cleaning.page_furniture(text))] == [
        "15-29425 31/34", "A/70/PV.15 28/09/2015", "15-29425 32/34", "A/70/PV.15 28/09/2015"]  # not the pronoun "I"


@given(st.lists(st.text(alphabet="abcdefgh", min_size=2, max_size=12), min_size=1, max_size=10), st.data())
def test_breaking_a_word_across_lines_and_joining_gives_the_text_back(words, data):
    i = data.draw(st.integers(0, len(words) - 1))
    cut = data.draw(st.integers(1, len(words[i]) - 1))
    broken = [" ".join(words[:i] + [words[i][:cut] + "-"]), " ".join([words[i][cut:]] + words[i + 1:])]
    assert formats.join_lines(broken) == " ".join(words)  # no prefix of LEXICAL_PREFIXES can be made of a-h
    kept = formats.join_lines(broken, hyphenated={f"{words[i][:cut]}-{words[i][cut:]}"})
    assert kept == " ".join(words[:i] + [words[i][:cut] + "-" + words[i][cut:]] + words[i + 1:])
