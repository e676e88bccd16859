"""Project-level checks: dependency lists agree, git keeps lib/, data is vendored, CI runs make test."""

import re
import subprocess
import tomllib

import yaml

from corpuslab.resources import NLTK_DATA_DIR, PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = _pyproject()["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = {_name(d) for item in env["dependencies"] if isinstance(item, dict) for d in item["pip"]} - {"-e"}
    assert conda | pip == wanted


def _lock() -> dict[str, str]:
    lock = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line:
            name, version = line.split("==")
            lock[_name(name)] = version
    return lock


def test_lock_pins_every_dependency_exactly():
    project = _pyproject()["project"]
    lock = _lock()
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert _name(requirement) in lock, requirement


def test_environment_yml_pins_the_versions_of_the_lock():
    """conda users get the versions the tests ran with, not ranges nothing tests."""
    lock = _lock()
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    entries = [d for d in env["dependencies"] if isinstance(d, str)]
    entries += [d for item in env["dependencies"] if isinstance(item, dict) for d in item["pip"]]
    wrong = []
    for entry in entries:
        if entry in ("pip", "-e .") or entry.startswith("python="):
            continue
        name = re.split(r"[<>=!~ ]", entry, maxsplit=1)[0]
        pinned = lock.get(_name(name), "(not in requirements.lock)")
        if entry != f"{name}=={pinned}":
            wrong.append(f"{entry!r} should be '{name}=={pinned}'")
    assert not wrong, "environment.yml disagrees with requirements.lock: " + "; ".join(wrong)


def test_gitignore_keeps_the_package_and_ignores_runs():
    def ignored(path):
        return subprocess.run(["git", "-C", str(PROJECT_ROOT), "check-ignore", "-q", path]).returncode == 0

    assert not ignored("lib/corpuslab/corpus.py")
    assert not ignored("reports/README.md")
    assert ignored("reports/20260101-000000-000000-p1/index.html")
    assert ignored("reports/latest")


def test_ci_runs_make_test():
    script = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script


def test_readme_opens_with_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```")[1]
    assert "make report" in block and "make test" in block


def test_vendored_nltk_data_is_not_group_or_world_writable():
    for path in [NLTK_DATA_DIR, *NLTK_DATA_DIR.rglob("*")]:
        assert not path.stat().st_mode & 0o022, path


def test_vendored_nltk_data_works_offline():
    from corpuslab import resources

    resources.use_vendored_nltk_data()
    from nltk.corpus import opinion_lexicon, stopwords

    assert len(stopwords.words("english")) == 179
    assert "good" in opinion_lexicon.positive()


def test_no_network_guard_is_active():
    import socket

    import nltk
    import pytest

    with pytest.raises(AssertionError, match="network call"):
        socket.create_connection(("203.0.113.1", 80), timeout=1)
    with pytest.raises(AssertionError, match="nltk.download"):
        nltk.download("punkt")


MAX_MODULE_LINES = 500  # issue 17: a module a newcomer can read; split a longer one along its jobs


def test_no_library_module_is_over_500_lines():
    sizes = {path.relative_to(PROJECT_ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in sorted((PROJECT_ROOT / "lib" / "corpuslab").rglob("*.py"))}
    long = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}
    assert sizes and not long, ", ".join(f"{name} has {n} lines (at most {MAX_MODULE_LINES})"
                                         for name, n in long.items())


def test_only_the_workflow_package_consults_the_cache_or_reads_cfg():
    import ast

    lib = PROJECT_ROOT / "lib" / "corpuslab"
    allowed = {"cache.py", "params.py", "pipeline.py"}  # the cache itself; params and the runner resolve cfg
    found = []
    for path in sorted(lib.rglob("*.py")):
        if path.parent.name == "workflow" or path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "cache"
                    and node.attr in ("table", "value", "arrays")) or (
                    isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "cfg"):
                found.append(f"{path.relative_to(lib).as_posix()}:{node.lineno}")
    assert not found, f"params or the cache read outside workflow/: {found}"
