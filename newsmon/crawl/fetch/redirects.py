"""Follow redirects ourselves, so every hop passes the components after this one (address, robots, …)."""

from __future__ import annotations

from newsmon.crawl.fetch.base import FetchContext, FetchError, FetchRequest, FetchResult, Proceed
from newsmon.crawl.urls import resolve_url

__all__ = ["FollowRedirects"]

_REDIRECTS = (301, 302, 303, 307, 308)


class FollowRedirects:
    """Up to ``max_redirects`` hops; a loop is refused. Each hop's answer is reported as ``redirect``."""

    def __init__(self, context: FetchContext, max_redirects: int):
        self.context, self.max_redirects = context, max_redirects

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        redirects: list[str] = []
        current = request
        while True:
            result = proceed(current)
            if result.status not in _REDIRECTS or "location" not in result.headers:
                result.url, result.redirects = request.url, redirects
                return result
            self.context.report(result, "redirect")
            target = resolve_url(current.url, result.headers["location"])
            redirects.append(current.url)
            if target in redirects or target == current.url:
                raise FetchError("redirect-loop", request.url, " -> ".join([*redirects, target]))
            if len(redirects) > self.max_redirects:
                raise FetchError("too-many-redirects", request.url, f"more than {self.max_redirects}")
            current = current.to(target)
