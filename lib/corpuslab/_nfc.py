"""NFC normalisation that remembers where each character of the result came from.

NFC composes ("e" + U+0301 -> "é", Hangul jamo -> a syllable), reorders combining marks and
replaces a few characters, so the normalised text can be shorter or longer than the original
and its offsets drift. It changes text only within a *cluster*: a run of characters NFC can
move or join, plus the character before the run (a base it may compose with). Every other
character is *stable* (a starter NFC leaves alone, that nothing composes onto), so a text is
normalised cluster by cluster and only the clusters need a map of their own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

HANGUL_VOWELS_AND_TAILS = ((0x1161, 0x1175), (0x11A8, 0x11C2))  # jamo NFC joins onto the jamo before them


@lru_cache(maxsize=1)
def _composition_seconds() -> frozenset[str]:
    """Characters NFC can join onto the character before them: the second of a canonical pair, Hangul V and T."""
    seconds = {chr(c) for first, last in HANGUL_VOWELS_AND_TAILS for c in range(first, last + 1)}
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return frozenset(seconds)


@lru_cache(maxsize=2**16)
def movable(char: str) -> bool:
    """Whether NFC can change ``char``, reorder it, or join it to the character before it.

    >>> movable("a"), movable("\\u0301"), movable("\\u212b"), movable("\\u1161")
    (False, True, True, True)
    """
    first = unicodedata.normalize("NFD", char)[0]
    seconds = _composition_seconds()
    return (unicodedata.normalize("NFC", char) != char or unicodedata.combining(char) != 0 or char in seconds
            or unicodedata.combining(first) != 0 or first in seconds)


def nfc_with_offsets(text: str) -> tuple[str, np.ndarray]:
    """``unicodedata.normalize("NFC", text)`` and, for each of its positions and its end, a position in ``text``.

    Outside clusters positions map one to one. Inside one, position ``j`` maps to the shortest
    prefix of the cluster whose NFC begins with the cluster's first ``j`` normalised characters,
    so a slice of the original between mapped positions normalises to the slice it maps from.
    Two exceptions, both inside a cluster: where NFC moves a mark before another mark that a
    base then absorbs, the slice covers the whole cluster; a position inside the expansion of
    one character (U+0F73 -> two) maps to that character's end.

    >>> normal, offsets = nfc_with_offsets("Cafe\\u0301 bar")
    >>> normal == "Caf\\u00e9 bar", offsets.tolist()
    (True, [0, 1, 2, 3, 5, 6, 7, 8, 9])
    """
    moved = "".join(sorted(c for c in set(text) if movable(c)))
    if not moved:
        return text, np.arange(len(text) + 1, dtype=np.int64)
    clusters = re.compile(f"(?s).?[{re.escape(moved)}]+")
    pieces, offsets, at = [], [], 0
    for match in clusters.finditer(text):
        start, end = match.span()
        cluster = match.group()
        normal = unicodedata.normalize("NFC", cluster)
        pieces += [text[at:start], normal]
        offsets += [np.arange(at, start, dtype=np.int64), start + _cluster_offsets(cluster, normal)]
        at = end
    pieces.append(text[at:])
    offsets += [np.arange(at, len(text) + 1, dtype=np.int64)]
    return "".join(pieces), np.concatenate(offsets)


def _cluster_offsets(cluster: str, normal: str) -> np.ndarray:
    """Positions in ``cluster`` of the first ``len(normal)`` positions of its NFC ``normal`` (not its end)."""
    if cluster == normal:
        return np.arange(len(cluster), dtype=np.int64)
    offsets, i = [0], 0
    for j in range(1, len(normal)):
        while not unicodedata.normalize("NFC", cluster[:i]).startswith(normal[:j]):
            i += 1
        offsets.append(i)
    return np.array(offsets, dtype=np.int64)
