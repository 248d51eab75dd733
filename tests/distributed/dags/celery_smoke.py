"""Two tiny DAGs for the CeleryExecutor smoke test (tests/distributed/test_celery_cluster.py).

Every task writes where it ran to ``$NEWSMON_TEST_RECORDS``: the worker's name (``NEWSMON_TEST_WORKER``, set
per worker) and its working directory. ``TaskInstance.hostname`` cannot tell two workers on one machine apart.
"""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path

from airflow.sdk import dag, get_current_context, task

#: How long the task that gets its worker killed runs.
SLOW_TASK_SECONDS = 30


def _record(event: str) -> dict:
    """Write one record (``<task>.<map index>.<try>.<event>.json``) of where and when this try ran."""
    context = get_current_context()
    ti = context["ti"]
    record = {"dag_id": ti.dag_id, "run_id": ti.run_id, "task_id": ti.task_id, "map_index": ti.map_index,
              "try_number": ti.try_number, "event": event, "worker": os.environ.get("NEWSMON_TEST_WORKER"),
              "cwd": os.getcwd(), "pid": os.getpid(), "time": time.time()}
    folder = Path(os.environ["NEWSMON_TEST_RECORDS"]) / ti.dag_id / ti.run_id.replace(":", "_")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{ti.task_id}.{ti.map_index}.{ti.try_number}.{event}.json"
    (folder / f".{name}").write_text(json.dumps(record))
    (folder / f".{name}").rename(folder / name)  # a reader never sees half a record
    return record


@dag(schedule=None, catchup=False, tags=["test"],
     default_args={"retries": 1, "retry_delay": timedelta(seconds=2)})  # Airflow's first run after a start can stumble
def celery_queues():
    """Three tasks on the ``crawl`` queue, then three on ``process``."""

    @task(queue="crawl")
    def crawl(n: int) -> str:
        return _record("ran")["worker"]

    @task(queue="process")
    def process(n: int) -> str:
        return _record("ran")["worker"]

    process.expand(n=[0, 1, 2]) << crawl.expand(n=[0, 1, 2])


@dag(schedule=None, catchup=False, tags=["test"],
     default_args={"retries": 2, "retry_delay": timedelta(seconds=5)})
def celery_slow_task():
    """One 30-second task on the ``both`` queue that both workers serve: its worker gets killed mid-task."""

    @task(queue="both")
    def slow() -> str:
        record = _record("started")
        time.sleep(SLOW_TASK_SECONDS)
        _record("finished")
        return record["worker"]

    slow()


celery_queues()
celery_slow_task()
