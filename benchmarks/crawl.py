"""Crawl figures: politeness overhead, the cost of a run with nothing new, peak memory.

The replay site (``ReplayServer``) answers every request after an injected latency; the five sources of
``config/sources.yaml``, fetched through it as a mirror, get ``min_delay_seconds`` from a per-source override
(``source_overrides``) and are crawled at once, one thread per source, by ``crawl_sources`` (what ``newsmon
crawl`` runs).

- **Crawl time / politeness bound**: the wall time of a first crawl (fresh state) divided by the busiest host's
  request count × its delay, the least time a polite crawler can take. The fetcher spaces the requests to one
  host (the real host: the replay site keeps it as the first path segment of the request). Goal: ≤ 1.15.
- **Second run**: the same crawl again with nothing new, counted from the server's request log. Goal: one
  conditional request per configured feed (robots.txt read by the first run is reused) and no article fetch.
- **Peak memory**: ``ru_maxrss`` of this process (the replay server runs in it too).

``--append PATH`` writes (replaces) the section ``crawl`` of PATH.
Usage: uv run python benchmarks/crawl.py [--latency 0.1] [--delay 0.3] [--runs 3] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, environment_lines, figures_table, write_section

from newsmon.crawl.crawler import CrawlReport, crawl_sources
from newsmon.devstack.replay import REPLAY_SOURCES, ReplayServer
from newsmon.settings import load_settings
from newsmon.sources import load_registry

GOAL_RATIO = 1.15

def busiest_host(log) -> tuple[str, int]:
    """The real host (first path segment on the replay site) that got the most requests, and how many."""
    per_host = Counter(request.path.lstrip("/").split("/", 1)[0] for request in log)
    return per_host.most_common(1)[0]


def crawl_once(sources, settings) -> tuple[float, dict[str, CrawlReport]]:
    started = time.perf_counter()
    results = crawl_sources(sources, settings)
    elapsed = time.perf_counter() - started
    failed = {name: r for name, r in results.items() if not isinstance(r, CrawlReport)}
    if failed:
        sys.exit(f"crawl failed: {failed}")
    return elapsed, results


def figures(ratios: list[float], feeds: int, kinds: Counter, fetched: int, peak_mb: float) -> list[Figure]:
    """The headline figures: time / politeness bound (median and worst), the second run, peak memory.

    ``kinds`` counts the second run's requests: ``robots.txt``, ``conditional, <status>``, anything else."""
    median, worst = statistics.median(ratios), max(ratios)
    conditional = sum(n for kind, n in kinds.items() if kind.startswith("conditional"))
    others = sum(n for kind, n in kinds.items() if kind != "robots.txt" and not kind.startswith("conditional"))
    return [
        Figure(f"first crawl time / politeness bound, median of {len(ratios)}", f"{median:.3f}",
               f"≤ {GOAL_RATIO}", median <= GOAL_RATIO),
        Figure(f"first crawl time / politeness bound, worst of {len(ratios)}", f"{worst:.3f}",
               f"≤ {GOAL_RATIO}", worst <= GOAL_RATIO),
        Figure("second crawl, nothing new: conditional requests (feeds) / other requests / articles fetched",
               f"{conditional} ({feeds}) / {others} / {fetched}",
               "1 per feed / 0 / 0", conditional == feeds and others == 0 and fetched == 0),
        Figure("crawl peak memory (MB, replay server included)", f"{peak_mb:.0f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the server waits before answering")
    parser.add_argument("--delay", type=float, default=0.3, help="min_delay_seconds of every source")
    parser.add_argument("--runs", type=int, default=3, help="first crawls to time, each on a fresh state")
    parser.add_argument("--append", help="write (replace) the section 'crawl' of this markdown file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="newsmon-bench-crawl-"))
    with ReplayServer("127.0.0.1", 0, latency=args.latency) as server:
        # The crawl state on disk (the files store): this measures politeness, not the state store (see
        # sources_per_cycle.py for crawls with the state in Elasticsearch).
        base = load_settings({}, sources_file=REPLAY_SOURCES, mirror_url=server.base_url, data_dir=work / "data-0",
                             state_store="files",
                             source_overrides={"*": {"politeness": {"min_delay_seconds": args.delay}}})
        sources = list(load_registry(base))
        feeds = sum(len(s.feeds) + len(s.listings) for s in sources)
        rows, ratios = [], []
        for run in range(1, args.runs + 1):
            settings = base.model_copy(update={"data_dir": work / f"data-{run}"})
            server.reset_requests()
            elapsed, reports = crawl_once(sources, settings)
            log = server.requests
            logged = len(log)
            host, requests = busiest_host(log)
            bound = requests * args.delay
            ratios.append(elapsed / bound)
            floor = (requests - 1) * args.delay + args.latency
            rows.append(f"| {run} | {elapsed:.2f} | {host}: {requests} × {args.delay:g} s = "
                        f"{bound:.2f} | **{elapsed / bound:.3f}** | {sum(r.requests for r in reports.values())} "
                        f"({logged} logged) | {sum(r.fetched for r in reports.values())} |")
        # A second run on the last state, with nothing new.
        server.reset_requests()
        second_elapsed, second = crawl_once(sources, settings)
        log = server.requests
        kinds = Counter()
        for request in log:
            if request.path.endswith("/robots.txt"):
                kinds["robots.txt"] += 1
            elif "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
                kinds["conditional, 304" if request.status == 304 else f"conditional, {request.status}"] += 1
            else:
                kinds["other (article or unconditional)"] += 1
        unchanged = sum(r.unchanged for r in second.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes

    setup = (f"Replay site with {args.latency * 1000:.0f} ms injected latency per request; every source "
             f"`min_delay_seconds: {args.delay:g}`; the five sources crawled at once (one thread each, as "
             "`newsmon crawl` does). The politeness bound is the busiest host's requests × its delay; the "
             "fetcher spaces requests per network location, and on the replay site all of a source's hosts "
             "share 127.0.0.1:port, so each source counts as one host.")
    fetched = sum(r.fetched for r in second.values())
    summary = (f"Time / bound: median **{statistics.median(ratios):.3f}**, worst {max(ratios):.3f} "
               f"(goal ≤ {GOAL_RATIO}). "
               "The bound counts a full delay for the last request too: the true floor is (requests − 1) × "
               f"delay + one latency = {floor / bound:.3f} of it.")
    second_run = (f"Second run with nothing new ({second_elapsed:.2f} s): **{len(log)} requests** for {feeds} "
                  "configured feeds/listings: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
                  + f"; {unchanged} articles reported unchanged, {fetched} "
                  "fetched (goal: one conditional request per feed and no article fetch; robots.txt read by the first run "
                  "is reused for robots_cache_minutes).")
    lines = [*environment_lines("crawl.py"), "", figures_table(figures(ratios, feeds, kinds, fetched, peak_mb)), "",
             setup, "",
             "| first crawl | seconds | politeness bound (busiest host) | time / bound | requests | fetched |",
             "|---|---|---|---|---|---|", *rows, "", summary, "", second_run, "",
             f"Peak memory (ru_maxrss of the process, replay server included): **{peak_mb:.0f} MB**."]
    body = "\n".join(lines)
    print(body)
    if args.append:
        write_section(args.append, "crawl", "Crawl", body)


if __name__ == "__main__":
    main()
