# Two commands for a newcomer: `make run` (site on SQLite with demo data) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependency list changes.
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
# Our own Python packages (what bandit checks).
PACKAGES := config accounts api cms craftsmen innovations licensing marketplace sitesearch

.PHONY: run prod test test-postgres lint format audit messages check-messages clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(INSTALLED)

$(INSTALLED_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(INSTALLED) $(INSTALLED_TEST)

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "The auction clock (close_lots --loop) runs beside the web server; Ctrl+C stops both."
	$(BIN)/python manage.py close_lots --loop --interval 5 & clock=$$!; \
	trap 'kill $$clock 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The site as in production on this machine: PostgreSQL, Redis, gunicorn and the auction
# clock (bin/prod; README "Running in production"). PROD_DEMO=1 supplies dummy Stripe keys.
prod: $(INSTALLED)
	PORT=$(PORT) bin/prod

test: $(INSTALLED_TEST)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on the local PostgreSQL (see README).
test-postgres: $(INSTALLED_TEST)
	DATABASE_URL=$${DATABASE_URL:-postgres://root@127.0.0.1:5432/wie} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED_TEST)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Security checks: bandit over our own packages (its settings are in pyproject.toml), then
# pip-audit over the installed packages, failing when it could not audit them (see
# bin/audit_dependencies.py; PIP_AUDIT_ALLOW_UNREACHABLE=1 turns "nothing audited" into a skip).
audit: $(INSTALLED_TEST)
	$(BIN)/bandit -c pyproject.toml -r $(PACKAGES) --quiet
	$(BIN)/python bin/audit_dependencies.py

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed so that
# `make run` works on machines without it.
messages: $(INSTALLED)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --no-obsolete --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

# CI: the committed catalog must already contain every string in the source.
check-messages: $(INSTALLED_TEST)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --no-obsolete --ignore=.venv --ignore=staticfiles
	git diff --exit-code -I '^"POT-Creation-Date:' -- config/locale || { echo "config/locale is out of date: run 'make messages' and translate the new strings"; exit 1; }

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
