"""report: CSV/figure writing, contract checks, index page escaping, key findings."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import landing, plots, report
from corpuslab.errors import CorpuslabError
from corpuslab.findings import findings_html, key_findings, similarity_findings


def test_tables_are_utf8_csv_with_formulas_neutralised(tmp_path):
    out = report.Outputs(tmp_path)
    table = pd.DataFrame({"term": ["=HYPERLINK(1)", "+1", "@x", "-y", "ok", "café"], "count": [-1, 2, 3, 4, 5, 6]})
    path = out.table(table, "t")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "term,count"
    back = pd.read_csv(path)
    assert back["term"].tolist() == ["'=HYPERLINK(1)", "'+1", "'@x", "'-y", "ok", "café"]
    assert back["count"].tolist() == [-1, 2, 3, 4, 5, 6]



@given(st.lists(st.one_of(st.none(), st.text(alphabet="=+-@\t\rab ", max_size=4)), max_size=8))
def test_neutralised_text_columns_equal_the_cell_by_cell_rule(cells):
    """A text column is tested at once, an object column cell by cell: both give what the per-cell rule gives."""
    def by_cell(v):
        return "'" + v if isinstance(v, str) and v.startswith(report._FORMULA_START) else v

    for column in (pd.Series(cells, dtype="str"), pd.Series([*cells, 1.5], dtype=object)):
        expected = pd.DataFrame({"c": column.map(by_cell)})
        pd.testing.assert_frame_equal(report.neutralise_formulas(pd.DataFrame({"c": column})), expected,
                                      check_dtype=False)  # an all-empty text column stays text (was float)

def test_figures_are_png_and_svg_and_reproducible(tmp_path):
    table = pd.DataFrame({"term": ["a", "b"], "count": [3, 1]})
    fig = plots.bar(table, label="term", value="count", title="t", xlabel="count")
    first, second = report.Outputs(tmp_path / "1"), report.Outputs(tmp_path / "2")
    assert first.figure(fig, "f") is None  # nothing for a notebook cell to echo
    second.figure(fig, "f")
    first, second = first.figure_paths("f"), second.figure_paths("f")
    assert [p.suffix for p in first] == [".png", ".svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_contract_check_names_missing_table_and_columns(tmp_path):
    out = report.Outputs(tmp_path)
    out.table(pd.DataFrame({"term": ["a"], "count": [1]}), "term_frequency")
    problems = report.check_tables(tmp_path, ["term_frequency", "topic_terms"])
    assert problems == ["table 'term_frequency' lacks columns rel_freq, doc_freq",
                        "table 'topic_terms' was not written"]
    with pytest.raises(CorpuslabError, match="notebook 01_x"):
        report.require_tables(tmp_path, ["topic_terms"], "01_x")


def _manifest(status="succeeded"):
    return {"run_id": "r1", "status": status, "params": {"corpus": {"path": "<script>alert(1)</script>"}},
            "notebooks": [{"name": "00_corpus", "status": "failed", "seconds": 1.0,
                           "error": "<img src=x onerror=alert(1)>"}],
            "fingerprint": "abc", "git_commit": "unknown", "started": "s", "finished": "f", "n_documents": 1}


def test_index_escapes_everything(tmp_path):
    out = report.Outputs(tmp_path)
    out.table(pd.DataFrame({"section": ["<b>x</b>"], "finding": ["<script>bad()</script>"]}), "key_findings")
    page = landing.render_index(_manifest("failed"), tmp_path)
    assert "<script>" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page


def test_key_findings_from_tables(tmp_path):
    out = report.Outputs(tmp_path)
    out.table(pd.DataFrame({"doc_id": ["a", "b"], "n_tokens": [10, 20], "n_types": [5, 9], "n_sentences": [1, 2]}),
              "corpus_summary")
    out.table(pd.DataFrame({"term": ["china", "russia"], "count": [5, 4], "rel_freq": [1.0, 0.8], "doc_freq": [2, 2]}),
              "term_frequency")
    findings = key_findings(tmp_path)
    assert findings["section"].tolist() == ["Corpus", "Most frequent terms"]
    assert "2 documents, 30 word tokens, 3 sentences" in findings["finding"].iloc[0]
    assert findings["finding"].iloc[1].startswith("china (5), russia (4)")


def test_methods_paragraph_and_bibtex_cover_the_notebooks_run():
    from corpuslab.resources import REFERENCES

    text, keys = landing.methods_paragraph(["00_corpus", "03_sentiment", "99_summary"])
    assert "Punkt" in text and "VADER" in text
    bib = landing.bibtex(keys, REFERENCES)
    assert bib.count("@") == len(keys) == 4 and "hutto2014vader" in bib
    every_key = {k for _, cited in landing.METHODS.values() for k in cited}
    assert landing.bibtex(sorted(every_key), REFERENCES).count("\n@") + 1 == len(every_key)


_CELLS = st.one_of(st.text(max_size=12), st.sampled_from(["=SUM(A1)", 'say "hi"', "a,b", "line\nbreak", "", " x "]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CELLS, st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12),
                          st.booleans()), max_size=8), st.booleans())
def test_fast_csv_writes_the_bytes_pandas_writes(tmp_path_factory, rows, one_column):
    folder = tmp_path_factory.mktemp("csv")
    table = pd.DataFrame(rows, columns=["text", "value", "count", "flag"]).astype({"text": "str"})
    table["label"] = pd.Categorical(table["text"])
    if one_column:
        table = table[["text"]]
    report.write_csv(table, folder / "fast.csv")
    table.to_csv(folder / "pandas.csv", index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")
    assert (folder / "fast.csv").read_bytes() == (folder / "pandas.csv").read_bytes()


def test_csv_columns_of_other_kinds_are_written_by_pandas(tmp_path):
    table = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "when": pd.to_datetime(["2024-01-02", None]),
                          "x": [0.5, float("nan")]})
    report.write_csv(table, tmp_path / "fast.csv")
    table.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize("text", ["see https://evil.example/x", "www.evil.example", "mail x@evil.example",
                                  "<https://evil.example>", "[click](http://evil.example)", "ftp://evil.example/f"])
def test_urls_in_corpus_text_render_as_text_not_links(text):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = markdown2html_mistune(report.as_markdown_text(text))
    assert "<a" not in page and "evil" in page


def test_cut_tables_say_how_many_rows_and_where_the_rest_is():
    assert report.shown_caption(25, 65, noun="documents", saved="lexdiv") == \
        "Showing 25 of 65 documents; all in `tables/lexdiv.csv`."
    assert report.shown_caption(65, 65, noun="documents", saved="lexdiv") == ""


def test_small_corpus_notes_appear_only_for_small_corpora():
    assert "5 documents and 80 paragraphs" in report.small_corpus_note(5, n_units=80)
    assert "With 3 documents, DP" in report.small_corpus_note(3, about="dispersion")
    assert report.small_corpus_note(65, n_units=5000) == "" == report.small_corpus_note(65, about="dispersion")
    assert "five" not in report.small_corpus_note(12, n_units=225).lower()


def test_key_findings_name_keyness_and_collocations_and_never_print_empty_parentheses(tmp_path):
    out = report.Outputs(tmp_path)
    out.table(pd.DataFrame(columns=report.CONTRACTS["cleaning_removed"]), "cleaning_removed")
    out.table(pd.DataFrame({"term": ["war", "peace"], "count_target": [9, 0], "count_reference": [1, 7],
                            "g2": [8.0, -6.0], "p_value": [0.01, 0.02], "p_adjusted": [0.02, 0.04],
                            "log_ratio": [3.0, -3.0]}), "keyness")
    out.table(pd.DataFrame({"ngram": ["fellow citizens", "let us"], "count": [23, 13], "pmi_bits": [8.0, 7.0],
                            "g2": [260.0, 123.0]}), "collocations")
    out.note("keyness", "Bush 2005 against Washington 1789")
    findings = key_findings(tmp_path).set_index("section")["finding"]
    assert findings["Cleaning"] == "No lines of page furniture found to remove."
    assert findings["Keyness"] == ("Bush 2005 against Washington 1789: more war; less peace "
                                   "(2 of 2 terms with FDR-adjusted p < 0.05).")
    assert findings["Strongest collocations (G²)"] == "fellow citizens (23×), let us (13×)."
    assert not any("()" in f for f in findings)


def test_findings_links_resolve_from_the_page_that_shows_them(tmp_path):
    findings = pd.DataFrame({"section": ["A", "B"], "finding": ["<b>x</b>", "y"],
                             "link": ["html/00_corpus.html", "tables/t.csv"]})
    in_page = findings_html(findings, page_dir="html")
    assert 'href="00_corpus.html"' in in_page and 'href="../tables/t.csv"' in in_page and "&lt;b&gt;" in in_page
    assert 'href="tables/t.csv"' in findings_html(findings)


def test_automatic_dictionary_note_escapes_names_and_says_it_is_automatic():
    from corpuslab import names

    d = names.names_dictionary(pd.DataFrame({"name": ["Congress", "Union"]}))
    note = report.dictionary_note(d)
    assert note.startswith("**Actors found automatically**") and "Congress, Union" in note and "more" not in note


def test_key_findings_carry_reference_keyness_and_word_embeddings(tmp_path):
    out = report.Outputs(tmp_path)
    out.table(pd.DataFrame({"term": ["nations", "said"], "count_target": [9, 1], "count_reference": [1, 90],
                            "g2": [30.0, -12.0], "p_value": [0.001, 0.01], "p_adjusted": [0.002, 0.01],
                            "log_ratio": [5.0, -4.0]}), "keyness_reference")
    out.note("keyness_reference", "this corpus against the Brown corpus (1961)")
    out.note("embeddings", "**Word embeddings are skipped** (`embeddings.min_tokens`).")
    findings = key_findings(tmp_path).set_index("section")["finding"]
    assert findings["Keyness against a reference corpus"].startswith(
        "this corpus against the Brown corpus (1961): more nations; less said")
    assert findings["Word embeddings"] == "Word embeddings are skipped (embeddings.min_tokens)."


def test_most_similar_documents_are_named_by_their_labels():
    pairs = pd.DataFrame({"doc_id": ["a1", "b2"], "neighbour": ["b2", "a1"], "similarity": [0.5, 0.5], "rank": [1, 1]})
    assert "FT 2017 and SCMP 2021" in similarity_findings(pairs, None, labels={"a1": "FT 2017",
                                                                                      "b2": "SCMP 2021"})[0][1]
    assert "a1 and b2" in similarity_findings(pairs, None)[0][1]


def test_a_large_table_written_in_parts_on_a_pool_has_the_same_bytes(tmp_path, monkeypatch):
    from corpuslab import _csv
    from corpuslab.engine import Engine

    rows = 1001
    table = pd.DataFrame({"doc_id": [f"d{i % 7}" for i in range(rows)], "n": range(rows),
                          "x": [i / 7 for i in range(rows)],
                          "text": ['a "b", c\nd' if i % 5 else "" for i in range(rows)]})
    monkeypatch.setattr(_csv, "PARALLEL_MIN_ROWS", 100)
    report.write_csv(table, tmp_path / "parts.csv", Engine("local", 3))
    table.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    mixed = table.assign(n=pd.array([None] + list(range(1, rows)), dtype="Int64"))  # a column left to pandas
    report.write_csv(mixed, tmp_path / "mixed.csv", Engine("local", 2))
    mixed.to_csv(tmp_path / "mixed_pandas.csv", index=False, encoding="utf-8", float_format="%.10g",
                 lineterminator="\n")
    assert (tmp_path / "mixed.csv").read_bytes() == (tmp_path / "mixed_pandas.csv").read_bytes()


@pytest.mark.parametrize("column", [pd.array([None, 1], dtype="Int64"), pd.array([True, None], dtype="boolean"),
                                    pd.array([0.5, None], dtype="Float64"), pd.array([2, 3], dtype="Int64")])
def test_nullable_columns_are_written_as_pandas_writes_them(tmp_path, column):
    """An Int64 column with a missing value was written 1.0 and nan; a boolean one <NA>."""
    table = pd.DataFrame({"doc_id": ["a", "b"], "value": column})
    report.write_csv(table, tmp_path / "fast.csv")
    table.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
