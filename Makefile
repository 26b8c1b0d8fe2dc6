# mle-track: `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MLE := $(BIN)/mle-track
STAMP := $(VENV)/.installed-stamp
DATA ?= $(or $(MLE_TRACK_DATA_DIR),$(HOME)/.cache/mle-track/data)
PYTEST_ARGS ?=

.PHONY: demo test check lint format typecheck clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(MLE) prepare --suite practice --data-dir $(DATA)
	@mkdir -p .demo
	@for c in $$($(MLE) list --suite practice --ids); do \
	  echo "{\"competition_id\": \"$$c\", \"submission_path\": \"$(DATA)/$$c/prepared/public/sample_submission.csv\"}"; \
	  echo "{\"competition_id\": \"$$c\", \"submission_path\": \"$(DATA)/$$c/prepared/private/test.csv\"}"; \
	done > .demo/submissions.jsonl
	$(MLE) grade --submission .demo/submissions.jsonl --output-dir .demo --data-dir $(DATA)
	@echo
	@echo "Graded each practice competition's sample submission (no medal) and its answers (gold)."
	@echo "Prepared data: $(DATA)    Grading report: .demo/*_grading_report.json"
	@echo "Try: $(MLE) list    $(MLE) grade-sample FILE.csv COMPETITION_ID"

test: $(STAMP)
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy mle_track

check: lint typecheck test

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
