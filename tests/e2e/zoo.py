"""The corpus zoo: real corpora we did not design for, built from ``../shared`` into a test folder, and the checks
every report page must pass on them.

The inaugural sample is read as it comes, its metadata from its file names (``corpus.filename_fields``); the
State of the Union folder (``1965-Johnson-1.txt`` has three fields) gets a ``metadata.csv`` built here.
Files are written as UTF-8 (State of the Union ships in Latin-1); the encodings are another test's business.
"""

from __future__ import annotations

import base64
import html.parser
import posixpath
import re
import zipfile
from pathlib import Path

import pandas as pd

from corpuslab.resources import BUNDLED_CORPUS, PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared"
CORPORA = SHARED / "nltk_data" / "corpora"
UN_PARQUET = SHARED / "corpus" / "ungdc" / "ungdc.parquet"


def _every(items: list, n: int | None) -> list:
    """``n`` items spread evenly over ``items`` (all of them when ``n`` is None)."""
    if n is None or n >= len(items):
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def speeches_folder(target: Path, corpus: str, *, n: int | None = None, metadata: bool = True) -> Path:
    """Inaugural or State of the Union addresses as ``.txt`` files, plus a metadata.csv from their file names
    (``metadata``), or as they come, bytes and names untouched (for ``corpus.filename_fields``)."""
    target.mkdir(parents=True, exist_ok=True)
    rows = []
    with zipfile.ZipFile(CORPORA / f"{corpus}.zip") as zf:
        names = sorted(n_ for n_ in zf.namelist() if n_.endswith(".txt"))
        for name in _every(names, n):
            stem = Path(name).stem  # 1945-Truman, 1965-Johnson-1
            if not metadata:
                (target / f"{stem}.txt").write_bytes(zf.read(name))
                continue
            year, author = stem.split("-")[:2]
            (target / f"{stem}.txt").write_text(zf.read(name).decode("latin-1"), encoding="utf-8")
            rows.append({"doc_id": stem, "date": year, "author": author, "label": f"{author} {year}"})
    if metadata:
        pd.DataFrame(rows).to_csv(target / "metadata.csv", index=False)
    return target


_TAG = re.compile(r"/[^\s/]+(?=\s|$)")


def _detokenise(text: str) -> str:
    """Brown's tokens joined back into prose: no space before punctuation, straight quotes."""
    text = text.replace("``", '"').replace("''", '"')
    return re.sub(r" ([.,;:?!)'])", r"\1", text)


def brown_csv(path: Path, *, per_category: int | None = None) -> Path:
    """The Brown corpus as one CSV: doc_id, category, text (POS tags stripped, ``/`` kept inside words)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(CORPORA / "brown.zip") as zf:
        cats = dict(line.split() for line in zf.read("brown/cats.txt").decode().splitlines() if line.strip())
        chosen = pd.Series(cats).groupby(lambda k: cats[k], group_keys=False).apply(
            lambda s: s.iloc[:per_category] if per_category else s)
        rows = []
        for doc_id in sorted(chosen.index):
            raw = zf.read(f"brown/{doc_id}").decode("latin-1")
            paragraphs = [" ".join(_TAG.sub("", line.strip()).split()) for line in raw.split("\n\n") if line.strip()]
            text = "\n\n".join(_detokenise(p) for p in paragraphs)
            rows.append({"doc_id": doc_id, "category": cats[doc_id], "text": text})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def plain_folder(target: Path, *, n: int = 20) -> Path:
    """A folder of ``.txt`` files without metadata: movie reviews."""
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(CORPORA / "movie_reviews.zip") as zf:
        names = sorted(n_ for n_ in zf.namelist() if n_.endswith(".txt"))
        for name in _every(names, n):
            (target / Path(name).name).write_bytes(zf.read(name))
    return target


def un_sample(path: Path, *, years: tuple[int, ...] = (1970, 1990, 2010), per_year: int = 12) -> Path:
    """A sample of UN General Debate speeches (a Parquet table with country and year): a few per year."""
    table = pd.read_parquet(UN_PARQUET, filters=[("year", "in", list(years))])
    sample = table.sort_values(["year", "country"]).groupby("year").head(per_year)
    path.parent.mkdir(parents=True, exist_ok=True)
    sample.to_parquet(path, index=False)
    return path


# ---------------------------------------------------------------------------------------------------------------
# What every page of a report must satisfy
# ---------------------------------------------------------------------------------------------------------------

REPRS = re.compile(r"PosixPath\(|\.partial-|object at 0x|<Figure size|Dictionary\(|<corpuslab\.|\[\s*'/")
BUNDLED_ONLY = ("Japan Times", "Financial Times", "South China Morning Post", "SCMP", "Xi Jinping", "Putin",
                "Central Asia", "Sino-Russian", "Kremlin", "Beijing")
SMALL_TALK = re.compile(r"\b(five|5) (documents|articles)\b", re.IGNORECASE)


class _Page(html.parser.HTMLParser):
    """The visible text, links and images of an HTML page."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self.images, self._skip = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.text = " ".join(page.text)
    return page


def pages(run_dir: Path) -> list[Path]:
    return [run_dir / "index.html", *sorted((run_dir / "html").glob("*.html"))]


def page_text_problems(name: str, text: str, corpus_text: str, n_documents: int) -> list[str]:
    """What reads wrong in one page's visible text, given the corpus it describes."""
    problems = [f"{name}: shows {m.group()!r}" for m in REPRS.finditer(text)]
    if n_documents != 5:
        problems += [f"{name}: speaks of {m.group()!r} ({n_documents} documents)" for m in SMALL_TALK.finditer(text)]
    lowered = corpus_text.lower()
    problems += [f"{name}: mentions {word!r}, which this corpus never does"
                 for word in BUNDLED_ONLY if word in text and word.lower() not in lowered]
    problems += [f"{name}: empty parentheses" for _ in re.finditer(r"\(\s*\)", text)]
    return problems


def report_problems(run_dir: Path, corpus_text: str, n_documents: int) -> list[str]:
    """Every problem with a report folder's pages: reprs and paths, bundled-corpus talk, links that do not
    resolve, figures in figures/ that no page shows, figures shown twice or not saved."""
    problems, shown = [], []
    for path in pages(run_dir):
        page = read_page(path)
        name = path.relative_to(run_dir).as_posix()
        problems += page_text_problems(name, page.text, corpus_text, n_documents)
        folder = path.parent.relative_to(run_dir).as_posix()
        for href in page.links + page.images:
            if href.startswith(("http://", "https://", "#", "data:", "mailto:")):
                if href.startswith("data:image/png"):
                    shown.append(href.split(",", 1)[1])
                continue
            target = posixpath.normpath(posixpath.join(folder, href.split("#")[0]))
            if not (run_dir / target).exists():
                problems.append(f"{name}: link {href!r} does not resolve")
    html_pages = " ".join(p.read_text(encoding="utf-8") for p in pages(run_dir)[1:])
    pngs = sorted((run_dir / "figures").glob("*.png"))
    for png in pngs:
        if base64.b64encode(png.read_bytes()).decode() not in html_pages:
            problems.append(f"figure {png.name} is not shown in any notebook page")
    if len(shown) != len(pngs):
        problems.append(f"{len(shown)} images in the notebook pages, {len(pngs)} figures saved")
    return problems


def corpus_text(path: Path, text_column: str = "text") -> str:
    """All the text of a corpus folder (its .txt files) or table (its text column)."""
    path = Path(path)
    if path.is_dir():  # metadata.csv and file names too: outlets and authors are the corpus's own words
        return "\n".join([p.read_text(encoding="utf-8", errors="replace")
                          for p in sorted(path.glob("*.txt")) + sorted(path.glob("*.csv"))]
                         + [p.stem.replace("-", " ") for p in sorted(path.glob("*.txt"))])
    read = {".csv": pd.read_csv, ".parquet": pd.read_parquet}[path.suffix]
    return "\n".join(read(path)[text_column].astype(str))


def is_bundled(path: Path) -> bool:
    return Path(path).resolve() == BUNDLED_CORPUS.resolve()
