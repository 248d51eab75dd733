"""The feed watcher's trigger (newsmon/crawl/watch_trigger.py) run as the triggerer runs it, on real parts: the
replay site over HTTP on loopback and a real Elasticsearch node holding the crawl state. After a crawl, an unchanged
feed costs one conditional request per poll interval, answered 304, and fires nothing; an article published into
the feed fires exactly one event naming it; the crawl then fetches it, while the watcher keeps polling."""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid

import pytest

from newsmon import pipeline
from newsmon.crawl.shared_state import crawl_state_store
from newsmon.crawl.watch_trigger import FeedWatchTrigger
from newsmon.devstack.replay import ReplayServer, replay_settings
from newsmon.devstack.replay.publish import publish_article
from newsmon.devstack.replay.server import SITE_ROOT
from newsmon.settings import load_settings

pytestmark = pytest.mark.integration

FEED_PATH = "/www.newarab.com/rss"
INTERVAL = 1.0


@pytest.fixture
def site(tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(SITE_ROOT, copy)
    with ReplayServer("127.0.0.1", 0, root=copy) as server:
        yield copy, server


@pytest.fixture
def settings(site, tmp_path, elasticsearch_url, monkeypatch):
    """The triggerer reads its settings from the environment, as every component does."""
    _, server = site
    values = {**replay_settings(server.base_url), "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
              "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}", "NEWSMON_DATA_DIR": str(tmp_path / "data")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def _feed_requests(server, since: float) -> list:
    return [r for r in server.requests if r.path == FEED_PATH and r.at >= since]


def test_the_watcher_fires_once_for_a_new_article_and_costs_one_conditional_request_per_interval(site, settings):
    root, server = site
    assert pipeline.crawl("newarab", settings)["queued"] > 0  # the crawl state: validators, articles, robots.txt

    async def scenario() -> dict:
        events: list = []
        generator = FeedWatchTrigger(poll_seconds=INTERVAL, sources=["newarab"]).run()

        async def consume():
            async for event in generator:
                events.append((time.monotonic(), event.payload))

        consumer = asyncio.create_task(consume())
        try:
            await asyncio.sleep(1.5)  # the watcher's first poll is done
            quiet_from = time.monotonic()
            await asyncio.sleep(6 * INTERVAL)
            quiet = (quiet_from, time.monotonic(), list(events))
            published_at = time.monotonic()
            title = publish_article(root, "watch")
            while not events and time.monotonic() - published_at < 15:
                await asyncio.sleep(0.05)
            await asyncio.sleep(4 * INTERVAL)  # announced once only
            announced = list(events)
            report = await asyncio.to_thread(pipeline.crawl, "newarab", settings)  # the watcher goes on polling
            await asyncio.sleep(3 * INTERVAL)
            return {"quiet": quiet, "published_at": published_at, "title": title, "announced": announced,
                    "crawl": report, "events": list(events)}
        finally:
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)
            await generator.aclose()

    found = asyncio.run(scenario())

    quiet_from, quiet_to, quiet_events = found["quiet"]
    assert quiet_events == []  # nothing changed: no event, so no DAG run
    polls = _feed_requests(server, quiet_from)
    polls = [r for r in polls if r.at <= quiet_to]
    assert 5 <= len(polls) <= 7, [r.at - quiet_from for r in polls]  # one per interval over 6 intervals
    assert {r.status for r in polls} == {304} and all(r.headers.get("If-None-Match") for r in polls)
    assert not [r for r in server.requests if quiet_from <= r.at <= quiet_to and r.path != FEED_PATH]

    [(fired_at, payload)] = found["announced"]  # exactly one event
    assert fired_at - found["published_at"] < INTERVAL + 3
    assert payload["sources"] == ["newarab"] and payload["items"] == 1
    [url] = payload["urls"]
    assert "/www.newarab.com/news/moscow-format-envoys-meet-" in url and url.endswith("-watch")
    assert found["crawl"]["queued"] == 1 and found["crawl"]["fetched"] == 1  # the crawl takes it up
    assert found["events"] == found["announced"]  # fetched: never announced again

    state = crawl_state_store(settings).load("newarab")
    assert url in state.articles and state.watch["announced"][url]["times"] == 1  # forgotten at the next write
    assert state.runs[-1]["ok"]  # the crawl's own save was not refused by the watcher's writes
