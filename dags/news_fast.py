"""news_fast: crawl the sources whose feeds changed and announce the newly archived articles, so news_process and
news_alerts follow within seconds. One mapped task per group of sources (``NEWSMON_CRAWL_GROUP_SIZE``), on the
``crawl`` queue. After each run the operator checks (``check_sources``: feeds failing, quiet, extraction degraded)
send what started or cleared to the operator channel (newsmon.alerts.operator).

What starts it is ``NEWSMON_FAST_POLL`` (read when the DAG file is parsed):

- ``watch`` (the default): the feed watcher in Airflow's triggerer (newsmon/crawl/watch_trigger.py, Asset
  ``newsmon://feeds/changed``) asks every feed with a conditional request each ``politeness.feed_poll_seconds``
  (30 s by default); an unchanged feed costs one request answered 304 and starts no DAG run, and a run crawls
  only the sources the watcher named;
- a cron expression (``*/3 * * * *``): a clock; each run polls every source's feeds (the grouped poll measured
  with 1,000 sources in BENCHMARKS.md), for deployments without a triggerer.

Run without a triggering event (``dag.test()``, the demo, a manual run), it crawls every source. The daily
news_crawl still sweeps everything (sitemaps, listings, what a feed dropped)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from newsmon.assets import ARCHIVED_ARTICLES, FEEDS_CHANGED
from newsmon.settings import load_settings

DEFAULT_ARGS = {"owner": "newsmon", "retries": 2, "retry_delay": timedelta(minutes=1)}
_FAST_POLL = load_settings().fast_poll


@dag(schedule=[FEEDS_CHANGED] if _FAST_POLL == "watch" else _FAST_POLL, start_date=datetime(2026, 1, 1),
     catchup=False, max_active_runs=1, dagrun_timeout=timedelta(minutes=30), default_args=DEFAULT_ARGS,
     tags=["newsmon", "crawl", "fast"], doc_md=__doc__)
def news_fast():
    @task
    def list_groups(triggering_asset_events=None) -> list[list[str]]:
        """The groups of the sources the watcher named (every source when the run has no watcher event)."""
        from newsmon.pipeline import source_groups, watched_sources

        events = [event for found in (triggering_asset_events or {}).values() for event in found]
        named = watched_sources([(getattr(event, "extra", None) or {}).get("payload") or {} for event in events])
        return source_groups(load_settings(), only=named)

    @task(queue="crawl", max_active_tis_per_dagrun=4)
    def poll_group(sources: list[str]) -> dict:
        from newsmon.pipeline import crawl_group

        return crawl_group(sources, load_settings(), skip_if_busy=True)  # a source the daily crawl holds: skipped

    @task(outlets=[ARCHIVED_ARTICLES], trigger_rule="all_done")
    def announce(reports: list[dict], groups: list[list[str]]) -> dict:
        """Emit the Asset event only if something new was queued; otherwise skip (no event, no processing). A group
        that failed for good may have queued pages before it failed: then pages waiting in the queue count too."""
        from airflow.sdk.exceptions import AirflowSkipException

        reports = [r for r in reports[:] if r]
        queued = sum(r["queued"] for r in reports)
        waiting = 0
        if not queued and len(reports) < len(groups):
            from newsmon.pipeline import pending_pages

            waiting = pending_pages(load_settings())
        if not queued and not waiting:
            raise AirflowSkipException(f"nothing new in {sum(r['sources'] for r in reports)} source(s)")
        return {"groups": len(reports), "sources": sum(r["sources"] for r in reports), "queued": queued,
                "waiting": waiting}

    @task(trigger_rule="all_done")
    def check_sources(reports: list[dict]) -> dict:
        """Operator alerts (feeds failing, quiet, extraction degraded), also when some sources failed."""
        from newsmon.pipeline import check_sources as run

        context = get_current_context()
        return run(load_settings(), context.get("data_interval_end") or context.get("logical_date"))  # asset runs: None

    groups = list_groups()
    reports = poll_group.expand(sources=groups)
    announce(reports, groups)
    check_sources(reports)


news_fast()
