"""Refuse requests to addresses a crawler must never reach (SSRF protection).

Checked after DNS resolution, for the first request and every redirect hop: loopback, private, link-local,
multicast, reserved and cloud-metadata addresses are refused. A source that explicitly allows private networks
(an intranet source, or the local replay site) may reach loopback and private addresses, but never link-local
or cloud-metadata ones (``169.254.169.254`` and friends): a feed item pointing there is an SSRF attempt
whatever the source.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

__all__ = ["UnsafeAddress", "check_url_allowed"]

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Cloud instance-metadata endpoints that are not link-local: AWS IPv6 (``fd00:ec2::254``), Alibaba
#: (``100.100.100.200``). The IPv4 link-local ones (AWS/GCP/Azure/OpenStack ``169.254.169.254``, ECS
#: ``169.254.170.2``) are covered by the link-local rule.
_METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200"))
_METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                             "instance-data.ec2.internal"})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeAddress(Exception):
    """The URL resolves to an address the crawler must not contact."""


def _embedded_ipv4(address: _Address) -> list[_Address]:
    """``address`` plus the IPv4 address it carries (mapped, 6to4 or NAT64), which is what gets reached."""
    found = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            found.append(address.ipv4_mapped)
        if address.sixtofour:
            found.append(address.sixtofour)
        if address in _NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _never_allowed(address: _Address) -> str | None:
    """Why ``address`` is refused even for sources that allow private networks; ``None`` if it is not."""
    for candidate in _embedded_ipv4(address):
        if candidate in _METADATA_ADDRESSES:
            return "a cloud metadata address"
        if candidate.is_link_local:
            return "a link-local (cloud metadata) address"
        if candidate.is_multicast:
            return "a multicast address"
        if candidate.is_unspecified:
            return "an unspecified address"
    return None


def _is_public(address: _Address) -> bool:
    return all(a.is_global and not a.is_multicast for a in _embedded_ipv4(address))


def _check_address(url: str, host: str, address: _Address, allow_private: bool) -> None:
    reason = _never_allowed(address)
    if reason:
        where = str(address) if host.strip("[]") == str(address) else f"{host} ({address})"
        raise UnsafeAddress(f"{url}: {where} is {reason}; always refused")
    if not allow_private and not _is_public(address):
        raise UnsafeAddress(f"{url}: {host} resolves to non-public address {address}; refused "
                            "(set allow_private_network: true on the source only for a local test site)")


def check_url_allowed(url: str, allow_private: bool = False, resolve: bool = True) -> list[str]:
    """Raise :class:`UnsafeAddress` unless ``url`` is http(s) and every address it resolves to is allowed.

    Public addresses always may; loopback and private ones only with ``allow_private``; link-local,
    metadata, multicast and unspecified ones never. Returns the addresses checked, in the resolver's order
    (empty when an ``allow_private`` host does not resolve): the only ones the crawler may connect to.
    ``resolve=False`` (a fetch through a mirror, where nothing connects to the host itself) checks the scheme,
    metadata host names and address literals only, and returns nothing.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeAddress(f"{url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise UnsafeAddress(f"{url}: no host in URL")
    if host.lower().rstrip(".") in _METADATA_HOSTS:
        raise UnsafeAddress(f"{url}: {host} is a cloud metadata host; always refused")
    try:
        literal = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        literal = None
    if literal is not None:  # no DNS needed (and none may be done: the answer is the address itself)
        _check_address(url, host, literal, allow_private)
        return [str(literal)]
    if not resolve:
        return []
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if allow_private:
            return []  # nothing to connect to: the request itself fails (or a test transport answers it)
        raise UnsafeAddress(f"{url}: cannot resolve {host} ({exc.strerror})") from None
    checked: list[str] = []
    for info in infos:
        address = info[4][0]
        _check_address(url, host, ipaddress.ip_address(address.split("%")[0]), allow_private)
        if address not in checked:
            checked.append(address)
    return checked
