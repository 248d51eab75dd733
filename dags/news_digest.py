"""news_digest: every hour, send each digest rule whose schedule ticked one mail of its matches since its last one."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

DEFAULT_ARGS = {"owner": "newsmon", "retries": 3, "retry_delay": timedelta(minutes=5),
                "retry_exponential_backoff": True}


@dag(schedule="@hourly", start_date=datetime(2026, 1, 1), catchup=False, max_active_runs=1,
     default_args=DEFAULT_ARGS, tags=["newsmon", "alerts"], doc_md=__doc__)
def news_digest():
    @task
    def send_digests() -> dict:
        """The digests due at the end of this run's data interval (a rerun of the run sends nothing new)."""
        from newsmon.pipeline import digest
        from newsmon.settings import load_settings

        context = get_current_context()
        return digest(load_settings(), context.get("data_interval_end") or context["logical_date"])

    send_digests()


news_digest()
