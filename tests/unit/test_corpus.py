"""corpus: loading every source, metadata joining, facts and fingerprint."""

import json

import pandas as pd
import pytest

from corpuslab import cleaning, corpus
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


def test_wrong_explicit_encoding_is_refused_by_name(tmp_path):
    (tmp_path / "latin.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(CorpuslabError, match=r"latin\.txt.*not valid utf-8.*corpus\.encoding"):
        corpus.load(tmp_path, encoding="utf-8")
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


def test_fingerprint_changes_with_text_and_metadata_only():
    docs = corpus.load(BUNDLED_CORPUS)
    base = corpus.fingerprint(docs)
    assert corpus.fingerprint(docs.sample(frac=1, random_state=1)) == base
    assert corpus.fingerprint(docs.assign(text=docs["text"] + " ")) != base
    assert corpus.fingerprint(docs.assign(outlet="X")) != base
    assert corpus.fingerprint(cleaning.clean(docs)) == base  # cleaning is a function of the input


def test_year_column_dates_a_table_corpus(tmp_path):
    path = tmp_path / "speeches.csv"
    pd.DataFrame({"doc_id": ["a", "b"], "year": [1990, 2023], "text": ["One.", "Two."]}).to_csv(path, index=False)
    docs = corpus.load(path)
    assert docs["date"].tolist() == ["1990", "2023"] and docs["date_precision"].tolist() == ["year", "year"]


def test_year_column_that_is_not_years_is_left_alone(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"doc_id": ["a"], "year": ["freshman"], "text": ["One."]}).to_csv(path, index=False)
    assert "date" not in corpus.load(path).columns


def test_a_document_over_the_size_limit_is_named():
    known = {"largest_doc_id": "everything", "largest_chars": 30_000_000}
    with pytest.raises(CorpuslabError, match="'everything' has 30 million characters, over corpus.max_document_mb=25"):
        corpus.check_sizes(known, 25)


def test_facts_measure_a_loaded_corpus():
    docs = corpus.load(BUNDLED_CORPUS)
    known = corpus.facts(docs)
    sizes = docs.set_index("doc_id")["text"].str.len()
    assert known == {"fingerprint": corpus.fingerprint(docs), "n_documents": 5, "n_chars": int(sizes.sum()),
                     "largest_doc_id": sizes.idxmax(), "largest_chars": int(sizes.max())}
