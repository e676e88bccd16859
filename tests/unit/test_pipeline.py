"""pipeline pieces that need no kernel: notebook selection, run ids, stages, the main guard."""

from datetime import UTC, datetime, timedelta

import pytest

from corpuslab import params, pipeline
from corpuslab.errors import CorpuslabError


def test_notebooks_in_order_and_only():
    names = [p.stem for p in pipeline.notebook_paths()]
    assert names == sorted(names) and names[-1] == "99_summary"
    assert {"00_corpus", "01_term_frequency", "02_topics", "03_sentiment", "06_word_embeddings"} <= set(names)
    assert [p.stem for p in pipeline.notebook_paths(["03", "00"])] == ["00_corpus", "03_sentiment"]
    allowed = ", ".join(n[:2] for n in names)
    with pytest.raises(CorpuslabError, match=f"--only: no notebook '98'; allowed: {allowed}"):
        pipeline.notebook_paths(["98"])


def test_run_ids_sort_by_time():
    t = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    ids = [pipeline.new_run_id(t + timedelta(microseconds=m)) for m in (0, 1, 999_999, 1_000_000)]
    assert ids == sorted(ids) and len(set(ids)) == 4


def test_a_large_corpus_runs_the_light_notebooks_two_at_a_time_and_the_rest_alone():
    notebooks = pipeline.notebook_paths()
    light = [n for n in notebooks if pipeline.is_light(n)]
    assert [n.stem for n in light] == ["04_similarity", "05_scaling", "06_word_embeddings"]
    plan = pipeline.stages(notebooks, concurrent=False, light=light, weights={n: pipeline.weight(n) for n in light})
    # 06 (three word2vec trainings) starts first; 04 then 05 run in the other slot beside it
    assert [[n.stem[:2] for n in stage] for stage in plan] == [["00"], ["01"], ["02"], ["03"], ["06", "04", "05"],
                                                               ["99"]]
    assert [pipeline.stage_width(stage, concurrent=False) for stage in plan] == [1, 1, 1, 1, 2, 1]
    assert [pipeline.stage_width(stage, concurrent=True) for stage in pipeline.stages(notebooks, concurrent=True)] \
        == [1, len(notebooks) - 2, 1]


def test_light_notebooks_share_a_stage_only_when_consecutive(tmp_path):
    names = [tmp_path / f"{n}.ipynb" for n in ("00_a", "01_b", "02_c", "03_d", "99_e")]
    plan = pipeline.stages(names, concurrent=False, light=[names[1], names[3]])
    assert [[n.stem for n in stage] for stage in plan] == [["00_a"], ["01_b"], ["02_c"], ["03_d"], ["99_e"]]


def test_every_notebook_declares_contract_tables_and_parameters():
    for notebook in pipeline.notebook_paths():
        assert pipeline.declared_tables(notebook), notebook.name
        variables = pipeline.notebook_variables(notebook)
        assert "run_dir" in variables
        unknown = variables - {p.variable for p in params.SCHEMA} - {"run_dir"}
        assert not unknown, f"{notebook.name} declares params not in the schema: {unknown}"


def test_parameters_cell_defaults_equal_schema_defaults():
    import ast

    import papermill

    for notebook in pipeline.notebook_paths():
        for name, info in papermill.inspect_notebook(str(notebook)).items():
            if name == "run_dir":
                continue
            param = params.BY_VARIABLE[name]
            assert ast.literal_eval(info["default"]) == param.default, f"{notebook.name}: {name}"
            assert info["help"], f"{notebook.name}: {name} has no help comment"


def test_kernel_name_is_registered_or_python3():
    assert pipeline.kernel_name() in ("corpuslab", "python3")


def test_a_script_without_the_main_guard_gets_a_clear_error(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "report.py"
    script.write_text("from corpuslab import params, pipeline\npipeline.run(params.validate({}), progress=False)\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and '__name__ == "__main__"' in result.stderr


def test_the_check_before_a_run_reads_the_corpus_once(monkeypatch, tmp_path):
    from corpuslab import corpus

    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path))  # an empty cache: facts and documents both need it
    reads = []
    load = corpus.load
    monkeypatch.setattr(corpus, "load", lambda *args, **kwargs: reads.append(args) or load(*args, **kwargs))
    facts = pipeline.corpus_facts(params.load())
    assert facts["n_documents"] == 5 and len(reads) == 1


def test_kernels_ahead_start_the_next_notebooks_one_at_a_time_and_stop_the_unused():
    started, stopped = [], []

    def start(notebook):
        started.append(notebook)
        if notebook == "c":
            raise RuntimeError("no kernel")
        return f"kernel of {notebook}"

    ahead = pipeline.KernelsAhead(["a", "b", "c", "d"], start, stopped.append)
    assert ahead.take("a") is None  # nothing was started before the run: a starts its own kernel
    assert ahead.take("b") == "kernel of b"
    assert ahead.take("c") is None  # its start failed: c starts its own kernel
    ahead.close()  # the run ends before d: its warm kernel is stopped
    assert started == ["b", "c", "d"] and stopped == ["kernel of d"]


def test_kernels_ahead_start_a_whole_stage_ahead():
    started = []
    width = {"c": 2, "d": 2, "e": 2}.get  # c, d and e share a stage two wide
    ahead = pipeline.KernelsAhead(["a", "b", "c", "d", "e", "f"], lambda n: started.append(n) or n,
                                  lambda n: None, width=lambda n: width(n, 1))
    ahead.take("a")
    ahead.take("b")
    assert sorted(ahead.ahead) == ["c", "d"]  # together: d must not wait for its kernel when c takes its own
    assert ahead.take("c") == "c" and ahead.take("d") == "d" and ahead.take("e") == "e"
    ahead.take("f")
    ahead.close()
    assert started == ["b", "c", "d", "e", "f"]
