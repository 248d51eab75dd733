"""The hostile site: one loopback HTTP server (``ThreadingHTTPServer``, real sockets) serving what a malicious or
broken news site can send a crawler, with a log of every request it answered.

It is a mirror in the replay site's layout: the first path segment is the real host (``/hostile.example/feed/``,
``/r500.hostile.example/robots.txt``), so ``tests/fixtures/sources.hostile.yaml`` keeps real-looking URLs and the
tests point ``mirror_url`` here. Routes, by host (pages in :mod:`hostile_pages`):

``hostile.example``        ``robots.txt``; ``feed/`` (every page attack below); ``feeds/bomb/`` (entity bomb behind a
                           70 KB comment); ``feeds/xxe/``; ``sitemap.xml`` and ``sitemap-2.xml`` (sitemap indexes
                           listing themselves); ``drip/`` (one byte a second, for up to 30 s); ``canonical-js/``;
                           ``cp1251/`` (declares UTF-8, is windows-1251); ``to-ipv6/`` (302 to
                           ``http://[::1]:<port>/ipv6-target/``, served under ``/[::1]:<port>/``); ``gzip-bomb/``;
                           ``endless/`` (HTML until the client hangs up); ``long/`` (1.35 M characters);
                           ``crlf-title/``, ``script-title/``; ``to-metadata/`` (302 to 169.254.169.254)
``r500.hostile.example``   robots.txt answers 500; ``a/`` and ``b/`` must never be requested
``groups.hostile.example`` robots.txt with two ``User-agent: *`` groups and a longer ``Allow``
``redirbots.hostile...``   robots.txt 301 → ``robots-real.txt`` (``Disallow: /blocked/``; the Location in the
                           mirror layout, ``/<host>/<path>``, as a mirror writes its links)
``flood.hostile.example``  ``feed/`` of 10,000 links, each answering 503 with ``Retry-After: 999999``
``slow.hostile.example``   ``feed/`` of 12 links, each page answering after one second
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import hostile_pages as pages

__all__ = ["HostileServer", "LoggedRequest"]

_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_RSS = "application/rss+xml; charset=utf-8"
DRIP_SECONDS = 30
ENDLESS_CAP_BYTES = 200_000_000


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request the server answered: the real host and path it stood for, what it answered and when."""

    host: str
    path: str
    status: int | None
    at: float
    bytes_sent: int
    #: ``False``: the client hung up before the whole answer was written.
    complete: bool


class _Handler(BaseHTTPRequestHandler):
    server_version = "hostile/1"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._status, self._sent, complete = None, 0, True
        arrived = time.monotonic()
        segments = unquote(urlsplit(self.path).path).lstrip("/").split("/", 1)
        host, path = segments[0], "/" + (segments[1] if len(segments) > 1 else "")
        try:
            self._route(host, path)
        except (BrokenPipeError, ConnectionResetError):
            complete, self.close_connection = False, True
        finally:
            self.server.log_request_answered(LoggedRequest(host, path, self._status, arrived, self._sent, complete))

    # -- routes -----------------------------------------------------------------------------------------
    def _route(self, host: str, path: str) -> None:
        port = self.server.server_address[1]
        if host == pages.HOST:
            self._main_host(path, port)
        elif host == f"[::1]:{port}" and path == "/ipv6-target/":
            self._send(200, _HTML, pages.article("Reached through an IPv6 redirect"))
        elif host == pages.R500_HOST and path == "/robots.txt":
            self._send(500, _TEXT, b"internal server error\n")
        elif host == pages.GROUPS_HOST and path == "/robots.txt":
            self._send(200, _TEXT, pages.ROBOTS[pages.GROUPS_HOST])
        elif host == pages.REDIRBOTS_HOST and path == "/robots.txt":
            self._send(301, _TEXT, b"moved\n", {"Location": f"/{pages.REDIRBOTS_HOST}/robots-real.txt"})
        elif host == pages.REDIRBOTS_HOST and path == "/robots-real.txt":
            self._send(200, _TEXT, pages.ROBOTS["redirbots-real"])
        elif host == pages.FLOOD_HOST and path == "/feed/":
            self._send(200, _RSS, pages.numbered_feed(pages.FLOOD_HOST, pages.FLOOD_LINKS))
        elif host == pages.FLOOD_HOST and path.startswith("/item/"):
            self._send(503, _TEXT, b"overloaded\n", {"Retry-After": "999999"})
        elif host == pages.SLOW_HOST and path == "/feed/":
            self._send(200, _RSS, pages.numbered_feed(pages.SLOW_HOST, pages.SLOW_LINKS))
        elif host == pages.SLOW_HOST and path.startswith("/item/"):
            time.sleep(1.0)
            self._send(200, _HTML, pages.article(f"Slow item {path}"))
        elif host in (pages.GROUPS_HOST, pages.REDIRBOTS_HOST) and path.count("/") >= 3:
            self._send(200, _HTML, pages.article(f"Page {path} of {host}"))
        else:
            self._send(404, _TEXT, b"not found\n")

    def _main_host(self, path: str, port: int) -> None:
        simple = {
            "/robots.txt": (_TEXT, lambda: pages.ROBOTS[pages.HOST]),
            "/feed/": (_RSS, pages.feed),
            "/feeds/bomb/": (_RSS, pages.entity_bomb_feed),
            "/feeds/xxe/": (_RSS, pages.xxe_feed),
            "/sitemap.xml": ("application/xml", lambda: pages.self_sitemap("/sitemap.xml", ("/sitemap-2.xml",))),
            "/sitemap-2.xml": ("application/xml", lambda: pages.self_sitemap("/sitemap-2.xml")),
            "/canonical-js/": (_HTML, lambda: pages.article("A page with a javascript: canonical link",
                                                            pages.JAVASCRIPT_CANONICAL)),
            "/long/": (_HTML, pages.long_article),
            "/crlf-title/": (_HTML, lambda: pages.article(pages.CRLF_TITLE)),
            "/script-title/": (_HTML, lambda: pages.article(pages.SCRIPT_TITLE)),
            "/cp1251/": ("text/html; charset=UTF-8", pages.russian_page_cp1251),
        }
        if path in simple:
            content_type, body = simple[path]
            self._send(200, content_type, body())
        elif path == "/to-ipv6/":
            self._send(302, _TEXT, b"moved\n", {"Location": f"http://[::1]:{port}/ipv6-target/"})
        elif path == "/to-metadata/":
            self._send(302, _TEXT, b"moved\n", {"Location": pages.METADATA_URL})
        elif path == "/gzip-bomb/":
            self._send(200, _HTML, pages.gzip_bomb(), {"Content-Encoding": "gzip"})
        elif path == "/drip/":
            self._drip()
        elif path == "/endless/":
            self._endless()
        else:
            self._send(404, _TEXT, b"not found\n")

    # -- answers ----------------------------------------------------------------------------------------
    def send_response(self, code, message=None) -> None:
        self._status = int(code)
        super().send_response(code, message)

    def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        for start in range(0, len(body), 65536):
            self.wfile.write(body[start:start + 65536])
            self._sent += len(body[start:start + 65536])

    def _open_stream(self) -> None:
        """Headers of a 200 HTML answer with no length: the body ends when the connection closes."""
        self.send_response(200)
        self.send_header("Content-Type", _HTML)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _drip(self) -> None:
        self._open_stream()
        started = time.monotonic()
        self.wfile.write(b"<html><head><title>drip</title></head><body><p>")
        while time.monotonic() - started < DRIP_SECONDS:
            self.wfile.write(b"x")
            self.wfile.flush()
            self._sent += 1
            time.sleep(1.0)
        self.wfile.write(b"</p></body></html>")

    def _endless(self) -> None:
        self._open_stream()
        chunk = b"<p>" + b"endless " * 8000 + b"</p>\n"
        while self._sent < ENDLESS_CAP_BYTES:
            self.wfile.write(chunk)
            self._sent += len(chunk)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
        pass


class _LoggingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address) -> None:
        super().__init__(address, _Handler)
        self.entries: list[LoggedRequest] = []
        self._in_flight = 0
        self._changed = threading.Condition()

    def process_request(self, request, client_address) -> None:
        with self._changed:
            self._in_flight += 1
        super().process_request(request, client_address)

    def log_request_answered(self, entry: LoggedRequest) -> None:
        with self._changed:
            self.entries.append(entry)

    def shutdown_request(self, request) -> None:
        super().shutdown_request(request)
        with self._changed:
            self._in_flight -= 1
            self._changed.notify_all()


class HostileServer:
    """``with HostileServer() as site: site.base_url, site.requests`` — the hostile site on loopback."""

    def __init__(self) -> None:
        self._httpd = _LoggingServer(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hostile-site", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def requests(self, host: str | None = None, settle_seconds: float = 5.0) -> list[LoggedRequest]:
        """The requests answered (for ``host`` only, if given), in arrival order, once none is in progress (or
        after ``settle_seconds``: a drip still running does not hold the test up)."""
        with self._httpd._changed:
            self._httpd._changed.wait_for(lambda: self._httpd._in_flight == 0, timeout=settle_seconds)
            entries = sorted(self._httpd.entries, key=lambda entry: entry.at)
        return [entry for entry in entries if host is None or entry.host == host]

    def reset(self) -> None:
        with self._httpd._changed:
            self._httpd.entries.clear()

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
