"""explore: widgets build, react to their controls, and escape corpus text."""

import pandas as pd

from corpuslab import explore, tokens

DOCS = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Sanctions hit <script>x</script> Russia. More sanctions.",
                                                     "China avoided sanctions."], "outlet": ["X", "Y"]})


def controls(widget):
    return {c.description_key: c for c in widget.children[0].children}


def test_kwic_explorer_updates_and_escapes():
    widget = explore.kwic_explorer(DOCS, query="sanction*")
    pane = widget.children[1]
    assert "<b>3</b> matches" in pane.value and "<script>" not in pane.value and "&lt;script&gt;" in pane.value
    controls(widget)["query"].value = "china"
    assert "<b>1</b> matches" in pane.value
    controls(widget)["kind"].value = "regex"
    controls(widget)["query"].value = "("
    assert "color:#b00020" in pane.value  # a bad regex is reported in the pane, not raised


def test_trend_explorer_and_table_browser():
    X, terms = tokens.dtm(DOCS["text"])
    trend = explore.trend_explorer(X, terms, DOCS["outlet"], term="sanctions")
    assert "<svg" in trend.children[1].value and "sanctions" in trend.children[1].value
    browser = explore.table_browser(DOCS, filter_column="outlet", sort_column="doc_id", columns=["doc_id", "outlet"])
    controls(browser)["value"].value = "Y"
    assert ">b<" in browser.children[1].value and ">a<" not in browser.children[1].value


def test_topic_explorer_reranks_with_lambda():
    import numpy as np

    topic_term = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    passages = pd.DataFrame({"topic": [1, 2], "doc_id": ["a", "b"], "text": ["<i>one</i>", "two"]})
    widget = explore.topic_explorer(topic_term, np.array(["x", "y", "z"]), np.array([0.6, 0.2, 0.2]), passages)
    pane = widget.children[1]
    assert "&lt;i&gt;one&lt;/i&gt;" in pane.value and "<i>one" not in pane.value
    first = pane.value
    controls(widget)["lam"].value = 0.0
    assert pane.value != first  # lift ranking differs from probability ranking
    controls(widget)["topic"].value = 2
    assert "two" in pane.value


def test_sentence_explorer_highlights_evidence_and_escapes_text():
    evidence = pd.DataFrame({"doc_id": ["a", "b"], "compound": [0.6, -0.5],
                             "text": ["A good <script>x</script> deal.", "A bad day, not good."],
                             "evidence": ["good +1.90", "bad -2.50; good -1.41 (negation, booster or capitals)"]})
    pane = explore.sentence_explorer(evidence).children[1]
    assert "<script>" not in pane.value and "&lt;script&gt;" in pane.value
    assert 'title="+1.90">good</mark>' in pane.value and 'title="-1.41">good</mark>' in pane.value
    assert pane.value.index("0.600") < pane.value.index("-0.500")  # highest first
    assert explore.highlight("style mark title", "style +1.0; mark -1.0") == (
        '<mark style="background:#cfe3f3" title="+1.0">style</mark> '
        '<mark style="background:#fbe0c0" title="-1.0">mark</mark> title')


def test_urls_in_corpus_text_and_metadata_stay_text_in_the_widgets():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Sanctions, see https://evil.example/x or <a href='http://e.x'>here</a>."],
                         "source": ["http://evil.example/meta"]})
    kwic = explore.kwic_explorer(docs, query="sanction*").children[1].value
    browser = explore.table_browser(docs, filter_column="doc_id", sort_column="doc_id",
                                    columns=["doc_id", "source"]).children[1].value
    for page in (kwic, browser):
        assert "<a" not in page and "evil.example" in page


def test_neighbour_explorer_lists_neighbours_and_escapes_unknown_words():
    import numpy as np

    from corpuslab import embeddings

    rng = np.random.default_rng(0)
    sentences = [[f"w{i}" for i in rng.integers(0, 30, 8)] for _ in range(100)]
    models = [embeddings.train(sentences, seed=s, vector_size=8, epochs=2, min_count=1) for s in (1, 2)]
    widget = explore.neighbour_explorer(models, term="w1", top_n=5)
    pane = widget.children[1]
    expected = embeddings.similar_words(models, ["w1"], top_n=5)["neighbour"]
    assert all(f">{w}<" in pane.value for w in expected) and "seed_share" in pane.value
    controls(widget)["term"].value = "<b>nope</b>"
    assert "not in the vocabulary" in pane.value and "<b>nope" not in pane.value and "&lt;b&gt;nope" in pane.value
