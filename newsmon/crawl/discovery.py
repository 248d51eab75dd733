"""Find article URLs: RSS/Atom/JSON feeds, XML sitemaps (indexes, Google News) and listing pages.

Broken input still yields what can be read: every parser returns the items it found plus a list of
problems (``DiscoveryResult.problems``) that the crawl report shows.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from xml.etree.ElementTree import ParseError

import feedparser
import lxml.html
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from newsmon.crawl.urls import resolve_url

__all__ = ["DateRange", "DiscoveredItem", "DiscoveryResult", "parse_discovery", "parse_feed", "parse_listing",
           "parse_sitemap"]

log = logging.getLogger(__name__)

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_SPACE = b" \t\r\n"
_UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                 (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
                 (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))
_SITEMAP_NS = re.compile(r"^\{[^}]*\}")


@dataclass(slots=True)
class DiscoveredItem:
    """An article URL found by discovery, with what the feed said about it."""

    url: str
    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None

    def to_record(self) -> dict:
        """A JSON-ready dict (what the crawl state keeps); :meth:`from_record` reads it back."""
        record = {"url": self.url, "title": self.title, "language": self.language,
                  "published": self.published.isoformat() if self.published else None,
                  "updated": self.updated.isoformat() if self.updated else None}
        return {key: value for key, value in record.items() if value}

    @classmethod
    def from_record(cls, record: dict) -> DiscoveredItem:
        return cls(url=record["url"], title=record.get("title", ""), published=_iso(record.get("published")),
                   updated=_iso(record.get("updated")), language=record.get("language"))


@dataclass(frozen=True, slots=True)
class DateRange:
    """A backfill window: the days ``since`` .. ``until`` (both included, in UTC; either may be open)."""

    since: date | None = None
    until: date | None = None

    def includes(self, item: DiscoveredItem) -> bool:
        """Whether the item's published or updated date falls in the range; an undated item is kept."""
        days = [moment.astimezone(timezone.utc).date() for moment in (item.published, item.updated) if moment]
        if not days:
            return True
        return any((self.since is None or self.since <= day) and (self.until is None or day <= self.until)
                   for day in days)


@dataclass(slots=True)
class DiscoveryResult:
    items: list[DiscoveredItem] = field(default_factory=list)
    #: Nested sitemaps to fetch next (from a sitemap index).
    sitemaps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _refuse_entities(body: bytes, url: str) -> None:
    """Refuse a document whose DOCTYPE declares entities, wherever in the prolog it is (behind any number of
    comments or processing instructions): entity expansion is how "billion laughs" bombs and XXE work."""
    if _declares_entities(body):
        raise ValueError(f"{url}: the document declares XML entities in its DOCTYPE; refused (entity expansion "
                         "is unsafe); a real feed has no internal DTD")


def _declares_entities(body: bytes) -> bool:
    """Whether the prolog (what comes before the root element) holds a DOCTYPE with ``<!ENTITY`` declarations."""
    for bom, codec in _UNICODE_BOMS:
        if body.startswith(bom):
            body = body.decode(codec, "replace").encode("utf-8")
            break
    position = 3 if body.startswith(codecs.BOM_UTF8) else 0
    while True:
        while position < len(body) and body[position] in _SPACE:
            position += 1
        if body.startswith(b"<?", position):
            position = _after(body, b"?>", position + 2)
        elif body.startswith(b"<!--", position):
            position = _after(body, b"-->", position + 4)
        elif _DOCTYPE.match(body, position):
            position, subset = _doctype_end(body, position + 9)
            if subset:  # an internal subset runs to the end of the DOCTYPE: look at all of the rest
                return bool(_ENTITY_DECLARATION.search(body, subset))
        else:
            return False  # the root element (or not XML at all): no more prolog
        if position >= len(body):
            return False


def _after(body: bytes, end: bytes, start: int) -> int:
    found = body.find(end, start)
    return len(body) if found < 0 else found + len(end)


def _doctype_end(body: bytes, position: int) -> tuple[int, int | None]:
    """Where a DOCTYPE declaration ends, and where its internal subset (``[``) starts, if it has one."""
    quote = None
    while position < len(body):
        char = body[position]
        if quote is not None:
            quote = None if char == quote else quote
        elif char in b"\"'":
            quote = char
        elif char == ord("["):
            return len(body), position
        elif char == ord(">"):
            return position + 1, None
        position += 1
    return position, None


def _struct_to_datetime(value) -> datetime | None:
    if not value:
        return None
    return datetime(*value[:6], tzinfo=timezone.utc)


def parse_discovery(body: bytes, url: str, kind: str, language: str | None = None,
                    link_pattern: str | None = None) -> DiscoveryResult:
    """Parse a discovery URL's answer by its ``kind``: ``sitemap``, ``listing`` (links matching ``link_pattern``) or
    a feed (anything else). Raises ``ValueError`` when the body is not what its kind says."""
    if kind == "sitemap":
        return parse_sitemap(body, url, language)
    if kind == "listing":
        return parse_listing(body, url, link_pattern or ".", language)
    return parse_feed(body, url, language)


def parse_feed(body: bytes, url: str, language: str | None = None) -> DiscoveryResult:
    """Parse an RSS 0.9x/1.0/2.0, Atom or JSON Feed document."""
    result = DiscoveryResult()
    _refuse_entities(body, url)
    if body.lstrip()[:1] in (b"{", b"["):
        return _parse_json_feed(body, url, language)
    parsed = feedparser.parse(body, response_headers={"content-location": url},
                              sanitize_html=False, resolve_relative_uris=True)
    # Without the HTTP Content-Type (not passed here) feedparser flags every feed NonXMLContentType:
    # that is not a fault of the feed.
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), feedparser.NonXMLContentType):
        result.problems.append(f"{url}: malformed feed ({parsed.get('bozo_exception')}); kept what could be read")
    feed_language = language or (parsed.feed.get("language") or "").split("-")[0] or None
    for position, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or (entry.get("id") if str(entry.get("id", "")).startswith("http") else None)
        if not link:
            result.problems.append(f"{url}: item {position} has no link; skipped")
            continue
        published = _struct_to_datetime(entry.get("published_parsed"))
        if entry.get("published") and published is None:
            result.problems.append(f"{url}: item {position} has an unreadable date {entry.get('published')!r}")
        result.items.append(DiscoveredItem(
            url=resolve_url(url, link), title=(entry.get("title") or "").strip(), published=published,
            updated=_struct_to_datetime(entry.get("updated_parsed")) if "updated" in entry else None,
            language=feed_language))
    if not parsed.entries and not parsed.get("feed"):
        result.problems.append(f"{url}: not a feed (no channel or entries found)")
    return result


def _parse_json_feed(body: bytes, url: str, language: str | None) -> DiscoveryResult:
    import json

    result = DiscoveryResult()
    try:
        data = json.loads(body)
    except ValueError as exc:
        result.problems.append(f"{url}: invalid JSON feed ({exc})")
        return result
    items = data.get("items", []) if isinstance(data, dict) else []
    for position, item in enumerate(items, start=1):
        link = item.get("url") or item.get("external_url") if isinstance(item, dict) else None
        if not link:
            result.problems.append(f"{url}: item {position} has no url; skipped")
            continue
        result.items.append(DiscoveredItem(
            url=resolve_url(url, link), title=item.get("title", ""),
            published=_iso(item.get("date_published")), updated=_iso(item.get("date_modified")),
            language=item.get("language") or language))
    return result


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_sitemap(body: bytes, url: str, language: str | None = None) -> DiscoveryResult:
    """Parse a sitemap or sitemap index (Google News tags give title, date and language)."""
    result = DiscoveryResult()
    try:
        root = SafeET.fromstring(body)
    except (ParseError, DefusedXmlException) as exc:
        result.problems.append(f"{url}: unreadable sitemap ({exc})")
        return result
    tag = _SITEMAP_NS.sub("", root.tag)
    for node in root:
        # Direct children only for <loc>/<lastmod>: image and video extensions have their own <loc>.
        fields = {_SITEMAP_NS.sub("", child.tag): child for child in node}
        for child in node:
            if _SITEMAP_NS.sub("", child.tag) == "news":
                fields.update({_SITEMAP_NS.sub("", n.tag): n for n in child.iter()})
        loc = (fields["loc"].text or "").strip() if "loc" in fields else ""
        if not loc:
            result.problems.append(f"{url}: an entry has no <loc>; skipped")
            continue
        if tag == "sitemapindex":
            result.sitemaps.append(resolve_url(url, loc))
            continue

        def text(name: str) -> str:
            return (fields[name].text or "").strip() if name in fields else ""
        result.items.append(DiscoveredItem(
            url=resolve_url(url, loc), title=text("title"),
            published=_iso(text("publication_date")), updated=_iso(text("lastmod")),
            language=(text("language") or language or None)))
    return result


def parse_listing(body: bytes, url: str, link_pattern: str, language: str | None = None) -> DiscoveryResult:
    """Collect links on a listing page whose absolute URL matches ``link_pattern``."""
    result = DiscoveryResult()
    try:
        tree = lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError) as exc:
        result.problems.append(f"{url}: unreadable listing page ({exc})")
        return result
    pattern = re.compile(link_pattern)
    seen: set[str] = set()
    for anchor in tree.iterfind(".//a[@href]"):
        link = resolve_url(url, anchor.get("href"))
        if pattern.search(link) and link not in seen:
            seen.add(link)
            result.items.append(DiscoveredItem(url=link, title=anchor.text_content().strip(), language=language))
    if not result.items:
        result.problems.append(f"{url}: no link matches {link_pattern!r}; check the listing's link_pattern")
    return result
