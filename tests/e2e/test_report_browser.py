"""Every page of a zoo report (the inaugural sample) opened in a real browser: the visible text reads right for
this corpus, every image loads, every figure in figures/ is shown, every link resolves; screenshots are kept
in reports/screenshots/ for a person to look at."""

import shutil

import pytest

from corpuslab.resources import PROJECT_ROOT

from . import zoo
from .test_corpus_zoo import run_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]
SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def inaugural_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zoo")
    corpus = zoo.speeches_folder(folder / "inaugural", "inaugural", n=12)
    return corpus, run_report(corpus, folder / "reports", "topics.k=3", "sentiment.validation=none")


def test_every_report_page_reads_right_in_a_browser(inaugural_report):
    from playwright.sync_api import sync_playwright

    corpus, run_dir = inaugural_report
    text_of_corpus = zoo.corpus_text(corpus)
    problems = zoo.report_problems(run_dir, text_of_corpus, 12)  # links, figures shown (from the files)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        for path in zoo.pages(run_dir):
            name = path.relative_to(run_dir).as_posix()
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            problems += zoo.page_text_problems(name, page.inner_text("body"), text_of_corpus, 12)
            broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                                   ".map(i => i.getAttribute('alt') || i.src.slice(0, 60))")
            problems += [f"{name}: image {b!r} does not load" for b in broken]
            page.screenshot(path=str(SCREENSHOTS / f"zoo_inaugural_{path.stem}.png"), full_page=True)
        browser.close()
    assert problems == []
