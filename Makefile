# Amparo: `make run` and `make test` each do all of their own set-up (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := var/stamps
DEV_ENV := DJANGO_DEBUG=1
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# The PostgreSQL run also puts cache, sessions and the job queue in this Redis when it answers
# (keys prefixed per run, so runs sharing the database number keep apart).
TEST_REDIS_URL ?= redis://127.0.0.1:6379/13
PYTEST_ARGS ?=

.PHONY: help setup run test test-sqlite test-postgres test-browser lint format bench clean messages

help:
	@echo "make run    - set up, load demo data if empty, serve http://127.0.0.1:8000"
	@echo "make test   - set up and run the whole suite (SQLite, and PostgreSQL + Redis if reachable, side by side)"
	@echo "make setup  - install Python and front-end packages, compile translations, migrate"
	@echo "make lint   - ruff, ruff format --check, mypy, import-linter"
	@echo "make bench  - run the benchmarks under bench/"

# --- set-up (idempotent; each step re-runs only when its inputs changed) ---------------------
$(STAMPS):
	@mkdir -p $(STAMPS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMPS)/python: pyproject.toml requirements/constraints.txt | $(BIN)/python $(STAMPS)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian packages: gettext (msgfmt) to compile translations; Chromium for the browser tests.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends $(1); \
	else sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends $(1); fi

$(STAMPS)/system: | $(STAMPS)
	@command -v msgfmt >/dev/null || { echo "Installing gettext"; $(call APT_INSTALL,gettext); }
	@touch $@

$(STAMPS)/chromium: | $(STAMPS)
	@[ -x /usr/bin/chromium ] || { echo "Installing Debian's Chromium for the browser tests"; $(call APT_INSTALL,chromium fonts-dejavu-core); }
	@touch $@

$(STAMPS)/messages: $(STAMPS)/python $(STAMPS)/system $(wildcard src/amparo/locale/*/LC_MESSAGES/*.po)
	cd src/amparo && $(DEV_ENV) ../../$(BIN)/python ../../manage.py compilemessages --verbosity 0
	@touch $@

setup: $(STAMPS)/python $(STAMPS)/npm $(STAMPS)/messages
	@$(DEV_ENV) $(BIN)/python manage.py migrate --verbosity 0
	@$(DEV_ENV) $(BIN)/python manage.py createcachetable
	@$(DEV_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

# --- run -----------------------------------------------------------------------------------
run: setup
	@$(DEV_ENV) $(BIN)/python manage.py demo_data --if-empty
	@echo "Starting the background-job runner and the web server on http://127.0.0.1:8000 (Ctrl-C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(DEV_ENV) $(BIN)/python manage.py run_huey --quiet & \
	  $(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# --- tests ---------------------------------------------------------------------------------
# The two passes are independent (own database, own var directory, the PostgreSQL pass its own
# Redis key prefix): on a machine with two cores or more they run side by side, the PostgreSQL
# pass's output shown when both are done, and the target fails if either fails.
test: setup $(STAMPS)/chromium
	$(BIN)/lint-imports --no-cache
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	@if [ "$$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then \
	  mkdir -p var; \
	  echo "== PostgreSQL pass started alongside; its output follows the SQLite pass's =="; \
	  $(MAKE) --no-print-directory test-postgres > var/test-postgres.log 2>&1 & postgres_pid=$$!; \
	  $(MAKE) --no-print-directory test-sqlite; sqlite_status=$$?; \
	  wait $$postgres_pid; postgres_status=$$?; \
	  cat var/test-postgres.log; \
	  echo "== SQLite pass: $$([ $$sqlite_status -eq 0 ] && echo passed || echo FAILED); PostgreSQL pass: $$([ $$postgres_status -eq 0 ] && echo passed || echo FAILED) =="; \
	  [ $$sqlite_status -eq 0 ] && [ $$postgres_status -eq 0 ]; \
	else \
	  $(MAKE) --no-print-directory test-sqlite && $(MAKE) --no-print-directory test-postgres; \
	fi

test-sqlite:
	@echo "== test suite on SQLite (with the browser tests) =="
	AMPARO_TEST_REDIS_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-browser: setup $(STAMPS)/chromium
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# As several app servers run: PostgreSQL, and Redis for cache, sessions and jobs if it answers.
test-postgres:
	@if $(BIN)/python tests/pg_reachable.py "$(TEST_DATABASE_URL)"; then \
	  if $(BIN)/python tests/redis_reachable.py "$(TEST_REDIS_URL)"; then \
	    redis="$(TEST_REDIS_URL)"; echo "== test suite on PostgreSQL ($(TEST_DATABASE_URL)) and Redis ($$redis) =="; \
	  else \
	    redis=""; echo "== test suite on PostgreSQL ($(TEST_DATABASE_URL)); Redis not reachable at $(TEST_REDIS_URL) =="; \
	  fi; \
	  AMPARO_VAR_DIR="$(CURDIR)/var/test-postgres" DATABASE_URL="$(TEST_DATABASE_URL)" AMPARO_TEST_REDIS_URL="$$redis" \
	    $(BIN)/pytest -m "not browser" $(PYTEST_ARGS); \
	else \
	  echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): PostgreSQL run skipped =="; \
	fi

lint: $(STAMPS)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: $(STAMPS)/python
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMPS)/python
	cd src/amparo && $(DEV_ENV) ../../$(BIN)/python ../../manage.py makemessages -l es --no-obsolete --ignore 'static/*'
	cd src/amparo && $(DEV_ENV) ../../$(BIN)/python ../../manage.py makemessages -d djangojs -l es --no-obsolete --ignore 'static/vendor/*' || true

# Benchmarks report, they never fail the build (see bench/README.md). bench/run.py runs every
# bench/bench_*.py (data seeded with `manage.py seed_scale`; the web and reports benchmarks share
# one seeded PostgreSQL database per size, see bench/seeded.py), then the mixed load test, and
# rewrites bench/RESULTS.md. BENCH_ARGS passes options
# through, e.g. `make bench BENCH_ARGS="--only web,deadlines"`.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
