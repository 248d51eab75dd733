"""What processing made of each fetched page, in ``<alias>-page-outcomes``: the history behind "extraction degraded".

One document per page (id: the page's document id, so processing a page again replaces its outcome): its source,
the UTC day it was fetched, ``outcome`` (``article``, ``stub``: an article whose text is shorter than
``degraded_short_chars``, or ``dropped``), the drop reason and the text length. Days are fetch days, so
``newsmon reprocess --from-archive`` keeps each page on the day it was fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from elasticsearch import Elasticsearch, helpers

from newsmon.index.connection import ensure_own_index

__all__ = ["ARTICLE", "DROPPED", "OUTCOMES_SUFFIX", "STUB", "PageOutcome", "PageOutcomes"]

OUTCOMES_SUFFIX = "-page-outcomes"
ARTICLE, STUB, DROPPED = "article", "stub", "dropped"

_MAPPING = {"dynamic": "strict", "properties": {
    "source": {"type": "keyword"}, "day": {"type": "date", "format": "strict_date"},
    "outcome": {"type": "keyword"}, "reason": {"type": "keyword"}, "text_chars": {"type": "integer"},
    "recorded_at": {"type": "date"}}}


@dataclass(frozen=True)
class PageOutcome:
    page_id: str
    source: str
    day: date
    outcome: str
    reason: str = ""
    text_chars: int = 0


class PageOutcomes:
    def __init__(self, client: Elasticsearch, alias: str):
        self.client = client
        self.index = alias + OUTCOMES_SUFFIX

    def record(self, outcomes: list[PageOutcome]) -> None:
        """Write (or replace) the outcome of each page."""
        if not outcomes:
            return
        ensure_own_index(self.client, self.index, _MAPPING)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        actions = ({"_op_type": "index", "_index": self.index, "_id": o.page_id, "_source": {
            "source": o.source, "day": o.day.isoformat(), "outcome": o.outcome, "reason": o.reason or None,
            "text_chars": o.text_chars, "recorded_at": now}} for o in outcomes)
        helpers.bulk(self.client, actions, chunk_size=500, refresh=True)

    def daily_counts(self, since: date) -> dict[str, dict[date, tuple[int, int]]]:
        """Source → fetch day (since ``since``) → (pages, pages dropped or stubs)."""
        if not self.client.indices.exists(index=self.index):
            return {}
        response = self.client.search(index=self.index, size=0, query={"range": {"day": {"gte": since.isoformat()}}},
                                      aggs={"sources": {"terms": {"field": "source", "size": 10000}, "aggs": {
                                          "days": {"date_histogram": {"field": "day", "calendar_interval": "day",
                                                                      "min_doc_count": 1},
                                                   "aggs": {"bad": {"filter": {"terms": {"outcome": [STUB, DROPPED]}}}}}}}})
        return {bucket["key"]: {datetime.fromtimestamp(day["key"] / 1000, UTC).date():
                                (day["doc_count"], day["bad"]["doc_count"])
                                for day in bucket["days"]["buckets"]}
                for bucket in response["aggregations"]["sources"]["buckets"]}
