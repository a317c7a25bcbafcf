# Newsroom: `make run` to browse it, `make test` to prove it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: install run worker test fmt seed clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Newsroom needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

seed: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddata seed

# The server and, beside it, the background worker that sends alerts and advance copies
# (newsroom/distribution); both stop together.
run: seed
	$(BIN)/python manage.py distribution_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

# The worker alone (production runs one or more beside the app servers).
worker: install
	$(BIN)/python manage.py distribution_worker

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# 100,000 items behind gunicorn, measured with wrk (apt-get install -y wrk) on SQLite and
# PostgreSQL (127.0.0.1:5432); writes docs/benchmarks.md. `bench/` is a directory, hence .PHONY.
.PHONY: bench
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/alerts.py
