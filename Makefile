# Two entry points for a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, load the bundled example into db/claims.db, serve it on http://127.0.0.1:8001
#   make test   set up .venv with the test extras and run the whole test suite
#   make lint   ruff check and ruff format --check (CI runs it); make format applies them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8001
# The browser tests (tests/test_browser.py) drive Debian's Chromium, or CLAIMS_CHROMIUM; no browser is downloaded.
# When it is missing, `make test` installs it as root with apt-get (as on CI), or stops and says what to run.
CLAIMS_CHROMIUM ?=
export CLAIMS_CHROMIUM
CHROMIUM = $(or $(CLAIMS_CHROMIUM),$(shell command -v chromium 2>/dev/null),/usr/bin/chromium)
APT_GET ?= apt-get
ROOT ?= $(filter 0,$(shell id -u))

.PHONY: demo test lint format chromium serve bench bench-quick clean

demo: $(VENV)/.installed
	$(BIN)/claims demo --port $(PORT)

serve: $(VENV)/.installed
	$(BIN)/claims serve --port $(PORT)

test: chromium $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff (configured in pyproject.toml): lint and format; a finding fails CI.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check claims tests bench docs
	$(BIN)/ruff format --check claims tests bench docs

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix claims tests bench docs
	$(BIN)/ruff format claims tests bench docs

chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ -n "$(CLAIMS_CHROMIUM)" ]; then \
		echo "Error: CLAIMS_CHROMIUM=$(CLAIMS_CHROMIUM) is not an executable:" \
			"correct it, or unset it to use Debian's chromium" >&2; \
		exit 1; \
	elif [ -n "$(ROOT)" ] && command -v $(APT_GET) >/dev/null; then \
		echo "Installing Chromium for the browser tests: $(APT_GET) install chromium" >&2; \
		$(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq chromium >/dev/null; \
		[ -x "$(CHROMIUM)" ] || { echo "Error: $(APT_GET) install chromium gave no $(CHROMIUM)" >&2; exit 1; }; \
	elif command -v $(APT_GET) >/dev/null; then \
		echo "Error: the browser tests need Chromium: run 'sudo apt-get install chromium', then 'make test' again" >&2; \
		exit 1; \
	else \
		echo "Error: the browser tests need Chromium:" \
			"install it, then run 'CLAIMS_CHROMIUM=/path/to/chromium make test'" >&2; \
		exit 1; \
	fi

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
