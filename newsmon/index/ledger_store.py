"""The storage of the alerts' state, in indices of its own next to the articles (never in the article index).

:class:`AlertLedger` — one create-only Elasticsearch document per (rule, article) for the digests, backfills and
the history a new rule matches (immediate mail is kept per recipient and event in
:mod:`newsmon.index.thread_store`). Entries written before events existed are per (rule, story) and have no
``article_id``; a story sent then counts as sent for all its articles.
:class:`AlertChecks` — which version of each article alerting has looked at, so each new or updated article is
percolated once.

The status of an entry says what happens to its story for its rule:

``pending``
    (before events) an immediate mail claimed before it was sent.
``digest-pending``
    a match of a digest rule, waiting for the rule's next digest.
``skipped-backfill``
    a match that existed before its rule did: never mailed, unless ``newsmon alerts backfill`` asks.
``digest-claimed``
    part of one digest mail being sent (``digest_id``); it holds the status it came from (``held_status``),
    which it returns to if the SMTP server refuses the mail. A batch still claimed later (a crash between send
    and record) is resent as the same mail, with the same Message-ID.
``immediate``
    matched by an immediate rule: mailed to its recipients in their event threads
    (:mod:`newsmon.index.thread_store`), so never in a digest or backfill.
``sent``
    done, never again.

Each entry is created once (``op_type=create``); a status changes only by a version-checked update, so two
concurrent runs cannot both claim the same story.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from elasticsearch import Elasticsearch, helpers

from newsmon.index.connection import ensure_own_index

__all__ = ["DIGEST_CLAIMED", "DIGEST_PENDING", "IMMEDIATE", "PENDING", "SENT", "SKIPPED_BACKFILL", "AlertChecks",
           "AlertLedger"]

PENDING = "pending"
DIGEST_PENDING = "digest-pending"
SKIPPED_BACKFILL = "skipped-backfill"
DIGEST_CLAIMED = "digest-claimed"
SENT = "sent"
IMMEDIATE = "immediate"

_MAPPING = {"dynamic": "strict", "properties": {
    "rule_id": {"type": "keyword"}, "story_id": {"type": "keyword"}, "doc_ids": {"type": "keyword"},
    "article_id": {"type": "keyword"}, "event_id": {"type": "keyword"},
    "status": {"type": "keyword"}, "claimed_at": {"type": "date"}, "sent_at": {"type": "date"},
    "recipients": {"type": "keyword"}, "message_id": {"type": "keyword"}, "subject": {"type": "text"},
    "last_error": {"type": "text"}, "attempts": {"type": "integer"},
    "published": {"type": "date"}, "digest_id": {"type": "keyword"}, "digest_claimed_at": {"type": "date"},
    "held_status": {"type": "keyword"}}}


def _now() -> str:
    return datetime.now(UTC).isoformat()


class AlertLedger:
    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def ensure_index(self) -> None:
        """Create the ledger, or add the fields a newer version of this module uses to an existing one."""
        ensure_own_index(self.client, self.index, _MAPPING, add_fields=True)

    @staticmethod
    def key(rule_id: str, article_id: str) -> str:
        """The entry of (rule, article); before events, of (rule, story), whose id is its lead article's."""
        return hashlib.sha1(f"{rule_id}|{article_id}".encode()).hexdigest()

    # -- digests and history ----------------------------------------------------------------------------
    def record(self, rule_id: str, articles: list[dict], status: str, recipients: list[str]) -> int:
        """Create an entry with ``status`` for each of ``articles`` (``_id``, ``event_id``, ``story_id``,
        ``published``) that has none; returns how many were created. An article whose story was sent for this rule
        before events existed is recorded as sent. Articles already in the ledger keep their entry."""
        if not articles:
            return 0
        now = _now()
        legacy = self.legacy_sent(rule_id, [a.get("story_id") or a["_id"] for a in articles])
        actions = ({"_op_type": "create", "_index": self.index, "_id": self.key(rule_id, a["_id"]), "_source": {
            "rule_id": rule_id, "article_id": a["_id"], "event_id": a.get("event_id"),
            "story_id": a.get("story_id") or a["_id"], "doc_ids": [a["_id"]],
            "status": SENT if (a.get("story_id") or a["_id"]) in legacy else status, "claimed_at": now,
            "recipients": recipients, "attempts": 0, "published": a.get("published")}} for a in articles)
        created = 0
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, chunk_size=500):
            if ok:
                created += 1
            elif item["create"].get("status") != 409:
                raise RuntimeError(f"could not write to the alert ledger {self.index}: {item['create'].get('error')}")
        self.client.indices.refresh(index=self.index)
        return created

    def legacy_sent(self, rule_id: str, story_ids: list[str]) -> set[str]:
        """The stories sent for ``rule_id`` by the per-story ledger of before events (entries without article)."""
        if not story_ids or not self.exists():
            return set()
        found = self.client.mget(index=self.index, ids=[self.key(rule_id, s) for s in set(story_ids)],
                                 source=["story_id", "status", "article_id"])
        return {d["_source"]["story_id"] for d in found["docs"]
                if d.get("found") and not d["_source"].get("article_id") and d["_source"]["status"] == SENT}

    def statuses(self, rule_id: str, article_ids: list[str]) -> dict[str, str]:
        """Article id → status of its entry, for the articles that have one."""
        if not article_ids:
            return {}
        found = self.client.mget(index=self.index, ids=[self.key(rule_id, a) for a in article_ids],
                                 source=["status"])
        return {article_id: d["_source"]["status"] for article_id, d in zip(article_ids, found["docs"])
                if d.get("found")}

    def claim_batch(self, rule_id: str, statuses: list[str], digest_id: str, before: datetime | None = None,
                    article_ids: list[str] | None = None) -> list[dict]:
        """Claim the rule's entries in one of ``statuses`` (recorded before ``before``, among ``article_ids``).

        The claim is a version-checked update: of two concurrent runs, each entry goes to one. Returns the
        entries this batch holds, oldest first.
        """
        filters: list[dict] = [{"term": {"rule_id": rule_id}}, {"terms": {"status": statuses}}]
        if before is not None:
            filters.append({"range": {"claimed_at": {"lt": before.isoformat()}}})
        if article_ids is not None:
            filters.append({"ids": {"values": [self.key(rule_id, a) for a in article_ids]}})
        self.client.indices.refresh(index=self.index)
        self.client.update_by_query(index=self.index, query={"bool": {"filter": filters}}, conflicts="proceed",
                                    refresh=True, script={"source": (
                                        "ctx._source.held_status = ctx._source.status; "
                                        "ctx._source.status = params.claimed; ctx._source.digest_id = params.d; "
                                        "ctx._source.digest_claimed_at = params.now"),
                                        "params": {"claimed": DIGEST_CLAIMED, "d": digest_id, "now": _now()}})
        return self.batch(digest_id)

    def batch(self, digest_id: str) -> list[dict]:
        """The entries a digest batch holds (and has not sent yet), oldest first."""
        query = {"bool": {"filter": [{"term": {"digest_id": digest_id}}, {"term": {"status": DIGEST_CLAIMED}}]}}
        return self._search(query)

    def stale_batches(self, claimed_before: datetime) -> dict[str, list[dict]]:
        """Digest id → entries of batches claimed before ``claimed_before`` and never marked: resend them."""
        query = {"bool": {"filter": [{"term": {"status": DIGEST_CLAIMED}},
                                     {"range": {"digest_claimed_at": {"lt": claimed_before.isoformat()}}}]}}
        batches: dict[str, list[dict]] = {}
        for entry in self._search(query):
            batches.setdefault(entry["digest_id"], []).append(entry)
        return batches

    def mark_batch_sent(self, digest_id: str, message_id: str, subject: str) -> None:
        self._update_batch(digest_id, "ctx._source.status = params.sent; ctx._source.sent_at = params.now; "
                                      "ctx._source.message_id = params.m; ctx._source.subject = params.s; "
                                      "ctx._source.last_error = null",
                           {"sent": SENT, "now": _now(), "m": message_id, "s": subject})

    def release_batch(self, digest_id: str, error: str) -> None:
        """The mail was refused: the entries go back to the status they came from, to be sent next time."""
        self._update_batch(digest_id, "ctx._source.status = ctx._source.held_status; ctx._source.digest_id = null; "
                                      "ctx._source.attempts += 1; ctx._source.last_error = params.e",
                           {"e": error[:2000]})

    def _update_batch(self, digest_id: str, source: str, params: dict) -> None:
        self.client.update_by_query(
            index=self.index, refresh=True, conflicts="proceed", script={"source": source, "params": params},
            query={"bool": {"filter": [{"term": {"digest_id": digest_id}}, {"term": {"status": DIGEST_CLAIMED}}]}})

    # -- reading ----------------------------------------------------------------------------------------
    def exists(self) -> bool:
        return bool(self.client.indices.exists(index=self.index))

    def recent(self, status: str | None = None, rule_id: str | None = None, size: int = 50,
               exclude: tuple[str, ...] = ()) -> list[dict]:
        """The latest ``size`` entries (newest claim first) with ``status`` (any but ``exclude`` if ``None``)."""
        filters: list[dict] = [{"term": {"status": status}}] if status else []
        if rule_id:
            filters.append({"term": {"rule_id": rule_id}})
        must_not = [] if status else [{"terms": {"status": list(exclude)}}]
        response = self.client.search(index=self.index, size=size,
                                      query={"bool": {"filter": filters, "must_not": must_not}},
                                      sort=[{"claimed_at": {"order": "desc", "missing": "_last"}}, {"story_id": "asc"}])
        return [{"key": hit["_id"], **hit["_source"]} for hit in response["hits"]["hits"]]

    def entries(self, status: str | None = None, size: int = 1000, rule_id: str | None = None) -> list[dict]:
        filters = [{"term": {"status": status}}] if status else []
        if rule_id:
            filters.append({"term": {"rule_id": rule_id}})
        return self._search({"bool": {"filter": filters}}, size)

    def counts(self) -> dict[str, dict[str, int]]:
        """Rule id → status → number of entries."""
        if not self.client.indices.exists(index=self.index):
            return {}
        self.client.indices.refresh(index=self.index)
        response = self.client.search(index=self.index, size=0, aggs={"rules": {
            "terms": {"field": "rule_id", "size": 10000},
            "aggs": {"statuses": {"terms": {"field": "status", "size": 10}}}}})
        return {b["key"]: {s["key"]: s["doc_count"] for s in b["statuses"]["buckets"]}
                for b in response["aggregations"]["rules"]["buckets"]}

    def _search(self, query: dict, size: int | None = None) -> list[dict]:
        self.client.indices.refresh(index=self.index)
        hits = helpers.scan(self.client, index=self.index, query={"query": query}, preserve_order=True,
                            sort=[{"claimed_at": "asc"}, {"story_id": "asc"}], size=500)
        found = []
        for hit in hits:
            found.append({"key": hit["_id"], **hit["_source"]})
            if size is not None and len(found) >= size:
                break
        return found


class AlertChecks:
    """Article id → the ``indexed_at`` of the version alerting last looked at, in ``<alias>-alert-checked``.

    New and updated articles are those indexed since the newest check (less :data:`OVERLAP`, for writes that
    became visible late) whose version was not checked yet. An article index from before this record existed
    reads as all unchecked: percolated once more, the ledger keeps every (rule, story) already sent from mail.
    """

    #: How far before the newest check to look again: a bulk write indexed earlier may become visible later.
    OVERLAP = timedelta(minutes=10)
    _MAPPING = {"dynamic": "strict", "properties": {"indexed_at": {"type": "date"}, "checked_at": {"type": "date"}}}

    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def ensure_index(self) -> None:
        ensure_own_index(self.client, self.index, self._MAPPING)

    def since(self) -> str | None:
        """Where to start looking for unchecked articles: the newest checked version less the overlap."""
        response = self.client.search(index=self.index, size=0, aggs={"newest": {"max": {"field": "indexed_at"}}})
        newest = response["aggregations"]["newest"].get("value_as_string")
        if not newest:
            return None
        return (datetime.fromisoformat(newest.replace("Z", "+00:00")) - self.OVERLAP).isoformat()

    def unchecked(self, articles: list[dict]) -> list[dict]:
        """The ``articles`` (each with ``_id`` and ``indexed_at``) whose version has not been checked."""
        if not articles:
            return []
        found = self.client.mget(index=self.index, ids=[a["_id"] for a in articles], source=["indexed_at"])
        checked = {d["_id"]: d["_source"]["indexed_at"] for d in found["docs"] if d.get("found")}
        return [a for a in articles if checked.get(a["_id"]) != a.get("indexed_at")]

    def mark(self, articles: list[dict]) -> None:
        """Record the versions of ``articles`` as checked (their alerts are sent or recorded)."""
        if not articles:
            return
        now = _now()
        helpers.bulk(self.client, ({"_index": self.index, "_id": a["_id"],
                                    "_source": {"indexed_at": a.get("indexed_at"), "checked_at": now}}
                                   for a in articles), chunk_size=500, refresh=True)
