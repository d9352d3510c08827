# `make` sets up .venv and builds the sample book into dist/; `make test` runs the whole test suite,
# `make test-fast` the unit tests of each stage (no whole books, no Java, no Chromium).
# Both install what they need: system packages through tools/system-deps, Python packages into .venv,
# the EPUB checkers from package.json into node_modules/.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: all book test test-fast lint previews bench mutation mutation-resume clean system-deps-build system-deps-test

all: book

system-deps-build:
	tools/system-deps build

system-deps-test:
	tools/system-deps test

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The checkers the tests run (Ace by DAISY, epub.js, axe-core); they use the system's Chromium.
$(NODE_STAMP): package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

book: system-deps-build $(STAMP)
	$(PY) build.py book --out dist

test: system-deps-test $(STAMP) $(NODE_STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

test-fast: system-deps-build $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m ruff format --check .

previews: system-deps-test $(STAMP)
	$(PY) tools/make_previews.py
	$(PY) tools/make_markdown_pictures.py
	$(PY) tools/make_script_pictures.py

# Mutation testing of the modules that decide what readers see, against the fast tier ([tool.mutmut]
# in pyproject.toml). Not part of `make test`; docs/testing.md gives the score and the survivors.
mutation: system-deps-test $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,mutation]'
	rm -rf mutants
	mkdir -p build
	@echo "mutmut: hours on 2 cores; its progress is in build/mutation.log"
	$(VENV)/bin/mutmut run --max-children 2 > build/mutation.log 2>&1
	$(PY) tools/mutation_score.py

mutation-resume: system-deps-test $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,mutation]'
	$(PY) tools/mutation_resume.py
	$(VENV)/bin/mutmut run --max-children 2 >> build/mutation.log 2>&1
	$(PY) tools/mutation_score.py

bench: system-deps-build $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'   # pandoc, for comparison only
	$(PY) bench/run.py
	$(PY) bench/mdbook.py   # an mdBook beside the same book as a native one
	$(PY) bench/library.py  # a library of 20 books: one at a time, the local pool, a Dask LocalCluster
	$(PY) bench/parallel_layout.py  # the print layout in one process, or shared by one per core

clean:
	rm -rf dist .pytest_cache book/.octavo-cache
