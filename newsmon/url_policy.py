"""The URL policy: only ``http`` and ``https`` URLs with a host are fetched, stored, linked or mailed.

A canonical link, hreflang alternate or other URL a page declares with any other scheme (``javascript:``,
``data:``, ``file:``) is ignored. Crawling, extraction and the alert channels all ask :func:`is_web_url`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["WEB_SCHEMES", "is_web_url"]

#: The only schemes a URL may have to be fetched, stored, linked or mailed.
WEB_SCHEMES = frozenset({"http", "https"})
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\]")


def is_web_url(url: object) -> bool:
    """Whether ``url`` is an absolute ``http``/``https`` URL with a host and nothing a browser or mail client
    would read differently (no whitespace, control characters or backslashes): the only URLs kept.

    >>> is_web_url("https://a.org/x"), is_web_url("javascript://a.org/%0Aalert(1)"), is_web_url("http://[::1]:8/")
    (True, False, True)
    """
    if not isinstance(url, str) or _UNSAFE_CHARACTERS.search(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
