"""Periods of dated documents: the one notion of period every notebook uses.

A date is text (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) with a ``date_precision``; a year-only
date is compared by year, never placed in a month. :func:`period_labels` chooses one granularity
for the whole corpus (months, years, 5 years, decades, quarter-centuries …) so that a figure shows
at most about :data:`MAX_PERIODS` periods, and labels each period by the years the data cover
("2020–2024" when the data end in 2024, never "2020–2029"). Also the latest / earliest period
(keyness) and date ranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpuslab.errors import CorpuslabError

MAX_PERIODS = 12  # a figure shows at most this many periods
YEAR_SPANS = (1, 5, 10, 25, 50, 100, 250, 500, 1000, 10_000)  # years per period, finest first
UNDATED = "undated"


def is_dated(documents: pd.DataFrame) -> bool:
    """Whether any document has a date.

    >>> is_dated(pd.DataFrame({"date": ["", None]})), is_dated(pd.DataFrame({"date": ["2020"]}))
    (False, True)
    """
    return "date" in documents.columns and bool((documents["date"].fillna("").astype(str) != "").any())


def granularity(documents: pd.DataFrame, *, max_periods: int = MAX_PERIODS) -> str:
    """The period the corpus is shown by: "month", "year" or "N years", the finest that gives at most
    ``max_periods`` periods from the first date to the last. Months only when every dated document is
    dated at least to the month.

    >>> docs = pd.DataFrame({"date": [str(y) for y in range(1945, 2007)]})
    >>> granularity(docs), granularity(docs.head(12)), granularity(docs.head(30))
    ('10 years', 'year', '5 years')
    >>> granularity(pd.DataFrame({"date": ["2024-01", "2024-05-22"]}))
    'month'
    """
    dates, precision = _dates(documents)
    dated = dates != ""
    if not dated.any():
        raise CorpuslabError("periods: no document has a date; add a date (YYYY, YYYY-MM or YYYY-MM-DD) "
                             "or a year column to the metadata")
    if precision[dated].isin(["month", "day"]).all():
        months = dates[dated].str[:4].astype(int) * 12 + dates[dated].str[5:7].astype(int) - 1
        if months.max() - months.min() < max_periods:
            return "month"
    years = dates[dated].str[:4].astype(int)
    span = next(s for s in YEAR_SPANS if years.max() // s - years.min() // s < max_periods)
    return "year" if span == 1 else f"{span} years"


def period_labels(documents: pd.DataFrame, *, max_periods: int = MAX_PERIODS) -> pd.Series:
    """Each document's period (:func:`granularity`), labelled by the years the data cover; "undated"
    without a date. Labels sort in time order.

    >>> docs = pd.DataFrame({"date": ["1946", "1959", "1960-05", "2024-09-01", ""]})
    >>> period_labels(docs, max_periods=12).tolist()
    ['1946–1949', '1950–1959', '1960–1969', '2020–2024', 'undated']
    >>> period_labels(pd.DataFrame({"date": ["2017-07", "2020", "2024-05-22"]})).tolist()
    ['2017', '2020', '2024']
    """
    dates, _ = _dates(documents)
    dated = dates != ""
    unit = granularity(documents, max_periods=max_periods)
    if unit == "month":
        labels = dates.str[:7]
    else:
        span = 1 if unit == "year" else int(unit.split()[0])
        years = dates[dated].str[:4].astype(int)
        first, last = years.min(), years.max()
        start = np.maximum((years // span) * span, first)
        end = np.minimum((years // span) * span + span - 1, last)
        labels = pd.Series([str(a) if a == b else f"{a}–{b}" for a, b in zip(start, end)], index=years.index)
        labels = labels.reindex(dates.index)
    return labels.where(dated, UNDATED).rename("period")


def _dates(documents: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The documents' dates as text ("" where undated) and each date's precision."""
    if "date" not in documents.columns:
        empty = pd.Series("", index=documents.index)
        return empty, empty
    dates = documents["date"].fillna("").astype(str).str.strip()
    inferred = dates.str.len().map({4: "year", 7: "month", 10: "day"}).fillna("")
    given = documents.get("date_precision")
    precision = inferred if given is None else given.fillna("").astype(str).where(lambda p: p != "", inferred)
    dates = dates.where(precision != "year", dates.str[:4])  # a year-only date is never placed in a month
    return dates, precision


def latest_or_earliest(documents: pd.DataFrame, which: str, *, max_periods: int = MAX_PERIODS) -> np.ndarray:
    """Boolean mask of the documents of the most recent ("latest") or oldest ("earliest") period
    (:func:`period_labels`, the periods every figure shows).

    >>> docs = pd.DataFrame({"doc_id": list("abc"), "date": ["2023-05", "1946", "2023"]})
    >>> latest_or_earliest(docs, "latest").tolist(), latest_or_earliest(docs, "earliest").tolist()
    ([True, False, True], [False, True, False])
    """
    if which not in ("latest", "earliest"):
        raise CorpuslabError(f"period: got {which!r}; allowed: latest, earliest")
    if not is_dated(documents):
        raise CorpuslabError(f"keyness target: got {which!r}, but no document has a date; add dates to the "
                             "metadata, or name a group (frequency.keyness_column and frequency.keyness_target)")
    labels = period_labels(documents, max_periods=max_periods).to_numpy()
    dated = labels[labels != UNDATED]
    return labels == (dated.max() if which == "latest" else dated.min())


def in_date_range(documents: pd.DataFrame, start: str | None = None, end: str | None = None) -> np.ndarray:
    """Boolean mask of the documents dated within ``[start, end]`` (ISO dates, prefixes compared, so
    "2021" covers "2021-12" and "2021-12-15"); undated documents are never in a range.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2021", "2024-05-22"]})
    >>> in_date_range(docs, "2020", "2024").tolist()
    [False, True, True]
    """
    if "date" not in documents.columns:
        raise CorpuslabError("date range: the corpus has no date column; add dates to the metadata, "
                             "or choose documents by group")
    dates = documents["date"].fillna("").astype(str)
    lo = (dates >= str(start)) if start else pd.Series(True, index=dates.index)
    hi = dates.map(lambda d: d[:len(str(end))] <= str(end)) if end else pd.Series(True, index=dates.index)
    return (lo & hi & (dates != "")).to_numpy()
