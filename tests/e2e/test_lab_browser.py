"""A real browser in real JupyterLab: open the term-frequency notebook, run all cells,
check that no cell errored and an explorer widget rendered, and keep a screenshot."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from corpuslab.resources import NOTEBOOKS_DIR, PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]
SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"
ACTIVE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    """JupyterLab on a copy of notebooks/, so running cells (and autosave) never touch the committed files."""
    copy = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, copy)
    port, token = free_port(), "t" + os.urandom(12).hex()
    proc = subprocess.Popen([sys.executable, "-m", "corpuslab", "lab", "--no-browser", f"--port={port}",
                             f"--notebooks={copy}"],
                            cwd=PROJECT_ROOT, env={**os.environ, "CORPUSLAB_LAB_TOKEN": token,
                                                   "JUPYTERLAB_WORKSPACES_DIR": str(copy.parent / "workspaces")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=3)
            break
        except OSError:
            time.sleep(0.3)
    yield base, token
    proc.terminate()
    proc.wait(timeout=30)


def run_notebook_in_lab(lab_url, name: str, screenshot: Path, min_images: int = 0):
    """Run every cell of `name` in the browser; a cell's number can show before its last output has rendered,
    so wait (up to a minute, for a loaded machine) until `min_images` figures are on the page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    base, token = lab_url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/{name}?token={token}&reset")  # a fresh workspace: only this notebook open
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Toolbar-kernelStatus",
                               timeout=90_000)
        page.wait_for_function(
            "() => { const k = document.querySelector('.jp-Toolbar-kernelName');"
            " return k && !/No Kernel/.test(k.textContent); }",
            timeout=90_000)
        page.click(".jp-Notebook")
        page.keyboard.press("Escape")
        page.evaluate("window.jupyterapp && window.jupyterapp.commands.execute('notebook:run-all-cells')")
        if not page.evaluate("!!window.jupyterapp"):
            page.click("text=Run", timeout=10_000)
            page.click("text=Run All Cells", timeout=10_000)
        n_code = page.evaluate(f"document.querySelectorAll('{ACTIVE_PANEL} .jp-CodeCell').length")
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        try:  # every cell numbered, or an error shown (Run All stops there)
            page.wait_for_function(
                f"""() => [...document.querySelectorAll('{ACTIVE_PANEL} .jp-CodeCell .jp-InputArea-prompt')]
                         .filter(e => /\\[\\d+\\]/.test(e.textContent)).length >= {n_code}
                      || document.querySelector(
                           '{ACTIVE_PANEL} [data-mime-type="application/vnd.jupyter.error"]') !== null""",
                timeout=240_000)
        finally:
            page.screenshot(path=str(screenshot), full_page=False)
        page.wait_for_timeout(1500)
        try:
            page.wait_for_function(
                f"() => document.querySelectorAll('{ACTIVE_PANEL} .jp-OutputArea-output img').length >= {min_images}",
                timeout=60_000)
        except PlaywrightTimeout:
            pass  # the caller's assertion names the shortfall
        errors = page.evaluate(
            "[...document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"], "
            ".jp-RenderedText[data-mime-type=\"application/vnd.jupyter.error\"]')]"
            ".map(e => e.textContent.slice(0, 300))")
        widgets = page.evaluate(
            "document.querySelectorAll('.jp-OutputArea .widget-box, .jp-OutputArea .jupyter-widgets').length")
        images = page.evaluate(f"document.querySelectorAll('{ACTIVE_PANEL} .jp-OutputArea-output img').length")
        page.screenshot(path=str(screenshot), full_page=False)
        explorers = page.locator(f"{ACTIVE_PANEL} .jp-OutputArea-output .widget-box.widget-vbox")
        for i in range(min(explorers.count(), 4)):  # each explorer in view, for a person to look at
            explorers.nth(i).evaluate("e => e.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(screenshot.with_name(f"{screenshot.stem}_explorer{i + 1}.png")))
        browser.close()
    return n_code, errors, widgets, images


def test_term_frequency_notebook_runs_in_jupyterlab_with_a_widget(lab_url):
    saved_figures = (NOTEBOOKS_DIR / "01_term_frequency.ipynb").read_text(encoding="utf-8").count("out.figure(")
    n_code, errors, widgets, images = run_notebook_in_lab(lab_url, "01_term_frequency.ipynb",
                                                          SCREENSHOTS / "lab_01_term_frequency.png",
                                                          min_images=saved_figures)
    assert n_code > 3
    assert [e for e in errors if "Error" in e or "Traceback" in e] == []
    assert images >= saved_figures, "every figure a cell saves is shown in the live kernel"
    assert widgets > 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["00_corpus", "02_topics", "03_sentiment", "99_summary"])
def test_every_other_notebook_runs_in_jupyterlab(lab_url, name):
    n_code, errors, widgets, _ = run_notebook_in_lab(lab_url, f"{name}.ipynb", SCREENSHOTS / f"lab_{name}.png")
    assert n_code > 1
    assert [e for e in errors if "Error" in e or "Traceback" in e] == []
    if name in ("02_topics", "03_sentiment"):  # topic browser; sentence browser and actor picker
        assert widgets > 0


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    """`corpuslab lab --student` on a fresh build: the URL it prints is the one the test opens."""
    folder = tmp_path_factory.mktemp("class")
    proc = subprocess.Popen([sys.executable, "-m", "corpuslab", "lab", "--student", "--no-browser",
                             f"--out={folder / 'dist'}", f"--port={free_port()}"],
                            cwd=PROJECT_ROOT, env={**os.environ, "JUPYTERLAB_WORKSPACES_DIR": str(folder / "ws")},
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in proc.stdout:
        if "/lab?token=" in line:
            url = line.strip()
            break
    assert url, "corpuslab lab --student printed no URL"
    yield url
    proc.terminate()
    proc.wait(timeout=60)


def check_text(page, task: str) -> str:
    """The feedback shown under the check cell of ``task`` once it has run."""
    cell = page.locator(f"{ACTIVE_PANEL} .jp-CodeCell").filter(has_text=f'exercises.check("{task}")')
    feedback = cell.locator(".jp-OutputArea-output")
    feedback.filter(has_text="·").first.wait_for(timeout=120_000)
    return feedback.first.inner_text()


def answer(page, placeholder: str, code: str, task: str) -> str:
    """Type ``code`` into the answer cell that holds ``placeholder``, run it and its check; the check's feedback."""
    cell = page.locator(f"{ACTIVE_PANEL} .jp-CodeCell").filter(has_text=placeholder)
    check = page.locator(f"{ACTIVE_PANEL} .jp-CodeCell").filter(has_text=f'exercises.check("{task}")')
    before = check.locator(".jp-InputArea-prompt").inner_text()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")  # run the answer, select the check
    page.keyboard.press("Shift+Enter")  # run the check
    page.wait_for_function(
        "([task, before]) => { const cells = [...document.querySelectorAll("
        f"'{ACTIVE_PANEL} .jp-CodeCell')].filter(c => c.textContent.includes('exercises.check(\"' + task + '\")'));"
        " return cells.length && /\\[\\d+\\]/.test(cells[0].querySelector('.jp-InputArea-prompt').textContent)"
        " && cells[0].querySelector('.jp-InputArea-prompt').textContent !== before; }",
        arg=[task, before], timeout=120_000)
    return check_text(page, task)


def test_a_student_answers_a_check_wrongly_then_rightly_in_jupyterlab(student_lab):
    from playwright.sync_api import sync_playwright

    base, token = student_lab.split("/lab?token=")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/E4_vader.ipynb?token={token}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_function(
            "() => { const k = document.querySelector('.jp-Toolbar-kernelName');"
            " return k && !/No Kernel/.test(k.textContent); }", timeout=90_000)
        assert page.locator(f"{ACTIVE_PANEL} .jp-CodeCell").filter(has_text="vader.vader(s)").count() == 0
        page.click(f"{ACTIVE_PANEL} .jp-Notebook")
        page.keyboard.press("Escape")
        page.evaluate("window.jupyterapp && window.jupyterapp.commands.execute('notebook:run-all-cells')")
        if not page.evaluate("!!window.jupyterapp"):
            page.click("text=Run", timeout=10_000)
            page.click("text=Run All Cells", timeout=10_000)
        untouched = check_text(page, "vader-negation")
        wrong = answer(page, "negated = None", "negated = 0.5", "vader-negation")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lab_student_check_wrong.png"))
        right = answer(page, "negated = 0.5", 'negated = vader.vader("This doesn’t look good.")["compound"]',
                       "vader-negation")
        page.screenshot(path=str(SCREENSHOTS / "lab_student_check_right.png"))
        browser.close()
    assert "not yet" in untouched and "no answer yet" in untouched
    assert "✗ not yet" in wrong and "0.5 is not it" in wrong
    assert "✓ passed" in right
