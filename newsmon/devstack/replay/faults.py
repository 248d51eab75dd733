"""Fault routes of the replay site: the ways real sites misbehave, served on demand for the crawler tests.

``ReplayServer(faults=True)`` serves a made-up host, ``faults.example``, under ``/faults.example/`` (the same
layout as the replayed sites: first path segment = host). Without ``faults=True`` those paths are 404 like any
missing page, so the normal replay site is unchanged. ``tests/fixtures/sources.faults.yaml`` points the source
``faults`` at it. Everything is generated here; there are no static files.

=============================  ==========================================================================
``robots.txt``                 ``Disallow: /private/`` (the real path; the fetcher matches real paths)
``feed/``                      RSS 2.0 listing every route below plus the cloud-metadata URL (ETag, 304)
``malformed-feed/``            RSS with an undefined entity, an unclosed ``<b>``, a missing ``</item>``, no
                               ``</rss>``, unreadable dates, a relative link and an item without a link;
                               three items are still readable (``articles/malformed-1..3/``)
``articles/<slug>/``           a UTF-8 article page with a canonical link to ``https://faults.example/...``
``missing/``                   404
``flaky/``                     500 on the first request (per path and server), then 200 with an article
``throttled/``                 429 with ``Retry-After: 1`` on the first request, then 200 with an article
``redirect/1/``                301 → ``redirect/2/`` (absolute) → 302 → ``redirect/3/`` (relative) → 307 →
                               ``articles/redirect-target/``: three hops
``loop/a/``, ``loop/b/``       302 to each other
``to-private/``                302 → ``private/secret/`` (a redirect into a robots-disallowed path)
``private/secret/``            an article, disallowed by robots.txt: must never be requested
``to-metadata/``               302 → ``http://169.254.169.254/latest/meta-data/`` (SSRF through a redirect)
``cp1251/``                    Russian article in windows-1251, ``Content-Type: text/html`` without charset,
                               no ``<meta charset>``
``huge/``                      2 MB of HTML with a ``Content-Length``
``huge-stream/``               2 MB of HTML without ``Content-Length`` (ends when the connection closes)
``binary/``                    64 MB of ``application/octet-stream`` (a PNG signature, then zeros), linked
                               as an article; the log's ``complete=False`` shows a client that stopped reading
=============================  ==========================================================================

Every page carries an ``ETag`` and answers ``If-None-Match`` with 304, like the static site.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from email.utils import formatdate
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler as _ReplayHandler  # the server's handler class derives from it

__all__ = [
    "BINARY_BYTES",
    "FAULT_HOST",
    "FEED_PATH",
    "HUGE_BYTES",
    "MALFORMED_FEED_PATH",
    "METADATA_URL",
    "FaultState",
    "is_fault_path",
    "serve_fault",
]

FAULT_HOST = "faults.example"
PREFIX = f"/{FAULT_HOST}/"
FEED_PATH = f"{PREFIX}feed/"
MALFORMED_FEED_PATH = f"{PREFIX}malformed-feed/"
#: Listed in the feed; a crawler must refuse it even for a source that may reach loopback addresses.
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
HUGE_BYTES = 2_000_000
#: Far more than loopback socket buffers hold, so a client that stops reading makes the write fail.
BINARY_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
_LAST_MODIFIED = 1793491200  # the static site's fixed modification time
_HTML = "text/html; charset=utf-8"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"

_ARTICLE_TEXT = (
    ("Diplomats from Ankara, Moscow and Tehran met in Doha on Thursday to discuss humanitarian access to "
     "Afghanistan before the winter. According to officials present, the talks covered aid convoys, border "
     "crossings and the status of foreign embassies in Kabul; a further round is planned for next month."),
    ("Analysts said the meeting showed how regional powers keep their own channels to the Taliban open while "
     "Western governments hesitate. None of the delegations announced formal recognition of the authorities "
     "in Kabul, but all of them described the talks as practical and said the contacts would continue."),
)
_RUSSIAN_TITLE = "Совет безопасности обсудил положение в Афганистане"
_RUSSIAN_TEXT = (
    ("Представители России и Турции заявили в четверг, что гуманитарная помощь населению Афганистана должна "
     "поступать без политических условий. По словам дипломатов, зима угрожает миллионам людей, а запасы "
     "продовольствия в северных провинциях почти исчерпаны."),
    ("Эксперты Анкарского центра по изучению кризисов и политики отмечают, что региональные державы всё "
     "активнее ищут контакты с талибами, несмотря на отсутствие официального признания. Следующая встреча "
     "запланирована на конец месяца в Дохе."),
)

#: The feed's items: (route, title). The metadata URL is added separately (it is not on this host).
FEED_ITEMS = (
    ("articles/plain/", "A plain article that works"),
    ("missing/", "An article that is gone (404)"),
    ("flaky/", "An article behind a server error that clears (500, then 200)"),
    ("throttled/", "An article behind rate limiting (429 with Retry-After)"),
    ("redirect/1/", "An article behind three redirects"),
    ("loop/a/", "An article behind a redirect loop"),
    ("cp1251/", "A Russian article in windows-1251 with no declared charset"),
    ("huge/", "A page over the size limit (with Content-Length)"),
    ("huge-stream/", "A page over the size limit (without Content-Length)"),
    ("binary/", "A binary file linked as an article"),
    ("private/secret/", "An article robots.txt disallows"),
    ("to-private/", "A redirect into the robots-disallowed path"),
    ("to-metadata/", "A redirect to the cloud metadata address"),
)


class FaultState:
    """Per-server counters for the routes that change their answer (500-then-200, 429-then-200)."""

    def __init__(self) -> None:
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def hit(self, path: str) -> int:
        """Count a request for ``path``; return how many there have been, this one included."""
        with self._lock:
            self._hits[path] += 1
            return self._hits[path]

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def is_fault_path(path: str) -> bool:
    return path.startswith(PREFIX) or path == PREFIX.rstrip("/")


def serve_fault(handler: _ReplayHandler, path: str, state: FaultState, send_body: bool) -> None:
    """Answer one request for a path under ``/faults.example/``."""
    base = _base_url(handler)
    route = path[len(PREFIX):] if path.startswith(PREFIX) else ""
    if route and not route.endswith("/") and "." not in route.rsplit("/", 1)[-1]:
        route += "/"

    if route == "robots.txt":
        return _send(handler, 200, "text/plain; charset=utf-8", ROBOTS_TXT, send_body)
    if route == "feed/":
        return _send(handler, 200, "application/rss+xml; charset=utf-8", _feed(base), send_body)
    if route == "malformed-feed/":
        return _send(handler, 200, "application/rss+xml; charset=utf-8", _malformed_feed(base), send_body)
    if route.startswith("articles/") and route.count("/") == 2:
        return _send(handler, 200, _HTML, _article(route, route.split("/")[1]), send_body)
    if route == "private/secret/":
        return _send(handler, 200, _HTML, _article(route, "secret"), send_body)
    if route == "flaky/":
        if state.hit(path) == 1:
            return _send(handler, 500, "text/plain; charset=utf-8", b"internal server error\n", send_body)
        return _send(handler, 200, _HTML, _article(route, "flaky"), send_body)
    if route == "throttled/":
        if state.hit(path) == 1:
            return _send(handler, 429, "text/plain; charset=utf-8", b"slow down\n", send_body,
                         {"Retry-After": "1"})
        return _send(handler, 200, _HTML, _article(route, "throttled"), send_body)
    redirects = {
        "redirect/1/": (301, f"{base}{PREFIX}redirect/2/"),
        "redirect/2/": (302, "../3/"),
        "redirect/3/": (307, f"{PREFIX}articles/redirect-target/"),
        "loop/a/": (302, f"{PREFIX}loop/b/"),
        "loop/b/": (302, f"{base}{PREFIX}loop/a/"),
        "to-private/": (302, f"{PREFIX}private/secret/"),
        "to-metadata/": (302, METADATA_URL),
    }
    if route in redirects:
        status, location = redirects[route]
        return _send(handler, status, "text/plain; charset=utf-8", b"moved\n", send_body,
                     {"Location": location})
    if route == "cp1251/":
        return _send(handler, 200, "text/html", _russian_page().encode("cp1251"), send_body)
    if route == "huge/":
        return _send(handler, 200, _HTML, _huge(), send_body)
    if route == "huge-stream/":
        return _send(handler, 200, _HTML, _huge(), send_body, length=False)
    if route == "binary/":
        return _send_zeros(handler, "application/octet-stream", b"\x89PNG\r\n\x1a\n", BINARY_BYTES, send_body)
    return _send(handler, 404, "text/plain; charset=utf-8", b"not found\n", send_body)


# -- responses ------------------------------------------------------------------------------------------
def _base_url(handler: _ReplayHandler) -> str:
    host, port = handler.server.server_address[:2]
    return f"http://{handler.headers.get('Host') or f'{host}:{port}'}"


def _send(handler: _ReplayHandler, status: int, content_type: str, body: bytes, send_body: bool,
          extra: dict[str, str] | None = None, length: bool = True) -> None:
    etag = f'"{hashlib.sha1(body).hexdigest()[:20]}"'
    if status == 200 and handler._not_modified(etag):
        handler.send_response(HTTPStatus.NOT_MODIFIED)
        handler.send_header("ETag", etag)
        handler.end_headers()
        return
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    else:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    if status == 200:
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", formatdate(_LAST_MODIFIED, usegmt=True))
    for name, value in (extra or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if send_body:
        handler.write_body(body)


def _send_zeros(handler: _ReplayHandler, content_type: str, head: bytes, total: int, send_body: bool) -> None:
    """A large body generated as it is written (``head``, then zeros up to ``total`` bytes)."""
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(total))
    handler.end_headers()
    if not send_body:
        return
    handler.write_body(head)
    zeros, left = bytes(_CHUNK), total - len(head)
    while left > 0:
        handler.write_body(zeros[:left])
        left -= min(left, _CHUNK)


def _feed(base: str) -> bytes:
    items = [(f"{base}{PREFIX}{route}", title) for route, title in FEED_ITEMS]
    items.append((METADATA_URL, "Cloud metadata (must never be requested)"))
    xml_items = "\n".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>Fri, 18 Oct 2024 {8 + n:02d}:00:00 GMT</pubDate></item>"
        for n, (link, title) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>faults.example</title><link>https://{FAULT_HOST}/</link><language>en</language>\n"
            f"{xml_items}\n</channel></rss>\n").encode()


def _malformed_feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>faults.example: a broken feed</title><link>https://{FAULT_HOST}/</link>
<language>en</language>
<item><title>Readable item one</title><link>{base}{PREFIX}articles/malformed-1/</link>
<pubDate>2024-10-18T23:05:21 +0100</pubDate>
<description>An <b>unclosed bold tag &nbsp; here</description></item>
<item><title>Readable item two</title><link>../articles/malformed-2/</link>
<pubDate>Fri, 32 Foo 2024 99:00:00 GMT</pubDate><description>no closing item tag</description>
<item><title>Readable item three</title><link>{base}{PREFIX}articles/malformed-3/</link>
<pubDate>yesterday afternoon</pubDate></item>
<item><title>An item without a link</title></item>
</channel>
""".encode()


def _article(route: str, slug: str) -> bytes:
    title = f"Regional talks on Afghanistan ({slug})"
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in _ARTICLE_TEXT)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<link rel="canonical" href="https://{FAULT_HOST}/{route}">'
            f'<meta property="article:published_time" content="2024-10-18T08:00:00+00:00"></head>'
            f"<body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>").encode()


def _russian_page() -> str:
    """The windows-1251 page: no charset in the header, no ``<meta charset>``/``http-equiv`` either."""
    paragraphs = "".join(f"<p>{p}</p>" for p in _RUSSIAN_TEXT)
    return (f'<!DOCTYPE html><html lang="ru"><head><title>{_RUSSIAN_TITLE}</title>'
            f'<link rel="canonical" href="https://{FAULT_HOST}/cp1251/"></head>'
            f"<body><article><h1>{_RUSSIAN_TITLE}</h1>{paragraphs}</article></body></html>")


def _huge() -> bytes:
    paragraph = ("<p>" + " ".join(_ARTICLE_TEXT) + "</p>\n").encode("utf-8")
    head = b"<!DOCTYPE html><html><head><title>Huge</title></head><body>"
    return head + paragraph * (HUGE_BYTES // len(paragraph) + 1)
