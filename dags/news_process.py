"""news_process: on new archived articles, extract → language → match → bulk index into Elasticsearch (batches on
the ``process`` queue)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from newsmon.assets import ARCHIVED_ARTICLES, INDEXED_ARTICLES

DEFAULT_ARGS = {"owner": "newsmon", "retries": 3, "retry_delay": timedelta(minutes=2),
                "retry_exponential_backoff": True}


@dag(schedule=[ARCHIVED_ARTICLES], start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     default_args=DEFAULT_ARGS, tags=["newsmon", "process"], doc_md=__doc__)
def news_process():
    @task
    def list_batches() -> list[list[str]]:
        from newsmon.pipeline import pending_batches
        from newsmon.settings import load_settings

        return pending_batches(load_settings())

    @task(queue="process")
    def process_batch(batch: list[str]) -> dict:
        from newsmon.pipeline import process_batch as run
        from newsmon.settings import load_settings

        return run(batch, load_settings())

    @task(outlets=[INDEXED_ARTICLES])
    def announce(reports: list[dict]) -> dict:
        reports = reports[:]  # one request for all mapped results
        return {"batches": len(reports), "created": sum(r["created"] for r in reports),
                "updated": sum(r["updated"] for r in reports)}

    announce(process_batch.expand(batch=list_batches()))


news_process()
