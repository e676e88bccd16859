"""The dask engine (a real LocalCluster on 127.0.0.1) gives the same tables as the local engine."""

import json
import os
import subprocess
import sys
from pathlib import Path

from corpuslab.resources import PROJECT_ROOT

from ..conftest import TINY


def run(reports: Path, *args: str) -> Path:
    """A run that computes every table (the cache off, whatever the caller's environment says): the dask run
    must not read the tables the local run cached."""
    result = subprocess.run([sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(reports), "--only",
                             "00,01", "--set", f"corpus.path={TINY}", *args], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "CORPUSLAB_CACHE": "off"})
    assert result.returncode == 0, result.stderr
    run_dir = Path(result.stdout.strip().splitlines()[-1]).parent
    assert "cache" not in json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))  # no cache use
    return run_dir


def test_dask_tables_equal_local_tables(tmp_path):
    local = run(tmp_path, "--set", "engine=local", "--set", "n_jobs=1")
    dask = run(tmp_path, "--set", "engine=dask", "--set", "n_jobs=2")
    names = sorted(p.name for p in (local / "tables").glob("*.csv"))
    assert names == sorted(p.name for p in (dask / "tables").glob("*.csv")) and len(names) > 5
    for name in names:
        assert (local / "tables" / name).read_bytes() == (dask / "tables" / name).read_bytes(), name
    executed = (dask / "notebooks" / "01_term_frequency.ipynb").read_text(encoding="utf-8")
    assert "Dask dashboard: http://127.0.0.1:" in executed
