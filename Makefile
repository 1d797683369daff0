# Two entry points for a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, load the bundled example into db/claims.db, serve it on http://127.0.0.1:8001
#   make test   set up .venv with the test extras and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8001

.PHONY: demo test serve bench bench-quick clean

demo: $(VENV)/.installed
	$(BIN)/claims demo --port $(PORT)

serve: $(VENV)/.installed
	$(BIN)/claims serve --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "claims needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

bench-quick: $(VENV)/.installed
	$(BIN)/python bench/run.py --quick

clean:
	rm -rf $(VENV) db/*.db db/*.db-*
