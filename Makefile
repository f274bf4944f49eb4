# The two commands a newcomer needs are `make run` (set up, import the sample assets, then serve
# the catalog in Datasette until Ctrl-C) and `make test` (set up, then run the test suite).
# Everything else is for development.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run test bench lint schemas assets clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/catalog import assets --db catalog.db --manifest assets/manifest.csv --article assets/article.txt
	$(BIN)/catalog serve catalog.db

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check catalog tests bench assets
	$(BIN)/ruff format --check catalog tests bench assets

schemas: install
	$(BIN)/python -m catalog.schema_export schemas

assets: install
	$(BIN)/python assets/make_assets.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis catalog.db catalog.db-wal catalog.db-shm \
		test-artifacts
