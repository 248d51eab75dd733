"""Watch a source's feeds cheaply: one conditional request per feed per poll, and whether anything new appeared.

This is what the feed watcher in Airflow's triggerer runs (:mod:`newsmon.crawl.watch_trigger`), on its event loop
(``httpx.AsyncClient``). A poll of a source reads its crawl state from the shared store (one read), then sends each
discovery URL of the source (its ``feeds`` and ``listings``) one conditional GET. An unchanged feed costs that one
request, answered 304. A changed one is parsed, and its items are compared with what the crawl already fetched:
only an item the crawl would fetch (:meth:`~newsmon.crawl.state.CrawlState.skip_reason`) counts as new. A sitemap index counts as new when it
changed at all (its nested sitemaps are the crawl's to read).

**The validators live in the shared crawl state, not here**: the state's ``watch`` record keeps, per URL, the
validators of the answer the watcher saw last (apart from the crawl's own, so that the crawl it starts still reads
and archives the changed feed), and the items it announced. It is written only when something changed, under the
source's crawl lock taken without waiting (a crawl holding the source: written on a later poll) and at the version
read (a conflict: read again and retry). An announced item the crawl has still not fetched after
:data:`REANNOUNCE_SECONDS` is announced again, at most :data:`MAX_ANNOUNCEMENTS` times in all (then it is the daily
crawl's). A restart of the triggerer loses nothing but the robots.txt rules read (read again).

What the watcher asks is what the crawler may ask: only ``http(s)`` URLs (:mod:`newsmon.url_policy`), each one's
addresses checked (:mod:`newsmon.crawl.safety`; no redirects are followed: a feed that redirects is the crawl's),
robots.txt honoured (the crawl's cached copy while fresh, else read and kept in memory for
``robots_cache_minutes``), the source's ``min_delay_seconds`` between two requests, its mirror if it has one.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit

import httpx
from protego import Protego

from newsmon.crawl.discovery import parse_discovery
from newsmon.crawl.fetch.robots import cached_robots
from newsmon.crawl.mirror import mirror_location
from newsmon.crawl.safety import UnsafeAddress, check_url_allowed
from newsmon.crawl.state import CrawlState
from newsmon.settings import Settings
from newsmon.sources import Source
from newsmon.url_policy import is_web_url

__all__ = ["MAX_ANNOUNCEMENTS", "REANNOUNCE_SECONDS", "PollResult", "SharedWatchStore", "SourceWatch",
           "WatchStore", "apply_watch_record", "record_watch"]

log = logging.getLogger(__name__)

#: An announced item the crawl has still not fetched is announced again after this long ...
REANNOUNCE_SECONDS = 600.0
#: ... up to this many announcements in all; after that the daily crawl takes it up.
MAX_ANNOUNCEMENTS = 3


@dataclass
class PollResult:
    """One poll of one source."""

    source: str
    #: HTTP requests sent (robots.txt included).
    requests: int = 0
    #: Discovery URLs answered 304, or with the body already seen.
    unchanged: int = 0
    #: Discovery URLs whose content changed.
    changed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: Item URLs announced now (new, or announced a while ago and still not fetched), and changed sitemap indexes.
    new_items: list[str] = field(default_factory=list)
    #: Whether the watch record could be written (``False``: a crawl held the source; written on a later poll).
    recorded: bool = True


class WatchStore(Protocol):
    """The shared crawl state as the watcher reads and writes it (:class:`SharedWatchStore`; a fake in tests)."""

    async def load(self, source: str) -> CrawlState: ...

    async def record(self, source: str, feeds: dict[str, dict], announced: list[str]) -> bool: ...


def apply_watch_record(state: CrawlState, feeds: dict[str, dict], announced: list[str],
                       now: datetime | None = None) -> None:
    """Put the watcher's validators ``feeds`` and the items ``announced`` now into ``state``'s ``watch`` record;
    forget announced items the crawl has fetched since."""
    at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    state.watch.setdefault("feeds", {}).update(feeds)
    marks = state.watch.setdefault("announced", {})
    for url in [u for u in marks if u in state.articles]:
        del marks[url]
    for url in announced:
        marks[url] = {"at": at, "times": int((marks.get(url) or {}).get("times", 0)) + 1}


def record_watch(settings: Settings, source: str, feeds: dict[str, dict], announced: list[str],
                 attempts: int = 5) -> bool:
    """Write the watcher's validators ``feeds`` (URL → validators) and the items ``announced`` now into the crawl
    state of ``source``; forget announced items the crawl has fetched since. Under the source's crawl lock, taken
    without waiting: ``False`` if a crawl holds it (nothing written). A version conflict: read again and retry."""
    from newsmon.crawl.shared_state import crawl_lock, crawl_state_store
    from newsmon.errors import CrawlBusy, ServiceUnavailable

    try:
        with crawl_lock(settings, source, wait_seconds=0):
            for attempt in range(attempts):
                state = crawl_state_store(settings).load(source)
                apply_watch_record(state, feeds, announced)
                try:
                    state.save()
                    return True
                except ServiceUnavailable as exc:
                    if "written by another" not in str(exc) or attempt == attempts - 1:
                        raise
                    log.info("%s: the crawl state changed while the watcher wrote it; reading it again", source)
    except CrawlBusy:
        return False
    return False


class SharedWatchStore:
    """The shared crawl state (:mod:`newsmon.crawl.shared_state`), its blocking calls run in a worker thread."""

    def __init__(self, settings: Settings):
        self.settings = settings

    async def load(self, source: str) -> CrawlState:
        from newsmon.crawl.shared_state import crawl_state_store

        return await asyncio.to_thread(lambda: crawl_state_store(self.settings).load(source))

    async def record(self, source: str, feeds: dict[str, dict], announced: list[str]) -> bool:
        return await asyncio.to_thread(record_watch, self.settings, source, feeds, announced)


class SourceWatch:
    """Polls one source through ``client`` (see the module docstring); one poll at a time."""

    def __init__(self, source: Source, settings: Settings, client: httpx.AsyncClient, store: WatchStore):
        self.source, self.settings, self.client, self.store = source, settings, client, store
        self.mirror = source.mirror or settings.mirror_url or None
        #: Origin → (monotonic time read, rules or ``None`` for none); robots.txt the watcher read itself.
        self._robots: dict[str, tuple[float, Protego | None]] = {}
        self._last_request = 0.0

    @property
    def targets(self) -> list[tuple[str, str, str | None, str | None]]:
        """(url, kind, language, link pattern) of every discovery URL polled."""
        found = [(str(f.url), f.kind, f.language, None) for f in self.source.feeds]
        return found + [(str(e.url), "listing", e.language, e.link_pattern) for e in self.source.listings]

    async def poll(self) -> PollResult:
        """One conditional request per discovery URL; announces what the crawl would fetch and was not announced
        lately. Raises if the crawl state cannot be read or written (the store is down)."""
        result = PollResult(self.source.name)
        state = await self.store.load(self.source.name)
        watched = state.watch.get("feeds", {})
        validators: dict[str, dict] = {}
        candidates: list[str] = []
        indexes: list[str] = []
        for url, kind, language, pattern in self.targets:
            known = watched.get(url) or self._crawl_validators(state, url)
            answer = await self._check(result, state, url, known, kind, language, pattern)
            if answer is not None:
                seen, items, index_changed = answer
                candidates += items
                if index_changed:
                    indexes.append(url)
                if _validators(seen) != _validators(known):
                    validators[url] = seen
        announced = self._to_announce(state, candidates)
        # A changed sitemap index is announced once (the crawl reads its nested sitemaps), never marked: the crawl
        # never records it as an article, so a mark would have it announced again and again.
        result.new_items = announced + indexes
        if validators or announced:
            result.recorded = await self.store.record(self.source.name, validators, announced)
        return result

    @staticmethod
    def _crawl_validators(state: CrawlState, url: str) -> dict:
        feed = state.feeds.get(url)
        if feed is None:
            return {}
        return {"etag": feed.etag, "last_modified": feed.last_modified, "content_hash": feed.content_hash}

    def _to_announce(self, state: CrawlState, candidates: list[str]) -> list[str]:
        """The candidates not announced lately, and earlier announcements the crawl has still not fetched, each
        at most :data:`MAX_ANNOUNCEMENTS` times, :data:`REANNOUNCE_SECONDS` apart."""
        marks = state.watch.get("announced", {})
        own = {url for url, *_ in self.targets}  # a discovery URL is never an item to announce again
        now = datetime.now(UTC)
        found: list[str] = []
        for url in dict.fromkeys([*candidates, *marks]):
            if url in own:
                continue
            mark = marks.get(url)
            if mark is None:
                found.append(url)
                continue
            if url not in candidates:  # its feed did not change: is it still waiting for the crawl?
                failed = state.failures.get(url)
                if url in state.articles or (failed and not failed.get("transient")):
                    continue
            try:
                age = (now - datetime.fromisoformat(mark["at"])).total_seconds()
                times = int(mark.get("times", 0))
            except (KeyError, TypeError, ValueError):
                age, times = REANNOUNCE_SECONDS, 0
            if age >= REANNOUNCE_SECONDS and times < MAX_ANNOUNCEMENTS:
                found.append(url)
        return found

    async def _check(self, result: PollResult, state: CrawlState, url: str, known: dict, kind: str,
                     language: str | None, pattern: str | None) -> tuple[dict, list[str], bool] | None:
        """(validators now, items the crawl would fetch, whether it is a sitemap index that changed) of ``url``;
        ``None`` if it could not be read."""
        try:
            if not await self._robots_allow(result, state, url):
                result.failed.append(f"{url}: robots.txt disallows it for our User-Agent")
                return None
            headers = {}
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
            response = await self._get(result, url, headers)
        except (httpx.HTTPError, UnsafeAddress, OSError) as exc:
            result.failed.append(f"{url}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code == 304:
            result.unchanged += 1
            return known, [], False
        if response.status_code != 200:
            result.failed.append(f"{url}: HTTP {response.status_code}")
            return None
        content_hash = hashlib.sha256(response.content).hexdigest()
        seen = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified"),
                "content_hash": content_hash, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        if content_hash == known.get("content_hash"):
            result.unchanged += 1
            return seen, [], False
        try:
            parsed = parse_discovery(response.content, url, kind, language, pattern)
        except ValueError as exc:
            result.failed.append(f"{url}: {exc}")
            return None
        result.changed.append(url)
        items = [item.url for item in parsed.items
                 if is_web_url(item.url) and state.skip_reason(item) is None]
        return seen, items, bool(parsed.sitemaps)  # a changed index: its nested sitemaps are the crawl's to read

    async def _get(self, result: PollResult, url: str, headers: dict[str, str]) -> httpx.Response:
        """One GET of the real ``url`` (through the mirror if any), after the address check and the source's delay
        since the previous request; no redirect is followed, the body is bounded by ``max_body_bytes``."""
        polite = self.source.politeness
        if not is_web_url(url):
            raise UnsafeAddress(f"{url}: not an http(s) URL")
        await asyncio.to_thread(check_url_allowed, url, self.source.allow_private_network or bool(self.mirror),
                                not self.mirror)
        wait = self._last_request + polite.min_delay_seconds - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_request = time.monotonic()
        target = mirror_location(self.mirror, url) if self.mirror else url
        result.requests += 1
        timeout = httpx.Timeout(polite.timeout_seconds, connect=min(10.0, polite.timeout_seconds))
        async with asyncio.timeout(polite.fetch_deadline_seconds):
            async with self.client.stream("GET", target, headers=headers, timeout=timeout,
                                          follow_redirects=False) as response:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > polite.max_body_bytes:
                        raise httpx.HTTPError(f"{url}: body over {polite.max_body_bytes} bytes")
        return httpx.Response(response.status_code, headers=response.headers, content=bytes(body),
                              request=response.request)

    async def _robots_allow(self, result: PollResult, state: CrawlState, url: str) -> bool:
        if not self.source.politeness.respect_robots_txt:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cache_seconds = self.settings.robots_cache_minutes * 60
        from_crawl = cached_robots(state.robots.get(origin), cache_seconds)  # the crawl's copy, while fresh
        if from_crawl is not None:
            rules = from_crawl[0]
        else:
            read_at, mine = self._robots.get(origin, (-1e18, None))
            if time.monotonic() - read_at >= max(cache_seconds, 60.0):
                mine = await self._read_robots(result, origin)
                self._robots[origin] = (time.monotonic(), mine)
            rules = mine
        return rules is None or rules.can_fetch(url, self.settings.user_agent)

    async def _read_robots(self, result: PollResult, origin: str) -> Protego | None:
        """RFC 9309 as the crawler reads it, without redirects: 2xx its rules, 4xx none; anything else raises."""
        response = await self._get(result, f"{origin}/robots.txt", {})
        if 200 <= response.status_code < 300:
            return Protego.parse(response.content.decode("utf-8", "replace"))
        if 400 <= response.status_code < 500 and response.status_code != 429:
            return None
        raise httpx.HTTPError(f"robots.txt at {origin} answered HTTP {response.status_code}; the host is left "
                              "alone until it can be read (RFC 9309)")


def _validators(record: dict) -> tuple:
    return record.get("etag"), record.get("last_modified"), record.get("content_hash")
