"""Hostile corpus text is data: every report page, opened in headless Chromium, runs no script
and shows the text literally; CSV cells are neutralised for spreadsheets."""

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corpuslab import pipeline
from corpuslab.resources import PROJECT_ROOT

from ..conftest import FIXTURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    reports = tmp_path_factory.mktemp("hostile")
    result = subprocess.run([sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(reports),
                             "--set", f"corpus.path={FIXTURES / 'hostile'}", "--set", "topics.k=2",
                             "--set", "topics.min_unit_tokens=2", "--set", "topics.k_max=2"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1]).parent


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser, path: Path):
    page = browser.new_page()
    events = {"dialogs": [], "console_errors": [], "requests": []}
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and events["console_errors"].append(m.text))
    page.on("pageerror", lambda e: events["console_errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_timeout(300)
    return page, events


def test_every_page_runs_no_script_and_fetches_nothing_remote(hostile_run, browser, tmp_path):
    pages = [hostile_run / "index.html", *sorted((hostile_run / "html").glob("*.html"))]
    assert len(pages) == 1 + len(pipeline.notebook_paths())  # the landing page and one page per notebook
    for path in pages:
        page, events = open_page(browser, path)
        assert events["dialogs"] == [], path.name
        assert events["console_errors"] == [], (path.name, events["console_errors"])
        assert all(u.startswith(("file:", "data:")) for u in events["requests"]), (path.name, events["requests"])
        assert page.evaluate("document.querySelectorAll('script, iframe, img[onerror]').length") == 0, path.name
        assert page.evaluate(
            "[...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript:')).length") == 0
        if path.name == "00_corpus.html":
            page.screenshot(path=str(tmp_path / "hostile_00_corpus.png"), full_page=True)
        page.close()


def test_hostile_text_is_shown_literally(hostile_run, browser):
    page, _ = open_page(browser, hostile_run / "html" / "00_corpus.html")
    text = page.inner_text("body")
    assert "<script>alert('label')</script>" in text          # metadata label, literally
    assert "<img src=x onerror=alert('title')>" in text       # title, literally
    assert "[click](javascript:alert('md'))" in text          # markdown not rendered
    assert "$\\frac{a}{b}$" in text                           # LaTeX not rendered
    page.close()


def test_csv_cells_are_neutralised_for_spreadsheets(hostile_run):
    docs = pd.read_csv(hostile_run / "tables" / "sentiment_documents.csv", keep_default_na=False)
    labels = set(docs["label"])
    assert "<script>alert('label')</script>" in labels
    for table in (hostile_run / "tables").glob("*.csv"):
        frame = pd.read_csv(table, keep_default_na=False, dtype=str)
        for column in frame.columns:
            text = frame[column]
            numeric = pd.to_numeric(text, errors="coerce").notna()
            assert not text[~numeric].str.match(r"^[=+\-@]").any(), (table.name, column)
