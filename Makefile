# newsmon — the two commands: `make demo` and `make test`. Everything they need is set up here.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
export UV_LINK_MODE ?= copy

.PHONY: setup demo test bench lint clean-services

setup:  ## Install uv if missing and sync the locked environment (with the dev tools)
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --group dev

demo: setup  ## Provision Elasticsearch, start the replay site and SMTP sink, run the three DAGs, print a summary
	$(UV) run newsmon demo

test: setup  ## Run the whole suite (unit, DAG, extractor and integration tests on real services)
	$(UV) run pytest

bench: setup  ## Run the benchmarks and append their figures to BENCHMARKS.md
	$(UV) run python benchmarks/language.py --append BENCHMARKS.md

lint: setup
	$(UV) run ruff check newsmon extractors dags plugins tests benchmarks scripts

clean-services:  ## Stop the background Elasticsearch node and SMTP sink the demo started
	-$(UV) run newsmon es stop
	-$(UV) run newsmon smtp stop
