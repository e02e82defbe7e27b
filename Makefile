# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= instance/demo.db
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test test-quick lint format bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

# Debian's chromium for the browser tests; Playwright never downloads a browser here.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium

demo: $(VENV)/.installed
	$(BIN)/sensemaker --db $(DB) demo

test: $(VENV)/.installed-test $(CHROMIUM)
	SENSEMAKER_CHROMIUM=$(CHROMIUM) $(BIN)/pytest

test-quick: $(VENV)/.installed-test
	$(BIN)/pytest -m "not browser and not slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sensemaker tests bench
	$(BIN)/ruff format --check sensemaker tests bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format sensemaker tests bench
	$(BIN)/ruff check --fix sensemaker tests bench

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/capture.py
	$(BIN)/python bench/capture_parts.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/workshop.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/datasets.py
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) instance/*.db instance/*.db-wal instance/*.db-shm
