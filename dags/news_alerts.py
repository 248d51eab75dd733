"""news_alerts: on newly indexed articles, place them into events, then percolate them against the alert rules
and e-mail each recipient once per event (later articles of the event as updates in the same thread)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from newsmon.assets import INDEXED_ARTICLES

DEFAULT_ARGS = {"owner": "newsmon", "retries": 3, "retry_delay": timedelta(minutes=2),
                "retry_exponential_backoff": True}


@dag(schedule=[INDEXED_ARTICLES], start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     default_args=DEFAULT_ARGS, tags=["newsmon", "alerts"], doc_md=__doc__)
def news_alerts():
    @task
    def assign_events() -> dict:
        from newsmon.pipeline import assign_events as run
        from newsmon.settings import load_settings

        return run(load_settings())

    @task
    def send_alerts() -> dict:
        from newsmon.pipeline import alert
        from newsmon.settings import load_settings

        return alert(load_settings())

    assign_events() >> send_alerts()


news_alerts()
