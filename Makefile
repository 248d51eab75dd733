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

bench: setup  ## Run every benchmark and append its figures to BENCHMARKS.md (takes a while; machine must be quiet)
	$(UV) run python benchmarks/extraction.py --fundus --append BENCHMARKS.md
	$(UV) run python benchmarks/language.py --kinds all --append BENCHMARKS.md
	$(UV) run python benchmarks/matching.py --append BENCHMARKS.md
	$(UV) run python benchmarks/matching.py --held-out --append BENCHMARKS.md
	$(UV) run python benchmarks/index.py --append BENCHMARKS.md
	$(UV) run python benchmarks/crawl.py --latency 0.1 --delay 0.3 --runs 5 --append BENCHMARKS.md
	$(UV) run python benchmarks/alerts.py --rules 1000 --articles 2000 --append BENCHMARKS.md

lint: setup
	$(UV) run ruff check newsmon extractors dags plugins tests benchmarks scripts

clean-services:  ## Stop the background Elasticsearch node and SMTP sink the demo started
	-$(UV) run newsmon es stop
	-$(UV) run newsmon smtp stop
