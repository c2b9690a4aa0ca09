# The README's two commands: `make run` and `make test`.
PORT ?= 5000
# Links in mail lead here; set it to serve on another address.
PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
PYTHON ?= python3
# The suite on as many processes as there are cores (pytest-xdist); PYTEST_WORKERS= runs it in one.
PYTEST_WORKERS ?= -n auto
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test bench translations lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

# axe-core checks each page the browser tests visit against WCAG 2.1 A/AA (npm, not a CDN).
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --no-save --no-package-lock --prefix $(VENV)/npm axe-core@4

translations: $(VENV)/.run-installed
	$(BIN)/pybabel compile --directory translations --domain messages

run: $(VENV)/.run-installed translations
	$(FLASK) db upgrade
	PORTAL_BASE_URL='$(PORTAL_BASE_URL)' $(FLASK) demo load
	@echo "The portal runs on http://127.0.0.1:$(PORT)/ — Ctrl+C stops it."
	@echo "Mail is written to this log until MAIL_SERVER is set."
	PORTAL_BASE_URL='$(PORTAL_BASE_URL)' $(FLASK) outbox work --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORTAL_BASE_URL='$(PORTAL_BASE_URL)' $(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) \
		--access-logfile - wsgi:app

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive portal --severity-level medium

test: $(VENV)/.test-installed $(AXE) translations lint
	env -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_WORKERS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $${TEST_DATABASE_URL%%@*}@… =="; \
		$(BIN)/pytest $(PYTEST_WORKERS); \
	fi

# Not part of `make test`: 200,000 members, each page against the floor (bench/run.py says how).
bench: $(VENV)/.test-installed translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
