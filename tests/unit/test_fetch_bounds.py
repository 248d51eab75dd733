"""Time and work bounds of fetching, with httpx's mock transport and a fake socket backend (the hostile suite,
tests/hostile/, runs the same against a real server)."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime

import httpcore
import httpx
import pytest

from newsmon.crawl.crawler import crawl_source
from newsmon.crawl.fetch import FetchError, PoliteFetcher
from newsmon.crawl.fetch.base import DeadlineExceeded, FetchContext
from newsmon.crawl.fetch.deferral import MAX_DEFERRAL
from newsmon.crawl.fetch.network import GuardedBackend
from newsmon.settings import load_settings
from newsmon.sources import Source


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch):
    """``t.example`` does not resolve, at once (a real lookup of a made-up name can take seconds)."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "t.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _source(**politeness) -> Source:
    return Source(name="t", title="T", homepage="https://t.example/", domains=["t.example"], languages=["en"],
                  feeds=[{"url": "https://t.example/feed"}], allow_private_network=True,
                  politeness={"min_delay_seconds": 0, **politeness})


def _fetcher(handler, tmp_path=None, **politeness) -> PoliteFetcher:
    settings = load_settings({}, state_store="files", **({"data_dir": tmp_path} if tmp_path else {}))
    return PoliteFetcher(_source(**politeness), settings, transport=httpx.MockTransport(handler))


def _site(pages: dict[str, httpx.Response], seen: list[str]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return pages.get(request.url.path) or httpx.Response(404)
    return handler


def test_a_long_retry_after_defers_the_url_instead_of_sleeping():
    seen: list[str] = []
    handler = _site({"/x": httpx.Response(503, headers={"Retry-After": "999999"})}, seen)
    started = time.monotonic()
    with _fetcher(handler) as fetcher, pytest.raises(FetchError) as deferred:
        fetcher.fetch("https://t.example/x")
    assert time.monotonic() - started < 1 and seen == ["/robots.txt", "/x"]
    assert (deferred.value.reason, deferred.value.attempts) == ("deferred", 1)
    assert abs((deferred.value.retry_at - datetime.now(UTC)) - MAX_DEFERRAL).total_seconds() < 60


def test_no_back_off_is_started_that_would_end_past_the_fetch_deadline():
    seen: list[str] = []
    handler = _site({"/x": httpx.Response(503)}, seen)
    with _fetcher(handler, fetch_deadline_seconds=0.5) as fetcher:
        result = fetcher.fetch("https://t.example/x")  # a back-off is at least 1 s: the 503 stands
    assert (result.status, result.attempts, seen) == (503, 1, ["/robots.txt", "/x"])


def test_a_body_still_arriving_at_the_deadline_fails_as_deadline():
    def drip():
        for _ in range(20):
            time.sleep(0.1)
            yield b"x"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=_Stream(drip()))

    started = time.monotonic()
    with _fetcher(handler, fetch_deadline_seconds=0.5) as fetcher, pytest.raises(FetchError) as late:
        fetcher.fetch("https://t.example/drip")
    assert late.value.reason == "deadline" and "fetch_deadline_seconds" in str(late.value)
    assert time.monotonic() - started < 1.0


class _Stream(httpx.SyncByteStream):
    def __init__(self, chunks) -> None:
        self.chunks = chunks

    def __iter__(self):
        yield from self.chunks


class _RecordingBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.connected: list[tuple[str, int, float | None]] = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.connected.append((host, port, timeout))
        return _NullStream()


class _NullStream(httpcore.NetworkStream):
    def read(self, max_bytes, timeout=None):
        return b""

    def close(self):
        pass


def test_the_network_backend_connects_to_the_pinned_address_only_within_the_deadline():
    context, inner = FetchContext(), _RecordingBackend()
    backend = GuardedBackend(context, pin=True, inner=inner)
    with pytest.raises(httpcore.ConnectError, match="no checked address"):
        backend.connect_tcp("t.example", 443)
    context.pins["t.example"] = ["192.0.2.7", "2001:db8::7"]
    context.deadline = time.monotonic() + 2
    backend.connect_tcp("t.example", 443, timeout=20)
    (host, port, timeout), = inner.connected
    assert (host, port) == ("192.0.2.7", 443) and timeout <= 2  # never more than the fetch has left
    context.deadline = time.monotonic() - 1
    with pytest.raises(DeadlineExceeded):
        backend.connect_tcp("t.example", 443)
    context.deadline = None
    GuardedBackend(context, pin=False, inner=inner).connect_tcp("mirror.example", 8765)  # a mirror: not pinned
    assert inner.connected[-1][:2] == ("mirror.example", 8765)


def test_failed_attempts_count_against_the_page_budget(tmp_path):
    seen: list[str] = []
    links = "".join(f"<item><title>{n}</title><link>https://t.example/gone/{n}</link></item>" for n in range(6))
    feed = httpx.Response(200, headers={"Content-Type": "application/rss+xml"},
                          content=f'<rss version="2.0"><channel>{links}</channel></rss>'.encode())
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    source = _source(max_pages_per_run=3)
    fetcher = PoliteFetcher(source, settings, transport=httpx.MockTransport(_site({"/feed": feed}, seen)))
    report = crawl_source(source, settings, fetcher)
    assert dict(report.skipped) == {"http-404": 3, "run-budget-exhausted": 3}
    assert seen == ["/robots.txt", "/feed", "/gone/0", "/gone/1", "/gone/2"]
