# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean image-test config-docs gallery

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.runtime $@

## run: create the virtualenv, install, serve on http://127.0.0.1:8000 with embedded defaults
run: $(VENV)/.runtime
	$(BIN)/chartographer serve

## lint: ruff (lint + format check) and mypy on src
lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/hadolint --failure-threshold warning Dockerfile

## test: lint, then the whole suite with the branch-coverage gate (95 %)
test: lint
	$(BIN)/pytest --cov --cov-report=term

## bench: run the benchmarks (prints medians and ratios; never part of `make test`)
# BENCH_BASE: the landed server at 1ec397e in its own worktree and venv, the
# baseline that bench.server runs beside this tree (created on first use).
BENCH_BASE ?= .bench/base
BENCH_COMMIT := 1ec397e
bench: $(VENV)/.dev $(BENCH_BASE)/.venv/.ready
	$(BIN)/python -m bench.charts --rounds 9
	$(BIN)/python -m bench.charts --rounds 5 --cold
	$(BIN)/python -m bench.server --base $(BENCH_BASE)
	$(BIN)/python -m bench.canvas --rounds 100
	$(BIN)/python -m bench.maps
	$(BIN)/python -m bench.access
	$(BIN)/python -m bench.rediscounts

## image-test: build the Dockerfile on a Debian base made with mmdebstrap and run it (needs root)
image-test:
	.ci/image-test

## config-docs: regenerate docs/configuration.md from Settings (tests keep it in sync)
config-docs: $(VENV)/.runtime
	$(BIN)/python -m chartographer.configdoc > docs/configuration.md

## gallery: redraw docs/gallery.md and docs/img/gallery/ with the service itself (tests keep it in sync)
gallery: $(VENV)/.runtime
	$(BIN)/python -m chartographer.gallery docs

$(BENCH_BASE)/.venv/.ready:
	test -d $(BENCH_BASE) || git worktree add --detach $(BENCH_BASE) $(BENCH_COMMIT)
	$(PYTHON) -m venv $(BENCH_BASE)/.venv
	$(BENCH_BASE)/.venv/bin/pip install -q -e $(BENCH_BASE)
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
