"""Dictionary screening (behind :func:`corpuslab.dictionary.mentions`): which units an entry's regex need read.

Before an entry's Python regex runs, polars' compiled engine keeps only the units that
contain one of its terms' first words (ignoring case: a literal search), then that word whole
at its start (and end, for a one-word term) in the term's case rule. The screens' word
characters are a subset of Python's ``\\w``, so they keep every unit the entry's own
pattern matches (a property test compares the mentions with and without screening); the
regex, which needs look-behind and user-written ``regex:`` items, then reads a few per cent
of a large corpus.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from corpuslab._stream import unassigned_class
from corpuslab.tokens import normalise


def candidates(texts, entry, *, unspaced: bool = False) -> np.ndarray:
    """Positions of the ``texts`` (a polars String Series, normalised) that ``entry`` may match, in order;
    ``unspaced``: whether the texts may hold Han, kana or Hangul (letters that bound a word there)."""
    picked = np.arange(len(texts))
    found = screens(entry, unspaced)
    if found is None:
        return picked
    picked = np.flatnonzero(texts.str.contains(found[0]).to_numpy())
    return picked[texts.gather(picked).str.contains(found[1]).to_numpy()] if len(picked) else picked


def name_words(dictionary) -> dict[str, str]:
    """The first word of each entry that is an automatic name (:func:`corpuslab.names.names_dictionary`): every
    match of such an entry starts with that word as written, so only the units that contain it need its regex."""
    from corpuslab.names import name_regex

    return {e.name: e.name.split()[0] for e in dictionary.values()
            if not e.terms and e.name.split() and e.regex == (name_regex(e.name),)}


def containing(texts, words) -> dict[str, np.ndarray]:
    """For each of ``words``, the positions of the ``texts`` (a polars String Series) that contain it as written,
    in order: one Aho-Corasick pass (polars' ``extract_many``) for all the words."""
    import polars as pl

    found = (pl.DataFrame({"word": texts.str.extract_many(sorted(words), overlapping=True)}).with_row_index("row")
             .explode("word").drop_nulls().unique(maintain_order=True).group_by("word").agg("row"))
    rows = {word: np.sort(np.array(at, dtype="int64")) for word, at in found.iter_rows()}
    return {word: rows.get(word, np.array([], dtype="int64")) for word in words}


@lru_cache(maxsize=512)
def screens(entry, unspaced: bool = True) -> tuple[str, str] | None:
    """Two regexes (polars' syntax) found in every unit that ``entry`` matches: a term's first word
    anywhere, ignoring case, then that word whole at its start (and end, for a one-word term) in the
    term's case rule; with ``unspaced``, a Han, kana or Hangul letter bounds a word too (as in text that
    has them: :mod:`corpuslab.dictionary`). None when the entry has ``regex:`` items (they can match anything).

    >>> from corpuslab.dictionary import from_mapping
    >>> screens(from_mapping({"US": ["US", "United States"]})["US"])[0]
    '(?i)(?:US|United)'
    """
    from corpuslab.dictionary import is_case_sensitive, is_unspaced

    if entry.regex or not entry.terms:
        return None
    bounds = r"|[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]" if unspaced else ""  # as dictionary._LEFT
    not_word = rf"(?:^|$|[^[\p{{L}}\p{{Nd}}_]--{unassigned_class()}]{bounds})"
    anywhere, whole, inside = [], [], []
    for term in entry.terms:
        core = normalise(term.strip())
        wildcard, core = core.endswith("*"), core.rstrip("*")
        if not core.split() or not core.split()[0].rstrip("*"):
            return None  # a bare "*" matches any word
        first = "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):X}}}"
                        for c in core.split()[0].rstrip("*"))
        anywhere.append(first)
        if is_unspaced(core):  # matched anywhere, without word boundaries
            inside.append(first)
            continue
        one_word = len(core.split()) == 1 and not wildcard and not core.endswith((".", "-", "*"))
        flags = "" if is_case_sensitive(core) else "i"
        body = first + (not_word if one_word else "")
        whole.append(f"(?{flags}:{body})" if flags else f"(?:{body})")
    bounded = [not_word + "(?:" + "|".join(whole) + ")"] if whole else []
    return "(?i)(?:" + "|".join(anywhere) + ")", "|".join(bounded + inside)
