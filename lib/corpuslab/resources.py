"""Paths to everything the project ships: raw corpora, NLTK data, lexicons, patterns.

Nothing is downloaded at run time; :func:`use_vendored_nltk_data` puts the
project's own NLTK data folder first on ``nltk.data.path``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
NLTK_DATA_DIR = DATA_DIR / "nltk_data"
BUNDLED_CORPUS = DATA_DIR / "raw" / "china-russia"
CLEANING_PATTERNS = DATA_DIR / "cleaning" / "furniture.yaml"
REFERENCES = DATA_DIR / "references.bib"
BROWN_REFERENCE = DATA_DIR / "reference" / "brown.csv"  # word counts of the Brown corpus (keyness reference)
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DEFAULT_PARAMS = NOTEBOOKS_DIR / "params" / "default.yaml"
REPORTS_DIR = PROJECT_ROOT / "reports"


def use_vendored_nltk_data() -> Path:
    """Put the vendored NLTK data folder first on ``nltk.data.path`` and return it."""
    import nltk

    folder = str(NLTK_DATA_DIR)
    if folder not in nltk.data.path:
        nltk.data.path.insert(0, folder)
    return NLTK_DATA_DIR


def resolve_path(path: str | Path, base: Path = PROJECT_ROOT) -> Path:
    """Return ``path`` made absolute against ``base`` (the project root by default)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (base / p).resolve()


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes (recorded in manifests for lexicons and patterns)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def scratch_dir() -> Path:
    """Where a notebook run alone (not by the runner) writes its tables and figures: ``reports/scratch``, or
    the folder ``CORPUSLAB_SCRATCH_DIR`` names (the test suite points it at a temporary folder)."""
    return Path(os.environ.get("CORPUSLAB_SCRATCH_DIR") or REPORTS_DIR / "scratch")
