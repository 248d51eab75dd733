"""One real CeleryExecutor cluster per test module: Redis and PostgreSQL from Debian as plain processes, and
Airflow's API server, scheduler and DAG processor with two Celery workers (``crawl`` and ``process``), each in
its own working directory with its own ``NEWSMON_DATA_DIR``. ``make servers`` installs the Debian packages."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsmon.devstack.airflow_cluster import TEST_SPEED_SETTINGS, AirflowCluster, CeleryWorkerSpec
from newsmon.devstack.postgres_server import PostgresServer
from newsmon.devstack.processes import processes_under
from newsmon.devstack.redis_server import RedisServer

DAGS_FOLDER = Path(__file__).resolve().parent / "dags"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Worker name → the queues it serves. Both serve ``both``; tasks without a queue go to ``default``.
WORKER_QUEUES = {"crawl": ("crawl", "both"), "process": ("process", "both", "default")}


@dataclass
class CeleryTestCluster:
    cluster: AirflowCluster
    records: Path
    workdirs: dict[str, Path]
    timings: dict[str, float]

    def records_of(self, dag_id: str, run_id: str) -> list[dict]:
        """What each task try wrote about where it ran (see ``dags/celery_smoke.py``)."""
        folder = self.records / dag_id / run_id.replace(":", "_")
        return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


@pytest.fixture(scope="module")
def celery_cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("celery-cluster")
    records = root / "records"
    workdirs = {name: root / f"worker-{name}" for name in WORKER_QUEUES}
    workers = [CeleryWorkerSpec(name, queues, workdirs[name], concurrency=2,
                                environment={"NEWSMON_TEST_WORKER": name,
                                             "NEWSMON_DATA_DIR": str(workdirs[name] / "data")})
               for name, queues in WORKER_QUEUES.items()]
    environment = {**TEST_SPEED_SETTINGS, "NEWSMON_TEST_RECORDS": str(records)}
    timings: dict[str, float] = {}
    with RedisServer(root / "redis") as redis, PostgresServer() as postgres:
        timings.update({"redis start": redis.startup_seconds, "postgres initdb+start": postgres.startup_seconds})
        cluster = AirflowCluster(root / "airflow", DAGS_FOLDER, postgres.url(), redis.url, workers, environment)
        cluster.start()
        try:
            cluster.api.wait_for_dags(["celery_queues", "celery_slow_task"])
            timings.update(cluster.timings)
            yield CeleryTestCluster(cluster, records, workdirs, timings)
        finally:
            stopping = time.monotonic()
            cluster.stop()
            timings["cluster stop"] = time.monotonic() - stopping
    left = processes_under(root)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "celery-cluster-timings.json").write_text(json.dumps(
        {name: round(seconds, 2) for name, seconds in timings.items()}, indent=2) + "\n")
    assert not left, f"processes outlived the cluster: {left}"
