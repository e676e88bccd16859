"""Tokenising, case folding, stopwords, n-grams and the document-term matrix.

One fast regular-expression tokeniser: words (with inner apostrophes and
hyphens: "don't", "co-operation"), dotted abbreviations ("U.S."), and numbers.
Curly apostrophes, dashes and non-breaking spaces are normalised first, so
"China’s" and "China's" are the same token.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache, partial
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.errors import CorpuslabError
from corpuslab.resources import use_vendored_nltk_data

_NORMALISE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_NORMALISE_PAIRS = tuple((chr(k), v) for k, v in _NORMALISE.items())
TOKEN_PATTERN = re.compile(
    r"(?:[^\W\d_]\.){2,}"                        # dotted abbreviations: U.S., e.g.
    r"|[^\W\d_]+(?:['-][^\W\d_]+)*"              # words, with inner ' and -
    r"|\d+(?:[.,]\d+)*"                          # numbers: 2024, 3.5, 1,000
)
_NUMBER = re.compile(r"\d")


def normalise(text: str) -> str:
    """NFC-normalise and straighten quotes, dashes and special spaces (same length).

    >>> normalise("China’s – ‘bromance’")
    "China's - 'bromance'"
    """
    text = unicodedata.normalize("NFC", text)
    for char, replacement in _NORMALISE_PAIRS:  # a scan per character beats str.translate on long texts
        if char in text:
            text = text.replace(char, replacement)
    return text


@lru_cache(maxsize=8)
def stopword_list(name: str = "english", extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The stopwords to remove: NLTK's list for ``name`` ("none" for no list) plus ``extra``.

    >>> "the" in stopword_list("english")
    True
    >>> sorted(stopword_list("none", ("said",)))
    ['said']
    """
    words: set[str] = set()
    if name != "none":
        use_vendored_nltk_data()
        from nltk.corpus import stopwords

        words.update(w.replace("\u2019", "'") for w in stopwords.words(name))
    words.update(w.lower() for w in extra)
    return frozenset(words)


def tokenize(
    text: str,
    *,
    lowercase: bool = True,
    min_length: int = 1,
    stopwords: frozenset[str] = frozenset(),
    keep_numbers: bool = True,
    phrases: tuple[str, ...] = (),
    stem: str = "none",
    lemmatize: bool = False,
) -> list[str]:
    """Split ``text`` into tokens.

    ``phrases`` are multiword expressions kept as one token joined by "_"
    ("Xi Jinping" -> "xi_jinping"; matched case-insensitively before stopwords
    are removed, so "Belt and Road" survives). ``stem="snowball"`` applies NLTK's
    English Snowball stemmer; ``lemmatize=True`` maps words to dictionary forms
    with simplemma (offline, data inside the package). Phrases are neither
    stemmed nor lemmatised.

    >>> tokenize("The U.S. and China’s co-operation, in 2024!", stopwords=frozenset({"the", "and", "in"}))
    ['u.s.', "china's", 'co-operation', '2024']
    >>> tokenize("Xi Jinping backs the Belt and Road", phrases=("Xi Jinping", "Belt and Road"), stem="snowball")
    ['xi_jinping', 'back', 'the', 'belt_and_road']
    """
    tokens = TOKEN_PATTERN.findall(normalise(text))
    compounds: set[str] = set()
    if phrases:
        tokens, compounds = _compound(tokens, phrases)
    if lowercase:
        tokens = [t.lower() for t in tokens]
    tokens = [
        t for t in tokens
        if len(t) >= min_length
        and t.lower() not in stopwords
        and (keep_numbers or not _NUMBER.match(t))
    ]
    if lemmatize:
        tokens = [t if t in compounds else _lemma(t) for t in tokens]
        tokens = [t.lower() for t in tokens] if lowercase else tokens
    if stem not in ("none", "snowball"):
        raise CorpuslabError(f"tokens.stem: got {stem!r}; allowed: one of none, snowball")
    if stem == "snowball":
        tokens = [t if t in compounds else _stem(t) for t in tokens]
    return tokens


def _compound(tokens: list[str], phrases: Sequence[str]) -> tuple[list[str], set[str]]:
    """Join runs of tokens that spell a phrase into one "_"-joined token (longest phrase first)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = tuple(TOKEN_PATTERN.findall(normalise(phrase).lower()))
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


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _stemmer().stem(token)


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _lemma(token: str) -> str:
    import simplemma

    return simplemma.lemmatize(token, lang="en")


def tokenizer_from_params(cfg: dict) -> dict:
    """The keyword arguments of :func:`tokenize` that the params ``tokens.*`` set."""
    return {
        "lowercase": cfg["tokens.lowercase"],
        "min_length": cfg["tokens.min_length"],
        "stopwords": stopword_list(cfg["tokens.stopwords"], tuple(cfg["tokens.extra_stopwords"])),
        "keep_numbers": cfg["tokens.keep_numbers"],
        "phrases": tuple(cfg.get("tokens.phrases", ())),
        "stem": cfg.get("tokens.stem", "none"),
        "lemmatize": cfg.get("tokens.lemmatize", False),
    }


def ngrams(tokens: Sequence[str], n: int) -> list[str]:
    """Space-joined n-grams of a token list.

    >>> ngrams(["a", "b", "c"], 2)
    ['a b', 'b c']
    """
    return [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def dtm(texts: Iterable[str], *, engine: str = "local", n_jobs: int = 1, scheduler: str = "",
        **tokenize_options) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse document-term counts and the sorted vocabulary, as :func:`tokenize` would count them.

    Tokens are counted once per text with the tokeniser's regular expression;
    stopwords, length, number, lemma and stem rules are then applied once per
    *type* rather than per token, and large corpora are counted in partitions
    over ``n_jobs`` processes or a Dask cluster (``engine="dask"``). The result
    equals scikit-learn's ``CountVectorizer(analyzer=tokenize)`` on every engine.
    With ``phrases``, tokens are joined per text first (the plain path).

    >>> X, terms = dtm(["a b b", "b c"])
    >>> list(terms), X.toarray().tolist()
    (['a', 'b', 'c'], [[1, 2, 0], [0, 1, 1]])
    """
    from corpuslab import engine as engines

    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return sparse.csr_matrix((0, 0), dtype=np.int64), np.array([], dtype=object)
    if tokenize_options.get("phrases"):
        return _dtm_by_tokens(texts, **tokenize_options)
    lowercase = tokenize_options.get("lowercase", True)
    table = pd.DataFrame({"text": texts})
    parallel = engines.worth_parallel(table, n_jobs, engine)
    n_parts = int(table["text"].str.len().sum()) // CHUNK_CHARS + 1  # bounded memory: tokens live per chunk
    if parallel:
        n_parts = max(n_parts, engines.resolve_jobs(n_jobs) * 4)
    parts = engines.partition(table, n_parts)
    counted = engines.run(partial(_raw_counts, lowercase=lowercase), [p["text"].tolist() for p in parts],
                          engine=engine, n_jobs=n_jobs if parallel else 1, scheduler=scheduler)
    raw, types = _stack(counted) if len(counted) > 1 else counted[0]
    return _apply_type_rules(raw, types, **tokenize_options)


CHUNK_CHARS = 5_000_000  # text counted at once: its token strings exist only while its chunk is counted


def _dtm_by_tokens(texts: list[str], **tokenize_options) -> tuple[sparse.csr_matrix, np.ndarray]:
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=lambda t: tokenize(t, **tokenize_options), dtype=np.int64)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # every text empty after tokenising
        return sparse.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], dtype=object)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _raw_counts(texts: list[str], *, lowercase: bool = True) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of every regex token per text (no filtering), with the types in first-seen order.

    The tokens of all texts are factorised at once (pandas' hash table, in C),
    so no Python code runs per token or per type.
    """
    found_all: list[str] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        text = normalise(text)
        if lowercase and "\u0130" not in text:  # only İ lower-cases to more than one character
            found = TOKEN_PATTERN.findall(text.lower())
        else:
            found = TOKEN_PATTERN.findall(text)
            if lowercase and found:
                found = "\x00".join(found).lower().split("\x00")  # one C call instead of one per token
        found_all.extend(found)
        lengths[i] = len(found)
    codes, uniques = pd.factorize(pd.Series(found_all, dtype=object), sort=False)
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    matrix = sparse.csr_matrix((np.ones(len(codes), dtype=np.int64), (rows, codes)),
                               shape=(len(texts), len(uniques)))
    matrix.sum_duplicates()
    return matrix, list(uniques)


def _stack(counted: list[tuple[sparse.csr_matrix, list[str]]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Merge partition counts into one matrix over the union of their types."""
    vocabulary: dict[str, int] = {}
    blocks = []
    for matrix, types in counted:
        columns = np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in types), dtype=np.int64,
                              count=len(types))
        coo = matrix.tocoo()
        blocks.append((coo.row, columns[coo.col] if len(types) else coo.col, coo.data, matrix.shape[0]))
    offset, rows, cols, data = 0, [], [], []
    for row, col, values, n in blocks:
        rows.append(row + offset)
        cols.append(col)
        data.append(values)
        offset += n
    matrix = sparse.csr_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(offset, len(vocabulary)), dtype=np.int64)
    return matrix, list(vocabulary)


def _apply_type_rules(raw: sparse.csr_matrix, types: list[str], *, lowercase: bool = True, min_length: int = 1,
                      stopwords: frozenset[str] = frozenset(), keep_numbers: bool = True, phrases=(),
                      stem: str = "none", lemmatize: bool = False) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Apply :func:`tokenize`'s per-token rules to each type once; merge types that become one term."""
    if stem not in ("none", "snowball"):
        raise CorpuslabError(f"tokens.stem: got {stem!r}; allowed: one of none, snowball")
    kept, mapped = [], []
    for i, t in enumerate(types):
        if len(t) < min_length or t.lower() in stopwords or (not keep_numbers and _NUMBER.match(t)):
            continue
        if lemmatize:
            t = _lemma(t).lower() if lowercase else _lemma(t)
        if stem == "snowball":
            t = _stem(t)
        kept.append(i)
        mapped.append(t)
    terms = np.array(sorted(set(mapped)), dtype=object)
    if not len(terms):
        return sparse.csr_matrix((raw.shape[0], 0), dtype=np.int64), terms
    position = {t: j for j, t in enumerate(terms)}
    merge = sparse.csr_matrix((np.ones(len(kept), dtype=np.int64), ([*range(len(kept))], [position[t] for t in mapped])),
                              shape=(len(kept), len(terms)))
    matrix = (raw[:, kept] @ merge).tocsr()
    matrix.sort_indices()
    return matrix.astype(np.int64), terms


def token_counts(texts: Iterable[str], **tokenize_options) -> pd.Series:
    """Number of tokens in each text, with the same options as :func:`dtm`."""
    return pd.Series([len(tokenize(t, **tokenize_options)) for t in texts], dtype="int64")


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text`` (before case folding or stopword removal).

    Normalising keeps lengths, so spans index the original text.

    >>> text = "China’s U.S. ties."
    >>> [text[a:b] for a, b in token_spans(text)]
    ['China’s', 'U.S.', 'ties']
    """
    return [m.span() for m in TOKEN_PATTERN.finditer(normalise(text))]


def token_runs(text: str, *, lowercase: bool = True) -> list[list[str]]:
    """Tokens split into runs that no punctuation interrupts (n-grams never cross a comma or full stop).

    >>> token_runs("Me too!  I like ice cream.")
    [['me', 'too'], ['i', 'like', 'ice', 'cream']]
    """
    norm = normalise(text)
    runs: list[list[str]] = []
    last_end = None
    for m in TOKEN_PATTERN.finditer(norm):
        token = m.group(0).lower() if lowercase else m.group(0)
        if last_end is None or norm[last_end:m.start()].strip():
            runs.append([token])
        else:
            runs[-1].append(token)
        last_end = m.end()
    return runs
