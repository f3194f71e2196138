# Qinqing: `make run` starts the platform, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := shared identity-svc catalog-svc subsidy-svc credit-svc payment-svc gateway deploy/devtools
DEV_TOOLS := pytest pytest-asyncio ruff mypy testcontainers py-spy schemathesis mutmut \
	kubernetes-validate types-PyYAML standardwebhooks openapi-python-client \
	playwright axe-playwright-python
STAMP := $(VENV)/.installed
# the browser tests drive Debian's Chromium (never a downloaded browser), with a font
# that has the Chinese pages' characters
BROWSER := /usr/bin/chromium

.PHONY: install run test test-unit test-e2e lint demo-data events-doc clean bench bench-city chaos reconcile profile mutate compose-wheels compose-test sdk

install: $(STAMP)

# the typed client of the gateway's API, generated (make sdk): for the example app's test
SDK := deploy/sdk/python/qinqing-client

$(STAMP): constraints.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml) $(SDK)/setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		$(foreach p,$(PACKAGES),-e $(p)) -e $(SDK) $(DEV_TOOLS)
	touch $(STAMP)

run: install
	$(PY) -m qinqing_devtools.run

test: install $(BROWSER)
	$(PY) -m pytest

$(BROWSER):
	@echo "installing Debian's chromium and a CJK font for the browser tests"
	apt-get install -y -q chromium fonts-wqy-microhei >/dev/null \
		|| (apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-wqy-microhei >/dev/null) \
		|| sudo apt-get install -y -q chromium fonts-wqy-microhei

test-unit: install
	$(PY) -m pytest tests/unit

test-e2e: install
	$(PY) -m pytest tests/e2e

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

events-doc: install  # the AsyncAPI document and event schemas, from the event registry
	$(PY) -m qinqing_shared.asyncapi docs/events

demo-data: install
	$(PY) -m qinqing_devtools.demo var/demo-city.json

# The long fault run (about 30 min on two cores): CHAOS_ARGS="--applications 2000" for less.
chaos: install
	$(PY) -m qinqing_devtools.chaos_main $(CHAOS_ARGS)

# Reconcile the platform that `make run` started (payment-svc on its default port).
reconcile: install
	PAYMENT_DATABASE_URL=sqlite+aiosqlite:///var/payment_svc.db PAYMENT_BANK_URL=http://127.0.0.1:8009 \
		PAYMENT_BANK_API_KEY="$$(cat var/secrets/bank-api-key)" $(VENV)/bin/payment-svc reconcile

# The instant flow against its reference chain, PostgreSQL then SQLite (under 10 min).
bench: install
	$(PY) -m qinqing_devtools.bench.main $(BENCH_ARGS)

# Cities of growing size decided and paid by one proactive policy, on PostgreSQL
# (docs/benchmarks.md): CITY_ARGS="--sizes 1000 10000" for others.
bench-city: install
	$(PY) -m qinqing_devtools.bench.city $(CITY_ARGS)

# Mutation testing of the money path (mutmut), one group of modules at a time, with the
# per-module table (docs/testing.md); MUTATE_ARGS="saga eligibility" for some, --write.
mutate: install
	$(PY) -m qinqing_devtools.mutate.main $(MUTATE_ARGS)

# Where each service spends its CPU under load (py-spy); PROFILE_ARGS=--postgres etc.
profile: install
	$(PY) -m qinqing_devtools.bench.profile $(PROFILE_ARGS)

# The typed Python client of the gateway's API, generated again from its OpenAPI
# document (a test fails while the committed one is stale).
sdk: install
	$(PY) -m qinqing_devtools.sdk

# The compose stack's Python packages, built here for an air-gapped image build
# (deploy/docker/Dockerfile installs from var/wheelhouse only).
WHEELHOUSE := var/wheelhouse
compose-wheels: install
	rm -rf $(WHEELHOUSE)
	$(PY) -m pip wheel --quiet --disable-pip-version-check -c constraints.txt \
		-w $(WHEELHOUSE) $(foreach p,$(PACKAGES),./$(p))
	rm -rf $(foreach p,$(PACKAGES),$(p)/build)  # setuptools' leftovers: never stale code

# The compose stack built and run for real (needs a Docker engine: DOCKER_HOST): golden
# flow, kills under load, backup and restore into a fresh stack (docs/deploy.md).
compose-test: compose-wheels
	$(PY) -m qinqing_devtools.compose_test $(COMPOSE_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
