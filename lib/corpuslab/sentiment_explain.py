"""Why a sentence scored as it did: the VADER words that fired and the rule that shaped each, the most
positive and negative units with their evidence, the words that drive each group's tone, and the units
where VADER and Hu & Liu disagree most.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd

from corpuslab import stats
from corpuslab.engine import SERIAL, Engine
from corpuslab.vader import prepared


def explain(text: str, *, vader_input: str = "normalised") -> list[dict]:
    """The VADER lexicon words that fired in one sentence: word, lexicon valence, final valence, rule.

    ``rule`` names what changed the word's valence: negation, booster or capitals,
    "but" (words before "but" count half, after it 1.5 times), or "lexicon" when
    nothing did. Punctuation emphasis applies to the whole sentence and is in the
    compound score only. ``vader_input``: see :mod:`corpuslab.vader`.

    >>> [(e["word"], e["rule"]) for e in explain("The plan is not good.")]
    [('good', 'negation, booster or capitals')]
    """
    from corpuslab._vader_fast import analyzer

    evidence = []
    for word, lexical, shaped, final in analyzer().fired(prepared(text, vader_input)):
        rule = "lexicon"
        if not math.isclose(lexical, shaped):
            rule = "negation, booster or capitals"
        if not math.isclose(shaped, final):
            rule = (rule + "; " if rule != "lexicon" else "") + "but"
        evidence.append({"word": word, "lexicon_valence": lexical, "final_valence": round(float(final), 4),
                         "rule": rule})
    return evidence


def evidence_table(units: pd.DataFrame, scores: pd.DataFrame, *, n: int = 10,
                   vader_input: str = "normalised") -> pd.DataFrame:
    """The ``n`` most positive and most negative units with their text and evidence words.

    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["Not good.", "Great!"]})
    >>> scores = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "compound": [-0.3, 0.6]})
    >>> evidence_table(units, scores, n=1)[["side", "evidence"]].values.tolist()
    [['most negative', 'good -1.41 (negation, booster or capitals)'], ['most positive', 'Great +3.10']]
    """
    merged = _extreme_units(units, scores, n).sort_values(["compound", "doc_id", "unit_id"], kind="stable")
    chosen = pd.concat([merged.head(n).assign(side="most negative"),
                        merged.tail(n).iloc[::-1].assign(side="most positive")])
    chosen["evidence"] = [
        "; ".join(f"{e['word']} {e['final_valence']:+.2f}" + ("" if e["rule"] == "lexicon" else f" ({e['rule']})")
                  for e in explain(t, vader_input=vader_input)) for t in chosen["text"]]
    return chosen[["side", "doc_id", "unit_id", "compound", "text", "evidence"]].reset_index(drop=True)


def _summed_valences(units: pd.DataFrame, vader_input: str) -> pd.DataFrame:
    """group, word, valence: the final valences of each word summed per group (units: group, text)."""
    rows = [(group, e["word"].lower(), e["final_valence"]) for group, text in zip(units["group"], units["text"])
            for e in explain(text, vader_input=vader_input)]
    table = pd.DataFrame(rows, columns=["group", "word", "valence"])
    return table.groupby(["group", "word"], as_index=False)["valence"].sum()


def _summed_by_group(grouped: pd.DataFrame) -> pd.DataFrame:
    """group, word (as text), valence summed per group and word, in that order. Words held as categories in
    sorted order are summed by their codes (the same rows in the same order as their text would be)."""
    word = grouped["word"]
    if isinstance(word.dtype, pd.CategoricalDtype) and word.cat.categories.is_monotonic_increasing:
        summed = grouped.groupby(["group", "word"], as_index=False, observed=True)["valence"].sum()
        return summed.assign(word=summed["word"].astype(str))
    return grouped.assign(word=word.astype(str)).groupby(["group", "word"], as_index=False)["valence"].sum()


def word_contributions_by_group(units: pd.DataFrame, groups, *, top_n: int = 10,
                                valences: pd.DataFrame | None = None, vader_input: str = "normalised",
                                engine: Engine = SERIAL) -> pd.DataFrame:
    """Sum of final VADER valences per group and word: group, word, valence, the ``top_n`` largest
    (in absolute value) of each group. ``groups`` holds one label per unit (missing: "unknown").

    ``valences`` (from :func:`corpuslab.sentiment.score_units_with_valences`) spares reading every unit again.

    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["A good plan.", "Not good at all."]})
    >>> word_contributions_by_group(units, units["doc_id"]).values.tolist()
    [['a', 'good', 0.494]]
    """
    labels = stats.group_labels(groups).to_numpy()
    if valences is not None:
        keys = units[["doc_id", "unit_id"]].assign(group=labels).drop_duplicates(["doc_id", "unit_id"])
        summed = _summed_by_group(valences.merge(keys, on=["doc_id", "unit_id"]))
    else:
        work = pd.DataFrame({"group": labels, "text": units["text"].to_numpy()})
        summed_in = partial(_summed_valences, vader_input=vader_input)
        if engine.worth_parallel(work):
            summed = engine.map_tables(summed_in, work).groupby(["group", "word"], as_index=False)["valence"].sum()
        else:
            summed = summed_in(work)
    summed["abs"] = summed["valence"].abs()
    top = summed.sort_values(["group", "abs", "word"], ascending=[True, False, True], kind="stable").groupby(
        "group").head(top_n)
    return top.drop(columns="abs").astype({"group": str, "word": str, "valence": float}).reset_index(drop=True)


def method_disagreement(units: pd.DataFrame, vader_scores: pd.DataFrame, huliu_scores: pd.DataFrame,
                        *, n: int = 10) -> tuple[float, pd.DataFrame]:
    """Pearson r between the two methods per unit, and the ``n`` units where they disagree most."""
    both = vader_scores[["doc_id", "unit_id", "compound"]].merge(
        huliu_scores[["doc_id", "unit_id", "compound"]], on=["doc_id", "unit_id"], suffixes=("_vader", "_huliu"))
    r = float(np.corrcoef(both["compound_vader"], both["compound_huliu"])[0, 1]) if len(both) > 1 else float("nan")
    both["difference"] = (both["compound_vader"] - both["compound_huliu"]).abs()
    difference = both["difference"].to_numpy()
    if 0 < n < len(both) and not np.isnan(difference).any():  # only rows as different as the n-th can rank
        both = both[difference >= np.partition(difference, len(difference) - n)[len(difference) - n]]
    worst = both.sort_values(["difference", "doc_id", "unit_id"], ascending=[False, True, True], kind="stable").head(n)
    return r, worst.merge(_of_documents(units, worst)[["doc_id", "unit_id", "text"]], on=["doc_id", "unit_id"])


def _of_documents(units: pd.DataFrame, keyed: pd.DataFrame) -> pd.DataFrame:
    """The units of the documents in ``keyed``: all that a merge with it on doc_id and unit_id can match."""
    return units[units["doc_id"].isin(keyed["doc_id"].unique())]


def _extreme_units(units: pd.DataFrame, scores: pd.DataFrame, n: int) -> pd.DataFrame:
    """``scores`` merged with the units' text on doc_id and unit_id, or as much of it as holds the ``n`` lowest
    and highest compound scores: the scores that tie or pass the n-th value at either end, when their
    merge still holds n rows at each end (every other row ranks after those)."""
    values = scores["compound"].to_numpy()
    if 0 < 2 * n < len(values) and not np.isnan(values).any():
        low, high = np.partition(values, n - 1)[n - 1], np.partition(values, len(values) - n)[len(values) - n]
        ends = scores[(values <= low) | (values >= high)]
        kept = ends.merge(_of_documents(units, ends)[["doc_id", "unit_id", "text"]], on=["doc_id", "unit_id"])
        reach = kept["compound"].to_numpy()
        if (reach <= low).sum() >= n and (reach >= high).sum() >= n:
            return kept
    return scores.merge(units[["doc_id", "unit_id", "text"]], on=["doc_id", "unit_id"])
