"""Airflow's CeleryExecutor for real: tasks go to the worker that serves their queue, and a worker killed like a
dead machine (its process group and its tasks' groups, SIGKILL) has its task retried on the other worker.

Real parts only: Redis, PostgreSQL, the Airflow API server, scheduler and DAG processor, two Celery workers
(``conftest.py``). The times measured go to ``test-artifacts/celery-cluster-timings.json``.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def test_tasks_run_on_the_worker_of_their_queue(celery_cluster):
    api, workdirs = celery_cluster.cluster.api, celery_cluster.workdirs
    for attempt in ("cold", "warm"):  # the first run after a start pays the API server's lazy set-up
        triggered = time.monotonic()
        run_id = api.trigger("celery_queues")
        assert api.wait_for_run("celery_queues", run_id, timeout=240) == "success"
        celery_cluster.timings[f"celery_queues run, trigger to success ({attempt})"] = time.monotonic() - triggered

        ran = [r for r in celery_cluster.records_of("celery_queues", run_id) if r["event"] == "ran"]
        where = {(r["task_id"], r["map_index"]): (r["worker"], r["cwd"]) for r in ran}
        assert sorted(where) == [(task, n) for task in ("crawl", "process") for n in range(3)], ran
        for (task, _), (worker, cwd) in where.items():
            assert (worker, cwd) == (task, str(workdirs[task])), (task, worker, cwd)

        instances = api.task_instances("celery_queues", run_id)
        assert {ti["queue"] for ti in instances} == {"crawl", "process"}
        waits = [_seconds_between(ti["queued_when"], ti["start_date"]) for ti in instances]
        durations = [ti["duration"] for ti in instances if ti["duration"] is not None]
        waits = sorted(w for w in waits if w is not None)
        celery_cluster.timings[f"task queued to start, median ({attempt})"] = statistics.median(waits)
        celery_cluster.timings[f"task queued to start, max ({attempt})"] = waits[-1]
        celery_cluster.timings[f"task duration, median ({attempt})"] = statistics.median(durations)


def test_a_killed_worker_s_task_is_retried_on_the_other_worker(celery_cluster):
    cluster, api = celery_cluster.cluster, celery_cluster.cluster.api
    run_id = api.trigger("celery_slow_task")
    deadline = time.monotonic() + 120
    while not (started := celery_cluster.records_of("celery_slow_task", run_id)):
        assert time.monotonic() < deadline, "the slow task did not start within 120 s"
        time.sleep(0.2)
    [first] = started
    victim = first["worker"]
    survivor = next(name for name in celery_cluster.workdirs if name != victim)
    time.sleep(2)  # well inside the 30 s task
    killed_at = time.time()
    groups = cluster.kill_worker(victim)
    task_pid = first["pid"]
    assert len(groups) >= 2, f"the task's own process group was not among those killed: {groups}"

    assert api.wait_for_run("celery_slow_task", run_id, timeout=240) == "success"
    records = celery_cluster.records_of("celery_slow_task", run_id)
    by_try = {(r["try_number"], r["event"]): r for r in records}
    assert (1, "finished") not in by_try, f"the killed worker's task (pid {task_pid}) lived on: {records}"
    retry = by_try[(2, "started")]
    assert retry["worker"] == survivor and by_try[(2, "finished")]["worker"] == survivor, records

    tries = api.tries("celery_slow_task", run_id, "slow")
    assert [t["state"] for t in tries][-1] == "success" and len(tries) == 2, tries
    celery_cluster.timings["slow task: kill to retry started"] = retry["time"] - killed_at
    celery_cluster.timings["slow task: kill to run success"] = time.time() - killed_at
