"""groups: display groups (documents, periods, the corpus) and short document names."""

import pandas as pd

from corpuslab import groups


def test_labels_fall_back_to_doc_id():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "label": ["A", ""]})
    assert groups.labels(docs) == {"a": "A", "b": "b"}


def test_view_groups_documents_then_periods_then_corpus():
    small = pd.DataFrame({"doc_id": ["a", "b"], "label": ["FT 2017", ""]})
    shown, name = groups.view_groups(small)
    assert (name, shown.tolist()) == ("document", ["FT 2017", "b"])
    dated = pd.DataFrame({"doc_id": [f"d{i}" for i in range(78)], "date": [str(1946 + i) for i in range(78)]})
    shown, name = groups.view_groups(dated)
    assert name == "period" and shown.nunique() <= groups.MAX_VIEW_GROUPS
    assert shown.iloc[0] == "1940–1949" and shown.iloc[-1] == "2020–2029"
    undated = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)]})
    assert groups.view_groups(undated)[0].unique().tolist() == ["all documents"]


def test_view_groups_keep_undated_documents():
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "date": [str(1950 + i) for i in range(39)] + [""]})
    shown, name = groups.view_groups(docs)
    assert name == "period" and shown.iloc[-1] == "undated" and shown.iloc[0] == "1950–1954"
