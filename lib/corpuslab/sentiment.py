"""Sentence sentiment tables: units scored with VADER or Hu & Liu, labels, group means with intervals,
and the tone of the units that name each dictionary target (an actor).

Scores are per sentence (VADER's compound saturates on long texts) and lie in −1…+1.
The methods themselves live in :mod:`corpuslab.vader` and :mod:`corpuslab.huliu`; their
validation against people in :mod:`corpuslab.sentiment_validation`, the words behind a
score in :mod:`corpuslab.sentiment_explain`. A group's interval is Student's t interval of
its mean (:func:`corpuslab.stats.t_interval`), none below :data:`corpuslab.stats.MIN_INTERVAL_N` units.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from corpuslab import stats
from corpuslab.engine import SERIAL, Engine, partition
from corpuslab.errors import CorpuslabError
from corpuslab.huliu import huliu_scores
from corpuslab.vader import check_input, prepared, prepared_texts

METHODS = ("vader", "huliu")
SCORED_LANGUAGES = ("en",)  # languages whose lexicons were validated against human ratings: VADER, Hu & Liu
NOT_SCORED_REASON = "no openly licensed lexicon validated on a labelled set in this language"
SCORE_RANGE = (-1.0, 1.0)  # every method's compound score: a mean's interval never leaves it
VADER_COLUMNS = ["doc_id", "unit_id", "compound", "pos", "neu", "neg"]
HULIU_COLUMNS = ["doc_id", "unit_id", "compound", "n_pos", "n_neg"]


def score_units(units: pd.DataFrame, *, method: str = "vader", vader_input: str = "normalised",
                engine: Engine = SERIAL) -> pd.DataFrame:
    """Scores per unit: doc_id, unit_id, compound, pos, neu, neg (VADER) or compound, n_pos, n_neg (Hu & Liu).

    Each distinct text is scored once (speeches and articles repeat formulaic
    sentences); many texts are scored in partitions on the engine. Every engine
    gives the same table. ``vader_input``: see :mod:`corpuslab.vader`.

    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["Good.", "Bad."]})
    >>> score_units(units)["compound"].tolist(), score_units(units, method="huliu")["n_neg"].tolist()
    ([0.4404, -0.5423], [0, 1])
    """
    if method not in METHODS:
        raise CorpuslabError(f"sentiment.method: got {method!r}; allowed: one of {', '.join(METHODS)}")
    check_input(vader_input)
    codes, texts = _distinct_texts(units)
    if method == "huliu":  # counted on all tokens at once: no Python per token
        return _per_unit(units, codes, huliu_scores(texts["text"].array), HULIU_COLUMNS)
    score = partial(_vader_scores, vader_input=vader_input)
    scored = engine.map_tables(score, texts) if engine.worth_parallel(texts) else score(texts)
    return _per_unit(units, codes, scored, VADER_COLUMNS)


def score_units_with_valences(units: pd.DataFrame, *, vader_input: str = "normalised",
                              engine: Engine = SERIAL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """VADER's :func:`score_units` table and, from the same pass, every word that fired in every unit:
    doc_id, unit_id, word, valence (as :func:`corpuslab.sentiment_explain.explain` gives them), for
    :func:`corpuslab.sentiment_explain.word_contributions_by_group`.

    >>> units = pd.DataFrame({"doc_id": ["a"], "unit_id": [0], "text": ["Not good."]})
    >>> score_units_with_valences(units)[1].values.tolist()
    [['a', 0, 'good', -1.406]]
    """
    return _scored(units, vader_input, engine, huliu=False)[:2]


def score_units_both(units: pd.DataFrame, *, vader_input: str = "normalised",
                     engine: Engine = SERIAL) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`score_units_with_valences`' two tables and Hu & Liu's :func:`score_units` table, from one pass:
    each partition of the distinct texts goes to a worker once, for both methods.

    >>> units = pd.DataFrame({"doc_id": ["a"], "unit_id": [0], "text": ["Not good."]})
    >>> [table["compound"].tolist() for table in score_units_both(units)[::2]]
    [[-0.3412], [-0.25]]
    """
    return _scored(units, vader_input, engine, huliu=True)


def _scored(units: pd.DataFrame, vader_input: str, engine: Engine, *, huliu: bool) -> tuple[pd.DataFrame, ...]:
    """VADER's table, its valences and (``huliu``) Hu & Liu's table, scored on the engine in partitions."""
    from corpuslab._vader_fired import unpacked_valences

    check_input(vader_input)
    codes, texts = _distinct_texts(units)
    parts = partition(texts, engine.jobs * 4) if engine.worth_parallel(texts) else [texts]
    scored = engine.map(partial(_packed_scores, vader_input=vader_input, huliu=huliu), parts)
    vader = _per_unit(units, codes, pd.concat([part[0] for part in scored], ignore_index=True), VADER_COLUMNS)
    valences = unpacked_valences(units, codes, [part[1] for part in scored])
    if not huliu:
        return vader, valences
    return vader, valences, _per_unit(units, codes, pd.concat([part[2] for part in scored], ignore_index=True),
                                      HULIU_COLUMNS)


def _distinct_texts(units: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """The distinct text of each unit (codes) and the table of distinct texts."""
    codes, distinct = pd.factorize(units["text"].astype(str))
    return codes, pd.DataFrame({"text": distinct})  # no Python string per text: the column keeps its arrow buffers


def _per_unit(units: pd.DataFrame, codes: np.ndarray, scored: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The scores of each unit's distinct text, keyed by the unit's doc_id and unit_id."""
    scored = scored.iloc[codes].reset_index(drop=True) if len(codes) else scored
    return pd.concat([units[["doc_id", "unit_id"]].reset_index(drop=True), scored], axis=1)[columns]


def _vader_scores(texts: pd.DataFrame, vader_input: str) -> pd.DataFrame:
    """:func:`corpuslab.vader.vader` of each text (one analyzer for the partition)."""
    from corpuslab._vader_fast import SCORE_COLUMNS, analyzer

    score = analyzer().polarity_scores
    return pd.DataFrame([score(prepared(t, vader_input)) for t in texts["text"]], columns=SCORE_COLUMNS)


def _packed_scores(texts: pd.DataFrame, vader_input: str, huliu: bool) -> tuple:
    """VADER's scores and fired words of each text (:func:`corpuslab._vader_fast.packed_scores`) and, if ``huliu``,
    Hu & Liu's scores: (scores, fired) or (scores, fired, huliu scores)."""
    from corpuslab._vader_fast import packed_scores

    vader = packed_scores(prepared_texts(texts["text"].array, vader_input))
    return (*vader, huliu_scores(texts["text"].array)) if huliu else vader


def label(compound: pd.Series, threshold: float = 0.05) -> pd.Series:
    """positive / negative / neutral by VADER's convention (±threshold on compound).

    >>> label(pd.Series([0.3, -0.01, -0.2])).tolist()
    ['positive', 'neutral', 'negative']
    """
    values = compound.to_numpy()
    return pd.Series(np.where(values > threshold, "positive", np.where(values < -threshold, "negative", "neutral")),
                     index=compound.index)


def sentiment_by_group(scores: pd.DataFrame, groups, *, threshold: float = 0.05,
                       level: float = 0.95) -> pd.DataFrame:
    """Per group (sorted): group, n_units, mean_compound, ci_low, ci_high, rel_positive, rel_negative, rel_neutral.

    ``groups`` holds one label per row of ``scores`` (missing: "unknown"). The interval is
    Student's t at ``level``, within −1…+1; NaN for a group of one unit.

    >>> scores = pd.DataFrame({"compound": [0.5, -0.5, 0.1]})
    >>> sentiment_by_group(scores, ["X", "X", None])[["group", "n_units", "rel_positive"]].values.tolist()
    [['X', 2, 0.5], ['unknown', 1, 1.0]]
    """
    values = scores["compound"].to_numpy()
    positive = values > threshold  # :func:`label`'s three labels, as booleans
    negative = ~positive & (values < -threshold)
    table = pd.DataFrame({"group": stats.group_labels(groups).to_numpy(),
                          "compound": scores["compound"].to_numpy(dtype=float),
                          "rel_positive": positive.astype(float), "rel_negative": negative.astype(float),
                          "rel_neutral": (~positive & ~negative).astype(float)})
    summary = table.groupby("group", sort=True).agg(
        n_units=("compound", "size"), mean_compound=("compound", "mean"), sd=("compound", "std"),
        rel_positive=("rel_positive", "mean"), rel_negative=("rel_negative", "mean"),
        rel_neutral=("rel_neutral", "mean")).reset_index()
    return _with_interval(summary, level).astype({"n_units": "int64"})


def sentiment_by_groupings(scores: pd.DataFrame, groupings: dict, *, threshold: float = 0.05,
                           level: float = 0.95) -> pd.DataFrame:
    """:func:`sentiment_by_group` for several groupings of the same units (e.g. party, period), stacked:
    by, group, n_units, …. ``groupings`` maps a name to one label per row of ``scores``.

    >>> scores = pd.DataFrame({"compound": [0.5, -0.5, 0.1]})
    >>> sentiment_by_groupings(scores, {"party": ["X", "X", None]})[["by", "group", "n_units"]].values.tolist()
    [['party', 'X', 2], ['party', 'unknown', 1]]
    """
    frames = []
    for name, groups in groupings.items():
        table = sentiment_by_group(scores, groups, threshold=threshold, level=level)
        table.insert(0, "by", name)
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=["by", "group", "n_units", "mean_compound", "ci_low", "ci_high",
                                     "rel_positive", "rel_negative", "rel_neutral"])
    return pd.concat(frames, ignore_index=True)


def target_sentiment(scores: pd.DataFrame, mentions: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Mean score of the units that name each target (an actor): target, n_units, mean_compound, ci_low,
    ci_high, rel_multi (share of those units naming more than one target).

    ``mentions`` is a :func:`corpuslab.dictionary.count` table of the units of ``scores``.
    """
    return _target_table(_named(scores, mentions), ["target"], level)


def target_sentiment_by_group(scores: pd.DataFrame, mentions: pd.DataFrame, groups, *,
                              level: float = 0.95) -> pd.DataFrame:
    """:func:`target_sentiment` per target and group: target, group, n_units, mean_compound, ci_low, ci_high,
    rel_multi. ``groups`` holds one label per row of ``scores`` (missing: "unknown")."""
    return _targets_by_group(_named(scores, mentions), scores, groups, level)


def target_sentiment_by_groupings(scores: pd.DataFrame, mentions: pd.DataFrame, groupings: dict, *,
                                  level: float = 0.95) -> pd.DataFrame:
    """:func:`target_sentiment_by_group` for several groupings (``groupings`` maps a name such as "party"
    to one label per row of ``scores``), stacked: target, by, group, n_units, mean_compound, ci_low,
    ci_high, rel_multi (table ``sentiment_targets_by_group``)."""
    columns = ["target", "by", "group", "n_units", "mean_compound", "ci_low", "ci_high", "rel_multi"]
    named = _named(scores, mentions) if groupings else None  # the same units and targets for every grouping
    frames = [_targets_by_group(named, scores, labels, level).assign(by=name) for name, labels in groupings.items()]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _targets_by_group(named: pd.DataFrame, scores: pd.DataFrame, groups, level: float) -> pd.DataFrame:
    """:func:`target_sentiment_by_group` from the :func:`_named` table of ``scores``."""
    keyed = scores[["doc_id", "unit_id"]].assign(group=stats.group_labels(groups).to_numpy()).drop_duplicates(
        ["doc_id", "unit_id"])
    return _target_table(named.merge(keyed, on=["doc_id", "unit_id"]), ["target", "group"], level)


def _named(scores: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and target it names: doc_id, unit_id, target, compound, n_targets (of that unit)."""
    named = mentions[["doc_id", "unit_id", "entry"]].drop_duplicates().rename(columns={"entry": "target"})
    n_targets = named.groupby(["doc_id", "unit_id"]).size().rename("n_targets").reset_index()
    return named.merge(scores[["doc_id", "unit_id", "compound"]], on=["doc_id", "unit_id"]).merge(
        n_targets, on=["doc_id", "unit_id"])


def _target_table(table: pd.DataFrame, keys: list[str], level: float) -> pd.DataFrame:
    summary = table.assign(multi=(table["n_targets"] > 1).astype(float)).groupby(keys, sort=True).agg(
        n_units=("compound", "size"), mean_compound=("compound", "mean"), sd=("compound", "std"),
        rel_multi=("multi", "mean")).reset_index()
    return _with_interval(summary, level).astype({"n_units": "int64"})


def _with_interval(summary: pd.DataFrame, level: float) -> pd.DataFrame:
    """``summary`` (n_units, mean_compound, sd) with ci_low and ci_high after mean_compound, sd dropped."""
    low, high = stats.t_interval(summary["mean_compound"], summary["sd"], summary["n_units"], level=level,
                                 bounds=SCORE_RANGE)
    at = summary.columns.get_loc("mean_compound") + 1
    summary = summary.drop(columns="sd")
    summary.insert(at, "ci_low", low)
    summary.insert(at + 1, "ci_high", high)
    return summary


def language_code(value) -> str:
    """The ISO 639-1 part of a language tag, lower case ("en-GB" -> "en"); "" for a missing value.

    >>> language_code("EN-gb"), language_code("zh_Hans"), language_code(None), language_code(" ru ")
    ('en', 'zh', '', 'ru')
    """
    if not isinstance(value, str):
        return ""
    return value.strip().replace("_", "-").split("-")[0].lower()


def scored_documents(doc_ids, languages) -> pd.DataFrame:
    """Which documents the sentiment lexicons may read: doc_id, language, scored.

    Only documents in a :data:`SCORED_LANGUAGES` language are scored: the English lexicons never read
    other languages, nor a document whose language is unknown ("").

    >>> scored_documents(["a", "b", "c"], ["en", "ru", None])["scored"].tolist()
    [True, False, False]
    """
    codes = [language_code(v) for v in languages]
    if len(codes) != len(doc_ids):
        raise CorpuslabError(f"languages: got {len(codes)} for {len(doc_ids)} documents; give one per document")
    return pd.DataFrame({"doc_id": list(doc_ids), "language": codes,
                         "scored": [c in SCORED_LANGUAGES for c in codes]})


def language_summary(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per language of a :func:`scored_documents` table: language, n_documents, scored, reason
    (why a language is skipped; "" when scored). Scored languages first, then by number of documents.

    >>> summary = language_summary(scored_documents(["a", "b", "c"], ["ru", "en", "ru"]))
    >>> summary[["language", "n_documents"]].values.tolist()
    [['en', 1], ['ru', 2]]
    """
    table = documents.groupby("language", sort=False).agg(n_documents=("doc_id", "size"), scored=("scored", "first"))
    table = table.reset_index().sort_values(["scored", "n_documents", "language"], ascending=[False, False, True],
                                            kind="stable")
    reason = np.where(table["scored"], "", np.where(table["language"] == "", "language unknown", NOT_SCORED_REASON))
    return table.assign(language=table["language"].replace("", "unknown"), reason=reason).reset_index(drop=True)


def language_note(documents: pd.DataFrame) -> str:
    """One sentence saying which documents of a :func:`scored_documents` table are scored, and which are
    skipped and why.

    >>> print(language_note(scored_documents(["a", "b", "c", "d"], ["en", "ru", "zh", "ru"])))  # doctest: +ELLIPSIS
    Sentiment here is English-only: 1 document in en scored; 3 documents in ru (2), zh (1) skipped (no openly ...
    """
    summary = language_summary(documents)
    scored, skipped = summary[summary["scored"]], summary[~summary["scored"]]

    def documents_in(table, *, counts: bool) -> str:
        n = int(table["n_documents"].sum())
        languages = ", ".join(f"{row.language} ({row.n_documents})" if counts else row.language
                              for row in table.itertuples())
        return f"{n} document{'s' if n != 1 else ''} in {languages}"

    if not len(skipped):
        return f"All {documents_in(scored, counts=False)} scored."
    head = "Sentiment here is English-only: "
    which = "that language" if len(skipped) == 1 else "those languages"
    skip = (f"{documents_in(skipped, counts=len(skipped) > 1)} skipped (no openly licensed sentiment lexicon "
            f"validated on human ratings in {which} could be shipped)")
    if not len(scored):
        return head + f"no document is in English, so nothing is scored; {skip}."
    return head + f"{documents_in(scored, counts=False)} scored; {skip}."
