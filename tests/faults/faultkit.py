"""What the fault scenarios share: running the stages the DAG tasks run (in this process or as a worker process
that can be killed), and the exactly-once checks read back from Elasticsearch and from the mailbox."""

from __future__ import annotations

import json
import mailbox
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from elasticsearch import helpers

from newsmon import pipeline
from newsmon.crawl.crawler import process_queue
from newsmon.crawl.mirror import MirrorTransport
from newsmon.crawl.shared_state import crawl_state_store
from newsmon.crawl.urls import canonicalize_url
from newsmon.devstack.replay import REPLAY_OVERRIDES, REPLAY_SOURCES
from newsmon.devstack.replay.server import LoggedRequest, ReplayServer
from newsmon.devstack.smtp_sink import MBOX_NAME, read_messages
from newsmon.index import connect
from newsmon.models import document_id
from newsmon.settings import PROJECT_ROOT, Settings, load_settings
from newsmon.sources import load_registry

MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"
#: The settings a worker process needs, passed as NEWSMON_* variables like Airflow's environment would.
_EXPORTED = ("sources_file", "mirror_url", "source_overrides", "elasticsearch_url", "index_alias", "data_dir",
             "smtp_host", "smtp_port", "state_store", "lease_seconds")


def make_settings(tmp_path: Path, elasticsearch_url: str, site: ReplayServer, smtp_port: int, **overrides) -> Settings:
    """Settings of one scenario: its own data dir, index alias (and rule and ledger indices) and mail port."""
    values = {"sources_file": REPLAY_SOURCES, "mirror_url": site.base_url, "source_overrides": REPLAY_OVERRIDES,
              "elasticsearch_url": elasticsearch_url, "index_alias": f"fault-{uuid.uuid4().hex[:10]}",
              "data_dir": tmp_path / "data", "smtp_host": "127.0.0.1", "smtp_port": smtp_port,
              # articles that arrive after their event was mailed go out at once (as updates), not hours later
              "alert_update_interval_minutes": 0}
    return load_settings({}, **{**values, **overrides})


# -- the stages, as the DAG tasks call them ----------------------------------------------------------------
def crawl_all(settings: Settings, names: list[str] | None = None) -> dict[str, dict | Exception]:
    """One crawl task per source, run side by side like Airflow's mapped tasks; a failed task's exception is
    returned in place of its report (the other tasks carry on)."""
    names = names or pipeline.source_names(settings)

    def task(name: str) -> dict | Exception:
        try:
            return pipeline.crawl(name, settings)
        except Exception as exc:  # noqa: BLE001 - a failed task, inspected by the test
            return exc

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return dict(zip(names, pool.map(task, names)))


def process_all(settings: Settings, batch_size: int = 50) -> list[dict]:
    """Every pending batch through ``process_batch``, as the mapped processing tasks do."""
    return [pipeline.process_batch(batch, settings) for batch in pipeline.pending_batches(settings, batch_size)]


def run_pipeline(settings: Settings) -> dict:
    """Crawl (every source must succeed), process, alert: one clean run of the three DAGs' tasks."""
    crawled = crawl_all(settings)
    failed = {name: report for name, report in crawled.items() if isinstance(report, Exception)}
    assert not failed, failed
    processed = process_all(settings)
    return {"crawl": crawled, "process": processed, "alert": pipeline.alert(settings)}


def queued(settings: Settings) -> dict[str, dict]:
    """The process queue: page id → item (source, archive, url, canonical_url)."""
    return dict(process_queue(settings).items())


def crawl_state(settings: Settings, source: str) -> dict:
    """A source's crawl state as stored (in Elasticsearch, or on disk with the files store)."""
    return crawl_state_store(settings).load(source).to_data()


# -- a worker process ------------------------------------------------------------------------------------
def task_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    values = {name: getattr(settings, name) for name in _EXPORTED}
    env.update({f"NEWSMON_{name.upper()}": json.dumps(value) if isinstance(value, dict) else str(value)
                for name, value in values.items()})
    return env


def start_task(code: str, settings: Settings, log_path: Path) -> subprocess.Popen:
    """Run ``code`` (Python; ``settings`` is loaded from the environment) in a worker process of its own."""
    prelude = ("import json, logging, sys\nfrom newsmon import pipeline\nfrom newsmon.settings import load_settings\n"
               "logging.basicConfig(level=logging.INFO)\nsettings = load_settings()\n")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as output:
        return subprocess.Popen([sys.executable, "-c", prelude + code], env=task_env(settings), cwd=PROJECT_ROOT,
                                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)


def kill_when(worker: subprocess.Popen, ready: Callable[[], bool], log_path: Path, timeout: float = 120.0) -> None:
    """SIGKILL ``worker`` as soon as ``ready()`` holds (polled every 20 ms); fail if it ends first."""
    deadline = time.monotonic() + timeout
    while not ready():
        if worker.poll() is not None:
            raise AssertionError(f"the worker ended (exit {worker.returncode}) before it could be killed mid-task:\n"
                                 + log_path.read_text(errors="replace")[-3000:])
        if time.monotonic() > deadline:
            raise AssertionError(f"no progress to kill the worker at after {timeout:.0f}s:\n"
                                 + log_path.read_text(errors="replace")[-3000:])
        time.sleep(0.02)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL


def stop_worker(worker: subprocess.Popen) -> None:
    """Kill a worker still running (cleanup after a failed test)."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


# -- what a clean run produces ---------------------------------------------------------------------------
@dataclass
class Baseline:
    """What one clean run of crawl → process → alert leaves, to compare every faulty run with."""

    #: Document id → its canonical URL, source and story.
    docs: dict[str, dict]
    #: The (recipient, article) pairs mailed, each once.
    pairs: set[tuple[str, str]]
    #: Pages fetched (queued) per source by a first crawl.
    fetched: dict[str, int] = field(default_factory=dict)

    def docs_of(self, sources: set[str]) -> dict[str, dict]:
        return {doc_id: doc for doc_id, doc in self.docs.items() if doc["source"] in sources}

    def story_sources(self, story_id: str) -> set[str]:
        return {doc["source"] for doc in self.docs.values() if doc["story_id"] == story_id}


def manifest_ids() -> set[str]:
    """Document ids of every replay article the manifests expect indexed."""
    ids = set()
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            if entry.get("expect", "indexed") == "indexed":
                ids.add(document_id(canonicalize_url(entry["canonical_url"])))
    return ids


def indexed_docs(settings: Settings) -> dict[str, dict]:
    """Document id → canonical URL, source, story of every document under the alias."""
    client = connect(settings)
    client.indices.refresh(index=settings.index_alias)
    return {hit["_id"]: hit["_source"] for hit in helpers.scan(
        client, index=settings.index_alias, query={"query": {"match_all": {}}},
        source=["canonical_url", "source", "story_id"])}


# -- exactly once ---------------------------------------------------------------------------------------------
def assert_indexed_exactly_once(settings: Settings, expected: dict[str, dict]) -> None:
    """Elasticsearch holds exactly the ``expected`` documents: each id once, each canonical URL once, that total."""
    client = connect(settings)
    client.indices.refresh(index=settings.index_alias)
    total = client.count(index=settings.index_alias)["count"]
    answer = client.search(index=settings.index_alias, size=0,
                           aggs={"urls": {"terms": {"field": "canonical_url", "size": 10000}}})
    per_url = Counter({b["key"]: b["doc_count"] for b in answer["aggregations"]["urls"]["buckets"]})
    twice = {url: n for url, n in per_url.items() if n != 1}
    assert not twice, f"indexed more than once: {twice}"
    assert set(per_url) == {doc["canonical_url"] for doc in expected.values()}, (
        f"missing: {sorted({d['canonical_url'] for d in expected.values()} - set(per_url))}; "
        f"unexpected: {sorted(set(per_url) - {d['canonical_url'] for d in expected.values()})}")
    assert set(indexed_docs(settings)) == set(expected)
    assert total == len(expected)


def _pairs(message) -> list[tuple[str, str]]:
    """The (recipient, article) pairs one alert mail carries."""
    return [(message["To"], article) for article in (message["X-Newsmon-Articles"] or "").split()]


def mailed_pairs(mailbox_dir: Path) -> Counter:
    """(recipient, article) → how many mails the SMTP sink received carrying it, from the .eml files; the mbox must
    agree. An article reaches each recipient in exactly one mail (its event's first mail or an update)."""
    from_eml = Counter(pair for m in read_messages(mailbox_dir) for pair in _pairs(m))
    mbox_path = Path(mailbox_dir) / MBOX_NAME
    from_mbox = Counter()
    if mbox_path.exists():
        box = mailbox.mbox(mbox_path)
        try:
            from_mbox = Counter(pair for m in box for pair in _pairs(m))
        finally:
            box.close()
    assert from_mbox == from_eml, f"the mbox and the .eml files disagree: {from_mbox} vs {from_eml}"
    return from_eml


def assert_mailed_exactly_once(mailbox_dir: Path, expected: set[tuple[str, str]]) -> None:
    pairs = mailed_pairs(mailbox_dir)
    twice = {pair: n for pair, n in pairs.items() if n != 1}
    assert not twice, f"mailed more than once: {twice}"
    assert set(pairs) == expected, f"missing: {sorted(expected - set(pairs))}; unexpected: {sorted(set(pairs) - expected)}"


# -- the replay site's request log ---------------------------------------------------------------------------
def discovery_paths(settings: Settings, source: str) -> set[str]:
    """Request paths of a source's feeds and listings, and of the robots.txt files asked for on its hosts."""
    entry = load_registry(settings).get(source)
    mirror = MirrorTransport(settings.mirror_url)
    paths = {urlsplit(mirror.mirror_url(str(target.url))).path for target in [*entry.feeds, *entry.listings]}
    return paths | {f"/{host}/robots.txt" for host in source_hosts(settings, source)} | {"/robots.txt"}


def source_hosts(settings: Settings, source: str) -> set[str]:
    """The replayed hosts (first path segment) a source's feeds and listings live on."""
    entry = load_registry(settings).get(source)
    return {urlsplit(str(t.url)).hostname for t in [*entry.feeds, *entry.listings]}


def article_requests(log: list[LoggedRequest], settings: Settings, source: str) -> Counter:
    """GET requests per path for a source's pages other than its feeds, listings and robots.txt."""
    hosts, skip = source_hosts(settings, source), discovery_paths(settings, source)
    return Counter(r.path for r in log if r.method == "GET" and r.path not in skip
                   and r.path.strip("/").split("/")[0] in hosts)
