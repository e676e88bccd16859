"""`corpuslab lab` (what `make lab`, `make lab-student` and `make lab-teacher` run): loopback only, a token that
never appears on a command line, the URL the server really serves (also on a busy port), and class modes that
serve student notebooks without solutions or teacher notebooks with their expected outputs."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest

from corpuslab import handouts, lab
from corpuslab.resources import NOTEBOOKS_DIR, PROJECT_ROOT

EXERCISES = NOTEBOOKS_DIR / "exercises"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


class Lab:
    """A `corpuslab lab` subprocess and the URL it printed."""

    def __init__(self, args, tmp_path: Path, token: str | None = None, timeout: float = 300):
        self.token = token or "t" + os.urandom(12).hex()
        self.log = tmp_path / "lab.log"
        env = {**os.environ, "CORPUSLAB_LAB_TOKEN": self.token,
               "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
        self.proc = subprocess.Popen([sys.executable, "-m", "corpuslab", "lab", "--no-browser", *args],
                                     cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=self.log.open("w"), text=True)
        self.printed = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"lab exited: {''.join(self.printed)} {self.log.read_text()[-2000:]}")
            self.printed.append(line)
            if match := re.search(r"http://127\.0\.0\.1:(\d+)/lab\?token=(\S+)", line):
                self.url, self.port, self.printed_token = match.group(0), int(match.group(1)), match.group(2)
                self.base = f"http://127.0.0.1:{self.port}"
                return
        raise AssertionError("no URL printed")

    def server_processes(self):
        return [self.proc.pid, *(p.pid for p in psutil.Process(self.proc.pid).children(recursive=True))]

    def stop(self):
        children = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.terminate()
        self.proc.wait(timeout=60)
        gone, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, f"left running: {alive}"


@pytest.fixture
def research_lab(tmp_path):
    server = Lab([f"--port={free_port()}"], tmp_path)
    yield server
    server.stop()


def test_lab_command_is_loopback_without_the_token():
    command = lab.lab_command(8888, open_browser=False)
    assert "--ip=127.0.0.1" in command and f"--ServerApp.root_dir={NOTEBOOKS_DIR}" in command
    assert not any("token" in part.lower() for part in command)
    assert lab.lab_environment("abc123", {})["JUPYTER_TOKEN"] == "abc123"


def test_lab_refuses_requests_without_the_token_and_serves_with_it(research_lab):
    base, token = research_lab.base, research_lab.token
    assert research_lab.printed_token == token and status(research_lab.url) == 200
    assert status(f"{base}/api/contents") == 403
    assert status(f"{base}/api/contents?token=wrong") == 403
    listing = get_json(f"{base}/api/contents?token={token}")
    assert "01_term_frequency.ipynb" in {item["name"] for item in listing["content"]}
    assert listening_addresses(research_lab.port) == {"0100007F"}  # 127.0.0.1 only


def test_the_token_is_on_no_command_line(research_lab):
    """ps shows every user each process's command line; the environment (where the token is) only to its owner."""
    pids = research_lab.server_processes()
    assert len(pids) >= 2  # corpuslab and the Jupyter server
    for pid in pids:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
        assert research_lab.token not in cmdline
    server = pids[1]
    assert research_lab.token.encode() in Path(f"/proc/{server}/environ").read_bytes()
    assert (Path(f"/proc/{server}/environ").stat().st_mode & 0o077) == 0  # readable by the owner only
    every = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert research_lab.token not in every


def test_a_busy_port_prints_the_url_the_server_really_serves(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = Lab([f"--port={port}"], tmp_path)
        try:
            assert server.port != port and f"port {port} was busy" in "".join(server.printed)
            assert status(server.url) == 200
            assert status(f"{server.base}/api/contents?token={server.token}") == 200
        finally:
            server.stop()


def solution_sources() -> list[str]:
    found = []
    for path in sorted(EXERCISES.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if handouts.SOLUTION_TAG in cell.metadata.get("tags", []):
                found.append(cell.source)
    return found


def lab_notebooks(server) -> dict[str, dict]:
    """Every notebook the Lab serves at its root, as its contents API returns it."""
    listing = get_json(f"{server.base}/api/contents?token={server.token}")
    return {item["name"]: get_json(f"{server.base}/api/contents/{item['name']}?token={server.token}")["content"]
            for item in listing["content"] if item["type"] == "notebook"}


def test_student_mode_serves_only_student_notebooks_without_solutions(tmp_path):
    out = tmp_path / "dist"
    server = Lab(["--student", f"--out={out}", f"--port={free_port()}"], tmp_path)
    try:
        served = lab_notebooks(server)
    finally:
        server.stop()
    assert sorted(served) == sorted(p.name for p in EXERCISES.glob("*.ipynb"))  # no analysis notebooks, no extras
    solutions = solution_sources()
    for name, nb in served.items():
        cells = nb["cells"]
        assert not any(handouts.SOLUTION_TAG in c["metadata"].get("tags", []) for c in cells), name
        code = "\n".join(c["source"] for c in cells)
        leaked = [s for s in solutions if s.strip() in code]
        assert not leaked, (name, leaked)
        assert any("exercises.check(" in c["source"] for c in cells)


def test_student_mode_keeps_a_students_edited_notebook(tmp_path):
    out = tmp_path / "dist"
    handouts.build(EXERCISES, out, kinds=("student",))
    edited = out / "student" / "E1_keyness.ipynb"
    nb = nbformat.read(edited, as_version=4)
    nb.cells[0].source += "\n\nmy notes"
    nbformat.write(nb, edited)
    server = Lab(["--student", f"--out={out}", f"--port={free_port()}"], tmp_path)
    server.stop()
    assert "my notes" in nbformat.read(edited, as_version=4).cells[0].source
    assert f"kept {len(list(EXERCISES.glob('*.ipynb')))} notebook(s)" in "".join(server.printed)


def test_teacher_mode_builds_notebooks_with_their_expected_outputs(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(EXERCISES / "E2_collocations.ipynb", source)  # one exercise: the build runs it for real
    root = lab.classroom_root("teacher", tmp_path / "dist", source=source)
    server = Lab([f"--notebooks={root}", f"--port={free_port()}"], tmp_path)
    try:
        served = lab_notebooks(server)
    finally:
        server.stop()
    cells = served["E2_collocations.ipynb"]["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    checks = [o["data"]["text/html"] for o in outputs if "corpuslab-check" in o.get("data", {}).get("text/html", "")]
    assert len(checks) == 3 and all('data-passed="true"' in html for html in checks)
    assert any(handouts.SOLUTION_TAG in c["metadata"].get("tags", []) and c["outputs"] for c in cells)


def test_a_missing_notebooks_folder_is_one_line_and_status_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "corpuslab", "lab", "--no-browser",
                             f"--notebooks={tmp_path / 'absent'}"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not a folder" in result.stderr


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for line in handle.readlines()[1:]:
                fields = line.split()
                address, hex_port = fields[1].split(":")
                if int(hex_port, 16) == port and fields[3] == "0A":
                    found.add(address)
    return found


def test_binder_files_match_the_project_environment_and_register_the_kernel():
    """repo2docker reads binder/ alone: its environment is the project's without `-e .` (postBuild installs it)."""
    import yaml

    root = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    binder = yaml.safe_load((PROJECT_ROOT / "binder" / "environment.yml").read_text(encoding="utf-8"))

    def packages(env):
        pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
        return [d for d in env["dependencies"] if isinstance(d, str)], [p for p in pip if p != "-e ."]

    assert packages(binder) == packages(root)
    assert "-e ." not in packages(binder)[1] and binder["channels"] == root["channels"]
    post_build = PROJECT_ROOT / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK)
    script = post_build.read_text(encoding="utf-8")
    assert "ipykernel install --sys-prefix --name corpuslab" in script and "pip install --no-deps" in script
    kernels = {nbformat.read(p, as_version=4).metadata.kernelspec.name for p in EXERCISES.glob("*.ipynb")}
    assert kernels == {"corpuslab"}
