"""Property tests on arbitrary Unicode: loading, cleaning, segmenting and tokenising never crash,
units map back to the text by their offsets, and nothing is lost except what cleaning reports."""

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuslab import cleaning, corpus, segment, tokens

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
LINES = st.lists(st.one_of(TEXT, st.sampled_from(["Advertisement", "Photo: AP", "Like", "23", "Leave a comment",
                                                  "Mr. Xi met Dr. Li.", "The U.S. said “No.” Then left."])),
                 max_size=12).map("\n".join)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(LINES)
def test_cleaning_loses_only_reported_lines(text):
    docs = cleaning.clean(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    removed = cleaning.removed_lines(docs)
    raw_lines = text.split("\n")
    removed_numbers = set(removed["line_no"])
    kept = [line for i, line in enumerate(raw_lines, 1) if i not in removed_numbers and line.strip()]
    assert [line for line in docs.loc[0, "text"].split("\n") if line.strip()] == kept
    assert all(raw_lines[n - 1].strip() == t for n, t in zip(removed["line_no"], removed["text"]))


@FUZZ
@given(LINES, st.sampled_from(["line", "blank"]))
def test_units_map_back_by_offsets_and_cover_the_text(text, mode):
    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    for units in (segment.paragraphs(docs, mode=mode), segment.sentences(docs, mode=mode)):
        for row in units.itertuples():
            assert text[row.start:row.end] == row.text
        assert "".join("".join(units["text"]).split()) == "".join(text.split())


@FUZZ
@given(TEXT)
def test_tokens_come_from_the_normalised_text(text):
    normalised = tokens.normalise(text)
    assert len(normalised) == len(__import__("unicodedata").normalize("NFC", text))
    for token in tokens.tokenize(text, lowercase=False):
        assert token and token in normalised


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_dtm_counts_every_token(texts):
    X, terms = tokens.dtm(texts)
    assert X.shape == (len(texts), len(terms))
    assert [int(n) for n in X.sum(axis=1).A1] == [len(tokens.tokenize(t)) for t in texts]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=80)
                .filter(lambda t: t.strip()), min_size=1, max_size=4),
       st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_loading_any_unicode_from_files_round_trips(tmp_path_factory, texts, encoding):
    folder = tmp_path_factory.mktemp("fuzz")
    for i, text in enumerate(texts):
        (folder / f"d{i}.txt").write_bytes(text.encode(encoding))
    docs = corpus.load(folder, encoding="utf-8" if encoding != "utf-16" else "utf-16")
    expected = [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    assert docs["text"].tolist() == expected


# Any params file: validation answers with a value or a CorpuslabError (the CLI's exit 2), never another error.
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(["utf-8", "rot13", "auto", ".nan", "latest", "window", "nmf", "-1", "1e309"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
KEYS = st.one_of(st.sampled_from([p.key for p in __import__("corpuslab.params").params.SCHEMA]), st.text(max_size=12))


def _load_params_text(tmp_path_factory, text: str):
    from corpuslab import params
    from corpuslab.errors import CorpuslabError

    path = tmp_path_factory.mktemp("p") / "params.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        cfg = params.load(path)
    except CorpuslabError:
        return
    assert all(math.isfinite(v) for v in cfg.values() if isinstance(v, float)), cfg


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_params_mapping_validates_or_fails_clearly(tmp_path_factory, tree):
    import yaml

    _load_params_text(tmp_path_factory, yaml.safe_dump(tree, allow_unicode=True))  # dotted keys flatten as nested


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=200),
                 st.lists(st.sampled_from(["topics:", "  k: ", "&a ", "*a", "[", "]", "{", "}", ": ", "\n", "- ",
                                           ".nan", "!!python/object:os.system", "!!binary", "'", '"', "\t", "#"]),
                          max_size=40).map("".join)))
def test_any_params_text_validates_or_fails_clearly(tmp_path_factory, text):
    _load_params_text(tmp_path_factory, text)


@settings(max_examples=200, deadline=None)
@given(KEYS, st.text(max_size=40))
def test_any_set_assignment_validates_or_fails_clearly(key, raw):
    from corpuslab import params
    from corpuslab.errors import CorpuslabError

    try:
        cfg = params.load(None, [f"{key}={raw}"])
    except CorpuslabError:
        return
    assert all(math.isfinite(v) for v in cfg.values() if isinstance(v, float)), cfg


@pytest.mark.parametrize("key", ["corpus.path", "corpus.metadata"])
def test_a_path_with_a_nul_character_is_refused_by_name(key):
    """Hypothesis found it: pathlib raised a bare ValueError ("embedded null byte") for corpus.path='\\x00'."""
    from corpuslab import params
    from corpuslab.errors import CorpuslabError

    with pytest.raises(CorpuslabError, match=key.replace(".", r"\.")):
        params.load(None, [f"{key}=a\x00b"])
