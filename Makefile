# Alongside: `make run` for the demo, `make test` for the suite.
# Needs Python 3.11 and, for PDFs (WeasyPrint), the system libraries Pango and
# HarfBuzz's subset library. On Debian/Ubuntu:
#   sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# (`make system-packages` does that when run as root.) Browser tests also need
# Debian's `chromium`; without it they are skipped, and say so.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run test e2e guide lint check-system system-packages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=…)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

check-system:
	@missing=""; for lib in $(SYSTEM_LIBS); do \
	  /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Missing system libraries for PDF certificates:$$missing"; \
	  echo "Install them with: sudo apt-get install $(SYSTEM_PACKAGES)  (or: sudo make system-packages)"; \
	  exit 1; fi

system-packages:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)

run: $(STAMP) check-system
	DEBUG=1 MFA_REQUIRED=0 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 MFA_REQUIRED=0 $(PY) manage.py seed_demo
	@echo "Demo: two-factor sign-in is switched off (MFA_REQUIRED=0). Never do this in production."
	@echo "Serving on http://127.0.0.1:8000  (staff workspace: http://127.0.0.1:8000/admin/)"
	DEBUG=1 MFA_REQUIRED=0 $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) check-system
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v 0 \
	  || { echo "Models changed without a migration."; exit 1; }
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -q -m "not e2e"
	@$(MAKE) --no-print-directory e2e

e2e: $(STAMP)
	@if [ ! -d tests/e2e ]; then echo "Browser tests: none yet."; \
	elif [ -x /usr/bin/chromium ] && $(PY) -c "import playwright" 2>/dev/null; then \
	  $(PY) -m pytest -m e2e tests/e2e; \
	else \
	  echo "Browser tests SKIPPED: they need Debian's chromium (apt-get install chromium) and Playwright (pip install -e \".[dev]\")."; \
	fi

# The user guide's screenshots, taken by the browser journeys from the current code.
guide: $(STAMP)
	@[ -x /usr/bin/chromium ] || { echo "The guide's screenshots need Debian's chromium."; exit 1; }
	ALONGSIDE_GUIDE_SCREENSHOTS=docs/guide/images $(PY) -m pytest -m e2e tests/e2e

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media private static
