"""Rebuild brown.csv: the word counts of the Brown corpus, tokenised with corpuslab's own tokeniser.

Usage (from the project folder): python data/reference/make_brown.py [path/to/brown.zip]
(default: ../shared/nltk_data/corpora/brown.zip, NLTK's copy of the corpus).

Each tagged token ``word/tag`` of the 500 text samples is reduced to its word, the words of a line are joined
by spaces and read by :func:`corpuslab.tokens.tokenize` lower-cased, with no stopword removal, every length and
numbers kept (the settings a run applies are applied to these counts at run time). Written sorted by count
(descending), then term.
"""

from __future__ import annotations

import sys
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lib"))

from corpuslab import tokens  # noqa: E402

DEFAULT_ZIP = ROOT.parent / "shared" / "nltk_data" / "corpora" / "brown.zip"


def brown_counts(zip_path: Path) -> Counter:
    counts: Counter = Counter()
    with zipfile.ZipFile(zip_path) as archive:
        samples = [n for n in archive.namelist() if Path(n).name[:2].isalpha() and Path(n).name[2:].isdigit()]
        for name in sorted(samples):
            for line in archive.read(name).decode("utf-8").splitlines():
                words = [t.rsplit("/", 1)[0] for t in line.split() if "/" in t]
                counts.update(tokens.tokenize(" ".join(words), lowercase=True, min_length=1, keep_numbers=True))
    return counts


def main() -> None:
    zip_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ZIP
    counts = brown_counts(zip_path)
    table = pd.DataFrame(counts.items(), columns=["term", "count"]).sort_values(["count", "term"],
                                                                               ascending=[False, True])
    table.to_csv(ROOT / "data" / "reference" / "brown.csv", index=False, lineterminator="\n")
    print(f"{len(table):,} terms, {table['count'].sum():,} tokens from {zip_path}")


if __name__ == "__main__":
    main()
