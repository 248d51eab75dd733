"""Crawl states in Elasticsearch: one document per source in ``<alias>-crawl-state``, read with a real-time
``GET`` and written back only if nobody else wrote it since (``if_seq_no``/``if_primary_term``).

The crawl lock (:mod:`newsmon.index.leases`) keeps two crawls of a source apart; the version check catches the one
case it cannot: a worker that stalled past its lease while another took over. Its writes are then refused
(:class:`StateConflict`, a :class:`~newsmon.errors.ServiceUnavailable`: its task fails and the other crawl's state
stands). A state kept in a file by an older newsmon (``<data_dir>/state/crawl/<source>.json``) is read the first
time a source has no document, written here, and the file renamed ``….json.migrated``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from newsmon.crawl.state import CrawlState, FileCrawlStateStore
from newsmon.errors import ServiceUnavailable
from newsmon.index.leases import ensure_index, unavailable_as_service

__all__ = ["STATE_SUFFIX", "ElasticCrawlStateStore", "StateConflict"]

log = logging.getLogger(__name__)

STATE_SUFFIX = "-crawl-state"
#: The state itself is stored, not indexed: article URLs as keys would each become a field.
_MAPPING = {"dynamic": "strict", "properties": {
    "source": {"type": "keyword"}, "updated_at": {"type": "date"}, "state": {"type": "object", "enabled": False}}}


class StateConflict(ServiceUnavailable):
    """The state was written by another crawl since this one read it (this crawl lost its lock)."""


class ElasticCrawlStateStore:
    """The crawl states of the article alias ``alias``; ``legacy_dir`` is the folder of older file states."""

    def __init__(self, client: Elasticsearch, alias: str, legacy_dir: Path | None = None):
        self.client, self.index = client, alias + STATE_SUFFIX
        self.legacy = FileCrawlStateStore(legacy_dir) if legacy_dir is not None else None

    @unavailable_as_service
    def load(self, source: str) -> CrawlState:
        ensure_index(self.client, self.index, _MAPPING)
        try:
            found = self.client.get(index=self.index, id=source)
        except NotFoundError:
            return self._migrated(source)
        version = (found["_seq_no"], found["_primary_term"])
        try:
            state = CrawlState.from_data(source, found["_source"].get("state") or {})
        except ValueError as exc:
            aside = f"{source}.corrupt-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
            self.client.index(index=self.index, id=aside, document=found["_source"])
            log.error("crawl state of %s in %s is corrupt (%s); copied it to document %s and starting afresh "
                      "(already indexed articles stay deduplicated by id)", source, self.index, exc, aside)
            state = CrawlState(source)
        state.store, state.version = self, version
        return state

    def _migrated(self, source: str) -> CrawlState:
        """A source without a document: its state file from before, if there is one, else a fresh state."""
        if self.legacy is None or not self.legacy.path(source).exists():
            return CrawlState(source, store=self)
        old = self.legacy.load(source)  # a corrupt file is moved aside there, and a fresh state comes back
        state = CrawlState(source, old.feeds, old.articles, old.failures, old.runs, old.robots, store=self)
        self.save(state)
        path = self.legacy.path(source)
        if path.exists():
            path.rename(path.with_name(path.name + ".migrated"))
        log.info("%s: moved the crawl state from %s into %s", source, path, self.index)
        return state

    @unavailable_as_service
    def save(self, state: CrawlState) -> None:
        document = {"source": state.source, "updated_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "state": state.to_data()}
        try:
            if state.version is None:
                answer = self.client.create(index=self.index, id=state.source, document=document)
            else:
                seq_no, primary_term = state.version
                answer = self.client.index(index=self.index, id=state.source, document=document,
                                           if_seq_no=seq_no, if_primary_term=primary_term)
        except ConflictError:
            raise StateConflict(f"{state.source}: the crawl state in {self.index} was written by another crawl "
                                "since this one read it (this crawl lost its lock); its state stands and this "
                                "task fails: Airflow retries it") from None
        state.version = (answer["_seq_no"], answer["_primary_term"])

    @unavailable_as_service
    def sources(self) -> list[str]:
        """The sources with a state document (for scripts and the tests)."""
        ensure_index(self.client, self.index, _MAPPING)
        self.client.indices.refresh(index=self.index)
        found = self.client.search(index=self.index, size=10000, source=False, query={"match_all": {}})
        return sorted(hit["_id"] for hit in found["hits"]["hits"])
