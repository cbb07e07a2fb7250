# cutover-kit: every install step lives here. `make report` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data/rehearsals

.PHONY: setup bytecode report test lint typecheck bench bench-scale sample-data chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) bytecode

# The kit's compiled modules, written ahead: an editable install never writes them itself when
# PYTHONDONTWRITEBYTECODE is set, and then every notebook kernel compiles the kit's ~100 modules
# from source again (about 0.08 s of CPU per report on the reference machine).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q cutover_kit

# The session report of the latest rehearsal (reports/<its id>/) and the trend review of the
# whole history (reports/trend/); prints the path of each HTML page.
report: $(STAMP) bytecode
	$(BIN)/cutover-kit report $(DATA_DIR) --session latest --quiet
	$(BIN)/cutover-kit trend $(DATA_DIR) --quiet

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy --strict over the package (settings in pyproject.toml); `make test` runs it too.
typecheck: $(STAMP)
	$(BIN)/python -m mypy

bench: $(STAMP) bytecode
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/verdict_scaling.py
	$(BIN)/python benchmarks/capture_overhead.py
	$(BIN)/python benchmarks/report_speed.py
	$(BIN)/python benchmarks/scale.py --rehearsals 100 300

# Minutes, and about 1.5 GB of generated files in /tmp while it runs (deleted afterwards).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py --rehearsals 1000 3000 10000 --rounds 3

# Headless Chromium (Debian package) for the browser check of the report pages.
chromium:
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)

sample-data: $(STAMP)
	$(BIN)/cutover-kit sample-data $(DATA_DIR)

clean:
	rm -rf $(VENV) reports/*
