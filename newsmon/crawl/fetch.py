"""Polite, bounded, safe HTTP fetching for one source.

One :class:`PoliteFetcher` per source and run: it honours robots.txt (and its crawl-delay), keeps a minimum
delay between requests to a host, sends the configured User-Agent, makes conditional requests, retries 5xx
and timeouts with exponential back-off and jitter (``Retry-After`` on 429/503), streams bodies with a size
cap, follows redirects itself (bounded, loop-checked, every hop checked by :mod:`newsmon.crawl.safety`).
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsmon.crawl.safety import UnsafeAddress, check_url_allowed
from newsmon.crawl.urls import replay_to_real_url, resolve_url
from newsmon.settings import Settings
from newsmon.sources import Source

__all__ = ["FetchError", "FetchResult", "PoliteFetcher"]

log = logging.getLogger(__name__)

_RETRY_STATUSES = {429, 500, 502, 503, 504}
_MAX_ATTEMPTS = 3
_MAX_RETRY_AFTER = 60.0
_TLS: dict[str, ssl.SSLContext] = {}
_TLS_LOCK = threading.Lock()


def _tls_context() -> ssl.SSLContext:
    """One TLS context for every fetcher: loading the CA bundle takes 0.1-0.5 s, once is enough (thread-safe)."""
    with _TLS_LOCK:
        if "default" not in _TLS:
            _TLS["default"] = httpx.create_ssl_context()
        return _TLS["default"]


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is a short countable tag.

    ``attempts`` is how many HTTP requests were made for the URL before giving up (retries and redirect hops
    included, robots.txt not); 0 when it was refused before any request.
    """

    def __init__(self, reason: str, url: str, detail: str = "", attempts: int = 0):
        super().__init__(f"{reason}: {url}" + (f" ({detail})" if detail else ""))
        self.reason = reason
        self.url = url
        self.attempts = attempts


@dataclass(slots=True)
class FetchResult:
    """What one fetch returned (after redirects)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)
    #: HTTP requests made for this URL: retries and redirect hops included, robots.txt not.
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class PoliteFetcher:
    """Fetches URLs for one source, politely; use as a context manager."""

    def __init__(self, source: Source, settings: Settings, transport: httpx.BaseTransport | None = None):
        self.source = source
        self.settings = settings
        polite = source.politeness
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(polite.timeout_seconds, connect=min(10.0, polite.timeout_seconds)),
            follow_redirects=False,
            transport=transport,
            verify=_tls_context(),
        )
        self._last_request: dict[str, float] = {}
        #: Called as ``on_answer(result, role)`` with every answer :meth:`fetch` does not return itself: the
        #: ``"redirect"`` hops, the ``"retried"`` 5xx/429 answers, ``"robots"`` (robots.txt) and ``"too-large"``
        #: answers (headers only). The crawler archives them; with the returned answers that is every answer.
        self.on_answer: Callable[[FetchResult, str], object] | None = None
        self._robots: dict[str, RobotFileParser | None] = {}
        #: Every HTTP request sent, robots.txt included; ``robots_requests`` counts those for robots.txt.
        self.requests_made = 0
        self.robots_requests = 0

    def __enter__(self) -> "PoliteFetcher":
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    # -- public ---------------------------------------------------------------------------------------
    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None,
              accept_types: tuple[str, ...] | None = None) -> FetchResult:
        """Fetch ``url`` (conditionally when ``etag``/``last_modified`` are given), following redirects.

        With ``accept_types`` (media types such as ``text/html``), a 200 answer of another type is returned
        with an empty body: its headers are read, its body is not downloaded. The result (or the
        :class:`FetchError`) says how many requests it took in ``attempts``.
        """
        requests_before, robots_before = self.requests_made, self.robots_requests
        try:
            result = self._fetch_following(url, etag, last_modified, accept_types)
        except FetchError as exc:
            exc.attempts = (self.requests_made - requests_before) - (self.robots_requests - robots_before)
            raise
        result.attempts = (self.requests_made - requests_before) - (self.robots_requests - robots_before)
        return result

    # -- internals ------------------------------------------------------------------------------------
    def _fetch_following(self, url: str, etag: str | None, last_modified: str | None,
                         accept_types: tuple[str, ...] | None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[str] = []
        current = url
        while True:
            self._check_safe(current)  # before robots.txt: not even that is requested from a refused host
            if self.source.politeness.respect_robots_txt and not self._robots_allow(current):
                raise FetchError("robots-disallowed", url,
                                 f"robots.txt disallows {current} for our User-Agent")
            result = self._fetch_once(current, headers, accept_types)
            if result.status in (301, 302, 303, 307, 308) and "location" in result.headers:
                self._report(result, "redirect")
                target = resolve_url(current, result.headers["location"])
                redirects.append(current)
                if target in redirects or target == current:
                    raise FetchError("redirect-loop", url, " -> ".join([*redirects, target]))
                if len(redirects) > self.settings.max_redirects:
                    raise FetchError("too-many-redirects", url, f"more than {self.settings.max_redirects}")
                current = target
                continue
            result.url, result.redirects = url, redirects
            return result

    def _check_safe(self, url: str) -> None:
        try:
            check_url_allowed(url, self.source.private_network_allowed)
        except UnsafeAddress as exc:
            raise FetchError("unsafe-address", url, str(exc)) from None

    def _fetch_once(self, url: str, headers: dict[str, str],
                    accept_types: tuple[str, ...] | None = None) -> FetchResult:
        """One URL, no redirects followed, retried on 5xx/429/timeouts; the caller ran :meth:`_check_safe`."""
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            self._wait_turn(url)
            try:
                result = self._stream(url, headers, accept_types)
            except httpx.TimeoutException as exc:
                if attempt == _MAX_ATTEMPTS:
                    raise FetchError("timeout", url, f"{type(exc).__name__} after {attempt} attempts") from None
                self._back_off(url, attempt, None)
                continue
            except httpx.TransportError as exc:
                if attempt == _MAX_ATTEMPTS:
                    raise FetchError("connection-failed", url, str(exc) or type(exc).__name__) from None
                self._back_off(url, attempt, None)
                continue
            if result.status in _RETRY_STATUSES and attempt < _MAX_ATTEMPTS:
                self._report(result, "retried")
                self._back_off(url, attempt, result.headers.get("retry-after"))
                continue
            return result
        raise AssertionError("unreachable")

    def _stream(self, url: str, headers: dict[str, str],
                accept_types: tuple[str, ...] | None = None) -> FetchResult:
        limit = self.source.politeness.max_body_bytes
        self.requests_made += 1
        with self._client.stream("GET", url, headers=headers) as response:
            body = bytearray()
            headers_received = {k.lower(): v for k, v in response.headers.items()}
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            wanted = accept_types is None or media_type in accept_types
            if response.status_code == 200 and wanted:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise self._too_large(url, response, headers_received,
                                          f"Content-Length {declared} is over {limit} bytes")
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > limit:
                        raise self._too_large(url, response, headers_received, f"body over {limit} bytes")
            return FetchResult(url=url, final_url=str(response.url), status=response.status_code,
                               headers=headers_received, body=bytes(body))

    def _too_large(self, url: str, response: httpx.Response, headers: dict[str, str], detail: str) -> FetchError:
        """Report the over-size answer (headers only) and return the error to raise."""
        self._report(FetchResult(url, str(response.url), response.status_code, headers), "too-large")
        return FetchError("too-large", url, f"{detail}; raise max_body_bytes")

    def _report(self, result: FetchResult, role: str) -> None:
        if self.on_answer is not None:
            self.on_answer(result, role)

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        delay = self.source.politeness.min_delay_seconds
        robots = self._robots.get(self._robots_key(url))
        if robots is not None:
            crawl_delay = robots.crawl_delay(self.settings.user_agent)
            if crawl_delay:
                delay = max(delay, float(crawl_delay))
        elapsed = time.monotonic() - self._last_request.get(host, float("-inf"))
        if elapsed < delay:
            time.sleep(delay - elapsed)
        self._last_request[host] = time.monotonic()

    def _back_off(self, url: str, attempt: int, retry_after: str | None) -> None:
        delay = min(2.0 ** attempt, 30.0) * (0.5 + random.random())  # noqa: S311 - jitter, not crypto
        if retry_after:
            delay = max(delay, _parse_retry_after(retry_after))
        delay = min(delay, _MAX_RETRY_AFTER)
        log.warning("retrying %s in %.1fs (attempt %d of %d)", url, delay, attempt + 1, _MAX_ATTEMPTS)
        time.sleep(delay)

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        key = self._robots_key(url)
        if key not in self._robots:
            self._robots[key] = self._load_robots(f"{parts.scheme}://{parts.netloc}", url)
        robots = self._robots[key]
        if robots is None:
            return True
        # On the replay site the rules are the real host's: match them against the real path.
        real_url = replay_to_real_url(url) if self.source.replay else url
        return robots.can_fetch(self.settings.user_agent, real_url)

    def _robots_key(self, url: str) -> str:
        parts = urlsplit(url)
        if self.source.replay:  # replay site: one real host per first path segment
            return parts.netloc + "/" + parts.path.strip("/").split("/")[0]
        return parts.netloc

    def _load_robots(self, origin: str, url: str) -> RobotFileParser | None:
        requests_before = self.requests_made
        try:
            return self._read_robots(origin, url)
        finally:
            self.robots_requests += self.requests_made - requests_before

    def _read_robots(self, origin: str, url: str) -> RobotFileParser | None:
        # The replay site keeps each real host under its first path segment, so look there first.
        first_segment = urlsplit(url).path.strip("/").split("/")[0]
        candidates = [f"{origin}/robots.txt"]
        if self.source.replay and "." in first_segment:
            candidates.insert(0, f"{origin}/{first_segment}/robots.txt")
        for robots_url in candidates:
            try:
                self._check_safe(robots_url)
                result = self._fetch_once(robots_url, {})
            except FetchError as exc:
                log.info("no robots.txt at %s (%s); assuming everything is allowed", robots_url, exc.reason)
                continue
            self._report(result, "robots")
            if result.status == 200:
                parser = RobotFileParser(robots_url)
                parser.parse(result.body.decode("utf-8", "replace").splitlines())
                return parser
            if result.status in (401, 403):
                log.warning("robots.txt at %s answered %d; treating the host as disallowed", robots_url,
                            result.status)
                parser = RobotFileParser(robots_url)
                parser.disallow_all = True
                return parser
        return None


def _parse_retry_after(value: str) -> float:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0
