"""news_fast: every 3 minutes, poll each source's feeds with conditional requests (an unchanged feed costs one
304) and announce newly archived articles, so news_process and news_alerts mail within minutes of publication.

Three minutes of polling plus processing and alerting keeps an alert under the 5-minute goal of issue 7."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from newsmon.assets import ARCHIVED_ARTICLES

DEFAULT_ARGS = {"owner": "newsmon", "retries": 2, "retry_delay": timedelta(minutes=1)}
#: How often the feeds are polled; an unchanged feed costs one conditional request (and robots.txt) per poll.
POLL_INTERVAL = timedelta(minutes=3)


@dag(schedule=POLL_INTERVAL, start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     dagrun_timeout=timedelta(minutes=30), default_args=DEFAULT_ARGS, tags=["newsmon", "crawl", "fast"],
     doc_md=__doc__)
def news_fast():
    @task
    def list_sources() -> list[str]:
        from newsmon.pipeline import source_names
        from newsmon.settings import load_settings

        return source_names(load_settings())

    @task(max_active_tis_per_dagrun=4)
    def poll_source(source: str) -> dict:
        from newsmon.pipeline import crawl
        from newsmon.settings import load_settings

        return crawl(source, load_settings(), skip_if_busy=True)  # the daily crawl of it is running

    @task(outlets=[ARCHIVED_ARTICLES], trigger_rule="all_done")
    def announce(reports: list[dict]) -> dict:
        """Emit the Asset event only if something new was queued; otherwise skip (no event, no processing)."""
        from airflow.sdk.exceptions import AirflowSkipException

        reports = [r for r in reports[:] if r]
        queued = sum(r["queued"] for r in reports)
        if not queued:
            raise AirflowSkipException(f"nothing new in {len(reports)} source(s)")
        return {"sources": len(reports), "queued": queued}

    announce(poll_source.expand(source=list_sources()))


news_fast()
