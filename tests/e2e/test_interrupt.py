"""Interrupted and concurrent runs, with real signals sent to a real runner process."""

import json
import os
import shutil
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


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=["SIGINT", "SIGTERM", "SIGHUP"])
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
    statuses = [n["status"] for n in manifest["notebooks"]]
    # interrupted in a notebook, or (on a loaded machine the analyses may all have just finished) between stages
    assert statuses[0] == "succeeded" and {"interrupted", "not run"} & set(statuses), statuses
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{k}").exists() for k in kernels) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [k for k in kernels
             if Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text().split()[2]]
    assert not alive, "kernel processes outlived the interrupted run"


def quick_notebooks(tmp_path) -> Path:
    """A notebooks folder with only 00_corpus and 99_summary: a complete run of its own, in seconds."""
    target = tmp_path / "nbs"
    target.mkdir(parents=True)
    for name in ("00_corpus.ipynb", "99_summary.ipynb"):
        shutil.copy(PROJECT_ROOT / "notebooks" / name, target / name)
    return target


def test_two_runs_at_once_both_finish_and_latest_is_complete(reports, tmp_path):
    procs = [start(reports, "--notebooks", str(quick_notebooks(tmp_path / str(i)))) for i in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    folders = {Path(o[0].strip().splitlines()[-1]).parent.name for o in outs}
    assert len(folders) == 2
    latest = os.readlink(reports / "latest")
    assert latest in folders
    manifest = json.loads((reports / latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded"
    assert not list(reports.glob(".partial-*")) and not list(reports.glob(".latest-*"))


def test_only_runs_never_move_latest(reports):
    proc = start(reports, "--only", "00")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    run = Path(out.strip().splitlines()[-1]).parent
    assert json.loads((run / "manifest.json").read_text(encoding="utf-8"))["status"] == "succeeded"
    assert os.readlink(reports / "latest") == "20200101-000000-000000-p1"


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def forkserver_started(pid: int, timeout: float = 60) -> set[int]:
    """Wait for the runner's corpus check to start (its forkserver); the forkserver and its children."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        servers = {p for p in children(pid) if "forkserver" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")}
        if servers:
            return servers | {c for s in servers for c in children(s)}
        time.sleep(0.05)
    raise AssertionError("the corpus check never started")


@pytest.mark.parametrize("when", ["starting", "corpus check"])
def test_a_signal_in_the_first_seconds_leaves_nothing(reports, when):
    before = sorted(p.name for p in reports.iterdir())
    proc = start(reports)
    if when == "starting":
        time.sleep(0.8)  # importing, reading params
    else:
        deadline = time.monotonic() + 30
        while len(forkserver_started(proc.pid)) < 2 and time.monotonic() < deadline:  # its worker too
            time.sleep(0.05)
        time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    if when == "corpus check" or proc.returncode != -signal.SIGTERM:  # killed before Python set a handler: fine too
        assert proc.returncode == 130, stderr
        assert [line for line in stderr.splitlines() if line.startswith("error:")][-1].startswith("error: interrupted")
    assert sorted(p.name for p in reports.iterdir()) == before  # no .partial-*, no run folder
    assert "Traceback" not in stderr


def test_partial_folders_of_dead_runs_are_retired_by_the_next_run(reports):
    pid = dead_pid()
    left = reports / f".partial-20200102-000000-000000-p{pid}"
    (left / "tables").mkdir(parents=True)
    (left / "tables" / "term_frequency.csv").write_text("term,count\n", encoding="utf-8")
    (left / "manifest.json").write_text(json.dumps({"status": "running", "notebooks": [
        {"name": "00_corpus", "status": "succeeded"}, {"name": "01_term_frequency", "status": "running"},
        {"name": "02_topics", "status": "pending"}]}), encoding="utf-8")
    empty = reports / f".partial-20200103-000000-000000-p{pid}"
    empty.mkdir()
    alive = reports / f".partial-20200104-000000-000000-p{os.getpid()}"  # a live run: left alone
    alive.mkdir()
    proc = start(reports, "--only", "00")
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    notes = [line for line in stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 2 and all(str(pid) in line for line in notes), stderr
    assert not left.exists() and not empty.exists() and alive.exists()
    kept = reports / left.name.removeprefix(".partial-")
    manifest = json.loads((kept / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted" and str(pid) in manifest["error"]
    assert [n["status"] for n in manifest["notebooks"]] == ["succeeded", "interrupted", "not run"]
    assert (kept / "tables" / "term_frequency.csv").exists()


def alive_processes(pids) -> list[int]:
    return [p for p in pids
            if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]]


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        kids = children(todo.pop())
        found |= kids
        todo.extend(kids)
    return found


def test_killing_the_runner_ends_its_kernels(reports):
    proc = start(reports)
    wait_for_running_kernel(reports, proc)
    offspring = descendants(proc.pid)
    assert offspring
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while alive_processes(offspring) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive_processes(offspring), "children outlived a runner killed with SIGKILL"


def test_killing_the_runner_during_the_corpus_check_ends_the_checker(reports, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    line = ("China and Russia signed a long agreement on energy, trade and security in Moscow today. " * 40 + "\n")
    for i in range(120):
        (big / f"d{i:03d}.txt").write_text(line * 60, encoding="utf-8")  # about 25 MB in all: seconds to check
    proc = subprocess.Popen([sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(reports),
                             "--set", f"corpus.path={big}"], cwd=PROJECT_ROOT,
                            env={**os.environ, "CORPUSLAB_CACHE": "off"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    offspring = forkserver_started(proc.pid)
    deadline = time.monotonic() + 30
    while len(offspring) < 2 and time.monotonic() < deadline:  # the forkserver and its worker
        offspring = forkserver_started(proc.pid)
    time.sleep(0.5)
    assert proc.poll() is None, "the corpus check ended before the test could kill the runner"
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while alive_processes(offspring) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert offspring and not alive_processes(offspring), "the forkserver or its worker outlived the runner"


def wait_for_notebook(reports: Path, name: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for manifest in reports.glob(".partial-*/manifest.json"):
            try:
                if any(e["name"] == name and e["status"] != "pending"
                       for e in json.loads(manifest.read_text(encoding="utf-8"))["notebooks"]):
                    return
            except (json.JSONDecodeError, OSError):
                continue
        time.sleep(0.02)
    raise AssertionError(f"{name} never started")


@pytest.mark.parametrize("delay", [0.5, 2.0, 3.5])
def test_a_signal_near_the_end_never_loses_a_complete_run(reports, tmp_path, delay):
    """Whenever SIGTERM arrives around the last notebook and the commit, the run folder, its manifest, the exit
    status and `latest` agree: renamed into place either way, `succeeded` with exit 0 and `latest` moved, or
    `interrupted` with exit 130 and `latest` kept."""
    proc = start(reports, "--notebooks", str(quick_notebooks(tmp_path)))
    wait_for_notebook(reports, "99_summary")
    time.sleep(delay)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert not list(reports.glob(".partial-*")), err
    runs = [p for p in reports.iterdir() if p.name[0].isdigit() and p.name != "20200101-000000-000000-p1"]
    assert len(runs) == 1, err
    status = json.loads((runs[0] / "manifest.json").read_text(encoding="utf-8"))["status"]
    if status == "succeeded":  # committed; a signal after the commit may still end the process
        assert os.readlink(reports / "latest") == runs[0].name
        assert proc.returncode in (0, 130, -signal.SIGTERM), err
    else:
        assert proc.returncode == 130, err
        assert status == "interrupted" and os.readlink(reports / "latest") == "20200101-000000-000000-p1"
