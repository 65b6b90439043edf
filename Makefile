# Likeness Registry — the two commands of the README, and a few more.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE := registry.settings

.PHONY: run test install migrate seed lint format bench worker beat clean

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Demo emails (about fifty from seed_demo, then whatever you do) go to files under var/mail/, not the console.
RUN_ENV := DEBUG=1 EMAIL_URL=filemail://localhost/var/mail

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --quiet
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A registry worker -l info

beat: install
	$(BIN)/celery -A registry beat -l info

# Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL) and wrk (apt-get install wrk); see docs/performance.md.
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: sudo apt-get install wrk (or brew install wrk)"; exit 1; }
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
