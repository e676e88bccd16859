"""segment: paragraphs and abbreviation-safe sentences with offsets."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import cleaning, corpus, segment
from corpuslab.engine import Engine
from corpuslab.resources import BUNDLED_CORPUS, resolve_path


@pytest.mark.parametrize("text, expected", [
    ("The U.S. and China met. Talks ended.", ["The U.S. and China met.", "Talks ended."]),
    ("Mr. Putin spoke. Dr. Xi listened.", ["Mr. Putin spoke.", "Dr. Xi listened."]),
    ("On Jan. 5 they met. It rained.", ["On Jan. 5 they met.", "It rained."]),
    ("He ranked No. 1 in the poll. Then he fell.", ["He ranked No. 1 in the poll.", "Then he fell."]),
    ("Trade grew 3.5 per cent. Gas rose.", ["Trade grew 3.5 per cent.", "Gas rose."]),
    ("He said “We will win.” Nobody agreed.", ["He said “We will win.”", "Nobody agreed."]),
    ('He said "No. 1 is ours." Then left.', ['He said "No. 1 is ours."', "Then left."]),
    ("He said “No. 1 is ours.” Then left.", ["He said “No. 1 is ours.”", "Then left."]),
])
def test_sentences_survive_abbreviations_decimals_and_quotes(text, expected):
    assert [text[a:b] for a, b in segment.sentence_spans(text)] == expected


def test_paragraph_modes():
    text = "One\nTwo\n\nThree"
    assert [text[a:b] for a, b in segment.paragraph_spans(text, "line")] == ["One", "Two", "Three"]
    assert [text[a:b] for a, b in segment.paragraph_spans(text, "blank")] == ["One\nTwo", "Three"]


def test_unit_tables_keep_offsets_and_metadata():
    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    sents = segment.sentences(docs)
    paras = segment.paragraphs(docs)
    text = docs.set_index("doc_id")["text"]
    for table in (sents, paras):
        assert (table.apply(lambda r: text[r.doc_id][r.start:r.end] == r.text, axis=1)).all()
        assert "outlet" in table.columns and "raw_text" not in table.columns
        assert not table.duplicated(["doc_id", "unit_id"]).any()
    assert sents["paragraph_id"].max() < len(paras)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n\"“”?!U.S.Mr ")), max_size=200))
def test_sentences_map_back_and_cover_all_non_space_text(text):
    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    sents = segment.sentences(docs)
    for row in sents.itertuples():
        assert text[row.start:row.end] == row.text
    covered = "".join(sents["text"])
    assert "".join(text.split()) == "".join(covered.split())


def test_sentences_are_identical_on_every_engine(monkeypatch):
    from corpuslab import engine

    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert segment.sentences(docs, engine=Engine("local", 2)).equals(segment.sentences(docs))


@pytest.mark.parametrize("mode", ["auto", "line", "blank"])
def test_paragraphs_equal_the_table_built_a_row_at_a_time(mode):
    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    rows = [{"doc_id": doc_id, "unit_id": i, "start": a, "end": b, "text": text[a:b]}
            for doc_id, text in zip(docs["doc_id"], docs["text"])
            for i, (a, b) in enumerate(segment.paragraph_spans(text, mode))]
    by_rows = pd.DataFrame(rows).merge(docs.drop(columns=["text", "raw_text", "n_lines_removed"]), on="doc_id")
    assert segment.paragraphs(docs, mode=mode).equals(by_rows)
    empty = segment.paragraphs(docs.head(1).assign(text=""), mode=mode)
    assert len(empty) == 0 and empty.dtypes["text"] == docs.dtypes["text"]


def _rows_reference(documents, mode="auto"):
    """The sentence table built a row at a time (the plain reference of segment._sentence_rows)."""
    from corpuslab import _punkt

    rows = []
    languages = documents["language"] if "language" in documents.columns else ["en"] * len(documents)
    for doc_id, text, language in zip(documents["doc_id"], documents["text"], languages):
        plain, n = segment._straight_quotes(text), 0
        split = _punkt.spans if language == "en" else segment.punctuation_spans
        for p, (pa, pb) in enumerate(segment.paragraph_spans(text, mode)):
            for a, b in split(plain[pa:pb]):
                rows.append((doc_id, n, p, pa + a, pa + b, text[pa + a:pa + b]))
                n += 1
    return pd.DataFrame.from_records(rows, columns=list(segment.SENTENCE_COLUMNS)).astype(
        {"unit_id": "int64", "paragraph_id": "int64", "start": "int64", "end": "int64"})


@pytest.mark.parametrize("documents", [
    pd.DataFrame({"doc_id": [], "text": []}),
    pd.DataFrame({"doc_id": ["a", "b"], "text": ["", "  \n "]}),
    pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["One. Two.\nThree", "", "Mr. X. Yes!"]}),
    pd.DataFrame({"doc_id": [3, 1], "text": ["One. Two.", "Hi."]}),
    pd.DataFrame({"doc_id": ["a", "b"], "text": ["Один. Два.", "One. Two."], "language": ["ru", "en"]}),
    "data/raw/ungdc-chn-rus-usa/speeches.parquet",
])
def test_sentence_columns_equal_rows(documents):
    if isinstance(documents, str):
        documents = pd.read_parquet(resolve_path(documents), columns=["doc_id", "text"])
    for mode in ("auto", "line"):
        pd.testing.assert_frame_equal(segment._sentence_rows(documents, mode=mode), _rows_reference(documents, mode))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a .!?:;\u2026\"'\u201d\u2019)]([ \t\r\x0b\x0c\x1c\x85\xa0\u2028")),
               max_size=12))
def test_clause_end_test_equals_its_regex(line):
    assert segment._ends_clause(line) == bool(segment._LINE_END.search(line))


def _line_reference(text):
    """paragraph_spans(text, "line") as first written: chunks between the matches of a line-break regex, trimmed."""
    import re

    spans, start = [], 0
    for match in [*re.finditer(r"\n", text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            spans.append((start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())))
        if match:
            start = match.end()
    return spans


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n\r\t\x0b\x1c\x85\xa0\u2028")), max_size=20))
def test_line_spans_equal_regex_reference(text):
    assert segment.paragraph_spans(text, "line") == _line_reference(text)


def _wrapped_reference(text):
    """wrapped_paragraph_spans as first written, a line at a time (the plain reference)."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    filled = [line for _, line in lines if line.strip()]
    width = segment._width(filled) if filled else 0
    spans, first = [], None
    for i, (offset, line) in enumerate(lines):
        if not line.strip():
            if first is not None:
                spans.append(first)
                first = None
            continue
        span = (offset + len(line) - len(line.lstrip()), offset + len(line.rstrip()))
        first = span if first is None else (first[0], span[1])
        following = lines[i + 1][1] if i + 1 < len(lines) else ""
        if segment._LINE_END.search(line) and (len(line.rstrip()) < segment.SHORT_LINE_SHARE * width
                                               or (following.strip() and segment._NEW_ITEM.match(following))):
            spans.append(first)
            first = None
    if first is not None:
        spans.append(first)
    return spans


wrapped_lines = st.lists(st.tuples(st.sampled_from(["", " ", "  ", "\t", "12. ", "3) "]),
                                   st.sampled_from(["", "We met", "the envoy of the other side", "x" * 60, "a"]),
                                   st.sampled_from(["", ".", ".\"", ":", ")", "?)", "\u2026", " ", ". "])),
                         max_size=14).map(lambda lines: "\n".join("".join(parts) for parts in lines))


@settings(max_examples=400, deadline=None)
@given(wrapped_lines)
def test_wrapped_spans_equal_line_at_a_time_reference(text):
    assert segment.wrapped_paragraph_spans(text) == _wrapped_reference(text)
    expected = _wrapped_reference(text) if segment.is_hard_wrapped(text) else segment.paragraph_spans(text, "line")
    assert segment.paragraph_spans(text, "auto") == expected


def test_wrapped_spans_of_un_speeches_equal_reference():
    speeches = pd.read_parquet(resolve_path("data/raw/ungdc-chn-rus-usa/speeches.parquet"), columns=["text"])
    for text in speeches["text"]:
        assert segment.wrapped_paragraph_spans(text) == _wrapped_reference(text)


def _near_duplicates_reference(units, min_similarity=segment.NEAR_DUPLICATE_MIN_SIMILARITY,
                               min_words=segment.NEAR_DUPLICATE_MIN_WORDS):
    """near_duplicates with each pair's union built as a set (as first written)."""
    rows = []
    for doc_id, group in units.groupby("doc_id", sort=False):
        texts = dict(zip(group["unit_id"], group["text"]))
        sized = sorted((len(w), u, w) for u, t in texts.items() if len(w := frozenset(segment._WORD.findall(t.lower())))
                       >= min_words)
        best = {}
        for i, (size, unit_a, words_a) in enumerate(sized):
            for size_b, unit_b, words_b in sized[i + 1:]:
                if size < min_similarity * size_b:
                    break
                similarity = len(words_a & words_b) / len(words_a | words_b)
                if similarity >= min_similarity:
                    later, earlier = max(unit_a, unit_b), min(unit_a, unit_b)
                    if later not in best or earlier < best[later][0]:
                        best[later] = (earlier, similarity)
        rows += [(doc_id, later, earlier, round(s, 3), texts[later]) for later, (earlier, s) in sorted(best.items())]
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "same_as", "similarity", "text"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from("we will build new schools in every rural county and town".split()),
                         min_size=6, max_size=12).map(" ".join), min_size=1, max_size=8),
       st.sampled_from([0.5, 0.8, 0.9]))
def test_near_duplicates_equal_union_reference(texts, min_similarity):
    units = pd.DataFrame({"doc_id": "d", "unit_id": range(len(texts)), "text": texts})
    pd.testing.assert_frame_equal(segment.near_duplicates(units, min_similarity=min_similarity, min_words=4),
                                  _near_duplicates_reference(units, min_similarity, 4))
