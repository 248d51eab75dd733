"""The polite fetcher, against httpx's mock transport (the integration tests use the real replay site)."""

from __future__ import annotations

import httpx
import pytest

from newsmon.crawl.fetch import FetchError, PoliteFetcher
from newsmon.settings import load_settings
from newsmon.sources import Source


def _source(**politeness) -> Source:
    return Source(name="t", title="T", homepage="https://t.example/", domains=["t.example"], languages=["en"],
                  feeds=[{"url": "https://t.example/feed"}], allow_private_network=True,
                  politeness={"min_delay_seconds": 0, **politeness})


def _fetcher(handler, **politeness) -> PoliteFetcher:
    return PoliteFetcher(_source(**politeness), load_settings({}), transport=httpx.MockTransport(handler))


def test_conditional_get_and_user_agent():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"}, content=b"<rss/>")

    with _fetcher(handler) as fetcher:
        first = fetcher.fetch("https://t.example/feed")
        second = fetcher.fetch("https://t.example/feed", etag=first.headers["etag"])
    assert first.status == 200 and second.not_modified
    assert all(r.headers["user-agent"].startswith("newsmon/") for r in seen)


def test_robots_txt_disallow_is_honoured():
    def handler(request):
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return httpx.Response(200, text="ok")

    with _fetcher(handler) as fetcher:
        assert fetcher.fetch("https://t.example/public").status == 200
        with pytest.raises(FetchError, match="robots-disallowed"):
            fetcher.fetch("https://t.example/private/x")


def test_redirects_are_followed_and_loops_refused():
    def handler(request):
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        if path == "/loop-a":
            return httpx.Response(302, headers={"Location": "/loop-b"})
        if path == "/loop-b":
            return httpx.Response(302, headers={"Location": "/loop-a"})
        return httpx.Response(200, text="here")

    with _fetcher(handler) as fetcher:
        result = fetcher.fetch("https://t.example/old")
        assert result.final_url == "https://t.example/new" and result.redirects == ["https://t.example/old"]
        with pytest.raises(FetchError, match="redirect-loop"):
            fetcher.fetch("https://t.example/loop-a")


def test_body_size_is_capped():
    def handler(request):
        return httpx.Response(404) if request.url.path == "/robots.txt" else httpx.Response(200, content=b"x" * 5000)

    with _fetcher(handler, max_body_bytes=1024) as fetcher, pytest.raises(FetchError, match="too-large"):
        fetcher.fetch("https://t.example/big")


def test_server_errors_are_retried_then_given_up(monkeypatch):
    monkeypatch.setattr("newsmon.crawl.fetch.time.sleep", lambda s: None)
    calls = []

    def handler(request):
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        calls.append(request)
        return httpx.Response(503, headers={"Retry-After": "1"}) if len(calls) < 3 else httpx.Response(200, text="ok")

    with _fetcher(handler) as fetcher:
        assert fetcher.fetch("https://t.example/flaky").status == 200
    assert len(calls) == 3
