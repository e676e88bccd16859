"""Periods of dated documents ("2017", "2017-07"), honouring each date's precision.

A date is text (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) with a ``date_precision``; a year-only
date is compared by year, never as 1 January. Used to group documents by period and to pick
the latest / earliest documents (keyness) and date ranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpuslab.errors import CorpuslabError

PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}  # characters of an ISO date at each precision


def periods(documents: pd.DataFrame, *, unit: str = "auto") -> pd.Series:
    """Each document's period label ("2017", "2017-07"), honouring ``date_precision``; "undated" without a date.

    ``unit="auto"`` uses the finest unit every dated document supports (a corpus
    with one year-only date is compared by year). Asking for a finer unit than a
    document's precision raises, naming the document.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2017-07", "2020"], "date_precision": ["month", "year"]})
    >>> periods(docs).tolist()
    ['2017', '2020']
    """
    if unit not in ("auto", *PRECISION_LENGTH):
        raise CorpuslabError(f"period unit: got {unit!r}; allowed: auto, year, month, day")
    if "date" not in documents.columns:
        raise CorpuslabError("periods: the corpus has no date column; add dates to the metadata file")
    dates = documents["date"].fillna("").astype(str)
    precision = documents.get("date_precision", dates.str.len().map({4: "year", 7: "month", 10: "day"}))
    precision = pd.Series(precision, index=dates.index).fillna("")
    dated = dates != ""
    if unit == "auto":
        order = ["year", "month", "day"]
        known = [p for p in precision[dated] if p in order]
        unit = min(known, key=order.index) if known else "year"
    too_coarse = dated & precision.map(lambda p: PRECISION_LENGTH.get(p, 0) < PRECISION_LENGTH[unit])
    if too_coarse.any():
        doc = documents.loc[too_coarse, "doc_id"].iloc[0]
        raise CorpuslabError(f"period unit: got {unit!r}, but document {doc} is dated only to the "
                             f"{precision[too_coarse].iloc[0]}; allowed: a coarser unit, or 'auto'")
    return dates.str[:PRECISION_LENGTH[unit]].where(dated, "undated")


def latest_or_earliest(documents: pd.DataFrame, which: str) -> np.ndarray:
    """Boolean mask of the documents of the most recent ("latest") or oldest ("earliest") period.

    Dates compare at the corpus's common precision (:func:`periods`), so in a corpus
    dated by year "latest" is every document of the last year. Undated corpus: the
    last (or first) row.

    >>> docs = pd.DataFrame({"doc_id": list("abc"), "date": ["2023-05", "1946", "2023"]})
    >>> latest_or_earliest(docs, "latest").tolist(), latest_or_earliest(docs, "earliest").tolist()
    ([True, False, True], [False, True, False])
    """
    if which not in ("latest", "earliest"):
        raise CorpuslabError(f"period: got {which!r}; allowed: latest, earliest")
    mask = np.zeros(len(documents), dtype=bool)
    if "date" in documents.columns and (documents["date"].fillna("").astype(str) != "").any():
        labels = periods(documents).to_numpy()
        dated = labels[labels != "undated"]
        mask[labels == (dated.max() if which == "latest" else dated.min())] = True
    else:
        mask[-1 if which == "latest" else 0] = True
    return mask


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
