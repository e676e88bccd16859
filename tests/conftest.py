"""Shared fixtures: the tiny corpus, a guard that fails any network call or download, and private folders
for the cache and scratch output (a test never reads what the user's runs, or an earlier test run, left)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True, scope="session")
def private_cache_and_scratch(tmp_path_factory):
    """Point the cache and the scratch output of notebooks run alone at fresh temporary folders for the session.

    Subprocesses, kernels and JupyterLab servers that tests start inherit them. The cache is on (whatever the
    caller's environment says): a test that wants it off sets ``CORPUSLAB_CACHE=off`` itself.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("CORPUSLAB_SCRATCH_DIR", str(tmp_path_factory.mktemp("scratch")))
        patch.delenv("CORPUSLAB_CACHE", raising=False)
        patch.delenv("CORPUSLAB_CACHE_LOG", raising=False)  # a runner's log, leaked into the test run's environment
        yield


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail a test that calls nltk.download or opens a connection beyond 127.0.0.1."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(LOOPBACK):
            raise AssertionError(f"network call to {address!r} during a test")
        return real_connect(sock, address)

    def no_download(*args, **kwargs):
        raise AssertionError("nltk.download called: nothing may download at run time")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    import nltk

    monkeypatch.setattr(nltk, "download", no_download)
    yield


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    """A writable copy of the three-document fixture corpus (with metadata.csv)."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target
