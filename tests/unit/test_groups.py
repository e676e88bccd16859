"""groups: the groupings every grouped view uses (chosen or from the metadata), and short document names."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpuslab import groups
from corpuslab.errors import CorpuslabError


def test_labels_fall_back_to_doc_id():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "label": ["A", ""]})
    assert groups.labels(docs) == {"a": "A", "b": "b"}


def test_default_groups_are_period_and_columns_with_2_to_12_values_no_name_special():
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "label": list("abcdef"),  # names each document
                         "outlet": ["X", "X", "Y", None, "Y", "X"], "category": list("ppqqrr"),
                         "date": ["2001", "2002", "2003", "2004", "2005", ""], "constant": ["k"] * 6})
    assert groups.default_groups(docs) == ["period", "outlet", "category"]
    assert groups.default_groups(docs.drop(columns="date")) == ["outlet", "category"]
    many = pd.DataFrame({"doc_id": range(40), "country": [str(i % 20) for i in range(40)]})
    assert groups.default_groups(many) == []  # 20 values: too many for a figure


def test_chosen_groups_are_the_only_ones_and_missing_values_are_unknown():
    docs = pd.DataFrame({"doc_id": list("abc"), "party": ["D", None, "R"], "label": ["x", "y", "z"],
                         "date": ["1950", "1951", "2004"]})
    found = groups.groupings(docs, ["party"])
    assert list(found) == ["party"] and found["party"].tolist() == ["D", "unknown", "R"]
    assert groups.groupings(docs, ["label"])["label"].tolist() == ["x", "y", "z"]  # any column, if asked for
    with pytest.raises(CorpuslabError, match="groups: got 'parti'; allowed: party, label, period"):
        groups.groupings(docs, ["parti"])
    with pytest.raises(CorpuslabError, match="no document has a date"):
        groups.groupings(docs.drop(columns="date"), ["period"])


def test_display_groupings_fall_back_to_documents_then_the_corpus():
    small = pd.DataFrame({"doc_id": ["a", "b"], "label": ["FT 2017", ""]})
    assert {k: v.tolist() for k, v in groups.display_groupings(small).items()} == {"document": ["FT 2017", "b"]}
    undated = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)]})
    assert groups.display_groupings(undated)["corpus"].unique().tolist() == ["all documents"]


def test_periods_of_a_long_dated_corpus_are_at_most_12_and_keep_undated():
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "date": [str(1950 + i) for i in range(39)] + [""]})
    shown = groups.display_groupings(docs)["period"]
    assert shown.nunique() <= groups.MAX_GROUPS
    assert shown.iloc[-1] == "undated" and shown.iloc[0] == "1950–1954" and shown.iloc[-2] == "1985–1988"


def test_per_unit_and_by_grouping():
    docs = pd.DataFrame({"doc_id": ["a", "b"]})
    assert groups.per_unit(pd.Series(["D", "R"], name="party"), docs, ["b", "a", "z"]).tolist() == ["R", "D", "unknown"]
    table = groups.by_grouping(lambda g: pd.DataFrame({"group": g, "n": 1}), {"party": ["D"], "period": ["2001"]})
    assert table.values.tolist() == [["party", "D", 1], ["period", "2001", 1]]
    assert groups.slug("Party / faction") == "party_faction"


@given(st.lists(st.sampled_from("abcd"), max_size=6), st.lists(st.sampled_from(["D", "R", None]), min_size=6,
                                                                  max_size=6), st.lists(st.sampled_from("abcdez")))
def test_per_unit_equals_a_lookup_in_a_dict_of_the_documents(doc_ids, labels, unit_doc_ids):
    """The same labels, dtype and name as the plain reading: each unit's document looked up in a dict (a doc_id
    given twice: its last label), unknown for a unit of no document or a document without a label."""
    docs = pd.DataFrame({"doc_id": doc_ids})
    grouping = pd.Series(labels[:len(doc_ids)], name="party", dtype=object).astype("str").where(
        pd.notna(pd.Series(labels[:len(doc_ids)], dtype=object)))
    by_doc = dict(zip(docs["doc_id"], grouping))
    expected = pd.Series(unit_doc_ids, dtype=object).map(by_doc).astype(object).fillna(groups.UNKNOWN).rename("party")
    pd.testing.assert_series_equal(groups.per_unit(grouping, docs, unit_doc_ids), expected, check_dtype=False)
    assert groups.per_unit(grouping, docs, unit_doc_ids).tolist() == expected.tolist()
