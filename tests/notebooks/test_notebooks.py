"""Every notebook, executed for real by papermill in a Jupyter kernel on the tiny corpus."""

import nbformat
import papermill
import pytest

from corpuslab import params, pipeline, report, resources

from ..conftest import TINY

NOTEBOOKS = pipeline.notebook_paths()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("nbrun")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_runs_on_tiny_corpus_and_writes_its_tables(notebook, run_dir):
    cfg = params.load(None, [f"corpus.path={TINY}", "topics.k=2", "topics.min_unit_tokens=3"])
    values = params.to_notebook(cfg, pipeline.notebook_variables(notebook))
    values["run_dir"] = str(run_dir)
    papermill.execute_notebook(str(notebook), str(run_dir / notebook.name), parameters=values,
                               kernel_name=pipeline.kernel_name(), cwd=str(run_dir), progress_bar=False)
    assert report.check_tables(run_dir, pipeline.declared_tables(notebook)) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_is_stored_clean(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    assert nb["cells"][0]["cell_type"] == "markdown" and nb["cells"][0]["source"].startswith("# ")
    source = "\n".join(c["source"] for c in code)
    assert "nltk.download" not in source and "pip install" not in source and "../data" not in source


def test_notebook_runs_alone_from_another_folder_with_defaults(tmp_path, monkeypatch):
    """As in JupyterLab: no injected params; output goes to the scratch folder, not a report."""
    notebook = NOTEBOOKS[0]
    scratch = tmp_path / "scratch"  # empty: a table found there afterwards was written by this run
    monkeypatch.setenv("CORPUSLAB_SCRATCH_DIR", str(scratch))  # the kernel inherits it
    assert resources.scratch_dir() == scratch and not scratch.exists()
    papermill.execute_notebook(str(notebook), str(tmp_path / "out.ipynb"), kernel_name=pipeline.kernel_name(),
                               cwd=str(tmp_path), progress_bar=False)
    assert report.check_tables(scratch, pipeline.declared_tables(notebook)) == []


def test_every_figure_is_shown_in_the_cell_that_saves_it_and_nothing_echoes_a_path(run_dir):
    """After the runs above: each saved figure is an image output of its cell, once, and no cell prints a path."""
    import base64
    import re

    executed = [run_dir / n.name for n in NOTEBOOKS if (run_dir / n.name).exists()]
    if len(executed) < len(NOTEBOOKS):
        pytest.skip("needs the notebook runs above (run the whole module)")
    shown, problems = [], []
    for path in executed:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            images = ["".join(o["data"]["image/png"].split()) for o in cell.outputs if "image/png" in o.get("data", {})]
            shown += images
            if re.search(r"^out\.figure\(", cell.source, re.MULTILINE) and not images:  # an unconditional save
                problems.append(f"{path.stem} cell {cell.id}: saves a figure but shows none")
            text = " ".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in cell.outputs)
            if re.search(r"PosixPath|\.partial-|object at 0x|<Figure size", text):
                problems.append(f"{path.stem} cell {cell.id}: echoes {text[:80]!r}")
    saved = sorted((run_dir / "figures").glob("*.png"))
    assert problems == []
    assert sorted(shown) == sorted(base64.b64encode(p.read_bytes()).decode() for p in saved)
