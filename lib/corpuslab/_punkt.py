"""NLTK's English Punkt sentence tokenizer, minus repeated work (behind :func:`corpuslab.segment.sentence_spans`).

NLTK 3.10 runs each of Punkt's small regexes under a timeout wrapper that costs more than
the match, and re-tokenises the same contexts ("nations. We") over and over. Here, NLTK's scan for
candidate sentence ends and their contexts is restated without its generators (:func:`_slices`,
:func:`_realigned`); the sentence-break test decides the common contexts by the model's rules and remembers
the others by a normalised key, read in the text without building the context when it is a word, the end
character, one space and a token (:func:`_sentbreak_tests`); the last whitespace before a candidate is the last
space of the text with its ASCII whitespace made spaces (:func:`_spaced`); the token regexes are remembered per token
text; boundary realignment is tried only where a closing quote or bracket can start it; the scan for
sentence ends runs without NLTK's wall-clock regex limit (a linear pattern: see :func:`untimed`); and
Punkt is skipped for a text with no ``.``, ``?`` or ``!`` before its end (Punkt returns it whole).
Each memo maps a string to what NLTK computes from that string and the fixed model alone,
so the spans are NLTK's (tests compare decisions and spans with NLTK's untouched tokenizer, on generated
text and on every paragraph of the bundled UN speeches).
"""

from __future__ import annotations

import re
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
    return _realigned(text, _slices(text))


_OTHER_WHITESPACE = "\t\n\r\x0b\x0c"  # with the space, string.whitespace: what Punkt's _get_last_whitespace_index seeks


def _spaced(text: str) -> str:
    """``text`` with every ASCII whitespace a space (same length): its last space is Punkt's last whitespace."""
    for char in _OTHER_WHITESPACE:
        if char in text:
            text = text.replace(char, " ")
    return text


def _slices(text: str) -> list[tuple[int, int]]:
    """NLTK's ``_slices_from_text`` over its ``_match_potential_end_contexts``, restated without generators.

    Each candidate's context is the word before it (from the last ASCII whitespace after the previous
    candidate, or that candidate's own word if none), the end character and what follows; a candidate
    whose word overlaps the next one's is dropped, as NLTK drops it. A candidate (one character) ends at its
    start + 1; the next sentence starts at its next token, if any (``break_after`` decides).
    """
    punkt = tokenizer()
    break_after = punkt.break_after
    spaced = _spaced(text)
    found, last_break = [], 0
    previous, word_start, word_stop = None, 0, 0
    for match in punkt._lang_vars.period_context_re().finditer(text):
        start = match.start()
        cut = spaced.rfind(" ", word_stop, start)  # the last ASCII whitespace since the previous candidate
        new_start = cut + 1 if cut > word_stop else word_start
        if previous is not None and word_stop <= new_start:
            following = break_after(text, word_start, word_stop, previous)
            if following >= 0:
                found.append((last_break, word_stop + 1))
                last_break = following
        previous, word_start, word_stop = match, new_start, start
    if previous is not None:
        following = break_after(text, word_start, word_stop, previous)
        if following >= 0:
            found.append((last_break, word_stop + 1))
            last_break = following
    found.append((last_break, len(text.rstrip())))
    return found


def _realigned(text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """NLTK's ``_realign_boundaries``: closing quotes and brackets after a break move to the sentence before;
    empty sentences go."""
    realign_match = tokenizer()._lang_vars.re_boundary_realignment.match
    out, realign = [], 0
    for (start, stop), (next_start, next_stop) in zip(slices, slices[1:]):
        start += realign
        closing = next_stop > next_start and text[next_start] in CLOSERS and realign_match(text[next_start:next_stop])
        if closing:
            out.append((start, next_start + len(closing.group(0).rstrip())))
            realign = closing.end()
        else:
            realign = 0
            if stop > start:
                out.append((start, stop))
    start, stop = slices[-1]
    if stop > start + realign:
        out.append((start + realign, stop))
    return out


@lru_cache(maxsize=1)
def tokenizer():
    """NLTK's English Punkt tokenizer (the vendored model) with the memos and shortcut described above."""
    use_vendored_nltk_data()
    from nltk.tokenize.punkt import PunktTokenizer

    punkt = PunktTokenizer("english")
    punkt._Token = _memo_token_class()
    punkt._lang_vars = _quick_language_vars()
    punkt.text_contains_sentbreak, punkt.break_after = _sentbreak_tests(punkt)
    return punkt


# A candidate's context as Punkt builds it: the word before (ASCII letters or digits, or none), the end
# character, ASCII whitespace and the next token, whose first character is not whitespace to Python.
_SIMPLE_CONTEXT = re.compile(r"([A-Za-z]+|[0-9]+)?([.?!])[ \t\n\r\f\v]+(\S.*)", re.DOTALL)


def _sentbreak_tests(punkt):
    """Punkt's ``text_contains_sentbreak`` (does a token other than the last end a sentence?), deciding the
    common contexts without it and remembering the rest by a key that keeps all Punkt reads of them; and
    ``break_after``, the same test of a candidate read in its text (for :func:`_slices`).

    For a context of :data:`_SIMPLE_CONTEXT`, Punkt's tokens are the word and the end character as one token
    (``?`` and ``!`` as their own), then the next token's, at least one:

    - after ``?`` or ``!`` (a sentence break Punkt never revises, followed by a token): True;
    - a word of two or more letters with ``.``, neither an abbreviation of the model nor the first word of one
      of its collocations: Punkt marks it a break and its second pass keeps it (it revises only those,
      initials and numbers): True;
    - any other: NLTK's test on the key with the word lower-cased (Punkt lower-cases a period-final word's
      type and abbreviation test, and its initial test takes either case), digits as ``0`` (every digit run
      has the type ``##number##``, and no abbreviation of the model is one) and the whitespace as one space
      (Punkt reads whitespace only as a token boundary: the next token, not blank, begins a line if not one).
    """
    params = punkt._params
    numbers_alike = not any(a.isdigit() for a in params.abbrev_types)  # else digits stay in the key
    undecided = frozenset(params.abbrev_types) | {first for first, _ in params.collocations}
    nltk_test = lru_cache(maxsize=MEMO_SIZE)(punkt.text_contains_sentbreak)

    def text_contains_sentbreak(context: str) -> bool:
        simple = _SIMPLE_CONTEXT.fullmatch(context)
        if simple is None:
            return nltk_test(context)
        word, end, following = simple.groups()
        if end != ".":
            return True
        if word is None:
            return nltk_test(". " + following)
        key = "0" if numbers_alike and word[0].isdigit() else word.lower()
        if len(key) > 1 and key not in undecided:
            return True
        return nltk_test(key + ". " + following)

    def break_after(text: str, word_start: int, start: int, match) -> int:
        """Where the sentence after the candidate ``match`` (at ``start``, its word from ``word_start``) starts if
        Punkt breaks there (its next token, else ``start + 1``), or -1: ``text_contains_sentbreak`` of its context.

        The commonest context, a word of ASCII letters or digits, the end character, one space and a token,
        is decided as above without building it (NLTK is asked the same key, through the same memo).
        """
        if text[start + 1] == " " and not text[start + 2].isspace():  # the whitespace is one space: simple after
            word = text[word_start:start]
            if word.isascii() and (word.isalpha() or word.isdigit()):  # one of _SIMPLE_CONTEXT's words, not none
                if text[start] != ".":
                    return start + 2
                key = "0" if numbers_alike and word[0].isdigit() else word.lower()
                breaks = (len(key) > 1 and key not in undecided) or nltk_test(key + ". " + match.group("next_tok"))
                return start + 2 if breaks else -1
        if not text_contains_sentbreak(text[word_start:start] + match.group() + match.group("after_tok")):
            return -1
        following = match.start("next_tok")
        return following if following >= 0 else start + 1

    return text_contains_sentbreak, break_after


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


# The whitespace of the ``regex`` module (Unicode White_Space) as Python's ``re`` spells it: re's \s (str.isspace)
# without the separators \x1c-\x1f (a test checks every code point).
_REGEX_CLASSES = {r"\s": r"[^\S\x1c-\x1f]", r"\S": r"[\S\x1c-\x1f]"}


def stdlib_pattern(pattern) -> re.Pattern:
    r"""NLTK's period-context pattern (a verbose ``regex`` pattern) compiled by Python's ``re``, whose scan of a
    paragraph is about a third faster: the same matches and groups, with ``\s`` and ``\S`` spelled as
    ``regex`` reads them (:data:`_REGEX_CLASSES`)."""
    source = re.sub(r"\\[sS]", lambda m: _REGEX_CLASSES[m.group()], pattern.pattern)
    return re.compile(source, re.VERBOSE)


def _quick_language_vars():
    """Punkt's language variables, trying the realignment regex only where it can match, and scanning for
    candidates with :func:`stdlib_pattern`.

    Punkt tries the realignment on every sentence after the first; a match starts with one of
    :data:`CLOSERS` (a test checks that no other character can start one).
    """
    from nltk.tokenize.punkt import PunktLanguageVars

    realign = PunktLanguageVars.re_boundary_realignment
    period_context = stdlib_pattern(untimed(PunktLanguageVars().period_context_re()))

    class QuickLanguageVars(PunktLanguageVars):
        __slots__ = ()
        re_boundary_realignment = SimpleNamespace(
            match=lambda text: realign.match(text) if text[:1] in CLOSERS else None)

        def period_context_re(self):
            return period_context

    return QuickLanguageVars()
