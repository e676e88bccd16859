"""VADER (Hutto & Gilbert 2014) scores of a sentence, computed by the reference implementation's rules.

Input handling. By default (``vader_input="normalised"``) the text is normalised as every
corpuslab tokeniser normalises it (:func:`corpuslab.tokens.normalise`) before VADER reads it;
vaderSentiment itself scores the text as given. The substitutions, and what each changes in
VADER's scores:

- Unicode NFC: a decomposed accent ("e" + U+0301) becomes one character ("é"), so a lexicon
  word written either way is the same word.
- ‘ ’ ʼ (U+2018, U+2019, U+02BC) become ``'``: "doesn’t" and "isn’t" negate as "doesn't" does
  (vaderSentiment's negation list is spelled with ``'``).
- “ ” (U+201C, U+201D) become ``"``: VADER strips ASCII punctuation from a word's ends, so
  “great” scores as "great" (compound 0.6249) where the reference sees the unknown word “great” (0.0).
- ‐ ‑ ‒ – — − (U+2010-U+2012, U+2013, U+2014, U+2212) become ``-``: "—great" and "great—" lose the
  dash as ASCII punctuation and count.
- no-break, narrow no-break and thin spaces (U+00A0, U+202F, U+2009) become a space: VADER splits
  words at them either way, so scores do not change.

``vader_input="raw"`` scores the text exactly as ``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores``
does, character for character (param ``sentiment.vader_input``). Either way, texts with emoji go through
the reference analyzer, and texts without them through its rules restated for speed (:mod:`corpuslab._vader_fast`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpuslab.errors import CorpuslabError
from corpuslab.resources import sha256_of
from corpuslab.tokens import normalise

VADER_INPUTS = ("normalised", "raw")


def check_input(vader_input: str) -> None:
    """Raise a :class:`CorpuslabError` unless ``vader_input`` is one of :data:`VADER_INPUTS`."""
    if vader_input not in VADER_INPUTS:
        raise CorpuslabError(f"sentiment.vader_input: got {vader_input!r}; allowed: {', '.join(VADER_INPUTS)}")


def prepared(text: str, vader_input: str = "normalised") -> str:
    """The text VADER reads: normalised (see the module docstring) or, with ``vader_input="raw"``, as given.

    >>> prepared("“great” – isn’t it?"), prepared("“great”", "raw")
    ('"great" - isn\\'t it?', '“great”')
    """
    check_input(vader_input)
    return normalise(text) if vader_input == "normalised" else text


def prepared_texts(texts, vader_input: str = "normalised") -> pa.Array:
    """:func:`prepared` of each of ``texts`` (strings, or a pyarrow or pandas array of them), as one pyarrow array.
    Only texts with a character outside ASCII are normalised: an ASCII text is NFC and has nothing to straighten.

    >>> prepared_texts(["“great”", "good"]).to_pylist()
    ['"great"', 'good']
    """
    check_input(vader_input)
    texts = pa.array(texts, type=pa.large_string()) if not isinstance(texts, (pa.Array, pa.ChunkedArray)) else texts
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    if vader_input == "raw":
        return texts
    ascii = pc.string_is_ascii(texts)
    other = np.flatnonzero(~ascii.to_numpy(zero_copy_only=False))
    if not len(other):
        return texts
    normal = pa.array([normalise(t) for t in texts.take(other).to_pylist()], type=texts.type)
    return pc.replace_with_mask(texts, pc.invert(ascii), normal)


def split_at_whitespace(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """The pieces of pyarrow ``texts`` that ``str.split()`` gives (split at runs of whitespace, as Python's
    ``str.isspace`` knows it), one after the other, and the number of the text of each piece.

    Every other whitespace character becomes a space, then the texts are split at each space, and the empty
    pieces are dropped. (pyarrow's own ``utf8_split_whitespace`` is not used: in pyarrow 26 it at times, depending
    on the other texts of the array, keeps a whitespace character at a text's end as a piece.)

    >>> text, pieces = split_at_whitespace(pa.array(["  a\\tb \\x1c", "", "c"]))
    >>> text.tolist(), pieces.to_pylist()
    ([0, 0, 2], ['a', 'b', 'c'])
    """
    split = pc.split_pattern(pc.replace_substring_regex(texts, _other_whitespace(), " "), " ")
    pieces, text = pc.list_flatten(split), pc.list_parent_indices(split).to_numpy()
    kept = pc.not_equal(pieces, "")
    return text[kept.to_numpy(zero_copy_only=False)], pieces.filter(kept)


@lru_cache(maxsize=1)
def _other_whitespace() -> str:
    """A regex class (RE2 syntax) of the characters other than the space that Python's ``str.isspace`` knows."""
    return "[" + "".join(f"\\x{{{c:X}}}" for c in range(0x110000) if chr(c).isspace() and c != 32) + "]"


def vader(text: str, *, vader_input: str = "normalised") -> dict[str, float]:
    """VADER scores of one sentence: neg, neu, pos (shares of the text) and compound (−1…+1).

    >>> vader("This doesn’t look good.")["compound"] < 0 < vader("This looks good.")["compound"]
    True
    >>> vader("“great”")["compound"], vader("“great”", vader_input="raw")["compound"]
    (0.6249, 0.0)
    """
    from corpuslab._vader_fast import analyzer

    return analyzer().polarity_scores(prepared(text, vader_input))


def implementation() -> dict[str, str]:
    """Name, version and lexicon sha256 of the VADER implementation (for the manifest)."""
    import vaderSentiment

    lexicon = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    return {"name": "vaderSentiment", "version": metadata.version("vaderSentiment"),
            "lexicon_sha256": sha256_of(lexicon)}
