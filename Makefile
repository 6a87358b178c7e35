# Two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= data/itam.duckdb
PORT    ?= 8501

.PHONY: run test bench demo lint format clean-db screenshots

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## run: build the demo database on first start, then serve on localhost:$(PORT)
run: $(STAMP)
	$(BIN)/python -m dashboard setup --db $(DB)
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT) --server.address localhost

## test: the whole suite (browser tests need Chromium; see .ci/run). Whole files per worker,
## so a module's server, browser and estate are built once; longest files first (conftest.py).
## Three workers on two cores: many tests wait on a browser, an app server or a subprocess,
## and the third fills those waits (9.4-10.1 min against 10.7 with two; benchmarks.md).
test: $(STAMP)
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder -q

## bench: metric engine and import at about a million assets (see docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python -m tests.bench

## demo: rebuild the demo database from scratch
demo: $(STAMP)
	rm -f $(DB) $(DB).wal
	$(BIN)/python -m dashboard demo --db $(DB)

## screenshots: the README's pictures, from the demo estate in headless Chromium
screenshots: $(STAMP)
	$(BIN)/python -m tests.screenshots

lint: $(STAMP)
	$(BIN)/ruff check dashboard metrics pages tests
	$(BIN)/ruff format --check dashboard metrics pages tests

format: $(STAMP)
	$(BIN)/ruff format dashboard metrics pages tests
	$(BIN)/ruff check --fix dashboard metrics pages tests
