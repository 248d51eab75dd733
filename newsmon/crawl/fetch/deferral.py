"""Defer a URL whose server asks for a long wait (``Retry-After``) to a later run instead of sleeping on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsmon.crawl.fetch.base import (
    FetchContext,
    FetchError,
    FetchRequest,
    FetchResult,
    Proceed,
    parse_retry_after,
)

__all__ = ["MAX_DEFERRAL", "RetryAfterDeferral"]

#: The furthest a server can push a URL back, whatever its ``Retry-After`` says.
MAX_DEFERRAL = timedelta(days=7)


class RetryAfterDeferral:
    """A 429 or 5xx answer whose ``Retry-After`` is over ``max_wait_seconds`` (or over the time the fetch has
    left) fails as ``deferred`` with the time to come back (:attr:`FetchError.retry_at`, at most
    :data:`MAX_DEFERRAL` away); the answer is reported as ``deferred``. Shorter waits are left to the retries."""

    def __init__(self, context: FetchContext, max_wait_seconds: float):
        self.context, self.max_wait_seconds = context, max_wait_seconds

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        result = proceed(request)
        if (result.status != 429 and result.status < 500) or "retry-after" not in result.headers:
            return result
        wait = parse_retry_after(result.headers["retry-after"])
        limit = min(self.max_wait_seconds, self.context.time_left())
        if wait <= limit:
            return result
        self.context.report(result, "deferred")
        retry_at = datetime.now(UTC) + min(timedelta(seconds=wait), MAX_DEFERRAL)
        raise FetchError("deferred", request.url,
                         f"HTTP {result.status} with Retry-After {result.headers['retry-after'].strip()[:40]}, more "
                         f"than the {limit:.0f}s this fetch may wait; not asked again before "
                         f"{retry_at.isoformat(timespec='seconds')}", attempts=1, retry_at=retry_at)
