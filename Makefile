# Alongside: `make run` for the demo, `make test` for the suite.
# Needs Python 3.11. The system packages (Pango and HarfBuzz's subset library for PDF
# certificates; Chromium and redis-server for the tests) are listed once, in
# bin/system-packages: both targets install what is missing when run as root or where
# `sudo -n` works, and otherwise print the one command to run.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: run test e2e guide lint system-run system-test clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=…)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

system-run:
	@bin/system-packages run

system-test:
	@bin/system-packages test

run: system-run $(STAMP)
	DEBUG=1 MFA_REQUIRED=0 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 MFA_REQUIRED=0 $(PY) manage.py seed_demo
	@echo "Demo: two-factor sign-in is switched off (MFA_REQUIRED=0). Never do this in production."
	@echo "Serving on http://127.0.0.1:8000  (staff workspace: http://127.0.0.1:8000/admin/)"
	DEBUG=1 MFA_REQUIRED=0 $(PY) manage.py runserver 127.0.0.1:8000

test: system-test $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v 0 \
	  || { echo "Models changed without a migration."; exit 1; }
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -q -m "not e2e"
	@$(MAKE) --no-print-directory e2e

e2e: $(STAMP)
	@if [ ! -d tests/e2e ]; then echo "Browser tests: none yet."; \
	elif [ -x "$(CHROMIUM)" ] && $(PY) -c "import playwright" 2>/dev/null; then \
	  $(PY) -m pytest -m e2e tests/e2e; \
	else \
	  echo "Browser tests SKIPPED: they need Debian's chromium (apt-get install chromium) and Playwright (pip install -e \".[dev]\")."; \
	fi

# The user guide's screenshots, taken by the browser journeys from the current code.
guide: $(STAMP)
	@[ -x "$(CHROMIUM)" ] || { echo "The guide's screenshots need Debian's chromium."; exit 1; }
	ALONGSIDE_GUIDE_SCREENSHOTS=docs/guide/images $(PY) -m pytest -m e2e tests/e2e

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media private static
