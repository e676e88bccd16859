"""What a run records about itself in ``manifest.json``: params, input fingerprint, git commit, Python,
platform, package versions and the sha256 of every lexicon, model and pattern file.

The runner (:mod:`corpuslab.pipeline`) starts a manifest with :func:`start_manifest`, updates its
notebooks' entries as they run and writes it with :func:`write_manifest` (a reader never sees half a file).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from corpuslab import params
from corpuslab.cache import RESULT_PACKAGES
from corpuslab.resources import BROWN_REFERENCE, CLEANING_PATTERNS, NLTK_DATA_DIR, PROJECT_ROOT, sha256_of

RECORDED_PACKAGES = (  # those that shape results (and key the cache), then those that draw and run the notebooks
    "corpuslab", *RESULT_PACKAGES, "matplotlib", "papermill", "nbconvert", "ipykernel", "jupyter_client", "PyYAML",
)


def start_manifest(run_id: str, title: str, cfg: dict, facts: dict, kernel: str, notebooks: Sequence[Path]) -> dict:
    """The manifest of a run about to start: every notebook ``pending``."""
    return {
        "run_id": run_id, "title": title, "status": "running", "started": now(), "finished": None,
        "params": params.nest(cfg), "fingerprint": facts["fingerprint"], "n_documents": facts["n_documents"],
        "git_commit": git_commit(), "python": sys.version.split()[0], "platform": platform.platform(),
        "kernel": kernel, "packages": package_versions(), "resources": resource_hashes(),
        "notebooks": [{"name": nb.stem, "status": "pending"} for nb in notebooks],
    }


def write_manifest(run_dir: Path, manifest: dict) -> None:
    """Write ``manifest.json`` in ``run_dir`` through a temporary file."""
    tmp = run_dir / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, run_dir / "manifest.json")


def now() -> str:
    """The time in UTC, to the second, as the manifest records it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def git_commit() -> str:
    """The project's git commit (``+dirty`` if files changed), or ``unknown``."""
    try:
        head = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def package_versions(names: Iterable[str] = RECORDED_PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape results, draw them and run the notebooks."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def resource_hashes() -> dict[str, str]:
    """sha256 of every lexicon, model and pattern file a run may use."""
    files = [CLEANING_PATTERNS, BROWN_REFERENCE, *sorted(NLTK_DATA_DIR.rglob("*.zip")),
             *sorted(NLTK_DATA_DIR.rglob("*.tab")), *sorted(NLTK_DATA_DIR.rglob("*.txt"))]
    hashes = {str(p.relative_to(PROJECT_ROOT)): sha256_of(p) for p in files}
    try:
        import vaderSentiment

        lexicon = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
        hashes["vaderSentiment/vader_lexicon.txt"] = sha256_of(lexicon)
    except ImportError:
        pass
    return hashes
