"""params: schema, YAML, --set overrides, rejection with clear messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpuslab import params
from corpuslab.errors import CorpuslabError


def test_defaults_validate_cleanly():
    assert params.validate({}) == params.defaults()


def test_fixed_key_names_exist():
    for key in ("corpus.path", "corpus.metadata", "corpus.text_column", "corpus.encoding", "topics.k", "seed"):
        assert key in params.BY_KEY


@pytest.mark.parametrize("assignment, key, value", [
    ("topics.k=abc", "topics.k", "abc"),
    ("topics.k=0", "topics.k", 0),
    ("topics.k=2.5", "topics.k", 2.5),
    ("topics.k=true", "topics.k", True),
    ("tokens.stopwords=klingon", "tokens.stopwords", "klingon"),
    ("corpus.encoding=nope-8", "corpus.encoding", "nope-8"),
    ("corpus.clean=maybe", "corpus.clean", "maybe"),
])
def test_bad_values_name_key_value_and_allowed(assignment, key, value):
    with pytest.raises(CorpuslabError) as err:
        params.load(None, [assignment])
    message = str(err.value)
    assert message.startswith(f"{key}: got {value!r}; allowed: ")
    assert "\n" not in message


def test_unknown_key_suggests_the_closest():
    with pytest.raises(CorpuslabError, match=r"unknown param 'topics\.kk'; did you mean 'topics\.k'"):
        params.validate({"topics.kk": 3})


def test_yaml_file_and_overrides(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("topics:\n  k: 7\nseed: 3\n", encoding="utf-8")
    cfg = params.load(path, ["seed=5"], base=tmp_path)
    assert cfg["topics.k"] == 7 and cfg["seed"] == 5
    assert cfg["corpus.path"] == str(tmp_path / "data/raw/china-russia")


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("topics:\n  k: [1, 2\n", encoding="utf-8")
    with pytest.raises(CorpuslabError, match=r"bad\.yaml.*YAML syntax error at line"):
        params.read_yaml(path)


def test_missing_params_file():
    with pytest.raises(CorpuslabError, match="does not exist"):
        params.read_yaml("no/such/file.yaml")


def test_set_without_equals_is_rejected():
    with pytest.raises(CorpuslabError, match="expected key=value"):
        params.parse_assignment("topics.k")


def test_notebook_variables_round_trip():
    cfg = params.validate({"topics.k": 6})
    assert params.to_notebook(cfg, {"topics_k", "run_dir"}) == {"topics_k": 6}
    assert params.from_notebook({"topics_k": 6, "run_dir": "x", "unrelated": 1})["topics.k"] == 6


@given(st.dictionaries(st.sampled_from(["topics", "tokens", "corpus"]),
                       st.dictionaries(st.text(st.characters(categories=["Ll"]), min_size=1, max_size=5),
                                       st.integers(), max_size=3), max_size=3))
def test_flatten_nest_round_trip(tree):
    tree = {k: v for k, v in tree.items() if v}
    assert params.nest(params.flatten(tree)) == tree


def test_describe_lists_every_key():
    text = params.describe()
    assert all(p.key in text for p in params.SCHEMA)


@pytest.mark.parametrize("assignments, words", [
    (["topics.k_min=6", "topics.k_max=3"], ["topics.k_min: got 6 with topics.k_max 3", "lower topics.k_min"]),
    (["topics.unit=window", "topics.window=10", "topics.min_unit_tokens=20"],
     ["topics.min_unit_tokens: got 20 with topics.window 10", "raise topics.window"]),
    (["frequency.keyness_target=latest", "frequency.keyness_reference=latest"],
     ["frequency.keyness_reference: got 'latest', the same as frequency.keyness_target 'latest'"]),
    (["frequency.keyness_target=", "frequency.keyness_reference=latest"],  # an empty target is the latest
     ["frequency.keyness_reference: got 'latest', the same as frequency.keyness_target ''"]),
    (["frequency.keyness_target=FT 2017", "frequency.keyness_reference=FT 2017"],
     ["the same as frequency.keyness_target"]),
    (["corpus.text_column=body", "corpus.id_column=body"],
     ["corpus.id_column: got 'body', the same as corpus.text_column"]),
])
def test_impossible_combinations_name_both_keys_and_the_fix(assignments, words):
    with pytest.raises(CorpuslabError) as err:
        params.load(None, assignments)
    message = str(err.value)
    assert "\n" not in message and all(word in message for word in words), message


@pytest.mark.parametrize("assignments", [
    ["topics.k_min=3", "topics.k_max=3"],
    ["topics.unit=paragraph", "topics.window=10", "topics.min_unit_tokens=20"],  # the window is not used
    ["frequency.keyness_target=latest", "frequency.keyness_reference="],
    ["frequency.keyness_target=earliest", "frequency.keyness_reference=latest"],
])
def test_possible_combinations_pass(assignments):
    params.load(None, assignments)


def test_notebook_params_are_checked_together_too():
    with pytest.raises(CorpuslabError, match="topics.k_min: got 6 with topics.k_max 3"):
        params.from_notebook({"topics_k_min": 6, "topics_k_max": 3})
