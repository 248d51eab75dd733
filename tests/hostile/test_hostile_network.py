"""Addresses: the connection goes to the address that was checked (no second DNS lookup to rebind), and private
addresses stay refused for public sources. The fetcher talks to the hostile site over real loopback sockets; only
the resolver is replaced, since a rebinding DNS server is not something a test machine has."""

from __future__ import annotations

import socket

import pytest

from newsmon.crawl.fetch import FetchError, PoliteFetcher
from newsmon.settings import load_settings
from newsmon.sources import Source

pytestmark = pytest.mark.integration

REBINDING_HOST = "rebind.test"


def _source(allow_private: bool) -> Source:
    return Source(name="direct", title="Direct", homepage=f"http://{REBINDING_HOST}/", domains=[REBINDING_HOST],
                  languages=["en"], feeds=[{"url": f"http://{REBINDING_HOST}/feed/"}],
                  allow_private_network=allow_private,
                  politeness={"min_delay_seconds": 0, "timeout_seconds": 2, "respect_robots_txt": False})


@pytest.fixture
def rebinding_resolver(monkeypatch) -> list[str]:
    """``rebind.test`` resolves to 127.0.0.1 the first time, to the cloud metadata address after that (what a
    DNS rebinding attacker's name server does); every other name resolves as usual. Returns the lookups made."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def resolve(host, port, *args, **kwargs):
        if host != REBINDING_HOST:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "169.254.169.254"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 80)))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return lookups


def test_the_connection_goes_to_the_address_that_was_checked(hostile_site, rebinding_resolver, tmp_path):
    url = f"http://{REBINDING_HOST}:{hostile_site.port}/hostile.example/canonical-js/"
    hostile_site.reset()
    with PoliteFetcher(_source(allow_private=True), load_settings({}, data_dir=tmp_path)) as fetcher:
        result = fetcher.fetch(url)
        assert result.status == 200 and b"javascript:" in result.body
        assert rebinding_resolver == [REBINDING_HOST]  # checked once, then connected to that very address
        with pytest.raises(FetchError) as refused:  # the next check sees the rebound answer and refuses it
            fetcher.fetch(url)
    assert refused.value.reason == "unsafe-address" and "169.254.169.254" in str(refused.value)
    assert [(r.path, r.status) for r in hostile_site.requests()] == [("/canonical-js/", 200)]


def test_a_public_source_never_reaches_a_loopback_server(hostile_site, tmp_path):
    hostile_site.reset()
    with PoliteFetcher(_source(allow_private=False), load_settings({}, data_dir=tmp_path)) as fetcher:
        for url in (f"{hostile_site.base_url}/hostile.example/feed/", f"http://[::1]:{hostile_site.port}/x/"):
            with pytest.raises(FetchError) as refused:
                fetcher.fetch(url)
            assert refused.value.reason == "unsafe-address" and refused.value.attempts == 0
    assert hostile_site.requests() == []
