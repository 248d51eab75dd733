"""Refuse a URL whose host is an address the crawler must never reach (see :mod:`newsmon.crawl.safety`)."""

from __future__ import annotations

from newsmon.crawl.fetch.base import FetchError, FetchRequest, FetchResult, Proceed
from newsmon.crawl.safety import UnsafeAddress, check_url_allowed

__all__ = ["AddressSafety"]


class AddressSafety:
    """Checked before anything is sent to the host (robots.txt included), on every redirect hop.

    ``allow_private``: loopback and private addresses may be reached (an intranet source, or a fetch through a
    mirror, where no request leaves for the host itself); link-local and metadata addresses never.
    """

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        try:
            check_url_allowed(request.url, self.allow_private)
        except UnsafeAddress as exc:
            raise FetchError("unsafe-address", request.url, str(exc)) from None
        return proceed(request)
