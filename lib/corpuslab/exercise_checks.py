"""The kinds of self-check an exercise task uses: a table with the right columns, a number close to the expected
one, the same items, true statements (by hash), a choice of k defended from the evidence. Each returns a
:class:`Feedback` that says "passed" or "not yet" with a hint, never the answer or "too high"/"too low".
:mod:`corpuslab.exercises` holds the tasks and their expected answers.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MEASURES = ("npmi", "umass", "exclusivity", "stability")  # topic_selection columns a choice of k can cite


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

