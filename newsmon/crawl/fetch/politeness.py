"""Keep a minimum delay between two requests to the same host (the larger of the source's and robots.txt's)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from newsmon.crawl.fetch.base import FetchRequest, FetchResult, Proceed

__all__ = ["HostPoliteness"]


class HostPoliteness:
    """Waits its turn per host before each request, retries and robots.txt included."""

    def __init__(self, min_delay_seconds: float):
        self.min_delay_seconds = min_delay_seconds
        self._last_request: dict[str, float] = {}

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        host = urlsplit(request.url).netloc
        delay = max(self.min_delay_seconds, request.crawl_delay or 0.0)
        elapsed = time.monotonic() - self._last_request.get(host, float("-inf"))
        if elapsed < delay:
            time.sleep(delay - elapsed)
        self._last_request[host] = time.monotonic()
        return proceed(request)
