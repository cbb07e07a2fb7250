# cutover-kit: every install step lives here. `make report` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data/rehearsals

.PHONY: setup report test lint bench sample-data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

report: $(STAMP)
	mkdir -p reports
	$(BIN)/cutover-kit validate $(DATA_DIR)
	$(BIN)/cutover-kit validate $(DATA_DIR) --format json > reports/validate.json
	$(BIN)/cutover-kit verdict $(DATA_DIR) --session latest
	$(BIN)/cutover-kit verdict $(DATA_DIR) --session latest --format json > reports/verdict.json
	$(BIN)/cutover-kit gates $(DATA_DIR) --session latest --junit reports/gates.xml

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/verdict_scaling.py
	$(BIN)/python benchmarks/capture_overhead.py

sample-data: $(STAMP)
	$(BIN)/cutover-kit sample-data $(DATA_DIR)

clean:
	rm -rf $(VENV) reports/*.html reports/*.json reports/*.md reports/*.xml
