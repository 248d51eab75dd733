"""Crawl state documents in Elasticsearch: one per source in ``<alias>-crawl-state``, read with a real-time
``GET`` and written back only if nobody else wrote it since (``if_seq_no``/``if_primary_term``).

This module stores and versions the documents and knows nothing of their content: turning them into crawl
states (and moving in the files an older newsmon kept) is :class:`newsmon.crawl.state.VersionedCrawlStateStore`'s.
The crawl lock (:mod:`newsmon.index.leases`) keeps two crawls of a source apart; the version check catches the one
case it cannot: a worker that stalled past its lease while another took over. Its writes are then refused
(:class:`StateConflict`, a :class:`~newsmon.errors.ServiceUnavailable`: its task fails and the other crawl's state
stands).
"""

from __future__ import annotations

from datetime import UTC, datetime

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from newsmon.errors import ServiceUnavailable
from newsmon.index.leases import ensure_index, unavailable_as_service

__all__ = ["STATE_SUFFIX", "ElasticCrawlStateDocuments", "StateConflict"]

STATE_SUFFIX = "-crawl-state"
#: The state itself is stored, not indexed: article URLs as keys would each become a field.
_MAPPING = {"dynamic": "strict", "properties": {
    "source": {"type": "keyword"}, "updated_at": {"type": "date"}, "state": {"type": "object", "enabled": False}}}


class StateConflict(ServiceUnavailable):
    """The document was written by someone else since it was read (a crawl that lost its lock)."""


class ElasticCrawlStateDocuments:
    """The crawl state documents of the article alias ``alias``; a version is ``(seq_no, primary_term)``."""

    def __init__(self, client: Elasticsearch, alias: str):
        self.client, self.index = client, alias + STATE_SUFFIX

    @unavailable_as_service
    def get(self, source: str) -> tuple[dict, tuple[int, int]] | None:
        """The stored state data of ``source`` and its version, or ``None`` if it has no document."""
        ensure_index(self.client, self.index, _MAPPING)
        try:
            found = self.client.get(index=self.index, id=source)
        except NotFoundError:
            return None
        return found["_source"].get("state") or {}, (found["_seq_no"], found["_primary_term"])

    @unavailable_as_service
    def put(self, source: str, data: dict, version: tuple[int, int] | None) -> tuple[int, int]:
        """Write ``data`` as the state of ``source`` if its version is still ``version`` (``None``: if it has no
        document yet); the new version. :class:`StateConflict` if someone wrote it meanwhile."""
        document = {"source": source, "updated_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "state": data}
        try:
            if version is None:
                answer = self.client.create(index=self.index, id=source, document=document)
            else:
                seq_no, primary_term = version
                answer = self.client.index(index=self.index, id=source, document=document, if_seq_no=seq_no,
                                           if_primary_term=primary_term)
        except ConflictError:
            raise StateConflict(f"{source}: the crawl state in {self.index} was written by another crawl since "
                                "this one read it (this crawl lost its lock); its state stands and this task "
                                "fails: Airflow retries it") from None
        return answer["_seq_no"], answer["_primary_term"]

    @unavailable_as_service
    def put_aside(self, source: str, data: dict) -> str:
        """Keep a copy of ``data`` (a corrupt state) under a new document id; that id."""
        aside = f"{source}.corrupt-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
        self.client.index(index=self.index, id=aside, document={"source": source, "state": data})
        return aside

    @unavailable_as_service
    def sources(self) -> list[str]:
        """The sources with a state document (for scripts and the tests)."""
        ensure_index(self.client, self.index, _MAPPING)
        self.client.indices.refresh(index=self.index)
        found = self.client.search(index=self.index, size=10000, source=False, query={"match_all": {}})
        return sorted(hit["_id"] for hit in found["hits"]["hits"])
