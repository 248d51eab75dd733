"""Alert latency: from a new Moscow Format item appearing in a feed to its mail in the SMTP server's mailbox,
with the fast path running under a real ``airflow standalone`` (scheduler, DAG processor, API server) and
default settings (news_fast polls every 3 minutes).

A copy of the replay site is served on loopback; Elasticsearch is NEWSMON_ELASTICSEARCH_URL or a local node
started for the run; mail goes to the local SMTP sink. After the initial crawl and its alerts have settled,
each trial publishes one new article on The New Arab's RSS feed (a page and an <item>) and waits for its mail.
Trials start at random moments, so the wait for the next poll is sampled, not fixed. Goal: every alert within
300 s, no mail repeated. ``--append PATH`` writes (replaces) the section ``alert-latency`` of PATH.
Usage: uv run python benchmarks/alert_latency.py [--trials 3] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import html
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import Figure, elasticsearch_url, environment_lines, figures_table, write_section  # noqa: E402

from newsmon.devstack.airflow_standalone import AirflowStandalone  # noqa: E402
from newsmon.devstack.replay import ReplayServer, replay_settings  # noqa: E402
from newsmon.devstack.replay.server import SITE_ROOT  # noqa: E402
from newsmon.devstack.smtp_sink import SmtpSink  # noqa: E402
from newsmon.settings import load_settings  # noqa: E402

GOAL_SECONDS = 300
FEED = Path("www.newarab.com") / "rss" / "index.rss"
DAGS = ["news_crawl", "news_fast", "news_process", "news_alerts"]


def say(message: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)


def publish(site: Path, trial: int) -> str:
    """Put a new Moscow Format article on the replay New Arab site and at the top of its RSS; its title."""
    now = datetime.now(UTC)
    slug = f"moscow-format-envoys-meet-{now:%Y%m%d%H%M%S}-{trial}"
    title = f"Moscow Format envoys meet again on Afghanistan ({now:%H:%M:%S} UTC, round {trial})"
    paragraphs = [
        "Special envoys from Russia, China, Iran, Pakistan, India and the Central Asian states met on Tuesday "
        "for a new round of the Moscow Format consultations on Afghanistan, with a Taliban delegation attending.",
        "Zamir Kabulov, the Russian presidential envoy, told reporters that the Moscow Format remains the main "
        "regional platform for talks with the Taliban authorities in Kabul and that recognition was discussed.",
        "The joint statement called for an inclusive government in Kabul, action against terrorist groups "
        "operating from Afghan territory, and more trade through the North-South transport corridor.",
        "Diplomats said the next meeting of the format could take place in Kazan next year.",
    ]
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | The New Arab</title>
<link rel="canonical" href="https://www.newarab.com/news/{slug}">
<meta property="og:title" content="{html.escape(title)}"><meta property="article:published_time" content="{now.isoformat()}">
</head><body><article><h1 class="page-title">{html.escape(title)}</h1>
<div class="article-date"><time datetime="{now.isoformat()}">{now:%d %B, %Y}</time></div>
<div class="field--name-body">{''.join(f'<p>{html.escape(p)}</p>' for p in paragraphs)}</div></article></body></html>"""
    target = site / "www.newarab.com" / "news" / slug / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(page, encoding="utf-8")
    feed = site / FEED
    item = (f"<item><title>{html.escape(title)}</title><link>{{{{REPLAY_BASE}}}}/www.newarab.com/news/{slug}</link>"
            f"<pubDate>{now:%Y-%m-%dT%H:%M:%S} +0000</pubDate><guid isPermaLink=\"false\">{slug}</guid></item>\n  ")
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("<item>", item + "<item>", 1), encoding="utf-8")
    return title


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
        time.sleep(5)
    raise TimeoutError(f"the initial crawl did not settle in {timeout:.0f}s; see {airflow.log_path}")


def wait_for_mail(sink: SmtpSink, title: str, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(title in (m["Subject"] or "") for m in sink.messages()):
            return time.monotonic()
        time.sleep(1)
    return None


def repeated_mails(sink: SmtpSink) -> int:
    """Articles mailed to a recipient more than once (each mail lists its articles in X-Newsmon-Articles)."""
    keys = [(m["To"], a) for m in sink.messages() for a in (m["X-Newsmon-Articles"] or "").split()]
    return len(keys) - len(set(keys))


def runs_since(airflow: AirflowStandalone, since: datetime) -> list[str]:
    """The DAG runs started after ``since``: dag, start offset, duration, state (the breakdown of one trial)."""
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
    return [text for _, text in sorted(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--append", help="write (replace) the section 'alert-latency' of this markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, data)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop Airflow and the servers on the way out
    work = Path(tempfile.mkdtemp(prefix="newsmon-latency-"))
    site = work / "site"
    shutil.copytree(SITE_ROOT, site)
    settings = load_settings()
    latencies: list[float] = []
    breakdowns: list[list[str]] = []
    rng = random.Random()
    try:
        with elasticsearch_url(settings) as es_url, ReplayServer("127.0.0.1", 0, root=site) as replay, \
                SmtpSink(work / "mailbox") as sink:
            environment = {
                **replay_settings(replay.base_url), "NEWSMON_ELASTICSEARCH_URL": es_url,
                "NEWSMON_INDEX_ALIAS": f"bench-latency-{uuid.uuid4().hex[:8]}", "NEWSMON_DATA_DIR": str(work / "data"),
                "NEWSMON_SMTP_HOST": sink.host, "NEWSMON_SMTP_PORT": str(sink.port),
            }
            say(f"starting airflow standalone (work dir {work})")
            with AirflowStandalone(work / "airflow", environment) as airflow:
                airflow.wait_for_dags(DAGS)
                say(f"Airflow at {airflow.base_url}; waiting for the first crawl and its alerts to settle")
                initial = settle(airflow, sink, quiet_seconds=60, timeout=1200)
                say(f"settled: {initial} mail(s) from the initial crawl")
                for trial in range(1, args.trials + 1):
                    time.sleep(rng.uniform(0, 180))  # a random phase against the 3-minute poll
                    started_at, started = datetime.now(UTC), time.monotonic()
                    title = publish(site, trial)
                    say(f"trial {trial}: published {title!r}")
                    arrived = wait_for_mail(sink, title, timeout=900)
                    if arrived is None:
                        say(f"trial {trial}: no mail after 900 s")
                        latencies.append(float("inf"))
                    else:
                        latencies.append(arrived - started)
                        say(f"trial {trial}: mail after {latencies[-1]:.0f} s")
                    breakdowns.append(runs_since(airflow, started_at))
                    settle(airflow, sink, quiet_seconds=10, timeout=600)
                duplicates = repeated_mails(sink)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    finite = [x for x in latencies if x != float("inf")]
    worst = max(latencies) if latencies else float("inf")
    figures = [
        Figure("alert latency, worst of trials (s)", f"{worst:.0f}", f"< {GOAL_SECONDS}", worst < GOAL_SECONDS),
        Figure("alert latency, median (s)", f"{statistics.median(finite):.0f}" if finite else "–"),
        Figure("articles mailed to a recipient more than once", str(duplicates), "0", duplicates == 0),
    ]
    lines = [f"Trials: {', '.join(f'{x:.0f} s' for x in latencies)} (news_fast polls every 3 min; each trial "
             "published at a random moment)."]
    for n, rows in enumerate(breakdowns, 1):
        lines.append(f"- trial {n} runs (start after publishing, duration, state): " + "; ".join(rows))
    body = "\n".join([*environment_lines("alert_latency.py"), "", figures_table(figures), "", *lines])
    print(body)
    if args.append:
        write_section(args.append, "alert-latency", "Alert latency under airflow standalone", body)


if __name__ == "__main__":
    main()
