# The two set-up commands: `make run` (demo on 127.0.0.1:8000, or PORT=) and `make test` (the suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= sta-demo-password
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's mail: one file per message, in this folder (nothing is sent).
DEMO_MAIL_DIR ?= $(CURDIR)/var/demo-mail
# Tests run with production-like settings (DEBUG off) and a throwaway key.
TEST_ENV := STA_DEBUG=false \
	STA_SECRET_KEY=test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	STA_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 STA_SSL_REDIRECT=false \
	STA_STATIC_MANIFEST=false
# Task and mail logs at WARNING: seeding runs hundreds of tasks in-process, one line each.
DEMO_ENV := STA_DEBUG=true STA_IMPORT_FOUR_EYES=false \
	STA_TASK_LOG_LEVEL=WARNING STA_MAIL_LOG_LEVEL=WARNING \
	STA_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend \
	STA_EMAIL_FILE_PATH="$(DEMO_MAIL_DIR)"

.PHONY: install install-run run test check migrate demo-data clean lock audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# What tests and checks need: the project with its dev tools.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@ $(VENV)/.installed-run

# What running needs, and nothing else (no test or lint tools).
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $@

install: $(VENV)/.installed

install-run: $(VENV)/.installed-run

migrate: install-run
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input

# Loads or brings the demo up to date, whatever is there.
demo-data: migrate
	$(DEMO_ENV) $(BIN)/python manage.py load_sta
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo --password "$(DEMO_PASSWORD)"

# Why --unless-*: a database that has the demo starts at once; `make demo-data` refreshes it.
run: migrate
	@$(DEMO_ENV) $(BIN)/python manage.py load_sta --unless-loaded
	@$(DEMO_ENV) $(BIN)/python manage.py seed_demo --unless-seeded --password "$(DEMO_PASSWORD)"
	@mkdir -p "$(DEMO_MAIL_DIR)"
	@echo ""
	@echo "STA Tracker is starting on http://$(HOST):$(PORT)/"
	@echo "Mail is not sent: each message is written to $(DEMO_MAIL_DIR)"
	@echo "Accounts (password: $(DEMO_PASSWORD)):"
	@echo "  analyst    reads the agreements and the dashboard"
	@echo "  submitter  proposes projects"
	@echo "  reviewer   assesses risks and benefits;  decider  records decisions"
	@echo "  security   assesses national security"
	@echo "  admin      imports texts and administers the site"
	@echo ""
	@$(DEMO_ENV) $(BIN)/python manage.py runserver "$(HOST):$(PORT)"

test: install
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy .
	$(BIN)/bandit -c pyproject.toml -r sta_tracker clauses reviews -ll -q

# The pinned versions, with hashes, of everything pyproject.toml names (docs/security.md).
# Why no index or find-links lines: the lock files are read on machines with other indexes.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: install
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev --output-file requirements-dev.lock pyproject.toml

# Where a vulnerability database can be reached: audit the pinned versions, not this venv.
audit: install
	$(BIN)/python -m pip_audit --version >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/python -m pip_audit --require-hashes --disable-pip -r requirements.lock
	$(BIN)/python -m pip_audit --require-hashes --disable-pip -r requirements-dev.lock

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache .mypy_cache .ruff_cache
