"""Self-checks for classroom exercises: friendly feedback and hints, never the answer.

Each check returns a :class:`Feedback` that renders as a short coloured note in
Jupyter. A check cell names only its task (``exercises.check("keyness-table")``) and
reads the task's answer variable from the notebook, so a check run before its answer
cell says so instead of raising ``NameError``. Checks ask for values, never for a
bounded guess, and never say "too high" or "too low". Exercise notebooks keep
solutions in cells tagged ``solution``; :mod:`corpuslab.handouts` writes the student
and teacher versions.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MEASURES = ("npmi", "umass", "exclusivity", "stability")  # topic_selection columns a choice of k can cite
_NOT_GIVEN = object()


@dataclass(frozen=True)
class Feedback:
    """The outcome of one check: its task, whether it passed, and what to say."""

    task: str
    passed: bool
    message: str

    def __str__(self) -> str:
        mark = "✓ passed" if self.passed else "✗ not yet"
        return f"{mark} · {self.task}: {self.message}"

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7a1b", "✓ passed") if self.passed else ("#b35900", "✗ not yet")
        return (f'<div class="corpuslab-check" data-passed="{str(self.passed).lower()}" '
                f'style="border-left:4px solid {colour};padding:.3rem .6rem;margin:.3rem 0">'
                f"<b style=\"color:{colour}\">{mark}</b> · {html.escape(self.task)}: {html.escape(self.message)}</div>")


def _missing(task: str, value: Any) -> Feedback | None:
    if value is None or value is Ellipsis:
        return Feedback(task, False, "no answer yet: replace the None (or ...) in the task cell and run it again.")
    return None


def table_has(task: str, table: Any, *, columns: Iterable[str], min_rows: int = 1, hint: str = "") -> Feedback:
    """Check that ``table`` is a DataFrame with ``columns`` and at least ``min_rows`` rows.

    >>> import pandas as pd
    >>> table_has("T1", pd.DataFrame({"term": ["a"]}), columns=["term"]).passed
    True
    >>> table_has("T1", None, columns=["term"]).passed
    False
    """
    import pandas as pd

    if (feedback := _missing(task, table)) is not None:
        return feedback
    if not isinstance(table, pd.DataFrame):
        return Feedback(task, False, f"expected a table (DataFrame), got {type(table).__name__}. {hint}".strip())
    absent = [c for c in columns if c not in table.columns]
    if absent:
        return Feedback(task, False, f"the table lacks the column(s) {', '.join(absent)}. {hint}".strip())
    if len(table) < min_rows:
        return Feedback(task, False, f"the table has {len(table)} rows; at least {min_rows} expected. {hint}".strip())
    return Feedback(task, True, "well done.")


def number_close(task: str, value: Any, expected: float, *, tolerance: float = 0.01, hint: str = "") -> Feedback:
    """Check a number against ``expected`` (relative ``tolerance``) without showing it or its direction.

    >>> number_close("T2", 3.14, 3.1416, tolerance=0.01).passed
    True
    >>> message = number_close("T2", 2.0, 3.1416).message
    >>> "3.14" in message or "low" in message
    False
    """
    if (feedback := _missing(task, value)) is not None:
        return feedback
    try:
        number = float(value)
    except (TypeError, ValueError):
        return Feedback(task, False, f"expected a number, got {value!r}. {hint}".strip())
    if abs(number - expected) <= tolerance * max(abs(expected), 1e-12):
        return Feedback(task, True, "that matches.")
    return Feedback(task, False, f"{number:g} is not it. {hint}".strip())


def _as_list(answer: Any) -> list:
    return [answer] if isinstance(answer, str) or not isinstance(answer, Iterable) else list(answer)


def same_items(task: str, answer: Any, expected: Iterable, *, hint: str = "") -> Feedback:
    """Check that ``answer`` holds the same items as ``expected`` (order ignored), saying how many are right.

    >>> same_items("T3", ["b", "a"], ["a", "b"]).passed
    True
    >>> same_items("T3", ["a", "x"], ["a", "b"]).message
    '1 of 2 right.'
    """
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    given = {str(a).lower() for a in _as_list(answer)}
    wanted = {str(e).lower() for e in expected}
    if given == wanted:
        return Feedback(task, True, "all of them, well done.")
    return Feedback(task, False, f"{len(given & wanted)} of {len(wanted)} right. {hint}".strip())


def same_numbers_in_order(task: str, answer: Any, expected: Iterable[float], *, digits: int = 3,
                          hint: str = "") -> Feedback:
    """Check a list of numbers, position by position, rounded to ``digits``; says how many are in place.

    >>> same_numbers_in_order("T5", [0.1, -0.2], [0.1, -0.2]).passed
    True
    >>> same_numbers_in_order("T5", [-0.2, 0.1], [0.1, -0.2]).message
    '0 of 2 right and in order.'
    """
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    wanted = [round(float(e), digits) for e in expected]
    try:
        given = [round(float(a), digits) for a in _as_list(answer)]
    except (TypeError, ValueError):
        return Feedback(task, False, f"expected a list of {len(wanted)} numbers, got {answer!r}. {hint}".strip())
    if given == wanted:
        return Feedback(task, True, "all of them, in order.")
    if len(given) != len(wanted):
        return Feedback(task, False, f"expected {len(wanted)} numbers, got {len(given)}. {hint}".strip())
    right = sum(g == w for g, w in zip(given, wanted))
    return Feedback(task, False, f"{right} of {len(wanted)} right and in order. {hint}".strip())


def letters(answer: Any) -> str:
    """The letters a statement question was answered with, sorted: ``"d, b"`` and ``["b", "d"]`` give ``"bd"``.

    >>> letters(["d", "B"]), letters("b and d")
    ('bd', 'abdn')
    """
    return "".join(sorted(set(re.findall(r"[a-z]", " ".join(str(a) for a in _as_list(answer)).lower()))))


def answer_hash(answer: str) -> str:
    """sha256 of a normalised answer (statement questions keep the right letters out of the notebook)."""
    return hashlib.sha256(" ".join(str(answer).lower().split()).encode("utf-8")).hexdigest()


def statements(task: str, answer: Any, expected_hash: str, *, hint: str = "") -> Feedback:
    """Check an "all statements that are true" answer (letters) against the sha256 of the right set.

    Says neither how many letters are right nor which: the set has to be reasoned out.

    >>> statements("T4", "d, b", answer_hash("bd")).passed
    True
    >>> statements("T4", ["b"], answer_hash("bd")).message
    'not this set of statements. Weigh each statement on its own.'
    """
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    if answer_hash(letters(answer)) == expected_hash:
        return Feedback(task, True, "right: be ready to say why the others are wrong.")
    return Feedback(task, False, f"not this set of statements. {hint or 'Weigh each statement on its own.'}".strip())


def defended_k(task: str, answer: Any, selection) -> Feedback:
    """Check a choice of k, ``{"k": 3, "because": "..."}``, against a ``topic_selection`` table.

    Passes when k was measured and the reason cites at least one measure (npmi, umass,
    exclusivity, stability) on which that k is the best in the table: the choice has to
    be defended from the evidence. The message names the cited measures and how the
    chosen k ranks on each.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"k": [2, 3], "npmi": [0.3, 0.2], "exclusivity": [0.7, 0.8]})
    >>> defended_k("T6", {"k": 3, "because": "exclusivity is highest"}, table).passed
    True
    >>> defended_k("T6", {"k": 3, "because": "NPMI"}, table).message.split(":")[0]
    'k = 3 ranks 2 of 2 on npmi'
    """
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    if not isinstance(answer, dict) or "k" not in answer or "because" not in answer:
        return Feedback(task, False, 'expected a dict such as {"k": 3, "because": "..."}.')
    try:
        k = int(answer["k"])
    except (TypeError, ValueError):
        return Feedback(task, False, f"k must be a whole number, got {answer['k']!r}.")
    measured = [int(x) for x in selection["k"]]
    if k not in measured:
        return Feedback(task, False, f"k = {k} was not measured; choose one of {', '.join(map(str, measured))}.")
    reason = str(answer["because"] or "").lower()
    cited = [m for m in MEASURES if m in reason and m in selection.columns and selection[m].notna().all()]
    if not cited:
        return Feedback(task, False, "your reason cites no measure: name the column(s) of the selection table "
                                     f"({', '.join(m for m in MEASURES if m in selection.columns)}) you rely on.")
    ranks = {m: int(selection[m].rank(ascending=False, method="min")[selection["k"] == k].iloc[0]) for m in cited}
    where = ", ".join(f"{r} of {len(measured)} on {m}" for m, r in ranks.items())
    if 1 in ranks.values():
        return Feedback(task, True, f"k = {k} ranks {where}. Now read its topics: can you name them?")
    return Feedback(task, False, f"k = {k} ranks {where}: on no measure you cite is it the best. "
                                 "Cite the measure that favours your k, or choose again.")


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
