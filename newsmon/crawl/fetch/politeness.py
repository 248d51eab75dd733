"""Keep a minimum delay between two requests to the same host (the larger of the source's and robots.txt's)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from newsmon.crawl.fetch.base import DeadlineExceeded, FetchContext, FetchRequest, FetchResult, Proceed

__all__ = ["HostPoliteness"]


class HostPoliteness:
    """Waits its turn per host before each request, retries and robots.txt included; a wait that would end past
    the fetch's deadline is not started (the fetch fails as ``deadline``)."""

    def __init__(self, context: FetchContext, min_delay_seconds: float):
        self.context, self.min_delay_seconds = context, min_delay_seconds
        self._last_request: dict[str, float] = {}

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        host = urlsplit(request.url).netloc
        delay = max(self.min_delay_seconds, request.crawl_delay or 0.0)
        elapsed = time.monotonic() - self._last_request.get(host, float("-inf"))
        if elapsed < delay:
            if delay - elapsed >= self.context.time_left():
                raise DeadlineExceeded()
            time.sleep(delay - elapsed)
        self._last_request[host] = time.monotonic()
        return proceed(request)
