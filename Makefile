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
	$(BIN)/pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.search

# Tesseract with Norwegian data, so scanned pages are OCR'd (Debian/Ubuntu; needs root).
system-deps:
	apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-nor

clean:
	rm -rf $(VENV) build *.egg-info
