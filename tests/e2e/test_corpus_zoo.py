"""The corpus zoo: the whole report, through the real CLI, on corpora corpuslab was not designed for; every page is
checked for what reads wrong (``zoo.report_problems``): Python reprs and temporary paths, bundled-corpus talk,
links that do not resolve, figures saved but not shown.

The inaugural sample runs in the default suite; the rest are marked ``slow``.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from corpuslab.resources import PROJECT_ROOT

from . import zoo


def run_report(corpus: Path, out: Path, *settings: str) -> Path:
    """Run every notebook on ``corpus`` with the CLI; return the run folder."""
    args = [sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(out), "--set", f"corpus.path={corpus}"]
    for setting in settings:
        args += ["--set", setting]
    done = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return (out / "latest").resolve()


def check(corpus: Path, run_dir: Path, n_documents: int, **read) -> None:
    assert zoo.report_problems(run_dir, zoo.corpus_text(corpus, **read), n_documents) == []


def test_inaugural_sample_report_reads_right(tmp_path):
    corpus = zoo.speeches_folder(tmp_path / "inaugural", "inaugural", n=12, metadata=False)
    run_dir = run_report(corpus, tmp_path / "reports", "topics.k=3", "sentiment.validation=none",
                         "corpus.filename_fields=[year, president]")
    check(corpus, run_dir, 12)
    findings = (run_dir / "tables" / "key_findings.csv").read_text(encoding="utf-8")
    assert "Keyness" in findings and "collocations" in findings
    actors = (run_dir / "tables" / "dictionary_counts.csv").read_text(encoding="utf-8")
    assert "Xi Jinping" not in actors and "Central Asia" not in actors  # names found in the speeches instead
    assert "United States" in actors


@pytest.mark.slow
def test_all_inaugural_addresses(tmp_path):
    corpus = zoo.speeches_folder(tmp_path / "inaugural", "inaugural")
    check(corpus, run_report(corpus, tmp_path / "reports"), 60)


@pytest.mark.slow
def test_state_of_the_union(tmp_path):
    corpus = zoo.speeches_folder(tmp_path / "sotu", "state_union")
    check(corpus, run_report(corpus, tmp_path / "reports"), 65)


@pytest.mark.slow
def test_un_general_debate_sample(tmp_path):
    corpus = zoo.un_sample(tmp_path / "un.parquet")
    check(corpus, run_report(corpus, tmp_path / "reports"), 36)


@pytest.mark.slow
def test_brown_corpus_csv_with_category(tmp_path):
    corpus = zoo.brown_csv(tmp_path / "brown.csv", per_category=4)
    check(corpus, run_report(corpus, tmp_path / "reports", "frequency.keyness_column=category",
                             "frequency.keyness_target=news", "frequency.keyness_reference="), 60)


@pytest.mark.slow
def test_folder_of_txt_without_metadata(tmp_path):
    corpus = zoo.plain_folder(tmp_path / "reviews", n=20)
    check(corpus, run_report(corpus, tmp_path / "reports"), 20)
