"""Crawl one source: discover new article URLs, fetch them politely, archive them, queue them for processing."""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

from newsmon.crawl.archive import write_page
from newsmon.crawl.discovery import DiscoveredItem, DiscoveryResult, parse_feed, parse_listing, parse_sitemap
from newsmon.crawl.fetch import FetchError, PoliteFetcher
from newsmon.crawl.state import CrawlState
from newsmon.crawl.urls import canonicalize_url, find_canonical_link, replay_to_real_url
from newsmon.errors import ServiceUnavailable
from newsmon.models import FetchedPage
from newsmon.queue import WorkQueue
from newsmon.settings import Settings
from newsmon.sources import Source

__all__ = ["CrawlReport", "crawl_source", "process_queue"]

log = logging.getLogger(__name__)

_ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "application/pdf")
_MAX_NESTED_SITEMAPS = 50
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def process_queue(settings: Settings) -> WorkQueue:
    """The queue of archived pages waiting for extraction and indexing."""
    return WorkQueue(settings.data_dir / "queue" / "process")


@dataclass
class CrawlReport:
    """What one crawl of one source did; returned to Airflow as a small dict."""

    source: str
    feeds_checked: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    discovered: int = 0
    fetched: int = 0
    queued: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def to_dict(self) -> dict:
        return {"source": self.source, "feeds_checked": self.feeds_checked,
                "feeds_unchanged": self.feeds_unchanged, "feeds_failed": self.feeds_failed,
                "discovered": self.discovered, "fetched": self.fetched, "queued": len(self.queued),
                "skipped": dict(self.skipped), "problems": self.problems[:50], "requests": self.requests}


def crawl_source(source: Source, settings: Settings, fetcher: PoliteFetcher | None = None) -> CrawlReport:
    """Crawl ``source`` once. Raises :class:`ServiceUnavailable` if no discovery URL could be fetched."""
    report = CrawlReport(source.name)
    state = CrawlState.load(settings.state_dir, source.name)
    queue = process_queue(settings)
    with fetcher or PoliteFetcher(source, settings) as http:
        items = _discover(source, http, state, report)
        if report.feeds_checked and report.feeds_failed == report.feeds_checked:
            state.save()
            raise ServiceUnavailable(
                f"{source.name}: every feed/listing failed ({'; '.join(report.problems[-3:])}); "
                "the site may be down or blocking us: Airflow will retry, check the URLs in the sources file")
        report.discovered = len(items)
        seen_canonical: set[str] = set()
        for item in items:
            if len(report.queued) >= source.politeness.max_pages_per_run:
                report.skipped["run-budget-exhausted"] += 1
                continue
            if not _is_new_or_updated(item, state):
                report.skipped["already-fetched"] += 1
                continue
            page = _fetch_article(source, http, item, report)
            if page is None:
                continue
            if page.canonical_url in seen_canonical:
                report.skipped["duplicate-in-run"] += 1
                state.articles[item.url] = _seen_record(page, item)
                continue
            seen_canonical.add(page.canonical_url)
            path = write_page(settings.data_dir / "archive", page)
            queue.put(page.id, {"source": source.name, "archive": str(path), "url": page.url,
                                "canonical_url": page.canonical_url})
            state.articles[item.url] = _seen_record(page, item)
            state.save()  # after every page, so a crash refetches at most one page
            report.fetched += 1
            report.queued.append(page.id)
        report.requests = http.requests_made
    state.save()
    log.info("%s: %d feeds checked (%d unchanged, %d failed), %d items, %d fetched, skipped %s",
             source.name, report.feeds_checked, report.feeds_unchanged, report.feeds_failed,
             report.discovered, report.fetched, dict(report.skipped) or "nothing")
    return report


def _seen_record(page: FetchedPage, item: DiscoveredItem) -> dict[str, str | None]:
    return {"canonical_url": page.canonical_url, "updated": item.updated.isoformat() if item.updated else None,
            "fetched_at": page.fetched_at.isoformat()}


def _is_new_or_updated(item: DiscoveredItem, state: CrawlState) -> bool:
    seen = state.articles.get(item.url)
    if seen is None:
        return True
    return bool(item.updated and (seen.get("updated") or "") < item.updated.isoformat())


def _discover(source: Source, http: PoliteFetcher, state: CrawlState, report: CrawlReport) -> list[DiscoveredItem]:
    targets = [(str(f.url), f.kind, f.language, None) for f in source.feeds]
    targets += [(str(listing.url), "listing", listing.language, listing.link_pattern) for listing in source.listings]
    found: dict[str, DiscoveredItem] = {}
    nested = 0
    while targets:
        url, kind, language, pattern = targets.pop(0)
        result = _check_discovery_url(http, state, report, url, kind, language, pattern)
        if result is None:
            continue
        report.problems.extend(result.problems)
        for sitemap in result.sitemaps:
            if nested < _MAX_NESTED_SITEMAPS:
                nested += 1
                targets.append((sitemap, "sitemap", language, None))
        for item in result.items:
            found.setdefault(canonicalize_url(item.url), item)
    return list(found.values())


def _check_discovery_url(http: PoliteFetcher, state: CrawlState, report: CrawlReport, url: str, kind: str,
                         language: str | None, pattern: str | None) -> DiscoveryResult | None:
    feed_state = state.feed(url)
    feed_state.last_checked = datetime.now(timezone.utc).isoformat()
    report.feeds_checked += 1
    try:
        response = http.fetch(url, etag=feed_state.etag, last_modified=feed_state.last_modified)
    except FetchError as exc:
        report.feeds_failed += 1
        feed_state.last_status, feed_state.last_error = "failed", str(exc)
        report.problems.append(str(exc))
        log.warning("%s: %s", http.source.name, exc)
        return None
    if response.not_modified:
        report.feeds_unchanged += 1
        feed_state.last_status, feed_state.last_error = "unchanged", None
        return None
    if response.status != 200:
        report.feeds_failed += 1
        feed_state.last_status, feed_state.last_error = "failed", f"HTTP {response.status} for {url}"
        report.problems.append(feed_state.last_error)
        return None
    content_hash = hashlib.sha256(response.body).hexdigest()
    feed_state.etag = response.headers.get("etag")
    feed_state.last_modified = response.headers.get("last-modified")
    if content_hash == feed_state.content_hash:
        report.feeds_unchanged += 1
        feed_state.last_status, feed_state.last_error = "unchanged", None
        return None
    try:
        if kind == "sitemap":
            result = parse_sitemap(response.body, url, language)
        elif kind == "listing":
            result = parse_listing(response.body, url, pattern or ".", language)
        else:
            result = parse_feed(response.body, url, language)
    except ValueError as exc:
        report.feeds_failed += 1
        feed_state.last_status, feed_state.last_error = "failed", str(exc)
        report.problems.append(str(exc))
        return None
    feed_state.content_hash = content_hash
    feed_state.last_status = "ok" if not result.problems else "ok-with-problems"
    feed_state.last_error = "; ".join(result.problems[:3]) or None
    return result


def _fetch_article(source: Source, http: PoliteFetcher, item: DiscoveredItem,
                   report: CrawlReport) -> FetchedPage | None:
    try:
        response = http.fetch(item.url, accept_types=_ARTICLE_TYPES)  # other types: headers only
    except FetchError as exc:
        report.skipped[exc.reason] += 1
        report.problems.append(str(exc))
        return None
    if response.status != 200:
        report.skipped[f"http-{response.status}"] += 1
        report.problems.append(f"HTTP {response.status} for {item.url}")
        return None
    content_type = response.content_type.split(";")[0].strip().lower()
    if content_type not in _ARTICLE_TYPES:
        report.skipped["unsupported-content-type"] += 1
        report.problems.append(f"{item.url}: content type {content_type or 'missing'} is not an article")
        return None
    final_url = replay_to_real_url(response.final_url) if source.replay else response.final_url
    canonical = canonicalize_url(final_url)
    if content_type != "application/pdf":
        link = find_canonical_link(response.body, final_url)
        if link and source.owns(urlsplit(link).hostname or ""):
            canonical = canonicalize_url(link)
    hints = {"title": item.title, "language": item.language or ""}
    if item.published:
        hints["published"] = item.published.isoformat()
    return FetchedPage(
        source=source.name, url=response.final_url, canonical_url=canonical, status=response.status,
        content_type=_with_charset(response.content_type, response.body), body=response.body,
        fetched_at=datetime.now(timezone.utc), headers=response.headers, redirects=response.redirects,
        hints=hints)


def _with_charset(content_type: str, body: bytes) -> str:
    """The page's content type with the charset its body is in, as the archive records it for extraction.

    The charset comes from the Content-Type header, else a byte-order mark, else a ``<meta charset>`` /
    ``http-equiv`` tag in the first 4 KB, else the body itself: valid UTF-8 is UTF-8, anything else is
    detected with ``charset_normalizer`` (a dependency of trafilatura), falling back to windows-1252 (what
    browsers assume). Settling it here, once, means every stage (and every re-run from the archive) decodes
    the page the same way; the raw response headers in the WARC record stay as the server sent them.
    """
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in ("text/html", "application/xhtml+xml") or "charset=" in content_type.lower():
        return content_type
    charset = next((name for bom, name in _BOMS if body.startswith(bom)), None)
    if charset is None:
        declared = _META_CHARSET.search(body[:4096])
        if declared:
            try:
                charset = codecs.lookup(declared.group(1).decode("ascii")).name
            except LookupError:
                charset = None
    if charset is None:
        charset = _detect_charset(body)
    return f"{content_type.strip() or media_type}; charset={charset}"


def _detect_charset(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return "windows-1252"
    best = from_bytes(body).best()
    return best.encoding if best is not None else "windows-1252"
