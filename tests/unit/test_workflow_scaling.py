"""workflow's scaling choices: which texts are scaled (documents, groups, a sample), direction names, what Wordfish
and Wordscores skip and what they raise."""

import numpy as np
import pandas as pd
import pytest

from corpuslab import params, scaling, workflow
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import dtm

TEXTS = ["war army tank war peace", "war army trade peace", "trade market peace growth", "market growth trade trade",
         "army war tank tank", "peace trade growth market"]
DOCS = pd.DataFrame({"doc_id": list("abcdef"), "label": [f"Doc {c}" for c in "ABCDEF"], "text": TEXTS,
                     "party": ["L", "L", "R", "R", "L", "R"], "date": ["1990", "1995", "2001", "2012", "2024", "2024"]})


@pytest.fixture(scope="module")
def counts():
    return dtm(TEXTS)


def test_auto_scales_documents_by_label_and_groups_when_groups_are_set(counts):
    X, _ = counts
    Xu, names, kind, note = workflow.scaling_units(params.validate({}), DOCS, X)
    assert kind == "document" and names == list(DOCS["label"]) and note == "" and Xu.shape == X.shape
    Xu, names, kind, _ = workflow.scaling_units(params.validate({"groups": ["party"]}), DOCS, X)
    assert kind == "party" and names == ["L", "R"]
    assert Xu.toarray().tolist() == scaling.group_counts(X, DOCS["party"])[0].toarray().tolist()


def test_a_large_corpus_is_grouped_or_sampled(counts):
    X, _ = counts
    _, names, kind, _ = workflow.scaling_units(params.validate({"scaling.max_documents": 4}), DOCS, X)
    assert kind == "period"  # more documents than the cap: the first default grouping
    Xu, names, kind, note = workflow.scaling_units(params.validate({"scaling.max_documents": 4, "scaling.unit":
                                                                    "document"}), DOCS, X)
    assert kind == "document" and len(names) == 4 and Xu.shape[0] == 4 and "random sample of 4 of the 6" in note
    for seed in range(5):  # the documents scaling.direction names are always in the sample
        _, names, _, _ = workflow.scaling_units(params.validate({"scaling.max_documents": 3, "scaling.unit": "document",
                                                                 "seed": seed, "scaling.direction": ["a", "Doc F"]}),
                                                DOCS, X)
        assert {"Doc A", "Doc F"} <= set(names) and len(names) == 3
    undated = DOCS[["doc_id", "text"]]
    _, names, kind, note = workflow.scaling_units(params.validate({"scaling.unit": "group"}), undated, X)
    assert kind == "document" and "no grouping" in note


def test_wordfish_runs_on_documents_and_reads_direction_by_doc_id_or_label(counts):
    X, terms = counts
    Xu, names, _, _ = workflow.scaling_units(params.validate({}), DOCS, X)
    cfg = params.validate({"scaling.direction": ["c", "Doc A"], "scaling.min_docfreq": 0.0})
    (positions, words, fit), why = workflow.wordfish(cfg, DOCS, X, terms, Xu, names)
    theta = positions.set_index("unit")["theta"]
    assert why == "" and theta["Doc C"] < theta["Doc A"]
    with pytest.raises(CorpuslabError, match="scaling.direction"):
        workflow.wordfish(params.validate({"scaling.direction": ["a", "zz"]}), DOCS, X, terms, Xu, names)


def test_wordfish_is_skipped_with_a_reason_on_too_few_texts(counts):
    X, terms = counts
    Xu, names, _, _ = workflow.scaling_units(params.validate({"groups": ["party"]}), DOCS, X)
    fitted, why = workflow.wordfish(params.validate({"groups": ["party"]}), DOCS, X, terms, Xu, names)
    assert fitted is None and "Wordfish is skipped" in why and "at least 3 texts" in why


def test_wordscores_needs_references_and_names_bad_ones(counts):
    X, terms = counts
    Xu, names, _, _ = workflow.scaling_units(params.validate({}), DOCS, X)
    scored, why = workflow.wordscores(params.validate({}), DOCS, X, terms, Xu, names)
    assert scored is None and "scaling.reference_scores" in why
    cfg = params.validate({"scaling.reference_column": "party", "scaling.reference_scores": ["L=-1", "R=1"]})
    (words, texts), _ = workflow.wordscores(cfg, DOCS, X, terms, Xu, names)
    by_unit = texts.set_index("unit")
    assert by_unit.loc["Doc E", "raw"] < 0 < by_unit.loc["Doc D", "raw"]
    assert texts["reference_score"].tolist() == [-1, -1, 1, 1, -1, 1]  # each document is part of its party's text
    assert set(words["term"]) == set(terms)
    Xr, labels = scaling.group_counts(X, DOCS["party"])  # the same as scoring party sums directly
    expected = scaling.score_texts(Xu, scaling.word_scores(Xr, [-1, 1]))[0]
    assert np.allclose(texts["raw"], expected)
    with pytest.raises(CorpuslabError, match="scaling.reference_scores: got 'X'"):
        workflow.wordscores(params.validate({"scaling.reference_column": "party", "scaling.reference_scores":
                                             ["X=1", "L=0"]}), DOCS, X, terms, Xu, names)
    with pytest.raises(CorpuslabError, match="scaling.reference_column: got 'parti'"):
        workflow.wordscores(params.validate({"scaling.reference_column": "parti", "scaling.reference_scores":
                                             ["L=1", "R=0"]}), DOCS, X, terms, Xu, names)


@pytest.mark.parametrize("item", ["R1", "R1=", "=1", "R1=one", "R1=nan"])
def test_reference_scores_param_refuses_items_without_a_number(item):
    with pytest.raises(CorpuslabError, match="scaling.reference_scores: got"):
        params.validate({"scaling.reference_scores": [item]})


def test_scaling_key_findings_and_figures(tmp_path):
    from matplotlib.figure import Figure

    from corpuslab import landing, plots, report, resources
    from corpuslab.findings import key_findings

    out = report.Outputs(tmp_path)
    positions = pd.DataFrame({"unit": ["CHN", "RUS", "USA"], "theta": [-1.0, 0.1, 0.9], "se": [0.1] * 3,
                              "ci_low": [-1.2, -0.1, 0.7], "ci_high": [-0.8, 0.3, 1.1], "alpha": [0.0] * 3,
                              "n_tokens": [10, 20, 30]})
    words = pd.DataFrame({"term": list("abcdefg"), "beta": [-2, -1, -0.5, 0, 0.5, 1, 2],
                          "psi": [0, 1, 2, 3, 2, 1, 0], "count": [1] * 7})
    out.table(positions, "wordfish_positions")
    out.table(words, "wordfish_words")
    findings = key_findings(tmp_path).set_index("section")["finding"]
    assert findings["Scaling (Wordfish θ)"] == ("lowest CHN (-1.00), highest USA (+0.90); words pulling low: b, c; "
                                                 "high: f, e.")  # the more frequent half (psi >= its median)
    assert "Scaling (Wordscores, MV-rescaled)" not in findings
    out.table(pd.DataFrame({"unit": ["CHN", "RUS", "USA"], "reference_score": [-1, None, 1], "raw": [-0.2, 0.0, 0.2],
                            "rescaled_mv": [-1.0, 0.03, 1.0]}), "wordscores_texts")
    findings = key_findings(tmp_path).set_index("section")["finding"]
    expected = "RUS (+0.03), on the scale of the reference texts (-1 to +1)."
    assert findings["Scaling (Wordscores, MV-rescaled)"] == expected
    assert landing.bibtex(landing.METHODS["05_scaling"][1], resources.REFERENCES).count("@") == 3
    big = pd.concat([positions] * 20, ignore_index=True).assign(unit=lambda t: [f"u{i}" for i in range(len(t))])
    fig = plots.scaled_positions(big, label="unit", value="theta", low="ci_low", high="ci_high", title="t",
                                 xlabel="x", max_rows=10)
    assert isinstance(fig, Figure) and "(5 lowest and 5 highest of 60)" in fig.axes[0].get_title(loc="left")
    assert len(fig.axes[0].get_yticklabels()) == 10
    fig = plots.word_weights(words.assign(notable=scaling.notable_words(words, n=2)), title="t")
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["b", "c", "e", "f"]  # the more frequent half


@pytest.mark.parametrize("bad, words", [
    ({"scaling.direction": ["a", "zz"]}, "scaling.direction: got ['Doc A', 'zz']"),
    ({"groups": ["party"], "scaling.direction": ["L", "Doc A"]}, "scaling.direction: got ['L', 'Doc A']"),
    ({"scaling.reference_column": "parti", "scaling.reference_scores": ["L=1"]}, "scaling.reference_column: got"),
    ({"scaling.reference_column": "party", "scaling.reference_scores": ["Q=1"]}, "scaling.reference_scores: got 'Q'"),
])
def test_scaling_params_the_corpus_cannot_meet_raise_before_the_run(bad, words):
    with pytest.raises(CorpuslabError, match=words.replace("[", "\\[").replace("]", "\\]")):
        workflow.check_scaling(params.validate(bad), DOCS)
    workflow.check_scaling(params.validate({"groups": ["party"], "scaling.direction": ["R", "L"]}), DOCS)
