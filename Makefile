# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install system-deps clean cluster cluster-down cluster-status

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

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -p no:cacheprovider --durations=15

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

# Tesseract with Norwegian data, so scanned pages are OCR'd, Chromium for the web UI's
# browser tests, and Java 17 with Maven for the engine tests' local OpenSearch cluster
# (Debian/Ubuntu; needs root). Idempotent: installs only what is missing.
system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx nor; then \
	  apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-nor; fi
	@if ! command -v chromium >/dev/null 2>&1; then \
	  apt-get update -qq && apt-get install -y -qq chromium chromium-driver; fi
	@if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then \
	  apt-get update -qq && apt-get install -y -qq maven openjdk-17-jdk-headless; fi

clean:
	rm -rf $(VENV) build *.egg-info
