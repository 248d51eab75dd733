"""URL canonicalisation: one spelling per article, so its hash can be the document id.

Only ``http`` and ``https`` URLs with a host (:func:`newsmon.url_policy.is_web_url`, re-exported here) are stored,
linked or mailed: a canonical link, hreflang alternate or other URL a page declares with any other scheme is
ignored, and the page keeps the URL it was fetched from. IPv6 hosts keep their brackets.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from newsmon.url_policy import WEB_SCHEMES, is_web_url

__all__ = ["WEB_SCHEMES", "canonicalize_url", "find_canonical_link", "fold_language_parameter", "is_web_url",
           "resolve_url"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|igshid|ref|ref_src|"
                       r"cmpid|ocid|share|amp)$", re.IGNORECASE)
_CANONICAL = re.compile(rb"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>""", re.IGNORECASE)
_HREF = re.compile(rb"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def canonicalize_url(url: str) -> str:
    """Normalise scheme and host case, default ports, dot segments, tracking parameters and fragments.

    >>> canonicalize_url("HTTPS://WWW.Example.com:443/a/./b/?utm_source=x&b=2&a=1#top")
    'https://www.example.com/a/b/?a=1&b=2'
    >>> canonicalize_url("http://[::1]:8080/a")
    'http://[::1]:8080/a'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except UnicodeError:
        pass
    if ":" in host:  # an IPv6 literal: urlsplit took its brackets off
        host = f"[{host}]"
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(re.sub(r"/{2,}", "/", path))
    path = "/" if path in (".", "/") else path + ("/" if trailing else "")
    path = quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def fold_language_parameter(url: str, param: str, default: str, languages: Iterable[str]) -> str:
    """Turn ``/slug/?<param>=xx`` into the folder form ``/xx/slug/`` (the root for the ``default`` language).

    Only known ``languages`` are folded; a URL that already has the folder keeps it, a parameter naming
    another language than the folder is left alone (it is not the same page).

    >>> fold_language_parameter("https://a.org/slug/?lang=en&p=1", "lang", "tr", ["tr", "en"])
    'https://a.org/en/slug/?p=1'
    >>> fold_language_parameter("https://a.org/slug/?lang=tr", "lang", "tr", ["tr", "en"])
    'https://a.org/slug/'
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    values = [v.lower() for k, v in query if k == param]
    if len(values) != 1 or values[0] not in set(languages):
        return url
    lang = values[0]
    rest = [(k, v) for k, v in query if k != param]
    path = parts.path or "/"
    folder = path.split("/", 2)[1] if path.count("/") >= 1 else ""
    if folder in set(languages):
        if folder != lang:
            return url
    elif lang != default:
        path = f"/{lang}{path}"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(rest), parts.fragment))


def resolve_url(base: str, link: str) -> str:
    """Resolve a possibly relative ``link`` against ``base``."""
    return urljoin(base, link.strip())


def find_canonical_link(html: bytes, base_url: str) -> str | None:
    """The page's ``<link rel=canonical>`` target, resolved against ``base_url``; ``None`` if absent or not a web
    URL (:func:`is_web_url`: a ``javascript:`` or ``data:`` canonical link is ignored)."""
    head = html[:200_000]
    for tag in _CANONICAL.finditer(head):
        href = _HREF.search(tag.group(0))
        if href:
            value = next(g for g in href.groups() if g is not None).decode("utf-8", "replace").strip()
            if value:
                link = resolve_url(base_url, value)
                return link if is_web_url(link) else None
    return None
