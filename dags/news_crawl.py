"""news_crawl: every day, discover and fetch new articles from every source (one mapped task per group of sources,
``NEWSMON_CRAWL_GROUP_SIZE``; sources sharing a host share a group and a thread). Crawl tasks go to the ``crawl``
queue (Celery workers serving it; other executors ignore it). Then the operator checks run on every source
(``check_sources``: feeds failing, quiet, extraction degraded; see newsmon.alerts.operator), failures or not."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from newsmon.assets import ARCHIVED_ARTICLES

DEFAULT_ARGS = {"owner": "newsmon", "retries": 2, "retry_delay": timedelta(minutes=5),
                "retry_exponential_backoff": True}


@dag(schedule="@daily", start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     default_args=DEFAULT_ARGS, tags=["newsmon", "crawl"], doc_md=__doc__)
def news_crawl():
    @task
    def list_groups() -> list[list[str]]:
        from newsmon.pipeline import source_groups
        from newsmon.settings import load_settings

        return source_groups(load_settings())

    @task(queue="crawl", max_active_tis_per_dagrun=4)
    def crawl_group(sources: list[str]) -> dict:
        from newsmon.pipeline import crawl_group as run
        from newsmon.settings import load_settings

        return run(sources, load_settings())

    @task(outlets=[ARCHIVED_ARTICLES], trigger_rule="all_done")
    def announce(reports: list[dict]) -> dict:
        """Emit the Asset event (even if some sources failed) so what was fetched gets processed."""
        reports = [r for r in reports[:] if r]
        return {"groups": len(reports), "sources": sum(r["sources"] for r in reports),
                "queued": sum(r["queued"] for r in reports)}

    @task(trigger_rule="all_done")
    def check_sources(reports: list[dict]) -> dict:
        """Operator alerts (feeds failing, quiet, extraction degraded), also when some sources failed."""
        from newsmon.pipeline import check_sources as run
        from newsmon.settings import load_settings

        context = get_current_context()
        return run(load_settings(), context.get("data_interval_end") or context["logical_date"])

    reports = crawl_group.expand(sources=list_groups())
    announce(reports)
    check_sources(reports)


news_crawl()
