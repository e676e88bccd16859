"""cache: entries keyed by input, params, the source of the code that made them and package versions;
a damaged or foreign file is a miss; a cache that cannot be written never stops the work."""

import ast
import errno
import json
import os
import shutil
import subprocess
import sys
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import cache, cleaning, corpus
from corpuslab.resources import BUNDLED_CORPUS, PROJECT_ROOT

CODE = ("corpuslab.stats",)


def test_cache_hits_and_misses_are_logged_with_key_and_code(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("CORPUSLAB_CACHE_LOG", str(log))
    calls = []

    def build():
        calls.append(1)
        return pd.DataFrame({"a": [1, 2]})

    first = cache.table("t", ("x",), build, folder=tmp_path, code=CODE)
    second = cache.table("t", ("x",), build, folder=tmp_path, code=CODE)
    third = cache.table("t", ("y",), build, folder=tmp_path, code=CODE)
    assert first.equals(second) and first.equals(third) and len(calls) == 2
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["hit"] for e in entries] == [False, True, False]
    assert entries[0]["key"] == entries[1]["key"] == cache.key("t", ("x",), CODE) != entries[2]["key"]
    assert entries[0]["file"].startswith("t-" + entries[0]["key"][:20]) and entries[0]["code"] == list(CODE)


def test_cache_reads_only_the_columns_asked_for_and_keeps_values(tmp_path):
    full = cache.table("t", ("x",), lambda: pd.DataFrame({"a": [1], "b": ["big"]}), folder=tmp_path, drop=("b",),
                       code=CODE)
    again = cache.table("t", ("x",), lambda: pytest.fail("rebuilt"), folder=tmp_path, drop=("b",), code=CODE)
    assert list(full.columns) == list(again.columns) == ["a"]
    assert list(cache.table("t", ("x",), lambda: pytest.fail("rebuilt"), folder=tmp_path, code=CODE).columns) == [
        "a", "b"]
    assert cache.value("v", (1,), lambda: {"n": 3}, folder=tmp_path, code=CODE) == {"n": 3}
    assert cache.value("v", (1,), lambda: pytest.fail("rebuilt"), folder=tmp_path, code=CODE) == {"n": 3}


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(max_size=8), min_size=1, max_size=6), ids=st.data())
def test_frame_digest_changes_exactly_when_the_values_do(texts, ids):
    other = ids.draw(st.lists(st.text(max_size=8), min_size=len(texts), max_size=len(texts)))
    a = pd.DataFrame({"id": range(len(texts)), "text": texts})
    b = pd.DataFrame({"id": range(len(texts)), "text": other})
    # the same values in other chunks / a sliced frame give the same digest; any changed value another one
    assert cache.frame_digest(a, ["id", "text"]) == cache.frame_digest(pd.concat([a.iloc[:1], a.iloc[1:]]),
                                                                       ["id", "text"])
    assert (cache.frame_digest(a, ["id", "text"]) == cache.frame_digest(b, ["id", "text"])) == (texts == other)


def test_cached_arrays_round_trip_and_read_only_what_is_asked(tmp_path):
    import numpy as np

    built = {"ids": np.arange(5, dtype=np.int32), "spans": np.ones((5, 2), dtype=np.int64)}
    first = cache.arrays("a", ("x",), lambda: built, folder=tmp_path, names=("ids",), code=CODE)
    assert list(first) == ["ids"] and first["ids"].dtype == np.int32
    again = cache.arrays("a", ("x",), lambda: pytest.fail("rebuilt"), folder=tmp_path, code=CODE)
    assert again["spans"].tolist() == built["spans"].tolist() and again["ids"].tolist() == [0, 1, 2, 3, 4]


def test_a_cached_documents_table_reads_back_equal(tmp_path, monkeypatch):
    """Parquet keeps a real cleaned table as it was built (dtypes, missing values, dates as text)."""
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("CORPUSLAB_CACHE_LOG", str(log))
    built = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    stored = cache.table("documents", ("bundled",), lambda: built, folder=tmp_path, code=("corpuslab.corpus",))
    read = cache.table("documents", ("bundled",), lambda: pytest.fail("rebuilt"), folder=tmp_path,
                       code=("corpuslab.corpus",))
    assert [json.loads(line)["hit"] for line in log.read_text().splitlines()] == [False, True]
    assert stored.equals(built) and read.equals(built)


def test_cache_dir_can_be_moved(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path / "elsewhere"))
    cache.table("demo", ("x",), lambda: pd.DataFrame({"a": [1]}), code=CODE)
    assert len(list((tmp_path / "elsewhere").glob("demo-*.parquet"))) == 1


def test_cache_off_builds_every_time_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUSLAB_CACHE", "off")
    calls = []
    for _ in range(2):
        cache.value("v", (1,), lambda: calls.append(1) or {"n": 1}, folder=tmp_path, code=CODE)
    assert len(calls) == 2 and not list(tmp_path.iterdir())


# --- the key: code and package versions --------------------------------------------------------------------------

def _package_copy(tmp_path):
    """A copy of the package with three probe modules: b imports a inside a function, c imports neither."""
    lib = tmp_path / "lib"
    shutil.copytree(PROJECT_ROOT / "lib" / "corpuslab", lib / "corpuslab",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (lib / "corpuslab" / "probe_a.py").write_text("WORD = 'china'\n")
    (lib / "corpuslab" / "probe_b.py").write_text("def word():\n    from corpuslab import probe_a\n\n"
                                                  "    return probe_a.WORD\n")
    (lib / "corpuslab" / "probe_c.py").write_text("from corpuslab.errors import invalid\n")
    return lib


_PROBE_RUN = """
import json, sys
from corpuslab import cache
assert cache.__file__.startswith(sys.argv[1]), cache.__file__
for name in ("a", "b", "c"):
    cache.value("probe", (name,), lambda: print("built", name) or {"name": name}, code=("corpuslab.probe_" + name,))
"""


def _run_probes(lib, cache_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORPUSLAB_")}
    env.update(PYTHONPATH=str(lib), CORPUSLAB_CACHE_DIR=str(cache_dir))
    result = subprocess.run([sys.executable, "-c", _PROBE_RUN, str(lib)], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return sorted(line.split()[1] for line in result.stdout.splitlines())


def test_editing_a_module_invalidates_its_entries_and_its_importers_only(tmp_path):
    lib, cache_dir = _package_copy(tmp_path), tmp_path / "cache"
    assert _run_probes(lib, cache_dir) == ["a", "b", "c"]
    assert _run_probes(lib, cache_dir) == []  # a new process, unchanged code: every entry reused
    (lib / "corpuslab" / "probe_a.py").write_text("WORD = 'China'  # now case-sensitive\n")
    assert _run_probes(lib, cache_dir) == ["a", "b"]  # c does not import a: still valid
    shutil.rmtree(lib / "corpuslab" / "__pycache__", ignore_errors=True)
    (lib / "corpuslab" / "errors.py").write_text((lib / "corpuslab" / "errors.py").read_text() + "\n# edited\n")
    assert _run_probes(lib, cache_dir) == ["a", "b", "c"]  # the package's __init__ imports errors: everything


def test_an_edit_within_a_process_is_seen(tmp_path, monkeypatch):
    """Source digests are remembered per (path, mtime, size): an edit in a live session (JupyterLab) counts."""
    lib = _package_copy(tmp_path)
    monkeypatch.setattr(cache, "PACKAGE_DIR", lib / "corpuslab")
    before = {name: cache.code_digest([f"corpuslab.probe_{name}"]) for name in "abc"}
    (lib / "corpuslab" / "probe_a.py").write_text("WORD = 'CHINA'\n")
    after = {name: cache.code_digest([f"corpuslab.probe_{name}"]) for name in "abc"}
    assert before["a"] != after["a"] and before["b"] != after["b"] and before["c"] == after["c"]


def test_imports_are_found_anywhere_in_a_module():
    source = ("import corpuslab.tokens\nfrom corpuslab import stats, CorpuslabError\nimport numpy\n"
              "def f():\n    from .segment import sentences\n    from . import engine\n")
    assert own_imports_of(source) == ["corpuslab", "corpuslab.engine", "corpuslab.segment", "corpuslab.stats",
                                      "corpuslab.tokens"]


def own_imports_of(source):
    return sorted(cache.own_imports(source, "corpuslab.probe"))


def test_a_package_version_changes_the_key(monkeypatch):
    before = cache.key("t", ("x",), CODE)
    real = cache.metadata.version
    monkeypatch.setattr(cache.metadata, "version", lambda name: "99.0" if name == "polars" else real(name))
    cache.package_versions.cache_clear()
    try:
        assert cache.package_versions()["polars"] == "99.0" and cache.key("t", ("x",), CODE) != before
    finally:
        monkeypatch.undo()
        cache.package_versions.cache_clear()
    assert cache.key("t", ("x",), CODE) == before


def test_every_package_that_shapes_results_is_installed_and_recorded():
    """A misspelt name would read "not installed" and never change the key."""
    versions = cache.package_versions()
    assert set(versions) == {"python", *cache.RESULT_PACKAGES}
    assert "not installed" not in versions.values(), versions


def test_code_must_name_corpuslab_modules():
    with pytest.raises(ValueError, match="'numpy' is not a corpuslab module"):
        cache.key("t", (), ("numpy",))
    with pytest.raises(ValueError, match="'corpuslab.segmnet' is not a corpuslab module"):
        cache.value("t", (), dict, code=("corpuslab.segmnet",))
    with pytest.raises(TypeError, match="a tuple of module names"):
        cache.value("t", (), dict, code="corpuslab.segment")


def test_an_empty_code_is_refused(tmp_path):
    with pytest.raises(ValueError, match="code: got no module"):
        cache.value("t", (), dict, folder=tmp_path, code=())
    with pytest.raises(TypeError):
        cache.value("t", (), dict, folder=tmp_path)


def _calls_without_code(path):
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("table", "value", "arrays")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "cache"):
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if code is None or (isinstance(code, ast.Tuple) and not code.elts):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_cache_call_in_the_library_names_its_code():
    missing = [call for path in sorted((PROJECT_ROOT / "lib" / "corpuslab").rglob("*.py"))
               for call in _calls_without_code(path)]
    assert not missing, f"cache calls without code=: {missing}"


def test_the_scan_finds_calls_without_code(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("cache.table('a', (), f)\ncache.value('b', (), f, code=())\n"
                      "cache.arrays('c', (), f, code=('corpuslab.tokens',))\n")
    assert _calls_without_code(module) == ["m.py:1", "m.py:2"]


# --- files that are not entries, folders that cannot be written ----------------------------------------------------

def test_a_json_entry_that_is_not_one_is_a_miss(tmp_path):
    cache.value("v", (1,), lambda: {"n": 1}, folder=tmp_path, code=CODE)
    (path,) = tmp_path.glob("v-*.json")
    for foreign in ("{}", "[]", '{"n": 1}', json.dumps({"key": "0" * 64, "value": {"n": 2}}), '{"key": '):
        path.write_text(foreign)
        assert cache.value("v", (1,), lambda: {"n": 1}, folder=tmp_path, code=CODE) == {"n": 1}, foreign
        assert json.loads(path.read_text())["value"] == {"n": 1}  # and repaired


def test_damaged_table_and_array_files_are_misses(tmp_path):
    import numpy as np

    cache.table("t", (1,), lambda: pd.DataFrame({"a": [1]}), folder=tmp_path, code=CODE)
    cache.arrays("a", (1,), lambda: {"x": np.arange(3)}, folder=tmp_path, code=CODE)
    for path in [*tmp_path.glob("t-*.parquet"), *tmp_path.glob("a-*.npz")]:
        path.write_bytes(path.read_bytes()[:20])
    assert cache.table("t", (1,), lambda: pd.DataFrame({"a": [2]}), folder=tmp_path, code=CODE)["a"].tolist() == [2]
    assert cache.arrays("a", (1,), lambda: {"x": np.arange(2)}, folder=tmp_path, code=CODE)["x"].tolist() == [0, 1]
    assert cache.arrays("a", (1,), lambda: {"y": np.arange(1)}, folder=tmp_path, names=("y",),
                        code=CODE)["y"].tolist() == [0]  # a name the file lacks: rebuilt


def _warnings_of(func):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func()
    return result, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def test_a_cache_dir_that_is_a_file_warns_once_and_the_work_goes_on(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file")
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(not_a_folder))
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("CORPUSLAB_CACHE_LOG", str(log))

    def twice():
        return [cache.value("v", (1,), lambda: {"n": 1}, code=CODE),
                cache.table("t", (1,), lambda: pd.DataFrame({"a": [1]}), code=CODE)["a"].tolist()]

    results, messages = _warnings_of(twice)
    assert results == [{"n": 1}, [1]]
    assert len(messages) == 1 and "cannot write" in messages[0] and "CORPUSLAB_CACHE_DIR" in messages[0]
    assert [line.count('"error"') for line in log.read_text().splitlines()] == [1, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "log.jsonl"]


def test_a_full_disk_leaves_no_temporary_file(tmp_path, monkeypatch):
    def full(table, path, **_):
        with open(path, "wb") as handle:
            handle.write(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    folder = tmp_path / "cache"
    result, messages = _warnings_of(lambda: cache.table("t", (1,), lambda: pd.DataFrame({"a": [1]}), folder=folder,
                                                        code=CODE))
    assert result["a"].tolist() == [1] and len(messages) == 1 and "No space left" in messages[0]
    assert list(folder.iterdir()) == []
    again, messages = _warnings_of(lambda: cache.table("t", (2,), lambda: pd.DataFrame({"a": [2]}), folder=folder,
                                                       code=CODE))
    assert again["a"].tolist() == [2] and messages == [] and list(folder.iterdir()) == []
