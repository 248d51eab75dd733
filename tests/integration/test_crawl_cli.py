"""``newsmon crawl`` and ``newsmon reprocess`` as real commands, against the replay site and Elasticsearch.

The crawl runs in a subprocess (``python -m newsmon.cli``) against a replay server of this module, whose request
log shows what the command asked for; reprocessing runs against the session's real Elasticsearch node.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from newsmon import pipeline
from newsmon.crawl.mirror import MirrorTransport
from newsmon.crawl.urls import canonicalize_url
from newsmon.devstack.replay import REPLAY_SOURCES, ReplayServer, replay_settings
from newsmon.devstack.replay.server import LoggedRequest
from newsmon.index import connect
from newsmon.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

EVENT_KEYS = {"url", "canonical_url", "source", "status", "reason", "http_status", "attempts"}
MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"


@dataclass
class Run:
    returncode: int
    events: list[dict]
    stderr: str
    log: list[LoggedRequest]


def newsmon_crawl(server: ReplayServer, *args: str, sources_file: Path = REPLAY_SOURCES) -> Run:
    """Run ``newsmon crawl ARGS`` as a command; its events, stderr and the requests the server answered."""
    server.reset_requests()
    env = {**os.environ, **replay_settings(server.base_url), "NEWSMON_SOURCES_FILE": str(sources_file)}
    done = subprocess.run([sys.executable, "-m", "newsmon.cli", "crawl", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=env, timeout=300, check=False)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    return Run(done.returncode, events, done.stderr, server.requests)


def manifest_urls(server: ReplayServer) -> dict[str, str]:
    """Every replay article (canonicalised replay URL → source) the manifests list."""
    urls = {}
    for manifest in MANIFESTS.glob("*.yaml"):
        for article in yaml.safe_load(manifest.read_text(encoding="utf-8"))["articles"]:
            urls[canonicalize_url(server.base_url + article["path"])] = manifest.stem
    return urls


def is_discovery(request: LoggedRequest) -> bool:
    return request.path.endswith("/robots.txt") or bool(
        {"If-None-Match", "If-Modified-Since"} & set(request.headers))


@pytest.fixture(scope="module")
def server():
    with ReplayServer("127.0.0.1", 0) as replay:
        yield replay


@pytest.fixture(scope="module")
def two_runs(server, tmp_path_factory) -> tuple[Run, Run]:
    state = tmp_path_factory.mktemp("crawl-cli")
    return newsmon_crawl(server, "--state", str(state)), newsmon_crawl(server, "--state", str(state))


def test_first_run_prints_one_event_per_url_and_fetches_every_replay_article_once(server, two_runs):
    first, _ = two_runs
    assert first.returncode == 0, first.stderr
    assert first.events and all(set(e) == EVENT_KEYS for e in first.events)
    assert "crawled 5 source(s)" in first.stderr
    fetched = Counter(canonicalize_url(e["url"]) for e in first.events if e["status"] == "fetched")
    expected = manifest_urls(server)
    assert {url: fetched[url] for url in expected} == dict.fromkeys(expected, 1)
    by_url = {canonicalize_url(e["url"]): e for e in first.events}
    assert all(by_url[url]["source"] == source for url, source in expected.items())
    canonical = Counter(e["canonical_url"] for e in first.events if e["status"] == "fetched")
    assert max(canonical.values()) == 1  # no document fetched twice
    # The bare-IP copy of an Afghanistan International article collapses into the www.afintl.com one.
    (duplicate,) = [e for e in first.events if e["reason"] == "duplicate-in-run"]
    assert duplicate["canonical_url"] in canonical and "/203.0.113.7/" in duplicate["url"]
    fetched_paths = [r.path for r in first.log if r.status == 200 and not r.path.endswith("/robots.txt")]
    assert len(fetched_paths) == len(set(fetched_paths))  # nothing requested twice
    assert all(e["attempts"] >= 1 and e["http_status"] == 200 for e in first.events if e["status"] == "fetched")


def test_second_run_reports_every_article_unchanged_and_fetches_nothing(server, two_runs):
    first, second = two_runs
    assert second.returncode == 0, second.stderr
    assert {canonicalize_url(e["url"]) for e in second.events} == {canonicalize_url(e["url"]) for e in first.events}
    assert {e["status"] for e in second.events} == {"unchanged"}
    assert all(e["attempts"] == 0 for e in second.events)
    # One conditional request per feed (answered 304) and robots.txt: no article was requested.
    assert second.log and all(is_discovery(r) for r in second.log), [r.path for r in second.log]
    feeds = [r for r in second.log if not r.path.endswith("/robots.txt")]
    sources = yaml.safe_load(REPLAY_SOURCES.read_text(encoding="utf-8"))["sources"]
    assert len(feeds) == sum(len(s.get("feeds", [])) + len(s.get("listings", [])) for s in sources)
    assert {r.status for r in feeds} == {304}


def test_backfill_fetches_only_items_dated_in_the_range(server, tmp_path):
    run = newsmon_crawl(server, "--state", str(tmp_path), "--source", "ankasam", "--source", "thebell",
                        "--since", "2025-01-01", "--until", "2025-06-30")
    assert run.returncode == 0, run.stderr
    assert {e["source"] for e in run.events} == {"ankasam", "thebell"}
    fetched = {e["canonical_url"] for e in run.events if e["status"] == "fetched"}
    outside = [e for e in run.events if e["reason"] == "outside-date-range"]
    # ANKASAM's Turkish feed item of 24 Mar 2025 and The Bell's Russian items of Feb and Apr 2025 are in range.
    assert len(fetched) == 3 and len(outside) == len(run.events) - 3
    requested = {r.path for r in run.log}
    assert not [e for e in outside if e["url"].removeprefix(server.base_url) in requested]


def test_a_source_that_fails_entirely_exits_2_after_the_others(server, tmp_path):
    data = yaml.safe_load(REPLAY_SOURCES.read_text(encoding="utf-8"))
    good = next(s for s in data["sources"] if s["name"] == "newarab")
    broken = {**good, "name": "broken", "feeds": [{"url": "https://broken.example/rss"}]}
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(yaml.safe_dump({"sources": [broken, good]}), encoding="utf-8")
    run = newsmon_crawl(server, "--state", str(tmp_path / "data"), sources_file=sources_file)
    assert run.returncode == 2
    assert "broken failed" in run.stderr and "every feed/listing failed" in run.stderr
    newarab = yaml.safe_load((MANIFESTS / "newarab.yaml").read_text(encoding="utf-8"))["articles"]
    assert {e["source"] for e in run.events} == {"newarab"} and len(run.events) == len(newarab)


def test_reprocess_from_archive_updates_the_same_documents(pipeline_settings):
    settings = pipeline_settings
    for name in pipeline.source_names(settings):
        pipeline.crawl(name, settings)
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    client = connect(settings)
    before = {hit["_id"] for hit in client.search(index=settings.index_alias, size=1000, _source=False)["hits"]["hits"]}
    assert before
    # As a command (it reads NEWSMON_DATA_DIR, NEWSMON_ELASTICSEARCH_URL ... set by the fixture).
    done = subprocess.run([sys.executable, "-m", "newsmon.cli", "reprocess", "--from-archive"], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["created"] == 0 and summary["updated"] == summary["processed"] == len(before)
    assert summary["archived"] == summary["processed"] + sum(summary["dropped"].values())
    client.indices.refresh(index=settings.index_alias)
    hits = client.search(index=settings.index_alias, size=1000, _source=["canonical_url"])["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == before
    canonical = Counter(hit["_source"]["canonical_url"] for hit in hits)
    assert max(canonical.values()) == 1  # no duplicates
    assert len(pipeline.pending_batches(settings)) == 0  # the queue is empty again


def _path_and_query(url: str) -> str:
    """Where the replay site (the mirror) keeps the real ``url``: the request target its log shows."""
    parts = urlsplit(MirrorTransport("http://replay").mirror_url(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_each_run_writes_one_warc_set_with_every_answer_it_received(replay_server, tmp_path):
    """Every answer (robots.txt, feeds 200 and 304 alike, article pages), in arrival order, one file set per run."""
    from warcio.archiveiterator import ArchiveIterator

    data_dir = tmp_path / "data"
    first = newsmon_crawl(replay_server, "--source", "thebell", "--state", str(data_dir))
    second = newsmon_crawl(replay_server, "--source", "thebell", "--state", str(data_dir))
    assert first.returncode == second.returncode == 0
    files = sorted((data_dir / "archive" / "thebell").glob("*/*.warc.gz"))
    assert len(files) == 2  # one set (a single file here) per run

    def answers(path: Path) -> list[tuple[str, int]]:
        with open(path, "rb") as handle:
            return [(_path_and_query(r.rec_headers.get_header("WARC-Target-URI")), int(r.http_headers.get_statuscode()))
                    for r in ArchiveIterator(handle) if r.rec_type == "response"]

    assert answers(files[0]) == [(r.path, r.status) for r in first.log]
    discovery = {r.path for r in second.log}  # the feeds: all the second run asked for
    article_pages = [r for r in first.log if r.status == 200 and r.path not in discovery
                     and not r.path.endswith("/robots.txt")]
    assert sum(1 for e in first.events if e["status"] == "fetched") == len(article_pages) > 0
    # The second run found both feeds unchanged: its set holds the two 304 answers (robots.txt, read less than
    # robots_cache_minutes ago, came from the crawl state).
    assert answers(files[1]) == [(r.path, r.status) for r in second.log]
    assert [status for path, status in answers(files[1]) if not path.endswith("/robots.txt")] == [304, 304]
