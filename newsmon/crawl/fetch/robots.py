"""Honour the host's robots.txt as RFC 9309 says: read once per host and run (or taken from the crawl state when it
was read less than ``robots_cache_minutes`` ago), through the components after this one.

The rules are parsed by ``protego`` (Scrapy's parser): every group naming our User-Agent (or ``*``) counts, merged;
the longest matching path wins, ``Allow`` over ``Disallow`` on a tie; ``*`` and ``$`` patterns; ``Crawl-delay``.
What the answer means (RFC 9309, section 2.3.1):

=====================================  ==============================================================
2xx                                    the rules in it
3xx                                    followed, up to :data:`MAX_ROBOTS_REDIRECTS` hops (each hop through
                                       the address check); more hops: as if there were none (allow all)
4xx (401, 403 and 404 included)        no rules: everything is allowed
5xx, 429, unreachable (timeout,        everything is disallowed for this run (``robots-unreachable``, which
connection refused, too large, …)      the crawler retries next run): the host is not crawled until its
                                       robots.txt can be read again
=====================================  ==============================================================
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from protego import Protego

from newsmon.crawl.fetch.base import (
    DeadlineExceeded,
    FetchContext,
    FetchError,
    FetchRequest,
    FetchResult,
    Proceed,
)
from newsmon.crawl.urls import resolve_url

__all__ = ["MAX_ROBOTS_REDIRECTS", "RobotsRules", "cached_robots"]

log = logging.getLogger(__name__)

#: Redirects followed for robots.txt (RFC 9309 asks for at least five).
MAX_ROBOTS_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class _HostRobots:
    """What one host's robots.txt said: its rules (``None``: allow all), or why it could not be read."""

    rules: Protego | None = None
    unreachable: str | None = None
    #: The robots.txt text the rules come from (kept in the cache).
    text: str | None = None


def cached_robots(entry: object, cache_seconds: float) -> tuple[Protego | None, str | None] | None:
    """The rules (``None``: no rules) and text of a robots.txt cache entry (``{"at": ISO time, "text": ...}``, as
    the crawl state keeps them) read less than ``cache_seconds`` ago; ``None`` if it is missing, stale or garbled.
    The crawler's :class:`RobotsRules` and the feed watcher both read the cache through this."""
    if not isinstance(entry, dict) or cache_seconds <= 0:
        return None
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(entry["at"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= age < cache_seconds:
        return None
    text = entry.get("text")
    return (Protego.parse(text), text) if isinstance(text, str) else (None, None)


class RobotsRules:
    """Refuses what robots.txt disallows for ``user_agent``, and hands its ``Crawl-delay`` on with the request.

    ``check_url`` is the address check every redirect hop of robots.txt passes (it raises :class:`FetchError`).
    The robots.txt answers are reported as ``robots`` (their redirect hops as ``redirect``).
    """

    def __init__(self, context: FetchContext, user_agent: str, check_url: Callable[[str], None],
                 cache: dict[str, dict] | None = None, cache_seconds: float = 0.0):
        self.context, self.user_agent, self.check_url = context, user_agent, check_url
        self._hosts: dict[str, _HostRobots] = {}
        #: Origin → ``{"at": ISO time, "text": robots.txt or None (no rules)}``: what was read in an earlier run,
        #: used for ``cache_seconds`` (RFC 9309 allows up to 24 hours), so an unchanged feed costs one request.
        #: Only readable answers are kept: an unreachable robots.txt is asked again next run.
        self.cache, self.cache_seconds = cache, cache_seconds

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        robots = self._robots_for(request.url, proceed)
        if robots.unreachable:
            raise FetchError("robots-unreachable", request.url, robots.unreachable)
        if robots.rules is not None:
            if not robots.rules.can_fetch(request.url, self.user_agent):
                raise FetchError("robots-disallowed", request.url,
                                 f"robots.txt disallows {request.url} for our User-Agent")
            delay = robots.rules.crawl_delay(self.user_agent)
            if delay:
                request.crawl_delay = float(delay)
        return proceed(request)

    def _robots_for(self, url: str, proceed: Proceed) -> _HostRobots:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._hosts and (cached := self._cached(origin)) is not None:
            self._hosts[origin] = cached
        if origin not in self._hosts:
            requests_before = self.context.requests_made
            try:
                self._hosts[origin] = robots = self._read(f"{origin}/robots.txt", proceed)
            finally:
                self.context.robots_requests += self.context.requests_made - requests_before
            if self.cache is not None and robots.unreachable is None:
                self.cache[origin] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "text": robots.text}
        return self._hosts[origin]

    def _cached(self, origin: str) -> _HostRobots | None:
        found = cached_robots((self.cache or {}).get(origin), self.cache_seconds)
        if found is None:
            return None
        rules, text = found
        return _HostRobots(rules, text=text)

    def _read(self, robots_url: str, proceed: Proceed) -> _HostRobots:
        url = robots_url
        for hop in range(MAX_ROBOTS_REDIRECTS + 1):
            try:
                if hop:
                    self.check_url(url)
                result = proceed(FetchRequest(url))
            except FetchError as exc:
                return self._unreachable(robots_url, f"{exc.reason}: {exc}")
            except DeadlineExceeded:
                return self._unreachable(robots_url, "not read before the fetch's deadline")
            if result.status in _REDIRECTS and result.headers.get("location"):
                self.context.report(result, "redirect")
                url = resolve_url(url, result.headers["location"])
                continue
            self.context.report(result, "robots")
            if 200 <= result.status < 300:
                text = result.body.decode("utf-8", "replace")
                return _HostRobots(Protego.parse(text), text=text)
            if 400 <= result.status < 500 and result.status != 429:
                log.info("robots.txt at %s answered %d: no rules, everything is allowed", robots_url, result.status)
                return _HostRobots()
            return self._unreachable(robots_url, f"robots.txt answered HTTP {result.status}")
        log.info("robots.txt at %s redirects more than %d times: treated as absent (everything allowed)",
                 robots_url, MAX_ROBOTS_REDIRECTS)
        return _HostRobots()

    @staticmethod
    def _unreachable(robots_url: str, why: str) -> _HostRobots:
        detail = (f"{why} at {robots_url}; RFC 9309: the host is treated as disallowed until its robots.txt can "
                  "be read, the pages are tried again next run")
        log.warning("%s", detail)
        return _HostRobots(unreachable=detail)
