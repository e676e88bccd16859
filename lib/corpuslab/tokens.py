"""Tokenising, case folding, stopwords, n-grams and the document-term matrix.

One regular-expression tokeniser: words (with inner apostrophes and
hyphens: "don't", "co-operation"), dotted abbreviations ("U.S."), and numbers, in every
script (Latin, Cyrillic, Greek, Arabic, Devanagari with its marks). In a language written
without spaces (Chinese: :mod:`corpuslab.languages`) a run of letters is then segmented into
words by jieba's dictionary (:func:`word_pieces`). Stopwords, Snowball stems and simplemma
lemmas follow each text's ``language`` (an ISO 639-1 code).
Text is NFC-normalised and curly apostrophes, dashes and non-breaking spaces are
straightened first, so "China’s" and "China's" are the same token; character offsets
(:func:`token_spans`, the stream's spans) index the text as given, not the normalised one.
:func:`tokenize` is the readable reference; :func:`token_stream` finds the same tokens
for a whole corpus at once (polars, :mod:`corpuslab._stream`) and :func:`dtm` counts them.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab._nfc import nfc_with_offsets
from corpuslab.engine import SERIAL, Engine
from corpuslab.errors import CorpuslabError
from corpuslab.languages import AUTO, ELISIONS, LANGUAGES, elide, lemma
from corpuslab.languages import stem as snowball_stem
from corpuslab.resources import DATA_DIR, NLTK_DATA_DIR

if TYPE_CHECKING:
    from corpuslab._stream import TokenStream

_NORMALISE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
SUBSTITUTIONS = tuple((chr(k), v) for k, v in _NORMALISE.items())  # one character for one: offsets hold
TOKEN_PATTERN = re.compile(
    r"(?:[^\W\d_]\.){2,}"                        # dotted abbreviations: U.S., e.g.
    r"|[^\W\d_]+(?:['-][^\W\d_]+)*"              # words, with inner ' and -
    r"|\d+(?:[.,]\d+)*"                          # numbers: 2024, 3.5, 1,000
)
NUMBER = re.compile(r"\d")  # a number token starts with a digit
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")  # CJK ideographs
def normalise(text: str) -> str:
    """NFC-normalise, then straighten quotes, dashes and special spaces (one character for one).

    NFC can change a text's length: :func:`normalise_with_offsets` maps positions back.

    >>> normalise("China’s – ‘bromance’")
    "China's - 'bromance'"
    """
    return _substitute(unicodedata.normalize("NFC", text))


def normalise_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """:func:`normalise`'s text, and for each of its positions (and its end) the position in ``text``.

    NFC can shorten a text ("e" + U+0301 -> "é") or lengthen it; offsets found in the
    normalised text index ``text`` once mapped: ``text[offsets[a]:offsets[b]]`` normalises to
    ``normalised[a:b]`` (see :func:`corpuslab._nfc.nfc_with_offsets` for two exceptions inside clusters
    of combining marks).
    ``offsets`` is ``range(len(text) + 1)`` when the text is already NFC (nothing moves), else
    a NumPy array.

    >>> text = "Cafe\\u0301 and China"
    >>> normal, offsets = normalise_with_offsets(text)
    >>> a = normal.index("China")
    >>> text[offsets[a]:offsets[a + 5]]
    'China'
    """
    if unicodedata.is_normalized("NFC", text):
        return _substitute(text), range(len(text) + 1)
    normal, offsets = nfc_with_offsets(text)
    return _substitute(normal), offsets


def _substitute(text: str) -> str:
    for char, replacement in SUBSTITUTIONS:  # a scan per character beats str.translate on long texts
        if char in text:
            text = text.replace(char, replacement)
    return text


EXTENDED_STOPWORDS = DATA_DIR / "stopwords" / "english-extended.txt"


def language_stopwords(language: str, name: str = AUTO, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The stopwords a text in ``language`` loses: with ``name`` "auto" its own language's NLTK list
    (``english-extended`` for English; none for a language without a list), else the list ``name``.

    >>> "und" in language_stopwords("de"), "und" in language_stopwords("de", "english"), language_stopwords("bn")
    (True, False, frozenset())
    """
    if name != AUTO:
        return stopword_list(name, extra)
    if language == "en":
        return stopword_list("english-extended", extra)
    listed = language in LANGUAGES and LANGUAGES[language].stopwords
    return stopword_list(LANGUAGES[language].name if listed else "none", extra)


@lru_cache(maxsize=8)
def stopword_list(name: str = "english-extended", extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The stopwords to remove: NLTK's list for ``name`` ("none" for no list) plus ``extra``.

    ``"english-extended"`` (the default) is NLTK's list of that name (its English list plus contractions,
    modal verbs, "never" and "without") plus the contractions ("we're", "i'm") and modal verbs ("may",
    "must", "shall") it lacks, from ``data/stopwords/english-extended.txt``.

    >>> "the" in stopword_list("english")
    True
    >>> "would" in stopword_list("english-extended"), "would" in stopword_list("english")
    (True, False)
    >>> sorted(stopword_list("none", ("said",)))
    ['said']
    """
    if name == AUTO:
        raise CorpuslabError("tokens.stopwords: 'auto' depends on each text's language; use language_stopwords")
    words: set[str] = set(extended_additions()) if name == "english-extended" else set()
    if name != "none":
        words.update(w.replace("\u2019", "'") for w in _nltk_stopwords(name))
    words.update(w.lower() for w in extra)
    return frozenset(words)


def extended_additions() -> list[str]:
    """The words corpuslab adds to NLTK's ``english-extended`` list (``data/stopwords/english-extended.txt``)."""
    lines = EXTENDED_STOPWORDS.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


NLTK_ENGLISH_ADDITIONS = frozenset({
    "could", "would", "ought", "cannot", "can't", "let's", "that's", "there's", "here's", "who's", "what's",
    "where's", "when's", "why's", "how's", "could've", "would've", "might've", "must've", "daren't", "oughtn't",
    "mayn't", "never", "without"})
"""The words NLTK's ``english-extended`` list adds to its English list (NLTK builds that list in code, in
``nltk.corpus.reader.stopwords_extended``, with U+2019 variants of each). Written out here so that a kernel needs
no NLTK import (about 3 s) for the default stopwords; a test checks the list equals NLTK's."""


def _nltk_stopwords(name: str) -> list[str]:
    """NLTK's stopword list ``name``, read from the vendored zip (``english-extended``: its English list plus
    :data:`NLTK_ENGLISH_ADDITIONS`, as NLTK builds it)."""
    with zipfile.ZipFile(NLTK_DATA_DIR / "corpora" / "stopwords.zip") as lists:
        files = {f.removeprefix("stopwords/") for f in lists.namelist() if f.startswith("stopwords/")} - {"", "README"}
        listed = "english" if name == "english-extended" else name
        if listed not in files:
            allowed = ", ".join(sorted(files | {"english-extended"}))
            raise CorpuslabError(f"tokens.stopwords: got {name!r}; allowed: none, or one of {allowed}")
        words = [w for w in lists.read(f"stopwords/{listed}").decode("utf-8").splitlines() if w.strip()]
    return [*words, *sorted(NLTK_ENGLISH_ADDITIONS)] if name == "english-extended" else words


def tokenize(
    text: str,
    *,
    lowercase: bool = True,
    min_length: int = 1,
    stopwords: frozenset[str] | dict[str, frozenset[str]] = frozenset(),
    keep_numbers: bool = True,
    phrases: tuple[str, ...] = (),
    stem: str = "none",
    lemmatize: bool = False,
    language: str = "en",
) -> list[str]:
    """Split ``text`` (written in ``language``, an ISO 639-1 code) into tokens.

    ``stopwords``: a set, or a dict of sets by language (the one of ``language`` is used).
    ``phrases`` are multiword expressions kept as one token joined by "_"
    ("Xi Jinping" -> "xi_jinping"; matched case-insensitively before stopwords
    are removed, so "Belt and Road" survives). ``stem="snowball"`` applies NLTK's
    English Snowball stemmer; ``lemmatize=True`` maps words to dictionary forms
    with simplemma (offline, data inside the package); both use ``language`` and leave
    the tokens of a language they do not cover as they are. Phrases are neither
    stemmed nor lemmatised. Chinese (``language="zh"``) is segmented into words by
    jieba; French, Italian and Catalan lose elided articles ("l'homme" -> "homme").

    >>> tokenize("The U.S. and China’s co-operation, in 2024!", stopwords=frozenset({"the", "and", "in"}))
    ['u.s.', "china's", 'co-operation', '2024']
    >>> tokenize("Xi Jinping backs the Belt and Road", phrases=("Xi Jinping", "Belt and Road"), stem="snowball")
    ['xi_jinping', 'back', 'the', 'belt_and_road']
    >>> tokenize("中国和俄罗斯加强了战略伙伴关系。", language="zh")
    ['中国', '和', '俄罗斯', '加强', '了', '战略伙伴', '关系']
    """
    stopwords = _for_language(stopwords, language)
    tokens = _words(normalise(text), language)
    compounds: set[str] = set()
    if phrases:
        tokens, compounds = _compound(tokens, phrases, language)
    if language in ELISIONS:
        tokens = [t if t in compounds else elide(t, language) for t in tokens]
    if lowercase:
        tokens = [t.lower() for t in tokens]
    tokens = [
        t for t in tokens
        if len(t) >= min_length
        and t.lower() not in stopwords
        and (keep_numbers or not NUMBER.match(t))
    ]
    if lemmatize:
        tokens = [t if t in compounds else lemma(t, language) for t in tokens]
        tokens = [t.lower() for t in tokens] if lowercase else tokens
    if stem not in ("none", "snowball"):
        raise CorpuslabError(f"tokens.stem: got {stem!r}; allowed: one of none, snowball")
    if stem == "snowball":
        tokens = [t if t in compounds else snowball_stem(t, language) for t in tokens]
    return tokens


def _words(normalised: str, language: str) -> list[str]:
    """The tokens of a normalised text: :data:`TOKEN_PATTERN`'s, segmented into words in a language written
    without spaces."""
    tokens = TOKEN_PATTERN.findall(normalised)
    if language in LANGUAGES and LANGUAGES[language].segmented:
        return [piece for token in tokens for _, piece in word_pieces(token, language)]
    return tokens


KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")  # hiragana, katakana


@lru_cache(maxsize=200_000)
def word_pieces(token: str, language: str = "zh") -> tuple[tuple[int, str], ...]:
    """The words of one token of a language written without spaces, with their offsets in it: for Chinese,
    jieba's segmentation (its dictionary, no randomness) of a token holding CJK ideographs; for Japanese, janome's
    (its IPADIC dictionary) of a token holding kana or ideographs; else the token.

    >>> word_pieces("俄罗斯总统"), word_pieces("Putin")
    (((0, '俄罗斯'), (3, '总统')), ((0, 'Putin'),))
    >>> word_pieces("ロシアと中国", "ja")
    ((0, 'ロシア'), (3, 'と'), (4, '中国'))
    """
    if language == "ja" and (HAN.search(token) or KANA.search(token)):
        words = _janome().tokenize(token)
    elif language != "ja" and HAN.search(token):
        words = _jieba().cut(token, HMM=True)
    else:
        return ((0, token),)
    pieces, at = [], 0
    for piece in words:
        if TOKEN_PATTERN.fullmatch(piece):
            pieces.append((at, piece))
        at += len(piece)
    return tuple(pieces)


@lru_cache(maxsize=1)
def _janome():
    """janome's Japanese segmenter (surface forms only), its dictionary loaded once."""
    from janome.tokenizer import Tokenizer

    return Tokenizer(wakati=True)


@lru_cache(maxsize=1)
def _jieba():
    """jieba's segmenter, its dictionary loaded once and quietly."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    return segmenter


def _compound(tokens: list[str], phrases: Sequence[str], language: str = "en") -> tuple[list[str], set[str]]:
    """Join runs of tokens that spell a phrase into one "_"-joined token (longest phrase first)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = tuple(_words(normalise(phrase).lower(), language))
        if parts:
            by_first.setdefault(parts[0], []).append(parts)
    for options in by_first.values():
        options.sort(key=len, reverse=True)
    out, joined, i = [], set(), 0
    lower = [t.lower() for t in tokens]
    while i < len(tokens):
        for parts in by_first.get(lower[i], ()):
            if tuple(lower[i:i + len(parts)]) == parts:
                token = "_".join(tokens[i:i + len(parts)])
                out.append(token)
                joined.update({token, token.lower()})
                i += len(parts)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out, joined


def ngrams(tokens: Sequence[str], n: int) -> list[str]:
    """Space-joined n-grams of a token list.

    >>> ngrams(["a", "b", "c"], 2)
    ['a b', 'b c']
    """
    return [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def dtm(texts: Iterable[str], *, engine: Engine = SERIAL, stream: TokenStream | None = None,
        languages: Sequence[str] | None = None, **tokenize_options) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse document-term counts and the sorted vocabulary, as :func:`tokenize` would count them.

    Tokens come from :func:`token_stream` (compiled code, no Python per token), or from
    ``stream``, the stream of these same ``texts`` found before (a cached one, say);
    stopwords, length, number, lemma and stem rules are then applied once per
    *type* rather than per token. The result equals scikit-learn's
    ``CountVectorizer(analyzer=tokenize)`` on every engine. With ``phrases``,
    tokens are joined per text first (the plain path; ``stream`` is not read).

    ``languages``: each text's language (else ``language`` for all), which picks its segmentation, stems
    and lemmas, and its stopwords when ``stopwords`` maps languages to lists (:func:`language_stopwords`).

    >>> X, terms = dtm(["a b b", "b c"])
    >>> list(terms), X.toarray().tolist()
    (['a', 'b', 'c'], [[1, 2, 0], [0, 1, 1]])
    >>> X, terms = dtm(["the war", "der Krieg"], languages=["en", "de"],
    ...                stopwords={"en": frozenset({"the"}), "de": frozenset({"der"})})
    >>> list(terms), X.toarray().tolist()
    (['krieg', 'war'], [[0, 1], [1, 0]])
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return sparse.csr_matrix((0, 0), dtype=np.int64), np.array([], dtype=object)
    languages = (list(languages) if languages is not None
                 else [tokenize_options.pop("language", "en")] * len(texts))
    tokenize_options.pop("language", None)
    if len(languages) != len(texts):
        raise ValueError(f"dtm: {len(languages)} languages for {len(texts)} texts")
    if tokenize_options.get("phrases"):
        return _dtm_by_tokens(texts, languages, **tokenize_options)
    if stream is None:
        stream = token_stream(texts, engine=engine, languages=languages)
    elif len(stream.lengths) != len(texts):
        raise ValueError(f"dtm: the stream holds {len(stream.lengths)} texts, not the {len(texts)} given")
    stream = stream.folded(tokenize_options.get("lowercase", True))
    stopwords = tokenize_options.pop("stopwords", frozenset())
    distinct = sorted(set(languages))
    if len(distinct) == 1:  # one language: each type mapped once
        to_term, terms = term_ids(stream.types, stopwords=_for_language(stopwords, distinct[0]),
                                  language=distinct[0], **tokenize_options)
        return stream.term_counts(to_term, len(terms)), terms
    mapped = [term_ids(stream.types, stopwords=_for_language(stopwords, lang), language=lang, **tokenize_options)
              for lang in distinct]  # each type mapped once per language
    terms = np.array(sorted(set().union(*(t.tolist() for _, t in mapped))), dtype=object)
    to_term = np.full((len(distinct), len(stream.types) + 1), -1, dtype=np.int64)  # last column: a BREAK
    for row, (ids, own_terms) in enumerate(mapped):
        to_global = np.searchsorted(terms, own_terms) if len(own_terms) else np.zeros(0, dtype=np.int64)
        to_term[row, :-1] = np.where(ids >= 0, to_global[np.maximum(ids, 0)] if len(own_terms) else -1, -1)
    row_of_text = np.searchsorted(distinct, languages)
    term = to_term[row_of_text[stream.doc_index()], stream.ids]  # an id of -1 (a BREAK) picks the last column
    kept = term >= 0
    used, term = np.unique(term[kept], return_inverse=True)  # a type mapped in one language may occur only in another
    kept_before = np.concatenate([[0], np.cumsum(kept, dtype=np.int64)])
    from corpuslab._stream import count_matrix

    return count_matrix(kept_before[np.concatenate([[0], np.cumsum(stream.lengths)])], term, len(used)), terms[used]


def _for_language(stopwords, language: str) -> frozenset[str]:
    """The stopwords of a text in ``language``: ``stopwords`` itself, or its entry when it maps languages to lists."""
    return stopwords.get(language, frozenset()) if isinstance(stopwords, dict) else stopwords


def _dtm_by_tokens(texts: list[str], languages: list[str] | None = None,
                   **tokenize_options) -> tuple[sparse.csr_matrix, np.ndarray]:
    from sklearn.feature_extraction.text import CountVectorizer

    languages = languages or [tokenize_options.pop("language", "en")] * len(texts)
    vectorizer = CountVectorizer(analyzer=lambda pair: tokenize(pair[0], language=pair[1], **tokenize_options),
                                 dtype=np.int64)
    try:
        matrix = vectorizer.fit_transform(list(zip(texts, languages)))
    except ValueError:  # every text empty after tokenising
        return sparse.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], dtype=object)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def term_ids(types, *, lowercase: bool = True, min_length: int = 1, stopwords: frozenset[str] = frozenset(),
             keep_numbers: bool = True, phrases=(), stem: str = "none",
             lemmatize: bool = False, language: str = "en") -> tuple[np.ndarray, np.ndarray]:
    """:func:`tokenize`'s per-token rules applied once per (case-folded) type of a text in ``language``.

    Returns each type's index into the sorted terms (-1: the type is dropped) and the terms.

    >>> ids, terms = term_ids(["the", "runs", "ran"], stopwords=frozenset({"the"}), stem="snowball")
    >>> ids.tolist(), terms.tolist()
    ([-1, 1, 0], ['ran', 'run'])
    """
    if stem not in ("none", "snowball"):
        raise CorpuslabError(f"tokens.stem: got {stem!r}; allowed: one of none, snowball")
    mapped: list[str | None] = []
    elision = ELISIONS.get(language)
    for t in types:
        if elision is not None:
            t = elision.sub("", t)
        if len(t) < min_length or t.lower() in stopwords or (not keep_numbers and NUMBER.match(t)):
            mapped.append(None)
            continue
        if lemmatize:
            t = lemma(t, language).lower() if lowercase else lemma(t, language)
        if stem == "snowball":
            t = snowball_stem(t, language)
        mapped.append(t)
    terms = np.array(sorted({t for t in mapped if t is not None}), dtype=object)
    position = {t: j for j, t in enumerate(terms)}
    ids = np.fromiter((-1 if t is None else position[t] for t in mapped), dtype=np.int64, count=len(mapped))
    return ids, terms


def token_counts(texts: Iterable[str], *, engine: Engine = SERIAL, **tokenize_options) -> pd.Series:
    """Number of tokens in each text, with the same options as :func:`dtm` (its row sums)."""
    X, _ = dtm(texts, engine=engine, **tokenize_options)
    return pd.Series(np.asarray(X.sum(axis=1)).ravel(), dtype="int64")


def token_spans(text: str, *, language: str = "en") -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text`` in ``language`` (before case folding or stopword removal).

    Spans index ``text`` itself, also where normalising moved characters (:func:`normalise_with_offsets`).

    >>> text = "China’s U.S. ties."
    >>> [text[a:b] for a, b in token_spans(text)]
    ['China’s', 'U.S.', 'ties']
    """
    normal, offsets = normalise_with_offsets(text)
    return [(int(offsets[m.start() + at]), int(offsets[m.start() + at + len(piece)]))
            for m in TOKEN_PATTERN.finditer(normal) for at, piece in _pieces(m.group(0), language)]


def _pieces(token: str, language: str) -> tuple[tuple[int, str], ...]:
    segmented = language in LANGUAGES and LANGUAGES[language].segmented
    return word_pieces(token, language) if segmented else ((0, token),)


def token_runs(text: str, *, lowercase: bool = True, language: str = "en") -> list[list[str]]:
    """Tokens split into runs that no punctuation interrupts (n-grams never cross a comma or full stop).

    >>> token_runs("Me too!  I like ice cream.")
    [['me', 'too'], ['i', 'like', 'ice', 'cream']]
    """
    norm = normalise(text)
    runs: list[list[str]] = []
    last_end = None
    for m in TOKEN_PATTERN.finditer(norm):
        pieces = [p.lower() if lowercase else p for _, p in _pieces(m.group(0), language)]
        if last_end is None or norm[last_end:m.start()].strip():
            runs.append(pieces)
        else:
            runs[-1].extend(pieces)
        last_end = m.end()
    return runs


def token_stream(texts: Sequence[str], *, spans: bool = False, engine: Engine = SERIAL,
                 languages: Sequence[str] | None = None) -> TokenStream:
    """Every token of ``texts`` in reading order, as integer ids (a :class:`~corpuslab._stream.TokenStream`).

    The tokens of :func:`token_runs` (punctuation breaks included), found by polars' compiled
    regex engine with no Python string per token; on a Dask ``engine`` the corpus is tokenised
    in chunks on the cluster. ``spans=True`` adds each entry's character offsets (as
    :func:`token_spans`: into the texts as given). The texts whose ``languages`` entry is a language
    written without spaces (Chinese, Japanese) then have their tokens segmented into words (:func:`word_pieces`).

    >>> s = token_stream(["Xi met Putin.", "", "U.S. ties"])
    >>> [s.types[i] if i >= 0 else "|" for i in s.ids], s.lengths.tolist()
    (['Xi', 'met', 'Putin', '|', 'U.S.', 'ties'], [4, 0, 2])
    """
    from corpuslab import _stream

    stream = _stream.find([t if isinstance(t, str) else "" for t in texts], spans=spans, engine=engine)
    languages = list(languages or ())
    for language in sorted({lang for lang in languages if lang in LANGUAGES and LANGUAGES[lang].segmented}):
        stream = _stream.split_types(stream, np.array([lang == language for lang in languages], dtype=bool),
                                     partial(word_pieces, language=language))
    return stream
