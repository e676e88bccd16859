# corpuslab — `make` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PARAMS ?= notebooks/params/default.yaml
ARGS   ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup browser report test test-fast test-slow lint lab lab-student lab-teacher exercises bench bench-full lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name corpuslab --display-name "Python (corpuslab)" >/dev/null
	@echo "validating the sentiment instruments against the gold standards (once; cached in data/processed)"
	$(BIN)/python -c "from corpuslab import params, workflow; workflow.sentiment_validation(params.from_notebook({}))"
	touch $@

setup: $(VENV)/.installed  ## create .venv, install the pinned set, register the Jupyter kernel

browser:  ## install Debian's chromium for the browser tests (needs root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests will be skipped: install Debian's chromium (sudo apt-get install chromium)"; fi; }

report: setup  ## run the full report (PARAMS=file.yaml, ARGS="--set topics.k=6")
	$(BIN)/corpuslab run $(PARAMS) $(ARGS)

test: setup browser lint  ## run the whole test suite (and ruff)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup  ## unit tests and doctests only: no notebooks, e2e or browser; on every core (about 3 minutes on 2 cores)
	$(BIN)/python -m pytest -n auto tests/unit tests/test_project.py lib/corpuslab $(PYTEST_ARGS)

lint: setup  ## ruff (rules in pyproject.toml) over lib, tests and bench
	$(BIN)/ruff check lib tests bench

test-slow: setup browser  ## run the slow suites too (real-corpus scale)
	$(BIN)/python -m pytest -m "slow or not slow" $(PYTEST_ARGS)

lab: setup  ## JupyterLab on 127.0.0.1 with a token, at notebooks/ (research; exercises with solutions)
	$(BIN)/corpuslab lab

lab-student: setup  ## JupyterLab for a class: the student exercises only (no solutions), dist/exercises/student
	$(BIN)/corpuslab lab --student --out dist/exercises

lab-teacher: setup  ## JupyterLab for the teacher: exercises with solutions and expected outputs
	$(BIN)/corpuslab lab --teacher --out dist/exercises

exercises: setup  ## (re)build student and teacher (executed) versions into dist/exercises
	$(BIN)/corpuslab exercises --out dist/exercises

bench: setup  ## quick benchmark against the peers (UN corpus samples) -> bench/results.md
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[bench]"
	$(BIN)/python bench/run.py --mode quick
	$(BIN)/python bench/topics.py --quick

bench-full: setup  ## full benchmark on the whole UN General Debate corpus (long)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[bench]"
	$(BIN)/python bench/run.py --mode full
	$(BIN)/python bench/topics.py

lock: $(BIN)/python  ## re-pin requirements.lock from the current venv
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^corpuslab' > requirements.lock

clean:  ## remove run folders, caches and the venv
	rm -rf $(VENV) dist reports/[0-9]* reports/latest reports/scratch reports/.partial-* data/processed .pytest_cache
