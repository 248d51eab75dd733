"""The network under the fetch components: connect to the address that was checked, and stop at the deadline.

:class:`GuardedTransport` is an ``httpx.HTTPTransport`` whose connections come from :class:`GuardedBackend`:

* **pinned addresses**: a TCP connection goes to one of the addresses
  :class:`~newsmon.crawl.fetch.address.AddressSafety` resolved and allowed for the host
  (:attr:`FetchContext.pins <newsmon.crawl.fetch.base.FetchContext.pins>`), never to a fresh DNS answer, so a
  name that re-resolves to a private or metadata address between the check and the connection (DNS rebinding)
  cannot be reached. TLS still verifies the certificate for the host name and sends it as SNI; the ``Host``
  header is the URL's. A host without checked addresses is not connected to at all.
* **the fetch deadline**: every socket connect, read and write gets at most the time left before
  :attr:`FetchContext.deadline <newsmon.crawl.fetch.base.FetchContext.deadline>`, so a server that drips its
  headers or body a byte at a time is cut off when the fetch's time is up (:class:`DeadlineExceeded`).

A fetch through a mirror uses the transport without pinning (the request goes to the mirror, not to the host).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable

import httpcore
import httpx

from newsmon.crawl.fetch.base import DeadlineExceeded, FetchContext

__all__ = ["GuardedBackend", "GuardedTransport", "pin_key"]

_TIMEOUTS = (httpcore.ConnectTimeout, httpcore.ReadTimeout, httpcore.WriteTimeout)


def pin_key(url: str) -> str:
    """The host of ``url`` as the connection pool will see it (IDNA-encoded, IPv6 without brackets)."""
    return httpx.URL(url).raw_host.decode("ascii").lower()


class _DeadlineStream(httpcore.NetworkStream):
    """A connected socket whose every read and write ends by the current fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, context: FetchContext):
        self._inner, self._context = inner, context

    def _bounded(self, timeout: float | None) -> float | None:
        left = self._context.time_left()
        if left <= 0:
            raise DeadlineExceeded()
        return left if timeout is None else min(timeout, left)

    def _expired(self) -> bool:
        return self._context.deadline is not None and time.monotonic() >= self._context.deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._inner.read(max_bytes, self._bounded(timeout))
        except _TIMEOUTS:
            if self._expired():
                raise DeadlineExceeded() from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, self._bounded(timeout))
        except _TIMEOUTS:
            if self._expired():
                raise DeadlineExceeded() from None
            raise

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        try:
            inner = self._inner.start_tls(ssl_context, server_hostname, self._bounded(timeout))
        except _TIMEOUTS:
            if self._expired():
                raise DeadlineExceeded() from None
            raise
        return _DeadlineStream(inner, self._context)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting to pinned addresses (with ``pin``) within the fetch's deadline."""

    def __init__(self, context: FetchContext, pin: bool, inner: httpcore.NetworkBackend | None = None):
        self.context, self.pin = context, pin
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        left = self.context.time_left()
        if left <= 0:
            raise DeadlineExceeded()
        timeout = left if timeout is None else min(timeout, left)
        addresses = [host]
        if self.pin:
            addresses = self.context.pins.get(host.lower(), [])
            if not addresses:
                raise httpcore.ConnectError(f"{host} has no checked address; not connecting (the address check "
                                            "must resolve a host before anything connects to it)")
        failure: Exception | None = None
        for address in addresses:  # in the order the resolver gave them, like socket.create_connection
            try:
                stream = self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                if self.context.deadline is not None and time.monotonic() >= self.context.deadline:
                    raise DeadlineExceeded() from None
                failure = exc
                continue
            return _DeadlineStream(stream, self.context)
        raise failure or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the crawler does not connect to Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """The crawler's network transport (see the module docstring); ``pin`` off for a mirror."""

    def __init__(self, context: FetchContext, ssl_context: ssl.SSLContext, pin: bool = True):
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx builds its pool without a way to choose the network backend: replace it with one that has ours.
        self._pool.close()
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=GuardedBackend(context, pin))
