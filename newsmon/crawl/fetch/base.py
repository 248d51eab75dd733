"""What the fetch components pass each other: a request, a result, an error, and the fetcher's shared context.

A component is a small class with one hook, ``fetch(request, proceed) -> FetchResult``: it may look at or change
the request, call ``proceed(request)`` (the components after it, ending with the HTTP request) zero or more
times, and look at or replace the result. :mod:`newsmon.crawl.fetch` composes them in a fixed order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

__all__ = ["DeadlineExceeded", "FetchComponent", "FetchContext", "FetchError", "FetchRequest", "FetchResult",
           "Proceed", "parse_retry_after"]


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is a short countable tag.

    ``attempts`` is how many HTTP requests were made for the URL before giving up (retries and redirect hops
    included, robots.txt not); 0 when it was refused before any request. ``retry_at`` (UTC), when set, is the
    earliest time the server wants to be asked again (a ``Retry-After`` too long to wait for in this run).
    """

    def __init__(self, reason: str, url: str, detail: str = "", attempts: int = 0,
                 retry_at: datetime | None = None):
        super().__init__(f"{reason}: {url}" + (f" ({detail})" if detail else ""))
        self.reason = reason
        self.url = url
        self.attempts = attempts
        self.retry_at = retry_at


class DeadlineExceeded(Exception):
    """The fetch (or the run) ran out of time; :class:`~newsmon.crawl.fetch.deadline.FetchDeadline` turns it into
    a :class:`FetchError` with reason ``deadline``. Raised by whatever notices first: a socket read, the body
    loop, a back-off or politeness wait that would end past the deadline."""


@dataclass(slots=True)
class FetchRequest:
    """One URL to fetch, as it travels down the components."""

    url: str
    #: Conditional-request headers (``If-None-Match``, ``If-Modified-Since``), sent on every hop.
    headers: dict[str, str] = field(default_factory=dict)
    #: Media types whose body is wanted; another type's 200 answer comes back with headers only.
    accept_types: tuple[str, ...] | None = None
    #: The host's robots.txt ``Crawl-delay``, when it has one (set by the robots component).
    crawl_delay: float | None = None

    def to(self, url: str) -> FetchRequest:
        """The same request for another URL (a redirect target)."""
        return FetchRequest(url, self.headers, self.accept_types)


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
    #: The open response whose body is still to be read (between the HTTP request and the size limit only).
    stream: httpx.Response | None = field(default=None, repr=False)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


#: The components after this one, down to the HTTP request.
Proceed = Callable[[FetchRequest], FetchResult]


class FetchComponent(Protocol):
    """One concern of fetching (robots, politeness, retries, …), with its one hook."""

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult: ...


@dataclass
class FetchContext:
    """What the components of one fetcher share: the counters, the hook that archives every answer, the current
    fetch's deadline and the addresses checked for each host."""

    #: Called as ``on_answer(result, role)`` with every answer the fetcher does not return itself.
    on_answer: Callable[[FetchResult, str], object] | None = None
    #: Every HTTP request sent, robots.txt included; ``robots_requests`` counts those for robots.txt.
    requests_made: int = 0
    robots_requests: int = 0
    #: ``time.monotonic()`` by which the fetch in progress must be done (``None``: no fetch in progress).
    deadline: float | None = None
    #: ``time.monotonic()`` by which the whole run must be done (``None``: no run deadline).
    run_deadline: float | None = None
    #: Host → the addresses the address check resolved and allowed; the network transport connects to
    #: these only (no second DNS lookup between the check and the connection).
    pins: dict[str, list[str]] = field(default_factory=dict)

    def report(self, result: FetchResult, role: str) -> None:
        if self.on_answer is not None:
            self.on_answer(result, role)

    def time_left(self) -> float:
        """Seconds left before the current fetch's deadline (``inf`` without one); never negative."""
        if self.deadline is None:
            return float("inf")
        return max(0.0, self.deadline - time.monotonic())

    def check_deadline(self) -> None:
        """Raise :class:`DeadlineExceeded` if the current fetch's deadline has passed."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise DeadlineExceeded()


def parse_retry_after(value: str) -> float:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP date); 0 if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return 0.0
