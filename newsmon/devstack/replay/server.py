"""Serve the replay site over HTTP.

The site is a static tree under ``site/``: the first path segment is the real host
(``/www.ankasam.org/en/feed/``), the rest is the real path. A request for ``/a/b/`` serves ``a/b/index.html``,
``index.xml`` or ``index.rss``, whichever exists. In text files, ``{{REPLAY_BASE}}`` becomes the server's own
base URL, so feeds link to pages the crawler can fetch while pages keep their real canonical links.
Responses carry an ``ETag`` and ``Last-Modified`` and honour conditional requests, like a real CMS.

``ReplayServer(faults=True)`` also serves the fault routes of :mod:`newsmon.devstack.replay.faults` (404, 500-then-200,
429, redirect chains and loops, undeclared charsets, oversized and binary bodies, a malformed feed ...) under
``/faults.example/``. Every server keeps a log of the requests it answered (:attr:`ReplayServer.requests`), so
tests can check what a crawler asked for, and what it never asked for. :meth:`ReplayServer.start_outage` takes
one replayed host down (every request answers 5xx, or hangs past the client's timeout) until
:meth:`ReplayServer.end_outage`, for the fault suite's "source down for a whole run".
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsmon.devstack.replay.faults import FaultState, is_fault_path, serve_fault

__all__ = ["SITE_ROOT", "LoggedRequest", "ReplayServer", "start_replay_server"]

log = logging.getLogger(__name__)

SITE_ROOT = Path(__file__).parent / "site"

#: A fixed modification time for every replay file (1 Nov 2026), so responses do not depend on checkouts.
_LAST_MODIFIED = 1793491200

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
_INDEX_NAMES = ("index.html", "index.xml", "index.rss", "index.json")


def _resolve(root: Path, url_path: str) -> Path | None:
    """Map a URL path to a file under ``root``; ``None`` if there is none (or it escapes the root)."""
    relative = unquote(url_path).lstrip("/")
    candidate = (root / relative).resolve()
    if root.resolve() not in candidate.parents and candidate != root.resolve():
        return None
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        for name in _INDEX_NAMES:
            if (candidate / name).is_file():
                return candidate / name
    return None


#: The request headers the log keeps.
_LOGGED_HEADERS = ("If-None-Match", "If-Modified-Since", "User-Agent")


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request the server answered."""

    method: str
    #: The request target as sent (path and query).
    path: str
    status: int | None
    #: The request's If-None-Match, If-Modified-Since and User-Agent headers, when sent.
    headers: dict[str, str] = field(default_factory=dict)
    #: ``time.monotonic()`` when the request arrived.
    at: float = 0.0
    #: Body bytes written, and whether the whole body was (``False``: the client hung up first).
    bytes_sent: int = 0
    complete: bool = True


class _RequestLog:
    """The log, thread-safe; a handler logs after answering, so readers wait for handlers still finishing.

    A long-running server keeps the last ``limit`` requests only.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=limit)
        self._in_flight = 0
        self._changed = threading.Condition()

    def begin(self) -> None:
        with self._changed:
            self._in_flight += 1

    def add(self, entry: LoggedRequest) -> None:
        with self._changed:
            self._entries.append(entry)
            self._in_flight -= 1
            self._changed.notify_all()

    def entries(self, settle_seconds: float = 5.0) -> list[LoggedRequest]:
        """The entries in arrival order, once no request is being answered (or after ``settle_seconds``)."""
        with self._changed:
            self._changed.wait_for(lambda: self._in_flight == 0, timeout=settle_seconds)
            return sorted(self._entries, key=lambda entry: entry.at)

    def clear(self) -> None:
        with self._changed:
            self._entries.clear()


class _ReplayHandler(BaseHTTPRequestHandler):
    server_version = "newsmon-replay/1"
    root: Path = SITE_ROOT

    def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
        self._handle(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._handle(send_body=True)

    def send_response(self, code, message=None) -> None:
        self._status = int(code)
        super().send_response(code, message)

    def write_body(self, body: bytes, chunk: int = 64 * 1024) -> None:
        """Write ``body`` in chunks, counting what got out (a client may hang up half-way)."""
        for start in range(0, len(body), chunk):
            self.wfile.write(body[start:start + chunk])
            self._sent += len(body[start:start + chunk])

    def _handle(self, send_body: bool) -> None:
        self._status, self._sent, complete = None, 0, True
        arrived = time.monotonic()
        request_log: _RequestLog = self.server.request_log
        request_log.begin()
        try:
            latency = getattr(self.server, "latency", 0.0)
            if latency:
                time.sleep(latency)  # an injected network/server delay (benchmarks)
            path = urlsplit(self.path).path
            outage = self.server.outages.get(path.lstrip("/").split("/", 1)[0])
            faults: FaultState | None = getattr(self.server, "fault_state", None)
            if outage is not None:
                status, hang_seconds = outage
                time.sleep(hang_seconds)  # longer than the client waits: it sees a timeout
                self._send_plain(HTTPStatus(status), b"service unavailable (replay outage)\n", send_body)
            elif faults is not None and is_fault_path(path):
                serve_fault(self, path, faults, send_body)
            else:
                self._serve(send_body)
        except (BrokenPipeError, ConnectionResetError):
            complete, self.close_connection = False, True
        finally:
            request_log.add(LoggedRequest(
                method=self.command, path=self.path, status=self._status,
                headers={name: self.headers[name] for name in _LOGGED_HEADERS if name in self.headers},
                at=arrived, bytes_sent=self._sent, complete=complete))

    def _serve(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        file = _resolve(self.root, path)
        if file is None:
            self._send_plain(HTTPStatus.NOT_FOUND, b"not found\n", send_body)
            return
        body = file.read_bytes()
        content_type = _CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith(("text/", "application/xml", "application/rss", "application/atom", "application/json")):
            base = f"http://{self.headers.get('Host') or '%s:%d' % self.server.server_address[:2]}"
            body = body.replace(b"{{REPLAY_BASE}}", base.encode("ascii"))
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:20]
        if self._not_modified(etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(_LAST_MODIFIED, usegmt=True))
        self.end_headers()
        if send_body:
            self.write_body(body)

    def _not_modified(self, etag: str) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                return parsedate_to_datetime(if_modified_since).timestamp() >= _LAST_MODIFIED
            except (TypeError, ValueError):
                return False
        return False

    def _send_plain(self, status: HTTPStatus, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.write_body(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server signature
        log.debug("replay %s - %s", self.address_string(), format % args)


class ReplayServer:
    """A running replay site; use as a context manager or call :meth:`stop`.

    ``faults=True`` adds the fault routes under ``/faults.example/`` (see :mod:`newsmon.devstack.replay.faults`);
    ``latency`` (seconds) is slept before answering each request, like a distant or slow server.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, root: Path = SITE_ROOT, faults: bool = False,
                 latency: float = 0.0):
        handler = type("ReplayHandler", (_ReplayHandler,), {"root": Path(root)})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._httpd.request_log = _RequestLog()
        self._httpd.fault_state = FaultState() if faults else None
        self._httpd.latency = max(0.0, latency)
        #: Replayed host → (status, seconds to hang first) while it is down; see :meth:`start_outage`.
        self._httpd.outages = {}
        self._thread: threading.Thread | None = None

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request answered since the start (or the last :meth:`reset_requests`), in arrival order.

        Requests still being answered are waited for (up to 5 s), so a test reading the log right after its
        client got the last response sees that request too.
        """
        return self._httpd.request_log.entries()

    def reset_requests(self) -> None:
        """Forget the logged requests."""
        self._httpd.request_log.clear()

    def reset_faults(self) -> None:
        """Re-arm the fault routes that fail only once (500-then-200, 429-then-200)."""
        if self._httpd.fault_state is not None:
            self._httpd.fault_state.reset()

    def start_outage(self, host: str, status: int = 503, hang_seconds: float = 0.0) -> None:
        """Take the replayed ``host`` (e.g. ``www.newarab.com``) down until :meth:`end_outage`.

        Every request for a path under ``/<host>/`` waits ``hang_seconds`` and then answers ``status`` (a 5xx);
        with ``hang_seconds`` over the client's timeout, the client sees a timeout instead.
        """
        if not 500 <= status <= 599:
            raise ValueError(f"an outage answers 5xx, not {status}")
        self._httpd.outages[host] = (status, max(0.0, hang_seconds))

    def end_outage(self, host: str | None = None) -> None:
        """Bring ``host`` (default: every host that is down) back."""
        if host is None:
            self._httpd.outages.clear()
        else:
            self._httpd.outages.pop(host, None)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ReplayServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay-server", daemon=True)
        self._thread.start()
        log.info("replay site serving %s at %s", SITE_ROOT, self.base_url)
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "ReplayServer":
        return self.start() if self._thread is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_replay_server(host: str = "127.0.0.1", port: int = 0, faults: bool = False) -> ReplayServer:
    """Start the replay site in a background thread and return it (``port=0`` picks a free port)."""
    return ReplayServer(host, port, faults=faults).start()
