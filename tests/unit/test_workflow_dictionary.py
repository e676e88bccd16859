"""workflow.dictionary: which actor and theme list a report uses."""

import pandas as pd

from corpuslab import dictionary, params, workflow
from corpuslab.resources import BUNDLED_CORPUS

from ..conftest import TINY


def sentences():
    return pd.DataFrame({"doc_id": ["a"] * 4, "unit_id": range(4), "start": [0, 30, 60, 90],
                         "text": ["We thank Congress.", "Then Congress met.", "So Congress left.", "Later, Congress."]})


def test_bundled_corpus_uses_the_bundled_dictionaries():
    cfg = params.load(None, [f"corpus.path={BUNDLED_CORPUS}"])
    assert workflow.uses_bundled_corpus(cfg)
    assert "China" in workflow.dictionary(cfg, "actors", units=sentences())
    assert workflow.dictionary(cfg, "themes").source == dictionary.THEMES


def test_another_corpus_gets_automatic_actors_and_no_themes():
    cfg = params.load(None, [f"corpus.path={TINY}"])
    actors = workflow.dictionary(cfg, "actors", units=sentences())
    assert actors.name == "automatic" and list(actors) == ["Congress"]
    assert {e.category for e in actors.values()} == {"automatic"}
    assert workflow.dictionary(cfg, "themes", units=sentences()) is None


def test_a_users_yaml_takes_over_on_any_corpus(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("entries:\n  Senate: [Senate, senators]\n", encoding="utf-8")
    for corpus in (TINY, BUNDLED_CORPUS):
        cfg = params.load(None, [f"corpus.path={corpus}", f"dictionary.actors={mine}", f"dictionary.themes={mine}"])
        assert list(workflow.dictionary(cfg, "actors", units=sentences())) == ["Senate"]
        assert list(workflow.dictionary(cfg, "themes")) == ["Senate"]
