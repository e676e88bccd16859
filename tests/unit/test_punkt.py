"""_punkt: our memoised Punkt gives NLTK's own sentence spans (its untouched tokenizer on the same model)."""

import functools
import sys

import pandas as pd
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpuslab import _punkt, segment
from corpuslab.resources import resolve_path, use_vendored_nltk_data

# Sentence splitting memoizes and skips parts of NLTK's Punkt; it must give NLTK's own spans.
# Curly quotes change Punkt's tokens ("“No." is no abbreviation): straightening must not be lost.
CURLY = "He said “No. 1 is ours.” Then left.\n\nThey met ”No. Mr. X.\nIt ended."
PUNKT_PIECES = [
    "Mr.", "Dr.", "U.S.", "U.N.", "Jan.", "No.", "etc.", "e.g.", "St.", "Inc.", "J.", "S.", "A.", "b.",
    "1.", "3.5", "1990.", "12,000", "2nd.", "-4", "...", ". . .", "..", ".", "?", "!", "?!", ",", ";", ":",
    "--", "-", '"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "(", ")", "[", "]", "\xab", "\xbb",
    "The", "the", "We", "we", "It", "it", "Nations", "nations", "However", "I", "a", "peace", "said",
    "President", "Bach", "well",
]
PUNKT_SEPARATORS = ["", " ", " ", " ", "  ", "\n", "\n\n", " \n ", "\t", "\xa0", "\x1c"]
punkt_texts = st.lists(st.tuples(st.sampled_from(PUNKT_PIECES), st.sampled_from(PUNKT_SEPARATORS)),
                       max_size=40).map(lambda pairs: "".join(piece + sep for piece, sep in pairs))


@functools.cache
def nltk_punkt():
    """NLTK's own tokenizer on the vendored model, untouched."""
    use_vendored_nltk_data()
    from nltk.tokenize.punkt import PunktTokenizer

    return PunktTokenizer("english")


def nltk_sentence_spans(text):
    """NLTK's spans of ``text`` with curly quotes made straight, as Punkt's model expects."""
    return list(nltk_punkt().span_tokenize(text.translate(STRAIGHT_QUOTES)))


STRAIGHT_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


@settings(max_examples=400, deadline=None)
@given(punkt_texts)
@example(CURLY)
def test_sentence_spans_equal_nltk_punkt(text):
    assert list(_punkt.tokenizer().span_tokenize(text)) == list(nltk_punkt().span_tokenize(text))
    assert segment.sentence_spans(text) == nltk_sentence_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB1 .?!)\"\n\t\xa0\x1c\u2028\u201d")), max_size=12))
def test_sentence_spans_equal_nltk_punkt_on_short_text(text):
    assert segment.sentence_spans(text) == nltk_sentence_spans(text)


@settings(max_examples=100, deadline=None)
@given(punkt_texts, st.sampled_from(["line", "blank"]))
@example(CURLY, "line")
@example(CURLY, "blank")
def test_sentence_table_equals_nltk_punkt_per_paragraph(text, mode):
    rows = segment._sentence_rows(pd.DataFrame({"doc_id": ["d"], "text": [text]}), mode=mode)
    expected = [(p, pa + a, pa + b) for p, (pa, pb) in enumerate(segment.paragraph_spans(text, mode))
                for a, b in nltk_sentence_spans(text[pa:pb])]
    assert list(zip(rows["paragraph_id"], rows["start"], rows["end"])) == expected
    assert rows["unit_id"].tolist() == list(range(len(expected)))


def test_punkt_realignment_starts_only_at_closers():
    from nltk.tokenize.punkt import PunktLanguageVars

    nltk_realign = PunktLanguageVars.re_boundary_realignment
    realign = regex.compile(nltk_realign.pattern, nltk_realign.flags)
    every_char_then_newline = "".join(f"{chr(i)}\n" for i in range(sys.maxunicode + 1))
    starts = {m.group()[0] for m in realign.finditer(every_char_then_newline, overlapped=True)}
    assert starts and starts <= _punkt.CLOSERS


def test_long_paragraphs_split_whatever_the_machine_speed(monkeypatch):
    """NLTK limits each regex call to 5 s of wall-clock time; Punkt scans a whole paragraph in one call, so a
    long paragraph passed or failed with the machine's load. A tiny limit stands for a very slow machine."""
    from nltk import redos

    _punkt.tokenizer()  # loaded first: loading runs regexes too
    monkeypatch.setattr(redos, "DEFAULT_TIMEOUT", 0.01)  # a machine 500 times slower: 0.01 s for what 5 s allows
    text = "China and Russia met in Moscow. They signed a deal on energy and trade. " * 20_000
    spans = _punkt.spans(text)
    assert len(spans) == 40_000 and spans[-1][1] == len(text.rstrip())


def test_the_period_context_scan_is_linear():
    """One token after each sentence end, never re-read: a crafted text costs about what plain text costs."""
    import time

    vars_ = _punkt.tokenizer()._lang_vars
    crafted = "x. " + "y." * 2_000_000  # one match reads the whole 4-million-character token once
    started = time.perf_counter()
    assert len(list(vars_.period_context_re().finditer(crafted))) == 1
    assert time.perf_counter() - started < 5


# Words before a candidate that the sentence-break shortcut treats apart: abbreviations and collocations of the
# model in either case, initials, numbers, plain words; then whitespace Punkt reads or not, and next tokens.
CONTEXT_WORDS = ["world", "World", "WORLD", "nations", "mr", "Mr", "MR", "mrs", "st", "St", "jan", "pg", "h", "iv",
                 "no", "No", "much", "love", "union", "A", "a", "I", "x", "12", "0", "1990", "2nd", "U.S", "", "--"]
CONTEXT_NEXT = ["The", "the", "President", "president", "Chief", "Gorbachev", "Kennedy", "bush", "Croix", "12", "3.",
                "January", "Mr.", "(Applause.)", "Applause.)", "a.", "I", "i", "\"We", "'", ")", ",", ";", "...", "-",
                "\x1c", "\x1cA", "A\x1c", "\u2028", "\xa0", "%", "été", "А"]
CONTEXT_SPACES = ["", " ", "  ", "\n", "\t", "\r\n", "\n\n", " \n ", "\x0b", "\x0c", "\xa0", " \x1c", "\u2028 "]
context_texts = st.lists(st.tuples(st.sampled_from(CONTEXT_WORDS), st.sampled_from([".", ".", "?", "!", ".)"]),
                                   st.sampled_from(CONTEXT_SPACES), st.sampled_from(CONTEXT_NEXT),
                                   st.sampled_from([" ", " ", "\n", ". ", "? "])),
                         min_size=1, max_size=12).map(lambda parts: "".join("".join(part) for part in parts))


def assert_decisions_and_spans_equal_nltk(texts):
    """Every candidate context of ``texts`` (as NLTK finds them) decides as NLTK decides, and the spans are NLTK's."""
    ours, nltk = _punkt.tokenizer(), nltk_punkt()
    for text in texts:
        for _, context in nltk._match_potential_end_contexts(text):
            assert ours.text_contains_sentbreak(context) == nltk.text_contains_sentbreak(context), (text, context)
        assert _punkt.spans(text) == list(nltk.span_tokenize(text)), text


@settings(max_examples=500, deadline=None)
@given(context_texts)
@example("Mr. Smith met Mr.\nPresident Bush. The U.S. Economy grew 3. 12. The end? Yes! (Applause.) It ended.")
@example("He said no.\x1c Then\tworld.\xa0The iv. x. WORLD.\n\n\x1cAmerica. 1990. January.")
def test_sentence_breaks_equal_nltk_punkt_on_shortcut_contexts(text):
    assert_decisions_and_spans_equal_nltk([text])


def test_sentence_breaks_equal_nltk_punkt_on_every_un_paragraph():
    """The 235 bundled UN speeches, raw and cleaned paragraphs alike: every candidate and every span."""
    speeches = pd.read_parquet(resolve_path("data/raw/ungdc-chn-rus-usa/speeches.parquet"), columns=["text"])
    texts = [segment._straight_quotes(text) for text in speeches["text"]]
    assert_decisions_and_spans_equal_nltk(text[a:b] for text in texts for a, b in segment.paragraph_spans(text, "auto"))


def test_period_context_scan_by_re_equals_nltk_regex_on_every_code_point():
    """The candidate scan runs on Python's re: each code point after an end character, after whitespace, and
    inside the next token, gives NLTK's (regex module) matches and groups."""
    from nltk.tokenize.punkt import PunktLanguageVars

    nltk_pattern = _punkt.untimed(PunktLanguageVars().period_context_re())
    ours = _punkt.tokenizer()._lang_vars.period_context_re()
    chars = [chr(i) for i in range(sys.maxunicode + 1)]
    text = "".join(f"a.{c}b a. {c}b. x.y{c}z? " for c in chars)

    def found(pattern):
        return [(m.span(), m.span("after_tok"), m.span("next_tok")) for m in pattern.finditer(text)]

    assert found(ours) == found(nltk_pattern)
