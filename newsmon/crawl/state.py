"""Per-source crawl state that survives between runs: feed validators, the articles already fetched, failures and
deferrals, the latest runs. Kept by a store: files in one folder here, or Elasticsearch documents every worker
reaches (:class:`VersionedCrawlStateStore` over :mod:`newsmon.index.crawl_state_store`);
:func:`newsmon.crawl.shared_state.crawl_state_store` picks one."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from newsmon.files import atomic_write_bytes

__all__ = ["CrawlState", "CrawlStateStore", "FeedState", "FileCrawlStateStore", "StateDocuments",
           "VersionedCrawlStateStore"]

log = logging.getLogger(__name__)

#: How many past runs a source's state keeps.
RUNS_KEPT = 50


@dataclass(slots=True)
class FeedState:
    """What we know about one feed, sitemap or listing URL."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_checked: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    #: The article items it listed when last read (``DiscoveredItem.to_record()``), so an unchanged feed
    #: (304, or the same body) still accounts for its items without being parsed again.
    items: list[dict] = field(default_factory=list)
    #: Nested sitemaps it listed when last read (a sitemap index).
    sitemaps: list[str] = field(default_factory=list)


class CrawlStateStore(Protocol):
    """Where crawl states live: :class:`FileCrawlStateStore` (one folder) or :class:`VersionedCrawlStateStore`
    (documents every worker reaches)."""

    def load(self, source: str) -> CrawlState: ...

    def save(self, state: CrawlState) -> None: ...


@dataclass(slots=True)
class CrawlState:
    """The state of one source; :meth:`save` writes it back to the store it was loaded from."""

    source: str
    feeds: dict[str, FeedState] = field(default_factory=dict)
    #: Discovered URL → canonical URL and the feed's ``updated`` time when fetched.
    articles: dict[str, dict[str, str | None]] = field(default_factory=dict)
    #: Discovered URL → why it could not be fetched (``reason``, ``http_status``, ``transient``), when, and the
    #: feed's ``updated`` time then: permanent failures are not retried until the feed marks the item updated;
    #: a deferred one (``retry_at``, UTC) not before that time.
    failures: dict[str, dict] = field(default_factory=dict)
    #: The latest runs, oldest first: ``started``, ``finished``, ``ok``, ``error``, the report's counts and the
    #: skipped items by reason (``run-deadline`` and ``run-budget-exhausted``: left for the next run).
    runs: list[dict] = field(default_factory=list)
    #: Origin → the host's robots.txt as last read (``at``, ``text``; see ``robots_cache_minutes``).
    robots: dict[str, dict] = field(default_factory=dict)
    #: What the feed watcher (:mod:`newsmon.crawl.watch`) keeps: ``feeds``, URL → the validators of the answer it
    #: saw last (``etag``, ``last_modified``, ``content_hash``, ``at``), apart from the crawl's own so that the
    #: crawl still reads (and archives) a changed feed; ``announced``, item URL → when it was announced and how
    #: often (``at``, ``times``), until the crawl has fetched it.
    watch: dict[str, dict] = field(default_factory=dict)
    #: The store it came from and goes back to, and the version it was read at (the store's concurrency token).
    store: CrawlStateStore | None = field(default=None, repr=False, compare=False)
    version: object = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, state_dir: Path, source: str) -> CrawlState:
        """The state of ``source`` kept in the folder ``state_dir`` (the ``files`` store)."""
        return FileCrawlStateStore(state_dir).load(source)

    @classmethod
    def from_data(cls, source: str, data: dict) -> CrawlState:
        """A state from its JSON form; ``ValueError`` unless the records are what the crawler reads."""
        try:
            feeds = {url: FeedState(**value) for url, value in data.get("feeds", {}).items()}
            state = cls(source, feeds, dict(data.get("articles", {})), dict(data.get("failures", {})),
                        list(data.get("runs", [])), dict(data.get("robots", {})), dict(data.get("watch", {})))
        except (TypeError, AttributeError) as exc:
            raise ValueError(str(exc)) from None
        state._check_shape()
        return state

    def skip_reason(self, item) -> str | None:
        """Why the crawl would not fetch the discovered ``item`` (its ``url`` and ``updated``) now: ``"unchanged"``
        (fetched, and not marked updated since), ``"failed-before"`` (refused for good since its last update) or
        ``"deferred"`` (to be retried later); ``None``: fetch it. The crawler and the feed watcher both ask this."""
        seen = self.articles.get(item.url)
        if seen is not None and not _updated_since(item, seen.get("updated")):
            return "unchanged"
        failed = self.failures.get(item.url)
        if failed and not failed.get("transient") and not _updated_since(item, failed.get("updated")):
            return "failed-before"
        if failed and _still_deferred(failed.get("retry_at")):
            return "deferred"
        return None

    def to_data(self) -> dict:
        return {"feeds": {url: asdict(value) for url, value in self.feeds.items()}, "articles": self.articles,
                "failures": self.failures, "runs": self.runs, "robots": self.robots,
                "watch": self.watch}

    def _check_shape(self) -> None:
        """Raise ``ValueError`` unless the records are what the crawler reads: valid JSON can still be garbage."""
        records = [*self.articles.values(), *self.failures.values(), *self.runs, *self.robots.values()]
        for feed in self.feeds.values():
            if not isinstance(feed.items, list) or not isinstance(feed.sitemaps, list):
                raise ValueError("a feed's items or sitemaps are not lists")
            records += feed.items
            texts = (feed.etag, feed.last_modified, feed.content_hash, feed.last_checked, feed.last_status,
                     feed.last_error, *feed.sitemaps)
            if not all(text is None or isinstance(text, str) for text in texts):
                raise ValueError("a feed's validators or sitemaps are not strings")
        watched, announced = self.watch.get("feeds", {}), self.watch.get("announced", {})
        if not isinstance(watched, dict) or not isinstance(announced, dict):
            raise ValueError("the feed watcher's records are not JSON objects")
        records += [*watched.values(), *announced.values()]
        if not all(isinstance(record, dict) for record in records):
            raise ValueError("an article, failure, run or feed item record is not a JSON object")

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState())

    def record_run(self, started: datetime, report: dict, error: str | None) -> None:
        """Remember one run (kept: the latest :data:`RUNS_KEPT`) for the health page and ``newsmon sources``."""
        counts = {k: report[k] for k in ("feeds_checked", "feeds_unchanged", "feeds_failed", "fetched",
                                         "unchanged", "queued", "requests") if k in report}
        self.runs.append({"started": started.isoformat(timespec="seconds"),
                          "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                          "ok": error is None, "error": error, **counts,
                          "skipped": sum(report.get("skipped", {}).values()),
                          "skipped_by_reason": dict(report.get("skipped", {}))})
        del self.runs[:-RUNS_KEPT]

    def save(self) -> None:
        if self.store is None:
            raise RuntimeError(f"crawl state of {self.source} has no store to be saved to")
        self.store.save(self)


class FileCrawlStateStore:
    """Crawl states as JSON files ``<state_dir>/crawl/<source>.json``, written atomically (the ``files`` store)."""

    def __init__(self, state_dir: Path):
        self.folder = Path(state_dir) / "crawl"

    def path(self, source: str) -> Path:
        return self.folder / f"{source}.json"

    def load(self, source: str) -> CrawlState:
        path = self.path(source)
        if not path.exists():
            return CrawlState(source, store=self)
        try:
            state = CrawlState.from_data(source, json.loads(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}"  # two in a second: two files
            aside = path.with_name(f"{path.name}.corrupt-{stamp}")
            path.rename(aside)
            log.error("crawl state %s is corrupt (%s); moved it to %s and starting afresh "
                      "(already indexed articles stay deduplicated by id)", path, exc, aside)
            return CrawlState(source, store=self)
        state.store = self
        return state

    def save(self, state: CrawlState) -> None:
        atomic_write_bytes(self.path(state.source), json.dumps(state.to_data(), indent=1, sort_keys=True).encode())


class StateDocuments(Protocol):
    """Versioned state documents, one per source (:class:`newsmon.index.crawl_state_store.CrawlStateDocuments`)."""

    def get(self, source: str) -> tuple[dict, Any] | None: ...

    def put(self, source: str, data: dict, version: Any) -> Any: ...

    def put_aside(self, source: str, data: dict) -> str: ...


class VersionedCrawlStateStore:
    """Crawl states kept as versioned documents every worker reaches: a state is written back only if nobody wrote
    it since it was read (the documents raise otherwise). A source without a document whose state file from an
    older newsmon is in ``legacy_dir`` gets that state, written to the documents, and the file renamed
    ``….json.migrated``."""

    def __init__(self, documents: StateDocuments, legacy_dir: Path | None = None):
        self.documents = documents
        self.legacy = FileCrawlStateStore(legacy_dir) if legacy_dir is not None else None

    def load(self, source: str) -> CrawlState:
        found = self.documents.get(source)
        if found is None:
            return self._migrated(source)
        data, version = found
        try:
            state = CrawlState.from_data(source, data)
        except ValueError as exc:
            aside = self.documents.put_aside(source, data)
            log.error("crawl state of %s is corrupt (%s); copied it to %s and starting afresh "
                      "(already indexed articles stay deduplicated by id)", source, exc, aside)
            state = CrawlState(source)
        state.store, state.version = self, version
        return state

    def _migrated(self, source: str) -> CrawlState:
        """A source without a document: its state file from before, if there is one, else a fresh state."""
        if self.legacy is None or not self.legacy.path(source).exists():
            return CrawlState(source, store=self)
        old = self.legacy.load(source)  # a corrupt file is moved aside there, and a fresh state comes back
        state = CrawlState(source, old.feeds, old.articles, old.failures, old.runs, old.robots, old.watch,
                           store=self)
        self.save(state)
        path = self.legacy.path(source)
        if path.exists():
            path.rename(path.with_name(path.name + ".migrated"))
        log.info("%s: moved the crawl state from %s into the shared store", source, path)
        return state

    def save(self, state: CrawlState) -> None:
        state.version = self.documents.put(state.source, state.to_data(), state.version)


def _still_deferred(retry_at: str | None) -> bool:
    """Whether a recorded ``retry_at`` (ISO, UTC) is still in the future."""
    try:
        return bool(retry_at) and datetime.fromisoformat(retry_at) > datetime.now(UTC)
    except (TypeError, ValueError):
        return False


def _updated_since(item, recorded_updated: str | None) -> bool:
    """Whether the feed marks ``item`` updated after the ``updated`` time recorded for it."""
    return bool(item.updated and (recorded_updated or "") < item.updated.isoformat())
