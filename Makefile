# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint typecheck format clean

# A stamp per extra, so that `make test` after `make demo` installs the test extra too.
$(VENV)/.installed-%: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".$(if $(filter test,$*),[test],)"
	touch $@

## demo: install, migrate, load the seeds, print a staff login, run the web server and task cluster.
## Another address: make demo HOST=0.0.0.0 PORT=8101
demo: export DEBUG ?= true
demo: export DSAR_SITE_URL ?= http://$(HOST):$(PORT)
# Emails are kept for the browser (/staff/mailbox/), not sent: dsar/outbox/mailbox.py.
demo: export DSAR_DEMO_MAILBOX ?= true
demo: $(VENV)/.installed-app
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_setup
	@echo "Serving on http://$(HOST):$(PORT)/ with the django-q2 cluster; Ctrl-C stops both."
	$(PY) manage.py rundemo $(HOST):$(PORT)

## test: the whole suite; SQLite unless DATABASE_URL is set (CI sets PostgreSQL).
test: $(VENV)/.installed-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## typecheck: mypy with the Django and DRF plugins, strict for the deadline modules (docs/typing.md).
# The plugin imports the settings, which want a SECRET_KEY unless DEBUG; nothing is served.
typecheck: $(VENV)/.installed-test
	DEBUG=true $(VENV)/bin/mypy

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
