# The two commands a newcomer needs are `make run` (set up, import the sample assets, then serve
# the catalog in Datasette until Ctrl-C) and `make test` (set up, then run the test suite).
# Everything else is for development.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

FUZZ_EXAMPLES ?= 10000
FUZZ_SECONDS  ?= 60
FUZZ_TARGETS   = virin credit caption sidecar manifest article iptc xmp csv image

# The development corpus (../shared beside the main checkout); `python -m bench.conformance` finds it.
CONFORMANCE_DIR ?=

.PHONY: install bytecode run test fuzz bench conformance lint schemas assets clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# An editable install leaves the package's own modules without byte-code, and where
# PYTHONDONTWRITEBYTECODE is set Python compiles them again at every start (35 ms of each
# `catalog` command, and of each of the test suite's subprocesses). Compile them once, as pip does
# for an installed package; Python ignores a stale file (it checks the source's mtime).
bytecode: install
	$(BIN)/python -m compileall -q catalog bench

run: bytecode
	$(BIN)/catalog import assets --db catalog.db --manifest assets/manifest.csv --article assets/article.txt
	$(BIN)/catalog serve catalog.db

test: bytecode
	$(BIN)/python -m pytest

# The properties of every parser of untrusted text with FUZZ_EXAMPLES examples each, then each
# parser under atheris (coverage-guided) for FUZZ_SECONDS; logs and corpora in fuzz-out/.
fuzz: install
	$(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -m fuzz -q \
		--hypothesis-show-statistics
	@mkdir -p fuzz-out
	@for target in $(FUZZ_TARGETS); do \
		$(BIN)/python -m fuzz $$target --seconds $(FUZZ_SECONDS) >fuzz-out/$$target.log 2>&1 \
			|| { tail -n 40 fuzz-out/$$target.log; exit 1; }; \
		echo "atheris $$target: $$(grep '^Done' fuzz-out/$$target.log)"; \
	done

bench: bytecode
	$(BIN)/python -m bench

# The readers against ExifTool on every real file under CONFORMANCE_DIR (read in place, never
# copied here): every disagreement, the agreement per source; fails below 99%.
conformance: bytecode
	$(BIN)/python -m bench.conformance $(CONFORMANCE_DIR)

lint: install
	$(BIN)/ruff check catalog tests bench assets fuzz
	$(BIN)/ruff format --check catalog tests bench assets fuzz
	$(BIN)/lint-imports --no-cache

schemas: install
	$(BIN)/python -m catalog.schema_export schemas

assets: install
	$(BIN)/python assets/make_assets.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis catalog.db catalog.db-wal catalog.db-shm \
		test-artifacts fuzz-out
