# The two set-up commands: `make run` (demo on 127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= sta-demo-password
# Tests run with production-like settings (DEBUG off) and a throwaway key.
TEST_ENV := STA_DEBUG=false \
	STA_SECRET_KEY=test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	STA_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 STA_SSL_REDIRECT=false \
	STA_STATIC_MANIFEST=false
DEMO_ENV := STA_DEBUG=true STA_IMPORT_FOUR_EYES=false

.PHONY: install run test check migrate demo-data clean lock audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input

demo-data: migrate
	$(DEMO_ENV) $(BIN)/python manage.py load_sta
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo --password "$(DEMO_PASSWORD)"

run: demo-data
	@echo ""
	@echo "STA Tracker is starting on http://127.0.0.1:8000/"
	@echo "Log in as analyst, submitter, reviewer, security or admin with the password: $(DEMO_PASSWORD)"
	@echo ""
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

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
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
