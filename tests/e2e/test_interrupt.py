"""Interrupted and concurrent runs, with real signals sent to a real runner process."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpuslab.resources import PROJECT_ROOT

from ..conftest import TINY


def start(reports: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(reports),
                             "--set", f"corpus.path={TINY}", "--set", "topics.k=2", "--set", "topics.min_unit_tokens=3",
                             *args],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def wait_for_running_kernel(reports: Path, proc: subprocess.Popen, timeout: float = 120) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for manifest in reports.glob(".partial-*/manifest.json"):
            try:
                entries = json.loads(manifest.read_text(encoding="utf-8"))["notebooks"]
            except (json.JSONDecodeError, OSError):
                continue
            kernels = children(proc.pid)
            if any(e["status"] == "running" and e["name"] == "01_term_frequency" for e in entries) and kernels:
                return kernels
        time.sleep(0.1)
    raise AssertionError("the run never reached a running kernel")


@pytest.fixture
def reports(tmp_path):
    root = tmp_path / "reports"
    (root / "20200101-000000-000000-p1").mkdir(parents=True)
    os.symlink("20200101-000000-000000-p1", root / "latest")
    return root


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGINT],
                         ids=["SIGINT", "SIGTERM", "SIGINT-again"])
def test_signal_stops_the_kernel_marks_the_run_and_keeps_latest(reports, signum):
    proc = start(reports)
    kernels = wait_for_running_kernel(reports, proc)
    time.sleep(0.5)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr.strip().splitlines()[-1]
    assert os.readlink(reports / "latest") == "20200101-000000-000000-p1"
    assert not list(reports.glob(".partial-*"))
    runs = [p for p in reports.iterdir() if p.name[0].isdigit() and p.name != "20200101-000000-000000-p1"]
    assert len(runs) == 1
    manifest = json.loads((runs[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted"
    assert [n["status"] for n in manifest["notebooks"]][:2] == ["succeeded", "interrupted"]
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{k}").exists() for k in kernels) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [k for k in kernels
             if Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text().split()[2]]
    assert not alive, "kernel processes outlived the interrupted run"


def test_two_runs_at_once_both_finish_and_latest_is_complete(reports):
    procs = [start(reports, "--only", "00,99") for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    folders = {Path(o[0].strip().splitlines()[-1]).parent.name for o in outs}
    assert len(folders) == 2
    latest = os.readlink(reports / "latest")
    assert latest in folders
    manifest = json.loads((reports / latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded"
    assert not list(reports.glob(".partial-*")) and not list(reports.glob(".latest-*"))
