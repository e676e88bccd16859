"""periods: one granularity for the corpus (at most 12 periods), labels that match the data, date precision."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import periods
from corpuslab.errors import CorpuslabError


def test_state_of_the_union_years_fall_in_decades_labelled_by_the_data():
    docs = pd.DataFrame({"date": [str(y) for y in range(1945, 2007)] + ["2006"]})  # 63 yearly documents
    labels = periods.period_labels(docs)
    assert periods.granularity(docs) == "10 years"
    assert labels.unique().tolist() == ["1945–1949", "1950–1959", "1960–1969", "1970–1979", "1980–1989",
                                        "1990–1999", "2000–2006"]


def test_no_period_reaches_past_the_data():
    docs = pd.DataFrame({"date": [str(y) for y in range(2000, 2025)]})
    labels = periods.period_labels(docs)
    assert labels.iloc[-1] == "2020–2024" and "2024–2025" not in set(labels)
    assert periods.period_labels(docs.tail(2)).tolist() == ["2023", "2024"]


def test_year_only_dates_are_never_placed_in_a_month():
    docs = pd.DataFrame({"date": ["2024-01", "2024-05-22", "2024-03"], "date_precision": ["month", "day", "year"]})
    assert periods.granularity(docs) == "year"
    assert periods.period_labels(docs).tolist() == ["2024", "2024", "2024"]
    months = docs.iloc[:2]
    assert periods.period_labels(months).tolist() == ["2024-01", "2024-05"]


def test_undated_documents_and_latest_earliest():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017", None, "2020"]})
    assert periods.period_labels(docs).tolist() == ["2017", "undated", "2020"]
    assert periods.latest_or_earliest(docs, "earliest").tolist() == [True, False, False]
    assert periods.in_date_range(docs, "2000", None).tolist() == [True, False, True]
    with pytest.raises(CorpuslabError, match="latest, earliest"):
        periods.latest_or_earliest(docs, "newest")
    with pytest.raises(CorpuslabError, match="no document has a date"):
        periods.latest_or_earliest(docs.drop(columns="date"), "latest")
    assert not periods.is_dated(docs.drop(columns="date"))


def test_latest_is_the_latest_period_of_the_figures():
    docs = pd.DataFrame({"date": [str(y) for y in range(1946, 2025)]})  # UN General Debate years: decades
    latest = periods.latest_or_earliest(docs, "latest")
    assert docs["date"][latest].tolist() == ["2020", "2021", "2022", "2023", "2024"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1000, 2100), min_size=1, max_size=80), st.integers(2, 20))
def test_periods_are_few_cover_each_date_and_sort_in_time(years, max_periods):
    docs = pd.DataFrame({"date": [str(y) for y in years]})
    labels = periods.period_labels(docs, max_periods=max_periods)
    assert labels.nunique() <= max_periods
    for year, label in zip(years, labels):
        first, _, last = label.partition("–")
        assert int(first) <= year <= int(last or first)
        assert min(years) <= int(first) and int(last or first) <= max(years)  # labels match the data range
    ordered = sorted(set(labels))
    assert [int(x[:4]) for x in ordered] == sorted(int(x[:4]) for x in ordered)
