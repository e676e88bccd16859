"""Periods honour each date's precision; latest / earliest and date ranges compare at it."""

from __future__ import annotations

import pandas as pd
import pytest

from corpuslab import periods
from corpuslab.errors import CorpuslabError


def test_periods_honour_date_precision():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2020", "2024-05-22"],
                         "date_precision": ["month", "year", "day"]})
    assert periods.periods(docs).tolist() == ["2017", "2020", "2024"]
    with pytest.raises(CorpuslabError, match="dated only to the year"):
        periods.periods(docs, unit="month")
    assert periods.periods(docs.iloc[[0, 2]], unit="auto").tolist() == ["2017-07", "2024-05"]


def test_undated_documents():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017", None, "2020"]})
    assert periods.periods(docs).tolist() == ["2017", "undated", "2020"]
    assert periods.latest_or_earliest(docs, "earliest").tolist() == [True, False, False]
    assert periods.latest_or_earliest(docs.drop(columns="date"), "latest").tolist() == [False, False, True]
    assert periods.in_date_range(docs, "2000", None).tolist() == [True, False, True]
    with pytest.raises(CorpuslabError, match="latest, earliest"):
        periods.latest_or_earliest(docs, "newest")
