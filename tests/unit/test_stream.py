"""_stream: the compiled (polars) token stream equals the Python tokeniser, on every code point and any text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _stream, tokens

_WORDS = st.sampled_from(["The", "the", "U.S.", "China’s", "china's", "co-operation", "2024", "3.5", "Running",
                          "runs", "ran", "a", "Σίσυφος", "ΟΔΟΣ", "İstanbul", "naïve", "don't", "--", "é", "x"])
_TEXTS = st.lists(st.lists(_WORDS, max_size=30).map(" ".join), min_size=1, max_size=6)


def _runs_of(stream: _stream.TokenStream) -> list[list[list[str]]]:
    """Per text, its runs of tokens, read back from a stream."""
    out, at = [], 0
    for n in stream.lengths:
        runs: list[list[str]] = [[]]
        for i in stream.ids[at:at + n]:
            if i == _stream.BREAK:
                runs.append([])
            else:
                runs[-1].append(stream.types[i])
        out.append([r for r in runs if r])
        at += n
    return out


_ASSIGNED = st.characters(blacklist_categories=("Cs", "Cn"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ASSIGNED, max_size=40) | _TEXTS.map(" .,".join), min_size=1, max_size=5))
def test_token_stream_equals_token_runs_on_any_text(texts):
    for lowercase in (True, False):
        stream = tokens.token_stream(texts).folded(lowercase)
        assert _runs_of(stream) == [tokens.token_runs(t, lowercase=lowercase) for t in texts]
    with_spans = tokens.token_stream(texts, spans=True)
    words = with_spans.ids >= 0
    assert list(map(tuple, with_spans.spans[words].tolist())) == [s for t in texts for s in tokens.token_spans(t)]
    assert _runs_of(with_spans) == _runs_of(tokens.token_stream(texts))


def test_stream_pattern_equals_python_pattern_on_every_code_point():
    import re

    import polars as pl

    python = re.compile(tokens.TOKEN_PATTERN.pattern + r"|\S")  # a token, or one non-space character (a break)
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    for prefix in ("a", "1", " "):  # after a letter, a digit, a space: is it a letter, a digit, a space?
        texts = [prefix + c for c in chars]
        found = pl.Series(texts).str.extract_all(_stream.stream_pattern()).to_list()
        assert found == [python.findall(t) for t in texts], prefix


def test_token_stream_in_chunks_is_the_same_stream(monkeypatch):
    from corpuslab import corpus
    from corpuslab.resources import BUNDLED_CORPUS

    texts = corpus.load(BUNDLED_CORPUS)["text"].tolist() * 2
    whole = tokens.token_stream(texts, spans=True)
    monkeypatch.setattr(_stream, "CHUNK_CHARS", 5_000)
    chunked = tokens.token_stream(texts, spans=True)
    assert _runs_of(chunked) == _runs_of(whole) and len(whole.types) == len(chunked.types)
    assert chunked.spans.tolist() == whole.spans.tolist()


def test_stream_spans_index_the_text_as_given():
    text = "Cafe\u0301 Putin and China"  # NFC makes it a character shorter
    stream = tokens.token_stream(["x", text], spans=True)
    words = stream.spans[stream.ids >= 0].tolist()[1:]
    assert [text[a:b] for a, b in words] == ["Cafe\u0301", "Putin", "and", "China"]


def test_stored_arrays_give_the_stream_back():
    stream = tokens.token_stream(["Xi met Putin.", "", "naïve ties"], spans=True)
    back = _stream.from_arrays(_stream.to_arrays(stream))
    assert back.ids.tolist() == stream.ids.tolist() and list(back.types) == list(stream.types)
    assert back.spans.tolist() == stream.spans.tolist() and back.lengths.tolist() == stream.lengths.tolist()


def _entries(stream: _stream.TokenStream) -> list[list[tuple[str, int, int]]]:
    """Per text, its entries as (type or "|" for a break, start, end)."""
    out, at = [], 0
    for n in stream.lengths:
        out.append([(stream.types[i] if i >= 0 else "|", int(a), int(b))
                    for i, (a, b) in zip(stream.ids[at:at + n], stream.spans[at:at + n])])
        at += n
    return out


_PIECES = st.sampled_from(["Xi", "met", "U.S.", "co-operation", "3.5", "naïve", "Cafe\u0301", ".", ",",
                           "\u201cgo\u201d", " ", "  ", "\n", "\n\n", "\t"])
_DOCS = st.lists(st.lists(_PIECES, max_size=40).map("".join), min_size=1, max_size=4)


@given(_DOCS, st.sampled_from(["line", "blank", "auto"]))
@settings(max_examples=200, deadline=None)
def test_cut_units_have_the_tokens_of_their_own_texts(texts, mode):
    """Paragraphs cut out of the documents' stream hold exactly the entries found in the paragraphs' own texts."""
    from corpuslab import segment

    units = [(t, a, b) for t, text in enumerate(texts) for a, b in segment.paragraph_spans(text, mode)]
    cut = _stream.cut(_stream.find(texts, spans=True), [len(t) for t in texts], [u[0] for u in units],
                      [u[1] for u in units], [u[2] for u in units])
    own = _stream.find([texts[t][a:b] for t, a, b in units], spans=True)
    assert cut is not None  # paragraphs end at white space: no token crosses them
    assert _entries(cut) == _entries(own)


@given(_DOCS, st.data())
@settings(max_examples=200, deadline=None)
def test_cut_anywhere_is_exact_or_refused(texts, data):
    """Units cut at arbitrary offsets: the cut stream is the units' own stream, or None where a token crosses."""
    text = data.draw(st.integers(0, len(texts) - 1))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(texts[text])), min_size=2, max_size=6)))
    units = list(zip(cuts[::2], cuts[1::2]))
    cut = _stream.cut(_stream.find(texts, spans=True), [len(t) for t in texts], [text] * len(units),
                      [a for a, _ in units], [b for _, b in units])
    if cut is not None:
        assert _entries(cut) == _entries(_stream.find([texts[text][a:b] for a, b in units], spans=True))
