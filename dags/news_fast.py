"""news_fast: every 3 minutes, poll every source's feeds with conditional requests (an unchanged feed costs one
304) and announce newly archived articles, so news_process and news_alerts mail within minutes of publication.
One mapped task per group of sources (``NEWSMON_CRAWL_GROUP_SIZE``), on the ``crawl`` queue.
After each poll the operator checks (``check_sources``: feeds failing, quiet, extraction degraded) send what
started or cleared to the operator channel (newsmon.alerts.operator).

Three minutes of polling plus processing and alerting keeps an alert under the 5-minute goal of issue 7."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from newsmon.assets import ARCHIVED_ARTICLES

DEFAULT_ARGS = {"owner": "newsmon", "retries": 2, "retry_delay": timedelta(minutes=1)}
#: How often the feeds are polled; an unchanged feed costs one conditional request (and robots.txt) per poll.
POLL_INTERVAL = timedelta(minutes=3)


@dag(schedule=POLL_INTERVAL, start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     dagrun_timeout=timedelta(minutes=30), default_args=DEFAULT_ARGS, tags=["newsmon", "crawl", "fast"],
     doc_md=__doc__)
def news_fast():
    @task
    def list_groups() -> list[list[str]]:
        from newsmon.pipeline import source_groups
        from newsmon.settings import load_settings

        return source_groups(load_settings())

    @task(queue="crawl", max_active_tis_per_dagrun=4)
    def poll_group(sources: list[str]) -> dict:
        from newsmon.pipeline import crawl_group
        from newsmon.settings import load_settings

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
            from newsmon.settings import load_settings

            waiting = pending_pages(load_settings())
        if not queued and not waiting:
            raise AirflowSkipException(f"nothing new in {sum(r['sources'] for r in reports)} source(s)")
        return {"groups": len(reports), "sources": sum(r["sources"] for r in reports), "queued": queued,
                "waiting": waiting}

    @task(trigger_rule="all_done")
    def check_sources(reports: list[dict]) -> dict:
        """Operator alerts (feeds failing, quiet, extraction degraded), also when some sources failed."""
        from newsmon.pipeline import check_sources as run
        from newsmon.settings import load_settings

        context = get_current_context()
        return run(load_settings(), context.get("data_interval_end") or context["logical_date"])

    groups = list_groups()
    reports = poll_group.expand(sources=groups)
    announce(reports, groups)
    check_sources(reports)


news_fast()
