"""Crawl figures: politeness overhead, the cost of a run with nothing new, peak memory.

The replay site (``ReplayServer``) answers every request after an injected latency; the five sources of
``config/sources.yaml``, fetched through it as a mirror, get ``min_delay_seconds`` from a per-source override
(``source_overrides``) and are crawled at once, one thread per source, by ``crawl_sources`` (what ``newsmon
crawl`` runs).

- **Crawl time / politeness bound**: the wall time of a first crawl (fresh state) divided by the busiest host's
  request count × its delay, the least time a polite crawler can take. The fetcher spaces the requests to one
  host (the real host: the replay site keeps it as the first path segment of the request). Goal: ≤ 1.15.
- **Second run**: the same crawl again with nothing new, counted from the server's request log. Goal: one
  conditional request per configured feed (plus robots.txt) and no article fetch.
- **Peak memory**: ``ru_maxrss`` of this process (the replay server runs in it too).

Usage: uv run python benchmarks/crawl.py [--latency 0.1] [--delay 0.3] [--runs 3] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from newsmon.crawl.crawler import CrawlReport, crawl_sources
from newsmon.devstack.replay import REPLAY_SOURCES, ReplayServer
from newsmon.settings import load_settings
from newsmon.sources import load_registry


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the server waits before answering")
    parser.add_argument("--delay", type=float, default=0.3, help="min_delay_seconds of every source")
    parser.add_argument("--runs", type=int, default=3, help="first crawls to time, each on a fresh state")
    parser.add_argument("--append", help="append the figures to this markdown file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="newsmon-bench-crawl-"))
    with ReplayServer("127.0.0.1", 0, latency=args.latency) as server:
        base = load_settings({}, sources_file=REPLAY_SOURCES, mirror_url=server.base_url, data_dir=work / "data-0",
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
    summary = (f"Time / bound: median **{statistics.median(ratios):.3f}**, worst {max(ratios):.3f} (goal ≤ 1.15). "
               "The bound counts a full delay for the last request too: the true floor is (requests − 1) × "
               f"delay + one latency = {floor / bound:.3f} of it.")
    second_run = (f"Second run with nothing new ({second_elapsed:.2f} s): **{len(log)} requests** for {feeds} "
                  "configured feeds/listings: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
                  + f"; {unchanged} articles reported unchanged, {sum(r.fetched for r in second.values())} "
                  "fetched (goal: one conditional request per feed, plus robots.txt, and no article fetch).")
    lines = [setup, "",
             "| first crawl | seconds | politeness bound (busiest host) | time / bound | requests | fetched |",
             "|---|---|---|---|---|---|", *rows, "", summary, "", second_run, "",
             f"Peak memory (ru_maxrss of the process, replay server included): **{peak_mb:.0f} MB**."]
    print("\n".join(lines))
    if args.append:
        command = (f"uv run python benchmarks/crawl.py --latency {args.latency:g} --delay {args.delay:g} "
                   f"--runs {args.runs}")
        with open(args.append, "a", encoding="utf-8") as out:
            out.write(f"\n## Crawl ({date.today()}, {os.cpu_count()} cores, shared and noisy machine)\n"
                      f"`{command}`\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
