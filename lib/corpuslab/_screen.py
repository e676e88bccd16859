"""Dictionary scanning (behind :func:`corpuslab.dictionary.mentions`): which units an entry's regex need read,
and the matches of all entries in a chunk of units (:func:`chunk_mentions`).

Before an entry's Python regex runs, polars' compiled engine keeps only the units that
contain one of its terms' first words (ignoring case: a literal search), then that word whole
at its start (and end, for a one-word term) in the term's case rule. The screens' word
characters are a subset of Python's ``\\w``, so they keep every unit the entry's own
pattern matches (a property test compares the mentions with and without screening); the
regex, which needs look-behind and user-written ``regex:`` items, then reads a few per cent
of a large corpus. An automatic name (:mod:`corpuslab.names`, a ``regex:`` item) reads only the units that
hold its first word as written, found for all names at once (:func:`containing`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from corpuslab._stream import unassigned_class
from corpuslab.tokens import normalise, normalise_with_offsets

_SEPARATOR = "\x00"  # joins units; no term matches it, so no match crosses two units


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


def chunk_mentions(chunk: tuple[list[str], int], dictionary: Mapping) -> pd.DataFrame:
    """Matches in a run of units (their texts, first row position): unit (row position), order (entry
    position), entry, category, match, start, end.

    Each entry's regular expression scans only the units :func:`candidates` keeps (found at once for all
    units by polars' compiled engine); an automatic name's, only the units holding its first word.
    """
    import polars as pl

    from corpuslab.dictionary import _NON_LATIN, _UNSPACED

    texts, offsets, joined = _normalised(chunk[0])
    series = pl.Series(texts, dtype=pl.String)

    @cache
    def within(script: str) -> np.ndarray:  # the units with letters of another alphabet, or of Han, kana, Hangul
        return np.flatnonzero(series.str.contains(_NON_LATIN if script == "other" else f"[{_UNSPACED}]").to_numpy())

    every_unit = (np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]), joined)  # where each unit starts in joined
    words = name_words(dictionary)  # automatic names: only the units holding their first word
    holding = containing(series, set(words.values())) if words else {}
    found = []  # (order, entry, its matches: unit, match, start, end)
    for order, entry in enumerate(dictionary.values()):
        parts = []
        for script, part, pattern, plain in entry.parts or (("latin", entry, entry.pattern, entry.pattern),):
            # Han, kana or Hangul change only the terms' screens and word boundaries, not regex: items
            unspaced = bool(part.terms) and bool(len(within("unspaced")))
            if script == "latin":
                picked = candidates(series, part, unspaced=unspaced)
            elif len(within(script)):  # only the units written (partly) in that script
                picked = within(script)[candidates(series.gather(within(script)), part, unspaced=unspaced)]
            else:
                continue
            if entry.name in words:
                held = holding[words[entry.name]]
                picked = held if len(picked) == len(texts) else np.intersect1d(picked, held, assume_unique=True)
            if len(picked):
                parts.append(_matches(pattern if unspaced else plain, picked, texts, every_unit))
        parts = [p for p in parts if len(p[0])]
        if parts:
            found.append((order, entry, parts[0] if len(parts) == 1 else _leftmost_longest(parts)))
    return _chunk_table(found, offsets, chunk[1])


def _normalised(texts: list) -> tuple[list[str], list | None, str]:
    """The units' texts normalised, their offsets (None: no text moved) and the texts joined by NUL.

    Mostly NFC already: then the joined text is normalised at once, as NUL neither composes nor moves."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1 and unicodedata.is_normalized("NFC", joined):
        joined = normalise(joined)  # one character for one
        return joined.split(_SEPARATOR), None, joined
    normalised = [normalise_with_offsets(t) for t in texts]
    texts = [text for text, _ in normalised]
    return texts, [offsets for _, offsets in normalised], _SEPARATOR.join(texts)


def _matches(pattern, picked: np.ndarray, texts: list[str], every_unit: tuple) -> tuple:
    """The matches of ``pattern`` in the ``picked`` units: unit, match, start, end (offsets into the unit)."""
    if len(picked) == len(texts):  # no screen (regex items, such as automatic names): every unit, joined once
        starts, joined = every_unit
    else:
        lengths = np.diff(every_unit[0], append=len(every_unit[1]) + 1)  # of each unit and its NUL
        starts = np.concatenate([[0], np.cumsum(lengths[picked[:-1]])])
        joined = _SEPARATOR.join([texts[i] for i in picked.tolist()])
    found = [(m.group(0), m.start(), m.end()) for m in pattern.finditer(joined) if _SEPARATOR not in m.group(0)]
    match, start, end = zip(*found) if found else ((), (), ())
    start, end = np.array(start, dtype="int64"), np.array(end, dtype="int64")
    which = np.searchsorted(starts, start, side="right") - 1
    return picked[which], list(match), start - starts[which], end - starts[which]


def _chunk_table(found: list, offsets: list | None, first: int) -> pd.DataFrame:
    """:func:`chunk_mentions`'s table of the matches ``found`` per entry, offsets mapped to the texts as given."""
    columns = ["unit", "order", "entry", "category", "match", "start", "end"]
    if not found:
        return pd.DataFrame(columns=columns)
    sizes = [len(matches[1]) for _, _, matches in found]
    table = pd.DataFrame({
        "unit": np.concatenate([matches[0] for _, _, matches in found]).astype("int64"),
        "order": np.repeat(np.array([order for order, _, _ in found], dtype="int64"), sizes),
        "entry": [entry.name for (_, entry, _), n in zip(found, sizes) for _ in range(n)],
        "category": [entry.category for (_, entry, _), n in zip(found, sizes) for _ in range(n)],
        "match": [m for _, _, matches in found for m in matches[1]],
        "start": np.concatenate([matches[2] for _, _, matches in found]),
        "end": np.concatenate([matches[3] for _, _, matches in found])})
    if offsets is not None:
        _to_original(table, offsets)
    return table.assign(unit=table["unit"] + first)


def _leftmost_longest(parts: list[tuple]) -> tuple:
    """The matches of an entry's script parts (each unit, match, start, end) in text order, without overlaps:
    the longest of those that start together, as one alternation of all the entry's terms would find them."""
    found = pd.concat([pd.DataFrame({"match": match, "start": start, "end": end, "unit": unit})
                       for unit, match, start, end in parts], ignore_index=True)
    found = found.assign(length=found["start"] - found["end"]).sort_values(["unit", "start", "length"], kind="stable")
    kept, end = [], (-1, 0)
    for row, unit, start, stop in zip(range(len(found)), found["unit"], found["start"], found["end"]):
        if (unit, start) >= end:
            kept.append(row)
            end = (unit, stop)
    found = found.iloc[kept]
    return found["unit"].to_numpy(), found["match"].tolist(), found["start"].to_numpy(), found["end"].to_numpy()


def _to_original(found: pd.DataFrame, offsets: list) -> None:
    """Map ``found``'s start/end (in the normalised text of unit ``unit``) to the unit's text as given, in place."""
    moved = [u for u in np.unique(found["unit"].to_numpy()) if not isinstance(offsets[u], range)]
    if not moved:
        return
    rows = found.groupby("unit").indices
    start, end = found["start"].to_numpy().copy(), found["end"].to_numpy().copy()
    for u in moved:
        start[rows[u]], end[rows[u]] = offsets[u][start[rows[u]]], offsets[u][end[rows[u]]]
    found["start"], found["end"] = start, end
