"""engine: partitioned work gives the same tables on every engine."""

import pandas as pd
import pytest

from corpuslab import cleaning, corpus, engine
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


def test_start_runs_the_fork_server_ahead_and_a_pool_then_gives_the_same_results():
    from multiprocessing import forkserver

    engine.SERIAL.start()  # nothing to start in this process
    engine.Engine("local", 2).start()
    assert forkserver._forkserver._forkserver_pid is not None
    assert engine.Engine("local", 2).map(abs, [-1, 2, -3]) == engine.SERIAL.map(abs, [-1, 2, -3])
