"""The storage of immediate alerts per recipient and event, in ``<alias>-alert-threads`` (never the article index).

Two kinds of documents:

``item`` — one per (recipient, article): the article reached this recipient's immediate rules (``rules``) and is
    ``waiting`` for a mail, or was ``mailed`` in mail number ``seq`` of its event's thread, or was already mailed
    before events existed (``legacy``: the story was in a sent mail of the old per-story ledger). Created once
    (``op_type=create``), so an article is in at most one mail to a recipient, ever.
``mail`` — one per (recipient, event, seq): the first mail of a thread is ``seq`` 0, each later one an update.
    It is created (claimed) with its article ids and Message-ID before it is sent, then marked ``sent``. A mail
    left ``pending`` (a crash between send and record, or a refused send) is sent again with the same
    Message-ID and the same articles; a second run cannot claim the same ``seq``.

This is the exactly-once key of alerting: (recipient, event, seq) for a mail, (recipient, article) for what it
contains.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from elasticsearch import ConflictError, Elasticsearch, NotFoundError, helpers

from newsmon.index.connection import ensure_own_index

__all__ = ["LEGACY", "MAILED", "PENDING", "SENT", "WAITING", "AlertThreads", "ThreadMail"]

WAITING = "waiting"
MAILED = "mailed"
LEGACY = "legacy"
PENDING = "pending"
SENT = "sent"

_MAPPING = {"dynamic": "strict", "properties": {
    "kind": {"type": "keyword"}, "recipient": {"type": "keyword"}, "event_id": {"type": "keyword"},
    "article_id": {"type": "keyword"}, "rules": {"type": "keyword"}, "status": {"type": "keyword"},
    "seq": {"type": "integer"}, "article_ids": {"type": "keyword"}, "message_id": {"type": "keyword"},
    "thread_message_id": {"type": "keyword"}, "subject": {"type": "text"}, "created_at": {"type": "date"},
    "claimed_at": {"type": "date"}, "sent_at": {"type": "date"}, "attempts": {"type": "integer"},
    "last_error": {"type": "text"}, "published": {"type": "date"}}}


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _key(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class ThreadMail:
    """A claimed mail of a thread: who, which event, which number, which articles and rules."""

    key: str
    recipient: str
    event_id: str
    seq: int
    article_ids: list[str]
    rules: list[str]
    status: str
    sent_at: str | None = None

    @property
    def message_id(self) -> str:
        return f"<event-{self.key[:32]}@newsmon>"

    @staticmethod
    def thread_message_id(recipient: str, event_id: str) -> str:
        """The Message-ID of the thread's first mail, which every update answers (In-Reply-To, References)."""
        return f"<event-{_key(recipient, event_id, '0')[:32]}@newsmon>"


class AlertThreads:
    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def ensure_index(self) -> None:
        ensure_own_index(self.client, self.index, _MAPPING)

    def exists(self) -> bool:
        return bool(self.client.indices.exists(index=self.index))

    # -- items --------------------------------------------------------------------------------------------
    def add_items(self, items: list[dict]) -> int:
        """Create the items (each ``recipient``, ``event_id``, ``article_id``, ``rules``, ``status``, ``published``)
        that do not exist yet; returns how many were new. An existing item is left as it is."""
        now = _now()
        actions = ({"_op_type": "create", "_index": self.index, "_id": _key(i["recipient"], i["article_id"]),
                    "_source": {"kind": "item", "created_at": now, **i}} for i in items)
        created = 0
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, chunk_size=500):
            if ok:
                created += 1
            elif item["create"].get("status") != 409:
                raise RuntimeError(f"could not write to the alert threads {self.index}: {item['create'].get('error')}")
        self.client.indices.refresh(index=self.index)
        return created

    def waiting(self) -> dict[tuple[str, str], list[dict]]:
        """(recipient, event) → its items waiting for a mail, oldest first."""
        groups: dict[tuple[str, str], list[dict]] = {}
        for item in self._scan({"bool": {"filter": [{"term": {"kind": "item"}}, {"term": {"status": WAITING}}]}},
                               sort=[{"created_at": "asc"}, {"article_id": "asc"}]):
            groups.setdefault((item["recipient"], item["event_id"]), []).append(item)
        return groups

    def mark_items(self, recipient: str, article_ids: list[str], status: str, seq: int | None) -> None:
        if not article_ids:
            return
        actions = ({"_op_type": "update", "_index": self.index, "_id": _key(recipient, article_id),
                    "doc": {"status": status, "seq": seq}} for article_id in article_ids)
        helpers.bulk(self.client, actions, chunk_size=500, refresh=True)

    # -- mails --------------------------------------------------------------------------------------------
    def last_mail(self, recipient: str, event_id: str) -> ThreadMail | None:
        response = self.client.search(index=self.index, size=1, query={"bool": {"filter": [
            {"term": {"kind": "mail"}}, {"term": {"recipient": recipient}}, {"term": {"event_id": event_id}}]}},
            sort=[{"seq": "desc"}])
        hits = response["hits"]["hits"]
        return _mail(hits[0]["_id"], hits[0]["_source"]) if hits else None

    def claim(self, recipient: str, event_id: str, seq: int, article_ids: list[str], rules: list[str]) -> ThreadMail | None:
        """Claim mail ``seq`` of the thread with these articles; ``None`` if another run claimed it first."""
        key = _key(recipient, event_id, str(seq))
        document = {"kind": "mail", "recipient": recipient, "event_id": event_id, "seq": seq,
                    "article_ids": article_ids, "rules": rules, "status": PENDING, "claimed_at": _now(),
                    "attempts": 0, "thread_message_id": ThreadMail.thread_message_id(recipient, event_id)}
        try:
            self.client.create(index=self.index, id=key, document=document, refresh=True)
        except ConflictError:
            return None
        return _mail(key, document)

    def pending_mails(self) -> list[ThreadMail]:
        """Mails claimed and not marked sent (a refused send or a crash): to be sent again, same Message-ID."""
        return [_mail(d["_key"], d) for d in self._scan({"bool": {"filter": [
            {"term": {"kind": "mail"}}, {"term": {"status": PENDING}}]}}, sort=[{"claimed_at": "asc"}])]

    def mark_sent(self, mail: ThreadMail, subject: str) -> None:
        self.client.update(index=self.index, id=mail.key, refresh=True, doc={
            "status": SENT, "sent_at": _now(), "message_id": mail.message_id, "subject": subject, "last_error": None})

    def mark_failed(self, mail: ThreadMail, error: str) -> None:
        self.client.update(index=self.index, id=mail.key, refresh=True,
                           script={"source": "ctx._source.attempts += 1; ctx._source.last_error = params.e",
                                   "params": {"e": error[:2000]}})

    # -- reading --------------------------------------------------------------------------------------------
    def mails(self, event_ids: list[str] | None = None, rule_id: str | None = None, size: int = 200) -> list[dict]:
        """The latest ``size`` mails (of the events ``event_ids`` and naming ``rule_id``, if given), newest claim
        first: each ``{"key", "recipient", "event_id", "seq", "status", "rules", "article_ids", "subject",
        "claimed_at", "sent_at", "attempts", "last_error", "message_id"}``."""
        filters: list[dict] = [{"term": {"kind": "mail"}}]
        if event_ids is not None:
            if not event_ids:
                return []
            filters.append({"terms": {"event_id": list(event_ids)}})
        if rule_id:
            filters.append({"term": {"rules": rule_id}})
        if not self.exists():
            return []
        response = self.client.search(index=self.index, size=size, query={"bool": {"filter": filters}},
                                      sort=[{"claimed_at": "desc"}, {"seq": "desc"}])
        return [{"key": h["_id"], **h["_source"]} for h in response["hits"]["hits"]]

    def counts(self) -> dict[str, dict[str, int]]:
        """kind (item, mail) → status → number of documents."""
        if not self.exists():
            return {}
        self.client.indices.refresh(index=self.index)
        response = self.client.search(index=self.index, size=0, aggs={"kinds": {
            "terms": {"field": "kind"}, "aggs": {"statuses": {"terms": {"field": "status", "size": 10}}}}})
        return {b["key"]: {s["key"]: s["doc_count"] for s in b["statuses"]["buckets"]}
                for b in response["aggregations"]["kinds"]["buckets"]}

    def _scan(self, query: dict, sort: list) -> list[dict]:
        if not self.exists():
            return []
        self.client.indices.refresh(index=self.index)
        return [{"_key": h["_id"], **h["_source"]} for h in
                helpers.scan(self.client, index=self.index, query={"query": query, "sort": sort},
                             preserve_order=True, size=500)]

    def get(self, key: str) -> dict | None:
        try:
            return self.client.get(index=self.index, id=key)["_source"]
        except NotFoundError:
            return None


def _mail(key: str, source: dict) -> ThreadMail:
    return ThreadMail(key, source["recipient"], source["event_id"], source["seq"], list(source.get("article_ids") or []),
                      list(source.get("rules") or []), source.get("status", PENDING), source.get("sent_at"))
