"""Refuse requests addressed to another host name than the one the UI was started on (DNS rebinding).

A web page the analyst opens can make the browser send requests to ``127.0.0.1:8080`` under a name its owner
controls (``attacker.example:8080`` resolving to 127.0.0.1): the browser treats the answers as the attacker's
own origin and lets the page read them. Such requests still carry the attacker's name in ``Host``, so a server
that answers only ``127.0.0.1:<port>`` and ``localhost:<port>`` gives them nothing. The demo's Airflow UI runs in
all-admins mode (no login), so this is what keeps its data and Airflow's connections on the analyst's machine.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["TrustedHostGuard", "loopback_hosts"]


def loopback_hosts(port: int) -> list[str]:
    """The ``Host`` values of a server on loopback ``port``."""
    return [f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"]


class TrustedHostGuard:
    """ASGI middleware: a request whose ``Host`` header is not one of ``allowed_hosts`` (``name:port``, compared
    without case) is answered 400 and goes no further. No ``allowed_hosts``: everything passes."""

    def __init__(self, app, allowed_hosts: Iterable[str] = ()):
        self.app = app
        self.allowed_hosts = frozenset(host.strip().lower() for host in allowed_hosts if host.strip())

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket") or not self.allowed_hosts:
            await self.app(scope, receive, send)
            return
        host = next((value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"host"), "")
        if host.strip().lower() in self.allowed_hosts:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = (f"refused: this server answers only {', '.join(sorted(self.allowed_hosts))} "
                "(Host header check against DNS rebinding)\n").encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
