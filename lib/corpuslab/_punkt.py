"""NLTK's English Punkt sentence tokenizer, minus repeated work (behind :func:`corpuslab.segment.sentence_spans`).

NLTK 3.10 runs each of Punkt's small regexes under a timeout wrapper that costs more than
the match, and re-tokenises the same contexts ("nations. We") over and over. The tokenizer
here remembers the sentence-break test per context and the token regexes per token text,
tries boundary realignment only where a closing quote or bracket can start it, scans for sentence
ends without NLTK's wall-clock regex limit (a linear pattern: see :func:`untimed`), and skips
Punkt for a text with no ``.``, ``?`` or ``!`` before its end (Punkt returns it whole).
Each memo maps a string to what NLTK computes from that string and the fixed model alone,
so the spans are NLTK's (tests compare them with NLTK's untouched tokenizer).
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from corpuslab.resources import use_vendored_nltk_data

SENT_END_CHARS = (".", "?", "!")  # Punkt's PunktLanguageVars.sent_end_chars
MEMO_SIZE = 2**17  # entries per Punkt memo: a few tens of MB at most
# Characters that can start a match of Punkt's re_boundary_realignment (NLTK 3.9, 3.10).
CLOSERS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


def spans(text: str) -> list[tuple[int, int]]:
    """Punkt's sentence spans of ``text`` (straight quotes), skipping Punkt where it cannot split.

    Punkt's candidates are a ``.``, ``?`` or ``!`` followed by another character;
    with none, ``span_tokenize`` yields ``(0, len(text.rstrip()))`` unless empty.

    >>> spans("No break here ")
    [(0, 13)]
    """
    if not any(text.find(char, 0, len(text) - 1) >= 0 for char in SENT_END_CHARS):
        end = len(text.rstrip())
        return [(0, end)] if end else []
    return list(tokenizer().span_tokenize(text))


@lru_cache(maxsize=1)
def tokenizer():
    """NLTK's English Punkt tokenizer (the vendored model) with the memos and shortcut described above."""
    use_vendored_nltk_data()
    from nltk.tokenize.punkt import PunktTokenizer

    punkt = PunktTokenizer("english")
    punkt._Token = _memo_token_class()
    punkt._lang_vars = _quick_language_vars()
    # Reads only its context string and the fixed model; contexts such as "nations. We" recur.
    punkt.text_contains_sentbreak = lru_cache(maxsize=MEMO_SIZE)(punkt.text_contains_sentbreak)
    return punkt


def _memo_token_class():
    """``PunktToken`` whose regex-derived fields are memoized by token text, which is all they read.

    The bodies are NLTK's own (``nltk/tokenize/punkt.py``).
    """
    from nltk.tokenize.punkt import PunktToken

    token_type = lru_cache(maxsize=MEMO_SIZE)(lambda tok: PunktToken._RE_NUMERIC.sub("##number##", tok.lower()))
    ellipsis = lru_cache(maxsize=MEMO_SIZE)(PunktToken._RE_ELLIPSIS.match)
    initial = lru_cache(maxsize=MEMO_SIZE)(PunktToken._RE_INITIAL.match)

    class MemoToken(PunktToken):
        __slots__ = ()

        def _get_type(self, tok):
            return token_type(tok)

        is_ellipsis = property(lambda self: ellipsis(self.tok))
        is_initial = property(lambda self: initial(self.tok))

    return MemoToken


def untimed(pattern):
    """NLTK's compiled pattern without its wall-clock limit (``nltk.redos``: 5 s of regex time per call).

    Punkt scans a whole paragraph with its period-context pattern in one ``finditer``, so a long
    paragraph (a raised ``corpus.max_document_mb``) hit the limit or not depending on the machine's
    speed and load. That pattern is NLTK's own and runs in linear time: each match starts at one
    ``.``, ``?`` or ``!`` and reads at most the whitespace and the one token after it, and the
    tokens read by different matches do not overlap, so the work is at most twice the text's length.
    """
    return getattr(pattern, "_rx", pattern)


def _quick_language_vars():
    """Punkt's language variables, trying the realignment regex only where it can match.

    Punkt tries it on every sentence after the first; a match starts with one of
    :data:`CLOSERS` (a test checks that no other character can start one).
    """
    from nltk.tokenize.punkt import PunktLanguageVars

    realign = PunktLanguageVars.re_boundary_realignment
    period_context = untimed(PunktLanguageVars().period_context_re())

    class QuickLanguageVars(PunktLanguageVars):
        __slots__ = ()
        re_boundary_realignment = SimpleNamespace(
            match=lambda text: realign.match(text) if text[:1] in CLOSERS else None)

        def period_context_re(self):
            return period_context

    return QuickLanguageVars()
