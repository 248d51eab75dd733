"""The real pipeline under Airflow's CeleryExecutor: news_crawl → news_process → news_alerts on the replay site,
with two Celery workers that share no disk but the archive location.

Real parts only: Redis and PostgreSQL (Debian, plain processes), the Airflow API server, scheduler and DAG
processor, two workers (``crawl`` on queue ``crawl``, ``process`` on ``process`` and ``default``) with their own
host names, working directories and ``NEWSMON_DATA_DIR``; the session's Elasticsearch (crawl state, queue and
locks live there), the replay site over HTTP, the SMTP sink. Each phase uses an index alias of its own (the
settings file every task reads names it), so the second starts from nothing.

1. A daily crawl, its processing and its alerts: tasks ran on both workers, every replay article is indexed once,
   every mail is sent once.
2. The fast poll, slowed down, has its worker killed mid-crawl like a dead machine (SIGKILL to its process group
   and its tasks' groups): the crawl is retried on the other worker once the dead one's lease expired, and the
   result is the same as phase 1's: nothing lost, nothing indexed or mailed twice.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from newsmon.crawl.shared_state import process_queue
from newsmon.crawl.urls import canonicalize_url
from newsmon.devstack.airflow_cluster import TEST_SPEED_SETTINGS, AirflowCluster, CeleryWorkerSpec
from newsmon.devstack.postgres_server import PostgresServer
from newsmon.devstack.processes import processes_under
from newsmon.devstack.redis_server import RedisServer
from newsmon.devstack.replay import REPLAY_OVERRIDES, REPLAY_SOURCES, ReplayServer
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.index import connect
from newsmon.models import document_id
from newsmon.settings import PROJECT_ROOT, load_settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1500)]

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"
HOSTNAMES = {"crawl": "crawl-worker.test", "process": "process-worker.test"}
#: Seconds a crawl lock lasts without renewal (the killed worker's locks expire this long after the kill).
LEASE_SECONDS = 20


def _expected_articles() -> list[dict]:
    articles = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            if entry.get("expect", "indexed") == "indexed":
                articles.append({**entry, "source": path.stem})
    return articles


class Pipeline:
    """The cluster, and what the tasks read: the settings file (one alias per phase), the mailbox."""

    def __init__(self, cluster: AirflowCluster, settings_file: Path, sink: SmtpSink, environment: dict,
                 workdirs: dict[str, Path]):
        self.cluster, self.api, self.settings_file, self.sink = cluster, cluster.api, settings_file, sink
        self.environment, self.workdirs = environment, workdirs
        self.timings: dict[str, float] = {}
        self.phase_values: dict = {}

    def new_phase(self, **values) -> None:
        """Point every task at a fresh index alias (and these settings) from now on."""
        self.phase_values = {"index_alias": f"test-celery-{uuid.uuid4().hex[:8]}", **values}
        self.settings_file.write_text(yaml.safe_dump(self.phase_values), encoding="utf-8")

    def settings(self):
        return load_settings({k: v for k, v in self.environment.items() if k.startswith("NEWSMON_")
                              and k != "NEWSMON_SETTINGS_FILE"}, **self.phase_values,
                             data_dir=self.settings_file.parent / "test-side")

    def unpause(self, dag_id: str, paused: bool = False) -> None:
        answer = self.api.call("PATCH", f"/dags/{dag_id}", json={"is_paused": paused})
        answer.raise_for_status()

    def runs(self, dag_id: str) -> list[dict]:
        answer = self.api.call("GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "start_date", "limit": 100})
        answer.raise_for_status()
        return answer.json()["dag_runs"]

    def wait_finished(self, dag_id: str, after: datetime, timeout: float) -> dict:
        """The first run of ``dag_id`` queued after ``after``, once it finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = [r for r in self.runs(dag_id) if datetime.fromisoformat(r["queued_at"]) >= after]
            if runs and runs[0]["state"] in ("success", "failed"):
                return runs[0]
            time.sleep(1)
        raise TimeoutError(f"no finished run of {dag_id} queued after {after} within {timeout:.0f}s: "
                           f"{[(r['dag_run_id'], r['state']) for r in self.runs(dag_id)]}")

    def task_instances(self, run: dict) -> list[dict]:
        return self.api.task_instances(run["dag_id"], run["dag_run_id"])

    def record_overheads(self, label: str, instances: list[dict]) -> None:
        waits = [(datetime.fromisoformat(ti["start_date"]) - datetime.fromisoformat(ti["queued_when"]))
                 .total_seconds() for ti in instances if ti.get("queued_when") and ti.get("start_date")]
        durations = [ti["duration"] for ti in instances if ti.get("duration") is not None]
        if waits:
            self.timings[f"{label}: queued to running, median"] = statistics.median(waits)
            self.timings[f"{label}: queued to running, max"] = max(waits)
        if durations:
            self.timings[f"{label}: task duration, median"] = statistics.median(durations)
            self.timings[f"{label}: task duration, max"] = max(durations)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, elasticsearch_url):
    root = tmp_path_factory.mktemp("celery-pipeline")
    workdirs = {name: root / f"worker-{name}" for name in HOSTNAMES}
    settings_file = root / "settings.yaml"
    with ReplayServer("127.0.0.1", 0) as replay, SmtpSink(root / "mailbox") as sink, \
            RedisServer(root / "redis") as redis, PostgresServer() as postgres:
        environment = {
            **TEST_SPEED_SETTINGS,
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",  # each phase unpauses what it runs
            "NEWSMON_SETTINGS_FILE": str(settings_file),
            "NEWSMON_SOURCES_FILE": str(REPLAY_SOURCES), "NEWSMON_MIRROR_URL": replay.base_url,
            "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
            "NEWSMON_ARCHIVE_URL": f"file://{root / 'archive'}",  # the one location the workers share
            "NEWSMON_SMTP_HOST": sink.host, "NEWSMON_SMTP_PORT": str(sink.port),
            "NEWSMON_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        workers = [CeleryWorkerSpec(name, queues, workdirs[name], concurrency=2, hostname=HOSTNAMES[name],
                                    environment={"NEWSMON_DATA_DIR": str(workdirs[name] / "data")})
                   for name, queues in (("crawl", ("crawl",)), ("process", ("process", "default")))]
        cluster = AirflowCluster(root / "airflow", PROJECT_ROOT / "dags", postgres.url(), redis.url, workers,
                                 environment)
        result = Pipeline(cluster, settings_file, sink, environment, workdirs)
        result.new_phase(source_overrides=REPLAY_OVERRIDES)
        started = time.monotonic()
        cluster.start()
        try:
            cluster.api.wait_for_dags(["news_crawl", "news_fast", "news_process", "news_alerts"])
            result.timings.update(cluster.timings)
            result.timings["cluster start to DAGs parsed"] = time.monotonic() - started
            yield result
        finally:
            cluster.stop()
    left = processes_under(root)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "celery-pipeline-timings.json").write_text(json.dumps(
        {name: round(seconds, 2) for name, seconds in result.timings.items()}, indent=2) + "\n")
    assert not left, f"processes outlived the cluster: {left}"


def _check_indexed_once(settings) -> dict[str, dict]:
    """Every replay article is in the index once, and nothing else; returns them by id."""
    client = connect(settings)
    client.indices.refresh(index=settings.index_alias)
    expected = _expected_articles()
    found = {}
    for article in expected:
        doc_id = document_id(canonicalize_url(article["canonical_url"]))
        answer = client.options(ignore_status=404).get(index=settings.index_alias, id=doc_id)
        assert answer.get("found"), f"{article['canonical_url']} ({article['source']}) was not indexed"
        assert answer["_source"]["lang"] == article["lang"], article["canonical_url"]
        found[doc_id] = answer["_source"]
    assert client.count(index=settings.index_alias)["count"] == len(expected), "an article was indexed twice"
    assert process_queue(settings).ids() == [], "pages were left in the processing queue"
    return found


def _mail_keys(mails) -> Counter:
    """(recipient, event, update number) of each mail: the exactly-once key of newsmon's alerts."""
    return Counter((m["To"], m["X-Newsmon-Event"], m["X-Newsmon-Update"]) for m in mails)


def _mail_shapes(mails) -> Counter:
    """What a reader sees (recipient, subject, update number): equal between two runs over the same articles."""
    return Counter((m["To"], m["Subject"], m["X-Newsmon-Update"]) for m in mails)


def test_crawl_process_alerts_on_two_workers_index_and_mail_once(pipeline):
    phase_started = datetime.now().astimezone()
    began = time.monotonic()
    for dag_id in ("news_process", "news_alerts", "news_crawl"):
        pipeline.unpause(dag_id)  # news_crawl's daily run starts at once (catchup off)
    runs = {dag_id: pipeline.wait_finished(dag_id, phase_started, timeout=600)
            for dag_id in ("news_crawl", "news_process", "news_alerts")}
    pipeline.unpause("news_crawl", paused=True)
    assert {dag_id: run["state"] for dag_id, run in runs.items()} == dict.fromkeys(runs, "success")
    pipeline.timings["phase 1: crawl → process → alerts, to the alerts run's end"] = time.monotonic() - began

    instances = {dag_id: pipeline.task_instances(run) for dag_id, run in runs.items()}
    hosts = {(dag_id, ti["task_id"]): ti["hostname"] for dag_id, tis in instances.items() for ti in tis}
    assert hosts[("news_crawl", "crawl_group")] == HOSTNAMES["crawl"], hosts
    assert hosts[("news_process", "process_batch")] == HOSTNAMES["process"], hosts
    assert hosts[("news_alerts", "send_alerts")] == HOSTNAMES["process"], hosts
    assert {ti["queue"] for ti in instances["news_crawl"] if ti["task_id"] == "crawl_group"} == {"crawl"}
    for dag_id, tis in instances.items():
        pipeline.record_overheads(f"phase 1 {dag_id}", tis)
    pipeline.record_overheads("phase 1 all tasks", [ti for tis in instances.values() for ti in tis])
    # The workers share no disk: the crawl worker's folder has no queue or crawl state, the process worker's no
    # archive; what one handed to the other went through Elasticsearch and the archive location.
    for name, workdir in pipeline.workdirs.items():
        assert not list(workdir.rglob("*.warc.gz")), f"the {name} worker kept an archive of its own"
        assert not (workdir / "data" / "queue").exists() and not (workdir / "data" / "state" / "crawl").exists()

    settings = pipeline.settings()
    _check_indexed_once(settings)
    mails = pipeline.sink.messages()
    keys = _mail_keys(mails)
    assert mails and all(count == 1 for count in keys.values()), keys
    pipeline.phase1_mails = mails


def test_a_worker_killed_mid_crawl_has_its_crawl_retried_on_the_other_worker(pipeline):
    first_mails = getattr(pipeline, "phase1_mails", None)
    assert first_mails is not None, "the first phase did not finish: its mails are what this phase must repeat"
    # Both workers serve `crawl` now, so either can take a crawl over (the process worker is restarted idle).
    pipeline.cluster.restart_worker("process", ("process", "default", "crawl"))
    mails_before = len(pipeline.sink.messages())
    pipeline.new_phase(source_overrides={"*": {"politeness": {"min_delay_seconds": 1.5}}})
    settings = pipeline.settings()
    queue = process_queue(settings)
    phase_started = datetime.now().astimezone()
    # news_fast runs on the feed watcher's Asset, and this cluster has no triggerer: a run started by hand (no watcher
    # event) crawls every source, all of them new here, through the same mapped poll_group tasks.
    pipeline.unpause("news_fast")
    pipeline.api.trigger("news_fast")
    deadline = time.monotonic() + 300
    while not len(queue):  # the crawl has archived and queued a first page
        assert time.monotonic() < deadline, "the fast poll queued nothing within 300 s"
        time.sleep(0.2)
    [run] = [r for r in pipeline.runs("news_fast") if datetime.fromisoformat(r["queued_at"]) >= phase_started]
    [poll] = [ti for ti in pipeline.task_instances(run) if ti["task_id"] == "poll_group"]
    assert poll["state"] == "running", poll
    victim = next(name for name, host in HOSTNAMES.items() if host == poll["hostname"])
    survivor = next(name for name in HOSTNAMES if name != victim)
    queued_before_kill = len(queue)
    killed_at = time.monotonic()
    groups = pipeline.cluster.kill_worker(victim)
    assert len(groups) >= 2, f"the task's own process group was not among those killed: {groups}"
    assert queued_before_kill < len(_expected_articles()), "the crawl had finished before the kill; slow it down"

    retry_deadline = time.monotonic() + 300
    while len(tries := pipeline.api.tries("news_fast", run["dag_run_id"], "poll_group", 0)) < 2 or \
            tries[-1]["state"] not in ("running", "success", "failed"):
        assert time.monotonic() < retry_deadline, f"no retry of the killed crawl within 300 s: {tries}"
        time.sleep(1)
    pipeline.timings[f"phase 2: kill (of the {victim} worker) to retry running"] = time.monotonic() - killed_at
    if victim == "process":  # the machine comes back: someone must serve `process` and `default` again
        pipeline.cluster.start_worker("process")
    finished = pipeline.wait_finished("news_fast", phase_started, timeout=600)
    pipeline.unpause("news_fast", paused=True)
    assert finished["state"] == "success", finished
    pipeline.timings["phase 2: kill to fast poll run success"] = time.monotonic() - killed_at
    tries = pipeline.api.tries("news_fast", finished["dag_run_id"], "poll_group", 0)
    assert [t["hostname"] for t in tries] == [HOSTNAMES[victim], HOSTNAMES[survivor]], tries
    assert tries[-1]["state"] == "success" and tries[0]["state"] != "success", tries

    for dag_id in ("news_process", "news_alerts"):
        run = pipeline.wait_finished(dag_id, phase_started, timeout=600)
        assert run["state"] == "success", run
    pipeline.timings["phase 2: kill to alerts run success"] = time.monotonic() - killed_at
    _check_indexed_once(settings)
    mails = pipeline.sink.messages()[mails_before:]
    assert all(count == 1 for count in _mail_keys(mails).values()), _mail_keys(mails)
    assert _mail_shapes(mails) == _mail_shapes(first_mails), "the retried crawl lost or doubled a mail"
