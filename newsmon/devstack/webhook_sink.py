"""A real HTTP receiver on loopback that keeps every webhook POST it is sent, for the tests and the demo.

:class:`WebhookSink` runs a ``ThreadingHTTPServer`` in a thread of the calling process and records each request
(path, headers, body). It can be told to answer the next N requests with an error (``fail_next``), to act as a
receiver that fails and then recovers; a receiver that is down is one not started (or stopped).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

__all__ = ["ReceivedRequest", "WebhookSink"]


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    #: The status the sink answered.
    status: int

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


class WebhookSink:
    """``with WebhookSink() as sink: sink.url`` — accepts POSTs on ``/<anything>`` and answers 200."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._requests: list[ReceivedRequest] = []
        self._failures: list[int] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server hook
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with sink._lock:
                    status = sink._failures.pop(0) if sink._failures else 200
                    sink._requests.append(ReceivedRequest(self.path, dict(self.headers.items()), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:  # quiet
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="webhook-sink")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def fail_next(self, count: int, status: int = 503) -> None:
        """Answer the next ``count`` requests with ``status`` instead of 200."""
        with self._lock:
            self._failures += [status] * count

    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    def accepted(self) -> list[ReceivedRequest]:
        return [r for r in self.requests() if r.status < 300]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
