"""The processing queue in Elasticsearch: one document per archived page waiting for extraction and indexing, in
``<alias>-process-queue``, id = the page's document id (re-queuing a page replaces its entry).

A processing task *claims* its pages before working on them (``claimed_by``, ``claim_until``, written only if the
entry is unchanged since it was read: ``if_seq_no``/``if_primary_term``) and removes each entry after its article
is written to Elasticsearch, again only if it is still the version it claimed: a page queued again meanwhile (the
crawl fetched a newer copy) stays for the next run. A claim is a lease: a worker that died holding it is
replaced at once by the retry of the same task (the owner is the task instance, not the try), and by any other
task once the claim expires. Nothing is lost, and nothing is indexed twice: the article id is the page id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError

from newsmon.errors import ServiceUnavailable
from newsmon.index.leases import ensure_index, unavailable_as_service
from newsmon.queue import WorkQueue

__all__ = ["QUEUE_SUFFIX", "Claim", "ElasticWorkQueue"]

log = logging.getLogger(__name__)

QUEUE_SUFFIX = "-process-queue"
_PAGE = 5000
_MAPPING = {"dynamic": "strict", "properties": {
    "item_id": {"type": "keyword"}, "queued_at": {"type": "date"}, "claimed_by": {"type": "keyword"},
    "claim_until": {"type": "date"}, "payload": {"type": "object", "enabled": False}}}


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


class Claim(dict):
    """The pages a task claimed: id → payload; :attr:`versions` the entries' versions, :attr:`busy` the ids
    claimed by another live task (left to it)."""

    def __init__(self):
        super().__init__()
        self.versions: dict[str, tuple[int, int]] = {}
        self.busy: list[str] = []


class ElasticWorkQueue:
    """Items keyed by id in ``<alias>-process-queue``; the same reads as :class:`newsmon.queue.WorkQueue` plus
    :meth:`claim` and :meth:`done_claimed`. ``legacy_dir`` is an older on-disk queue to move in (see
    :meth:`migrate_legacy`)."""

    def __init__(self, client: Elasticsearch, alias: str, legacy_dir: Path | None = None):
        self.client, self.index = client, alias + QUEUE_SUFFIX
        self.legacy_dir = legacy_dir

    def _ensure(self) -> None:
        ensure_index(self.client, self.index, _MAPPING)

    # -- the WorkQueue reads and writes ---------------------------------------------------------------------
    @unavailable_as_service
    def put(self, item_id: str, payload: dict) -> None:
        self._ensure()
        self.client.index(index=self.index, id=item_id,
                          document={"item_id": item_id, "queued_at": _iso(_now()), "payload": payload})

    @unavailable_as_service
    def get(self, item_id: str) -> dict | None:
        self._ensure()
        try:
            return self.client.get(index=self.index, id=item_id)["_source"]["payload"]
        except NotFoundError:
            return None

    @unavailable_as_service
    def ids(self) -> list[str]:
        """The pending ids, sorted (claimed ones included: a claim may be stale)."""
        return [hit["_id"] for hit in self._scan(source=False)]

    @unavailable_as_service
    def items(self) -> list[tuple[str, dict]]:
        return [(hit["_id"], hit["_source"]["payload"]) for hit in self._scan(source=["payload"])]

    @unavailable_as_service
    def done(self, item_id: str) -> None:
        self._ensure()
        self.client.options(ignore_status=404).delete(index=self.index, id=item_id)

    @unavailable_as_service
    def __len__(self) -> int:
        self._ensure()
        self.client.indices.refresh(index=self.index)
        return int(self.client.count(index=self.index)["count"])

    def _scan(self, source) -> Iterator[dict]:
        self._ensure()
        self.client.indices.refresh(index=self.index)
        after = None
        while True:
            extra = {"search_after": after} if after else {}
            found = self.client.search(index=self.index, size=_PAGE, source=source, sort=[{"item_id": "asc"}],
                                       query={"match_all": {}}, **extra)
            hits = found["hits"]["hits"]
            yield from hits
            if len(hits) < _PAGE:
                return
            after = hits[-1]["sort"]

    # -- claims ---------------------------------------------------------------------------------------------
    @unavailable_as_service
    def claim(self, item_ids: list[str], owner: str, ttl_seconds: float) -> Claim:
        """Claim the pending items among ``item_ids`` for ``owner`` until ``ttl_seconds`` from now: those not
        claimed, claimed by ``owner`` before (an earlier try of the same task), or whose claim expired."""
        self._ensure()
        claim = Claim()
        if not item_ids:
            return claim
        now = _now()
        until = _iso(now + timedelta(seconds=ttl_seconds))
        found = self.client.mget(index=self.index, ids=item_ids)["docs"]
        operations: list[dict] = []
        wanted: dict[str, dict] = {}
        for doc in found:
            if not doc.get("found"):
                continue  # done by an earlier attempt
            source = doc["_source"]
            holder, expires = source.get("claimed_by"), source.get("claim_until")
            if holder and holder != owner and expires and datetime.fromisoformat(expires) > now:
                claim.busy.append(doc["_id"])
                continue
            wanted[doc["_id"]] = source["payload"]
            operations += [{"index": {"_index": self.index, "_id": doc["_id"], "if_seq_no": doc["_seq_no"],
                                      "if_primary_term": doc["_primary_term"]}},
                           {**source, "claimed_by": owner, "claim_until": until}]
        if operations:
            for item in self.client.bulk(operations=operations)["items"]:
                result = item["index"]
                if result.get("status") in (200, 201):
                    claim[result["_id"]] = wanted[result["_id"]]
                    claim.versions[result["_id"]] = (result["_seq_no"], result["_primary_term"])
                elif result.get("status") == 409:
                    claim.busy.append(result["_id"])  # claimed or queued again between our read and write
                else:
                    raise ServiceUnavailable(f"could not claim queued page {result['_id']} in {self.index}: "
                                             f"{result.get('error')}; Airflow retries the task")
        if claim.busy:
            log.info("%d queued page(s) are claimed by another task; left to it (or to a later run once the claim "
                     "expires)", len(claim.busy))
        return claim

    @unavailable_as_service
    def done_claimed(self, claim: Claim, item_ids: list[str]) -> int:
        """Remove the claimed entries ``item_ids`` that are still the version claimed; returns how many were left
        because the page was queued again meanwhile (a newer copy, processed by the next run)."""
        operations = [{"delete": {"_index": self.index, "_id": item_id, "if_seq_no": claim.versions[item_id][0],
                                  "if_primary_term": claim.versions[item_id][1]}}
                      for item_id in item_ids if item_id in claim.versions]
        if not operations:
            return 0
        requeued = 0
        for item in self.client.bulk(operations=operations)["items"]:
            status = item["delete"].get("status")
            if status == 409:
                requeued += 1
            elif status not in (200, 404):
                raise ServiceUnavailable(f"could not remove processed page {item['delete']['_id']} from "
                                         f"{self.index}: {item['delete'].get('error')}; it is processed again "
                                         "next run (same document id, nothing duplicated)")
        return requeued

    # -- an older on-disk queue -----------------------------------------------------------------------------
    @unavailable_as_service
    def migrate_legacy(self) -> int:
        """Move the items of an older on-disk queue (``<data_dir>/queue/process/*.json``) in; returns how many."""
        if self.legacy_dir is None or not self.legacy_dir.is_dir():
            return 0
        legacy = WorkQueue(self.legacy_dir)
        moved = 0
        for item_id, payload in legacy.items():
            self.put(item_id, payload)
            legacy.done(item_id)
            moved += 1
        if moved:
            log.info("moved %d queued page(s) from %s into %s", moved, self.legacy_dir, self.index)
        return moved
