# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
ADDRESS ?= localhost
CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve test lint install install-test install-mutation browser bench mutation \
	mutation-report lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Both install the exact versions in requirements.lock. The stamp files are
# rebuilt whenever pyproject.toml or the lock changes.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-mutation: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-mutation: $(VENV)/.installed-mutation

# Browser tests use the system Chromium when there is one, else Playwright's own.
browser: install-test
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests use $(CHROMIUM)"; \
	else $(BIN)/python -m playwright install chromium; fi

run: install
	$(BIN)/python -m imu_geo.server run app.py --server.port $(PORT) \
		--server.address $(ADDRESS) --browser.gatherUsageStats false

# Headless, for serving to others behind the reverse proxy of deploy/nginx.conf
# (anti-framing headers, private metrics, a limit on uploads per client; see
# docs/reliability.md). Health check: GET /_stcore/health answers "ok".
serve: install
	@echo "Serving on $(ADDRESS):$(PORT). To serve others, keep it on localhost and put"
	@echo "nginx in front: copy deploy/nginx.conf to /etc/nginx/conf.d/imu-geo.conf"
	@echo "(upstream 127.0.0.1:8501), set server_name, reload nginx. docs/reliability.md"
	$(BIN)/python -m imu_geo.server run app.py --server.headless true \
		--server.port $(PORT) --server.address $(ADDRESS) \
		--browser.gatherUsageStats false --server.fileWatcherType none

# Re-pin every dependency to the newest versions pyproject.toml allows.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	build/lock-venv/bin/python -m pip install --quiet -e '.[test,spark]'
	{ echo "# Exact versions used by \`make run\` and \`make test\` (pip constraints)."; \
	  echo "# Regenerate with \`make lock\` after changing dependencies in pyproject.toml."; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	rm -rf build/lock-venv

lint: install-test
	$(BIN)/ruff check .

test: lint browser
	$(BIN)/python -m pytest

# Speed at 100k, 1M and 10M events, clustered and UCDP GED-shaped, against the
# targets of issue 12, the naive way and a saved run of the in-memory path; Spark
# at 1M; in Chromium, key press to map redrawn and every byte of a slider step at
# 1k, 100k and 1M events (issue 13); writes docs/performance.md. A quick run:
# make bench BENCH_ARGS="--sizes 1000 --big '' --browser-sizes 1000". Then the
# time to build pictures and animations; writes docs/render-performance.md.
BENCH_ARGS ?=
bench: browser
	$(BIN)/python benchmarks/engine.py --browser --spark $(BENCH_ARGS)
	$(BIN)/python benchmarks/render.py

# Mutation testing of the pure modules (not part of `make test`; it takes hours for
# them all): mutmut, niced, one module at a time, most important first, on
# MUTATION_JOBS cores; writes the scores to docs/testing.md. One module:
# make mutation MODULES=filters. The page alone: make mutation-report.
MODULES ?=
MUTATION_JOBS ?= 2
mutation: install-mutation
	MUTATION_JOBS=$(MUTATION_JOBS) $(BIN)/python scripts/mutation_report.py --run $(MODULES)

mutation-report:
	$(PYTHON) scripts/mutation_report.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts build static/points mutants
