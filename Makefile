# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench install system-deps need-system-deps clean cluster cluster-down cluster-status

# The test suite runs in parallel: one pytest-xdist worker per core (`make test TEST_WORKERS=4`
# to choose), a test module at a time, so a module's own fixtures are built once. What several
# modules share (the sample sites, one full update) is built once per run (tests/conftest.py).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

# The Debian packages the tests need: Tesseract with Norwegian data (OCR of scanned pages),
# Debian's Chromium with its driver (the web UI's browser tests), and Java 17 with Maven (the
# engine tests' local OpenSearch cluster). Prints the missing ones.
MISSING_SYSTEM_DEPS = m=""; \
	{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nor; } \
	  || m="$$m tesseract-ocr tesseract-ocr-nor"; \
	command -v chromium >/dev/null 2>&1 || m="$$m chromium"; \
	command -v chromedriver >/dev/null 2>&1 || m="$$m chromium-driver"; \
	command -v mvn >/dev/null 2>&1 || m="$$m maven"; \
	command -v javac >/dev/null 2>&1 || m="$$m openjdk-17-jdk-headless"; \
	echo $$m

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml i18n/locale/nb/LC_MESSAGES/hparkiv.po
	$(BIN)/pip install -q -e '.[test,bench,opensearch]'
	$(BIN)/pybabel -q compile -d i18n/locale -D hparkiv
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hparkiv demo

lint: $(STAMP)
	$(BIN)/ruff check .

# Everything, the slow end-to-end tests included (the 15 slowest are listed, to keep the time in view).
test: need-system-deps $(STAMP)
	$(BIN)/ruff check .
	$(PYTEST) --durations=15

# The quick loop while working: all but the tests marked `slow`.
test-fast: need-system-deps $(STAMP)
	$(BIN)/ruff check .
	$(PYTEST) -m "not slow"

bench: $(STAMP)
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.tables
	$(BIN)/python -m bench.web

# A local OpenSearch cluster (2 data nodes, 1 manager-only node, 127.0.0.1) for the engine's
# tests and bench/engine.py; needs Java 17 and Maven, never needed by `make demo`. Its state
# lives in .cache/opensearch/cluster; `python3 -m jobs.cluster env` prints the variables the
# tests read (HPARKIV_OPENSEARCH_URL, HPARKIV_CLUSTER_DIR).
cluster:
	$(PYTHON) -m jobs.cluster up

cluster-down:
	$(PYTHON) -m jobs.cluster down

cluster-status:
	$(PYTHON) -m jobs.cluster status

# Installs the missing system packages (Debian/Ubuntu; needs root). Idempotent: with nothing
# missing it changes nothing and asks apt nothing.
system-deps:
	@missing="$$($(MISSING_SYSTEM_DEPS))"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Before any test: as root, install what is missing (as CI does); otherwise stop at once and say
# the one command to run.
need-system-deps:
	@missing="$$($(MISSING_SYSTEM_DEPS))"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory system-deps; \
	  else echo "The tests need system packages that are missing:$$missing" >&2; \
	       echo "Run:  sudo make system-deps" >&2; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info
