# `make` sets up .venv and builds the sample book into dist/; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all book test lint previews bench clean

all: book

$(STAMP): pyproject.toml package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# The EPUB checkers the tests run (Ace by DAISY, epub.js); they use the system's Chromium.
	if command -v npm >/dev/null; then PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error; fi
	touch $(STAMP)

book: $(STAMP)
	$(PY) build.py book --out dist

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

previews: $(STAMP)
	$(PY) tools/make_previews.py

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'   # pandoc, for comparison only
	$(PY) bench/run.py

clean:
	rm -rf dist .pytest_cache book/.octavo-cache
