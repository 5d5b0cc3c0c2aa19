# onewindow: the two commands are `make run` and `make test`.
# Every target does its own set-up (virtual environment, install, migrate).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg test-browser fuzz lint types check-migrations bench ci messages clean demo sweep

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

var:
	@mkdir -p var

## run: install, migrate, load the demo center, start web + worker on http://$(HOST):$(PORT)
run: $(STAMP) var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

## test: the whole suite on SQLite (browser tests are `make test-browser`, fuzzing `make fuzz`)
test: $(STAMP)
	$(PY) -m pytest -n 2 -m "not browser and not fuzz" $(PYTEST_ARGS)

## test-pg: the same suite on PostgreSQL at 127.0.0.1:5432
test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onewindow} \
	  $(PY) -m pytest -n 2 -m "not browser and not fuzz" $(PYTEST_ARGS)

## test-browser: Playwright tests in Debian's chromium (/usr/bin/chromium)
test-browser: $(STAMP)
	$(PY) -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

## fuzz: schemathesis over the whole API, as a clerk and a supervisor (DATABASE_URL: which database)
FUZZ_EXAMPLES ?= 10
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -n 2 -m fuzz tests/fuzz $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy onewindow

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

## bench: benchmark scripts; prints the figures (see docs/benchmarks.md)
bench: $(STAMP) var
	$(PY) bench/run.py $(BENCH_ARGS)

## messages: recompile the translation catalogs (needs GNU gettext)
messages: $(STAMP)
	cd onewindow && ../$(PY) ../manage.py compilemessages --ignore=.venv

demo: $(STAMP) var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/*.sqlite3 var/*.db
