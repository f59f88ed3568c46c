PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install warm run test test-all test-exhaustive lint typecheck contracts bench bench-sweep data docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory warm
	touch $(STAMP)

# What the first command after an install would otherwise pay for: the compact form of the
# bundled network (checked against its files on every load) and numba's on-disk cache of the
# simulation kernel (compiled once here instead of in the user's first `corridor simulate`).
warm:
	$(BIN)/python -c "from corridor.network.bundled import write_compact; write_compact()"
	$(BIN)/corridor simulate baseline-2024 --days 2 > /dev/null

install: $(STAMP)

run: $(STAMP)
	$(BIN)/corridor compare "Xi'an" Istanbul
	$(BIN)/corridor compare Qingdao Baku
	$(BIN)/corridor compare Chongqing Duisburg
	$(BIN)/corridor serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

# `make test`: the quick tier, in minutes, on every core (pytest-xdist). `make test-all`: also
# the slow end-to-end tests (server processes, browsers, Dask clusters, real simulations, the
# README examples) and the exhaustive checks (every pair of places, long Schemathesis runs).
# CI runs `make test` then `make test-exhaustive` (the tests make test leaves out): all of them.
PYTEST_PARALLEL := -n auto --dist worksteal

test: lint typecheck contracts
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow"

test-all: lint typecheck contracts
	$(BIN)/pytest $(PYTEST_PARALLEL) --exhaustive

test-exhaustive: $(STAMP)
	$(BIN)/pytest $(PYTEST_PARALLEL) --exhaustive -m "slow or exhaustive or fuzz"

bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/routing.py
	$(BIN)/python benchmarks/transit.py
	$(BIN)/python benchmarks/select_values.py
	$(BIN)/python benchmarks/simulation_vs_simpy.py --days 365 --json
	$(BIN)/python benchmarks/sweep_scaling.py
	$(BIN)/python benchmarks/equilibrium.py
	$(BIN)/python benchmarks/api_load.py
	$(BIN)/python benchmarks/eta_update.py

# Dask sweep scaling alone, 1 -> 2 local workers (median of 3 repeats; run it on an idle machine)
bench-sweep: $(STAMP)
	$(BIN)/python benchmarks/sweep_scaling.py --repeats 3

data: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_data.py
	$(BIN)/python scripts/build_geometry.py
	$(BIN)/python scripts/build_native_names.py
	$(BIN)/python -c "from corridor.network.bundled import write_compact; write_compact()"

docs: $(STAMP)
	$(BIN)/python scripts/make_docs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
