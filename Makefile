# Two commands matter: `make run` and `make test`. Both set up everything they need, idempotently.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := wsgi
FLASK := $(BIN)/flask
PO_FILES := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-fast test-pg test-cluster cluster e2e lint bench install translations i18n vendor clean help

help:
	@echo "make run    - set up and serve the portal on http://$(HOST):$(PORT) (PORT=8001 make run)"
	@echo "make test   - set up and run the whole test suite"
	@echo "make test-fast - the suite without the slow tests and the browser journeys (make test runs them all)"
	@echo "make test-pg - the suite on PostgreSQL (TEST_DATABASE_URL names the server; each run makes its own database)"
	@echo "make e2e    - only the browser journeys (SCREENSHOTS=1 make e2e saves pages to tests/e2e/artifacts/)"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make cluster - two app servers behind nginx on PostgreSQL + Redis, http://127.0.0.1:5740 (README: Cluster)"
	@echo "make test-cluster - the tests of tests/cluster/ against such a cluster (needs PostgreSQL, Redis, nginx)"
	@echo "make lint   - ruff, import-linter (pyproject contracts) and pyright (basic mode)"
	@echo "make i18n   - extract strings and update the id/en catalogues"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) search sync
	@echo ""
	@echo "  Portal: http://$(HOST):$(PORT)   (Ctrl+C untuk berhenti)"
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

# The cluster tests (tests/cluster/) start servers of their own: only `make test-cluster` runs them.
test: $(VENV)/.installed-dev translations
	$(BIN)/pytest -m "not cluster"

test-fast: $(VENV)/.installed-dev translations
	$(BIN)/pytest -m "not slow and not e2e and not cluster"

e2e: $(VENV)/.installed-dev translations
	$(BIN)/pytest -m e2e

# TEST_DATABASE_URL's database is only where the run connects to create (and afterwards drop) its own database.
test-pg: $(VENV)/.installed-dev translations
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m "not e2e and not cluster"

# Two gunicorn app servers behind nginx (round robin) on one PostgreSQL database and one Redis: bench/cluster.py.
cluster: install translations
	$(BIN)/python bench/cluster.py

test-cluster: $(VENV)/.installed-dev translations
	$(BIN)/pytest -m cluster tests/cluster

# lint-imports checks the contracts in pyproject.toml. The pyright wheel fetches the matching pyright from npm on first
# use (cached in ~/.cache/pyright-python); the variable stops its check for a newer release on every run.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check portal tests scripts bench
	$(BIN)/ruff format --check portal tests bench
	$(BIN)/lint-imports
	PYRIGHT_PYTHON_IGNORE_WARNINGS=1 $(BIN)/pyright

i18n: $(VENV)/.installed-dev
	$(BIN)/python scripts/i18n.py update

vendor:
	python3 scripts/vendor-assets

bench: $(VENV)/.installed-dev translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
