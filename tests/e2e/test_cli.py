"""The CLI end to end on the bundled corpus, in real kernels: report folder, contracts, links, determinism, errors."""

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from corpuslab import corpus, pipeline, report
from corpuslab.resources import BUNDLED_CORPUS, NOTEBOOKS_DIR, PROJECT_ROOT


def corpuslab(*args, cwd=PROJECT_ROOT, hashseed="1", cache_dir=None, as_large=False):
    """``corpuslab ARGS`` in a fresh process; ``as_large``: with the stage plan of a large corpus (notebooks
    one at a time, the light ones two at a time) whatever the corpus's size."""
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    if cache_dir is not None:
        env["CORPUSLAB_CACHE_DIR"] = str(cache_dir)
    command = ["-c", "import sys; from corpuslab import cli, pipeline; pipeline.PARALLEL_MAX_CHARS = 0; "
                     "sys.exit(cli.main(sys.argv[1:]))"] if as_large else ["-m", "corpuslab"]
    return subprocess.run([sys.executable, *command, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def first_run(reports, tmp_path_factory):
    """The bundled corpus's report, computed from an empty cache (nothing an earlier test stored)."""
    result = corpuslab("run", "--quiet", "--out", str(reports), cache_dir=tmp_path_factory.mktemp("cache"))
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        self.targets += [v for k, v in attrs if k in ("href", "src") and v]


def test_run_folder_follows_the_contract(first_run, reports):
    run = first_run.parent
    assert first_run.name == "index.html" and first_run.exists()
    for sub in ("notebooks", "html", "tables", "figures"):
        assert any((run / sub).iterdir()), sub
    assert (reports / "latest").resolve() == run.resolve()
    assert not list(reports.glob(".partial-*"))
    for notebook in pipeline.notebook_paths():
        assert report.check_tables(run, pipeline.declared_tables(notebook)) == [], notebook.stem
        assert (run / "html" / f"{notebook.stem}.html").exists()
    for png in (run / "figures").glob("*.png"):
        assert png.with_suffix(".svg").exists()


def test_manifest_records_what_was_run(first_run):
    manifest = json.loads((first_run.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded"
    assert manifest["fingerprint"] == corpus.fingerprint(corpus.load(BUNDLED_CORPUS))
    assert manifest["params"]["topics"]["k"] == 4 and manifest["params"]["seed"] == 42
    assert {"pandas", "scikit-learn", "nltk", "vaderSentiment", "papermill", "polars", "regex", "simplemma"} <= set(
        manifest["packages"])
    assert manifest["git_commit"] and manifest["python"] and manifest["platform"]
    assert manifest["started"] <= manifest["finished"]
    assert [n["status"] for n in manifest["notebooks"]] == ["succeeded"] * len(pipeline.notebook_paths())
    assert all(n["seconds"] > 0 and n["peak_mb"] > 50 for n in manifest["notebooks"])  # each kernel measured
    files = {kind: {c["file"] for c in manifest["cache"] if c["table"] == kind} for kind in ("documents", "sentences")}
    assert all(len(f) == 1 for f in files.values()), files  # every notebook reuses 00's cleaned text and sentences
    first = {c["table"]: c for c in reversed(manifest["cache"])}  # each kind's first use: built (an empty cache)
    assert first["documents"]["hit"]  # cleaned by the check before the run (groups, keyness), reused by 00
    assert not first["sentences"]["hit"]
    assert all(len(c["key"]) == 64 and isinstance(c["code"], list) for c in manifest["cache"])


def test_every_link_in_index_resolves(first_run):
    parser = Links()
    parser.feed(first_run.read_text(encoding="utf-8"))
    assert len(parser.targets) > 10
    for target in parser.targets:
        assert (first_run.parent / target).exists(), target


def test_html_pages_hide_code_and_show_results(first_run):
    page = (first_run.parent / "html" / "01_term_frequency.html").read_text(encoding="utf-8")
    assert "tokens.dtm(" not in page and "Method card" in page
    assert "china" in page


def test_same_input_gives_byte_identical_tables_across_hash_seeds_and_stage_plans(first_run, reports, tmp_path):
    """The second run computes everything again (its own empty cache): reading the first run's cached
    tables would make it agree whatever the hash seed does. It also runs the notebooks as on a large corpus
    (one at a time, the light ones two at a time) where the first ran them side by side."""
    again = corpuslab("run", "--quiet", "--out", str(reports), hashseed="2", cache_dir=tmp_path / "cache",
                      as_large=True)
    assert again.returncode == 0, again.stderr
    second = Path(again.stdout.strip().splitlines()[-1]).parent
    used = {c["file"] for c in json.loads((second / "manifest.json").read_text(encoding="utf-8"))["cache"]}
    assert used and used <= {p.name for p in (tmp_path / "cache").iterdir()}  # every entry it read, it wrote
    assert second != first_run.parent
    tables = sorted(p.name for p in (first_run.parent / "tables").glob("*.csv"))
    assert tables == sorted(p.name for p in (second / "tables").glob("*.csv"))
    for name in tables:
        assert (first_run.parent / "tables" / name).read_bytes() == (second / "tables" / name).read_bytes(), name
    for executed in (second / "notebooks").glob("*.ipynb"):  # kernels started ahead: their warm-up left no trace
        code = [c for c in nbformat.read(executed, as_version=4).cells if c.cell_type == "code"]
        assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), executed.name


def test_bad_param_exits_2_with_one_line_and_runs_nothing(first_run, reports):
    before = sorted(p.name for p in reports.iterdir())
    latest = os.readlink(reports / "latest")
    result = corpuslab("run", "--quiet", "--out", str(reports), "--set", "topics.k=abc")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "topics.k" in lines[0] and "'abc'" in lines[0] and "integer from 2 to 200" in lines[0]
    assert sorted(p.name for p in reports.iterdir()) == before
    assert os.readlink(reports / "latest") == latest


def test_failing_notebook_exits_1_names_it_and_keeps_latest(first_run, reports, tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    path = notebooks / "01_term_frequency.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(5, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, path)
    latest = os.readlink(reports / "latest")
    result = corpuslab("run", "--quiet", "--out", str(reports), "--notebooks", str(notebooks))
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]
    assert "01_term_frequency" in line and "cell In [5]" in line and "ZeroDivisionError" in line
    assert os.readlink(reports / "latest") == latest
    failed = sorted(p for p in reports.iterdir() if p.name[0].isdigit())[-1]
    manifest = json.loads((failed / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    statuses = {n["name"]: n["status"] for n in manifest["notebooks"]}
    assert statuses["00_corpus"] == "succeeded" and statuses["01_term_frequency"] == "failed"
    assert statuses["99_summary"] == "not run"  # the summary never runs after a failure
    assert (failed / "index.html").exists()
