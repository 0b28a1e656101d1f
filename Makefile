# Two commands on a fresh machine: `make run` (build the dataset from seeds/) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)
export PARLEY_DAGSTER_STORAGE := $(CURDIR)/.dagster_home
export VIRTUAL_ENV := $(CURDIR)/.venv

.PHONY: run test ui install clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/parley build --input seeds --data data

test: $(STAMP)
	$(BIN)/python -m pytest

ui: $(STAMP)
	mkdir -p $(PARLEY_DAGSTER_STORAGE)
	$(BIN)/dg dev --host 127.0.0.1 --port 3000

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf data/releases data/work data/parley.duckdb .dagster_home
