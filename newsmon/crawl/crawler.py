"""Crawl one source: discover new article URLs, fetch them politely, archive them, queue them for processing.

Every article URL met gets one event (:attr:`CrawlReport.events`, and ``on_event`` as it happens):
``{"url", "canonical_url", "source", "status", "reason", "http_status", "attempts"}`` where ``status`` is
``fetched``, ``unchanged`` (fetched in an earlier run and not marked updated since) or ``skipped`` (with a
countable ``reason``); ``attempts`` counts the HTTP requests made for it, retries and redirect hops included.

A run is bounded: each article URL tried counts once against the source's ``max_pages_per_run`` whatever the
outcome (``run-budget-exhausted`` for the rest), and past ``run_deadline_seconds`` the items left are skipped as
``run-deadline``; both stay eligible for the next run. A URL whose server asked for a long wait (``deferred``) is
not asked again before the time recorded in the crawl state.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from newsmon.crawl.archive import RunArchive
from newsmon.crawl.discovery import DateRange, DiscoveredItem, DiscoveryResult, parse_discovery
from newsmon.crawl.encoding import content_type_with_charset
from newsmon.crawl.fetch import FetchError, FetchResult, PoliteFetcher
from newsmon.crawl.report import CrawlReport
from newsmon.crawl.shared_state import crawl_lock, crawl_state_store
from newsmon.crawl.shared_state import process_queue as process_queue
from newsmon.crawl.urls import canonicalize_url, find_canonical_link, fold_language_parameter
from newsmon.errors import ServiceUnavailable
from newsmon.models import FetchedPage
from newsmon.settings import Settings
from newsmon.sources import Source

__all__ = ["CrawlReport", "EventCallback", "crawl_source", "crawl_sources", "host_groups", "process_queue",
           "source_hosts"]

log = logging.getLogger(__name__)

#: Called with each event dict as it happens (from the source's crawl thread).
EventCallback = Callable[[dict], None]

_ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "application/pdf")
_MAX_NESTED_SITEMAPS = 50
_TRANSIENT_REASONS = {"timeout", "connection-failed", "deadline", "deferred", "robots-unreachable"}
_TRANSIENT_STATUSES = {408, 429}


def crawl_source(source: Source, settings: Settings, fetcher: PoliteFetcher | None = None,
                 dates: DateRange | None = None, on_event: EventCallback | None = None,
                 lock_wait_seconds: float = 900.0) -> CrawlReport:
    """Crawl ``source`` once. Raises :class:`ServiceUnavailable` if no discovery URL could be fetched.

    With ``dates`` (a backfill), only items whose feed/sitemap date falls in the range are fetched; undated
    items are kept. Items left out are reported as skipped and stay eligible for later runs. One crawl of a
    source runs at a time: another one waits up to ``lock_wait_seconds``, then raises :class:`CrawlBusy`.
    """
    report = CrawlReport(source.name)
    with crawl_lock(settings, source.name, lock_wait_seconds):
        state = crawl_state_store(settings).load(source.name)
        started = datetime.now(UTC)
        error: str | None = None
        with fetcher or PoliteFetcher(source, settings, robots_cache=state.robots) as http, \
                RunArchive(settings.archive_location, source.name) as archive:
            http.run_deadline = time.monotonic() + source.politeness.run_deadline_seconds
            run = _SourceCrawl(source, settings, http, state, report, archive, dates, on_event)
            http.on_answer = run.archive_answer  # redirect hops, retried answers, robots.txt, over-size answers
            try:
                items = run.discover()
                if report.feeds_checked and report.feeds_failed == report.feeds_checked:
                    raise ServiceUnavailable(
                        f"{source.name}: every feed/listing failed ({'; '.join(report.problems[-3:])}); the site "
                        "may be down or blocking us: Airflow will retry, check the URLs in the sources file")
                for item in items:
                    run.handle(item)
                run.log_leftovers()
            except BaseException as exc:
                error = f"{type(exc).__name__}: {exc}"
                raise
            finally:
                report.requests = http.requests_made
                state.record_run(started, report.to_dict(), error)
                state.save()
    log.info("%s: %d feeds checked (%d unchanged, %d failed), %d items (%d remembered), %d fetched, "
             "%d unchanged, %d requests, skipped %s; archive %s", source.name, report.feeds_checked,
             report.feeds_unchanged, report.feeds_failed, report.discovered + report.remembered, report.remembered,
             report.fetched, report.unchanged, report.requests, dict(report.skipped) or "nothing",
             ", ".join(map(str, archive.paths)) or "nothing new")
    return report


def crawl_sources(sources: list[Source], settings: Settings, dates: DateRange | None = None,
                  on_event: EventCallback | None = None,
                  lock_wait_seconds: float = 900.0) -> dict[str, CrawlReport | Exception]:
    """Crawl ``sources`` at once: one thread per host group (:func:`host_groups`: sources that share a host are
    crawled one after another in one thread, so a host never sees two of our crawls at once), one request at a
    time per source.

    Returns each source's report, or the exception that stopped it (e.g. :class:`ServiceUnavailable`, or
    :class:`~newsmon.crawl.lock.CrawlBusy` when another crawl held it longer than ``lock_wait_seconds``), in the
    order of ``sources``, once every source has finished. ``on_event`` may be called from any thread.
    """
    if not sources:
        return {}
    started = time.perf_counter()
    results: dict[str, CrawlReport | Exception] = {}

    def crawl_one_host_group(group: list[Source]) -> None:
        for source in group:
            try:
                results[source.name] = crawl_source(source, settings, None, dates, on_event, lock_wait_seconds)
            except Exception as exc:  # handed back to the caller, and logged here
                log.error("%s failed: %s", source.name, exc, exc_info=not isinstance(exc, ServiceUnavailable))
                results[source.name] = exc

    groups = host_groups(sources)
    with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="crawl") as pool:
        for future in [pool.submit(crawl_one_host_group, group) for group in groups]:
            future.result()
    results = {s.name: results[s.name] for s in sources}
    reports = [r for r in results.values() if isinstance(r, CrawlReport)]
    failed = [name for name, r in results.items() if not isinstance(r, CrawlReport)]
    log.info("crawled %d source(s) in %.1fs: %d fetched, %d unchanged, %d skipped, %d requests%s",
             len(results), time.perf_counter() - started, sum(r.fetched for r in reports),
             sum(r.unchanged for r in reports), sum(sum(r.skipped.values()) for r in reports),
             sum(r.requests for r in reports), f"; FAILED: {', '.join(failed)}" if failed else "")
    return results


def source_hosts(source: Source) -> set[str]:
    """The hosts a crawl of ``source`` asks: its feeds', listings' and home page's."""
    urls = [str(f.url) for f in source.feeds] + [str(entry.url) for entry in source.listings]
    urls.append(str(source.homepage))
    return {(urlsplit(url).hostname or "").lower() for url in urls} - {""}


def host_groups(sources: list[Source]) -> list[list[Source]]:
    """``sources`` split into groups that share no host (two sources on one host: one group), in their order."""
    parent = list(range(len(sources)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, source in enumerate(sources):
        for host in sorted(source_hosts(source)):
            if host in owner:
                parent[root(i)] = root(owner[host])
            else:
                owner[host] = i
    groups: dict[int, list[Source]] = {}
    for i, source in enumerate(sources):
        groups.setdefault(root(i), []).append(source)
    return list(groups.values())


@dataclass
class _Failure:
    """Why an article was not fetched."""

    reason: str
    attempts: int
    http_status: int | None = None
    final_url: str | None = None
    problem: str = ""
    #: When the server wants to be asked again (a deferral), in UTC.
    retry_at: datetime | None = None

    @property
    def transient(self) -> bool:
        status = self.http_status or 0
        return self.reason in _TRANSIENT_REASONS or status in _TRANSIENT_STATUSES or status >= 500


class _SourceCrawl:
    """One run over one source: discovery, then one decision (and one event) per article URL."""

    def __init__(self, source: Source, settings: Settings, http: PoliteFetcher, state,
                 report: CrawlReport, archive: RunArchive, dates: DateRange | None,
                 on_event: EventCallback | None):
        self.source, self.settings, self.http, self.state, self.report = source, settings, http, state, report
        self.archive, self.dates, self.on_event = archive, dates, on_event
        self.queue = process_queue(settings)
        self.seen_canonical: set[str] = set()
        #: Article URLs tried in this run, whatever the outcome (what ``max_pages_per_run`` bounds).
        self.pages_tried = 0

    # -- discovery ------------------------------------------------------------------------------------
    def discover(self) -> list[DiscoveredItem]:
        source = self.source
        targets = [(str(f.url), f.kind, f.language, None, False) for f in source.feeds]
        targets += [(str(entry.url), "listing", entry.language, entry.link_pattern, False)
                    for entry in source.listings]
        found: dict[str, tuple[DiscoveredItem, bool]] = {}
        nested = 0
        while targets:
            url, kind, language, pattern, from_memory = targets.pop(0)
            if from_memory:
                result, remembered = self._remembered(url), True
            else:
                result, remembered = self._check_discovery_url(url, kind, language, pattern)
            if result is None:
                continue
            if not remembered:
                self.report.problems.extend(result.problems)
            for sitemap in result.sitemaps:
                if nested < _MAX_NESTED_SITEMAPS:
                    nested += 1
                    targets.append((sitemap, "sitemap", language, None, remembered))
            for item in result.items:
                key = self._canonical(item.url)
                if key not in found or (found[key][1] and not remembered):
                    found[key] = (item, remembered)
        self.report.remembered = sum(1 for _, remembered in found.values() if remembered)
        self.report.discovered = len(found) - self.report.remembered
        return [item for item, _ in found.values()]

    def _remembered(self, url: str) -> DiscoveryResult:
        """What the feed at ``url`` listed when last read (it has not changed since)."""
        feed_state = self.state.feed(url)
        return DiscoveryResult(items=[DiscoveredItem.from_record(r) for r in feed_state.items],
                               sitemaps=list(feed_state.sitemaps))

    def _check_discovery_url(self, url: str, kind: str, language: str | None,
                             pattern: str | None) -> tuple[DiscoveryResult | None, bool]:
        """The feed's items and whether they come from the state (unchanged feed); ``None`` if it failed."""
        report, feed_state = self.report, self.state.feed(url)
        feed_state.last_checked = datetime.now(UTC).isoformat()
        report.feeds_checked += 1
        try:
            response = self.http.fetch(url, etag=feed_state.etag, last_modified=feed_state.last_modified)
        except FetchError as exc:
            return self._feed_failed(url, str(exc)), False
        self.archive.write_discovery(response.final_url, response.status, response.headers, response.body)
        if response.not_modified:
            return self._feed_unchanged(url), True
        if response.status != 200:
            return self._feed_failed(url, f"HTTP {response.status} for {url}"), False
        content_hash = hashlib.sha256(response.body).hexdigest()
        feed_state.etag = response.headers.get("etag")
        feed_state.last_modified = response.headers.get("last-modified")
        if content_hash == feed_state.content_hash:
            return self._feed_unchanged(url), True
        try:
            result = parse_discovery(response.body, url, kind, language, pattern)
        except ValueError as exc:
            return self._feed_failed(url, str(exc)), False
        feed_state.content_hash = content_hash
        feed_state.items = [item.to_record() for item in result.items]
        feed_state.sitemaps = list(result.sitemaps)
        feed_state.last_status = "ok" if not result.problems else "ok-with-problems"
        feed_state.last_error = "; ".join(result.problems[:3]) or None
        return result, False

    def _feed_failed(self, url: str, problem: str) -> None:
        feed_state = self.state.feed(url)
        self.report.feeds_failed += 1
        feed_state.last_status, feed_state.last_error = "failed", problem
        self.report.problems.append(problem)
        log.warning("%s: %s", self.source.name, problem)

    def _feed_unchanged(self, url: str) -> DiscoveryResult:
        feed_state = self.state.feed(url)
        self.report.feeds_unchanged += 1
        feed_state.last_status, feed_state.last_error = "unchanged", None
        return self._remembered(url)

    # -- articles -------------------------------------------------------------------------------------
    def handle(self, item: DiscoveredItem) -> None:
        """Decide about one article URL, fetch it if new or updated, and report the outcome as an event."""
        state, report = self.state, self.report
        if self.dates is not None and not self.dates.includes(item):
            self._skip(item, "outside-date-range")
            return
        skip = state.skip_reason(item)
        if skip == "unchanged":
            report.unchanged += 1
            self._emit(item, "unchanged", canonical_url=state.articles[item.url].get("canonical_url"))
            return
        if skip is not None:
            failed = state.failures[item.url]
            reason = f"failed-before:{failed.get('reason')}" if skip == "failed-before" else skip
            self._skip(item, reason, http_status=failed.get("http_status"))
            return
        run_deadline = self.http.run_deadline
        if run_deadline is not None and time.monotonic() >= run_deadline:
            self._skip(item, "run-deadline")
            return
        if self.pages_tried >= self.source.politeness.max_pages_per_run:
            self._skip(item, "run-budget-exhausted")
            return
        self.pages_tried += 1
        outcome = self._fetch_article(item)
        if isinstance(outcome, _Failure):
            report.problems.append(outcome.problem)
            state.failures[item.url] = {
                "reason": outcome.reason, "http_status": outcome.http_status, "transient": outcome.transient,
                "at": datetime.now(UTC).isoformat(),
                "updated": item.updated.isoformat() if item.updated else None}
            if outcome.retry_at is not None:
                state.failures[item.url]["retry_at"] = outcome.retry_at.isoformat()
            self._skip(item, outcome.reason, http_status=outcome.http_status, attempts=outcome.attempts,
                       canonical_url=self._canonical(outcome.final_url or item.url))
            return
        page, attempts = outcome
        if page.canonical_url in self.seen_canonical:
            state.failures.pop(item.url, None)
            state.articles[item.url] = _seen_record(page, item)
            self._skip(item, "duplicate-in-run", http_status=page.status, attempts=attempts,
                       canonical_url=page.canonical_url)
            return
        # Archived and queued first, then remembered: a crash or a full disk in between refetches the page.
        path, offset = self.archive.write_page(page)
        self.queue.put(page.id, {"source": self.source.name, "archive": str(path), "offset": offset,
                                 "url": page.url, "canonical_url": page.canonical_url})
        self.seen_canonical.add(page.canonical_url)
        state.failures.pop(item.url, None)
        state.articles[item.url] = _seen_record(page, item)
        state.save()  # after every page, so a crash refetches at most one page
        report.fetched += 1
        report.queued.append(page.id)
        self._emit(item, "fetched", http_status=page.status, attempts=attempts, canonical_url=page.canonical_url)

    def log_leftovers(self) -> None:
        """Say what this run left for the next one: items past the run's deadline or its page budget."""
        skipped = self.report.skipped
        if skipped["run-deadline"] or skipped["run-budget-exhausted"]:
            polite = self.source.politeness
            log.warning("%s: %d item(s) left for the next run: %d past the run deadline (run_deadline_seconds "
                        "%g), %d over the page budget (max_pages_per_run %d)", self.source.name,
                        skipped["run-deadline"] + skipped["run-budget-exhausted"], skipped["run-deadline"],
                        polite.run_deadline_seconds, skipped["run-budget-exhausted"], polite.max_pages_per_run)

    def archive_answer(self, answer: FetchResult, role: str) -> None:
        """Keep an answer that is neither a feed nor an article page in the run's WARC set, with its role."""
        self.archive.write_answer(answer.final_url, answer.status, answer.headers, answer.body, role)

    def _fetch_article(self, item: DiscoveredItem) -> tuple[FetchedPage, int] | _Failure:
        source = self.source
        try:
            response = self.http.fetch(item.url, accept_types=_ARTICLE_TYPES)  # other types: headers only
        except FetchError as exc:
            return _Failure(exc.reason, exc.attempts, problem=str(exc), retry_at=exc.retry_at)
        if response.status != 200:
            self.archive_answer(response, "failed-page")
            return _Failure(f"http-{response.status}", response.attempts, response.status, response.final_url,
                            f"HTTP {response.status} for {item.url}")
        content_type = response.content_type.split(";")[0].strip().lower()
        if content_type not in _ARTICLE_TYPES:
            self.archive_answer(response, "not-an-article")
            return _Failure("unsupported-content-type", response.attempts, response.status, response.final_url,
                            f"{item.url}: content type {content_type or 'missing'} is not an article")
        final_url = response.final_url
        canonical = self._normalize(final_url)
        if content_type != "application/pdf":
            link = find_canonical_link(response.body, final_url)
            if link and source.owns(urlsplit(link).hostname or ""):
                canonical = self._normalize(link)
        hints = {"title": item.title, "language": item.language or ""}
        if item.published:
            hints["published"] = item.published.isoformat()
        page = FetchedPage(
            source=source.name, url=response.final_url, canonical_url=canonical, status=response.status,
            content_type=content_type_with_charset(response.content_type, response.body, final_url),
            body=response.body, fetched_at=datetime.now(UTC), headers=response.headers, redirects=response.redirects,
            hints=hints)
        return page, response.attempts

    # -- events ---------------------------------------------------------------------------------------
    def _canonical(self, url: str) -> str:
        """The canonical spelling of a URL met in a feed or answer (links into a mirror mapped to the real ones)."""
        return self._normalize(self.http.real_url(url))

    def _normalize(self, url: str) -> str:
        canonical = canonicalize_url(url)
        spelling = self.source.language_urls
        if spelling is not None:
            canonical = fold_language_parameter(canonical, spelling.param, spelling.default, self.source.languages)
        return canonical

    def _skip(self, item: DiscoveredItem, reason: str, http_status: int | None = None, attempts: int = 0,
              canonical_url: str | None = None) -> None:
        self.report.skipped[reason] += 1
        self._emit(item, "skipped", reason, http_status, attempts, canonical_url)

    def _emit(self, item: DiscoveredItem, status: str, reason: str | None = None, http_status: int | None = None,
              attempts: int = 0, canonical_url: str | None = None) -> None:
        event = {"url": item.url, "canonical_url": canonical_url or self._canonical(item.url),
                 "source": self.source.name, "status": status, "reason": reason, "http_status": http_status,
                 "attempts": attempts}
        self.report.events.append(event)
        if self.on_event is not None:
            self.on_event(event)


def _seen_record(page: FetchedPage, item: DiscoveredItem) -> dict[str, str | None]:
    return {"canonical_url": page.canonical_url, "updated": item.updated.isoformat() if item.updated else None,
            "fetched_at": page.fetched_at.isoformat()}
