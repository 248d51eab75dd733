"""Polite, bounded, safe HTTP fetching for one source: small components, each with one hook, in a fixed order.

A request passes, in this order (each component wraps the ones after it):

1. :class:`~newsmon.crawl.fetch.deadline.FetchDeadline` — one deadline for the whole fetch (body included),
   never past the run's;
2. :class:`~newsmon.crawl.fetch.redirects.FollowRedirects` — follows redirects itself, bounded and loop-checked,
   so every hop passes all the components below;
3. :class:`~newsmon.crawl.fetch.address.AddressSafety` — refuses private, link-local and metadata addresses, and
   pins the addresses it checked for the connection;
4. :class:`~newsmon.crawl.fetch.robots.RobotsRules` — honours robots.txt as RFC 9309 says (read through 5–8) and
   its crawl-delay;
5. :class:`~newsmon.crawl.fetch.retry.RetryWithBackoff` — retries 5xx, 429 and timeouts with back-off;
6. :class:`~newsmon.crawl.fetch.deferral.RetryAfterDeferral` — a ``Retry-After`` too long to wait for defers the
   URL to a later run;
7. :class:`~newsmon.crawl.fetch.politeness.HostPoliteness` — a minimum delay between requests to a host;
8. :class:`~newsmon.crawl.fetch.size.BodySizeLimit` — streams the body with a cap, only for wanted types;

then one HTTP GET with the configured User-Agent (and the conditional headers), through the source's transport:
the network (:class:`~newsmon.crawl.fetch.network.GuardedTransport`: connects to the pinned addresses only and
gives every socket operation only the time left), or a :class:`~newsmon.crawl.mirror.MirrorTransport` when the
source is fetched through a mirror (over the same transport, without pinning).
"""

from __future__ import annotations

import ssl
import threading
import time  # noqa: F401 - tests patch newsmon.crawl.fetch.time.sleep
from collections.abc import Callable
from functools import reduce

import httpx

from newsmon.crawl.fetch.address import AddressSafety
from newsmon.crawl.fetch.base import FetchComponent, FetchContext, FetchError, FetchRequest, FetchResult
from newsmon.crawl.fetch.deadline import FetchDeadline
from newsmon.crawl.fetch.deferral import RetryAfterDeferral
from newsmon.crawl.fetch.network import GuardedTransport
from newsmon.crawl.fetch.politeness import HostPoliteness
from newsmon.crawl.fetch.redirects import FollowRedirects
from newsmon.crawl.fetch.retry import RetryWithBackoff
from newsmon.crawl.fetch.robots import RobotsRules
from newsmon.crawl.fetch.size import BodySizeLimit
from newsmon.crawl.mirror import MirrorTransport
from newsmon.settings import Settings
from newsmon.sources import Source

__all__ = ["FetchError", "FetchResult", "PoliteFetcher"]

_TLS: dict[str, ssl.SSLContext] = {}
_TLS_LOCK = threading.Lock()


def _tls_context() -> ssl.SSLContext:
    """One TLS context for every fetcher: loading the CA bundle takes 0.1-0.5 s, once is enough (thread-safe)."""
    with _TLS_LOCK:
        if "default" not in _TLS:
            _TLS["default"] = httpx.create_ssl_context()
        return _TLS["default"]


class PoliteFetcher:
    """Fetches URLs for one source, politely; use as a context manager.

    A source with a mirror (its own ``mirror``, else the ``mirror_url`` setting) is fetched through a
    :class:`MirrorTransport`; ``transport`` replaces the network under it (tests). Without a mirror or a
    ``transport`` the network is a :class:`GuardedTransport` that connects only to the addresses checked.
    """

    def __init__(self, source: Source, settings: Settings, transport: httpx.BaseTransport | None = None,
                 robots_cache: dict[str, dict] | None = None):
        self.source = source
        self.settings = settings
        polite = source.politeness
        self.context = context = FetchContext()
        mirror = source.mirror or settings.mirror_url
        if mirror:
            self._mirror = MirrorTransport(mirror, inner=transport or GuardedTransport(context, _tls_context(),
                                                                                         pin=False))
            transport = self._mirror
        else:
            self._mirror = None
            transport = transport or GuardedTransport(context, _tls_context(), pin=True)
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(polite.timeout_seconds, connect=min(10.0, polite.timeout_seconds)),
            follow_redirects=False, transport=transport, verify=_tls_context())
        address = AddressSafety(context, source.allow_private_network or self._mirror is not None,
                                resolve=self._mirror is None)
        components: list[FetchComponent] = [
            FetchDeadline(context, polite.fetch_deadline_seconds),
            FollowRedirects(context, settings.max_redirects),
            address,
        ]
        if polite.respect_robots_txt:
            components.append(RobotsRules(context, settings.user_agent, address.check, robots_cache,
                                          settings.robots_cache_minutes * 60))
        components += [RetryWithBackoff(context), RetryAfterDeferral(context, polite.max_retry_after_seconds),
                       HostPoliteness(context, polite.min_delay_seconds),
                       BodySizeLimit(context, polite.max_body_bytes)]
        self.components = components
        self._chain = reduce(lambda proceed, component: _bind(component, proceed), reversed(components), self._send)

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    # -- what the crawler reads -----------------------------------------------------------------------
    @property
    def on_answer(self) -> Callable[[FetchResult, str], object] | None:
        """Called as ``on_answer(result, role)`` with every answer :meth:`fetch` does not return itself: the
        ``"redirect"`` hops, the ``"retried"`` 5xx/429 answers, ``"robots"`` (robots.txt) and ``"too-large"``
        answers (headers only). The crawler archives them; with the returned answers that is every answer."""
        return self.context.on_answer

    @on_answer.setter
    def on_answer(self, callback: Callable[[FetchResult, str], object] | None) -> None:
        self.context.on_answer = callback

    @property
    def run_deadline(self) -> float | None:
        """``time.monotonic()`` by which the crawl run must end: no fetch lasts past it (set by the crawler)."""
        return self.context.run_deadline

    @run_deadline.setter
    def run_deadline(self, moment: float | None) -> None:
        self.context.run_deadline = moment

    @property
    def requests_made(self) -> int:
        """Every HTTP request sent, robots.txt included."""
        return self.context.requests_made

    @property
    def robots_requests(self) -> int:
        return self.context.robots_requests

    def real_url(self, url: str) -> str:
        """``url`` as the real site's: a link into the source's mirror is mapped back; others are unchanged."""
        return self._mirror.real_url(url) if self._mirror is not None else url

    # -- fetching -------------------------------------------------------------------------------------
    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None,
              accept_types: tuple[str, ...] | None = None) -> FetchResult:
        """Fetch ``url`` (conditionally when ``etag``/``last_modified`` are given), following redirects.

        With ``accept_types`` (media types such as ``text/html``), a 200 answer of another type is returned
        with an empty body: its headers are read, its body is not downloaded. The result (or the
        :class:`FetchError`) says how many requests it took in ``attempts``.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        context = self.context
        requests_before, robots_before = context.requests_made, context.robots_requests
        try:
            result = self._chain(FetchRequest(self.real_url(url), headers, accept_types))
        except FetchError as exc:
            exc.attempts = (context.requests_made - requests_before) - (context.robots_requests - robots_before)
            raise
        result.attempts = (context.requests_made - requests_before) - (context.robots_requests - robots_before)
        return result

    def _send(self, request: FetchRequest) -> FetchResult:
        """One HTTP GET, no redirect followed; the body is left to :class:`BodySizeLimit` to read."""
        self.context.requests_made += 1
        response = self._client.send(self._client.build_request("GET", request.url, headers=request.headers),
                                     stream=True)
        return FetchResult(url=request.url, final_url=str(response.url), status=response.status_code,
                           headers={k.lower(): v for k, v in response.headers.items()}, stream=response)


def _bind(component: FetchComponent, proceed):
    return lambda request: component.fetch(request, proceed)
