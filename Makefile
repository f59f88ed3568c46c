PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck contracts bench data clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

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

test: lint typecheck contracts
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/routing.py
	$(BIN)/python benchmarks/transit.py
	$(BIN)/python benchmarks/select_values.py
	$(BIN)/python benchmarks/simulation_vs_simpy.py --days 365 --json
	$(BIN)/python benchmarks/sweep_scaling.py
	$(BIN)/python benchmarks/api_load.py
	$(BIN)/python benchmarks/eta_update.py

data: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_data.py
	$(BIN)/python scripts/build_native_names.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
