"""Refuse requests to addresses a crawler must never reach (SSRF protection).

Checked after DNS resolution, for the first request and every redirect hop: loopback, private, link-local,
multicast, reserved and cloud-metadata addresses are refused unless the source explicitly allows private
networks (only the local replay site does).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

__all__ = ["UnsafeAddress", "check_url_allowed"]


class UnsafeAddress(Exception):
    """The URL resolves to an address the crawler must not contact."""


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url_allowed(url: str, allow_private: bool = False) -> None:
    """Raise :class:`UnsafeAddress` unless ``url`` is http(s) and every address it resolves to is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeAddress(f"{url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise UnsafeAddress(f"{url}: no host in URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeAddress(f"{url}: cannot resolve {host} ({exc.strerror})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _is_public(address):
            raise UnsafeAddress(f"{url}: {host} resolves to non-public address {address}; refused "
                                "(set allow_private_network: true on the source only for a local test site)")
