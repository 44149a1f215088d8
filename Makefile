# Two commands: `make run` sets everything up and serves the app; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SEED_BUNDLE := policies/mp-ad-1623.bundle.json

.PHONY: run test lint bench drill stack setup seed clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

seed: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py import_policies $(SEED_BUNDLE)
	DEBUG=1 $(PY) manage.py seed_demo

# The periodic jobs (notification relay, due-time watch, digests) run in a background process
# that ends with this one; tasks themselves run in-process (no REDIS_URL).
run: seed
	DEBUG=1 $(PY) manage.py run_periodic & periodic=$$!; trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Lint first: a style slip fails in seconds, before the suite's minutes.
test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: setup
	$(PY) -m bench $(BENCH)

# The failure drills (drills/README.md): own database, Redis, SMTP sink, worker and beat.
# DRILL=short is the CI size; the exit status is 1 when a target is missed.
DRILL ?= full
drill: setup
	$(PY) -m drills $(DRILL)

# The production shape (docker-compose.yml's commands) run for real, one request over HTTP.
stack: setup
	$(PY) -m drills.stack

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var
