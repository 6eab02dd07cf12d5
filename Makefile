# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# DATABASE_URL switches either from the embedded SQLite file to PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test test-bench install migrate demo lint format bench loadtest chromium clean worker backup restore

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python >= 3.12 krävs (pyenv läser .python-version).")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# Serves the app and, beside it, the background worker that builds the region's ZIP of färdplaner.
run: demo
	DEBUG=1 $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# The background worker for the region's ZIP of färdplaner (django-tasks-db's queue).
worker: migrate
	DEBUG=1 $(BIN)/python manage.py run_worker

# Browser tests need Debian's Chromium; install it when we may (root), else they are skipped.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium saknas: webbläsartesterna hoppas över (sudo apt-get install chromium)."; fi; \
	fi

# The suite runs on every core (pytest-xdist, at most 4 workers; each has its own test database
# and its own live server, Chromium and OIDC provider). `make test PYTEST_WORKERS=0` runs it in
# one process, as needed for the closing notes that some modules print with -s.
# --dist load (never worksteal): each worker must run its tests in collection order, where
# pytest-django puts the transactional tests (which flush the regions and the målbild) last.
PYTEST_WORKERS ?= auto

test: install chromium
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist load $(PYTEST_ARGS)

# The benchmark's and load driver's self-tests (marked `bench`, left out of `make test`).
test-bench: install
	$(BIN)/pytest -m bench $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Benchmark on national-scale demo data (see BENCHMARKS.md). Without DATABASE_URL it uses its
# own SQLite file, so the development database keeps its demo scale. The JSON goes to stdout:
# `make -s bench > bench.json`.
BENCH_DATABASE_URL ?= $(if $(DATABASE_URL),$(DATABASE_URL),sqlite:///$(CURDIR)/bench.sqlite3)
BENCH_ARGS ?=

bench: install
	@DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0 >&2
	@DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py seed_demo --scale national >&2
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench $(BENCH_ARGS)

# Load test with Locust against gunicorn with production settings, one instance and then two
# (requests alternating): 50 users with 5-15 s think time for 120 s, then 60 s closed loop;
# every save checked in the database afterwards. Needs PostgreSQL; JSON to stdout:
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/malbild_last make -s loadtest > last.json
# Shorter: LOADTEST_ARGS="--instances 2 --runs stress --stress-duration 30"
LOADTEST_ARGS ?=

loadtest: install
	@$(BIN)/python loadtest/run.py $(LOADTEST_ARGS)

# Backup of the database and MEDIA_ROOT to one file, $(BACKUP_DIR)/malbild-<UTC time>.tar
# (PostgreSQL: pg_dump custom format; SQLite: the online backup API). README: "Drift".
BACKUP_DIR ?= backups

backup: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup_create --katalog $(BACKUP_DIR)

# Restore into an EMPTY database and MEDIA_ROOT, then check rows, files and the app:
# make restore FIL=backups/malbild-20261201T020000Z.tar
restore: install
	@test -n "$(FIL)" || { echo "Ange säkerhetskopian: make restore FIL=backups/malbild-….tar"; exit 2; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup_restore $(FIL)
