"""vaderSentiment's analyzer with its scoring rules restated for speed, and the packed buffers that carry
the words that fired across processes. Private: :mod:`corpuslab.vader` is the public face.

The reference ``polarity_scores`` first rebuilds every text character by character to
spell out emoji; a text without one comes out unchanged, so :class:`Analyzer` skips straight
to the reference's own scoring steps, restated rule for rule. Each word is lower-cased once
(the reference lower-cases the whole sentence again for each of up to four checks per
sentiment word), only lexicon words are visited (every other word gets the 0 the reference
gives it), and ``negated`` is asked once per distinct word. Texts with emoji go through the
reference unchanged. Same scores as ``SentimentIntensityAnalyzer`` (``tests/unit/test_vader_fast.py``:
every gold sentence, each rule's branch, random word sequences, compared by ``repr``).
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    negated,
    normalize,
    scalar_inc_dec,
)

from corpuslab._vader_fired import Fired


class Analyzer(SentimentIntensityAnalyzer):
    """``SentimentIntensityAnalyzer`` with the same scores, faster on texts without emoji."""

    def word_valences(self, words: list[str], low: list[str]) -> tuple[list, list[int]]:
        """VADER's valence of each word after negation, boosters and capitals (before the "but" rule),
        and the positions of lexicon words: the only ones that can carry a valence."""
        lexicon, last = self.lexicon, len(low) - 1
        sentiments = [0] * len(low)  # the reference appends 0 for boosters, "kind" before "of" and non-lexicon words
        hits = [i for i, word in enumerate(low) if word in lexicon]
        is_cap_diff = cap_differential(words) if hits else False  # read for lexicon words only
        for i in hits:
            if low[i] in BOOSTER_DICT or (low[i] == "kind" and i < last and low[i + 1] == "of"):
                continue
            plain = self._plain(low, i)
            sentiments[i] = self._plain_valence(words, low, i, is_cap_diff) if plain else \
                self._valence(words, low, i, is_cap_diff)
        return sentiments, hits

    @staticmethod
    def _plain(low: list[str], i: int) -> bool:
        """Whether only capitals can change the valence of the lexicon word at ``i``: it is not "no", no booster,
        negator, "no", "never", "without" or "least" stands in the three words before it, nor "this" (or "so")
        just before it, and no two neighbouring words from three before it to two after it start an idiom or
        booster n-gram (as every sequence the idiom rules look up would)."""
        if low[i] == "no" or (i > 0 and low[i - 1] == "this"):
            return False
        start = i - 3 if i > 3 else 0
        if any(map(shapes, low[start:i])):
            return False
        follows, stop = IDIOM_FOLLOWS, min(i + 2, len(low) - 1)
        return not any(low[k] in follows and low[k + 1] in follows[low[k]] for k in range(start, stop))

    def _plain_valence(self, words: list[str], low: list[str], i: int, is_cap_diff: bool) -> float:
        """:meth:`_valence` of a word that is :meth:`_plain`: the lexicon's, with capitals, plus the 0.0 that
        each preceding word outside the lexicon adds (which turns -0.0 into 0.0)."""
        lexicon = self.lexicon
        valence = lexicon[low[i]]
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        if any(low[k] not in lexicon for k in range(i - 3 if i > 3 else 0, i)):
            valence = valence + 0.0
        return valence

    def _valence(self, words: list[str], low: list[str], i: int, is_cap_diff: bool) -> float:
        """``sentiment_valence`` of the lexicon word at ``i``, line for line, on the lower-cased words."""
        lexicon, item_lowercase = self.lexicon, low[i]
        valence = lexicon[item_lowercase]
        if item_lowercase == "no" and i != len(low) - 1 and low[i + 1] in lexicon:
            valence = 0.0  # "no" negates the next lexicon word instead of counting itself
        if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") \
                or (i > 2 and low[i - 3] == "no" and low[i - 1] in ["or", "nor"]):
            valence = lexicon[item_lowercase] * N_SCALAR
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(0, 3):
            if i > start_i and low[i - (start_i + 1)] not in lexicon:
                # scalar_inc_dec gives 0.0 for any word that is not a booster
                s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff) \
                    if low[i - (start_i + 1)] in BOOSTER_DICT else 0.0
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._negation_rules(valence, low, start_i, i)
                if start_i == 2:
                    valence = self._idiom_rules(valence, low, i)
        return self._least_rules(valence, low, i)

    def _least_rules(self, valence, low, i):
        """``_least_check``, line for line, on the lower-cased words."""
        if i > 1 and low[i - 1] not in self.lexicon and low[i - 1] == "least":
            if low[i - 2] != "at" and low[i - 2] != "very":
                valence = valence * N_SCALAR
        elif i > 0 and low[i - 1] not in self.lexicon and low[i - 1] == "least":
            valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _negation_rules(valence, low, start_i, i):
        """``_negation_check``, line for line, on the lower-cased words."""
        if start_i == 0:
            if negates(low[i - 1]):
                valence = valence * N_SCALAR
        if start_i == 1:
            if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                valence = valence * 1.25
            elif low[i - 2] == "without" and low[i - 1] == "doubt":
                pass
            elif negates(low[i - 2]):
                valence = valence * N_SCALAR
        if start_i == 2:
            if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                    (low[i - 1] == "so" or low[i - 1] == "this"):
                valence = valence * 1.25
            elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                pass
            elif negates(low[i - 3]):
                valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _idiom_rules(valence, low, i):
        """``_special_idioms_check``, line for line, on the lower-cased words."""
        threetwoone, threetwo, twoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}", f"{low[i - 3]} {low[i - 2]}", \
            f"{low[i - 2]} {low[i - 1]}"
        for sequence in (f"{low[i - 1]} {low[i]}", f"{low[i - 2]} {low[i - 1]} {low[i]}", twoone, threetwoone,
                         threetwo):
            if sequence in SPECIAL_CASES:
                valence = SPECIAL_CASES[sequence]
                break
        if len(low) - 1 > i and f"{low[i]} {low[i + 1]}" in SPECIAL_CASES:
            valence = SPECIAL_CASES[f"{low[i]} {low[i + 1]}"]
        if len(low) - 1 > i + 1 and f"{low[i]} {low[i + 1]} {low[i + 2]}" in SPECIAL_CASES:
            valence = SPECIAL_CASES[f"{low[i]} {low[i + 1]} {low[i + 2]}"]
        for n_gram in (threetwoone, threetwo, twoone):  # booster and dampener n-grams such as "sort of"
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence

    @staticmethod
    def _sift_sentiment_scores(sentiments):
        """The reference's sums over the nonzero valences only: a zero adds to neither sum, only to the count."""
        pos_sum = 0.0
        neg_sum = 0.0
        for sentiment_score in filter(None, sentiments):
            if sentiment_score > 0:
                pos_sum += (float(sentiment_score) + 1)
            if sentiment_score < 0:
                neg_sum += (float(sentiment_score) - 1)
        return pos_sum, neg_sum, sentiments.count(0)

    def _has_emoji(self, text):
        return not text.isascii() and not self.emojis.keys().isdisjoint(text)

    def _final_valences(self, text):
        """The stripped text, its lower-cased words, their valences after every rule, the lexicon positions."""
        text = text.strip()
        words = words_and_emoticons(text)
        low = [word.lower() for word in words]
        sentiments, hits = self.word_valences(words, low)
        if "but" in low:  # _but_check changes nothing in a sentence without "but"
            sentiments = self._but_check(words, sentiments)
        return text, low, sentiments, hits

    def polarity_scores(self, text):
        if self._has_emoji(text):
            return super().polarity_scores(text)
        text, _, final, _ = self._final_valences(text)
        return self.score_valence(final, text)

    def fired(self, text: str) -> list[tuple[str, float, float, float]]:
        """The words of ``text`` that carry a valence: (word, lexicon valence, valence after negation,
        boosters and capitals, final valence after the "but" rule). Emoji are not spelled out."""
        words = words_and_emoticons(text)
        shaped, _ = self.word_valences(words, [w.lower() for w in words])
        final = self._but_check(words, list(shaped))
        return [(word, lexical, before_but, after_but)
                for word, lexical, before_but, after_but in zip(
                    words, [self.lexicon.get(w.lower(), 0.0) for w in words], shaped, final)
                if lexical or after_but]

    def scores_and_words(self, text: str) -> tuple[tuple[float, float, float, float], list[str], list[float]]:
        """polarity_scores' values (neg, neu, pos, compound), the words that fired (lower-cased) and their final
        valences rounded to 4 places (as :meth:`fired` gives them), from one pass."""
        if self._has_emoji(text):
            fired = self.fired(text)
            return tuple(super().polarity_scores(text).values()), [w.lower() for w, *_ in fired], \
                [round(float(final), 4) for *_, final in fired]
        text, low, final, hits = self._final_valences(text)
        lexicon = self.lexicon
        fired = [i for i in hits if final[i] or lexicon[low[i]]]
        return self.score_row(final, text), [low[i] for i in fired], [round(float(final[i]), 4) for i in fired]

    def score_valence(self, sentiments, text):
        return dict(zip(SCORE_COLUMNS, self.score_row(sentiments, text)))

    def score_row(self, sentiments: list, text: str) -> tuple[float, float, float, float]:
        """The reference ``score_valence``'s neg, neu, pos and compound, line for line, as a tuple."""
        if not sentiments:
            return 0.0, 0.0, 0.0, 0.0
        sum_s = float(sum(sentiments))
        ep_count = min(text.count("!"), 4)
        qm_count = text.count("?")
        qm_amplifier = 0 if qm_count <= 1 else qm_count * 0.18 if qm_count <= 3 else 0.96
        punct_emph_amplifier = ep_count * 0.292 + qm_amplifier
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        compound = normalize(sum_s)
        pos_sum, neg_sum, neu_count = self._sift_sentiment_scores(sentiments)
        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct_emph_amplifier
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct_emph_amplifier
        total = pos_sum + math.fabs(neg_sum) + neu_count
        return (round(math.fabs(neg_sum / total), 3), round(math.fabs(neu_count / total), 3),
                round(math.fabs(pos_sum / total), 3), round(compound, 4))


@lru_cache(maxsize=1)
def analyzer() -> Analyzer:
    """The one :class:`Analyzer` of this process (reading the lexicon takes 0.1 s)."""
    return Analyzer()


def words_and_emoticons(text: str) -> list[str]:
    """SentiText's words: tokens stripped of leading and trailing punctuation, unless that leaves
    two characters or fewer (an emoticon such as ":)" stays whole)."""
    return [token if len(stripped := token.strip(string.punctuation)) <= 2 else stripped for token in text.split()]


def cap_differential(words: list[str]) -> bool:
    """allcap_differential: some but not all words are ALL CAPS."""
    allcap_words = sum(map(str.isupper, words))
    return 0 < len(words) - allcap_words < len(words)


@cache
def shapes(word: str) -> bool:
    """Whether a word before a lexicon word can change its valence by a rule: a booster, a negator, or
    "no", "never", "without" or "least" (lower-cased)."""
    return word in SHAPERS or negates(word)


def _idiom_follows() -> dict[str, frozenset[str]]:
    """Each word that starts a pair of neighbouring words in a multi-word idiom or booster n-gram, and the
    words that follow it there."""
    follows = {}
    for phrase in [*SPECIAL_CASES, *BOOSTER_DICT]:
        parts = phrase.split(" ")
        for first, second in zip(parts, parts[1:]):
            follows.setdefault(first, set()).add(second)
    return {first: frozenset(seconds) for first, seconds in follows.items()}


SHAPERS = frozenset(BOOSTER_DICT) | {"no", "never", "without", "least"}
IDIOM_FOLLOWS = _idiom_follows()


@cache
def negates(word: str) -> bool:
    """vaderSentiment's ``negated([word])``: its answer depends on that one word, so it is kept per word."""
    return negated([word])


# ------------------------------------------------------------------ packed buffers

SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]


CHUNK_TEXTS = 32_768  # texts scored at a time by :func:`packed_scores`: keeps a worker's arrays per word small


def packed_scores(texts) -> tuple[pd.DataFrame, Fired]:
    """Scores of each text (neg, neu, pos, compound) and the words that fired in it with their final valences
    (as :meth:`Analyzer.fired` gives them), packed (:func:`unpacked_valences` reads them). ``texts``: a list
    of strings or a pyarrow string array.

    Texts are scored in chunks by :func:`_chunk_scores`: most of the work at once with numpy and pyarrow."""
    texts = _string_array(texts)
    chunks = [_chunk_scores(texts.slice(a, CHUNK_TEXTS)) for a in range(0, len(texts), CHUNK_TEXTS)]
    rows, n_fired, words, valences = (zip(*chunks) if chunks else ([np.zeros((0, 4))], [np.zeros(0, np.int64)],
                                                                  [np.zeros(0, object)], [np.zeros(0)]))
    codes, vocabulary = pd.factorize(np.concatenate(words), sort=True)
    return pd.DataFrame(np.concatenate(rows), columns=SCORE_COLUMNS), Fired(
        np.concatenate(n_fired), vocabulary.tolist(), codes.astype(np.int32), np.concatenate(valences))


def _string_array(texts) -> pa.Array:
    """``texts`` (a list of strings, or a pyarrow array or chunked array of them) as one pyarrow array."""
    if isinstance(texts, pa.ChunkedArray):
        return texts.combine_chunks()
    return texts if isinstance(texts, pa.Array) else pa.array(list(texts), type=pa.large_string())


def _chunk_scores(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`packed_scores` of a few texts, unpacked: the rows (neg, neu, pos, compound), the number of fired
    words of each text, then those words (lower-cased, text after text) and their final valences.

    The texts are scored together on their words (:func:`_final_valences`, :func:`_score_rows`); a text with
    emoji, which the reference spells out first, by :meth:`Analyzer.scores_and_words` alone."""
    model = analyzer()
    tokens = _Tokens.of(texts)
    valence = _final_valences(tokens, model)
    rows = _score_rows(tokens, valence, texts)
    fired = tokens.hit[tokens.lows] & ((valence != 0) | (tokens.lexical[tokens.lows] != 0))
    non_ascii = np.flatnonzero(~pc.string_is_ascii(texts).to_numpy(zero_copy_only=False))
    emoji = non_ascii[np.fromiter(map(model._has_emoji, texts.take(non_ascii).to_pylist()), dtype=bool,
                                  count=len(non_ascii))]
    fired &= ~np.isin(tokens.text, emoji)
    n_fired = np.bincount(tokens.text[fired], minlength=len(texts))
    words, values, text_of = tokens.low_words[tokens.lows[fired]], _rounded(valence[fired], 4), tokens.text[fired]
    if len(emoji):
        redone = [model.scores_and_words(text) for text in texts.take(emoji).to_pylist()]
        rows[emoji] = [row for row, _, _ in redone]
        n_fired[emoji] = [len(fired_words) for _, fired_words, _ in redone]
        order = np.argsort(np.concatenate([text_of, np.repeat(emoji, n_fired[emoji])]), kind="stable")
        words = np.concatenate([words, np.array([w for _, ws, _ in redone for w in ws], dtype=object)])[order]
        values = np.concatenate([values, np.array([v for *_, vs in redone for v in vs], dtype=float)])[order]
    return rows, n_fired, words, values


@dataclass(frozen=True)
class _Tokens:
    """The words of a run of texts (SentiText's :func:`words_and_emoticons`), one row per word: its ``text`` and
    position in it (``at``), its type (``types``, into ``type_words``) and lower-cased word (``lows``, into
    ``low_words`` and the per-word arrays ``lexical``, ``hit``). Each distinct word is read in Python once."""

    text: np.ndarray
    at: np.ndarray
    lengths: np.ndarray
    types: np.ndarray
    type_words: np.ndarray
    upper: np.ndarray
    lows: np.ndarray
    low_words: np.ndarray
    lexical: np.ndarray
    hit: np.ndarray

    @classmethod
    def of(cls, texts: pa.Array) -> _Tokens:
        """The words of ``texts``: split at whitespace as ``str.split`` splits
        (:func:`corpuslab.vader.split_at_whitespace`), each token then stripped as :func:`words_and_emoticons` strips
        it."""
        from corpuslab.vader import split_at_whitespace

        text, tokens = split_at_whitespace(texts)
        lengths = np.bincount(text, minlength=len(texts)).astype(np.int64)
        encoded = pc.dictionary_encode(tokens)
        types, spelled = encoded.indices.to_numpy().astype(np.int64), encoded.dictionary.to_pylist()
        words = words_and_emoticons(" ".join(spelled))  # a token is never split again
        low_of_type, low_words = pd.factorize(np.array([w.lower() for w in words], dtype=object))
        lexicon = analyzer().lexicon
        return cls(text=text, at=np.arange(len(text)) - np.repeat(np.cumsum(lengths) - lengths, lengths),
                   lengths=lengths, types=types, type_words=np.array(words, dtype=object),
                   upper=np.fromiter(map(str.isupper, words), dtype=bool, count=len(words))[types],
                   lows=low_of_type[types] if len(words) else types, low_words=np.asarray(low_words, dtype=object),
                   lexical=np.fromiter((lexicon.get(w, 0.0) for w in low_words), dtype=float, count=len(low_words)),
                   hit=np.fromiter((w in lexicon for w in low_words), dtype=bool, count=len(low_words)))

    def words_of(self, start: int) -> tuple[list[str], list[str]]:
        """The words and lower-cased words of the text whose first word is at ``start``."""
        stop = start + self.lengths[self.text[start]]
        return self.type_words[self.types[start:stop]].tolist(), self.low_words[self.lows[start:stop]].tolist()

    def per_word(self, predicate) -> np.ndarray:
        """``predicate`` of each word's lower-cased form, asked once per distinct form."""
        return np.fromiter(map(predicate, self.low_words), dtype=bool, count=len(self.low_words))[self.lows]

    def is_low(self, words) -> np.ndarray:
        """Whether each word's lower-cased form is one of ``words``."""
        return self.per_word(frozenset(words).__contains__)

    def before(self, flags: np.ndarray, k: int) -> np.ndarray:
        """Whether the word ``k`` places before each word (in its text) has the flag."""
        out = np.zeros(len(flags), dtype=bool)
        out[k:] = flags[:-k] if k else flags
        return out & (self.at >= k)

    def after(self, flags: np.ndarray, k: int) -> np.ndarray:
        """Whether the word ``k`` places after each word (in its text) has the flag."""
        out = np.zeros(len(flags), dtype=bool)
        out[:len(flags) - k] = flags[k:]
        return out & (self.at + k < self.lengths[self.text])


def _final_valences(tokens: _Tokens, model: Analyzer) -> np.ndarray:
    """Each word's final valence, as :meth:`Analyzer._final_valences` gives it: a plain word's
    (:meth:`Analyzer._plain`) from the lexicon and capitals, for all at once; every other lexicon word's by
    :meth:`Analyzer._valence`, and the texts with "but" by the reference's ``_but_check``, one by one."""
    hit = tokens.hit[tokens.lows]
    scored = hit & ~tokens.is_low(BOOSTER_DICT) & ~(tokens.is_low(["kind"]) & tokens.after(tokens.is_low(["of"]), 1))
    shaping = tokens.per_word(shapes)
    idiom_pair = _idiom_pairs(tokens)
    ruled = tokens.is_low(["no"]) | tokens.before(tokens.is_low(["this"]), 1) | tokens.after(idiom_pair, 1) | idiom_pair
    for k in (1, 2, 3):
        ruled |= tokens.before(shaping, k) | tokens.before(idiom_pair, k)
    cap_diff = _cap_differential(tokens)
    valence = tokens.lexical[tokens.lows]
    caps = tokens.upper & cap_diff[tokens.text]  # read for scored (lexicon) words only
    valence = np.where(caps, np.where(valence > 0, valence + C_INCR, valence - C_INCR), valence)
    outside = ~hit
    after_outside = tokens.before(outside, 1) | tokens.before(outside, 2) | tokens.before(outside, 3)
    valence = np.where(scored, np.where(after_outside, valence + 0.0, valence), 0.0)
    starts = np.cumsum(tokens.lengths) - tokens.lengths
    text = -1
    for i in np.flatnonzero(scored & ruled).tolist():
        if tokens.text[i] != text:
            text = tokens.text[i]
            words, low = tokens.words_of(starts[text])
        valence[i] = model._valence(words, low, tokens.at[i], bool(cap_diff[text]))
    for start in starts[np.unique(tokens.text[tokens.is_low(["but"])])].tolist():
        stop = start + tokens.lengths[tokens.text[start]]
        valence[start:stop] = model._but_check(tokens.words_of(start)[0], valence[start:stop].tolist())
    return valence


def _idiom_pairs(tokens: _Tokens) -> np.ndarray:
    """Whether each word and the next (in its text) are neighbours in an idiom or booster n-gram."""
    code = {w: i for i, w in enumerate(tokens.low_words)}
    pairs = [(code[first], code[second]) for first, seconds in IDIOM_FOLLOWS.items() if first in code
             for second in seconds if second in code]
    if not pairs:
        return np.zeros(len(tokens.lows), dtype=bool)
    n = len(tokens.low_words)
    nxt = np.zeros(len(tokens.lows), dtype=np.int64)
    nxt[:-1] = tokens.lows[1:]
    keys = tokens.lows.astype(np.int64) * n + nxt
    return np.isin(keys, [a * n + b for a, b in pairs]) & tokens.after(np.ones(len(keys), dtype=bool), 1)


def _cap_differential(tokens: _Tokens) -> np.ndarray:
    """:func:`cap_differential` of each text."""
    n_upper = np.bincount(tokens.text[tokens.upper], minlength=len(tokens.lengths))
    return (0 < tokens.lengths - n_upper) & (tokens.lengths - n_upper < tokens.lengths)


def _score_rows(tokens: _Tokens, valence: np.ndarray, texts: pa.Array) -> np.ndarray:
    """:meth:`Analyzer.score_row` of each text from its words' final valences: the same sums, in the same order
    (a zero changes none of them)."""
    n = len(texts)
    nonzero = valence != 0
    text = tokens.text[nonzero]
    values = valence[nonzero]
    sum_s = np.bincount(text, weights=values, minlength=n)  # 0.0 + each valence in turn, as the reference's sum()
    ep_count = np.minimum(pc.count_substring(texts, "!").to_numpy(), 4)
    qm_count = pc.count_substring(texts, "?").to_numpy()
    qm_amplifier = np.where(qm_count <= 1, 0.0, np.where(qm_count <= 3, qm_count * 0.18, 0.96))
    punct = ep_count * 0.292 + qm_amplifier
    sum_s = np.where(sum_s > 0, sum_s + punct, np.where(sum_s < 0, sum_s - punct, sum_s))
    compound = np.clip(sum_s / np.sqrt(sum_s * sum_s + 15), -1.0, 1.0)
    positive, negative = values > 0, values < 0
    pos_sum = np.bincount(text[positive], weights=values[positive] + 1, minlength=n)
    neg_sum = np.bincount(text[negative], weights=values[negative] - 1, minlength=n)
    neu_count = tokens.lengths - np.bincount(text, minlength=n)
    pos_sum, neg_sum = (np.where(pos_sum > np.fabs(neg_sum), pos_sum + punct, pos_sum),
                        np.where(pos_sum < np.fabs(neg_sum), neg_sum - punct, neg_sum))
    total = pos_sum + np.fabs(neg_sum) + neu_count
    with np.errstate(invalid="ignore", divide="ignore"):
        rows = np.column_stack([_rounded(np.fabs(neg_sum / total), 3), _rounded(np.fabs(neu_count / total), 3),
                                _rounded(np.fabs(pos_sum / total), 3), _rounded(compound, 4)])
    rows[tokens.lengths == 0] = 0.0
    return rows


def _rounded(values: np.ndarray, places: int) -> np.ndarray:
    """Python's ``round(value, places)`` of each value (numpy's rounding differs in the last place at times),
    computed once per distinct value. A zero keeps its sign, as ``round`` keeps it."""
    distinct, inverse = np.unique(values, return_inverse=True)
    rounded = np.array([round(v, places) for v in distinct.tolist()], dtype=float)[inverse.reshape(-1)]
    return np.where(values == 0, values, rounded)
