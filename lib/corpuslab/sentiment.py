"""Sentence sentiment: VADER (the reference vaderSentiment) and the Hu & Liu opinion lexicon,
validated against human ratings, explained word by word, aggregated and aimed at actors.

Both methods straighten curly apostrophes first, so "doesn’t" negates. Scores are
per sentence: VADER's compound saturates on long texts.
"""

from __future__ import annotations

import math
import string
from array import array
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from corpuslab.errors import CorpuslabError
from corpuslab.resources import DATA_DIR, sha256_of, use_vendored_nltk_data
from corpuslab.stats import group_labels, resampled_means
from corpuslab.tokens import TOKEN_PATTERN, normalise

METHODS = ("vader", "huliu")
GOLD_DIR = DATA_DIR / "validation" / "vader-icwsm2014"
GOLD_FILES = {
    "nyt_editorials": "nytEditorialSnippets_GroundTruth.txt",
    "movie_reviews": "movieReviewSnippets_GroundTruth.txt",
    "product_reviews": "amazonReviewSnippets_GroundTruth.txt",
    "tweets": "tweets_GroundTruth.txt",
}
NEGATION_WINDOW = 3  # a negator up to three tokens before an opinion word flips it (as VADER)
_ALPHA = 15  # VADER's normalisation constant: x / sqrt(x² + 15)


@lru_cache(maxsize=1)
def _vader():
    """vaderSentiment's analyzer, its scoring steps restated for texts without emoji.

    The reference ``polarity_scores`` first rebuilds every text character by character
    to spell out emoji; a text without one comes out unchanged, so we skip straight to
    the reference's own scoring steps, restated rule for rule. Each word is lower-cased
    once (the reference lower-cases the whole sentence again for each of up to four
    checks per sentiment word), only lexicon words are visited (every other word gets
    the 0 the reference gives it), and ``negated`` is asked once per distinct word.
    Texts with emoji go through the reference unchanged. Same scores (tested on every
    gold sentence and on random word sequences).
    """
    from vaderSentiment.vaderSentiment import (BOOSTER_DICT, C_INCR, N_SCALAR, SPECIAL_CASES,
                                               SentimentIntensityAnalyzer, scalar_inc_dec)

    class Analyzer(SentimentIntensityAnalyzer):
        def word_valences(self, words: list[str], low: list[str]) -> tuple[list, list[int]]:
            """VADER's valence of each word after negation, boosters and capitals (before the "but" rule),
            and the positions of lexicon words: the only ones that can carry a valence."""
            lexicon, last = self.lexicon, len(low) - 1
            sentiments = [0] * len(low)  # the reference appends 0 for boosters, "kind" before "of" and non-lexicon words
            hits = [i for i, word in enumerate(low) if word in lexicon]
            is_cap_diff = _cap_differential(words) if hits else False  # read for lexicon words only
            for i in hits:
                if low[i] in BOOSTER_DICT or (low[i] == "kind" and i < last and low[i + 1] == "of"):
                    continue
                sentiments[i] = self._valence(words, low, i, is_cap_diff)
            return sentiments, hits

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
                if _negates(low[i - 1]):
                    valence = valence * N_SCALAR
            if start_i == 1:
                if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 2] == "without" and low[i - 1] == "doubt":
                    pass
                elif _negates(low[i - 2]):
                    valence = valence * N_SCALAR
            if start_i == 2:
                if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                        (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    pass
                elif _negates(low[i - 3]):
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
            words = _words_and_emoticons(text)
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

        def scores_and_words(self, text):
            """polarity_scores, the words that fired (lower-cased) and their final valences, as :func:`explain`."""
            if self._has_emoji(text):
                evidence = explain(text)
                return super().polarity_scores(text), [e["word"].lower() for e in evidence], \
                    [e["final_valence"] for e in evidence]
            text, low, final, hits = self._final_valences(text)
            fired = [i for i in hits if final[i] or self.lexicon[low[i]]]
            return self.score_valence(final, text), [low[i] for i in fired], [round(float(final[i]), 4) for i in fired]

    return Analyzer()


def _words_and_emoticons(text: str) -> list[str]:
    """SentiText's words: tokens stripped of leading and trailing punctuation, unless that leaves
    two characters or fewer (an emoticon such as ":)" stays whole)."""
    return [token if len(stripped := token.strip(string.punctuation)) <= 2 else stripped for token in text.split()]


def _cap_differential(words: list[str]) -> bool:
    """allcap_differential: some but not all words are ALL CAPS."""
    allcap_words = sum(map(str.isupper, words))
    return 0 < len(words) - allcap_words < len(words)


@lru_cache(maxsize=None)
def _negates(word: str) -> bool:
    """vaderSentiment's ``negated([word])``: its answer depends on that one word, so it is kept per word."""
    from vaderSentiment.vaderSentiment import negated

    return negated([word])


def vader(text: str) -> dict[str, float]:
    """VADER scores of one sentence (curly apostrophes straightened so "doesn’t" negates).

    >>> vader("This doesn’t look good.")["compound"] < 0 < vader("This looks good.")["compound"]
    True
    """
    return _vader().polarity_scores(normalise(text))


def implementation() -> dict[str, str]:
    """Name, version and lexicon sha256 of the VADER implementation (for the manifest)."""
    import vaderSentiment

    lexicon = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    return {"name": "vaderSentiment", "version": metadata.version("vaderSentiment"),
            "lexicon_sha256": sha256_of(lexicon)}


@lru_cache(maxsize=1)
def _opinion_words() -> tuple[frozenset[str], frozenset[str]]:
    use_vendored_nltk_data()
    from nltk.corpus import opinion_lexicon

    return frozenset(opinion_lexicon.positive()), frozenset(opinion_lexicon.negative())


def _is_negator(token: str) -> bool:
    from vaderSentiment.vaderSentiment import NEGATE

    return token in NEGATE or token.endswith("n't")


def huliu(text: str) -> dict[str, float]:
    """Hu & Liu (2004) opinion-lexicon score of one sentence, on VADER's −1…+1 scale.

    Each positive word counts +1, each negative −1, flipped when a negator
    ("not", "never", "doesn’t" …) stands within the three tokens before it; the
    sum x becomes x / sqrt(x² + 15), as VADER normalises its compound score.

    >>> huliu("This is not good.")["compound"] < 0 < huliu("This is good.")["compound"]
    True
    """
    positive, negative = _opinion_words()
    tokens = [t.lower() for t in TOKEN_PATTERN.findall(normalise(text))]
    total, n_pos, n_neg = 0, 0, 0
    for i, token in enumerate(tokens):
        polarity = 1 if token in positive else -1 if token in negative else 0
        if not polarity:
            continue
        if any(_is_negator(t) for t in tokens[max(0, i - NEGATION_WINDOW):i]):
            polarity = -polarity
        n_pos, n_neg = n_pos + (polarity > 0), n_neg + (polarity < 0)
        total += polarity
    return {"compound": total / math.sqrt(total * total + _ALPHA) if total else 0.0, "n_pos": n_pos, "n_neg": n_neg}


def huliu_scores(texts: list[str], *, engine: str = "local", n_jobs: int = 1, scheduler: str = "") -> pd.DataFrame:
    """:func:`huliu` of every text (compound, n_pos, n_neg), computed at once on their token stream."""
    from corpuslab.engine import Engine
    from corpuslab.tokens import token_stream

    positive, negative = _opinion_words()
    # a report tokenises its sentences once: caching their stream would cost more than it saves
    stream = token_stream(texts, engine=Engine(engine, n_jobs, scheduler)).folded(True)
    doc, ids = stream.words()
    types = stream.types
    type_polarity = np.fromiter((1 if t in positive else -1 if t in negative else 0 for t in types), dtype=np.int64,
                                count=len(types))
    type_negator = np.fromiter((_is_negator(t) for t in types), dtype=bool, count=len(types))
    polar = np.flatnonzero(type_polarity[ids])  # only these tokens can count
    polarity = type_polarity[ids[polar]]
    negated = np.zeros(len(polar), dtype=bool)
    for j in range(1, NEGATION_WINDOW + 1):  # a negator j tokens before a polar token, in the same text
        before = np.maximum(polar - j, 0)
        negated |= (polar >= j) & type_negator[ids[before]] & (doc[before] == doc[polar])
    polarity = np.where(negated, -polarity, polarity)
    doc = doc[polar]
    total = np.bincount(doc, weights=polarity, minlength=len(texts))
    with np.errstate(invalid="ignore"):
        compound = np.where(total != 0, total / np.sqrt(total * total + _ALPHA), 0.0)
    return pd.DataFrame({"compound": compound,
                         "n_pos": np.bincount(doc, weights=polarity > 0, minlength=len(texts)).astype(np.int64),
                         "n_neg": np.bincount(doc, weights=polarity < 0, minlength=len(texts)).astype(np.int64)})


def _score_texts(texts: pd.DataFrame, method: str, valences: bool = False) -> pd.DataFrame:
    """Scores of each row of a one-column (text) table (VADER: with the words that fired and their valences if asked).

    The words of a text come space-separated and their valences packed as float64 bytes,
    so a partition crosses processes as a few buffers rather than millions of small objects.
    """
    if valences:
        analyzer = _vader()
        scored = [analyzer.scores_and_words(normalise(t)) for t in texts["text"]]
        table = pd.DataFrame([scores for scores, _, _ in scored], columns=["neg", "neu", "pos", "compound"])
        return table.assign(words=[" ".join(words) for _, words, _ in scored],
                            valences=[array("d", values).tobytes() for _, _, values in scored])
    score = vader if method == "vader" else huliu
    columns = ["neg", "neu", "pos", "compound"] if method == "vader" else ["compound", "n_pos", "n_neg"]
    return pd.DataFrame([score(t) for t in texts["text"]], columns=columns)


def score_units(units: pd.DataFrame, *, method: str = "vader", valences: bool = False, engine: str = "local",
                n_jobs: int = 1, scheduler: str = ""):
    """Scores per unit: doc_id, unit_id, compound, pos, neu, neg (VADER) or compound, n_pos, n_neg (Hu & Liu).

    Each distinct text is scored once (speeches and articles repeat formulaic
    sentences); many texts are scored in partitions over ``n_jobs`` processes or
    a Dask cluster. Every engine gives the same table. ``valences=True`` (VADER)
    returns ``(scores, valences)``: the second table lists every word that fired
    in every unit (doc_id, unit_id, word, valence, as :func:`explain`), from the
    same pass, for :func:`word_contributions`.
    """
    from corpuslab import engine as engines

    if method not in METHODS:
        raise CorpuslabError(f"sentiment.method: got {method!r}; allowed: one of {', '.join(METHODS)}")
    codes, distinct = pd.factorize(units["text"].astype(str))
    texts = pd.DataFrame({"text": np.asarray(distinct, dtype=object)})
    if method == "huliu":  # counted on the token stream: no Python per token
        scored = huliu_scores(texts["text"].tolist(), engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    elif engines.worth_parallel(texts, n_jobs, engine):
        scored = engines.map_tables(partial(_score_texts, method=method, valences=valences), texts, engine=engine,
                                    n_jobs=n_jobs, scheduler=scheduler)
    else:
        scored = _score_texts(texts, method, valences)
    fired = (scored.pop("words").tolist(), scored.pop("valences").tolist()) if "valences" in scored.columns else None
    scored = scored.iloc[codes].reset_index(drop=True) if len(codes) else scored
    table = pd.concat([units[["doc_id", "unit_id"]].reset_index(drop=True), scored], axis=1)
    columns = ["doc_id", "unit_id", "compound", "pos", "neu", "neg"] if method == "vader" else \
        ["doc_id", "unit_id", "compound", "n_pos", "n_neg"]
    if valences and method == "vader":
        return table[columns], _valence_table(units, codes, *fired)
    return table[columns]


def _valence_table(units: pd.DataFrame, codes: np.ndarray, words: list[str], valences: list[bytes]) -> pd.DataFrame:
    """doc_id, unit_id, word, valence of every fired word of every unit, from those of each distinct text
    (space-separated words and packed valences, as :func:`_score_texts` gives them)."""
    per_text = np.fromiter(map(len, valences), dtype=np.int64, count=len(valences)) // 8  # 8 bytes a float64
    words = pd.Categorical(" ".join(words).split())  # no word holds whitespace: they come from str.split()
    values = np.frombuffer(b"".join(valences), dtype=np.float64)
    first = np.concatenate([[0], np.cumsum(per_text)[:-1]]).astype(np.int64)
    n = per_text[codes]  # fired words of each unit
    unit = np.repeat(np.arange(len(codes)), n)
    pair = np.repeat(first[codes] - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum()))
    return pd.DataFrame({"doc_id": units["doc_id"].to_numpy()[unit], "unit_id": units["unit_id"].to_numpy()[unit],
                         "word": pd.Categorical.from_codes(words.codes[pair], words.categories),
                         "valence": values[pair]})


def label(compound: pd.Series, threshold: float = 0.05) -> pd.Series:
    """positive / negative / neutral by VADER's convention (±threshold on compound)."""
    values = compound.to_numpy()
    return pd.Series(np.where(values > threshold, "positive", np.where(values < -threshold, "negative", "neutral")),
                     index=compound.index)


def bootstrap_mean_ci(values: np.ndarray, *, n_boot: int = 1000, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the mean.

    >>> low, high = bootstrap_mean_ci(np.array([0.1, 0.2, 0.3, 0.4]), seed=1)
    >>> 0.1 <= low <= 0.25 <= high <= 0.4
    True
    """
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan")
    means = resampled_means(values, n_boot, np.random.default_rng(seed))
    tail = (1 - level) / 2 * 100
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


PARALLEL_MIN_DRAWS = 200_000_000  # below this many resampled values, bootstraps run in-process


def _bootstrap_runs(groups: list[tuple[np.ndarray, int]], n_boot: int) -> list[tuple[float, float]]:
    return [bootstrap_mean_ci(values, n_boot=n_boot, seed=seed) for values, seed in groups]


def bootstrap_cis(groups: list[np.ndarray], *, n_boot: int = 1000, seed: int = 0, engine: str = "local",
                  n_jobs: int = 1, scheduler: str = "") -> list[tuple[float, float]]:
    """:func:`bootstrap_mean_ci` of each group with seed ``seed + its position``: the same intervals
    whether they are computed here or, when there are many draws, side by side on the engine.

    >>> bootstrap_cis([np.array([0.1, 0.3]), np.array([0.5])], n_boot=50) == [
    ...     bootstrap_mean_ci(np.array([0.1, 0.3]), n_boot=50), bootstrap_mean_ci(np.array([0.5]), n_boot=50, seed=1)]
    True
    """
    from corpuslab import engine as engines

    seeded = [(np.asarray(values, dtype=float), seed + i) for i, values in enumerate(groups)]
    sizes = [len(values) + 1 for values, _ in seeded]
    jobs = engines.resolve_jobs(n_jobs)
    if engine != "dask" and (jobs == 1 or sum(sizes) * n_boot < PARALLEL_MIN_DRAWS):
        return _bootstrap_runs(seeded, n_boot)
    runs = [seeded[a:b] for a, b in engines.bounds(sizes, jobs * 4)]
    done = engines.run(partial(_bootstrap_runs, n_boot=n_boot), runs, engine=engine, n_jobs=jobs, scheduler=scheduler)
    return [ci for run in done for ci in run]


def aggregate(scores: pd.DataFrame, by: str = "doc_id", *, threshold: float = 0.05, seed: int = 0,
              n_boot: int = 1000, engine: str = "local", n_jobs: int = 1, scheduler: str = "") -> pd.DataFrame:
    """Per group: n_units, mean_compound, ci_low, ci_high (bootstrap 95 %), rel_positive, rel_negative, rel_neutral.

    The bootstraps of a large table run side by side on the engine (:func:`bootstrap_cis`): the same table."""
    compound = scores["compound"].to_numpy(dtype=float)
    labels = label(scores["compound"], threshold)
    table = pd.DataFrame({by: scores[by].to_numpy(), "compound": compound,
                          **{f"rel_{k}": (labels == k).to_numpy(dtype=float) for k in ("positive", "negative", "neutral")}})
    grouped = table.groupby(by, sort=True)
    summary = grouped.agg(n_units=("compound", "size"), mean_compound=("compound", "mean"),
                          rel_positive=("rel_positive", "mean"), rel_negative=("rel_negative", "mean"),
                          rel_neutral=("rel_neutral", "mean")).reset_index()
    positions = grouped.indices
    cis = bootstrap_cis([compound[positions[group]] for group in summary[by]], n_boot=n_boot, seed=seed,
                        engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    summary.insert(3, "ci_low", [low for low, _ in cis])
    summary.insert(4, "ci_high", [high for _, high in cis])
    return summary.astype({"n_units": "int64"})


def by_groups(scores: pd.DataFrame, groupings: dict, *, threshold: float = 0.05, seed: int = 0,
              n_boot: int = 1000, engine: str = "local", n_jobs: int = 1, scheduler: str = "") -> pd.DataFrame:
    """:func:`aggregate` for several groupings of the same units (e.g. outlet, period): by, group, ….

    ``groupings`` maps a name to one label per row of ``scores``; missing labels become "unknown".

    >>> scores = pd.DataFrame({"compound": [0.5, -0.5, 0.1]})
    >>> by_groups(scores, {"outlet": ["X", "X", None]}, n_boot=100)[["by", "group", "n_units"]].values.tolist()
    [['outlet', 'X', 2], ['outlet', 'unknown', 1]]
    """
    frames = []
    for name, labels in groupings.items():
        labels = group_labels(pd.Series(list(labels), index=scores.index))
        table = aggregate(scores.assign(group=labels), "group", threshold=threshold, seed=seed, n_boot=n_boot,
                          engine=engine, n_jobs=n_jobs, scheduler=scheduler)
        table.insert(0, "by", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------ validation against people

def read_gold(dataset: str, folder: Path = GOLD_DIR) -> pd.DataFrame:
    """A gold standard of the VADER paper: id, rating (mean of 20 people, −4…+4), text."""
    if dataset not in GOLD_FILES:
        raise CorpuslabError(f"sentiment validation dataset: got {dataset!r}; allowed: {', '.join(GOLD_FILES)}")
    rows = []
    for line in (folder / GOLD_FILES[dataset]).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.rstrip("\r").split("\t")
        if len(parts) >= 3:
            rows.append({"id": parts[0], "rating": float(parts[1]), "text": "\t".join(parts[2:])})
    return pd.DataFrame(rows)


def _three_class(values: np.ndarray, threshold: float) -> np.ndarray:
    return np.where(values > threshold, 1, np.where(values < -threshold, -1, 0))


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float | np.ndarray:
    """Macro-averaged F1 over the classes present in ``truth`` or ``predicted`` (scikit-learn's
    ``f1_score(average="macro", zero_division=0)``); 2-D inputs give one value per row (bootstrap samples).

    >>> float(macro_f1(np.array([1, 0, -1]), np.array([1, 0, -1])))
    1.0
    """
    truth, predicted = np.atleast_2d(truth), np.atleast_2d(predicted)
    scores = []
    for row_t, row_p in zip(truth, predicted):
        classes = np.union1d(row_t, row_p)
        per_class = []
        for c in classes:
            tp = np.sum((row_t == c) & (row_p == c))
            denominator = np.sum(row_t == c) + np.sum(row_p == c)
            per_class.append(2 * tp / denominator if denominator else 0.0)
        scores.append(float(np.mean(per_class)))
    return scores[0] if len(scores) == 1 else np.array(scores)


def agreement(rating: np.ndarray, compound: np.ndarray, *, threshold: float = 0.05, n_boot: int = 1000,
              seed: int = 0) -> dict[str, float]:
    """Pearson r, Spearman ρ and 3-class macro-F1 of scores against gold ratings, with bootstrap 95 % CIs.

    Gold ratings are divided by 4 (to −1…+1) and both sides are split at ±``threshold``.
    """
    from scipy import stats

    rating, compound = np.asarray(rating, float), np.asarray(compound, float)
    truth, predicted = _three_class(rating / 4, threshold), _three_class(compound, threshold)
    rng = np.random.default_rng(seed)
    r_boot, f1_boot = [], []
    for start in range(0, n_boot, 100):  # blocks of resamples: vectorised, bounded memory
        samples = rng.integers(0, len(rating), size=(min(100, n_boot - start), len(rating)))
        x, y = rating[samples], compound[samples]
        x, y = x - x.mean(axis=1, keepdims=True), y - y.mean(axis=1, keepdims=True)
        r_boot.append((x * y).sum(axis=1) / np.sqrt((x * x).sum(axis=1) * (y * y).sum(axis=1)))
        f1_boot.append(np.atleast_1d(macro_f1(truth[samples], predicted[samples])))
    r_boot, f1_boot = np.concatenate(r_boot), np.concatenate(f1_boot)
    return {
        "n": len(rating), "pearson_r": float(stats.pearsonr(rating, compound)[0]),
        "pearson_ci_low": float(np.percentile(r_boot, 2.5)), "pearson_ci_high": float(np.percentile(r_boot, 97.5)),
        "spearman_rho": float(stats.spearmanr(rating, compound)[0]),
        "macro_f1": float(macro_f1(truth, predicted)),
        "f1_ci_low": float(np.percentile(f1_boot, 2.5)), "f1_ci_high": float(np.percentile(f1_boot, 97.5)),
    }


def validate(datasets=tuple(GOLD_FILES), methods=METHODS, *, threshold: float = 0.05, n_boot: int = 1000,
             seed: int = 0) -> pd.DataFrame:
    """Agreement of every method with people on every gold dataset: the ``sentiment_validation`` table."""
    if not datasets:
        return pd.DataFrame(columns=["dataset", "method", "n", "pearson_r", "pearson_ci_low", "pearson_ci_high",
                                     "spearman_rho", "macro_f1", "f1_ci_low", "f1_ci_high"])
    rows = []
    for dataset in datasets:
        gold = read_gold(dataset)
        for method in methods:
            score = vader if method == "vader" else huliu
            compound = np.array([score(t)["compound"] for t in gold["text"]])
            rows.append({"dataset": dataset, "method": method,
                         **agreement(gold["rating"].to_numpy(), compound, threshold=threshold, n_boot=n_boot, seed=seed)})
    return pd.DataFrame(rows)


def validation_from_params(cfg: dict) -> pd.DataFrame:
    """:func:`validate` for the ``sentiment.validation`` param, cached by implementation, data and settings."""
    from corpuslab import cache

    datasets = {"all": tuple(GOLD_FILES), "nyt": ("nyt_editorials",), "none": ()}[cfg["sentiment.validation"]]
    parts = (implementation(), sorted(sha256_of(GOLD_DIR / GOLD_FILES[d]) for d in datasets), datasets,
             cfg["sentiment.threshold"], cfg["sentiment.n_boot"], cfg["seed"], sha256_of(Path(__file__)))
    return cache.table("sentiment_validation", parts, lambda: validate(
        datasets, threshold=cfg["sentiment.threshold"], n_boot=cfg["sentiment.n_boot"], seed=cfg["seed"]))


# ------------------------------------------------------------------ explanations

def explain(text: str) -> list[dict]:
    """The VADER lexicon words that fired in one sentence: word, lexicon valence, final valence, rule.

    ``rule`` names what changed the word's valence: negation, booster or capitals,
    "but" (words before "but" count half, after it 1.5 times), or "lexicon" when
    nothing did. Punctuation emphasis applies to the whole sentence and is in the
    compound score only.

    >>> [(e["word"], e["rule"]) for e in explain("The plan is not good.")]
    [('good', 'negation, booster or capitals')]
    """
    analyzer = _vader()
    words = _words_and_emoticons(normalise(text))
    sentiments, _ = analyzer.word_valences(words, [w.lower() for w in words])
    before_but = list(sentiments)
    sentiments = analyzer._but_check(words, list(sentiments))
    evidence = []
    for word, raw, shaped, final in zip(words, [analyzer.lexicon.get(w.lower(), 0.0) for w in words], before_but, sentiments):
        if not raw and not final:
            continue
        rule = "lexicon"
        if not math.isclose(raw, shaped):
            rule = "negation, booster or capitals"
        if not math.isclose(shaped, final):
            rule = (rule + "; " if rule != "lexicon" else "") + "but"
        evidence.append({"word": word, "lexicon_valence": raw, "final_valence": round(float(final), 4), "rule": rule})
    return evidence


def evidence_table(units: pd.DataFrame, scores: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The ``n`` most positive and most negative units with their text and evidence words."""
    merged = scores.merge(units[["doc_id", "unit_id", "text"]], on=["doc_id", "unit_id"]).sort_values(
        ["compound", "doc_id", "unit_id"], kind="stable")
    chosen = pd.concat([merged.head(n).assign(side="most negative"), merged.tail(n).iloc[::-1].assign(side="most positive")])
    chosen["evidence"] = [
        "; ".join(f"{e['word']} {e['final_valence']:+.2f}" + ("" if e["rule"] == "lexicon" else f" ({e['rule']})")
                  for e in explain(t)) for t in chosen["text"]]
    return chosen[["side", "doc_id", "unit_id", "compound", "text", "evidence"]].reset_index(drop=True)


def _summed_valences(units: pd.DataFrame, by: str) -> pd.DataFrame:
    rows = [(group, e["word"].lower(), e["final_valence"]) for group, text in zip(units[by], units["text"])
            for e in explain(text)]
    table = pd.DataFrame(rows, columns=[by, "word", "valence"])
    return table.groupby([by, "word"], as_index=False)["valence"].sum()


def word_contributions(units: pd.DataFrame, *, by: str = "doc_id", top_n: int = 10,
                       valences: pd.DataFrame | None = None, engine: str = "local", n_jobs: int = 1,
                       scheduler: str = "") -> pd.DataFrame:
    """Sum of final VADER valences per word and group: the words that drive each group's tone.

    ``valences`` (from ``score_units(units, valences=True)``) spares reading every unit again.

    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["A good plan.", "Not good at all."]})
    >>> word_contributions(units).values.tolist()
    [['a', 'good', 0.494]]
    >>> word_contributions(units, valences=score_units(units, valences=True)[1]).values.tolist()
    [['a', 'good', 0.494]]
    """
    from corpuslab import engine as engines

    work = units[[by, "text"]]
    if valences is not None:
        keys = units[list(dict.fromkeys(["doc_id", "unit_id", by]))].drop_duplicates(["doc_id", "unit_id"])
        grouped = valences.merge(keys, on=["doc_id", "unit_id"])
        summed = grouped.assign(word=grouped["word"].astype(str)).groupby([by, "word"], as_index=False)["valence"].sum()
    elif engines.worth_parallel(work, n_jobs, engine):
        parts = engines.map_tables(partial(_summed_valences, by=by), work, engine=engine, n_jobs=n_jobs,
                                   scheduler=scheduler)
        summed = parts.groupby([by, "word"], as_index=False)["valence"].sum()
    else:
        summed = _summed_valences(work, by)
    summed["abs"] = summed["valence"].abs()
    top = summed.sort_values([by, "abs", "word"], ascending=[True, False, True], kind="stable").groupby(by).head(top_n)
    return top.drop(columns="abs").astype({"word": str, "valence": float}).reset_index(drop=True)


def method_disagreement(units: pd.DataFrame, vader_scores: pd.DataFrame, huliu_scores: pd.DataFrame,
                        *, n: int = 10) -> tuple[float, pd.DataFrame]:
    """Pearson r between the two methods per unit, and the ``n`` units where they disagree most."""
    both = vader_scores[["doc_id", "unit_id", "compound"]].merge(
        huliu_scores[["doc_id", "unit_id", "compound"]], on=["doc_id", "unit_id"], suffixes=("_vader", "_huliu"))
    r = float(np.corrcoef(both["compound_vader"], both["compound_huliu"])[0, 1]) if len(both) > 1 else float("nan")
    both["difference"] = (both["compound_vader"] - both["compound_huliu"]).abs()
    worst = both.sort_values(["difference", "doc_id", "unit_id"], ascending=[False, True, True], kind="stable").head(n)
    return r, worst.merge(units[["doc_id", "unit_id", "text"]], on=["doc_id", "unit_id"])


# ------------------------------------------------------------------ sentiment toward actors

def toward_targets(units: pd.DataFrame, scores: pd.DataFrame, mentions: pd.DataFrame, *, by: str | None = None,
                   seed: int = 0, n_boot: int = 1000, engine: str = "local", n_jobs: int = 1,
                   scheduler: str = "") -> pd.DataFrame:
    """Mean sentence score per actor (and per ``by`` group): target, n_units, mean_compound, ci_low, ci_high,
    rel_multi (share of those units naming more than one actor).

    ``mentions`` is a :func:`corpuslab.dictionary.count` table of the same units.
    """
    named = mentions[["doc_id", "unit_id", "entry"]].drop_duplicates()
    n_actors = named.groupby(["doc_id", "unit_id"]).size().rename("n_actors").reset_index()
    table = named.merge(scores[["doc_id", "unit_id", "compound"]], on=["doc_id", "unit_id"]).merge(
        n_actors, on=["doc_id", "unit_id"])
    keys = ["entry"] + ([by] if by else [])
    if by:
        table = table.merge(units[["doc_id", "unit_id", by]].drop_duplicates(), on=["doc_id", "unit_id"])
        table[by] = group_labels(table[by])
    parts = list(table.groupby(keys, sort=True))
    cis = bootstrap_cis([part["compound"].to_numpy() for _, part in parts], n_boot=n_boot, seed=seed,
                        engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    rows = []
    for (key, part), (low, high) in zip(parts, cis):
        key = key if isinstance(key, tuple) else (key,)
        rows.append({"target": key[0], **({by: key[1]} if by else {}), "n_units": len(part),
                     "mean_compound": part["compound"].mean(), "ci_low": low, "ci_high": high,
                     "rel_multi": float((part["n_actors"] > 1).mean())})
    columns = ["target"] + ([by] if by else []) + ["n_units", "mean_compound", "ci_low", "ci_high", "rel_multi"]
    return pd.DataFrame(rows, columns=columns)
