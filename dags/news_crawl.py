"""news_crawl: every day, discover and fetch new articles from each source (one mapped task per source)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from newsmon.assets import ARCHIVED_ARTICLES

DEFAULT_ARGS = {"owner": "newsmon", "retries": 2, "retry_delay": timedelta(minutes=5),
                "retry_exponential_backoff": True}


@dag(schedule="@daily", start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     default_args=DEFAULT_ARGS, tags=["newsmon", "crawl"], doc_md=__doc__)
def news_crawl():
    @task
    def list_sources() -> list[str]:
        from newsmon.pipeline import source_names
        from newsmon.settings import load_settings

        return source_names(load_settings())

    @task(max_active_tis_per_dagrun=4)
    def crawl_source(source: str) -> dict:
        from newsmon.pipeline import crawl
        from newsmon.settings import load_settings

        return crawl(source, load_settings())

    @task(outlets=[ARCHIVED_ARTICLES], trigger_rule="all_done")
    def announce(reports: list[dict]) -> dict:
        """Emit the Asset event (even if some sources failed) so what was fetched gets processed."""
        reports = [r for r in reports[:] if r]
        return {"sources": len(reports), "queued": sum(r["queued"] for r in reports)}

    announce(crawl_source.expand(source=list_sources()))


news_crawl()
