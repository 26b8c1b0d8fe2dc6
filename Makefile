# mle-track: `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MLE := $(BIN)/mle-track
STAMP := $(VENV)/.installed-stamp
DATA ?= $(or $(MLE_TRACK_DATA_DIR),$(HOME)/.cache/mle-track/data)
PYTEST_ARGS ?=

.PHONY: demo test check lint format typecheck imports clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(MLE) prepare --suite practice --data-dir $(DATA)
	$(MLE) run -m agent=dummy,baseline suite=practice compute=demo tracking.experiment=demo \
	  hydra/launcher=local-parallel data_dir=$(DATA)
	@$(BIN)/python -c 'from mle_track.sandbox.registry import describe_isolation as d; \
	  print(d("local", trusted=True))'
	$(MLE) report --experiment demo --output-dir .demo
	$(MLE) register --experiment demo --name mle-track-demo --allow-unisolated
	@echo
	@echo "Attempts: ./runs/   MLflow store: ./mlruns/   Report and plots: .demo/"
	@echo "Open the MLflow UI with:  $(MLE) ui    (then http://127.0.0.1:5000)"

test: $(STAMP)
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy mle_track

# the layer contract in pyproject.toml ([tool.importlinter])
imports: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo

check: lint typecheck imports test

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
