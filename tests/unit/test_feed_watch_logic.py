"""The feed watcher's logic (newsmon/crawl/watch.py, watch_trigger.py) against a small fake site and a fake crawl
state store: conditional requests, 304 → no event, a new item → one event, the store down → it keeps polling."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
import yaml

from newsmon.crawl.state import CrawlState
from newsmon.crawl.watch import SourceWatch, apply_watch_record
from newsmon.crawl.watch_trigger import FeedWatchTrigger
from newsmon.errors import ServiceUnavailable
from newsmon.settings import load_settings
from newsmon.sources import Source

FEED = "https://news.example/feed"
MIRROR = "http://mirror.test"


def _rss(*slugs: str) -> bytes:
    items = "".join(f"<item><title>{s}</title><link>https://news.example/a/{s}</link></item>" for s in slugs)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


class FakeSite:
    """The feed at ``FEED`` (through the mirror), answering conditional requests by ETag; robots.txt: none."""

    def __init__(self, *slugs: str):
        self.slugs, self.requests = list(slugs), []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/news.example/robots.txt":
            return httpx.Response(404)
        assert str(request.url) == f"{MIRROR}/news.example/feed"
        etag = f'"{len(self.slugs)}"'
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        return httpx.Response(200, headers={"ETag": etag}, content=_rss(*self.slugs))

    def feed_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/feed")]


class FakeStore:
    """The crawl state of one source in memory; ``down`` load calls fail first, as when Elasticsearch is down."""

    def __init__(self, down: int = 0):
        self.state, self.down, self.loads, self.records = CrawlState("s"), down, 0, 0

    async def load(self, source: str) -> CrawlState:
        self.loads += 1
        if self.down:
            self.down -= 1
            raise ServiceUnavailable("Elasticsearch at http://127.0.0.1:9 is unreachable")
        return CrawlState.from_data(source, self.state.to_data())

    async def record(self, source: str, feeds: dict, announced: list[str]) -> bool:
        self.records += 1
        apply_watch_record(self.state, feeds, announced)
        return True

    def crawled(self, *slugs: str) -> None:
        for slug in slugs:
            self.state.articles[f"https://news.example/a/{slug}"] = {"canonical_url": None, "updated": None}


SOURCE = Source(name="s", title="S", homepage="https://news.example/", domains=["news.example"], languages=["en"],
                feeds=[{"url": FEED}], politeness={"min_delay_seconds": 0, "feed_poll_seconds": 1})


@pytest.fixture
def settings(tmp_path):
    return load_settings({}, mirror_url=MIRROR, data_dir=tmp_path / "data")


def _watch(site: FakeSite, store: FakeStore, settings) -> SourceWatch:
    client = httpx.AsyncClient(transport=httpx.MockTransport(site.handle))
    return SourceWatch(SOURCE, settings, client, store)


def test_unchanged_feed_costs_one_conditional_request_and_announces_nothing(settings):
    site, store = FakeSite("a", "b"), FakeStore()
    store.crawled("a", "b")
    watch = _watch(site, store, settings)
    first = asyncio.run(watch.poll())  # the crawl's items are all fetched: a changed feed with nothing new
    assert first.new_items == [] and first.changed == [FEED]
    assert store.state.watch["feeds"][FEED]["etag"] == '"2"'  # the validators are in the crawl state

    site.requests.clear()
    # The crawl read robots.txt a moment ago (its copy is in the crawl state): a new watch each time, as after a
    # restart of the triggerer, still costs one request per feed.
    store.state.robots["https://news.example"] = {"at": datetime.now(UTC).isoformat(), "text": None}
    for _ in range(3):
        poll = asyncio.run(_watch(site, store, settings).poll())
        assert poll.new_items == [] and poll.unchanged == 1 and poll.requests == 1
    assert [r.headers["If-None-Match"] for r in site.feed_requests()] == ['"2"'] * 3
    assert store.records == 1  # nothing written while nothing changes


def test_the_crawls_own_validators_are_used_until_the_watcher_has_its_own(settings):
    site, store = FakeSite("a"), FakeStore()
    store.crawled("a")
    store.state.feed(FEED).etag = '"1"'
    poll = asyncio.run(_watch(site, store, settings).poll())
    assert poll.unchanged == 1 and site.feed_requests()[0].headers["If-None-Match"] == '"1"'
    assert store.records == 0


def test_a_new_item_is_announced_once_and_again_only_if_the_crawl_still_has_not_fetched_it(settings):
    site, store = FakeSite("a"), FakeStore()
    store.crawled("a")
    watch = _watch(site, store, settings)
    asyncio.run(watch.poll())
    site.slugs.insert(0, "new")
    news = asyncio.run(watch.poll())
    assert news.new_items == ["https://news.example/a/new"] and news.changed == [FEED]
    assert asyncio.run(watch.poll()).new_items == []  # 304, announced a moment ago
    # Ten minutes later the crawl has still not fetched it: announced again; once fetched, never.
    store.state.watch["announced"]["https://news.example/a/new"]["at"] = "2000-01-01T00:00:00+00:00"
    assert asyncio.run(watch.poll()).new_items == ["https://news.example/a/new"]
    store.state.watch["announced"]["https://news.example/a/new"]["at"] = "2000-01-01T00:00:00+00:00"
    store.crawled("new")
    assert asyncio.run(watch.poll()).new_items == []


def test_a_changed_sitemap_index_is_announced_once_and_never_again_while_unchanged(settings):
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             '<sitemap><loc>https://news.example/sitemap-1.xml</loc></sitemap></sitemapindex>').encode()

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("robots.txt"):
            return httpx.Response(404)
        if request.headers.get("If-None-Match") == '"i"':
            return httpx.Response(304, headers={"ETag": '"i"'})
        return httpx.Response(200, headers={"ETag": '"i"'}, content=index)

    source = SOURCE.model_copy(update={"feeds": [SOURCE.feeds[0].model_copy(update={"kind": "sitemap"})]})
    store = FakeStore()
    watch = SourceWatch(source, settings, httpx.AsyncClient(transport=httpx.MockTransport(handle)), store)
    assert asyncio.run(watch.poll()).new_items == [FEED]  # the crawl reads its nested sitemaps
    assert store.state.watch.get("announced") == {}  # not marked: it is no article the crawl would record
    store.state.watch["announced"] = {FEED: {"at": "2000-01-01T00:00:00+00:00", "times": 1}}  # an older mark
    assert asyncio.run(watch.poll()).new_items == []


def test_a_feed_that_fails_is_reported_not_announced(settings):
    store = FakeStore()
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(
        404 if r.url.path.endswith("robots.txt") else 503)))
    poll = asyncio.run(SourceWatch(SOURCE, settings, client, store).poll())
    assert poll.new_items == [] and len(poll.failed) == 1 and "HTTP 503" in poll.failed[0]


def test_the_trigger_keeps_polling_while_the_store_is_down_and_fires_once_for_news(settings, tmp_path,
                                                                                     monkeypatch):
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [SOURCE.model_dump(mode="json", exclude_none=True)]}))
    monkeypatch.setenv("NEWSMON_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSMON_MIRROR_URL", MIRROR)
    site, store = FakeSite("a", "new"), FakeStore(down=3)
    store.crawled("a")
    trigger = FeedWatchTrigger(poll_seconds=0.02)

    async def first_event():
        client = httpx.AsyncClient(transport=httpx.MockTransport(site.handle))
        events = trigger.run(store=store, client=client)
        try:
            return await asyncio.wait_for(anext(events), timeout=30)
        finally:
            await events.aclose()

    event = asyncio.run(first_event())
    assert store.loads >= 4  # three failed reads (logged, backed off), then the poll that found the news
    assert event.payload["sources"] == ["s"] and event.payload["items"] == 1
    assert event.payload["urls"] == ["https://news.example/a/new"]
    assert datetime.fromisoformat(event.payload["detected_at"]) <= datetime.now(UTC)
