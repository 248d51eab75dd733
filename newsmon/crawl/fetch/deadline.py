"""Bound the time of one fetch: redirects, robots.txt, retries, waits and the whole body read included.

A read timeout bounds each read only: a server that sends one byte a second never trips it. The deadline is
enforced where time is spent: the network transport (:mod:`newsmon.crawl.fetch.network`) gives every socket
read and write only the time left, the body loop checks it between chunks, back-off and politeness waits that
would end past it are not started.
"""

from __future__ import annotations

import time

from newsmon.crawl.fetch.base import (
    DeadlineExceeded,
    FetchContext,
    FetchError,
    FetchRequest,
    FetchResult,
    Proceed,
)

__all__ = ["FetchDeadline"]


class FetchDeadline:
    """Gives each fetch ``seconds`` (or what is left of the run, if less); past that it fails as ``deadline``."""

    def __init__(self, context: FetchContext, seconds: float):
        self.context, self.seconds = context, seconds

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        context = self.context
        if context.deadline is not None:  # a fetch inside a fetch (robots.txt): the outer deadline holds
            return proceed(request)
        now = time.monotonic()
        deadline, what = now + self.seconds, f"not done within {self.seconds:g}s (fetch_deadline_seconds)"
        if context.run_deadline is not None and context.run_deadline < deadline:
            deadline, what = context.run_deadline, "the run's deadline passed (run_deadline_seconds)"
        if deadline <= now:
            raise FetchError("deadline", request.url, what)
        context.deadline = deadline
        try:
            return proceed(request)
        except DeadlineExceeded:
            raise FetchError("deadline", request.url, what) from None
        finally:
            context.deadline = None
