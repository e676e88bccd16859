"""workflow's groups and keyness choices: the groups param, the default comparison, what is skipped, what raises."""

import pandas as pd
import pytest

from corpuslab import params, workflow
from corpuslab.errors import CorpuslabError

DOCS = pd.DataFrame({"doc_id": list("abcde"), "text": ["x y"] * 5, "outlet": ["A", None, "B", None, "A"],
                     "date": ["1990", "1995", "2001", "2012", "2024"]})


def test_groups_param_chooses_the_groupings():
    assert list(workflow.groupings(params.validate({}), DOCS)) == ["period", "outlet"]
    assert list(workflow.groupings(params.validate({"groups": ["outlet"]}), DOCS)) == ["outlet"]
    assert list(workflow.display_groupings(params.validate({}), DOCS.drop(columns=["outlet", "date"]))) == ["document"]


def test_keyness_defaults_to_the_first_group():
    compared, column = workflow.keyness_comparison(DOCS, params.validate({}))
    assert column == "period" and (compared.target_name, compared.reference_name) == (
        "period 2020–2024 (1 document)", "period 1990–1994 (1 document)")
    compared, column = workflow.keyness_comparison(DOCS, params.validate({"groups": ["outlet"]}))
    assert column == "outlet" and compared.target_name == "outlet A (2 documents)" and compared.reference is None


def test_keyness_is_skipped_with_what_to_add_when_the_corpus_cannot_support_it():
    compared, why = workflow.keyness_comparison(DOCS[["doc_id", "text"]], params.validate({}))
    assert compared is None and "add a date or a grouping column" in why
    one_period = DOCS.assign(date="2020").drop(columns="outlet")
    compared, why = workflow.keyness_comparison(one_period, params.validate({}))
    assert compared is None and "Keyness by period is skipped" in why


@pytest.mark.parametrize("bad, words", [
    ({"frequency.keyness_column": "parti"}, "frequency.keyness_column: got 'parti'"),
    ({"frequency.keyness_column": "outlet", "frequency.keyness_target": "C"}, "allowed values of outlet: A, B"),
    ({"groups": ["parti"]}, "groups: got 'parti'"),
])
def test_keyness_and_groups_the_params_name_but_the_corpus_lacks_raise(bad, words):
    with pytest.raises(CorpuslabError, match=words):
        workflow.keyness_comparison(DOCS, params.validate(bad))
    with pytest.raises(CorpuslabError, match="keyness_column: got 'period', but no document has a date"):
        workflow.keyness_comparison(DOCS.drop(columns="date"), params.validate({"frequency.keyness_column": "period"}))
