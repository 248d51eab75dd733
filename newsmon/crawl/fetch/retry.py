"""Retry server errors, throttling and timeouts with exponential back-off and jitter (``Retry-After`` honoured)."""

from __future__ import annotations

import logging
import random
import time
from email.utils import parsedate_to_datetime

import httpx

from newsmon.crawl.fetch.base import FetchContext, FetchError, FetchRequest, FetchResult, Proceed

__all__ = ["RetryWithBackoff"]

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 60.0


class RetryWithBackoff:
    """Up to :data:`MAX_ATTEMPTS` tries; a retried answer is reported as ``retried``."""

    def __init__(self, context: FetchContext):
        self.context = context

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            last = attempt == MAX_ATTEMPTS
            try:
                result = proceed(request)
            except httpx.TimeoutException as exc:
                if last:
                    raise FetchError("timeout", request.url,
                                     f"{type(exc).__name__} after {attempt} attempts") from None
                self._back_off(request.url, attempt, None)
                continue
            except httpx.TransportError as exc:
                if last:
                    raise FetchError("connection-failed", request.url, str(exc) or type(exc).__name__) from None
                self._back_off(request.url, attempt, None)
                continue
            if result.status in RETRY_STATUSES and not last:
                self.context.report(result, "retried")
                self._back_off(request.url, attempt, result.headers.get("retry-after"))
                continue
            return result
        raise AssertionError("unreachable")

    @staticmethod
    def _back_off(url: str, attempt: int, retry_after: str | None) -> None:
        delay = min(2.0 ** attempt, 30.0) * (0.5 + random.random())  # noqa: S311 - jitter, not crypto
        if retry_after:
            delay = max(delay, parse_retry_after(retry_after))
        delay = min(delay, MAX_RETRY_AFTER)
        log.warning("retrying %s in %.1fs (attempt %d of %d)", url, delay, attempt + 1, MAX_ATTEMPTS)
        time.sleep(delay)


def parse_retry_after(value: str) -> float:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP date); 0 if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0
