"""engine and cache: partitioned work gives the same tables on every engine; the cache keys on input."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import cache, cleaning, corpus, engine, params, workflow
from corpuslab.errors import CorpuslabError
from corpuslab.resources import BUNDLED_CORPUS


def _lengths(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(n=table["text"].str.len())[["n"]]


def test_partition_keeps_every_row_in_order():
    table = pd.DataFrame({"text": ["x" * n for n in range(1, 40)]})
    for n_parts in (1, 2, 3, 7, 50):
        parts = engine.partition(table, n_parts)
        assert len(parts) <= n_parts
        assert pd.concat(parts).index.tolist() == table.index.tolist()


def test_local_process_pool_matches_in_process():
    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    assert engine.Engine("local", 2).map_tables(_lengths, docs).equals(_lengths(docs).reset_index(drop=True))


class _Unpickled:
    """A step's state that notes, in a file, the process each copy of it is unpickled in."""

    def __init__(self, log):
        self.log = str(log)

    def __reduce__(self):
        return _Unpickled._arrived, (self.log,)

    @staticmethod
    def _arrived(log):
        import os

        with open(log, "a") as out:
            out.write(f"{os.getpid()}\n")
        return _Unpickled(log)

    def __call__(self, item):
        return item * 2


def test_a_pool_receives_the_step_once_per_worker_not_once_per_item(tmp_path):
    log = tmp_path / "arrivals.txt"
    assert engine.Engine("local", 2).map(_Unpickled(log), list(range(12))) == [i * 2 for i in range(12)]
    arrivals = log.read_text().split()
    assert 1 <= len(arrivals) <= 2 and len(set(arrivals)) == len(arrivals)


def _preloaded(_item):
    import sys

    return [name in sys.modules for name in engine.WORKER_MODULES], "polars" in sys.modules


def test_pool_workers_start_with_the_libraries_imported_and_without_polars():
    """The fork server imports WORKER_MODULES (a misspelt name would be skipped silently); polars'
    threads, started at import, would not survive the fork."""
    (loaded, polars), *_ = engine.Engine("local", 2).map(_preloaded, [0, 1])
    assert all(loaded) and not polars


def test_pool_workers_run_the_callers_copy_of_corpuslab(tmp_path, monkeypatch):
    """corpuslab's own modules are not preloaded: a worker imports them from the caller's sys.path."""
    import shutil

    from corpuslab.resources import PROJECT_ROOT

    copy = tmp_path / "lib"
    shutil.copytree(PROJECT_ROOT / "lib" / "corpuslab", copy / "corpuslab")
    (copy / "corpuslab" / "marker.py").write_text("HERE = 'copy'\n")
    monkeypatch.syspath_prepend(str(copy))
    assert engine.Engine("local", 2).map(_marker, [0, 1]) == ["copy", "copy"]


def _marker(_item):
    from corpuslab import marker

    return marker.HERE


def test_unknown_engine_is_refused():
    with pytest.raises(CorpuslabError, match="engine: got 'spark'"):
        engine.Engine("spark")


def test_cache_hits_and_misses(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("CORPUSLAB_CACHE_LOG", str(log))
    calls = []

    def build():
        calls.append(1)
        return pd.DataFrame({"a": [1, 2]})

    first = cache.table("t", ("x",), build, folder=tmp_path)
    second = cache.table("t", ("x",), build, folder=tmp_path)
    third = cache.table("t", ("y",), build, folder=tmp_path)
    assert first.equals(second) and first.equals(third) and len(calls) == 2
    assert [line.count('"hit": true') for line in log.read_text().splitlines()] == [0, 1, 0]


def test_cache_reads_only_the_columns_asked_for_and_keeps_values(tmp_path):
    full = cache.table("t", ("x",), lambda: pd.DataFrame({"a": [1], "b": ["big"]}), folder=tmp_path, drop=("b",))
    again = cache.table("t", ("x",), lambda: pytest.fail("rebuilt"), folder=tmp_path, drop=("b",))
    assert list(full.columns) == list(again.columns) == ["a"]
    assert list(cache.table("t", ("x",), lambda: pytest.fail("rebuilt"), folder=tmp_path).columns) == ["a", "b"]
    assert cache.value("v", (1,), lambda: {"n": 3}, folder=tmp_path) == {"n": 3}
    assert cache.value("v", (1,), lambda: pytest.fail("rebuilt"), folder=tmp_path) == {"n": 3}


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(max_size=8), min_size=1, max_size=6), ids=st.data())
def test_frame_digest_changes_exactly_when_the_values_do(texts, ids):
    other = ids.draw(st.lists(st.text(max_size=8), min_size=len(texts), max_size=len(texts)))
    a = pd.DataFrame({"id": range(len(texts)), "text": texts})
    b = pd.DataFrame({"id": range(len(texts)), "text": other})
    # the same values in other chunks / a sliced frame give the same digest; any changed value another one
    assert cache.frame_digest(a, ["id", "text"]) == cache.frame_digest(pd.concat([a.iloc[:1], a.iloc[1:]]), ["id", "text"])
    assert (cache.frame_digest(a, ["id", "text"]) == cache.frame_digest(b, ["id", "text"])) == (texts == other)


def test_cached_arrays_round_trip_and_read_only_what_is_asked(tmp_path):
    import numpy as np

    built = {"ids": np.arange(5, dtype=np.int32), "spans": np.ones((5, 2), dtype=np.int64)}
    first = cache.arrays("a", ("x",), lambda: built, folder=tmp_path, names=("ids",))
    assert list(first) == ["ids"] and first["ids"].dtype == np.int32
    again = cache.arrays("a", ("x",), lambda: pytest.fail("rebuilt"), folder=tmp_path)
    assert again["spans"].tolist() == built["spans"].tolist() and again["ids"].tolist() == [0, 1, 2, 3, 4]


def test_cached_cleaning_equals_cleaning(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path)
    cfg = params.from_notebook({})
    first, second = workflow.documents(cfg, raw_text=True), workflow.documents(cfg, raw_text=True)
    assert first.equals(second)
    assert first.equals(cleaning.clean(corpus.load(BUNDLED_CORPUS)))


def test_cache_dir_can_be_moved(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path / "elsewhere"))
    cache.table("demo", ("x",), lambda: pd.DataFrame({"a": [1]}))
    assert len(list((tmp_path / "elsewhere").glob("demo-*.parquet"))) == 1
