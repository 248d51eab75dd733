"""Alert latency on the event-driven fast path: from a new Moscow Format item appearing in a feed to its first
delivery (mail and webhook), under a real ``airflow standalone`` (scheduler, DAG processor, triggerer with the feed
watcher, API server) with default settings (the watcher asks each feed every ``feed_poll_seconds``, 30 s).

A copy of the replay site is served on loopback; Elasticsearch is NEWSMON_ELASTICSEARCH_URL or a local node
started for the run; mail goes to the local SMTP sink and the webhook channel to a local HTTP receiver
(``newsmon/devstack/webhook_sink.py``; the immediate rules get a ``webhook:bench_hook`` recipient). After the
initial crawl and its alerts have settled, each trial waits a random time, publishes one new article on The New
Arab's RSS feed (a page and an <item>), and waits for the mail and the webhook POST carrying its article id, so the
wait for the watcher's next poll is sampled, not fixed. The trials' articles are alike (Moscow Format), so each is
dated :data:`DAYS_APART` days before the previous one: it founds an event of its own, as a new story would, and its
first delivery is the event's first alert (an article joining an event already mailed goes out as a threaded
update, at most every ``alert_update_interval_minutes``, 6 h: by design, not what is measured here). Then, with nothing changing, it counts the requests the
replay site receives per feed for ``--quiet-minutes`` and the DAG runs started meanwhile.
Goals: median feed-item → first delivery < 45 s, p95 < 90 s, no article delivered twice to a destination.
``--append PATH`` writes (replaces) the section ``alert-latency`` of PATH.
Usage: uv run python benchmarks/alert_latency.py [--trials 10] [--quiet-minutes 5] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import Figure, elasticsearch_url, environment_lines, figures_table, write_section  # noqa: E402

from newsmon.crawl.mirror import mirror_location  # noqa: E402
from newsmon.devstack.airflow_standalone import AirflowStandalone  # noqa: E402
from newsmon.devstack.replay import ReplayServer, replay_settings  # noqa: E402
from newsmon.devstack.replay.publish import publish_article  # noqa: E402
from newsmon.devstack.replay.server import SITE_ROOT  # noqa: E402
from newsmon.devstack.smtp_sink import SmtpSink  # noqa: E402
from newsmon.devstack.webhook_sink import WebhookSink  # noqa: E402
from newsmon.models import document_id  # noqa: E402
from newsmon.settings import PROJECT_ROOT, load_settings  # noqa: E402
from newsmon.sources import load_registry  # noqa: E402

MEDIAN_GOAL, P95_GOAL = 45, 90
DAGS = ["news_crawl", "news_fast", "news_process", "news_alerts"]
HOOK = "bench_hook"
#: Each trial's article is dated this many days before the previous one: more than the 72 h within which
#: articles on the same themes join one event (newsmon/events/assign.py, WINDOW).
DAYS_APART = 4


def say(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; inf counts as the largest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def active_runs(airflow: AirflowStandalone) -> int:
    answer = airflow.api("GET", "/dags/~/dagRuns", params=[("state", "running"), ("state", "queued")])
    answer.raise_for_status()
    return answer.json()["total_entries"]


def settle(airflow: AirflowStandalone, sink: SmtpSink, quiet_seconds: float, timeout: float) -> int:
    """Wait until no DAG run is active and the mailbox has not changed for ``quiet_seconds``."""
    deadline = time.monotonic() + timeout
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_count = len(sink.messages())
        if now_count != count or active_runs(airflow):
            count, since = now_count, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return count
        time.sleep(2)
    raise TimeoutError(f"the pipeline did not settle in {timeout:.0f}s; see {airflow.log_path}")


def mailed(sink: SmtpSink, article: str) -> bool:
    return any(article in (m["X-Newsmon-Articles"] or "").split() for m in sink.messages())


def posted(hook: WebhookSink, article: str) -> bool:
    return any(article in {a.get("id") for a in r.json().get("articles", [])} for r in hook.accepted())


def wait_for_deliveries(sink: SmtpSink, hook: WebhookSink, article: str, started: float,
                        timeout: float) -> tuple[float, float]:
    """Seconds from ``started`` to the mail and to the webhook POST carrying ``article`` (inf: not within
    ``timeout``)."""
    mail = webhook = math.inf
    while time.monotonic() - started < timeout and math.inf in (mail, webhook):
        now = time.monotonic()
        if mail == math.inf and mailed(sink, article):
            mail = now - started
        if webhook == math.inf and posted(hook, article):
            webhook = now - started
        time.sleep(0.25)
    return mail, webhook


def repeated(sink: SmtpSink, hook: WebhookSink) -> int:
    """Articles delivered to a destination more than once (mails list them in X-Newsmon-Articles)."""
    keys = [(m["To"], a) for m in sink.messages() for a in (m["X-Newsmon-Articles"] or "").split()]
    keys += [(HOOK, a["id"]) for r in hook.accepted() for a in r.json().get("articles", [])]
    return len(keys) - len(set(keys))


def runs_since(airflow: AirflowStandalone, since: datetime) -> list[tuple[datetime, str]]:
    """The DAG runs started after ``since``: (start, "dag +offset duration state")."""
    rows = []
    for dag_id in DAGS:
        answer = airflow.api("GET", f"/dags/{dag_id}/dagRuns", params={"start_date_gte": since.isoformat()})
        for run in answer.json().get("dag_runs", []):
            if not run.get("start_date"):
                continue
            start = datetime.fromisoformat(run["start_date"])
            end = datetime.fromisoformat(run["end_date"]) if run.get("end_date") else None
            rows.append((start, f"{dag_id} +{(start - since).total_seconds():.0f}s "
                                f"{(end - start).total_seconds() if end else float('nan'):.0f}s {run['state']}"))
    return sorted(rows)


def feed_paths(settings) -> dict[str, str]:
    """Replay-site path → real URL of every feed and listing the watcher polls."""
    paths = {}
    for name in (registry := load_registry(settings)).names():
        source = registry.get(name)
        for url in [str(f.url) for f in source.feeds] + [str(entry.url) for entry in source.listings]:
            paths[urlsplit(mirror_location("http://mirror", url)).path] = url
    return paths


def rules_with_webhook(target: Path) -> Path:
    """The shipped rules, each immediate one also delivered to ``webhook:bench_hook``."""
    rules = yaml.safe_load((PROJECT_ROOT / "config" / "alerts.yaml").read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        if rule.get("mode", "immediate") == "immediate":
            rule["recipients"] = [*rule["recipients"], f"webhook:{HOOK}"]
    target.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--quiet-minutes", type=float, default=5.0)
    parser.add_argument("--append", help="write (replace) the section 'alert-latency' of this markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, data)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop Airflow and the servers on the way out
    work = Path(tempfile.mkdtemp(prefix="newsmon-latency-"))
    site = work / "site"
    shutil.copytree(SITE_ROOT, site)
    settings = load_settings()
    trials: list[tuple[float, float]] = []
    breakdowns: list[list[str]] = []
    rng = random.Random()
    try:
        with elasticsearch_url(settings) as es_url, ReplayServer("127.0.0.1", 0, root=site) as replay, \
                SmtpSink(work / "mailbox") as sink, WebhookSink() as hook:
            environment = {
                **replay_settings(replay.base_url), "NEWSMON_ELASTICSEARCH_URL": es_url,
                "NEWSMON_INDEX_ALIAS": f"bench-latency-{uuid.uuid4().hex[:8]}", "NEWSMON_DATA_DIR": str(work / "data"),
                "NEWSMON_SMTP_HOST": sink.host, "NEWSMON_SMTP_PORT": str(sink.port),
                "NEWSMON_ALERT_RULES_FILE": str(rules_with_webhook(work / "alerts.yaml")),
                f"AIRFLOW_CONN_{HOOK.upper()}": json.dumps({"conn_type": "http", "host": f"{hook.url}/newsmon"}),
                # as docker-compose.yml deploys it: a task's slot is free 1 s (not up to 5 s) after it ends
                "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
            }
            bench_settings = load_settings(environment)
            poll_seconds = {load_registry(bench_settings).get(n).politeness.feed_poll_seconds
                            for n in load_registry(bench_settings).names()}
            paths = feed_paths(bench_settings)
            say(f"starting airflow standalone (work dir {work}); feeds polled every {sorted(poll_seconds)} s")
            with AirflowStandalone(work / "airflow", environment) as airflow:
                airflow.wait_for_dags(DAGS)
                say(f"Airflow at {airflow.base_url}; waiting for the first crawl and its alerts to settle")
                initial = settle(airflow, sink, quiet_seconds=60, timeout=1500)
                say(f"settled: {initial} mail(s), {len(hook.accepted())} webhook post(s) from the initial crawl")
                phase = max(poll_seconds)
                for trial in range(1, args.trials + 1):
                    time.sleep(rng.uniform(0, phase))  # a random phase against the watcher's polls
                    started_at, started = datetime.now(UTC), time.monotonic()
                    dated = datetime.now(UTC) - timedelta(days=DAYS_APART * trial)
                    published = publish_article(site, f"trial{trial}", now=dated)
                    article = document_id(published.canonical_url)
                    say(f"trial {trial}: published {published.title!r}")
                    mail, webhook = wait_for_deliveries(sink, hook, article, started, timeout=600)
                    trials.append((mail, webhook))
                    say(f"trial {trial}: mail after {mail:.1f} s, webhook after {webhook:.1f} s")
                    settle(airflow, sink, quiet_seconds=5, timeout=600)
                    breakdowns.append([text for _, text in runs_since(airflow, started_at)])
                say(f"quiet: counting requests per feed for {args.quiet_minutes:.0f} min with nothing changing")
                settle(airflow, sink, quiet_seconds=10, timeout=600)
                quiet_from, quiet_from_utc = time.monotonic(), datetime.now(UTC)
                time.sleep(args.quiet_minutes * 60)
                quiet_seconds = time.monotonic() - quiet_from
                quiet = [r for r in replay.requests if r.at >= quiet_from]
                quiet_runs = [text for _, text in runs_since(airflow, quiet_from_utc)]
                duplicates = repeated(sink, hook)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    mails, hooks = [m for m, _ in trials], [w for _, w in trials]
    first = [min(m, w) for m, w in trials]
    per_feed_hour = {paths[r.path.split("?")[0]]: 0 for r in quiet if r.path.split("?")[0] in paths}
    for request in quiet:
        path = request.path.split("?")[0]
        if path in paths:
            per_feed_hour[paths[path]] += 1
    per_feed_hour = {url: count * 3600 / quiet_seconds for url, count in per_feed_hour.items()}
    other = [r for r in quiet if r.path.split("?")[0] not in paths]
    statuses = sorted({r.status for r in quiet if r.path.split("?")[0] in paths})
    rate = statistics.mean(per_feed_hour.values()) if per_feed_hour else 0.0

    def seconds(value: float) -> str:
        return "none" if value == math.inf else f"{value:.0f}"

    figures = [
        Figure("feed item → first delivery, median (s)", seconds(statistics.median(first)), f"< {MEDIAN_GOAL}",
               statistics.median(first) < MEDIAN_GOAL),
        Figure("feed item → first delivery, p95 (s)", seconds(percentile(first, 0.95)), f"< {P95_GOAL}",
               percentile(first, 0.95) < P95_GOAL),
        Figure("feed item → mail, median / p95 (s)",
               f"{seconds(statistics.median(mails))} / {seconds(percentile(mails, 0.95))}"),
        Figure("feed item → webhook, median / p95 (s)",
               f"{seconds(statistics.median(hooks))} / {seconds(percentile(hooks, 0.95))}"),
        Figure("requests per feed per hour, nothing changing", f"{rate:.0f}",
               f"3600 / feed_poll_seconds = {3600 / max(poll_seconds):.0f}"),
        Figure("DAG runs started while nothing changed", str(len(quiet_runs)), "0", not quiet_runs),
        Figure("articles delivered to a destination more than once", str(duplicates), "0", duplicates == 0),
    ]
    lines = [
        f"{len(trials)} trials, each published at a random moment within one poll interval "
        f"({max(poll_seconds):.0f} s); Airflow as docker-compose.yml sets it (`min_heartbeat_interval` 1 s), "
        f"otherwise defaults (LocalExecutor on SQLite, parallelism 4). Each trial's article is dated {DAYS_APART} "
        "days before the previous one, so that it founds an event of its own (first alert, not a threaded update). "
        "p95 is the nearest-rank 95th percentile (of 10 trials: the largest).",
        "First delivery (s): " + ", ".join(seconds(x) for x in first) + ".",
        "Mail (s): " + ", ".join(seconds(x) for x in mails) + "; webhook (s): " + ", ".join(seconds(x) for x in hooks)
        + ".",
        f"Quiet window: {quiet_seconds / 60:.1f} min, {len(quiet)} requests to the replay site, answered "
        f"{statuses} on the feeds; per feed per hour: "
        + ", ".join(f"{url} {count:.0f}" for url, count in sorted(per_feed_hour.items()))
        + f"; other requests (robots.txt, pages): {len(other)}; DAG runs started: {quiet_runs or 'none'}.",
    ]
    for n, rows in enumerate(breakdowns, 1):
        lines.append(f"- trial {n} runs (start after publishing, duration, state): " + "; ".join(rows))
    body = "\n".join([*environment_lines("alert_latency.py"), "", figures_table(figures), "", *lines])
    print(body)
    if args.append:
        write_section(args.append, "alert-latency", "Alert latency under airflow standalone (event-driven fast path)",
                      body)


if __name__ == "__main__":
    main()
