"""Build tests/fixtures/udhr/: the UDHR in English, German, French, Russian and Chinese, one file per article
(source and licence: tests/fixtures/udhr_SOURCE.md).

Usage: python bench/udhr_fixture.py [path/to/udhr2.zip]  (default: ../shared/nltk_data/corpora/udhr2.zip)

The source is NLTK's ``udhr2`` corpus (public domain UN text, UTF-8). The preamble is article 0; the
title and heading lines are left out. The metadata gives the article and the true language (column
``true_language``, so detection can be scored; the report's own ``language`` column is detected).
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "nltk_data" / "corpora" / "udhr2.zip"
FILES = {"en": "eng", "de": "deu", "fr": "fra", "ru": "rus", "zh": "cmn_hans"}
HEADING = re.compile(r"^\s*(Article\s+(\d+|premier)|Artikel\s+\d+|Статья\s+\d+|第\S+条)\s*$")


def articles(text: str) -> list[str]:
    """The preamble and the 30 articles of one translation, as paragraphs joined by blank lines."""
    parts: list[list[str]] = [[]]
    lines = text.splitlines()[1:]  # the title
    for line in lines:
        if HEADING.match(line):
            parts.append([])
        elif line.strip():
            parts[-1].append(line.strip())
    parts[0] = [p for p in parts[0] if len(p) > 40]  # the preamble without its heading and resolution line
    return ["\n\n".join(p) + "\n" for p in parts]


def main(source: Path = SOURCE) -> None:
    folder = ROOT / "tests" / "fixtures" / "udhr"
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["doc_id,article,true_language"]
    with zipfile.ZipFile(source) as archive:
        for code, name in FILES.items():
            found = articles(archive.read(f"udhr2/{name}.txt").decode("utf-8"))
            if len(found) != 31:
                raise SystemExit(f"{name}: {len(found) - 1} articles, not 30")
            for number, body in enumerate(found):
                doc_id = f"{code}-{number:02d}"
                (folder / f"{doc_id}.txt").write_text(body, encoding="utf-8")
                rows.append(f"{doc_id},{number},{code}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
