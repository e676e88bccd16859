"""Corpora we did not design for, through the CLI as a new user runs them: the State of the Union with a party
column, a folder of .txt without metadata, a table without dates. Every report completes (exit 0); what the corpus
cannot support is skipped with a sentence saying what to add; the groups a user chooses drive every grouped view;
figures show at most 12 periods."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from corpuslab.resources import PROJECT_ROOT

from ..conftest import TINY

STATE_UNION = PROJECT_ROOT.parent / "shared" / "nltk_data" / "corpora" / "state_union.zip"
PARTY = {"Truman": "Democratic", "Eisenhower": "Republican", "Kennedy": "Democratic", "Johnson": "Democratic",
         "Nixon": "Republican", "Ford": "Republican", "Carter": "Democratic", "Reagan": "Republican",
         "Bush": "Republican", "Clinton": "Democratic", "GWBush": "Republican"}
FAST = ("--set", "sentiment.validation=none", "--set", "topics.k=2", "--set", "topics.k_max=3",
        "--set", "topics.n_seeds=2")


def run_report(reports: Path, *args: str):
    result = subprocess.run([sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(reports), *FAST, *args],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "PYTHONHASHSEED": "1"})
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1]).parent


def read(run: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(run / "tables" / f"{table}.csv", keep_default_na=False)


def page_text(run: Path, notebook: str) -> str:
    """The visible text of a report page (tags dropped, entities of the rendered Markdown kept as written)."""
    return " ".join(re.sub(r"<[^>]+>", " ", (run / "html" / f"{notebook}.html").read_text(encoding="utf-8")).split())


def state_union_folder(target: Path, presidents: tuple[str, ...] | None = None, per_president: int = 99) -> Path:
    """The State of the Union addresses as a folder of .txt with metadata.csv (doc_id, year, president, party)."""
    if not STATE_UNION.exists():
        pytest.skip(f"{STATE_UNION} is not here (the shared test corpora)")
    target.mkdir()
    rows, taken = [], {}
    with zipfile.ZipFile(STATE_UNION) as archive:
        for name in sorted(archive.namelist()):
            stem = Path(name).stem
            if not name.endswith(".txt"):
                continue
            year, president = stem.split("-")[0], stem.split("-")[1]
            if (presidents and president not in presidents) or taken.get(president, 0) >= per_president:
                continue
            taken[president] = taken.get(president, 0) + 1
            (target / f"{stem}.txt").write_text(archive.read(name).decode("latin-1"), encoding="utf-8")
            rows.append({"doc_id": stem, "year": int(year), "president": president, "party": PARTY[president]})
    pd.DataFrame(rows).to_csv(target / "metadata.csv", index=False)
    return target


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


def test_state_of_the_union_by_party_drives_every_grouped_view(tmp_path, reports):
    corpus = state_union_folder(tmp_path / "sotu", ("Truman", "Eisenhower", "Kennedy", "Nixon"), per_president=2)
    run = run_report(reports, "--set", f"corpus.path={corpus}", "--set", "groups=[party]")
    for table in ("top_terms_by_group", "topic_prevalence", "sentiment_groups", "sentiment_targets_by_group"):
        grouped = read(run, table)
        assert set(grouped["by"]) == {"party"}, table
        assert set(grouped["group"]) == {"Democratic", "Republican"}, table
    key = read(run, "keyness")
    assert len(key) > 0
    assert "party Democratic (4 documents)" in page_text(run, "01_term_frequency")  # the largest party: a tie, A-Z


@pytest.mark.slow
def test_state_of_the_union_shows_at_most_12_periods_in_every_figure(tmp_path, reports):
    corpus = state_union_folder(tmp_path / "sotu")
    run = run_report(reports, "--set", f"corpus.path={corpus}")
    for table in ("top_terms_by_group", "topic_prevalence", "sentiment_groups"):
        grouped = read(run, table)
        assert set(grouped["by"]) == {"period", "president", "party"}, table
        assert grouped.groupby("by")["group"].nunique().max() <= 12, table
        periods = sorted(set(grouped.loc[grouped["by"] == "period", "group"]))
        assert periods[0] == "1945–1949" and periods[-1] == "2000–2006", table  # no period past the data
    assert read(run, "frequency_by_period")["group"].nunique() <= 12
    assert "period 2000–2006" in page_text(run, "01_term_frequency")  # keyness: latest period against the earliest


def test_folder_of_txt_without_metadata_runs_the_whole_report(tmp_path, reports):
    corpus = tmp_path / "plain"
    corpus.mkdir()
    for path in TINY.glob("*.txt"):
        (corpus / path.name).write_bytes(path.read_bytes())
    run = run_report(reports, "--set", f"corpus.path={corpus}", "--set", "topics.min_unit_tokens=3")
    assert read(run, "keyness").empty
    text = page_text(run, "01_term_frequency")
    assert "Keyness is skipped" in text and "add a date or a grouping column" in text
    assert "Frequency over time is skipped" in text
    assert set(read(run, "sentiment_groups")["by"]) == {"document"}  # three documents: shown one by one


def test_table_without_dates_groups_by_its_own_column(tmp_path, reports):
    texts = [p.read_text(encoding="utf-8") for p in sorted(TINY.glob("*.txt"))]
    corpus = tmp_path / "speeches.csv"
    pd.DataFrame({"doc_id": ["a", "b", "c"], "text": texts, "category": ["news", "news", "opinion"]}).to_csv(
        corpus, index=False)
    run = run_report(reports, "--set", f"corpus.path={corpus}", "--set", "topics.min_unit_tokens=3")
    assert set(read(run, "topic_prevalence")["by"]) == {"category"}
    assert len(read(run, "keyness")) > 0
    assert "category news (2 documents)" in page_text(run, "01_term_frequency")
    assert "Frequency over time is skipped" in page_text(run, "01_term_frequency")


def test_more_than_12_undated_documents_draw_no_one_dot_prevalence_panels(tmp_path, reports):
    corpus = state_union_folder(tmp_path / "sotu", ("Truman", "Eisenhower"), per_president=7)
    (corpus / "metadata.csv").unlink()  # 14 documents, nothing known about them
    run = run_report(reports, "--set", f"corpus.path={corpus}", "--only", "00,02")
    assert set(read(run, "topic_prevalence")["by"]) == {"corpus"}
    assert not list((run / "figures").glob("topic_prevalence_*"))
    assert "one group only, so no figure" in page_text(run, "02_topics")
