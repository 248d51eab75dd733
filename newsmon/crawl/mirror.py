"""Fetching a site through a mirror that keeps each host under its first path segment.

A mirror (the offline replay site of the demo and tests, a local copy, an archive) serves
``https://www.ankasam.org/en/feed/`` at ``<mirror>/www.ankasam.org/en/feed/``. :class:`MirrorTransport` is the
httpx transport that does that mapping, so the crawler works on the real URLs only: the sources file keeps the real
addresses, robots.txt is the real host's, canonical URLs and document ids are the real ones. Links that point into
the mirror itself (a mirror's feed listing ``<mirror>/<host>/<path>``) are mapped back with :meth:`real_url`.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx

__all__ = ["MirrorTransport", "mirror_location", "split_mirror_url"]


def split_mirror_url(url: str) -> tuple[str | None, str]:
    """``<mirror>/<host>/<path>`` → (``<mirror>``, ``https://<host>/<path>``); any other URL → (``None``, url).

    A first path segment is a host when it has a dot (``www.ankasam.org``, ``203.0.113.7``).
    """
    parts = urlsplit(url)
    host, _, rest = parts.path.lstrip("/").partition("/")
    if not parts.netloc or "." not in host or ":" in host.split(".")[0]:
        return None, url
    return f"{parts.scheme}://{parts.netloc}", urlunsplit(("https", host, "/" + rest, parts.query, ""))


def mirror_location(mirror_url: str, url: str) -> str:
    """Where the mirror at ``mirror_url`` keeps the real ``url`` (``<mirror>/<host>/<path>``)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(("", "", f"{mirror_url.rstrip('/')}/{host}{parts.path or '/'}", parts.query, ""))


class MirrorTransport(httpx.BaseTransport):
    """Sends every request to the mirror at ``mirror_url``; the responses read as the real site's."""

    def __init__(self, mirror_url: str, inner: httpx.BaseTransport | None = None):
        self.mirror = mirror_url.rstrip("/")
        self._inner = inner or httpx.HTTPTransport()

    def real_url(self, url: str) -> str:
        """A URL of the mirror itself (``<mirror>/<host>/<path>``) as the real site's; other URLs unchanged."""
        base, real = split_mirror_url(url)
        return real if base == self.mirror else url

    def mirror_url(self, url: str) -> str:
        """Where the mirror keeps the real ``url``."""
        return mirror_location(self.mirror, url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = httpx.URL(self.mirror_url(str(request.url)))
        headers = [(b"Host", target.netloc)]
        headers += [(name, value) for name, value in request.headers.raw if name.lower() != b"host"]
        forwarded = httpx.Request(request.method, target, headers=headers, stream=request.stream,
                                  extensions=request.extensions)
        response = self._inner.handle_request(forwarded)
        location = response.headers.get("location")
        if location:
            response.headers["location"] = self.real_url(str(target.join(location)))
        return response

    def close(self) -> None:
        self._inner.close()
