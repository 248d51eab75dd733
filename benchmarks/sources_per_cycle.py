"""Sources per poll cycle: how many sources one ``news_fast`` run polls within its 3-minute interval, under a real
Airflow scheduler on this machine, and what an unchanged source costs on the wire.

A small HTTP server of its own on loopback serves N generated sources (``gen0001.bench.example`` …, each its own
host, reached through it as a mirror): per host a ``robots.txt``, an RSS feed with one article (``ETag`` and
``Last-Modified``; a matching ``If-None-Match`` or ``If-Modified-Since`` gets ``304``) and the article page. Every
request is counted by host, kind and status, with its time. The crawl state, queue and locks are in Elasticsearch
(the default ``state_store``), the politeness settings are the defaults (1 s between two requests to a host).

``news_fast`` is the only DAG unpaused (``news_process`` stays paused: the pages queued by the first cycle wait),
and it runs on its own schedule, every 3 minutes: the first cycle finds every feed new (robots.txt, the feed and
its article per source), the next ones find them unchanged. For each cycle: its run's duration (start to end, as
Airflow records it), the requests it caused per source and their statuses, and per task instance the wait from
queued to running and the duration. ``--executor celery`` runs the same under the CeleryExecutor (Redis,
PostgreSQL, a ``crawl`` and a ``process`` worker: ``newsmon.devstack.airflow_cluster``) instead of
``airflow standalone`` (LocalExecutor on SQLite). Goal: 1,000 sources in one 3-minute cycle, an unchanged source
costing one conditional request.

``--append PATH`` writes (replaces) the section ``sources-per-cycle`` (``sources-per-cycle-celery``) of PATH.
``news_fast`` runs on its clock here (``NEWSMON_FAST_POLL=*/3 * * * *``, every run polls every source), not on the
feed watcher (the default), whose cost at 1,000 sources is not measured by this script.
Usage: uv run python benchmarks/sources_per_cycle.py [--sources 1000] [--cycles 3] [--group-size 50]
       [--executor local|celery] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import html
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import Figure, elasticsearch_url, environment_lines, figures_table, write_section  # noqa: E402

from newsmon.settings import load_settings  # noqa: E402

CYCLE_SECONDS = 180
GOAL_SOURCES = 1000
DOMAIN = "bench.example"


def say(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)


# -- the feed server ------------------------------------------------------------------------------------------------
class FeedSite(ThreadingHTTPServer):
    """Serves ``/<host>/robots.txt``, ``/<host>/feed.xml`` and ``/<host>/a/1`` for any ``gen*`` host; counts."""

    daemon_threads = True
    request_queue_size = 1024

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.published = format_datetime(datetime(2026, 12, 1, 6, 0, tzinfo=UTC), usegmt=True)
        self.requests: list[tuple[float, str, str, int]] = []  # (time, host, kind, status)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FeedSite:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()

    def count(self, host: str, kind: str, status: int) -> None:
        with self.lock:
            self.requests.append((time.time(), host, kind, status))

    def between(self, start: float, end: float) -> list[tuple[float, str, str, int]]:
        with self.lock:
            return [r for r in self.requests if start <= r[0] <= end]


class _Handler(BaseHTTPRequestHandler):
    server: FeedSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        host, _, path = self.path.lstrip("/").partition("/")
        path = "/" + path
        if not host.endswith(DOMAIN):
            return self._answer(host, "other", 404, b"", "text/plain")
        if path == "/robots.txt":
            return self._answer(host, "robots", 200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/feed.xml":
            etag = f'"v1-{host}"'
            if self.headers.get("If-None-Match") == etag or \
                    self.headers.get("If-Modified-Since") == self.server.published:
                return self._answer(host, "feed", 304, b"", None, etag)
            name = host.split(".")[0]
            body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>'
                    f"<link>https://{host}/</link><item><title>{name}: envoys meet in Moscow</title>"
                    f"<link>https://{host}/a/1</link><pubDate>{self.server.published}</pubDate>"
                    f"<guid>https://{host}/a/1</guid></item></channel></rss>").encode()
            return self._answer(host, "feed", 200, body, "application/rss+xml", etag)
        if path == "/a/1":
            name = host.split(".")[0]
            text = html.escape(f"Envoys of the Moscow Format met the Taliban delegation, {name} reports.")
            body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name} report</title>'
                    f'<link rel="canonical" href="https://{host}/a/1"></head><body><article><h1>{name} report</h1>'
                    f"<p>{text}</p><p>{text}</p></article></body></html>").encode()
            return self._answer(host, "article", 200, body, "text/html; charset=utf-8")
        return self._answer(host, "other", 404, b"", "text/plain")

    def _answer(self, host: str, kind: str, status: int, body: bytes, content_type: str | None,
                etag: str | None = None) -> None:
        self.server.count(host, kind, status)
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", self.server.published)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def write_sources(path: Path, count: int) -> None:
    sources = [{"name": f"gen{n:04d}", "title": f"Generated source {n}", "homepage": f"https://gen{n:04d}.{DOMAIN}/",
                "domains": [f"gen{n:04d}.{DOMAIN}"], "languages": ["en"], "extractor": "generic",
                "feeds": [{"url": f"https://gen{n:04d}.{DOMAIN}/feed.xml", "language": "en"}]}
               for n in range(1, count + 1)]
    path.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")


# -- Airflow -------------------------------------------------------------------------------------------------------
class LocalAirflow:
    """``airflow standalone`` (LocalExecutor), every DAG paused at creation."""

    name = "LocalExecutor (airflow standalone, SQLite)"

    def __init__(self, work: Path, environment: dict[str, str], parallelism: int):
        from newsmon.devstack.airflow_standalone import AirflowStandalone

        self.airflow = AirflowStandalone(work / "airflow", environment, parallelism=parallelism, dags_paused=True)

    def __enter__(self):
        self.airflow.start()
        self.airflow.wait_for_dags(["news_fast"])
        return self

    def __exit__(self, *exc_info):
        self.airflow.stop()

    def api(self, method: str, path: str, **kwargs):
        return self.airflow.api(method, path, **kwargs)


class CeleryAirflow:
    """The CeleryExecutor cluster of the distributed tests: Redis, PostgreSQL, two workers."""

    name = "CeleryExecutor (Redis, PostgreSQL; workers crawl and process, concurrency 4 each)"

    def __init__(self, work: Path, environment: dict[str, str], parallelism: int):
        self.work, self.environment, self.parallelism = work, environment, parallelism

    def __enter__(self):
        from newsmon.devstack.airflow_cluster import AirflowCluster, CeleryWorkerSpec
        from newsmon.devstack.postgres_server import PostgresServer
        from newsmon.devstack.redis_server import RedisServer
        from newsmon.settings import PROJECT_ROOT

        self.redis = RedisServer(self.work / "redis").start()
        self.postgres = PostgresServer().start()
        workers = [CeleryWorkerSpec(name, queues, self.work / f"worker-{name}", concurrency=4,
                                    environment={"NEWSMON_DATA_DIR": str(self.work / f"worker-{name}" / "data")})
                   for name, queues in (("crawl", ("crawl",)), ("process", ("process", "default")))]
        self.cluster = AirflowCluster(self.work / "airflow", PROJECT_ROOT / "dags", self.postgres.url(),
                                      self.redis.url, workers,
                                      {**self.environment, "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
                                       "AIRFLOW__CORE__PARALLELISM": str(self.parallelism)})
        self.cluster.start()
        self.cluster.api.wait_for_dags(["news_fast"])
        return self

    def __exit__(self, *exc_info):
        self.cluster.stop()
        self.postgres.stop()
        self.redis.stop()

    def api(self, method: str, path: str, **kwargs):
        return self.cluster.api.call(method, path, **kwargs)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def finished_runs(airflow) -> list[dict]:
    answer = airflow.api("GET", "/dags/news_fast/dagRuns", params={"order_by": "start_date", "limit": 100})
    answer.raise_for_status()
    return [r for r in answer.json()["dag_runs"] if r["state"] in ("success", "failed") and r.get("end_date")]


def cycle_figures(airflow, site: FeedSite, run: dict, sources: int) -> dict:
    start, end = _time(run["start_date"]), _time(run["end_date"])
    requests = site.between(start.timestamp(), end.timestamp())
    kinds = Counter(f"{kind} {status}" for _, _, kind, status in requests)
    hosts = {host for _, host, _, _ in requests}
    answer = airflow.api("GET", f"/dags/news_fast/dagRuns/{run['dag_run_id']}/taskInstances", params={"limit": 1000})
    answer.raise_for_status()
    waits, durations, polls = [], [], []
    for ti in answer.json()["task_instances"]:
        queued, started = _time(ti.get("queued_when")), _time(ti.get("start_date"))
        if queued and started:
            waits.append((started - queued).total_seconds())
        if ti.get("duration") is not None:
            durations.append(ti["duration"])
            if ti["task_id"] == "poll_group":
                polls.append(ti["duration"])
    return {"run": run["dag_run_id"], "state": run["state"], "seconds": (end - start).total_seconds(),
            "requests": len(requests), "per_source": len(requests) / sources, "hosts": len(hosts),
            "kinds": dict(sorted(kinds.items())), "tasks": len(durations),
            "wait_median": statistics.median(waits) if waits else None, "wait_max": max(waits, default=None),
            "task_median": statistics.median(durations) if durations else None,
            "poll_median": statistics.median(polls) if polls else None, "poll_max": max(polls, default=None)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=GOAL_SOURCES)
    parser.add_argument("--cycles", type=int, default=3, help="poll cycles to measure (the first is the cold one)")
    parser.add_argument("--group-size", type=int, default=50, help="NEWSMON_CRAWL_GROUP_SIZE")
    parser.add_argument("--parallelism", type=int, default=4, help="AIRFLOW__CORE__PARALLELISM")
    parser.add_argument("--executor", choices=("local", "celery"), default="local")
    parser.add_argument("--append", help="write (replace) this benchmark's section of this markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, data)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="newsmon-cycle-"))
    sources_file = work / "sources.yaml"
    write_sources(sources_file, args.sources)
    cycles: list[dict] = []
    settings = load_settings()
    runner = CeleryAirflow if args.executor == "celery" else LocalAirflow
    try:
        with elasticsearch_url(settings) as es_url, FeedSite() as site:
            environment = {
                "NEWSMON_SOURCES_FILE": str(sources_file), "NEWSMON_MIRROR_URL": site.base_url,
                "NEWSMON_ELASTICSEARCH_URL": es_url, "NEWSMON_INDEX_ALIAS": f"bench-cycle-{uuid.uuid4().hex[:8]}",
                "NEWSMON_DATA_DIR": str(work / "data"), "NEWSMON_CRAWL_GROUP_SIZE": str(args.group_size),
                "NEWSMON_FAST_POLL": "*/3 * * * *",
            }
            say(f"{args.sources} sources in groups of {args.group_size}; starting {runner.name} (work dir {work})")
            with runner(work, environment, args.parallelism) as airflow:
                started = time.monotonic()
                answer = airflow.api("PATCH", "/dags/news_fast", json={"is_paused": False})
                answer.raise_for_status()
                say("news_fast unpaused; waiting for its cycles")
                deadline = time.monotonic() + (args.cycles + 2) * CYCLE_SECONDS + 600
                while len(runs := finished_runs(airflow)) < args.cycles and time.monotonic() < deadline:
                    time.sleep(5)
                for run in runs[:args.cycles]:
                    cycles.append(cycle_figures(airflow, site, run, args.sources))
                    say(f"cycle {len(cycles)}: {cycles[-1]}")
                airflow.api("PATCH", "/dags/news_fast", json={"is_paused": True})
                say(f"measured {len(cycles)} cycle(s) in {time.monotonic() - started:.0f}s")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(args, cycles, runner.name)


def report(args, cycles: list[dict], executor: str) -> None:
    if not cycles:
        sys.exit("no poll cycle finished")
    warm = cycles[1:] or cycles
    worst_warm = max(c["seconds"] for c in warm)
    conditional = [c["kinds"].get("feed 304", 0) / args.sources for c in warm]
    other = [(c["requests"] - c["kinds"].get("feed 304", 0)) for c in warm]
    all_ok = all(c["state"] == "success" for c in cycles)
    fits = worst_warm < CYCLE_SECONDS and all_ok
    # What one cycle would hold at the measured rate (linear in groups, which run 4 at a time).
    per_source = worst_warm / args.sources
    figures = [
        Figure(f"sources polled per cycle ({executor.split(' (')[0]}), unchanged feeds", str(args.sources),
               f"≥ {GOAL_SOURCES} in {CYCLE_SECONDS} s", fits and args.sources >= GOAL_SOURCES),
        Figure("unchanged cycle, worst run (s)", f"{worst_warm:.0f}", f"< {CYCLE_SECONDS}", fits),
        Figure("first (cold) cycle: every feed and article new (s)", f"{cycles[0]['seconds']:.0f}"),
        Figure("requests per unchanged source", f"{statistics.mean(c['per_source'] for c in warm):.2f}", "1",
               all(abs(c["per_source"] - 1) < 0.005 for c in warm)),
        Figure("conditional feed requests answered 304 per source", f"{min(conditional):.2f}", "1",
               min(conditional) >= 0.995),
        Figure("other requests in unchanged cycles", str(max(other)), "0", max(other) == 0),
        Figure("task queued → running, median / max (s)",
               f"{statistics.median(c['wait_median'] for c in cycles):.1f} / {max(c['wait_max'] for c in cycles):.1f}"),
        Figure("poll task (one group) duration, median / max (s)",
               f"{statistics.median(c['poll_median'] for c in warm):.1f} / {max(c['poll_max'] for c in warm):.1f}"),
        Figure("sources one cycle holds at this rate (extrapolated)", f"{CYCLE_SECONDS / per_source:,.0f}"),
    ]
    lines = [f"{args.sources} generated sources (one host, one RSS feed and one article each), served by the "
             f"benchmark's own loopback server; groups of {args.group_size} sources "
             f"({-(-args.sources // args.group_size)} mapped `poll_group` tasks, at most 4 at a time), "
             f"parallelism {args.parallelism}, {executor}; default politeness (1 s per host); crawl state, queue "
             "and locks in Elasticsearch. Each cycle is one scheduled `news_fast` run; requests are those the "
             "server received between the run's start and end.", "",
             "| cycle | run | seconds | requests | per source | by kind and status | tasks | queued→running "
             "median / max (s) | task duration median (s) | poll_group median / max (s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for n, c in enumerate(cycles, 1):
        kinds = ", ".join(f"{k}: {v}" for k, v in c["kinds"].items())
        lines.append(f"| {n}{' (cold)' if n == 1 else ''} | {c['state']} | {c['seconds']:.0f} | {c['requests']} | "
                     f"{c['per_source']:.2f} | {kinds} | {c['tasks']} | {c['wait_median']:.1f} / "
                     f"{c['wait_max']:.1f} | {c['task_median']:.1f} | {c['poll_median']:.1f} / {c['poll_max']:.1f} |")
    lines += ["", "The last figure is the measured unchanged-cycle time per source extrapolated linearly (more groups, "
              "the same 4 at a time); it is not measured."]
    argv = [f"--sources {args.sources}", f"--cycles {args.cycles}", f"--group-size {args.group_size}",
            f"--executor {args.executor}"]
    body = "\n".join([*environment_lines("sources_per_cycle.py", argv), "", figures_table(figures), "", *lines])
    print(body)
    if args.append:
        key = "sources-per-cycle" + ("-celery" if args.executor == "celery" else "")
        title = "Sources per poll cycle" + (" under the CeleryExecutor" if args.executor == "celery" else "")
        write_section(args.append, key, title, body)


if __name__ == "__main__":
    main()
