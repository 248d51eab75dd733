"""Refuse a URL whose host is an address the crawler must never reach (see :mod:`newsmon.crawl.safety`), and pin
the addresses that were checked for the connection (see :mod:`newsmon.crawl.fetch.network`)."""

from __future__ import annotations

import httpx

from newsmon.crawl.fetch.base import FetchContext, FetchError, FetchRequest, FetchResult, Proceed
from newsmon.crawl.fetch.network import pin_key
from newsmon.crawl.safety import UnsafeAddress, check_url_allowed

__all__ = ["AddressSafety"]


class AddressSafety:
    """Checked before anything is sent to the host (robots.txt included), on every redirect hop.

    ``allow_private``: loopback and private addresses may be reached (an intranet source, or a fetch through a
    mirror, where no request leaves for the host itself); link-local and metadata addresses never. The addresses
    checked become the host's pins: the network transport connects to them and resolves nothing itself.
    ``resolve=False`` (a mirror): host names are not looked up, since nothing connects to them; address literals
    and metadata host names are still refused.
    """

    def __init__(self, context: FetchContext, allow_private: bool, resolve: bool = True):
        self.context, self.allow_private, self.resolve = context, allow_private, resolve

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        self.check(request.url)
        return proceed(request)

    def check(self, url: str) -> None:
        """Refuse ``url`` (``unsafe-address``) or pin the addresses its host resolved to."""
        try:
            addresses = check_url_allowed(url, self.allow_private, self.resolve)
            key = pin_key(url)
        except UnsafeAddress as exc:
            raise FetchError("unsafe-address", url, str(exc)) from None
        except httpx.InvalidURL as exc:
            raise FetchError("unsafe-address", url, f"not a URL that can be fetched ({exc})") from None
        self.context.pins[key] = addresses
