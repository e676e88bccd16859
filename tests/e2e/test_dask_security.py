"""The LocalCluster that corpuslab starts accepts only its own client (issue: another local user ran code on it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("distributed")

PROBE = textwrap.dedent("""
    from distributed import Client
    from distributed.security import Security
    from corpuslab import engine

    if __name__ == "__main__":
        ours = engine.dask_client("", 1)
        address = ours.scheduler.address
        assert address.startswith("tls://127.0.0.1:"), address
        assert ours.submit(sum, [1, 2]).result() == 3
        outcomes = []
        for name, options in [("plain", {}), ("own credentials", {"security": Security.temporary()})]:
            try:
                Client(address, timeout="5s", **options).submit(sum, [1]).result(timeout=5)
                outcomes.append(name + ": ran")
            except Exception:
                outcomes.append(name + ": refused")
        print("|".join(outcomes))
""")


def test_a_client_without_this_runs_credentials_is_refused(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "plain: refused|own credentials: refused"


SECOND_IDENTITY = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--")


def test_another_local_account_cannot_run_code_on_the_cluster():
    """The same refusal for a client run by another account (``nobody``), where this machine lets one run Python."""
    import os
    import shutil

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("a second identity needs root and setpriv (util-linux)")
    tried = subprocess.run([*SECOND_IDENTITY, sys.executable, "-c", "import distributed"], capture_output=True,
                           text=True, timeout=60, cwd="/")
    if tried.returncode != 0:
        pytest.skip(f"user nobody cannot run this Python here ({(tried.stderr.strip().splitlines() or ['?'])[-1]}); "
                    "the refusal is tested above for a client of this account without the run's credentials")
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        address = next(line for line in owner.stdout if line.startswith("address ")).split()[1]
        for credentials in ("none", "own"):  # "ran" is printed only if a task of nobody's ran on the cluster
            try:
                other = subprocess.run([*SECOND_IDENTITY, sys.executable, "-c", OTHER_USER_PROBE, address, credentials],
                                       capture_output=True, text=True, timeout=90, cwd="/", env={"HOME": "/tmp"})
                said = other.stdout
            except subprocess.TimeoutExpired as stuck:  # never connected: nothing ran either
                said = stuck.stdout.decode() if isinstance(stuck.stdout, bytes) else (stuck.stdout or "")
            assert "ran" not in said.split(), credentials
    finally:
        owner.communicate("\n", timeout=60)


OWNER = textwrap.dedent("""
    import sys
    from corpuslab import engine

    if __name__ == "__main__":
        client = engine.dask_client("", 1)
        print("address", client.scheduler.address, flush=True)
        sys.stdin.readline()  # keep the cluster up until the test is done
""")

OTHER_USER_PROBE = textwrap.dedent("""
    import sys
    from distributed import Client
    from distributed.security import Security

    options = {"security": Security.temporary()} if sys.argv[2] == "own" else {}
    try:
        Client(sys.argv[1], timeout="5s", **options).submit(sum, [1]).result(timeout=5)
        print("ran", flush=True)
    except Exception:
        print("refused", flush=True)
""")
