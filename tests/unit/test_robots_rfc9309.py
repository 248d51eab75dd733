"""robots.txt as RFC 9309 reads it (protego's parser), against httpx's mock transport."""

from __future__ import annotations

import socket

import httpx
import pytest

from newsmon.crawl.fetch import FetchError, PoliteFetcher
from newsmon.crawl.fetch.retry import RetryWithBackoff
from newsmon.settings import load_settings
from newsmon.sources import Source

RULES = "User-agent: *\nDisallow: /blocked/\n"


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch):
    """``t.example`` does not resolve, at once (a real lookup of a made-up name can take seconds)."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "t.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.fixture(autouse=True)
def _no_back_off(monkeypatch):
    monkeypatch.setattr(RetryWithBackoff, "_back_off", staticmethod(lambda *args: None))


def _fetch_all(routes: dict[str, httpx.Response | Exception], paths: list[str]) -> tuple[dict[str, str], list[str]]:
    """Fetch ``paths`` from a host answering ``routes`` (anything else: a 200 page); returns (path → status or
    failure reason, every URL requested)."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        answer = routes.get(request.url.path, httpx.Response(200, text="page"))
        if isinstance(answer, Exception):
            raise answer
        return answer

    source = Source(name="t", title="T", homepage="https://t.example/", domains=["t.example"], languages=["en"],
                    feeds=[{"url": "https://t.example/feed"}], allow_private_network=True,
                    politeness={"min_delay_seconds": 0})
    outcomes = {}
    with PoliteFetcher(source, load_settings({}), transport=httpx.MockTransport(handler)) as fetcher:
        for path in paths:
            try:
                outcomes[path] = str(fetcher.fetch(f"https://t.example{path}").status)
            except FetchError as exc:
                outcomes[path] = exc.reason
    return outcomes, seen


def _redirect(location: str) -> httpx.Response:
    return httpx.Response(301, headers={"Location": location})


@pytest.mark.parametrize("answer", [httpx.Response(500), httpx.Response(503), httpx.Response(429),
                                    httpx.ConnectError("connection refused")])
def test_a_server_error_or_no_answer_disallows_the_whole_host_for_the_run(answer):
    outcomes, seen = _fetch_all({"/robots.txt": answer}, ["/a", "/b"])
    assert outcomes == {"/a": "robots-unreachable", "/b": "robots-unreachable"}
    assert set(seen) == {"https://t.example/robots.txt"}  # read (and retried) once per run, no page asked for


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_client_error_means_no_rules(status):
    assert _fetch_all({"/robots.txt": httpx.Response(status)}, ["/blocked/a"])[0] == {"/blocked/a": "200"}


def test_groups_for_our_agent_are_merged_and_the_longest_match_wins():
    robots = httpx.Response(200, text="User-agent: *\nDisallow: /first/\n\nUser-agent: other\nDisallow: /\n\n"
                                      "User-agent: *\nDisallow: /second/\nAllow: /second/open/\n")
    outcomes, _ = _fetch_all({"/robots.txt": robots}, ["/first/x", "/second/x", "/second/open/x", "/third/x"])
    assert outcomes == {"/first/x": "robots-disallowed", "/second/x": "robots-disallowed",
                        "/second/open/x": "200", "/third/x": "200"}


def _chain(hops: int) -> dict[str, httpx.Response]:
    """robots.txt → /r1 → … → /r<hops>, which holds the rules."""
    routes = {"/robots.txt": _redirect("/r1"), **{f"/r{n}": _redirect(f"/r{n + 1}") for n in range(1, hops)}}
    return {**routes, f"/r{hops}": httpx.Response(200, text=RULES)}


def test_five_redirects_are_followed_a_sixth_means_no_robots_txt():
    outcomes, seen = _fetch_all(_chain(5), ["/blocked/a"])
    assert outcomes == {"/blocked/a": "robots-disallowed"} and len(seen) == 6
    outcomes, seen = _fetch_all(_chain(6), ["/blocked/a"])
    assert outcomes == {"/blocked/a": "200"} and "https://t.example/r6" not in seen


def test_a_robots_txt_redirect_to_a_metadata_address_is_never_followed():
    outcomes, seen = _fetch_all({"/robots.txt": _redirect("http://169.254.169.254/robots.txt")}, ["/a"])
    assert outcomes == {"/a": "robots-unreachable"} and seen == ["https://t.example/robots.txt"]
