"""Retry server errors, throttling and timeouts with exponential back-off and jitter (``Retry-After`` honoured)."""

from __future__ import annotations

import logging
import random
import time

import httpx

from newsmon.crawl.fetch.base import (
    FetchContext,
    FetchError,
    FetchRequest,
    FetchResult,
    Proceed,
    parse_retry_after,
)

__all__ = ["RetryWithBackoff", "parse_retry_after"]

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 60.0


class RetryWithBackoff:
    """Up to :data:`MAX_ATTEMPTS` tries; a retried answer is reported as ``retried``.

    A back-off that would end past the fetch's deadline is not started: the last answer (or error) stands.
    Waits the server asks for that are too long for this run are turned into a deferral before they get
    here (:class:`~newsmon.crawl.fetch.deferral.RetryAfterDeferral`).
    """

    def __init__(self, context: FetchContext):
        self.context = context

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                result = proceed(request)
            except httpx.TimeoutException as exc:
                delay = self._delay(attempt, None)
                if attempt == MAX_ATTEMPTS or delay is None:
                    raise FetchError("timeout", request.url,
                                     f"{type(exc).__name__} after {attempt} attempts") from None
                self._back_off(request.url, attempt, delay)
                continue
            except httpx.TransportError as exc:
                delay = self._delay(attempt, None)
                if attempt == MAX_ATTEMPTS or delay is None:
                    raise FetchError("connection-failed", request.url, str(exc) or type(exc).__name__) from None
                self._back_off(request.url, attempt, delay)
                continue
            if result.status not in RETRY_STATUSES or attempt == MAX_ATTEMPTS:
                return result
            delay = self._delay(attempt, result.headers.get("retry-after"))
            if delay is None:
                return result
            self.context.report(result, "retried")
            self._back_off(request.url, attempt, delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next attempt; ``None`` if that wait would end past the fetch's deadline."""
        delay = min(2.0 ** attempt, 30.0) * (0.5 + random.random())  # noqa: S311 - jitter, not crypto
        if retry_after:
            delay = max(delay, parse_retry_after(retry_after))
        delay = min(delay, MAX_RETRY_AFTER)
        return delay if delay < self.context.time_left() else None

    @staticmethod
    def _back_off(url: str, attempt: int, delay: float) -> None:
        log.warning("retrying %s in %.1fs (attempt %d of %d)", url, delay, attempt + 1, MAX_ATTEMPTS)
        time.sleep(delay)
