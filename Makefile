# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
ADDRESS ?= localhost
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint install install-test browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files are rebuilt whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Browser tests use the system Chromium when there is one, else Playwright's own.
browser: install-test
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests use $(CHROMIUM)"; \
	else $(BIN)/python -m playwright install chromium; fi

run: install
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) \
		--server.address $(ADDRESS) --browser.gatherUsageStats false

lint: install-test
	$(BIN)/ruff check .

test: lint browser
	$(BIN)/python -m pytest

# Speed at 1k, 100k and 1M events against the naive way; writes docs/performance.md.
bench: browser
	$(BIN)/python benchmarks/scale.py --browser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts build static/points
