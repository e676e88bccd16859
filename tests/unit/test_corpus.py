"""corpus: loading every source, metadata joining, cleaning, fingerprint."""

import json
import shutil

import pandas as pd
import pytest

from corpuslab import corpus
from corpuslab.errors import CorpuslabError
from corpuslab.resources import BUNDLED_CORPUS


def test_bundled_corpus_loads_with_metadata():
    docs = corpus.load(BUNDLED_CORPUS)
    assert list(docs.columns[:2]) == ["doc_id", "text"]
    assert len(docs) == 5 and docs["doc_id"].is_unique
    assert set(docs["date_precision"]) == {"day", "month", "year"}
    assert docs.set_index("doc_id").loc["004_61fc405e6b15a3ca", "outlet"] == "The Japan Times"


def test_folder_without_metadata_gets_ids_from_file_names(tiny_corpus):
    (tiny_corpus / "metadata.csv").unlink()
    docs = corpus.load(tiny_corpus)
    assert docs["doc_id"].tolist() == ["a_2019", "b_2021", "c_2024"]


def test_crlf_and_bom_are_normalised(tmp_path):
    (tmp_path / "x.txt").write_bytes(b"\xef\xbb\xbfOne.\r\nTwo.\rThree.")
    assert corpus.load(tmp_path).loc[0, "text"] == "One.\nTwo.\nThree."


def test_wrong_encoding_is_refused_by_name(tmp_path):
    (tmp_path / "latin.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(CorpuslabError, match=r"latin\.txt.*not valid utf-8.*corpus\.encoding"):
        corpus.load(tmp_path)
    assert corpus.load(tmp_path, encoding="latin-1").loc[0, "text"] == "café"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_table_sources(tmp_path, fmt):
    table = pd.DataFrame({"id": ["b", "a"], "body": ["Second text.", "First text."], "year": ["2020", "2021"]})
    path = tmp_path / f"corpus.{fmt}"
    if fmt == "csv":
        table.to_csv(path, index=False)
    elif fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in table.to_dict("records")), encoding="utf-8")
    else:
        table.to_parquet(path)
    docs = corpus.load(path, text_column="body", id_column="id")
    assert docs["doc_id"].tolist() == ["a", "b"]
    assert docs["text"].tolist() == ["First text.", "Second text."]


def test_table_without_id_column_numbers_rows(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": ["x", "y"]}).to_csv(path, index=False)
    assert corpus.load(path)["doc_id"].tolist() == ["doc00001", "doc00002"]


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "does not exist"),
    (lambda d: d.mkdir(), "has no .txt files"),
])
def test_bad_paths(tmp_path, setup, message):
    target = tmp_path / "corpus"
    setup(target)
    with pytest.raises(CorpuslabError, match=message):
        corpus.load(target)


def test_missing_text_column_lists_columns(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"body": ["x"]}).to_csv(path, index=False)
    with pytest.raises(CorpuslabError, match=r"corpus\.text_column 'text'.*columns are body"):
        corpus.load(path)


def test_metadata_mismatches_are_named(tiny_corpus):
    meta = tiny_corpus / "metadata.csv"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text + "d_2030,X,,,,2030,year,news,d_2030.txt\n", encoding="utf-8")
    with pytest.raises(CorpuslabError, match="'d_2030' has no matching .txt file"):
        corpus.load(tiny_corpus)
    meta.write_text("\n".join(text.splitlines()[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(CorpuslabError, match="'c_2024'.txt has no metadata row"):
        corpus.load(tiny_corpus)


def test_unparseable_date_is_named(tiny_corpus):
    meta = tiny_corpus / "metadata.csv"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2019-06", "June-ish"), encoding="utf-8")
    with pytest.raises(CorpuslabError, match="date 'June-ish' of document 'a_2019'"):
        corpus.load(tiny_corpus)


def test_cleaning_removes_furniture_and_keeps_original():
    docs = corpus.clean(corpus.load(BUNDLED_CORPUS))
    removed = corpus.removed_lines(docs)
    assert {"advertisement", "copyright", "photo_caption", "share_and_comments", "byline"} <= set(removed["rule"])
    joined = "\n".join(docs["text"])
    for furniture in ("Advertisement", "All rights reserved", "Photo Credit: Reuters", "Leave a comment",
                      "Website Powered by WordPress.com", "CommentsJump to comments section"):
        assert furniture not in joined
    assert "Advertisement" in docs.loc[docs["doc_id"] == "002_8c61eab635a33c70", "raw_text"].iloc[0]
    assert "stealthily scaling up their co-operation" in joined  # article text survives
    assert docs["n_lines_removed"].sum() == len(removed)


def test_clean_text_is_original_minus_removed_lines(tiny_corpus):
    docs = corpus.clean(corpus.load(tiny_corpus))
    removed = corpus.removed_lines(docs)
    for row in docs.itertuples():
        gone = set(removed.loc[removed["doc_id"] == row.doc_id, "text"])
        kept = [l.strip() for l in row.raw_text.split("\n") if l.strip() and l.strip() not in gone]
        assert [l.strip() for l in row.text.split("\n") if l.strip()] == kept


def test_fingerprint_changes_with_text_and_metadata_only():
    docs = corpus.load(BUNDLED_CORPUS)
    base = corpus.fingerprint(docs)
    assert corpus.fingerprint(docs.sample(frac=1, random_state=1)) == base
    assert corpus.fingerprint(docs.assign(text=docs["text"] + " ")) != base
    assert corpus.fingerprint(docs.assign(outlet="X")) != base
    assert corpus.fingerprint(corpus.clean(docs)) == base  # cleaning is a function of the input


def test_labels_fall_back_to_doc_id():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "label": ["A", ""]})
    assert corpus.labels(docs) == {"a": "A", "b": "b"}


def test_year_column_dates_a_table_corpus(tmp_path):
    path = tmp_path / "speeches.csv"
    pd.DataFrame({"doc_id": ["a", "b"], "year": [1990, 2023], "text": ["One.", "Two."]}).to_csv(path, index=False)
    docs = corpus.load(path)
    assert docs["date"].tolist() == ["1990", "2023"] and docs["date_precision"].tolist() == ["year", "year"]


def test_year_column_that_is_not_years_is_left_alone(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"doc_id": ["a"], "year": ["freshman"], "text": ["One."]}).to_csv(path, index=False)
    assert "date" not in corpus.load(path).columns


def test_view_groups_documents_then_periods_then_corpus():
    small = pd.DataFrame({"doc_id": ["a", "b"], "label": ["FT 2017", ""]})
    groups, name = corpus.view_groups(small)
    assert (name, groups.tolist()) == ("document", ["FT 2017", "b"])
    dated = pd.DataFrame({"doc_id": [f"d{i}" for i in range(78)], "date": [str(1946 + i) for i in range(78)]})
    groups, name = corpus.view_groups(dated)
    assert name == "period" and groups.nunique() <= corpus.MAX_VIEW_GROUPS
    assert groups.iloc[0] == "1940–1949" and groups.iloc[-1] == "2020–2029"
    undated = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)]})
    assert corpus.view_groups(undated)[0].unique().tolist() == ["all documents"]


def test_view_groups_keep_undated_documents():
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "date": [str(1950 + i) for i in range(39)] + [""]})
    groups, name = corpus.view_groups(docs)
    assert name == "period" and groups.iloc[-1] == "undated" and groups.iloc[0] == "1950–1954"


def test_from_params_keeps_the_text_before_cleaning_only_if_asked(tmp_path, monkeypatch):
    from corpuslab import params

    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path))
    cfg = params.validate({})
    assert "raw_text" not in corpus.from_params(cfg).columns
    with_raw = corpus.from_params(cfg, raw_text=True)
    assert "raw_text" in with_raw.columns and len(corpus.removed_lines(with_raw)) > 0
    with pytest.raises(CorpuslabError, match="raw_text=True"):
        corpus.removed_lines(corpus.from_params(cfg))


def test_cleaning_with_the_combined_screen_equals_rule_by_rule():
    rules = corpus.read_rules()
    docs = corpus.load(BUNDLED_CORPUS)
    screen = corpus._any_pattern(rules)
    assert screen is not None
    texts = list(docs["text"]) + ["Advertisement\nSame line\nSame line\nBy Jane Doe\nReal text.\n\n\nEnd"]
    for text in texts:
        for author in ("", "Jane Doe"):
            assert corpus._clean_text(text, author, rules, screen) == corpus._clean_text(text, author, rules)


def test_facts_are_remembered_until_a_file_changes(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, folder)
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path / "cache"))
    first = corpus.facts(folder)
    assert first["fingerprint"] == corpus.fingerprint(corpus.load(folder)) and first["n_documents"] == 5
    real_load = corpus.load
    monkeypatch.setattr(corpus, "load", lambda *a, **k: pytest.fail("an unchanged corpus was read again"))
    assert corpus.facts(folder) == first
    from corpuslab import params

    cfg = params.validate({"corpus.path": str(folder)})
    monkeypatch.setattr(corpus, "load", real_load)
    cleaned = corpus.from_params(cfg)
    monkeypatch.setattr(corpus, "load", lambda *a, **k: pytest.fail("a cached corpus was read again"))
    assert corpus.from_params(cfg).equals(cleaned) and "raw_text" not in cleaned.columns
    monkeypatch.setattr(corpus, "load", real_load)
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.", encoding="utf-8")
    assert corpus.facts(folder)["fingerprint"] != first["fingerprint"]


def test_a_document_over_the_size_limit_is_named():
    known = {"largest_doc_id": "everything", "largest_chars": 30_000_000}
    with pytest.raises(CorpuslabError, match="'everything' has 30 million characters, over corpus.max_document_mb=25"):
        corpus.check_sizes(known, 25)
