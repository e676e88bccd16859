"""provenance: what a run records in its manifest."""

import json
from pathlib import Path

from corpuslab import cache, params, provenance


def test_manifest_parts():
    versions = provenance.package_versions()
    assert versions["pandas"] != "not installed"
    for name in ("polars", "regex", "simplemma", *cache.RESULT_PACKAGES):  # every package that shapes results
        assert versions[name] != "not installed", name
    hashes = provenance.resource_hashes()
    assert any(k.endswith("vader_lexicon.zip") for k in hashes)
    assert all(len(v) == 64 for v in hashes.values())
    commit = provenance.git_commit()
    assert commit == "unknown" or len(commit.split("+")[0]) == 40


def test_a_manifest_starts_pending_and_is_written_whole(tmp_path):
    facts = {"fingerprint": "f" * 64, "n_documents": 3}
    manifest = provenance.start_manifest("r1", "t", params.validate({}), facts, "python3", [Path("00_corpus.ipynb")])
    assert manifest["status"] == "running" and manifest["notebooks"] == [{"name": "00_corpus", "status": "pending"}]
    assert manifest["params"]["topics"]["k"] == params.validate({})["topics.k"]
    provenance.write_manifest(tmp_path, manifest)
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
