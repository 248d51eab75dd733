# newsmon — the two commands: `make demo` and `make test`. Everything they need is set up here.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
export UV_LINK_MODE ?= copy

.PHONY: setup browser servers demo test bench lint clean-services

setup:  ## Install uv if missing and sync the locked environment (with the dev tools)
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --group dev

browser:  ## Debian packages the tests use: Chromium (Playwright drives /usr/bin/chromium; it never downloads one), DejaVu fonts (the OpSour PDF script)
	@{ command -v chromium && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf ]; } >/dev/null 2>&1 || { \
		echo "installing Debian's chromium and DejaVu font packages for the tests (needs root or sudo) …"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		PACKAGES="chromium fonts-dejavu-core fonts-dejavu-extra"; \
		$$SUDO apt-get install -y -q $$PACKAGES >/dev/null || \
		{ $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q $$PACKAGES >/dev/null; }; }
	@chromium --version

servers:  ## Debian's Redis and PostgreSQL, which the distributed tests start as plain processes (tests/distributed/)
	@{ command -v redis-server && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || { \
		echo "installing Debian's redis-server and postgresql packages for the tests (needs root or sudo) …"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		PACKAGES="redis-server postgresql"; \
		$$SUDO apt-get install -y -q $$PACKAGES >/dev/null || \
		{ $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q $$PACKAGES >/dev/null; }; }
	@redis-server --version && ls /usr/lib/postgresql/*/bin/initdb

demo: setup  ## Provision Elasticsearch, start the replay site and SMTP sink, run the three DAGs, print a summary
	$(UV) run newsmon demo

test: setup browser servers  ## Run the whole suite (unit, DAG, extractor and integration tests on real services)
	$(UV) run pytest

bench: setup servers  ## Run every benchmark, each replacing its own section of BENCHMARKS.md, then print one report (~60 min on 2 cores)
	$(UV) run python benchmarks/extraction.py --fundus --append BENCHMARKS.md
	$(UV) run python benchmarks/language.py --kinds all --limit 300 --append BENCHMARKS.md
	$(UV) run python benchmarks/matching.py --set dev --append BENCHMARKS.md
	$(UV) run python benchmarks/matching.py --set held-out --append BENCHMARKS.md
	$(UV) run python benchmarks/matching.py --set blind --append BENCHMARKS.md
	$(UV) run python benchmarks/crawl.py --latency 0.1 --delay 0.3 --runs 5 --append BENCHMARKS.md
	$(UV) run python benchmarks/index.py --docs 50000 --append BENCHMARKS.md
	$(UV) run python benchmarks/alerts.py --rules 1000 --articles 2000 --append BENCHMARKS.md
	$(UV) run python benchmarks/events.py --synthetic 2000 --append BENCHMARKS.md
	$(UV) run python benchmarks/processing.py --rounds 2 --workers 1 2 4 --append BENCHMARKS.md
	$(UV) run python benchmarks/airflow_overhead.py --parses 5 --runs 2 --append BENCHMARKS.md
	$(UV) run python benchmarks/alert_latency.py --trials 3 --append BENCHMARKS.md
	$(UV) run python benchmarks/sources_per_cycle.py --sources 1000 --cycles 3 --append BENCHMARKS.md
	$(UV) run python benchmarks/sources_per_cycle.py --sources 1000 --cycles 3 --executor celery --append BENCHMARKS.md
	$(UV) run python benchmarks/celery_pipeline.py --append BENCHMARKS.md
	$(UV) run python benchmarks/report.py

lint: setup
	$(UV) run ruff check newsmon extractors dags plugins tests benchmarks scripts

clean-services:  ## Stop the background Elasticsearch node, SMTP sink and Airflow UI the demo started
	-$(UV) run newsmon ui stop
	-$(UV) run newsmon es stop
	-$(UV) run newsmon smtp stop
