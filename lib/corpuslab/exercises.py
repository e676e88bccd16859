"""Self-checks for classroom exercises: friendly feedback and hints, never the answer.

Each check returns a :class:`Feedback` that renders as a short coloured note in
Jupyter. Exercise notebooks keep solutions in cells tagged ``solution``;
:func:`student_version` removes them, :func:`teacher_version` keeps them.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

SOLUTION_TAG = "solution"


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
    """Check a number against ``expected`` (relative ``tolerance``) without showing ``expected``.

    >>> number_close("T2", 3.14, 3.1416, tolerance=0.01).passed
    True
    >>> "3.14" in number_close("T2", 2.0, 3.1416).message
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
    direction = "too high" if number > expected else "too low"
    return Feedback(task, False, f"{number:g} is {direction}. {hint}".strip())


def same_items(task: str, answer: Any, expected: Iterable, *, hint: str = "") -> Feedback:
    """Check that ``answer`` holds the same items as ``expected`` (order ignored), saying how many are right.

    >>> same_items("T3", ["b", "a"], ["a", "b"]).passed
    True
    >>> same_items("T3", ["a", "x"], ["a", "b"]).message
    '1 of 2 right.'
    """
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    given = {str(a).lower() for a in (answer if not isinstance(answer, str) else [answer])}
    wanted = {str(e).lower() for e in expected}
    if given == wanted:
        return Feedback(task, True, "all of them, well done.")
    return Feedback(task, False, f"{len(given & wanted)} of {len(wanted)} right. {hint}".strip())


def answer_hash(answer: str) -> str:
    """sha256 of a normalised free-text answer (for multiple-choice checks that hide the answer)."""
    return hashlib.sha256(" ".join(str(answer).lower().split()).encode("utf-8")).hexdigest()


def choice(task: str, answer: Any, expected_hash: str, *, hint: str = "") -> Feedback:
    """Check a multiple-choice answer against the sha256 of the right one.

    >>> choice("T4", "B", answer_hash("b")).passed
    True
    """
    if (feedback := _missing(task, answer)) is not None:
        return feedback
    if answer_hash(answer) == expected_hash:
        return Feedback(task, True, "right.")
    return Feedback(task, False, f"not this one. {hint}".strip())


def _strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def student_version(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the cells tagged ``solution``, outputs cleared."""
    nb = nbformat.from_dict(notebook)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    return _strip(nb)


def teacher_version(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy with every cell, outputs cleared."""
    return _strip(nbformat.from_dict(notebook))


def build(source: Path, target: Path) -> list[Path]:
    """Write ``student/`` and ``teacher/`` versions of every exercise notebook in ``source``."""
    written = []
    for path in sorted(Path(source).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for kind, make in (("student", student_version), ("teacher", teacher_version)):
            out = Path(target) / kind / path.name
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(make(nb), out)
            written.append(out)
    return written


# ------------------------------------------------------------------ the exercises' tasks
# Each task computes its expected answer with the library on the bundled data, so the
# check never holds the answer in the notebook.

UN_SPEECHES = "data/raw/ungdc-chn-rus-usa/speeches.parquet"
VADER_SENTENCES = ("Sanctions have failed badly.", "The partnership is strong and growing.",
                   "The summit ended.")


def _bundled():
    from corpuslab import params, workflow

    return workflow.documents(params.from_notebook({}))


def _dtm(texts):
    from corpuslab import params, tokens, workflow

    return tokens.dtm(texts, **workflow.tokenizer(params.from_notebook({})))


def _keyness_2024():
    from corpuslab import keyness

    documents = _bundled()
    X, terms = _dtm(documents["text"])
    return keyness.keyness(X, terms, keyness.target_and_reference(documents).target, measure="g2")


def _collocations():
    from corpuslab import collocations

    return collocations.collocations(_bundled()["text"], sizes=(2,), min_count=2)


def _topic_with(term: str, k: int = 3) -> int:
    from corpuslab import params, segment, tokens, topics, workflow

    cfg = params.from_notebook({})
    units = segment.paragraphs(_bundled())
    options = workflow.tokenizer(cfg)
    units = units[tokens.token_counts(units["text"], **options).to_numpy() >= 8].reset_index(drop=True)
    X, terms = tokens.dtm(units["text"], **options)
    model = topics.TopicModel(k, method="nmf", seed=cfg["seed"]).fit(X)
    return int(model.topic_term_[:, list(terms).index(term)].argmax()) + 1


def _most_negative_document() -> str:
    from corpuslab import segment, sentiment

    scores = sentiment.score_units(segment.sentences(_bundled()))
    return str(sentiment.sentiment_by_group(scores, scores["doc_id"]).sort_values("mean_compound")["group"].iloc[0])


def _compound(text: str) -> float:
    from corpuslab.vader import vader

    return vader(text)["compound"]


def _un_rate(country: str, term: str) -> float:
    from corpuslab import corpus, counts
    from corpuslab.resources import resolve_path

    speeches = corpus.load(resolve_path(UN_SPEECHES))
    X, terms = _dtm(speeches["text"])
    table = counts.frequency_by_group(X, terms, speeches["country"], select=[term])
    return float(table.loc[table["group"] == country, "rel_freq"].iloc[0])


def check(task: str, answer: Any) -> Feedback:
    """Check the answer to one exercise task by its id (e.g. ``"keyness-top5"``)."""
    if task not in TASKS:
        return Feedback(task, False, f"unknown task; known tasks: {', '.join(TASKS)}")
    return TASKS[task](task, answer)


TASKS = {
    "keyness-table": lambda t, a: table_has(t, a, columns=["term", "g2", "log_ratio", "p_value"], min_rows=10,
                                            hint="use keyness.keyness with measure='g2'"),
    "keyness-top5": lambda t, a: same_items(t, a, _keyness_2024()["term"].head(5),
                                            hint="take the first five rows of the table sorted by g2"),
    "keyness-effect": lambda t, a: choice(t, a, answer_hash("log_ratio"),
                                          hint="which column does not grow with the size of the corpus?"),
    "colloc-table": lambda t, a: table_has(t, a, columns=["ngram", "count", "lambda", "z"], min_rows=5,
                                           hint="collocations.collocations(texts, sizes=(2,), min_count=2)"),
    "colloc-strong": lambda t, a: number_close(t, a, int((_collocations()["z"] > 3.29).sum()), tolerance=0,
                                               hint="count the rows whose z is above 3.29 (p < 0.001)"),
    "colloc-why": lambda t, a: choice(t, a, answer_hash("b"),
                                      hint="frequent pairs are not always associated; what does lambda compare?"),
    "topics-table": lambda t, a: table_has(t, a, columns=["topic", "rank", "term", "weight"], min_rows=15,
                                           hint="topic_labels.topic_terms(model.topic_term_, terms, top_n=10) after "
                                                "model = topics.TopicModel(3, method='nmf', seed=cfg['seed']).fit(X)"),
    "topics-ukraine": lambda t, a: number_close(t, a, _topic_with("ukraine"), tolerance=0,
                                                hint="find the topic whose weight for 'ukraine' is largest"),
    "topics-small": lambda t, a: choice(t, a, answer_hash("c"), hint="how many documents does the corpus hold?"),
    "vader-scores": lambda t, a: (table_has(t, None, columns=[]) if a is None else
                                  same_items(t, [round(float(x), 3) for x in a],
                                             [round(_compound(s), 3) for s in VADER_SENTENCES],
                                             hint="one compound score per sentence, in order, rounded to 3 places")),
    "vader-negation": lambda t, a: number_close(t, a, _compound("This doesn't look good."),
                                                tolerance=0.001, hint="score the sentence with the curly apostrophe"),
    "vader-document": lambda t, a: same_items(t, a, [_most_negative_document()],
                                              hint="aggregate sentence scores per doc_id and take the lowest mean"),
    "un-sovereignty": lambda t, a: number_close(
        t, a, _un_rate("CHN", "sovereignty"), tolerance=0.01,
        hint="counts.frequency_by_group(X, terms, speeches['country'], select=['sovereignty'])"),
}
