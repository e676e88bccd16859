"""`corpuslab lab` (what `make lab` runs): loopback only, token required, rooted at notebooks/."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from corpuslab import cli
from corpuslab.errors import CorpuslabError
from corpuslab.resources import NOTEBOOKS_DIR, PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_lab_command_is_loopback_with_a_token():
    command = cli.lab_command(8888, "abc123", open_browser=False)
    assert "--ip=127.0.0.1" in command and "--IdentityProvider.token=abc123" in command
    assert f"--ServerApp.root_dir={NOTEBOOKS_DIR}" in command and "--no-browser" in command
    with pytest.raises(CorpuslabError, match="empty token"):
        cli.lab_command(8888, "", open_browser=False)


@pytest.fixture
def lab():
    port, token = free_port(), "t" + os.urandom(12).hex()
    proc = subprocess.Popen([sys.executable, "-m", "corpuslab", "lab", "--no-browser", f"--port={port}"],
                            cwd=PROJECT_ROOT, env={**os.environ, "CORPUSLAB_LAB_TOKEN": token},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if status(f"{base}/api/status?token={token}") == 200:
                break
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    else:
        proc.kill()
        raise AssertionError(proc.stdout.read())
    yield base, token, proc
    proc.terminate()
    proc.wait(timeout=30)


def test_lab_refuses_requests_without_the_token_and_serves_with_it(lab):
    base, token, proc = lab
    assert status(f"{base}/api/contents") == 403
    assert status(f"{base}/api/contents?token=wrong") == 403
    assert status(f"{base}/api/contents?token={token}") == 200
    listing = urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5).read().decode()
    assert "01_term_frequency.ipynb" in listing
    assert status(f"{base}/lab?token={token}") == 200
    assert listening_addresses(int(base.rsplit(":", 1)[1])) == {"0100007F"}  # 127.0.0.1 only


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
