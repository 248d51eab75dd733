"""The alert ledger: one create-only Elasticsearch document per (rule, story), so nothing is sent twice.

A mail is claimed before it is sent (``status: pending``) and marked ``sent`` after the SMTP server accepted
it. A claim that already says ``sent`` means: done, never again. A ``pending`` claim left by a failed send is
picked up again by the next run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from elasticsearch import ConflictError, Elasticsearch

__all__ = ["AlertLedger", "LedgerEntry"]

_MAPPING = {"dynamic": "strict", "properties": {
    "rule_id": {"type": "keyword"}, "story_id": {"type": "keyword"}, "doc_ids": {"type": "keyword"},
    "status": {"type": "keyword"}, "claimed_at": {"type": "date"}, "sent_at": {"type": "date"},
    "recipients": {"type": "keyword"}, "message_id": {"type": "keyword"}, "subject": {"type": "text"},
    "last_error": {"type": "text"}, "attempts": {"type": "integer"}}}


@dataclass(frozen=True)
class LedgerEntry:
    key: str
    rule_id: str
    story_id: str
    status: str

    @property
    def message_id(self) -> str:
        """A stable Message-ID, so even a resend after a crash is recognisable as the same mail."""
        return f"<{self.key}@newsmon>"


class AlertLedger:
    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=self.index):
            self.client.indices.create(index=self.index, mappings=_MAPPING,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})

    @staticmethod
    def key(rule_id: str, story_id: str) -> str:
        return hashlib.sha1(f"{rule_id}|{story_id}".encode()).hexdigest()

    def claim(self, rule_id: str, story_id: str, doc_ids: list[str], recipients: list[str]) -> LedgerEntry | None:
        """Claim the mail for (rule, story); ``None`` if it was sent already."""
        key = self.key(rule_id, story_id)
        now = datetime.now(timezone.utc).isoformat()
        try:
            self.client.create(index=self.index, id=key, refresh="wait_for", document={
                "rule_id": rule_id, "story_id": story_id, "doc_ids": doc_ids, "status": "pending",
                "claimed_at": now, "recipients": recipients, "attempts": 0})
        except ConflictError:
            existing = self.client.get(index=self.index, id=key)["_source"]
            if existing["status"] == "sent":
                return None
        return LedgerEntry(key, rule_id, story_id, "pending")

    def mark_sent(self, entry: LedgerEntry, subject: str) -> None:
        self.client.update(index=self.index, id=entry.key, refresh="wait_for", doc={
            "status": "sent", "sent_at": datetime.now(timezone.utc).isoformat(),
            "message_id": entry.message_id, "subject": subject, "last_error": None})

    def mark_failed(self, entry: LedgerEntry, error: str) -> None:
        self.client.update(index=self.index, id=entry.key, refresh="wait_for",
                           script={"source": "ctx._source.attempts += 1; ctx._source.last_error = params.e",
                                   "params": {"e": error[:2000]}})

    def entries(self, status: str | None = None, size: int = 1000) -> list[dict]:
        query = {"term": {"status": status}} if status else {"match_all": {}}
        self.client.indices.refresh(index=self.index)
        response = self.client.search(index=self.index, query=query, size=size,
                                      sort=[{"claimed_at": "asc"}])
        return [h["_source"] for h in response["hits"]["hits"]]
