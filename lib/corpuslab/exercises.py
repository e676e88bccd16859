"""Self-checks for classroom exercises: friendly feedback and hints, never the answer.

Each check returns a :class:`~corpuslab.exercise_checks.Feedback` that renders as a short coloured note in
Jupyter (the kinds of check are in :mod:`corpuslab.exercise_checks`; this module holds the tasks and their
expected answers). A check cell names only its task (``exercises.check("keyness-table")``) and
reads the task's answer variable from the notebook, so a check run before its answer
cell says so instead of raising ``NameError``. Checks ask for values, never for a
bounded guess, and never say "too high" or "too low". Exercise notebooks keep
solutions in cells tagged ``solution``; :mod:`corpuslab.handouts` writes the student
and teacher versions.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from corpuslab.exercise_checks import (
    Feedback,
    _missing,
    answer_hash,
    defended_k,
    number_close,
    same_items,
    same_numbers_in_order,
    statements,
    table_has,
)

_NOT_GIVEN = object()


# ------------------------------------------------------------------ the exercises' tasks
# Each task computes its expected answer with the library on the bundled data, so the
# check never holds the answer in the notebook.

UN_SPEECHES = "data/raw/ungdc-chn-rus-usa/speeches.parquet"
VADER_SENTENCES = ("Sanctions have failed badly.", "The partnership is strong and growing.",
                   "The summit ended.")


def _cfg():
    from corpuslab import params

    return params.from_notebook({})


def _bundled():
    from corpuslab import workflow

    return workflow.documents(_cfg())


def _dtm(texts):
    from corpuslab import tokens, workflow

    return tokens.dtm(texts, **workflow.tokenizer(_cfg()))


def _keyness_2024():
    from corpuslab import keyness

    documents = _bundled()
    X, terms = _dtm(documents["text"])
    return keyness.keyness(X, terms, keyness.target_and_reference(documents).target, measure="g2")


def _collocations():
    from corpuslab import collocations

    return collocations.collocations(_bundled()["text"], sizes=(2,), min_count=2)


def _topic_selection():
    from corpuslab import workflow

    cfg = _cfg()
    _units, _left_out, X, terms = workflow.topic_matrix(_bundled(), cfg)
    selection, models = workflow.select_k(X, cfg)
    return selection, models, terms


def _check_k(task: str, answer: Any) -> Feedback:
    return defended_k(task, answer, _topic_selection()[0])


def _check_ukraine(task: str, answer: Any) -> Feedback:
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    if not isinstance(answer, dict) or "k" not in answer or "top_term" not in answer:
        return Feedback(task, False, 'expected a dict such as {"k": my_k["k"], "top_term": "..."}.')
    _selection, models, terms = _topic_selection()
    model = models.get(int(answer["k"])) if str(answer["k"]).isdigit() else None
    if model is None:
        return Feedback(task, False, f"no model with k = {answer['k']!r} was fitted; use your k from Task 2.")
    weights = model.topic_term_
    topic = weights[:, list(terms).index("ukraine")].argmax()
    return same_items(task, answer["top_term"], [terms[weights[topic].argmax()]],
                      hint="take the topic (row) where 'ukraine' weighs most, then that row's heaviest term")


def _lowest_mean_compound() -> float:
    from corpuslab import segment, sentiment

    scores = sentiment.score_units(segment.sentences(_bundled()))
    return float(sentiment.sentiment_by_group(scores, scores["doc_id"])["mean_compound"].min())


def _compound(text: str) -> float:
    from corpuslab.vader import vader

    return vader(text)["compound"]


def _un_speeches():
    from corpuslab import corpus
    from corpuslab.resources import resolve_path

    return corpus.load(resolve_path(UN_SPEECHES))


def un_decades(speeches):
    """Each speech's country and decade as one label, e.g. ``"CHN 1990s"`` (groups for E5).

    >>> import pandas as pd
    >>> un_decades(pd.DataFrame({"country": ["CHN"], "year": [1994]})).tolist()
    ['CHN 1990s']
    """
    return speeches["country"].astype(str) + " " + (speeches["year"] // 10 * 10).astype(str) + "s"


def _un_rates(groups_of) -> Any:
    from corpuslab import counts

    speeches = _un_speeches()
    X, terms = _dtm(speeches["text"])
    return counts.frequency_by_group(X, terms, groups_of(speeches), select=["sovereignty"])


def _un_rate(country: str) -> float:
    table = _un_rates(lambda s: s["country"])
    return float(table.loc[table["group"] == country, "rel_freq"].iloc[0])


def _un_china_peak() -> float:
    table = _un_rates(un_decades)
    return float(table.loc[table["group"].str.startswith("CHN"), "rel_freq"].max())


def _un_roc_share() -> float:
    table = _un_rates(lambda s: s["country"] + (s["year"] < 1971).map({True: " before 1971", False: ""}))
    count = table.set_index("group")["count"]
    return float(count["CHN before 1971"] / (count["CHN before 1971"] + count["CHN"]))


def _un_default_groups() -> list[str]:
    from corpuslab import groups

    return groups.default_groups(_un_speeches())


def _dashes(text: Any) -> str:
    return " ".join(re.sub(r"\s*[-‐‑‒—―]\s*", "–", str(text)).lower().split())


def _check_periods(task: str, answer: Any) -> Feedback:
    """E6's periods: ``{"n_periods": 9, "granularity": "...", "latest": "..."}``; says which keys are not yet
    right, never their values (any dash counts as the en dash of a period label)."""
    from corpuslab import periods

    if (feedback := _missing(task, answer)) is not None:
        return feedback
    keys = ("n_periods", "granularity", "latest")
    if not isinstance(answer, dict) or any(k not in answer for k in keys):
        return Feedback(task, False, 'expected a dict such as {"n_periods": ..., "granularity": ..., "latest": ...}.')
    labels = periods.period_labels(_un_speeches())
    expected = {"n_periods": str(labels.nunique()), "granularity": periods.granularity(_un_speeches()),
                "latest": sorted(labels.unique())[-1]}
    wrong = [k for k in keys if _dashes(answer[k]) != _dashes(expected[k])]
    if not wrong:
        return Feedback(task, True, "all three. Now read the counts per period: are the periods alike?")
    return Feedback(task, False, f"{len(keys) - len(wrong)} of {len(keys)} right; look again at "
                                 f"{', '.join(wrong)}. periods.period_labels(speeches) and periods.granularity"
                                 "(speeches) give them.")


UN_KEYNESS = {"frequency_keyness_column": "country", "frequency_keyness_target": "RUS",
              "frequency_keyness_reference": "USA"}  # E6 Task 3: Russia against the USA


def _un_keyness_top() -> str:
    from corpuslab import params, workflow

    speeches = _un_speeches()
    X, terms = _dtm(speeches["text"])
    table, _compared = workflow.keyness(speeches, X, terms, params.from_notebook(UN_KEYNESS))
    return str(table["term"].iloc[0])


SIMILARITY_TEXTS = ("Sanctions hurt trade, and trade feeds people.", "Trade sanctions hurt farmers.")  # E7 Task 1
SIMILARITY_SPEECH = "USA_1991"  # E7 Task 2: the speech whose nearest neighbour is asked for


def _cosine_of_counts() -> float:
    from corpuslab import similarity

    X, _terms = _dtm(list(SIMILARITY_TEXTS))
    return float(similarity.similarity_matrix(X)[0, 1])


def _un_weights():
    from corpuslab import similarity

    speeches = _un_speeches()
    return speeches, similarity.tfidf_weights(_dtm(speeches["text"])[0])


def _un_nearest() -> str:
    from corpuslab import similarity

    speeches, W = _un_weights()
    table = similarity.similar_documents(W, speeches["doc_id"], top_k=1)
    return str(table.loc[table["doc_id"] == SIMILARITY_SPEECH, "neighbour"].iloc[0])


def _un_closest_year(since: int = 1991) -> int:
    from corpuslab import similarity

    speeches, W = _un_weights()
    table = similarity.group_similarity_over_time(W, speeches["country"], similarity.time_points(speeches["date"]),
                                                  ("CHN", "RUS"), n_boot=0)
    table = table[table["time"].astype(int) >= since]
    return int(table.loc[table["similarity"].idxmax(), "time"])


@dataclass(frozen=True)
class Task:
    """One checked task: the notebook variable that holds the answer and the function that checks it."""

    variable: str
    check: Callable[[str, Any], Feedback]


def check(task: str, answer: Any = _NOT_GIVEN) -> Feedback:
    """Check the answer to one exercise task by its id (e.g. ``"keyness-top5"``).

    Without ``answer``, the task's variable is read from the calling notebook; a variable not set
    yet (its answer cell not run) gets "no answer yet", never a ``NameError``.

    >>> check("keyness-table").message.startswith("no answer yet: `key` is not set")
    True
    """
    if task not in TASKS:
        return Feedback(task, False, f"unknown task; known tasks: {', '.join(TASKS)}")
    spec = TASKS[task]
    if answer is _NOT_GIVEN:
        namespace = sys._getframe(1).f_globals
        if spec.variable not in namespace:
            return Feedback(task, False, f"no answer yet: `{spec.variable}` is not set. Run the task's cell "
                                         f"that sets `{spec.variable}` (and the cells above it), then this check.")
        answer = namespace[spec.variable]
    return spec.check(task, answer)


TASKS = {
    # E1 keyness
    "keyness-table": Task("key", lambda t, a: table_has(t, a, columns=["term", "g2", "log_ratio", "p_value"],
                                                        min_rows=10, hint="use keyness.keyness with measure='g2'")),
    "keyness-top5": Task("top5", lambda t, a: same_items(t, a, _keyness_2024()["term"].head(5),
                                                         hint="take the first five rows of the table sorted by g2")),
    "keyness-effect": Task("effect_of_top", lambda t, a: number_close(
        t, a, _keyness_2024()["log_ratio"].iloc[0], tolerance=0.005,
        hint="which column does not grow with the amount of text? Read it in the first row.")),
    # E2 collocations
    "colloc-table": Task("colloc", lambda t, a: table_has(t, a, columns=["ngram", "count", "lambda", "z"], min_rows=5,
                                                          hint="collocations.collocations(texts, sizes=(2,), "
                                                               "min_count=2)")),
    "colloc-strong": Task("n_strong", lambda t, a: number_close(t, a, int((_collocations()["z"] > 3.29).sum()),
                                                                tolerance=0,
                                                                hint="count the rows whose z is above 3.29")),
    "colloc-lambda": Task("true_statements", lambda t, a: statements(t, a, answer_hash("bce"))),
    # E3 topics
    "topics-selection": Task("selection", lambda t, a: table_has(t, a, columns=["k", "npmi", "exclusivity",
                                                                                "stability"], min_rows=2,
                                                                 hint="workflow.select_k(X, cfg)")),
    "topics-k": Task("my_k", _check_k),
    "topics-ukraine": Task("ukraine", _check_ukraine),
    "topics-small": Task("true_claims", lambda t, a: statements(t, a, answer_hash("cd"))),
    # E4 VADER
    "vader-scores": Task("scores", lambda t, a: same_numbers_in_order(
        t, a, [_compound(s) for s in VADER_SENTENCES],
        hint="one compound score per sentence, in the order of VADER_SENTENCES, rounded to 3 places")),
    "vader-negation": Task("negated", lambda t, a: number_close(t, a, _compound("This doesn’t look good."),
                                                                tolerance=0.001,
                                                                hint="score the sentence with the curly apostrophe")),
    "vader-document": Task("lowest_mean", lambda t, a: number_close(
        t, a, _lowest_mean_compound(), tolerance=0.001,
        hint="average sentence scores per doc_id; take the lowest mean_compound")),
    # E5 UN speeches
    "un-sovereignty": Task("china_rate", lambda t, a: number_close(
        t, a, _un_rate("CHN"), tolerance=0.01,
        hint="counts.frequency_by_group(X, terms, speeches['country'], select=['sovereignty'])")),
    "un-peak": Task("china_peak", lambda t, a: number_close(
        t, a, _un_china_peak(), tolerance=0.01, hint="group by exercises.un_decades(speeches); "
                                                      "take the largest rel_freq of a CHN group")),
    "un-before-1971": Task("roc_share", lambda t, a: number_close(
        t, a, _un_roc_share(), tolerance=0.01,
        hint="China's count of 'sovereignty' in speeches before 1971, divided by China's count in all years")),
    # E6 groups and periods
    "groups-default": Task("default_groupings", lambda t, a: same_items(
        t, a, _un_default_groups(), hint="groups.default_groups(speeches) gives the list; which columns are left out, "
                                         "and why?")),
    "groups-periods": Task("period_choice", _check_periods),
    "groups-keyness": Task("top_key_term", lambda t, a: same_items(
        t, a, [_un_keyness_top()], hint="the first row of the keyness table of RUS (target) against USA "
                                        "(reference), sorted by g2")),
    # E7 document similarity
    "similarity-by-hand": Task("cosine_by_hand", lambda t, a: number_close(
        t, a, _cosine_of_counts(), tolerance=0.005,
        hint="count each kept word in both texts; cosine = sum of the products of the counts / (length of A × "
             "length of B), a length being the square root of the sum of squared counts")),
    "similarity-nearest": Task("nearest_speech", lambda t, a: same_items(
        t, a, [_un_nearest()], hint=f"the rank-1 neighbour of {SIMILARITY_SPEECH} in similarity.similar_documents "
                                    "on the tf-idf weights of all 235 speeches")),
    "similarity-boilerplate": Task("true_statements_similarity", lambda t, a: statements(t, a, answer_hash("bce"))),
    "similarity-closest-year": Task("closest_year", lambda t, a: number_close(
        t, a, _un_closest_year(), tolerance=0,
        hint="similarity.group_similarity_over_time(...) for ('CHN', 'RUS'); keep the years from 1991 on and "
             "take the year of the largest similarity")),
}
