# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml i18n/locale/nb/LC_MESSAGES/hparkiv.po
	$(BIN)/pip install -q -e '.[test,bench]'
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

# Tesseract with Norwegian data, so scanned pages are OCR'd, and Chromium for the web UI's
# browser tests (Debian/Ubuntu; needs root). Idempotent: installs only what is missing.
system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx nor; then \
	  apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-nor; fi
	@if ! command -v chromium >/dev/null 2>&1; then \
	  apt-get update -qq && apt-get install -y -qq chromium chromium-driver; fi

clean:
	rm -rf $(VENV) build *.egg-info
