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
